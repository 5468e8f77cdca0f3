//! 数据年份: the year an annual row's value belongs to. In Q1–Q3 a unit reports the latest
//! annual value it has, with its year; a return without one (an older form, a hand-made file)
//! is read as the year before the period, with one notice for the whole return.

use super::{CellRef, Code, Diagnostic, Return};
use crate::period::Period;
use crate::read::{layout::Column, CellValue, Row};
use crate::schema::{Frequency, Indicator};

/// The earliest year a value of this plan can belong to (its baselines are 2020–2021).
const EARLIEST: u16 = 2000;

/// What the 数据年份 cell of one row says.
pub(super) struct Reading {
    pub year: Option<u16>,
    pub assumed: bool,
    pub finding: Option<Diagnostic>,
}

/// The data year of `ind`'s row in a return for `period` (`None` for a quarterly row, or
/// where the period itself is unknown).
pub(super) fn read(row: &Row, ind: &Indicator, period: Option<Period>, sheet: &str) -> Reading {
    let none = Reading {
        year: None,
        assumed: false,
        finding: None,
    };
    let Some(period) = period.filter(|_| ind.frequency == Frequency::Annual) else {
        return none;
    };
    let last_full = expected_year(period);
    let Some(cell) = row.get(Column::DataYear).filter(|c| !is_blank(&c.value)) else {
        return Reading {
            year: Some(last_full),
            assumed: true,
            finding: None,
        };
    };
    let at = CellRef::new(cell.row, cell.col);
    let shown = cell.value.display();
    match year_of(&cell.value).filter(|y| (EARLIEST..=latest_year(period)).contains(y)) {
        None => Reading {
            finding: Some(
                Diagnostic::new(
                    Code::DataYearInvalid,
                    format!(
                        "指标 {} 的数据年份“{shown}”无法识别，或是尚未结束的年度：请填写四位年份，不晚于 {}（如 {last_full}）",
                        ind.id,
                        latest_year(period)
                    ),
                )
                .at_cell(sheet, at)
                .indicator(&ind.id)
                .value(shown),
            ),
            ..none
        },
        Some(y) if y < last_full => Reading {
            year: Some(y),
            assumed: false,
            finding: Some(
                Diagnostic::new(
                    Code::DataYearOld,
                    format!(
                        "指标 {} 报送的是{y}年度的数值，早于{last_full}年度：如已有更新的年度数据，请改填",
                        ind.id
                    ),
                )
                .at_cell(sheet, at)
                .indicator(&ind.id)
                .value(shown),
            ),
        },
        Some(y) => Reading {
            year: Some(y),
            ..none
        },
    }
}

/// The year an annual row's value should be of: the last full year in a quarter, the year
/// itself in the year's own return.
pub fn expected_year(period: Period) -> u16 {
    if period.is_annual() {
        period.year
    } else {
        period.year.saturating_sub(1)
    }
}

/// The last year whose annual value can exist in `period`: the year before, but in the fourth
/// quarter the year itself (its annual figures are being closed).
pub fn latest_year(period: Period) -> u16 {
    if period.quarter >= 4 {
        period.year
    } else {
        period.year.saturating_sub(1)
    }
}

fn is_blank(v: &CellValue) -> bool {
    matches!(v, CellValue::Text(s) if s.trim().is_empty())
}

/// `2025`, `2025年`, `2025年度`, `２０２５` or the number 2025.
fn year_of(v: &CellValue) -> Option<u16> {
    match v {
        CellValue::Number(n) if n.fract() == 0.0 && (0.0..=9999.0).contains(n) => Some(*n as u16),
        CellValue::Text(s) => {
            let s = crate::text::nfkc(s);
            let digits = s
                .trim()
                .trim_end_matches('度')
                .trim_end_matches('年')
                .trim();
            (digits.len() == 4 && digits.chars().all(|c| c.is_ascii_digit()))
                .then(|| digits.parse().ok())
                .flatten()
        }
        _ => None,
    }
}

/// One notice for every annual row of the return read without a 数据年份.
pub(super) fn notice_assumed(ret: &mut Return, sheet: &str, period: Option<Period>) {
    let ids: Vec<&str> = ret
        .entries
        .iter()
        .filter(|e| e.year_assumed)
        .map(|e| e.indicator.as_str())
        .collect();
    let (Some(period), false) = (period, ids.is_empty()) else {
        return;
    };
    let year = expected_year(period);
    let message = format!(
        "年度指标 {} 没有填写数据年份，已按{year}年度的数值读取：请在“数据年份”栏写明每个数值所属的年份",
        ids.join("、")
    );
    ret.diagnostics
        .push(Diagnostic::new(Code::DataYearAssumed, message).on_sheet(sheet));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_are_read_in_the_ways_people_write_them() {
        assert_eq!(year_of(&CellValue::Number(2025.0)), Some(2025));
        assert_eq!(year_of(&CellValue::Text("2025年".into())), Some(2025));
        assert_eq!(year_of(&CellValue::Text("２０２５年度".into())), Some(2025));
        assert_eq!(year_of(&CellValue::Text("25".into())), None);
        assert_eq!(year_of(&CellValue::Number(2025.5)), None);
        assert_eq!(year_of(&CellValue::Text("去年".into())), None);
    }
}
