//! Validation: a workbook read from one file becomes a [`Return`] (its accepted values and
//! its diagnostics); [`cross`] then checks the returns against each other (period, duplicate
//! units, values reported by two units, units that sent nothing).

pub mod batch;
mod conditions;
pub mod cross;
mod data_year;
pub use data_year::{expected_year, latest_year};
mod identify;
mod indicators;
mod projects;
mod single;

pub use crate::diagnostic::{catalogue_markdown, CellRef, Code, Diagnostic, Severity};
pub use batch::{check_all, cross_check, validate_input, Checked, WrongPeriod};
pub use cross::large_changes;
pub use single::{validate_bytes, validate_file};

use crate::period::Period;
use crate::read::FileFormat;
use crate::value::Value;
use serde::Serialize;
use std::path::PathBuf;

/// Where a consolidated value came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Source {
    pub sheet: String,
    pub cell: CellRef,
}

/// One 基本条件 as a return answers it: `None` when it is not answered (or not 是/否).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConditionAnswer {
    pub id: String,
    pub answer: Option<crate::schema::Answer>,
    pub note: String,
}

/// An accepted 本期值.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    pub indicator: String,
    pub value: Value,
    /// As written or shown in the cell.
    pub text: String,
    pub data_source: Option<String>,
    pub remark: Option<String>,
    pub source: Source,
    /// The year an annual row's value belongs to (stated, or assumed: see `year_assumed`);
    /// `None` for a quarterly row.
    pub data_year: Option<u16>,
    /// No 数据年份 was given: the year before the period was taken.
    pub year_assumed: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ProjectStatus {
    #[serde(rename = "未开工")]
    NotStarted,
    #[serde(rename = "在建")]
    Building,
    #[serde(rename = "已完工")]
    Done,
    #[serde(rename = "已暂停")]
    Paused,
}

impl ProjectStatus {
    pub fn label(self) -> &'static str {
        match self {
            ProjectStatus::NotStarted => "未开工",
            ProjectStatus::Building => "在建",
            ProjectStatus::Done => "已完工",
            ProjectStatus::Paused => "已暂停",
        }
    }

    pub const ALL: [ProjectStatus; 4] = [
        ProjectStatus::NotStarted,
        ProjectStatus::Building,
        ProjectStatus::Done,
        ProjectStatus::Paused,
    ];
}

/// An accepted row of the project sheet.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProjectEntry {
    pub no: u32,
    /// 累计完成投资, 万元.
    pub completed: f64,
    /// 本年完成投资, 万元, where the form has the column (a year's) and it is filled.
    pub this_year: Option<f64>,
    /// 形象进度, %.
    pub progress: f64,
    pub status: ProjectStatus,
    pub problem: Option<String>,
    pub source: Source,
}

/// How the rows of a return's tables were accounted for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct RowCounts {
    /// Non-blank rows under a table header.
    pub read: u32,
    /// Rows whose value is consolidated.
    pub consolidated: u32,
    /// Rows named in a diagnostic instead.
    pub in_diagnostics: u32,
    /// Rows held back whole: the return is rejected (they travel in its returned copy) or is an
    /// identical duplicate of another (whose rows count once).
    pub held: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReturnStatus {
    Accepted,
    Warnings,
    Rejected,
    /// A later revision of the same unit's return is in the folder: this one is not used, so
    /// its errors no longer send anything back.
    Superseded,
}

impl ReturnStatus {
    pub fn label(self) -> &'static str {
        match self {
            ReturnStatus::Accepted => "通过",
            ReturnStatus::Warnings => "通过（有提示）",
            ReturnStatus::Superseded => "已被修改稿取代",
            ReturnStatus::Rejected => "退回修改",
        }
    }
}

/// One file, validated.
/// Which row of the form a row the unit sent is.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum RowKey {
    Indicator(String),
    Project(u32),
    /// A row of the indicator table no indicator could be told from (by its row in the file):
    /// the returned form carries it below its table, so that nothing the unit sent is lost.
    Unidentified(u32),
}

/// A row as the unit sent it: its input cells as read, with where each was, so that the
/// returned form can carry every value back, in its own row, with its note.
#[derive(Debug, Clone)]
pub struct SentRow {
    pub key: RowKey,
    pub sheet: String,
    pub cells: Vec<(crate::read::layout::Column, crate::read::Cell)>,
}

impl SentRow {
    /// The input cells in `columns` of a row the unit sent.
    pub fn of(
        key: RowKey,
        sheet: &str,
        row: &crate::read::Row,
        columns: &[crate::read::layout::Column],
    ) -> SentRow {
        SentRow {
            key,
            sheet: sheet.to_string(),
            cells: columns
                .iter()
                .filter_map(|c| row.get(*c).map(|cell| (*c, cell.clone())))
                .collect(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Return {
    pub file: PathBuf,
    pub sha256: String,
    pub format: Option<FileFormat>,
    pub unit: Option<String>,
    pub period: Option<Period>,
    /// Where 报告期 was read: its sheet and cell.
    pub period_cell: Option<(String, CellRef)>,
    /// The stamp's revision: 0 for a form as sent out (or a file without a stamp), n for the
    /// n-th returned copy.
    pub revision: u32,
    pub entries: Vec<Entry>,
    /// Rows for indicators the unit is not assigned: not consolidated, compared with the
    /// assigned unit's value.
    pub stray: Vec<Entry>,
    pub projects: Vec<ProjectEntry>,
    /// Every identified row's input cells, as sent (for the returned form).
    pub sent: Vec<SentRow>,
    pub diagnostics: Vec<Diagnostic>,
    pub rows: RowCounts,
    /// Its answers to the 基本条件 (an annual return of the unit that answers them).
    pub conditions: Vec<ConditionAnswer>,
    /// Set when this file repeats an identical return of the same unit: counted once.
    pub duplicate_of: Option<PathBuf>,
}

impl Return {
    /// A return with nothing read yet.
    pub fn empty(file: &std::path::Path) -> Return {
        Return {
            file: file.to_path_buf(),
            sha256: String::new(),
            format: None,
            unit: None,
            period: None,
            period_cell: None,
            revision: 0,
            entries: Vec::new(),
            stray: Vec::new(),
            projects: Vec::new(),
            sent: Vec::new(),
            diagnostics: Vec::new(),
            rows: RowCounts::default(),
            conditions: Vec::new(),
            duplicate_of: None,
        }
    }

    pub fn status(&self) -> ReturnStatus {
        if self.diagnostics.iter().any(|d| d.code == Code::Superseded) {
            return ReturnStatus::Superseded;
        }
        if self
            .diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
        {
            ReturnStatus::Rejected
        } else if self.diagnostics.is_empty() {
            ReturnStatus::Accepted
        } else {
            ReturnStatus::Warnings
        }
    }

    /// Whether this return's values go into the consolidation.
    pub fn consolidates(&self) -> bool {
        self.status() != ReturnStatus::Rejected && self.duplicate_of.is_none()
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }

    /// The file as given (a path, relative or absolute), for messages and listings.
    /// The path as the outputs show it (without bidi controls, which would show it reversed).
    pub fn path_text(&self) -> String {
        crate::text::without_bidi(&self.file.display().to_string()).into_owned()
    }

    /// The result word every output shows for the file: 未读取 for one that was not read (not
    /// a spreadsheet, or a link out of the folder), which neither passed nor failed.
    pub fn result_label(&self) -> &'static str {
        if self
            .diagnostics
            .iter()
            .any(|d| matches!(d.code, Code::NotAReturn | Code::LinkOutside))
        {
            "未读取"
        } else {
            self.status().label()
        }
    }

    pub fn entry(&self, indicator: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.indicator == indicator)
    }
}

/// A label's or a cell's text as a person reads it: trimmed, numbers as shown.
fn meta_text(v: &crate::read::CellValue) -> String {
    match v {
        crate::read::CellValue::Text(s) => s.trim().to_string(),
        other => other.display(),
    }
}

/// The text of a row's cell in column `c`, when it has any.
fn cell_text(row: &crate::read::Row, c: crate::read::layout::Column) -> Option<String> {
    row.get(c)
        .map(|cell| meta_text(&cell.value))
        .filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_fix_is_given_once() {
        use super::{Code, Diagnostic};
        let own = Diagnostic::new(
            Code::AmbiguousSeparator,
            "“99,55”中的逗号无法判断：请去掉逗号",
        );
        assert_eq!(own.advice(), "“99,55”中的逗号无法判断：请去掉逗号");
        let bare = Diagnostic::new(Code::ValueEmpty, "指标 33 的本期值为空");
        assert_eq!(
            bare.advice(),
            format!("指标 33 的本期值为空。修改办法：{}", Code::ValueEmpty.fix())
        );
    }

    use super::*;

    #[test]
    fn a1_round_trip() {
        for (r, c) in [(0, 0), (8, 5), (99, 27), (1_048_575, 16_383)] {
            let cell = CellRef::new(r, c);
            assert_eq!(CellRef::parse(&cell.to_string()), Some(cell));
        }
        assert_eq!(CellRef::parse("9F"), None);
        assert_eq!(CellRef::parse("A0"), None);
    }
}
