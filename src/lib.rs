#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic
    )
)]
//! 土默特左旗国家生态文明建设示范旗：指标季度填报的模板、校验、汇总与评估报告。
//!
//! The pipeline, one module per stage:
//! - [`schema`]: the indicators, projects, units and words of the plan, as data under
//!   `templates/`, loaded and linted;
//! - the verbs under [`cmd`] drive the stages and print what they found.

pub mod assess;
pub mod build;
pub mod cli;
pub mod cmd;
pub mod diagnostic;
pub mod inputs;
pub mod parallel;
pub mod period;
pub mod portal;
pub mod read;
pub mod schema;
pub mod text;
pub mod timing;
pub mod validate;
pub mod value;
pub mod write;
