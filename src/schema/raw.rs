//! The schema files as serde reads them (`deny_unknown_fields`), before lint checks them and
//! [`super::load`] builds the [`super::Schema`]: fields whose mistakes lint must place on a
//! line are `toml::Spanned`.

use super::{Attribute, PlanAssessment};
use serde::Deserialize;
use toml::Spanned;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawHeader {
    pub county: String,
    pub title: String,
    pub version: String,
    pub source: String,
    pub domains: Vec<String>,
    pub warning_margin: Option<f64>,
    #[serde(default)]
    pub declared: RawDeclared,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawDeclared {
    pub indicators: Option<u32>,
    pub binding: Option<u32>,
    pub reference: Option<u32>,
    pub met_2021: Option<u32>,
    pub unmet_2021: Option<u32>,
    pub unmet_easy_2021: Option<u32>,
    pub unmet_hard_2021: Option<u32>,
    pub projects: Option<u32>,
    pub total_investment_yi: Option<f64>,
    #[serde(default)]
    pub system: Vec<RawDeclaredSystem>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawDeclaredSystem {
    pub name: Spanned<String>,
    pub projects: Option<u32>,
    pub subtotal: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawUnits {
    pub unit: Vec<RawUnit>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawUnit {
    pub name: Spanned<String>,
    pub kind: Spanned<String>,
    #[serde(default)]
    pub aliases: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawVocabulary {
    pub word: Vec<RawWord>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawWord {
    pub word: Spanned<String>,
    #[serde(default)]
    pub synonyms: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawIndicators {
    pub indicator: Vec<RawIndicator>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawIndicator {
    pub id: Spanned<String>,
    pub parent: Option<Spanned<String>>,
    pub parent_name: Option<String>,
    pub domain: Spanned<String>,
    pub task: String,
    pub name: String,
    pub unit: String,
    pub value_unit: Option<String>,
    pub attribute: Spanned<String>,
    pub standard_text: String,
    pub standard: Spanned<String>,
    #[serde(default)]
    pub superior: bool,
    #[serde(default)]
    pub target_period_ended: bool,
    #[serde(default)]
    pub met: Vec<Spanned<String>>,
    #[serde(default)]
    pub not_met: Vec<Spanned<String>>,
    pub baseline: String,
    pub baseline_year: Option<u16>,
    pub assessment_2021: Spanned<String>,
    pub target_2025: String,
    pub target_2030: String,
    #[serde(default)]
    pub not_applicable: bool,
    #[serde(default)]
    pub signed: bool,
    pub department: Spanned<String>,
    pub report_hint: Option<String>,
    pub note: Option<String>,
    pub frequency: Option<Spanned<String>>,
    pub accumulation: Option<Spanned<String>>,
    pub warning_margin: Option<f64>,
    pub gap: Option<Spanned<String>>,
    pub gap_state: Option<String>,
    pub report_name: Option<String>,
    pub current_standard: Option<Spanned<String>>,
    pub current_standard_period: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawProjects {
    pub project: Vec<RawProject>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawProject {
    pub no: Spanned<u32>,
    pub system: Spanned<String>,
    pub category: String,
    pub name: String,
    pub content: String,
    pub years: String,
    pub investment: Option<f64>,
    pub unit: Spanned<String>,
    pub attribute: String,
    #[serde(default)]
    pub supports: Vec<Spanned<String>>,
}

/// A schema file's name and text, so that a byte span can become a line number.
pub(super) struct Source {
    pub name: String,
    pub text: String,
}

impl Source {
    pub fn line(&self, offset: usize) -> usize {
        let end = offset.min(self.text.len());
        self.text
            .as_bytes()
            .get(..end)
            .unwrap_or_default()
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1
    }
}

/// The five files, parsed but not yet checked.
pub(super) struct Raw {
    pub header: (Source, RawHeader),
    pub units: (Source, RawUnits),
    pub vocabulary: (Source, RawVocabulary),
    pub indicators: (Source, RawIndicators),
    pub projects: (Source, RawProjects),
}

pub(super) fn parse_attribute(s: &str) -> Option<Attribute> {
    match s {
        "约束性" => Some(Attribute::Binding),
        "参考性" => Some(Attribute::Reference),
        _ => None,
    }
}

pub(super) fn parse_assessment(s: &str) -> Option<PlanAssessment> {
    match crate::text::nfkc(s).as_str() {
        "/" => Some(PlanAssessment::NotApplicable),
        "已达" => Some(PlanAssessment::Met),
        "未达" => Some(PlanAssessment::Unmet),
        "未达(难)" => Some(PlanAssessment::UnmetHard),
        _ => None,
    }
}
