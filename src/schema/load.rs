//! Parsing the schema files (serde, `deny_unknown_fields`) and building the [`Schema`].
//!
//! Fields whose mistakes lint must place on a line (ids, departments, standards …) are read as
//! `toml::Spanned`, so a finding can say `indicators.toml:112`.

use super::lint::{self, LintFinding, Severity};
use super::measure::{Accumulation, Frequency, GapKind};
use super::raw::{
    parse_assessment, parse_attribute, Raw, RawHeader, RawIndicator, RawIndicators, RawProjects,
    RawUnits, RawVocabulary, Source,
};
use super::standard::{Standard, Target};
use super::{
    Attribute, Declared, DeclaredSystem, Indicator, Meta, PlanAssessment, Project, Schema, Unit,
    UnitKind, Word,
};
use serde::de::DeserializeOwned;
use std::collections::BTreeMap;
use toml::Spanned;

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SchemaError {
    #[error("无法读取指标体系文件 {path}：{source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{file}:{line}: 指标体系文件格式错误：{message}")]
    Parse {
        file: String,
        line: usize,
        message: String,
    },
    #[error("指标体系文件有 {} 处错误，请逐条修改后重试", .0.iter().filter(|f| f.severity == Severity::Error).count())]
    Lint(Vec<LintFinding>),
}

fn parse<T: DeserializeOwned>(name: String, text: String) -> Result<(Source, T), SchemaError> {
    let source = Source { name, text };
    match toml::from_str::<T>(&source.text) {
        Ok(value) => Ok((source, value)),
        Err(e) => Err(SchemaError::Parse {
            line: e.span().map(|s| source.line(s.start)).unwrap_or(1),
            message: e.message().to_string(),
            file: source.name,
        }),
    }
}

/// Parses, lints and builds. `sources` are `(name, text)` in the order of [`super::FILES`].
pub(super) fn load(sources: Vec<(String, String)>, origin: String) -> Result<Schema, SchemaError> {
    let mut it = sources.into_iter();
    let mut next = || it.next().unwrap_or_default();
    let (n, t) = next();
    let header = parse::<RawHeader>(n, t)?;
    let (n, t) = next();
    let units = parse::<RawUnits>(n, t)?;
    let (n, t) = next();
    let vocabulary = parse::<RawVocabulary>(n, t)?;
    let (n, t) = next();
    let indicators = parse::<RawIndicators>(n, t)?;
    let (n, t) = next();
    let projects = parse::<RawProjects>(n, t)?;
    let raw = Raw {
        header,
        units,
        vocabulary,
        indicators,
        projects,
    };

    let mut findings = lint::structural(&raw);
    if findings.iter().any(|f| f.severity == Severity::Error) {
        return Err(SchemaError::Lint(findings));
    }
    let mut schema = build(raw, origin);
    findings.extend(super::declared::declared_against_derived(&schema));
    schema.warnings = findings;
    Ok(schema)
}

fn build(raw: Raw, origin: String) -> Schema {
    let (_, h) = raw.header;
    let meta = Meta {
        county: h.county,
        title: h.title,
        version: h.version,
        source: h.source,
        domains: h.domains,
        warning_share: h
            .warning_margin
            .unwrap_or(super::measure::DEFAULT_WARNING_SHARE),
    };
    let d = h.declared;
    let declared = Declared {
        indicators: d.indicators,
        binding: d.binding,
        reference: d.reference,
        met_2021: d.met_2021,
        unmet_2021: d.unmet_2021,
        unmet_easy_2021: d.unmet_easy_2021,
        unmet_hard_2021: d.unmet_hard_2021,
        projects: d.projects,
        total_investment_yi: d.total_investment_yi,
        systems: d
            .system
            .into_iter()
            .map(|s| DeclaredSystem {
                name: s.name.into_inner(),
                projects: s.projects,
                subtotal: s.subtotal,
            })
            .collect(),
    };
    let units: Vec<Unit> = raw
        .units
        .1
        .unit
        .into_iter()
        .map(|u| Unit {
            name: u.name.into_inner(),
            kind: if u.kind.get_ref() == "project" {
                UnitKind::Project
            } else {
                UnitKind::Department
            },
            aliases: u.aliases.into_iter().map(Spanned::into_inner).collect(),
        })
        .collect();
    let words: Vec<Word> = raw
        .vocabulary
        .1
        .word
        .into_iter()
        .map(|w| Word {
            word: w.word.into_inner(),
            synonyms: w.synonyms.into_iter().map(Spanned::into_inner).collect(),
        })
        .collect();
    let mut word_by_key = BTreeMap::new();
    for (i, w) in words.iter().enumerate() {
        for spelling in std::iter::once(&w.word).chain(&w.synonyms) {
            word_by_key.insert(crate::text::key(spelling), i);
        }
    }
    let indicators: Vec<Indicator> = raw
        .indicators
        .1
        .indicator
        .into_iter()
        .map(build_indicator)
        .collect();
    let projects: Vec<Project> = raw
        .projects
        .1
        .project
        .into_iter()
        .map(|p| Project {
            no: p.no.into_inner(),
            system: p.system.into_inner(),
            category: p.category,
            name: p.name,
            content: p.content,
            years: p.years,
            investment: p.investment,
            unit: p.unit.into_inner(),
            attribute: p.attribute,
            supports: p.supports.into_iter().map(Spanned::into_inner).collect(),
        })
        .collect();
    let names = super::NameKeys::new(&indicators, &units, &projects);
    Schema {
        names,
        meta,
        declared,
        units,
        words,
        indicators,
        projects,
        origin,
        warnings: Vec::new(),
        conditions: Vec::new(),
        word_by_key,
    }
}

/// Only called after lint found no error, so the fallbacks below are never taken.
fn build_indicator(r: RawIndicator) -> Indicator {
    // A current superior target recorded for an expired one replaces it; the plan's words
    // stay in `standard_text` for the 附件.
    let current = r
        .current_standard
        .as_ref()
        .and_then(|c| Standard::parse(c.get_ref()));
    let standard = current
        .clone()
        .or_else(|| Standard::parse(r.standard.get_ref()))
        .unwrap_or(Standard::NoTarget);
    let frequency = r
        .frequency
        .as_ref()
        .and_then(|f| Frequency::parse(f.get_ref()))
        .unwrap_or(Frequency::Annual);
    let accumulation = r
        .accumulation
        .as_ref()
        .and_then(|a| Accumulation::parse(a.get_ref()));
    let target_2025 = Target::parse(&r.target_2025).toward(&standard);
    let target_2030 = Target::parse(&r.target_2030).toward(&standard);
    let gap_kind = GapKind::parse(
        r.gap.as_ref().map(|g| g.get_ref().as_str()),
        r.gap_state.as_deref(),
    )
    .unwrap_or(GapKind::Amount);
    let unit = match r.value_unit {
        Some(u) if u.is_empty() => None,
        Some(u) => Some(u),
        None if standard.is_qualitative() || r.unit == "-" => None,
        None => Some(r.unit.clone()),
    };
    Indicator {
        id: r.id.into_inner(),
        parent: r.parent.map(Spanned::into_inner),
        parent_name: r.parent_name,
        domain: r.domain.into_inner(),
        task: r.task,
        name: r.name,
        plan_measure_unit: r.unit,
        measure_unit: unit,
        attribute: parse_attribute(r.attribute.get_ref()).unwrap_or(Attribute::Reference),
        standard_text: r.standard_text,
        standard,
        superior: r.superior,
        target_period_ended: r.target_period_ended && current.is_none(),
        current_standard_period: current.and(r.current_standard_period),
        frequency,
        accumulation: accumulation.filter(|_| frequency == Frequency::Quarterly),
        warning_margin: r.warning_margin,
        gap_kind,
        report_name: r.report_name,
        met: r.met.into_iter().map(Spanned::into_inner).collect(),
        not_met: r.not_met.into_iter().map(Spanned::into_inner).collect(),
        baseline: r.baseline,
        baseline_year: r.baseline_year,
        assessment_2021: parse_assessment(r.assessment_2021.get_ref())
            .unwrap_or(PlanAssessment::NotApplicable),
        target_2025,
        target_2030,
        not_applicable: r.not_applicable,
        signed: r.signed,
        department: r.department.into_inner(),
        report_hint: r.report_hint,
        note: r.note,
    }
}
