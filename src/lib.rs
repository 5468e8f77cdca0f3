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
//! The pipeline, one module per stage, each using only those before it:
//! - [`schema`]: the indicators, projects, units and words of the plan, as data under
//!   `templates/`, loaded and linted;
//! - [`inputs`]: which files a run reads; [`read`]: a file to sparse cells, guarded, and the
//!   tables found in them; earlier 汇总表 read back;
//! - [`value`]: one value normalised against its indicator;
//! - [`validate`]: a file to a `Return` with its diagnostics, then the checks across returns;
//! - [`assess`]: statuses, gaps, counts, project totals and the trend, pure;
//! - [`write`]: the form, 汇总表, the returned copies and the report, staged;
//! - [`build`]: the whole pipeline for one period, which the `build` verb and the portal share;
//! - the verbs under [`cmd`] print what they found; [`portal`] serves it over HTTP.
//!
//! Leaves every stage may use: [`diagnostic`], [`text`], [`period`], [`parallel`], [`timing`].
//!
//! Words: a *unit* is always a 填报单位 (`schema::Unit`, `Return::unit`, a project's
//! responsible unit); the 计量单位 of a value is its *measure unit*
//! (`Indicator::measure_unit`). A cell's place is a `diagnostic::CellRef`, in A1 notation only
//! where a person or a JSON reader sees it.

pub mod assess;
pub mod build;
pub mod cli;
pub mod cmd;
pub mod diagnostic;
pub mod inputs;
pub mod office;
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
