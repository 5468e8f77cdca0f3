//! The trajectory across quarters: each indicator row's value in every period from the first
//! one on record to this one (a period missing from the history is a gap, never a zero), and
//! for an unmet numeric row with at least three comparable points, where a least-squares line
//! through them meets its stage target. Comparable by 口径: an annual row's points are its
//! data years (the latest statement of each), never its quarters; no line is drawn toward a
//! target in words (达到考核要求).

use super::consolidate::{Assessment, RowAssessment};
use super::status::Status;
use crate::period::{Period, HISTORY_QUARTERS};
use crate::read::history::History;
use crate::schema::{Accumulation, Comparison, Frequency, Op};

/// One period's value of one row.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    pub value: Option<f64>,
    /// As the workbook of that period shows it (qualitative values are words).
    pub text: String,
    /// An annual row's data year: the same year reported in two quarters is one value.
    pub data_year: Option<u16>,
}

/// Where a row is heading at its pace.
#[derive(Debug, Clone, PartialEq)]
pub enum Projection {
    /// Not an unmet numeric row, or its stage target is words: nothing to project.
    None,
    /// Fewer than three comparable points (quarters, or data years of an annual row).
    TooFewPoints(usize),
    /// The line reaches the stage target in this quarter.
    Reaches(Period),
    /// An annual row's line reaches the stage target with this data year.
    ReachesYear(u16),
    /// The line does not move toward the target (slope per quarter).
    MovingAway(f64),
    /// The line moves toward the target too slowly for any period this tool names (2100) to
    /// see it reached (slope per quarter).
    TooSlow(f64),
    /// The line moves by less than rounding between now and the end of the stage: no
    /// direction to speak of, and no crossing to promise.
    Flat,
}

/// A change smaller than this over the rest of the stage is within rounding (values are shown
/// to two decimals).
const FLAT: f64 = 0.005;

#[derive(Debug, Clone)]
pub struct TrendRow<'a> {
    pub row: &'a RowAssessment<'a>,
    /// One per [`Trend::periods`]; `None` where that period is missing or had no value.
    pub points: Vec<Option<Point>>,
    pub projection: Projection,
    /// The slope of the line per step (a quarter, or a year for an annual row).
    pub slope: Option<f64>,
    /// What the line's points are.
    pub step: Step,
    /// How many points the line rests on.
    pub used: usize,
    /// The points of an annual or 累计 row, one a year (data year, or year of the quarter):
    /// what its chart is drawn from. Empty for a 时点 row.
    pub years: Vec<(u16, f64)>,
}

/// What one step of a row's line is, by its 口径.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// A 时点 row: consecutive quarters.
    Quarter,
    /// An annual row: its data years (the latest statement of each).
    DataYear,
    /// A 累计 row: the same quarter of each year (年初至本期末 restarts each January).
    SameQuarter,
}

impl Step {
    fn of(ind: &crate::schema::Indicator) -> Step {
        match (ind.frequency, ind.accumulation) {
            (Frequency::Annual, _) => Step::DataYear,
            (Frequency::Quarterly, Some(Accumulation::YearToDate)) => Step::SameQuarter,
            (Frequency::Quarterly, _) => Step::Quarter,
        }
    }

    /// Quarters per step.
    fn quarters(self) -> f64 {
        match self {
            Step::Quarter => 1.0,
            Step::DataYear | Step::SameQuarter => 4.0,
        }
    }
}

/// A fitted line: `at_first + slope_per_quarter × i`, `i` counted in quarters from `first`.
#[derive(Debug, Clone, Copy)]
struct Line {
    slope_per_quarter: f64,
    at_first: f64,
    first: Period,
}

#[derive(Debug, Clone)]
pub struct Trend<'a> {
    /// Every quarter from the first on record to this one; a year's build ends with the year's
    /// fourth quarter and then the year itself, its quarters beside its annual value.
    pub periods: Vec<Period>,
    /// Which of them the history (or this build) holds.
    pub present: Vec<bool>,
    pub rows: Vec<TrendRow<'a>>,
    /// The stage whose target is projected to: 2025 up to 2025, 2030 after.
    pub stage_year: u16,
}

fn index(p: Period) -> i64 {
    p.ordinal()
}

fn period_at(i: i64) -> Option<Period> {
    Period::from_ordinal(i)
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
        .clamp(index(a.period) - (HISTORY_QUARTERS - 1), index(a.period));
    let mut periods: Vec<Period> = (first..=index(a.period)).filter_map(period_at).collect();
    if a.period.is_annual() {
        periods.push(a.period);
    }
    let present = periods
        .iter()
        .map(|p| *p == a.period || snapshot_of(history, *p).is_some())
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
            let step = Step::of(row.indicator);
            let quarters = line_points(&points, a.period);
            let (line, years) = match step {
                Step::DataYear => yearly_line(row, history),
                Step::SameQuarter => same_quarter_line(row, a.period, history),
                Step::Quarter => {
                    let first = periods.first().copied().unwrap_or(a.period);
                    (quarterly_line(&quarters, first), Vec::new())
                }
            };
            let used = match step {
                Step::Quarter => quarters
                    .iter()
                    .flatten()
                    .filter(|p| p.value.is_some())
                    .count(),
                Step::DataYear | Step::SameQuarter => years.len(),
            };
            let projection = project(row, line, used, step, stage_year, a.period);
            TrendRow {
                row,
                points,
                projection,
                slope: line.map(|l| l.slope_per_quarter * step.quarters()),
                step,
                used,
                years,
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

/// The build of quarter `p` on record; for a fourth quarter without one, its year's build
/// (whose 累计 is the whole year and whose 时点 is the year's end).
fn snapshot_of(history: &History, p: Period) -> Option<&crate::read::previous::Snapshot> {
    let of = |p: Period| history.snapshots.iter().find(|s| s.period == Some(p));
    of(p).or_else(|| {
        (p.quarter == 4)
            .then(|| of(Period::annual(p.year)))
            .flatten()
    })
}

/// The points a 时点 row's line goes through, one per quarter: a year's own value stands at
/// its fourth quarter (its year-end state), in place of that quarter's.
fn line_points(points: &[Option<Point>], now: Period) -> Vec<Option<Point>> {
    let mut quarters = points.to_vec();
    if now.is_annual() {
        if let Some(year) = quarters.pop().flatten() {
            if let Some(q4) = quarters.last_mut() {
                *q4 = Some(year);
            }
        }
    }
    quarters
}

fn point(row: &RowAssessment, p: Period, now: Period, history: &History) -> Option<Point> {
    if p == now {
        return row.text.as_ref().map(|text| Point {
            value: row.value.as_ref().and_then(|v| v.number()),
            text: text.clone(),
            data_year: row.data_year,
        });
    }
    let snapshot = snapshot_of(history, p)?;
    let r = snapshot.rows.get(row.id)?;
    let data_year = r.data_year_in(row.indicator, Some(p));
    (r.value.is_some() || !r.text.is_empty()).then(|| Point {
        value: r.value,
        text: r.text.clone(),
        data_year,
    })
}

/// The least-squares line (slope per quarter, value at the first period) through the points
/// that have a finite number; `None` below three of them, or where the arithmetic leaves the
/// finite numbers (a forged history of 1e308 must not reach the chart or the projection).
fn fit(points: &[Option<Point>]) -> Option<(f64, f64)> {
    let values: Vec<Option<f64>> = points.iter().map(|p| p.as_ref()?.value).collect();
    fit_values(&values)
}

fn quarterly_line(points: &[Option<Point>], first: Period) -> Option<Line> {
    fit(points).map(|(slope, at_first)| Line {
        slope_per_quarter: slope,
        at_first,
        first,
    })
}

/// An annual row's line through its data years: the latest statement of each year (this
/// build's last), placed at the year's fourth quarter.
fn yearly_line(row: &RowAssessment, history: &History) -> (Option<Line>, Vec<(u16, f64)>) {
    let mut by_year: std::collections::BTreeMap<u16, f64> = Default::default();
    for s in &history.snapshots {
        let Some(r) = s.rows.get(row.id) else {
            continue;
        };
        let year = r.data_year_in(row.indicator, s.period);
        if let (Some(y), Some(v)) = (year, r.value.filter(|v| v.is_finite())) {
            by_year.insert(y, v);
        }
    }
    if let (Some(y), Some(v)) = (row.data_year, row.value.as_ref().and_then(|v| v.number())) {
        by_year.insert(y, v);
    }
    line_by_year(&by_year, 4)
}

/// A 累计 row's line through the same quarter of each year on record. A year's build is its
/// fourth quarter (the whole year's 累计): a year's own build, where there is one, stands in
/// for that quarter's.
fn same_quarter_line(
    row: &RowAssessment,
    now: Period,
    history: &History,
) -> (Option<Line>, Vec<(u16, f64)>) {
    let quarter = now.last_quarter().quarter;
    let mut of_quarter: Vec<(Period, f64)> = history
        .snapshots
        .iter()
        .filter_map(|s| {
            let p = s.period.filter(|p| p.last_quarter().quarter == quarter)?;
            let v = s.rows.get(row.id)?.value.filter(|v| v.is_finite())?;
            Some((p, v))
        })
        .collect();
    // The quarter first, then the year: the year's value is the one kept.
    of_quarter.sort_by_key(|(p, _)| (p.year, p.is_annual()));
    let mut by_year: std::collections::BTreeMap<u16, f64> =
        of_quarter.into_iter().map(|(p, v)| (p.year, v)).collect();
    if let Some(v) = row.value.as_ref().and_then(|v| v.number()) {
        by_year.insert(now.year, v);
    }
    line_by_year(&by_year, quarter)
}

/// The line through one value a year, placed at `quarter` of each year.
fn line_by_year(
    by_year: &std::collections::BTreeMap<u16, f64>,
    quarter: u8,
) -> (Option<Line>, Vec<(u16, f64)>) {
    let years: Vec<(u16, f64)> = by_year.iter().map(|(y, v)| (*y, *v)).collect();
    let (Some(&(first, _)), Some(&(last, _))) = (years.first(), years.last()) else {
        return (None, years);
    };
    let values: Vec<Option<f64>> = (first..=last).map(|y| by_year.get(&y).copied()).collect();
    let line = fit_values(&values).map(|(per_year, at_first)| Line {
        slope_per_quarter: per_year / 4.0,
        at_first,
        first: Period {
            year: first,
            quarter,
        },
    });
    (line, years)
}

/// [`fit`] over bare values, one per quarter (public for the fuzz target).
pub fn fit_values(values: &[Option<f64>]) -> Option<(f64, f64)> {
    let xy: Vec<(f64, f64)> = values
        .iter()
        .enumerate()
        .filter_map(|(i, v)| Some((i as f64, (*v)?)))
        .filter(|(_, y)| y.is_finite())
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
    let at_first = mean_y - slope * mean_x;
    (slope.is_finite() && at_first.is_finite()).then_some((slope, at_first))
}

fn project(
    row: &RowAssessment,
    line: Option<Line>,
    used: usize,
    step: Step,
    stage_year: u16,
    now: Period,
) -> Projection {
    // A target in words (达到考核要求, 稳中向好) has no point a line could reach.
    let Some(target) = row.indicator.target_for(stage_year).comparison else {
        return Projection::None;
    };
    let Some(last) = row.value.as_ref().and_then(|v| v.number()) else {
        return Projection::None;
    };
    if row.status != Status::Unmet {
        return Projection::None;
    }
    let Some(line) = line else {
        return Projection::TooFewPoints(used);
    };
    let seen_from = match step {
        // An annual row is seen from its own data year, not from the quarter of the build.
        Step::DataYear => row
            .data_year
            .map_or(now, |year| Period { year, quarter: 4 }),
        Step::Quarter | Step::SameQuarter => now,
    };
    let heading = heading(
        (line.slope_per_quarter, line.at_first),
        last,
        target,
        line.first,
        seen_from,
        stage_year,
    );
    match (heading, step) {
        (Projection::Reaches(p), Step::DataYear) => Projection::ReachesYear(p.year),
        // The first same quarter at or after the crossing.
        (Projection::Reaches(p), Step::SameQuarter) => Projection::Reaches(Period {
            year: if p.quarter <= now.quarter {
                p.year
            } else {
                p.year.saturating_add(1)
            },
            quarter: now.quarter,
        }),
        (other, _) => other,
    }
}

/// Where the line `at_first + slope × i` (`i` counted in quarters from `first`) heads against
/// `target`, seen in the quarter `now` whose value is `last`. Public for the fuzz target.
pub fn heading(
    (slope, at_first): (f64, f64),
    last: f64,
    target: Comparison,
    first: Period,
    now: Period,
    stage_year: u16,
) -> Projection {
    let toward = match target.op {
        Op::AtLeast | Op::Above => slope > 0.0,
        Op::AtMost | Op::Below => slope < 0.0,
        Op::Equal => (target.threshold - last) * slope > 0.0,
    };
    let stage_end = index(Period {
        year: stage_year,
        quarter: 4,
    });
    let rest_of_stage = (stage_end - index(now)).max(4) as f64;
    let change = slope.abs() * rest_of_stage;
    if change.is_nan() || change < FLAT {
        return Projection::Flat; // within rounding, or no number at all
    }
    if !toward {
        return Projection::MovingAway(slope);
    }
    match crossing_quarter(slope, at_first, target.threshold, index(first))
        .and_then(|q| period_at(q.max(index(now) + 1)))
        .filter(|p| p.year <= 2100)
    {
        Some(p) => Projection::Reaches(p),
        None => Projection::TooSlow(slope),
    }
}

/// The first quarter (as an index) at or after which the line `at_first + slope × i` meets
/// `threshold`, counting `i` from the quarter `first`; `None` when it is not a quarter any
/// period can name. Checked all the way: a slope of 1e-18 puts the crossing past `i64`.
fn crossing_quarter(slope: f64, at_first: f64, threshold: f64, first: i64) -> Option<i64> {
    let crossing = ((threshold - at_first) / slope).ceil();
    // Periods end in 2100 (Period::parse): anything past 400 years of quarters is no date.
    if !crossing.is_finite() || crossing.abs() > 1600.0 {
        return None;
    }
    first.checked_add(crossing as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crossings_out_of_reach_are_no_quarter() {
        assert_eq!(crossing_quarter(1e-18, -2e-18, 40.0, 8100), None);
        assert_eq!(crossing_quarter(f64::MIN_POSITIVE, 0.0, 1.0, 0), None);
        assert_eq!(crossing_quarter(0.0, 0.0, 1.0, 0), None);
        assert_eq!(crossing_quarter(f64::NAN, 0.0, 1.0, 0), None);
        assert_eq!(crossing_quarter(2.0, 60.0, 65.0, 100), Some(103));
    }

    #[test]
    fn a_line_through_infinite_or_huge_values_is_no_line() {
        assert!(fit(&points(&[Some(1e308), Some(1e308), Some(1e308)])).is_none());
        // An infinite point is not a point: three finite ones still make a line.
        let (m, _) = fit(&points(&[
            Some(f64::INFINITY),
            Some(1.0),
            Some(2.0),
            Some(3.0),
        ]))
        .unwrap();
        assert!((m - 1.0).abs() < 1e-9);
    }

    #[test]
    fn a_rise_within_rounding_is_flat_and_a_tiny_slope_reaches_no_quarter() {
        let now = Period {
            year: 2026,
            quarter: 3,
        };
        let first = Period {
            year: 2026,
            quarter: 1,
        };
        let at_least = |threshold| Comparison {
            op: Op::AtLeast,
            threshold,
        };
        let line = fit_values(&[Some(-2e-18), Some(-1e-18), Some(0.0)]).unwrap();
        assert_eq!(
            heading(line, 0.0, at_least(90.0), first, now, 2030),
            Projection::Flat
        );
        // Past rounding but so slow that no period can name the crossing.
        let slow = heading((1e-3, 0.0), 0.0, at_least(1e9), first, now, 2030);
        assert_eq!(slow, Projection::TooSlow(1e-3));
        assert_eq!(
            heading((5.0, 60.0), 70.0, at_least(90.0), first, now, 2030),
            Projection::Reaches(Period {
                year: 2027,
                quarter: 3
            })
        );
    }

    fn points(values: &[Option<f64>]) -> Vec<Option<Point>> {
        values
            .iter()
            .map(|v| {
                v.map(|n| Point {
                    value: Some(n),
                    text: n.to_string(),
                    data_year: None,
                })
            })
            .collect()
    }

    #[test]
    fn a_line_through_points_with_a_gap() {
        // 60, 65, (gap), 75: five a quarter from 60.
        let (m, b) = fit(&points(&[Some(60.0), Some(65.0), None, Some(75.0)])).unwrap();
        assert!((m - 5.0).abs() < 1e-9 && (b - 60.0).abs() < 1e-9);
        assert!(fit(&points(&[Some(60.0), None, None, Some(75.0)])).is_none());
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
