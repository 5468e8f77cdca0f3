//! An earlier period, read back from the 汇总表 this tool wrote (its hidden `_data` sheet:
//! one row per indicator row, columns [`DATA_COLUMNS`]).

use super::{open, CellValue, Limits, ReadError};
use crate::period::Period;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The hidden sheet of 汇总表 with one machine-readable row per indicator.
pub const DATA_SHEET: &str = "_data";
/// Its columns, in order (`schema` since the history was added; older workbooks lack it).
pub const DATA_COLUMNS: [&str; 6] = ["id", "value", "text", "status", "period", "schema"];

#[derive(Debug, thiserror::Error)]
pub enum PreviousError {
    #[error("{0}")]
    Read(#[from] ReadError),
    #[error("{0} 不是本工具生成的汇总表（没有 _data 工作表），无法作为上期数据")]
    NotOurs(String),
}

/// Last period's values, by indicator id (read from our own 汇总表): what `--previous` gives
/// the assessment.
#[derive(Debug, Clone, Default)]
pub struct Previous {
    pub period: Option<Period>,
    pub values: BTreeMap<String, (Option<f64>, String)>,
}

/// One indicator row of an earlier period.
#[derive(Debug, Clone, PartialEq)]
pub struct SnapshotRow {
    pub value: Option<f64>,
    pub text: String,
    pub status: String,
}

/// One earlier period as its 汇总表 holds it.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub file: PathBuf,
    /// When the file was written (the later of two builds of one period wins).
    pub written: Option<std::time::SystemTime>,
    pub period: Option<Period>,
    pub schema: Option<String>,
    pub rows: BTreeMap<String, SnapshotRow>,
    /// Rows whose value was no finite number within [`MAX_VALUE`] (a hand-edited or forged
    /// file): read as having no value, and named so the office knows.
    pub unusable: Vec<String>,
}

/// No indicator of the plan comes near this; a larger number in `_data` was not written by us.
pub const MAX_VALUE: f64 = 1e12;

impl Snapshot {
    /// As `--previous` uses it.
    pub fn previous(&self) -> Previous {
        Previous {
            period: self.period,
            values: self
                .rows
                .iter()
                .map(|(id, r)| (id.clone(), (r.value, r.text.clone())))
                .collect(),
        }
    }
}

pub fn read_previous(path: &Path) -> Result<Previous, PreviousError> {
    Ok(read_snapshot(path)?.previous())
}

pub fn read_snapshot(path: &Path) -> Result<Snapshot, PreviousError> {
    let (_, book) = open(path, &Limits::default())?;
    let sheet = book
        .sheets
        .iter()
        .find(|s| s.name == DATA_SHEET)
        .ok_or_else(|| PreviousError::NotOurs(path.display().to_string()))?;
    let mut snapshot = Snapshot {
        file: path.to_path_buf(),
        written: std::fs::metadata(path).and_then(|m| m.modified()).ok(),
        period: None,
        schema: None,
        rows: BTreeMap::new(),
        unusable: Vec::new(),
    };
    let mut rows: BTreeMap<u32, Vec<&super::Cell>> = Default::default();
    for c in &sheet.cells {
        rows.entry(c.row).or_default().push(c);
    }
    for cells in rows.values().skip(1) {
        let get = |col: u32| cells.iter().find(|c| c.col == col).map(|c| &c.value);
        let Some(CellValue::Text(id)) = get(0) else {
            continue;
        };
        let mut text = get(2).map(CellValue::display).unwrap_or_default();
        let value = match get(1) {
            Some(CellValue::Number(n)) if n.is_finite() && n.abs() <= MAX_VALUE => Some(*n),
            Some(CellValue::Number(_)) => {
                snapshot.unusable.push(id.clone());
                text.clear(); // it shows the same forged number
                None
            }
            _ => None,
        };
        let status = get(3).map(CellValue::display).unwrap_or_default();
        if let Some(CellValue::Text(p)) = get(4) {
            snapshot.period = snapshot.period.or_else(|| Period::parse(p));
        }
        if let Some(CellValue::Text(v)) = get(5) {
            snapshot.schema = snapshot.schema.take().or_else(|| Some(v.clone()));
        }
        snapshot.rows.insert(
            id.clone(),
            SnapshotRow {
                value,
                text,
                status,
            },
        );
    }
    Ok(snapshot)
}
