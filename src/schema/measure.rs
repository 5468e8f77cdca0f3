//! How an indicator is measured (its 口径): how often a new value exists, whether a quarterly
//! value is 年初至本期末累计 or a state at the end of the period, how its gap is written, and
//! how close to its standard a met value is worth a warning. Every rule of comparison and
//! trend that respects 口径 reads these, never the indicator's id.

use serde::Serialize;

/// How often a new value of a row exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Frequency {
    /// Monitored continuously: each quarter has its own value.
    #[serde(rename = "季度")]
    Quarterly,
    /// An annual statistic: in Q1–Q3 the latest year's value is reported with its 数据年份.
    #[serde(rename = "年度")]
    Annual,
}

impl Frequency {
    pub fn parse(s: &str) -> Option<Frequency> {
        match s {
            "季度" => Some(Frequency::Quarterly),
            "年度" => Some(Frequency::Annual),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Frequency::Quarterly => "季度",
            Frequency::Annual => "年度",
        }
    }
}

/// What a quarterly value covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Accumulation {
    /// 年初至本期末累计 (优良天数比例): comparable with the same quarter of another year only.
    #[serde(rename = "累计")]
    YearToDate,
    /// A state at the end of the period (a 制度 in place): comparable with the last quarter.
    #[serde(rename = "时点")]
    PointInTime,
}

impl Accumulation {
    pub fn parse(s: &str) -> Option<Accumulation> {
        match s {
            "累计" => Some(Accumulation::YearToDate),
            "时点" => Some(Accumulation::PointInTime),
            _ => None,
        }
    }
}

/// How the distance to a standard is written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GapKind {
    /// A number in the value's 计量单位 (个百分点 between percentages).
    Amount,
    /// A unitless index: a number and no unit.
    Index,
    /// A state, not a distance (8.2: the one 国控断面 still 劣Ⅴ类): the words say what is
    /// not yet so.
    State(String),
}

impl GapKind {
    /// `gap` and `gap_state` of indicators.toml; `None` for an unknown kind or a 状态 without
    /// its words (lint reports both).
    pub fn parse(kind: Option<&str>, state: Option<&str>) -> Option<GapKind> {
        match (kind, state) {
            (None | Some("数值"), None) => Some(GapKind::Amount),
            (Some("指数"), None) => Some(GapKind::Index),
            (Some("状态"), Some(s)) if !s.trim().is_empty() => {
                Some(GapKind::State(s.to_string()))
            }
            _ => None,
        }
    }
}

/// The share of a standard's threshold within which a met value is 黄 (schema.toml's
/// `warning_margin`, unless an indicator sets its own margin in its unit).
pub const DEFAULT_WARNING_SHARE: f64 = 0.03;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gap_kinds_parse_only_whole() {
        assert_eq!(GapKind::parse(None, None), Some(GapKind::Amount));
        assert_eq!(GapKind::parse(Some("指数"), None), Some(GapKind::Index));
        assert_eq!(
            GapKind::parse(Some("状态"), Some("仍为劣Ⅴ类")),
            Some(GapKind::State("仍为劣Ⅴ类".into()))
        );
        assert_eq!(GapKind::parse(Some("状态"), None), None);
        assert_eq!(GapKind::parse(Some("指数"), Some("x")), None);
        assert_eq!(GapKind::parse(Some("比例"), None), None);
        assert_eq!(Frequency::parse("年度"), Some(Frequency::Annual));
        assert_eq!(Frequency::parse("每年"), None);
        assert_eq!(Accumulation::parse("累计"), Some(Accumulation::YearToDate));
    }
}
