//! The indicator schema: 专栏1's 44 rows, the 附表's 30 projects, the reporting units and the
//! qualitative vocabulary, loaded from the TOML files under `templates/` and linted.
//!
//! The shipped files are compiled into the binary so the tool runs from any folder;
//! `--schema DIR` replaces them with the files of DIR.

pub mod conditions;
mod declared;
mod lint;
mod load;
pub mod measure;
mod raw;
pub mod standard;

use crate::text::format_number;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

pub use conditions::{Answer, Condition};
pub use declared::{
    attribute_readings, binding_departure, derive as lint_derive, AttributeReading, Derived,
};
pub use lint::{LintFinding, Severity};
pub use load::SchemaError;
pub use measure::{Accumulation, Frequency, GapKind};
pub use standard::{Comparison, Op, Standard, Target};

/// The schema files, by name, in the order they are loaded.
pub const FILES: [&str; 5] = [
    "schema.toml",
    "units.toml",
    "vocabulary.toml",
    "indicators.toml",
    "projects.toml",
];

const BUILTIN: [(&str, &str); 5] = [
    ("schema.toml", include_str!("../../templates/schema.toml")),
    ("units.toml", include_str!("../../templates/units.toml")),
    (
        "vocabulary.toml",
        include_str!("../../templates/vocabulary.toml"),
    ),
    (
        "indicators.toml",
        include_str!("../../templates/indicators.toml"),
    ),
    (
        "projects.toml",
        include_str!("../../templates/projects.toml"),
    ),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Attribute {
    #[serde(rename = "约束性")]
    Binding,
    #[serde(rename = "参考性")]
    Reference,
}

impl Attribute {
    pub fn label(self) -> &'static str {
        match self {
            Attribute::Binding => "约束性",
            Attribute::Reference => "参考性",
        }
    }
}

/// 指标可达性 as the plan assessed 2021.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum PlanAssessment {
    #[serde(rename = "/")]
    NotApplicable,
    #[serde(rename = "已达")]
    Met,
    #[serde(rename = "未达")]
    Unmet,
    #[serde(rename = "未达(难)")]
    UnmetHard,
}

impl PlanAssessment {
    pub fn label(self) -> &'static str {
        match self {
            PlanAssessment::NotApplicable => "/",
            PlanAssessment::Met => "已达",
            PlanAssessment::Unmet => "未达",
            PlanAssessment::UnmetHard => "未达(难)",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    /// Reports indicators (and projects, where the 附表 names it).
    Department,
    /// Appears only as a project's 责任单位: sends the project sheet alone.
    Project,
}

#[derive(Debug, Clone, Serialize)]
pub struct Unit {
    pub name: String,
    pub kind: UnitKind,
    pub aliases: Vec<String>,
}

/// One row of 专栏1 (an indicator, or a sub-row such as 7.1).
#[derive(Debug, Clone, Serialize)]
pub struct Indicator {
    pub id: String,
    pub parent: Option<String>,
    pub parent_name: Option<String>,
    pub domain: String,
    pub task: String,
    pub name: String,
    /// The plan's 单位 column, the 计量单位 of its target (`-` where it has none).
    #[serde(rename = "plan_unit")]
    pub plan_measure_unit: String,
    /// The 计量单位 of the reported value; `None` for a qualitative indicator. (A bare "unit"
    /// in this crate is always a 填报单位.) `unit` in JSON, as in indicators.toml.
    #[serde(rename = "unit")]
    pub measure_unit: Option<String>,
    pub attribute: Attribute,
    pub standard_text: String,
    pub standard: Standard,
    pub superior: bool,
    /// The superior target belongs to a plan period that has ended and no current one is
    /// recorded: the row is 待核实 whatever its value.
    pub target_period_ended: bool,
    pub met: Vec<String>,
    pub not_met: Vec<String>,
    pub baseline: String,
    pub baseline_year: Option<u16>,
    pub assessment_2021: PlanAssessment,
    pub target_2025: Target,
    pub target_2030: Target,
    pub not_applicable: bool,
    /// A rate of change: may be negative.
    pub signed: bool,
    pub department: String,
    pub report_hint: Option<String>,
    pub note: Option<String>,
    pub frequency: Frequency,
    /// For a quarterly row: 累计 or 时点.
    pub accumulation: Option<Accumulation>,
    /// How close above its standard a met value is 黄, in the value's unit (the schema's
    /// share of the threshold where the row sets none).
    pub warning_margin: Option<f64>,
    pub gap_kind: GapKind,
    /// What the row reports, where the plan's name says something else (7.2: the plan names a
    /// 下降幅度, the unit reports PM2.5平均浓度): the report and 汇总表 use it, the 附件 the
    /// plan's name.
    pub report_name: Option<String>,
    /// The plan period of the current superior target that replaced an expired one.
    pub current_standard_period: Option<String>,
}

impl Indicator {
    /// The target of the stage ending in `stage_year` (see `Period::stage_year`).
    pub fn target_for(&self, stage_year: u16) -> &Target {
        if stage_year <= 2025 {
            &self.target_2025
        } else {
            &self.target_2030
        }
    }

    /// The id of the indicator this row counts towards among the 35 (`7` for `7.1`).
    pub fn group_id(&self) -> &str {
        self.parent.as_deref().unwrap_or(&self.id)
    }

    /// The name of the 35-level indicator.
    pub fn group_name(&self) -> &str {
        self.parent_name.as_deref().unwrap_or(&self.name)
    }

    /// What the row is called where its value is shown: what it reports (`report_name`)
    /// where the plan's name says something else.
    pub fn reported_name(&self) -> &str {
        self.report_name.as_deref().unwrap_or(&self.name)
    }

    /// Full display name where values are shown (the report, 汇总表):
    /// `环境空气质量—优良天数比例` for a sub-row, `环境空气质量—PM2.5平均浓度` for 7.2.
    pub fn full_name(&self) -> String {
        self.joined(self.reported_name())
    }

    /// The full name as the plan writes it (the form, the 附件, the schema).
    pub fn plan_full_name(&self) -> String {
        self.joined(&self.name)
    }

    fn joined(&self, name: &str) -> String {
        match &self.parent_name {
            Some(p) if p != name => format!("{p}—{name}"),
            _ => name.to_string(),
        }
    }

    pub fn is_percent(&self) -> bool {
        self.measure_unit.as_deref() == Some("%")
    }

    /// The standard in words for a form or a table: `≥83`, `制定实施`.
    /// The plan's 指标值 as 专栏1 writes it, for people (附件, 指标总览): the schema keeps a
    /// 上级规定目标 as `上级规定目标: 83`, printed with the full-width colon of the text.
    pub fn plan_standard(&self) -> String {
        self.standard_text
            .replacen(": ", "：", 1)
            .replacen(':', "：", 1)
    }

    pub fn standard_label(&self) -> String {
        match &self.standard {
            // 100, not =100: an equality is read as the value itself.
            Standard::Numeric { comparison } if comparison.op == standard::Op::Equal => {
                format_number(comparison.threshold)
            }
            Standard::Numeric { comparison } => comparison.to_string(),
            Standard::Qualitative => self.met.join("/"),
            Standard::NoTarget => self.standard_text.clone(),
        }
    }
}

/// One of the 35 indicators: a row on its own, or a parent with its sub-rows.
#[derive(Debug, Clone)]
pub struct IndicatorGroup<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub domain: &'a str,
    pub attribute: Attribute,
    pub rows: Vec<&'a Indicator>,
}

impl IndicatorGroup<'_> {
    /// The plan's 2021 verdict on the indicator: its worst applicable row.
    pub fn assessment_2021(&self) -> PlanAssessment {
        self.rows
            .iter()
            .map(|r| r.assessment_2021)
            .max()
            .unwrap_or(PlanAssessment::NotApplicable)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Project {
    pub no: u32,
    pub system: String,
    pub category: String,
    pub name: String,
    pub content: String,
    pub years: String,
    /// 总投资 in 万元; `None` where the plan gives none.
    pub investment: Option<f64>,
    pub unit: String,
    pub attribute: String,
    /// Indicator ids (as the plan writes them) this project is the 达标工程 of.
    pub supports: Vec<String>,
}

impl Project {
    /// The years its 实施年限 spans (`2022-2025`, or one year).
    pub fn span(&self) -> Option<(u16, u16)> {
        let mut parts = self
            .years
            .split(['-', '—', '~', '至'])
            .map(|y| y.trim().parse::<u16>().ok());
        let start = parts.next()??;
        let end = parts.next_back().flatten().unwrap_or(start);
        Some((start, end.max(start)))
    }
}

/// A qualitative word and the other spellings that mean it.
#[derive(Debug, Clone, Serialize)]
pub struct Word {
    pub word: String,
    pub synonyms: Vec<String>,
}

/// Figures the plan states in prose or subtotals; lint compares them with the entries.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Declared {
    pub indicators: Option<u32>,
    pub binding: Option<u32>,
    pub reference: Option<u32>,
    pub met_2021: Option<u32>,
    pub unmet_2021: Option<u32>,
    pub unmet_easy_2021: Option<u32>,
    pub unmet_hard_2021: Option<u32>,
    pub projects: Option<u32>,
    pub total_investment_yi: Option<f64>,
    pub systems: Vec<DeclaredSystem>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DeclaredSystem {
    pub name: String,
    pub projects: Option<u32>,
    pub subtotal: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Meta {
    pub county: String,
    pub title: String,
    pub version: String,
    pub source: String,
    pub domains: Vec<String>,
    /// The share of a standard's threshold within which a met value is 黄.
    pub warning_share: f64,
}

#[derive(Debug, Clone)]
pub struct Schema {
    // The entries are read-only outside this module: the name keys below are computed from
    // them once, and an entry pushed afterwards would be invisible to every lookup.
    pub meta: Meta,
    pub declared: Declared,
    units: Vec<Unit>,
    words: Vec<Word>,
    indicators: Vec<Indicator>,
    projects: Vec<Project>,
    /// Where the schema came from: `内置` or the folder given with `--schema`.
    pub origin: String,
    /// Warnings lint found (errors stop loading).
    pub warnings: Vec<LintFinding>,
    /// 基本条件 each annual return answers.
    pub conditions: Vec<Condition>,
    word_by_key: BTreeMap<String, usize>,
    /// Matching keys computed once: every spelling of each indicator's name (by index), of
    /// each unit's name and aliases, and of each project's name.
    names: NameKeys,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct NameKeys {
    indicators: Vec<Vec<String>>,
    units: Vec<Vec<String>>,
    projects: Vec<String>,
}

/// `name` without the parts in brackets: `生态环境状况指数(干旱半干旱地区)` → `生态环境状况指数`.
fn without_brackets(name: &str) -> String {
    let mut depth = 0usize;
    name.chars()
        .filter(|c| match c {
            '(' | '（' | '[' | '【' => {
                depth += 1;
                false
            }
            ')' | '）' | ']' | '】' => {
                depth = depth.saturating_sub(1);
                false
            }
            _ => depth == 0,
        })
        .collect()
}

impl NameKeys {
    fn new(indicators: &[Indicator], units: &[Unit], projects: &[Project]) -> NameKeys {
        use crate::text::key;
        let mut indicator_keys: Vec<Vec<String>> = indicators
            .iter()
            .map(|i| {
                vec![
                    key(&i.name),
                    key(&i.plan_full_name()),
                    key(&i.full_name()),
                    key(&format!("{}{}", i.group_name(), i.name)),
                ]
            })
            .collect();
        // The name without its bracketed qualifier (“生态环境 状况指数” for
        // 生态环境状况指数(干旱半干旱地区)), where that names one indicator only.
        let bare: Vec<String> = indicators
            .iter()
            .map(|i| key(&without_brackets(&i.name)))
            .collect();
        for (i, b) in bare.iter().enumerate() {
            let unique = b.chars().count() >= 4
                && bare.iter().filter(|o| *o == b).count() == 1
                && indicator_keys
                    .iter()
                    .enumerate()
                    .all(|(j, keys)| j == i || !keys.contains(b));
            if let Some(keys) = indicator_keys
                .get_mut(i)
                .filter(|k| unique && !k.contains(b))
            {
                keys.push(b.clone());
            }
        }
        NameKeys {
            indicators: indicator_keys,
            units: units
                .iter()
                .map(|u| {
                    std::iter::once(&u.name)
                        .chain(&u.aliases)
                        .map(|n| key(n))
                        .collect()
                })
                .collect(),
            projects: projects.iter().map(|p| key(&p.name)).collect(),
        }
    }
}

impl Schema {
    pub fn indicators(&self) -> &[Indicator] {
        &self.indicators
    }

    pub fn projects(&self) -> &[Project] {
        &self.projects
    }

    pub fn units(&self) -> &[Unit] {
        &self.units
    }

    pub fn words(&self) -> &[Word] {
        &self.words
    }

    /// The schema compiled into the binary.
    pub fn builtin() -> Result<Schema, SchemaError> {
        let sources = BUILTIN
            .iter()
            .map(|(name, text)| (name.to_string(), text.to_string()))
            .collect();
        load::load(sources, "内置".to_string())?.with_conditions(None)
    }

    /// The schema files of `dir` (all five must be there).
    pub fn from_dir(dir: &Path) -> Result<Schema, SchemaError> {
        let mut sources = Vec::new();
        for name in FILES {
            let path = dir.join(name);
            let text = std::fs::read_to_string(&path).map_err(|source| SchemaError::Io {
                path: path.display().to_string(),
                source,
            })?;
            sources.push((path.display().to_string(), text));
        }
        load::load(sources, dir.display().to_string())?.with_conditions(Some(dir))
    }

    /// `--schema DIR` when given, the built-in schema otherwise.
    pub fn load(dir: Option<&Path>) -> Result<Schema, SchemaError> {
        match dir {
            Some(dir) => Schema::from_dir(dir),
            None => Schema::builtin(),
        }
    }

    /// With the 基本条件 of `dir` (its conditions.toml, else the built-in list), each answered
    /// by a unit of the schema.
    fn with_conditions(mut self, dir: Option<&Path>) -> Result<Schema, SchemaError> {
        self.conditions = conditions::load(dir)?;
        if let Some(c) = self
            .conditions
            .iter()
            .find(|c| self.unit_named(&c.unit).is_none())
        {
            return Err(SchemaError::Parse {
                file: conditions::FILE.to_string(),
                line: 1,
                message: format!("基本条件 {} 的作答单位“{}”不在单位名单中", c.id, c.unit),
            });
        }
        for c in &self.conditions {
            if let Some(id) = c.indicators.iter().find(|id| self.indicator(id).is_none()) {
                return Err(SchemaError::Parse {
                    file: conditions::FILE.to_string(),
                    line: 1,
                    message: format!("基本条件 {} 所依据的指标“{id}”不在指标体系中", c.id),
                });
            }
        }
        Ok(self)
    }

    /// The 基本条件 `unit` answers.
    pub fn conditions_of<'s>(&'s self, unit: &'s str) -> impl Iterator<Item = &'s Condition> {
        self.conditions.iter().filter(move |c| c.unit == unit)
    }

    pub fn indicator(&self, id: &str) -> Option<&Indicator> {
        self.indicators.iter().find(|i| i.id == id)
    }

    pub fn unit(&self, name: &str) -> Option<&Unit> {
        self.units.iter().find(|u| u.name == name)
    }

    /// The unit a 填报单位 cell names, by its name or an alias, after NFKC and without spaces.
    pub fn unit_named(&self, text: &str) -> Option<&Unit> {
        let k = crate::text::key(text);
        if k.is_empty() {
            return None;
        }
        let at = self.names.units.iter().position(|keys| keys.contains(&k))?;
        self.units.get(at)
    }

    /// The indicator whose name (alone, with its parent's, or joined to it) has key `k`.
    pub fn indicator_by_key(&self, k: &str) -> Option<&Indicator> {
        let at = self
            .names
            .indicators
            .iter()
            .position(|keys| keys.iter().any(|n| n == k))?;
        self.indicators.get(at)
    }

    /// The one indicator whose name (of four characters or more) the key `k` contains.
    pub fn indicator_within_key(&self, k: &str) -> Option<&Indicator> {
        let mut hits = self
            .names
            .indicators
            .iter()
            .enumerate()
            .filter(|(_, keys)| {
                keys.first()
                    .is_some_and(|n| n.chars().count() >= 4 && k.contains(n.as_str()))
            });
        match (hits.next(), hits.next()) {
            (Some((i, _)), None) => self.indicators.get(i),
            _ => None,
        }
    }

    /// The project whose name has key `k`.
    pub fn project_by_key(&self, k: &str) -> Option<&Project> {
        let at = self.names.projects.iter().position(|n| n == k)?;
        self.projects.get(at)
    }

    /// The canonical word for a typed word or synonym, if the vocabulary knows it.
    pub fn word(&self, typed: &str) -> Option<&str> {
        self.word_by_key
            .get(&crate::text::key(typed))
            .and_then(|&i| self.words.get(i))
            .map(|w| w.word.as_str())
    }

    /// The 35 indicators, in plan order.
    pub fn groups(&self) -> Vec<IndicatorGroup<'_>> {
        let mut groups: Vec<IndicatorGroup<'_>> = Vec::new();
        for row in &self.indicators {
            match groups.last_mut() {
                Some(g) if g.id == row.group_id() => g.rows.push(row),
                _ => groups.push(IndicatorGroup {
                    id: row.group_id(),
                    name: row.group_name(),
                    domain: &row.domain,
                    attribute: row.attribute,
                    rows: vec![row],
                }),
            }
        }
        groups
    }

    /// Rows reported by `unit`, in plan order.
    pub fn indicators_of<'a>(&'a self, unit: &'a str) -> impl Iterator<Item = &'a Indicator> {
        self.indicators.iter().filter(move |i| i.department == unit)
    }

    /// Projects whose 责任单位 is `unit`, in plan order.
    pub fn projects_of<'a>(&'a self, unit: &'a str) -> impl Iterator<Item = &'a Project> {
        self.projects.iter().filter(move |p| p.unit == unit)
    }

    /// Projects that are the 达标工程 of indicator `id` or of its parent.
    pub fn projects_supporting(&self, indicator: &Indicator) -> Vec<&Project> {
        self.projects
            .iter()
            .filter(|p| {
                p.supports
                    .iter()
                    .any(|s| s == &indicator.id || s == indicator.group_id())
            })
            .collect()
    }

    /// Units that send a return: every unit that reports an indicator or a project.
    pub fn reporting_units(&self) -> Vec<&Unit> {
        self.units
            .iter()
            .filter(|u| {
                self.indicators_of(&u.name).next().is_some()
                    || self.projects_of(&u.name).next().is_some()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_schema_loads_without_errors() {
        let s = Schema::builtin().unwrap();
        assert_eq!(s.indicators.len(), 44);
        assert_eq!(s.groups().len(), 35);
        assert_eq!(s.projects.len(), 30);
    }

    #[test]
    fn words_resolve_through_synonyms_and_width() {
        let s = Schema::builtin().unwrap();
        assert_eq!(s.word("已建立"), Some("建立"));
        assert_eq!(
            s.word("面积不减少,性质不改变,功能不降低"),
            Some("面积不减少，性质不改变，功能不降低")
        );
        assert_eq!(s.word("差不多"), None);
    }

    #[test]
    fn a_name_without_its_bracketed_qualifier_and_with_a_stray_space_is_recognised() {
        let s = Schema::builtin().unwrap();
        let k = crate::text::key("生态环境 状况指数");
        assert_eq!(s.indicator_by_key(&k).unwrap().id, "9");
        assert_eq!(without_brackets("林草覆盖率(干旱半干旱地区)"), "林草覆盖率");
    }

    #[test]
    fn units_resolve_by_alias() {
        let s = Schema::builtin().unwrap();
        assert_eq!(s.unit_named("土左旗 水务局").unwrap().name, "水务局");
        assert_eq!(s.unit_named("住房和城乡建设局").unwrap().name, "住建局");
        assert!(s.unit_named("教育局").is_none());
    }

    #[test]
    fn projects_supporting_a_sub_row_count_the_parent() {
        let s = Schema::builtin().unwrap();
        let nos: Vec<u32> = s
            .projects_supporting(s.indicator("8.2").unwrap())
            .iter()
            .map(|p| p.no)
            .collect();
        assert_eq!(nos, vec![11, 14]);
    }
}
