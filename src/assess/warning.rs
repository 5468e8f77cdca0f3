//! 预警: every row 红 (未达标), 黄 (met, but close to its standard, heading across it within
//! two quarters, or short of its 2025 plan target; or not yet decidable: 缺数据, 待核实) or 绿.
//! The reasons are kept as data; the writers word them.

use super::consolidate::{Assessment, RowAssessment};
use super::status::Status;
use super::trend::{Step, Trend};
use crate::period::Period;
use crate::schema::{Comparison, Op, Standard};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Signal {
    #[serde(rename = "红")]
    Red,
    #[serde(rename = "黄")]
    Yellow,
    #[serde(rename = "绿")]
    Green,
}

impl Signal {
    pub fn label(self) -> &'static str {
        match self {
            Signal::Red => "红",
            Signal::Yellow => "黄",
            Signal::Green => "绿",
        }
    }

    pub const ALL: [Signal; 3] = [Signal::Red, Signal::Yellow, Signal::Green];
}

/// Why a row is not 绿.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reason {
    Unmet,
    NoData {
        why: &'static str,
    },
    /// Its superior target has expired and no current one is recorded.
    Pending,
    /// Met, but only `by` beyond its standard, within the `margin`.
    Margin {
        by: f64,
        margin: f64,
    },
    /// Met, but the line through `points` points crosses the standard by `when`.
    Crossing {
        when: Crossing,
        points: usize,
        slope: f64,
    },
    /// Met, but the 2025 plan target was not reached (from 2026 on): short by `gap`.
    Missed2025 {
        gap: f64,
    },
}

/// When a line crosses the standard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Crossing {
    Quarter(Period),
    Year(u16),
}

#[derive(Debug, Clone, Serialize)]
pub struct RowWarning {
    pub signal: Signal,
    pub reasons: Vec<Reason>,
}

/// One per [`Assessment::rows`], in their order.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Warnings {
    pub rows: Vec<RowWarning>,
}

/// How far ahead a met quarterly row's line is followed: two quarters.
const LOOKAHEAD_QUARTERS: i64 = 2;

pub fn warnings(a: &Assessment, trend: Option<&Trend>, warning_share: f64) -> Warnings {
    let rows = a
        .rows
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let line = trend.and_then(|t| t.rows.get(i));
            row_warning(row, line, a.period, warning_share)
        })
        .collect();
    Warnings { rows }
}

fn row_warning(
    row: &RowAssessment,
    line: Option<&super::trend::TrendRow>,
    now: Period,
    warning_share: f64,
) -> RowWarning {
    let yellow = |reasons: Vec<Reason>| RowWarning {
        signal: if reasons.is_empty() {
            Signal::Green
        } else {
            Signal::Yellow
        },
        reasons,
    };
    match row.status {
        Status::Unmet => RowWarning {
            signal: Signal::Red,
            reasons: vec![Reason::Unmet],
        },
        Status::NoData => yellow(vec![Reason::NoData {
            why: row.missing_reason.unwrap_or("无数据"),
        }]),
        Status::Pending => yellow(vec![Reason::Pending]),
        Status::NotApplicable => yellow(Vec::new()),
        Status::Met => yellow(met_reasons(row, line, now, warning_share)),
    }
}

fn met_reasons(
    row: &RowAssessment,
    line: Option<&super::trend::TrendRow>,
    now: Period,
    warning_share: f64,
) -> Vec<Reason> {
    let mut reasons = Vec::new();
    let value = row.value.as_ref().and_then(|v| v.number());
    let Standard::Numeric { comparison } = row.indicator.standard else {
        return reasons;
    };
    if let Some(v) = value {
        let margin = row
            .indicator
            .warning_margin
            .unwrap_or(warning_share * comparison.threshold.abs());
        if let Some(by) = beyond(comparison, v).filter(|by| *by < margin) {
            reasons.push(Reason::Margin { by, margin });
        }
    }
    if let Some(t) = line {
        if let Some(r) = crossing(row, t, comparison, now) {
            reasons.push(r);
        }
    }
    if now.year > 2025 && row.is_of_2025() {
        if let Some(gap) = row.gap_2025.filter(|g| *g > 0.0) {
            reasons.push(Reason::Missed2025 { gap });
        }
    }
    reasons
}

/// How far a met value lies beyond a one-sided standard (`None` for an equality: met is met).
fn beyond(c: Comparison, v: f64) -> Option<f64> {
    match c.op {
        Op::AtLeast | Op::Above => Some(v - c.threshold),
        Op::AtMost | Op::Below => Some(c.threshold - v),
        Op::Equal => None,
    }
}

/// The first step ahead at which a met row, going on at its line's pace from where it is now,
/// no longer meets its standard: within two quarters for a 时点 row, by its next data year for
/// an annual one. A 累计 row's next comparable value is a year away: not projected here. A
/// line that moves toward the standard's safe side, or by less than rounding, crosses nothing.
fn crossing(
    row: &RowAssessment,
    t: &super::trend::TrendRow,
    c: Comparison,
    now: Period,
) -> Option<Reason> {
    let slope = t.slope.filter(|m| m.is_finite())?;
    let value = row.value.as_ref().and_then(|v| v.number())?;
    let away = match c.op {
        Op::AtLeast | Op::Above => slope < 0.0,
        Op::AtMost | Op::Below => slope > 0.0,
        Op::Equal => slope != 0.0,
    };
    if !away || slope.abs() < FLAT {
        return None;
    }
    let when = match t.step {
        Step::DataYear => {
            let year = row.data_year?;
            (!c.holds(value + slope)).then_some(Crossing::Year(year.saturating_add(1)))?
        }
        Step::Quarter => (1..=LOOKAHEAD_QUARTERS).find_map(|q| {
            (!c.holds(value + slope * q as f64))
                .then(|| Period::from_ordinal(now.ordinal() + q).map(Crossing::Quarter))?
        })?,
        Step::SameQuarter => return None,
    };
    Some(Reason::Crossing {
        when,
        points: t.used,
        slope,
    })
}

/// A change per step smaller than this is within rounding (values are shown to two decimals).
const FLAT: f64 = 0.005;

impl Warnings {
    /// The rows of each department, with their signals: the 督办 list.
    pub fn by_department<'a>(&self, a: &'a Assessment) -> Vec<(&'a str, Vec<(usize, Signal)>)> {
        let mut out: Vec<(&str, Vec<(usize, Signal)>)> = Vec::new();
        for (i, (row, w)) in a.rows.iter().zip(&self.rows).enumerate() {
            match out.iter_mut().find(|(d, _)| *d == row.department) {
                Some((_, rows)) => rows.push((i, w.signal)),
                None => out.push((row.department, vec![(i, w.signal)])),
            }
        }
        out
    }

    pub fn signal(&self, i: usize) -> Signal {
        self.rows.get(i).map_or(Signal::Green, |w| w.signal)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn beyond_a_standard_is_measured_on_its_side() {
        let at_least = Comparison {
            op: Op::AtLeast,
            threshold: 43.0,
        };
        assert!((beyond(at_least, 43.6).unwrap() - 0.6).abs() < 1e-9);
        let at_most = Comparison {
            op: Op::AtMost,
            threshold: 156.9,
        };
        assert!((beyond(at_most, 152.3).unwrap() - 4.6).abs() < 1e-9);
        let equal = Comparison {
            op: Op::Equal,
            threshold: 100.0,
        };
        assert_eq!(beyond(equal, 100.0), None);
    }
}
