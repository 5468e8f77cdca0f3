//! The `--format json` document, serialised straight from the run's data to stdout: at
//! province scale an intermediate `serde_json::Value` tree of the files would cost more memory
//! than the returns themselves. (`build` adds its assessment, 44 rows, as a small `Value`.)

use crate::assess::{self, Status};
use crate::period::Period;
use crate::read::Format;
use crate::schema::Schema;
use crate::validate::{Checked, Diagnostic, Return, ReturnStatus, RowCounts};
use serde::Serialize;
use std::io::Write;

#[derive(Serialize)]
pub struct FileView<'a> {
    file: String,
    department: Option<&'a str>,
    status: ReturnStatus,
    period: Option<Period>,
    format: Option<Format>,
    sha256: &'a str,
    duplicate_of: Option<String>,
    rows: RowCounts,
    diagnostics: &'a [Diagnostic],
}

impl<'a> FileView<'a> {
    fn new(r: &'a Return) -> FileView<'a> {
        FileView {
            file: r.path_text(),
            department: r.unit.as_deref(),
            status: r.status(),
            period: r.period,
            format: r.format,
            sha256: &r.sha256,
            duplicate_of: r.duplicate_of.as_ref().map(|p| p.display().to_string()),
            rows: r.rows,
            diagnostics: &r.diagnostics,
        }
    }
}

/// A row found in a return (`check`): status where it can be assessed.
#[derive(Serialize)]
pub struct FoundRow<'a> {
    id: &'a str,
    value: Option<f64>,
    text: &'a str,
    status: Option<Status>,
    department: Option<&'a str>,
    file: String,
    sheet: &'a str,
    cell: crate::diagnostic::CellRef,
}

#[derive(Serialize)]
pub struct Summary {
    files: usize,
    accepted: usize,
    warnings: usize,
    rejected: usize,
    rows_read: u32,
    rows_consolidated: u32,
    rows_in_diagnostics: u32,
}

/// The contract's document; `build` adds `assessment` and `outputs`.
#[derive(Serialize)]
pub struct Document<'a, I: Serialize> {
    pub period: Option<Period>,
    pub files: Vec<FileView<'a>>,
    pub diagnostics: &'a [Diagnostic],
    pub missing_units: &'a [String],
    pub indicators: I,
    pub summary: Summary,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assessment: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outputs: Option<serde_json::Value>,
}

pub fn document<'a, I: Serialize>(c: &'a Checked, indicators: I) -> Document<'a, I> {
    let n = |s: ReturnStatus| c.returns.iter().filter(|r| r.status() == s).count();
    Document {
        period: c.period,
        files: c.returns.iter().map(FileView::new).collect(),
        diagnostics: &c.diagnostics,
        missing_units: &c.missing_units,
        indicators,
        summary: Summary {
            files: c.returns.len(),
            accepted: n(ReturnStatus::Accepted),
            warnings: n(ReturnStatus::Warnings),
            rejected: n(ReturnStatus::Rejected),
            rows_read: c.returns.iter().map(|r| r.rows.read).sum(),
            rows_consolidated: c.returns.iter().map(|r| r.rows.consolidated).sum(),
            rows_in_diagnostics: c.returns.iter().map(|r| r.rows.in_diagnostics).sum(),
        },
        assessment: None,
        outputs: None,
    }
}

/// The rows `check` found, in file order.
pub fn found_rows<'a>(c: &'a Checked, schema: &Schema) -> Vec<FoundRow<'a>> {
    let mut out = Vec::new();
    for r in &c.returns {
        for e in &r.entries {
            let Some(ind) = schema.indicator(&e.indicator) else {
                continue;
            };
            let status = (r.consolidates() && r.period == c.period)
                .then(|| assess::evaluate(ind, Some(&e.value)));
            out.push(FoundRow {
                id: &e.indicator,
                value: e.value.number(),
                text: &e.text,
                status,
                department: r.unit.as_deref(),
                file: r.path_text(),
                sheet: &e.source.sheet,
                cell: e.source.cell,
            });
        }
    }
    out
}

/// Writes `doc` to stdout as pretty JSON, streaming.
pub fn print<T: Serialize>(doc: &T) -> Result<(), super::Failure> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    serde_json::to_writer_pretty(&mut out, doc).map_err(super::Failure::json)?;
    writeln!(out)
        .and_then(|_| out.flush())
        .map_err(super::Failure::output)
}
