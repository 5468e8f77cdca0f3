//! Last period's values, read back from the 汇总表 this tool wrote (its hidden `_data` sheet).

use super::{open, CellValue, Limits, ReadError};
use crate::assess::Previous;
use crate::period::Period;
use std::path::Path;

/// The hidden sheet of 汇总表 with one machine-readable row per indicator.
pub const DATA_SHEET: &str = "_data";

#[derive(Debug, thiserror::Error)]
pub enum PreviousError {
    #[error("{0}")]
    Read(#[from] ReadError),
    #[error("{0} 不是本工具生成的汇总表（没有 _data 工作表），无法作为上期数据")]
    NotOurs(String),
}

pub fn read_previous(path: &Path) -> Result<Previous, PreviousError> {
    let (_, book) = open(path, &Limits::default())?;
    let sheet = book
        .sheets
        .iter()
        .find(|s| s.name == DATA_SHEET)
        .ok_or_else(|| PreviousError::NotOurs(path.display().to_string()))?;
    let mut prev = Previous::default();
    let mut rows: std::collections::BTreeMap<u32, Vec<&super::Cell>> = Default::default();
    for c in &sheet.cells {
        rows.entry(c.row).or_default().push(c);
    }
    for cells in rows.values().skip(1) {
        let get = |col: u32| cells.iter().find(|c| c.col == col).map(|c| &c.value);
        let Some(CellValue::Text(id)) = get(0) else {
            continue;
        };
        let value = match get(1) {
            Some(CellValue::Number(n)) => Some(*n),
            _ => None,
        };
        let text = get(2).map(CellValue::display).unwrap_or_default();
        if let Some(CellValue::Text(p)) = get(4) {
            prev.period = prev.period.or_else(|| Period::parse(p));
        }
        prev.values.insert(id.clone(), (value, text));
    }
    Ok(prev)
}
