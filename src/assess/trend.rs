//! The trajectory across quarters: each indicator row's value in every period from the first
//! one on record to this one (a period missing from the history is a gap, never a zero), and
//! for an unmet numeric row with at least three points, where a least-squares line through
//! them meets its stage target.

use super::consolidate::{Assessment, RowAssessment};
use super::status::Status;
use crate::period::Period;
use crate::read::history::History;
use crate::schema::{Comparison, Op};

/// One period's value of one row.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    pub value: Option<f64>,
    /// As the workbook of that period shows it (qualitative values are words).
    pub text: String,
}

/// Where a row is heading at its pace.
#[derive(Debug, Clone, PartialEq)]
pub enum Projection {
    /// Not an unmet numeric row: nothing to project.
    None,
    /// Fewer than three periods with a value.
    TooFewPoints(usize),
    /// The line reaches the stage target in this quarter.
    Reaches(Period),
    /// The line does not move toward the target (slope per quarter).
    MovingAway(f64),
}

#[derive(Debug, Clone)]
pub struct TrendRow<'a> {
    pub row: &'a RowAssessment<'a>,
    /// One per [`Trend::periods`]; `None` where that period is missing or had no value.
    pub points: Vec<Option<Point>>,
    pub projection: Projection,
    /// The slope of the line per quarter, where there is one.
    pub slope: Option<f64>,
}

#[derive(Debug, Clone)]
pub struct Trend<'a> {
    /// Every quarter from the first on record to this one.
    pub periods: Vec<Period>,
    /// Which of them the history (or this build) holds.
    pub present: Vec<bool>,
    pub rows: Vec<TrendRow<'a>>,
    /// The stage whose target is projected to: 2025 up to 2025, 2030 after.
    pub stage_year: u16,
}

fn index(p: Period) -> i64 {
    i64::from(p.year) * 4 + i64::from(p.quarter) - 1
}

fn period_at(i: i64) -> Option<Period> {
    let year = u16::try_from(i.div_euclid(4)).ok()?;
    let quarter = u8::try_from(i.rem_euclid(4) + 1).ok()?;
    Some(Period { year, quarter })
}

/// The trend of every row of `a` over `history` and this period.
pub fn trend<'a>(a: &'a Assessment<'a>, history: &History) -> Trend<'a> {
    let first = history
        .snapshots
        .iter()
        .filter_map(|s| s.period)
        .map(index)
        .min()
        .unwrap_or(index(a.period))
        .min(index(a.period));
    let periods: Vec<Period> = (first..=index(a.period)).filter_map(period_at).collect();
    let present = periods
        .iter()
        .map(|p| *p == a.period || history.snapshots.iter().any(|s| s.period == Some(*p)))
        .collect();
    let stage_year = a.period.stage_year();
    let rows = a
        .rows
        .iter()
        .map(|row| {
            let points: Vec<Option<Point>> = periods
                .iter()
                .map(|p| point(row, *p, a.period, history))
                .collect();
            let line = fit(&periods, &points);
            let projection = project(row, line, &periods, &points, stage_year, a.period);
            TrendRow {
                row,
                points,
                projection,
                slope: line.map(|(m, _)| m),
            }
        })
        .collect();
    Trend {
        periods,
        present,
        rows,
        stage_year,
    }
}

fn point(row: &RowAssessment, p: Period, now: Period, history: &History) -> Option<Point> {
    if p == now {
        return row.text.as_ref().map(|text| Point {
            value: row.value.as_ref().and_then(|v| v.number()),
            text: text.clone(),
        });
    }
    let snapshot = history.snapshots.iter().find(|s| s.period == Some(p))?;
    let r = snapshot.rows.get(row.id)?;
    (r.value.is_some() || !r.text.is_empty()).then(|| Point {
        value: r.value,
        text: r.text.clone(),
    })
}

/// The least-squares line (slope per quarter, value at the first period) through the points
/// that have a number; `None` below three of them.
fn fit(periods: &[Period], points: &[Option<Point>]) -> Option<(f64, f64)> {
    let xy: Vec<(f64, f64)> = periods
        .iter()
        .zip(points)
        .enumerate()
        .filter_map(|(i, (_, p))| Some((i as f64, p.as_ref()?.value?)))
        .collect();
    if xy.len() < 3 {
        return None;
    }
    let n = xy.len() as f64;
    let mean_x = xy.iter().map(|(x, _)| x).sum::<f64>() / n;
    let mean_y = xy.iter().map(|(_, y)| y).sum::<f64>() / n;
    let sxx: f64 = xy.iter().map(|(x, _)| (x - mean_x).powi(2)).sum();
    let sxy: f64 = xy.iter().map(|(x, y)| (x - mean_x) * (y - mean_y)).sum();
    if sxx == 0.0 {
        return None;
    }
    let slope = sxy / sxx;
    Some((slope, mean_y - slope * mean_x))
}

/// The stage target's comparison of a row (its standard where the plan sets no number).
fn stage_target(row: &RowAssessment, stage_year: u16) -> Option<Comparison> {
    row.indicator
        .target_for(stage_year)
        .comparison
        .or(match row.indicator.standard {
            crate::schema::Standard::Numeric { comparison } => Some(comparison),
            _ => None,
        })
}

fn project(
    row: &RowAssessment,
    line: Option<(f64, f64)>,
    periods: &[Period],
    points: &[Option<Point>],
    stage_year: u16,
    now: Period,
) -> Projection {
    let Some(target) = stage_target(row, stage_year) else {
        return Projection::None;
    };
    if row.status != Status::Unmet || row.value.as_ref().and_then(|v| v.number()).is_none() {
        return Projection::None;
    }
    let Some((slope, at_first)) = line else {
        return Projection::TooFewPoints(
            points
                .iter()
                .flatten()
                .filter(|p| p.value.is_some())
                .count(),
        );
    };
    let toward = match target.op {
        Op::AtLeast | Op::Above => slope > 0.0,
        Op::AtMost | Op::Below => slope < 0.0,
        Op::Equal => {
            let last = row
                .value
                .as_ref()
                .and_then(|v| v.number())
                .unwrap_or(at_first);
            (target.threshold - last) * slope > 0.0
        }
    };
    if !toward {
        return Projection::MovingAway(slope);
    }
    // The first quarter at or after which the line meets the target, and after this one.
    let crossing = (target.threshold - at_first) / slope;
    let first = periods.first().copied().unwrap_or(now);
    let quarter = (index(first) + crossing.ceil() as i64).max(index(now) + 1);
    match period_at(quarter) {
        Some(p) => Projection::Reaches(p),
        None => Projection::MovingAway(slope),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn points(values: &[Option<f64>]) -> Vec<Option<Point>> {
        values
            .iter()
            .map(|v| {
                v.map(|n| Point {
                    value: Some(n),
                    text: n.to_string(),
                })
            })
            .collect()
    }

    #[test]
    fn a_line_through_points_with_a_gap() {
        let periods: Vec<Period> = (index(Period {
            year: 2026,
            quarter: 1,
        })..=index(Period {
            year: 2026,
            quarter: 4,
        }))
            .filter_map(period_at)
            .collect();
        // 60, 65, (gap), 75: five a quarter from 60.
        let (m, b) = fit(
            &periods,
            &points(&[Some(60.0), Some(65.0), None, Some(75.0)]),
        )
        .unwrap();
        assert!((m - 5.0).abs() < 1e-9 && (b - 60.0).abs() < 1e-9);
        assert!(fit(&periods, &points(&[Some(60.0), None, None, Some(75.0)])).is_none());
        assert_eq!(
            period_at(index(Period {
                year: 2027,
                quarter: 3
            })),
            Some(Period {
                year: 2027,
                quarter: 3
            })
        );
    }
}
