//! The `--format json` document, serialised straight from the run's data to stdout through a
//! view struct per part: at province scale an intermediate `serde_json::Value` tree of the
//! files would cost more memory than the returns themselves, and a typed view is the contract
//! written down. The views of `build`'s parts keep the alphabetical field order its document
//! has always had.

use crate::assess::{self, Status};
use crate::period::Period;
use crate::read::FileFormat;
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
    format: Option<FileFormat>,
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
    /// Annual rows only (null on a quarterly row): the year the value belongs to.
    data_year: Option<u16>,
    frequency: crate::schema::Frequency,
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
    pub assessment: Option<AssessmentView<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outputs: Option<OutputsView>,
}

/// One assessed indicator row of `build`'s document.
#[derive(Serialize)]
pub struct IndicatorView<'a> {
    pub attribute: crate::schema::Attribute,
    pub department: &'a str,
    pub domain: &'a str,
    /// Annual rows only (null on a quarterly row): the year the value belongs to.
    pub data_year: Option<u16>,
    pub frequency: crate::schema::Frequency,
    /// What `previous` is (`2025年度`, `2025年第三季度（同比）`, `2026年第二季度`).
    pub compared_with: Option<String>,
    pub gap: Option<f64>,
    pub gap_2025: Option<f64>,
    pub id: &'a str,
    pub missing_reason: Option<&'static str>,
    pub name: String,
    pub parent: Option<&'a str>,
    pub previous: Option<&'a str>,
    pub source: &'a Option<assess::Provenance>,
    pub status: Status,
    pub text: &'a Option<String>,
    pub value: Option<f64>,
    pub vs_baseline: Option<f64>,
    pub vs_previous: Option<f64>,
    /// 环比: a 时点 row against the last period.
    pub on_period: Option<ChangeView<'a>>,
    /// 同比: against the same quarter of last year, the data year before, or (a year's build)
    /// last year.
    pub on_year: Option<ChangeView<'a>>,
}

/// One change of an indicator row against an earlier value.
#[derive(Serialize)]
pub struct ChangeView<'a> {
    /// `2026年第二季度`, `2025年第三季度`, `2025年度`.
    pub period: String,
    pub previous: &'a str,
    pub change: Option<f64>,
}

impl<'a> ChangeView<'a> {
    fn new(c: &'a assess::Change) -> ChangeView<'a> {
        ChangeView {
            period: c.basis.when(),
            previous: &c.previous,
            change: c.change,
        }
    }
}

impl<'a> IndicatorView<'a> {
    pub fn new(r: &'a assess::RowAssessment<'a>) -> IndicatorView<'a> {
        IndicatorView {
            attribute: r.indicator.attribute,
            department: r.department,
            domain: &r.indicator.domain,
            data_year: r.data_year,
            frequency: r.indicator.frequency,
            compared_with: r.by_measure().map(|c| c.basis.label()),
            gap: r.gap,
            gap_2025: r.gap_2025,
            id: r.id,
            missing_reason: r.missing_reason,
            name: r.indicator.plan_full_name(),
            parent: r.parent,
            previous: r.by_measure().map(|c| c.previous.as_str()),
            source: &r.source,
            status: r.status,
            text: &r.text,
            value: r.value.as_ref().and_then(|v| v.number()),
            vs_baseline: r.vs_baseline,
            vs_previous: r.by_measure().and_then(|c| c.change),
            on_period: r.on_period.as_ref().map(ChangeView::new),
            on_year: r.on_year.as_ref().map(ChangeView::new),
        }
    }
}

/// `build`'s assessment: counts, rates, projects.
#[derive(Serialize)]
pub struct AssessmentView<'a> {
    pub binding_rate: Option<f64>,
    pub by_attribute: &'a std::collections::BTreeMap<crate::schema::Attribute, assess::Counts>,
    pub by_domain: Vec<DomainView<'a>>,
    pub counts: &'a assess::Counts,
    pub groups: Vec<GroupView<'a>>,
    pub previous_period: Option<Period>,
    pub projects: &'a [assess::ProjectLine<'a>],
    pub qualifies: bool,
    pub systems: &'a [assess::SystemTotal],
    pub total: &'a assess::SystemTotal,
}

#[derive(Serialize)]
pub struct DomainView<'a> {
    pub counts: &'a assess::Counts,
    pub domain: &'a str,
}

#[derive(Serialize)]
pub struct GroupView<'a> {
    pub attribute: crate::schema::Attribute,
    pub domain: &'a str,
    pub id: &'a str,
    pub name: &'a str,
    pub status: Status,
}

impl<'a> AssessmentView<'a> {
    pub fn new(a: &'a assess::Assessment<'a>) -> AssessmentView<'a> {
        AssessmentView {
            binding_rate: a.binding_rate,
            by_attribute: &a.by_attribute,
            by_domain: a
                .by_domain
                .iter()
                .map(|(domain, counts)| DomainView { counts, domain })
                .collect(),
            counts: &a.all,
            groups: a
                .groups
                .iter()
                .map(|g| GroupView {
                    attribute: g.attribute,
                    domain: g.domain,
                    id: g.id,
                    name: g.name,
                    status: g.status,
                })
                .collect(),
            previous_period: a.previous_period,
            projects: &a.projects,
            qualifies: a.qualifies,
            systems: &a.systems,
            total: &a.total,
        }
    }
}

/// Where `build` wrote its outputs.
#[derive(Serialize)]
pub struct OutputsView {
    pub dir: String,
    pub files: Vec<String>,
    pub returned: Vec<String>,
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
                data_year: e.data_year,
                frequency: ind.frequency,
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
