//! Standards and targets as the code evaluates them.
//!
//! The plan writes a standard as `≥20`, `100`, `上级规定目标: 83` or a phrase. The schema
//! file carries the plan's text beside an evaluable form (`≥ 20`, `= 100`, `定性`,
//! `无上级目标`); this module parses that form and evaluates a value against it.

use crate::text::format_number;
use serde::Serialize;
use std::fmt;

/// Tolerance for comparing reported numbers with thresholds: values arrive as typed decimals
/// (87.5) or as percent cells (0.875 × 100), whose binary forms differ in the last bits.
const EPSILON: f64 = 1e-9;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Op {
    #[serde(rename = "≥")]
    AtLeast,
    #[serde(rename = "≤")]
    AtMost,
    #[serde(rename = ">")]
    Above,
    #[serde(rename = "<")]
    Below,
    #[serde(rename = "=")]
    Equal,
}

impl Op {
    fn symbol(self) -> &'static str {
        match self {
            Op::AtLeast => "≥",
            Op::AtMost => "≤",
            Op::Above => ">",
            Op::Below => "<",
            Op::Equal => "=",
        }
    }
}

/// `op threshold`, e.g. `≥ 83`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Comparison {
    pub op: Op,
    pub threshold: f64,
}

impl Comparison {
    /// Parses `≥ 20`, `>=20`, `≤35`, `> 60`, `= 100` and a bare number (which means `=`).
    pub fn parse(text: &str) -> Option<Comparison> {
        let s = crate::text::nfkc(text);
        let (op, rest) = [
            ("≥", Op::AtLeast),
            (">=", Op::AtLeast),
            ("≤", Op::AtMost),
            ("<=", Op::AtMost),
            (">", Op::Above),
            ("<", Op::Below),
            ("=", Op::Equal),
        ]
        .iter()
        .find_map(|(p, op)| s.strip_prefix(p).map(|rest| (*op, rest)))
        .unwrap_or((Op::Equal, s.as_str()));
        let threshold: f64 = rest.trim().parse().ok()?;
        threshold
            .is_finite()
            .then_some(Comparison { op, threshold })
    }

    pub fn holds(&self, value: f64) -> bool {
        let t = self.threshold;
        match self.op {
            Op::AtLeast => value >= t - EPSILON,
            Op::AtMost => value <= t + EPSILON,
            Op::Above => value > t + EPSILON,
            Op::Below => value < t - EPSILON,
            Op::Equal => (value - t).abs() <= EPSILON,
        }
    }

    /// How far `value` is from meeting the comparison (0 when met): the distance to the
    /// threshold, in the indicator's unit.
    pub fn shortfall(&self, value: f64) -> f64 {
        if self.holds(value) {
            return 0.0;
        }
        (value - self.threshold).abs()
    }
}

impl fmt::Display for Comparison {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.op.symbol(), format_number(self.threshold))
    }
}

/// What an indicator's 指标值 means to the code.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Standard {
    /// A numeric comparison.
    Numeric { comparison: Comparison },
    /// Met when the reported word is one of the indicator's `met` words.
    Qualitative,
    /// No target has been set from above (indicator 16): met when a value is reported.
    NoTarget,
}

impl Standard {
    pub fn parse(text: &str) -> Option<Standard> {
        match crate::text::nfkc(text).as_str() {
            "定性" => Some(Standard::Qualitative),
            "无上级目标" => Some(Standard::NoTarget),
            other => Comparison::parse(other).map(|comparison| Standard::Numeric { comparison }),
        }
    }

    pub fn is_qualitative(&self) -> bool {
        matches!(self, Standard::Qualitative)
    }
}

/// A 2025 or 2030 planning target: evaluable where the plan gives a number, text otherwise.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Target {
    pub text: String,
    pub comparison: Option<Comparison>,
}

impl Target {
    /// A bare number (29's 2025 target “95”) is a level to reach in the standard's own
    /// direction (≥95 beside ≥32), not a value to hit exactly.
    pub fn toward(mut self, standard: &Standard) -> Target {
        if let (Some(c), Standard::Numeric { comparison }) = (&mut self.comparison, standard) {
            let bare = !self
                .text
                .trim_start()
                .starts_with(['≥', '≤', '>', '<', '=']);
            if bare && c.op == Op::Equal && comparison.op != Op::Equal {
                c.op = comparison.op;
            }
        }
        self
    }

    pub fn parse(text: &str) -> Target {
        Target {
            text: text.to_string(),
            comparison: Comparison::parse(text),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_forms_the_schema_uses() {
        let c = Comparison::parse("≥ 20").unwrap();
        assert_eq!((c.op, c.threshold), (Op::AtLeast, 20.0));
        assert_eq!(Comparison::parse("<=156.9").unwrap().op, Op::AtMost);
        assert_eq!(Comparison::parse("100").unwrap().op, Op::Equal);
        assert_eq!(Comparison::parse("＞６０").unwrap().op, Op::Above);
        assert!(Comparison::parse("稳中向好").is_none());
        assert!(Comparison::parse("≥").is_none());
        assert!(Comparison::parse("≥ NaN").is_none());
    }

    #[test]
    fn boundaries_are_inclusive_where_the_sign_says_so() {
        let c = Comparison::parse("≥ 83").unwrap();
        assert!(c.holds(83.0));
        assert!(c.holds(0.83 * 100.0));
        assert!(!c.holds(82.99));
        assert!(!Comparison::parse("> 60").unwrap().holds(60.0));
        assert!(Comparison::parse("= 100").unwrap().holds(100.0));
        assert!(!Comparison::parse("= 100").unwrap().holds(99.9));
    }

    #[test]
    fn shortfall_is_zero_when_met() {
        let c = Comparison::parse("≤ 35").unwrap();
        assert_eq!(c.shortfall(30.0), 0.0);
        assert!((c.shortfall(38.5) - 3.5).abs() < 1e-9);
    }

    #[test]
    fn standard_keywords() {
        assert_eq!(Standard::parse("定性"), Some(Standard::Qualitative));
        assert_eq!(Standard::parse("无上级目标"), Some(Standard::NoTarget));
        assert!(Standard::parse("上级规定目标").is_none());
    }
}
