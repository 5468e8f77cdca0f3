//! How values, standards and gaps are written for people, the same in the report and in
//! 汇总表: each indicator in its own terms (a percentage's difference in 个百分点, an index as a
//! bare number, a state in its words), and the 预警 reasons.

use crate::assess::{Crossing, Reason, RowAssessment};
use crate::schema::{GapKind, Op, Standard};
use crate::text::format_number;

pub fn n2(v: f64) -> String {
    format_number((v * 100.0).round() / 100.0)
}

/// A value as the report writes it, with the year of an annual statistic: `18%（2025年度）`. In a
/// year's report the year's own statistics go without it: only an older one says its year.
pub fn shown_value(r: &RowAssessment, period: crate::period::Period) -> String {
    let shown = match (&r.value, &r.text) {
        (Some(crate::value::Value::Number(n)), _) => in_its_unit(*n, r),
        (Some(_), Some(t)) => format!("“{t}”"),
        _ => return "（无）".into(),
    };
    match r.data_year {
        Some(y) if !(period.is_annual() && y == period.year) => format!("{shown}（{y}年度）"),
        _ => shown,
    }
}

/// A number of the row as the report writes it: `86.4%`, `27微克/立方米`.
pub fn in_its_unit(n: f64, r: &RowAssessment) -> String {
    let unit = r.indicator.measure_unit.as_deref().unwrap_or("");
    format!("{}{unit}", format_number(n))
}

/// The plan's 指标值 in its own words, without a `上级规定目标：` label:
/// `三分闸前国控考核断面达到Ⅴ类`, `“十三五”下降14`.
pub fn plan_words(r: &RowAssessment) -> String {
    let plan = r.indicator.plan_standard();
    plan.split_once('：')
        .map_or(plan.clone(), |(_, words)| words.to_string())
}

pub fn standard(r: &RowAssessment) -> String {
    let ind = r.indicator;
    if let GapKind::State(_) = ind.gap_kind {
        // A state is met or not (三分闸前国控考核断面达到Ⅴ类), not a number to reach.
        return plan_words(r);
    }
    match &ind.standard {
        // “标准为100%”, not “标准为=100%”.
        Standard::Numeric { comparison } if comparison.op == crate::schema::standard::Op::Equal => {
            format!(
                "{}{}",
                format_number(comparison.threshold),
                ind.measure_unit.as_deref().unwrap_or("")
            )
        }
        Standard::Numeric { comparison } => {
            format!(
                "{}{}",
                comparison,
                ind.measure_unit.as_deref().unwrap_or("")
            )
        }
        Standard::Qualitative => format!("“{}”", ind.met.join("”或“")),
        Standard::NoTarget => ind.standard_text.clone(),
    }
}

/// A gap still to cover, in the indicator's own terms: in its unit, a difference between two
/// percentages in 个百分点 as official writing does (尚差2个百分点, never 尚差2%), an index as a
/// bare number, a state in its words (仍为劣Ⅴ类水体).
pub fn with_measure_unit(v: Option<f64>, r: &RowAssessment) -> Option<String> {
    v.filter(|g| *g > 0.0).map(|g| match &r.indicator.gap_kind {
        GapKind::State(state) => state.clone(),
        GapKind::Index => n2(g),
        GapKind::Amount => match r.indicator.measure_unit.as_deref() {
            Some("%") => format!("{}个百分点", n2(g)),
            unit => format!("{}{}", n2(g), unit.unwrap_or("")),
        },
    })
}

/// A target as the report writes it: with its measure unit when it is a number (`≥25%`, not
/// `≥25`); words (达到考核要求) as they are.
pub fn target_text(text: &str, r: &RowAssessment) -> String {
    let measure = r.indicator.measure_unit.as_deref().filter(|u| *u != "—");
    match measure {
        Some(u) if text.ends_with(|c: char| c.is_ascii_digit()) => format!("{text}{u}"),
        _ => text.to_string(),
    }
}

/// An amount in the row's unit, as a difference: `0.6个百分点`, `4.6立方米/万元`, `1.2`.
pub fn amount(v: f64, r: &RowAssessment) -> String {
    match (&r.indicator.gap_kind, r.indicator.measure_unit.as_deref()) {
        (GapKind::Index, _) | (_, None) => n2(v),
        (_, Some("%")) => format!("{}个百分点", n2(v)),
        (_, Some(unit)) => format!("{}{unit}", n2(v)),
    }
}

/// A rate of change as the report writes it: `约5个百分点`, or `不到0.01个百分点` for one too small
/// for two decimals (never 约0).
pub fn change(v: f64, r: &RowAssessment) -> String {
    if v.abs() < 0.005 {
        format!("不到{}", amount(0.01, r))
    } else {
        format!("约{}", amount(v.abs(), r))
    }
}

/// How the value moved, 环比 then 同比, where both values are numbers:
/// `较2026年第二季度（环比）上升1.2个百分点，较2025年第三季度（同比）下降0.5个百分点`.
pub fn changes(r: &RowAssessment) -> Option<String> {
    let phrase = |c: &crate::assess::Change, kind: &str| {
        let v = c.change?;
        let when = match c.basis {
            crate::assess::Basis::PreviousYear(_) => c.basis.when(),
            _ => format!("{}（{kind}）", c.basis.when()),
        };
        Some(if v.abs() < 0.005 {
            format!("与{when}持平")
        } else {
            let direction = if v > 0.0 { "上升" } else { "下降" };
            format!("较{when}{direction}{}", amount(v.abs(), r))
        })
    };
    let parts: Vec<String> = [
        r.on_period.as_ref().and_then(|c| phrase(c, "环比")),
        r.on_year.as_ref().and_then(|c| phrase(c, "同比")),
    ]
    .into_iter()
    .flatten()
    .collect();
    (!parts.is_empty()).then(|| parts.join("，"))
}

/// Why a row is 红 or 黄, in a phrase: `高于标准（≥43%）仅0.6个百分点，在预警范围（1.29个百分点）内`.
pub fn reason_text(reason: &Reason, r: &RowAssessment) -> String {
    match reason {
        Reason::Unmet => "未达标".to_string(),
        Reason::NoData { why } => format!("暂无数据（{why}）"),
        Reason::Pending => "上级目标已到期，待登记现行目标".to_string(),
        Reason::Margin { by, margin } => {
            let side = match &r.indicator.standard {
                Standard::Numeric { comparison }
                    if matches!(comparison.op, Op::AtMost | Op::Below) =>
                {
                    "低于"
                }
                _ => "高于",
            };
            if *by < 0.005 {
                format!(
                    "恰好达到标准（{}），在预警范围（{}）内",
                    standard(r),
                    amount(*margin, r)
                )
            } else {
                format!(
                    "{side}标准（{}）仅{}，在预警范围（{}）内",
                    standard(r),
                    amount(*by, r),
                    amount(*margin, r)
                )
            }
        }
        Reason::Crossing {
            when,
            points,
            slope,
        } => {
            let (per, word, at) = match when {
                Crossing::Quarter(p) => ("每季度", "个季度", p.chinese()),
                Crossing::Year(y) => ("每年", "个年度", format!("{y}年度")),
            };
            let direction = if *slope >= 0.0 { "上升" } else { "下降" };
            format!(
                "按{points}{word}数值的变化速度（{per}{direction}{}）推算，{at}将不再达到标准（{}）",
                change(*slope, r),
                standard(r)
            )
        }
        Reason::Missed2025 { gap } => format!(
            "2025年规划目标（{}）未实现，尚差{}",
            target_text(&r.indicator.target_2025.text, r),
            amount(*gap, r)
        ),
    }
}
