//! 基本条件 that the indicators answer: 环境质量不降低 is the change of the air and water rows
//! against the year before, not a unit's word for it, wherever history has that year.

use super::consolidate::{Assessment, Basis, RowAssessment};
use super::status::Status;
use crate::period::Period;
use crate::schema::{Answer, Condition, Op, Standard};
use crate::value::Value;

/// A condition as its indicators answer it.
#[derive(Debug, Clone)]
pub struct Derived<'a> {
    /// What every row was compared with: `2025年度`, `2025年第四季度`.
    pub against: String,
    /// The rows compared, in the condition's order.
    pub compared: Vec<&'a RowAssessment<'a>>,
    /// Those that got worse.
    pub worse: Vec<&'a RowAssessment<'a>>,
}

impl Derived<'_> {
    /// The answer the indicators give: the one that meets the condition unless a row got worse.
    pub fn answer(&self, meets: Answer) -> Answer {
        if self.worse.is_empty() {
            meets
        } else {
            meets.other()
        }
    }
}

/// `c` answered by its indicators in a year's build; `None` when it names none, or when any of
/// them lacks this year's value or last year's, or its value is 待核实 (the answering unit's
/// word stands then: a 一票否决 condition is never decided on a doubted figure).
pub fn derive<'a>(c: &Condition, a: &'a Assessment<'a>) -> Option<Derived<'a>> {
    if c.indicators.is_empty() || !a.period.is_annual() {
        return None;
    }
    let mut derived = Derived {
        against: String::new(),
        compared: Vec::new(),
        worse: Vec::new(),
    };
    for id in &c.indicators {
        let row = a.rows.iter().find(|r| r.id == id)?;
        if matches!(row.value, Some(Value::NotApplicable)) {
            continue;
        }
        let before = row.on_year.as_ref()?;
        let last_year = a.period.year.checked_sub(1)?;
        let of_last_year = match before.basis {
            Basis::PreviousYear(y) | Basis::SameQuarterLastYear(Period { year: y, .. }) => {
                y == last_year
            }
            Basis::LastPeriod(_) => false,
        };
        if !of_last_year || row.unverified.is_some() || row.status == Status::Pending {
            return None;
        }
        if derived.against.is_empty() {
            derived.against = before.basis.when();
        }
        if got_worse(row)? {
            derived.worse.push(row);
        }
        derived.compared.push(row);
    }
    (!derived.compared.is_empty()).then_some(derived)
}

/// Whether the row's value is worse than last year's, by the direction its standard gives;
/// `None` when that cannot be told (no number, no direction).
fn got_worse(row: &RowAssessment) -> Option<bool> {
    let before = row.on_year.as_ref()?;
    let ind = row.indicator;
    // Within rounding (two decimals) is no change.
    const SAME: f64 = 0.005;
    match (&ind.standard, row.value.as_ref()?) {
        (Standard::Numeric { comparison }, Value::Number(now)) => {
            let was = before.previous_number?;
            Some(match comparison.op {
                Op::AtLeast | Op::Above => now - was < -SAME,
                Op::AtMost | Op::Below => now - was > SAME,
                Op::Equal => {
                    (now - comparison.threshold).abs() > (was - comparison.threshold).abs() + SAME
                }
            })
        }
        (Standard::Qualitative, Value::Word(now)) => {
            let met = |w: &str| ind.met.iter().any(|m| m == w);
            Some(met(&before.previous) && !met(now))
        }
        _ => None,
    }
}
