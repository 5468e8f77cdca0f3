//! Assessment: pure functions from the validated returns and the schema to statuses, gaps,
//! counts and project totals. Nothing here reads or writes files.

mod completeness;
pub mod conditions;
mod consolidate;
mod projects;
mod status;
pub mod trend;
mod warning;

pub use completeness::Completeness;
pub use consolidate::{
    assess, Assessment, Basis, Change, Counts, GroupAssessment, Previous, Provenance,
    RowAssessment, Verdict,
};
pub use projects::{ProjectLine, Since, SystemTotal};
pub use status::{evaluate, Status};
pub use trend::{trend, Projection, Trend};
pub use warning::{warnings, Crossing, Reason, RowWarning, Signal, Warnings};
