//! The status of one row: 达标 / 未达标 / 待核实 / 不适用 / 缺数据.

use crate::schema::{Indicator, Standard};
use crate::value::Value;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    Met,
    Unmet,
    /// A value measured against a superior target whose plan period has ended, with no
    /// current one recorded: neither met nor unmet until the office records the target.
    Pending,
    NotApplicable,
    NoData,
}

/// The word is the contract's (`status` in JSON) and the one every output shows: one place.
impl Serialize for Status {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.label())
    }
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::Met => "达标",
            Status::Unmet => "未达标",
            Status::Pending => "待核实",
            Status::NotApplicable => "不适用",
            Status::NoData => "缺数据",
        }
    }

    pub const ALL: [Status; 5] = [
        Status::Met,
        Status::Unmet,
        Status::Pending,
        Status::NotApplicable,
        Status::NoData,
    ];
}

/// The status of one row given its value (`None`: no accepted value).
pub fn evaluate(ind: &Indicator, value: Option<&Value>) -> Status {
    match (value, &ind.standard) {
        (None, _) => Status::NoData,
        (Some(Value::NotApplicable), _) => Status::NotApplicable,
        (Some(_), Standard::Numeric { .. }) if ind.target_period_ended => Status::Pending,
        (Some(Value::Number(v)), Standard::Numeric { comparison }) => {
            if comparison.holds(*v) {
                Status::Met
            } else {
                Status::Unmet
            }
        }
        (Some(Value::Word(w)), Standard::Qualitative) => {
            if ind.met.iter().any(|m| m == w) {
                Status::Met
            } else {
                Status::Unmet
            }
        }
        (Some(_), Standard::NoTarget) => Status::Met,
        // A value of the wrong kind never gets here (validation rejects it); if it did, the
        // honest answer is that there is no usable value.
        (Some(_), _) => Status::NoData,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Schema;

    #[test]
    fn statuses() {
        let s = Schema::builtin().unwrap();
        let i = |id: &str| s.indicator(id).unwrap();
        assert_eq!(evaluate(i("7.1"), Some(&Value::Number(83.0))), Status::Met);
        assert_eq!(
            evaluate(i("7.1"), Some(&Value::Number(82.9))),
            Status::Unmet
        );
        assert_eq!(
            evaluate(i("7.2"), Some(&Value::Number(36.0))),
            Status::Unmet
        );
        assert_eq!(
            evaluate(i("1"), Some(&Value::Word("正在编制".into()))),
            Status::Unmet
        );
        assert_eq!(
            evaluate(i("1"), Some(&Value::Word("制定实施".into()))),
            Status::Met
        );
        assert_eq!(
            evaluate(i("8.3"), Some(&Value::NotApplicable)),
            Status::NotApplicable
        );
        assert_eq!(evaluate(i("16"), Some(&Value::Number(95.0))), Status::Met);
        // 17's target is 十三五's and no current one is recorded.
        assert_eq!(
            evaluate(i("17"), Some(&Value::Number(3.0))),
            Status::Pending
        );
        assert_eq!(evaluate(i("17"), None), Status::NoData);
        assert_eq!(evaluate(i("25"), None), Status::NoData);
        assert_eq!(evaluate(i("8.2"), Some(&Value::Number(100.0))), Status::Met);
        assert_eq!(
            evaluate(i("8.2"), Some(&Value::Number(60.0))),
            Status::Unmet
        );
    }
}
