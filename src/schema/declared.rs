//! What the plan declares against what its entries add up to: the derived figures (35
//! indicators, 19/16, subtotals …), the warnings where they differ, and the readings of the
//! plan (an empty attribute cell) that a departure rests on, for the report to say.

use super::lint::{LintFinding, Severity};
use super::{Attribute, PlanAssessment, Schema};
use crate::text::format_number;
use serde::Serialize;

/// Figures derived from the entries, compared with what the plan declares.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Derived {
    pub indicators: u32,
    pub binding: u32,
    pub reference: u32,
    pub met_2021: u32,
    pub unmet_easy_2021: u32,
    pub unmet_hard_2021: u32,
    pub projects: u32,
    pub total_investment_wan: f64,
    pub systems: Vec<(String, u32, f64)>,
}

pub fn derive(schema: &Schema) -> Derived {
    let groups = schema.groups();
    let count = |pred: &dyn Fn(&super::IndicatorGroup) -> bool| {
        groups.iter().filter(|g| pred(g)).count() as u32
    };
    let systems = schema
        .meta
        .domains
        .iter()
        .map(|d| {
            let ps: Vec<_> = schema.projects.iter().filter(|p| &p.system == d).collect();
            let sum = ps.iter().filter_map(|p| p.investment).sum::<f64>();
            (d.clone(), ps.len() as u32, sum)
        })
        .collect();
    Derived {
        indicators: groups.len() as u32,
        binding: count(&|g| g.attribute == Attribute::Binding),
        reference: count(&|g| g.attribute == Attribute::Reference),
        met_2021: count(&|g| g.assessment_2021() == PlanAssessment::Met),
        unmet_easy_2021: count(&|g| g.assessment_2021() == PlanAssessment::Unmet),
        unmet_hard_2021: count(&|g| g.assessment_2021() == PlanAssessment::UnmetHard),
        projects: schema.projects.len() as u32,
        total_investment_wan: schema.projects.iter().filter_map(|p| p.investment).sum(),
        systems,
    }
}

/// An indicator whose attribute the schema had to read (its cell empty in the plan): the
/// counts by attribute rest on it.
#[derive(Debug, Clone, PartialEq)]
pub struct AttributeReading<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub attribute: Attribute,
    /// The note's first clause: why it had to be read (`专栏1本行属性栏为空`).
    pub why: &'a str,
}

/// The indicators whose note says how their attribute was read.
pub fn attribute_readings(schema: &Schema) -> Vec<AttributeReading<'_>> {
    schema
        .indicators()
        .iter()
        .filter_map(|i| {
            let note = i.note.as_deref().filter(|n| n.contains("属性"))?;
            let why = note.split(['：', '，', '。']).next().unwrap_or(note);
            Some(AttributeReading {
                id: &i.id,
                name: i.group_name(),
                attribute: i.attribute,
                why,
            })
        })
        .collect()
}

/// Why the count of binding indicators departs from what the plan declares (`None` when it
/// does not, or the plan declares none): the readings it rests on, for the report.
pub fn binding_departure(schema: &Schema) -> Option<(u32, Vec<AttributeReading<'_>>)> {
    let declared = schema.declared.binding?;
    (declared != derive(schema).binding).then(|| (declared, attribute_readings(schema)))
}

/// Warnings where the plan's stated figures differ from what its tables add up to.
pub(super) fn declared_against_derived(schema: &Schema) -> Vec<LintFinding> {
    let d = &schema.declared;
    let got = derive(schema);
    let file = "schema.toml".to_string();
    let mut out = Vec::new();
    let mut warn = |what: String, declared: String, derived: String, why: &str| {
        out.push(LintFinding {
            severity: Severity::Warning,
            code: "S101",
            file: file.clone(),
            line: None,
            message: format!("规划写明{what}为 {declared}，按条目计算为 {derived}{why}"),
        });
    };
    let read_attributes: Vec<&str> = attribute_readings(schema)
        .into_iter()
        .map(|r| r.id)
        .collect();
    let depends = if read_attributes.is_empty() {
        String::new()
    } else {
        format!(
            "（取决于指标{}属性的认定，见 indicators.toml 中的说明）",
            read_attributes.join("、")
        )
    };
    let ints: [(&str, Option<u32>, u32, &str); 8] = [
        ("指标总数", d.indicators, got.indicators, ""),
        ("约束性指标数", d.binding, got.binding, &depends),
        ("参考性指标数", d.reference, got.reference, &depends),
        ("2021年已达标指标数", d.met_2021, got.met_2021, ""),
        (
            "2021年未达标指标数",
            d.unmet_2021,
            got.unmet_easy_2021 + got.unmet_hard_2021,
            "",
        ),
        (
            "2021年易达指标数",
            d.unmet_easy_2021,
            got.unmet_easy_2021,
            "",
        ),
        (
            "2021年难达指标数",
            d.unmet_hard_2021,
            got.unmet_hard_2021,
            "",
        ),
        ("重点工程数", d.projects, got.projects, ""),
    ];
    for (what, declared, derived, why) in ints {
        if let Some(declared) = declared.filter(|&x| x != derived) {
            warn(
                what.to_string(),
                declared.to_string(),
                derived.to_string(),
                why,
            );
        }
    }
    if let Some(yi) = d.total_investment_yi {
        let derived = got.total_investment_wan / 10_000.0;
        if (derived - yi).abs() >= 0.005 {
            warn(
                "总投资（亿元）".into(),
                format_number(yi),
                format!("{derived:.2}"),
                "",
            );
        }
    }
    for s in &d.systems {
        let Some((_, n, sum)) = got.systems.iter().find(|(name, _, _)| name == &s.name) else {
            continue;
        };
        if let Some(p) = s.projects.filter(|p| p != n) {
            warn(
                format!("{}体系工程数", s.name),
                p.to_string(),
                n.to_string(),
                "",
            );
        }
        if let Some(sub) = s.subtotal.filter(|sub| (sub - sum).abs() >= 0.005) {
            warn(
                format!("{}体系投资小计（万元）", s.name),
                format!("{sub:.2}"),
                format!("{sum:.2}"),
                "（附表小计与所列工程投资之和不符）",
            );
        }
    }
    out
}
