//! Lint: what makes a schema unusable (errors, with file and line) and where the entries
//! disagree with the figures the plan declares (warnings).

use super::measure::{Accumulation, Frequency, GapKind};
use super::raw::{parse_assessment, parse_attribute, Raw, RawIndicator, Source};
use super::standard::Standard;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use toml::Spanned;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Debug, Clone, Serialize)]
pub struct LintFinding {
    pub severity: Severity,
    pub code: &'static str,
    pub file: String,
    pub line: Option<usize>,
    pub message: String,
}

impl std::fmt::Display for LintFinding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let level = match self.severity {
            Severity::Error => "错误",
            Severity::Warning => "提示",
        };
        match self.line {
            Some(line) => write!(
                f,
                "{}:{}: {}[{}] {}",
                self.file, line, level, self.code, self.message
            ),
            None => write!(
                f,
                "{}: {}[{}] {}",
                self.file, level, self.code, self.message
            ),
        }
    }
}

struct Findings(Vec<LintFinding>);

impl Findings {
    fn error<T>(&mut self, src: &Source, at: &Spanned<T>, code: &'static str, message: String) {
        self.0.push(LintFinding {
            severity: Severity::Error,
            code,
            file: src.name.clone(),
            line: Some(src.line(at.span().start)),
            message,
        });
    }
}

/// Errors and warnings that need the files' spans.
pub(super) fn structural(raw: &Raw) -> Vec<LintFinding> {
    let mut f = Findings(Vec::new());
    let domains: BTreeSet<&str> = raw.header.1.domains.iter().map(String::as_str).collect();
    let units = check_units(raw, &mut f);
    check_vocabulary(raw, &mut f);
    let ids = check_indicators(raw, &domains, &units, &mut f);
    check_projects(raw, &domains, &units, &ids, &mut f);
    let (src, header) = &raw.header;
    if let Some(m) = header.warning_margin.filter(|m| !(0.0..1.0).contains(m)) {
        f.0.push(LintFinding {
            severity: Severity::Error,
            code: "S020",
            file: src.name.clone(),
            line: None,
            message: format!(
                "warning_margin = {m} 无效：应为标准值的比例，不小于0且小于1（如 0.03 表示3%）"
            ),
        });
    }
    for s in &header.declared.system {
        if !domains.contains(s.name.get_ref().as_str()) {
            f.error(
                src,
                &s.name,
                "S012",
                format!("体系“{}”不在 domains 列表中", s.name.get_ref()),
            );
        }
    }
    f.0
}

/// Unit names (and aliases) → whether the unit may report indicators.
fn check_units(raw: &Raw, f: &mut Findings) -> BTreeMap<String, bool> {
    let (src, units) = &raw.units;
    let mut names = BTreeMap::new();
    let mut spellings: BTreeMap<String, String> = BTreeMap::new();
    for u in &units.unit {
        let kind = u.kind.get_ref().as_str();
        if kind != "department" && kind != "project" {
            f.error(
                src,
                &u.kind,
                "S014",
                format!("单位类型“{kind}”无效，应为 department 或 project"),
            );
        }
        names.insert(u.name.get_ref().clone(), kind == "department");
        for spelling in std::iter::once(&u.name).chain(&u.aliases) {
            let k = crate::text::key(spelling.get_ref());
            if let Some(owner) = spellings.insert(k, u.name.get_ref().clone()) {
                f.error(
                    src,
                    spelling,
                    "S013",
                    format!(
                        "单位名称或别名“{}”重复（已属于“{}”）",
                        spelling.get_ref(),
                        owner
                    ),
                );
            }
        }
    }
    names
}

fn check_vocabulary(raw: &Raw, f: &mut Findings) {
    let (src, vocabulary) = &raw.vocabulary;
    let mut owner: BTreeMap<String, String> = BTreeMap::new();
    for w in &vocabulary.word {
        for spelling in std::iter::once(&w.word).chain(&w.synonyms) {
            let k = crate::text::key(spelling.get_ref());
            if let Some(o) = owner.get(&k) {
                f.error(
                    src,
                    spelling,
                    "S005",
                    format!(
                        "“{}”同时被“{}”和“{}”使用：一个写法只能对应一个词",
                        spelling.get_ref(),
                        o,
                        w.word.get_ref()
                    ),
                );
            } else {
                owner.insert(k, w.word.get_ref().clone());
            }
        }
    }
}

fn check_indicators(
    raw: &Raw,
    domains: &BTreeSet<&str>,
    units: &BTreeMap<String, bool>,
    f: &mut Findings,
) -> BTreeSet<String> {
    let (src, list) = &raw.indicators;
    let words: BTreeSet<String> = raw
        .vocabulary
        .1
        .word
        .iter()
        .map(|w| crate::text::key(w.word.get_ref()))
        .collect();
    let mut ids = BTreeSet::new();
    let mut parents: BTreeMap<String, (&str, &str, &str, &str)> = BTreeMap::new();
    for ind in &list.indicator {
        let id = ind.id.get_ref();
        if !valid_id(id) {
            f.error(
                src,
                &ind.id,
                "S015",
                format!("指标序号“{id}”格式无效，应为 7 或 7.1 这样的形式"),
            );
        }
        if !ids.insert(id.clone()) {
            f.error(src, &ind.id, "S001", format!("指标序号“{id}”重复"));
        }
        if !domains.contains(ind.domain.get_ref().as_str()) {
            f.error(
                src,
                &ind.domain,
                "S007",
                format!(
                    "指标 {id} 的领域“{}”不在 domains 列表中",
                    ind.domain.get_ref()
                ),
            );
        }
        match units.get(ind.department.get_ref()) {
            None => f.error(src, &ind.department, "S002", format!(
                "指标 {id} 的填报单位“{}”不在 units.toml 中", ind.department.get_ref()
            )),
            Some(false) => f.error(src, &ind.department, "S002", format!(
                "指标 {id} 的填报单位“{}”在 units.toml 中是工程单位（kind = \"project\"），不能填报指标",
                ind.department.get_ref()
            )),
            Some(true) => {}
        }
        if parse_attribute(ind.attribute.get_ref()).is_none() {
            f.error(
                src,
                &ind.attribute,
                "S008",
                format!(
                    "指标 {id} 的属性“{}”无效，应为 约束性 或 参考性",
                    ind.attribute.get_ref()
                ),
            );
        }
        if parse_assessment(ind.assessment_2021.get_ref()).is_none() {
            f.error(
                src,
                &ind.assessment_2021,
                "S009",
                format!(
                    "指标 {id} 的2021年可达性“{}”无效，应为 已达、未达、未达(难) 或 /",
                    ind.assessment_2021.get_ref()
                ),
            );
        }
        check_standard(src, ind, &words, f);
        check_measure(src, ind, f);
        check_parent(src, ind, &mut parents, f);
    }
    ids.extend(parents.into_keys());
    ids
}

/// An indicator's standard parses, and the words it lists are the vocabulary's and fit it.
fn check_standard(src: &Source, ind: &RawIndicator, words: &BTreeSet<String>, f: &mut Findings) {
    let id = ind.id.get_ref();
    match Standard::parse(ind.standard.get_ref()) {
        None => f.error(
            src,
            &ind.standard,
            "S003",
            format!(
                "指标 {id} 的标准“{}”无法解析：应为 ≥ N、≤ N、> N、< N、= N、定性 或 无上级目标",
                ind.standard.get_ref()
            ),
        ),
        Some(Standard::Qualitative) if ind.met.is_empty() => f.error(
            src,
            &ind.standard,
            "S010",
            format!("定性指标 {id} 没有列出达标词（met）"),
        ),
        Some(Standard::Numeric { .. }) | Some(Standard::NoTarget)
            if !ind.met.is_empty() || !ind.not_met.is_empty() =>
        {
            f.error(
                src,
                &ind.standard,
                "S010",
                format!("数值指标 {id} 不应列出 met / not_met 词"),
            )
        }
        _ => {}
    }
    for w in ind.met.iter().chain(&ind.not_met) {
        if !words.contains(&crate::text::key(w.get_ref())) {
            f.error(
                src,
                w,
                "S010",
                format!(
                    "指标 {id} 的词“{}”不在 vocabulary.toml 中（须写词本身，不写同义词）",
                    w.get_ref()
                ),
            );
        }
    }
}

/// The row's 口径 is complete: how often it has a new value, what a quarterly value covers,
/// how its gap is written, and a current target only where the plan's has expired.
fn check_measure(src: &Source, ind: &RawIndicator, f: &mut Findings) {
    let id = ind.id.get_ref();
    let frequency = ind
        .frequency
        .as_ref()
        .map(|x| Frequency::parse(x.get_ref()));
    match (&ind.frequency, frequency.flatten()) {
        (None, _) => f.error(
            src,
            &ind.id,
            "S016",
            format!("指标 {id} 没有写 frequency（数据多久更新一次）：应为 季度 或 年度"),
        ),
        (Some(x), None) => f.error(
            src,
            x,
            "S016",
            format!(
                "指标 {id} 的 frequency“{}”无效，应为 季度 或 年度",
                x.get_ref()
            ),
        ),
        _ => {}
    }
    let accumulation = ind.accumulation.as_ref();
    match (frequency.flatten(), accumulation) {
        (Some(Frequency::Quarterly), None) => f.error(
            src,
            &ind.id,
            "S017",
            format!(
                "季度指标 {id} 没有写 accumulation：应为 累计（年初至本期末）或 时点（期末状态）"
            ),
        ),
        (Some(Frequency::Quarterly), Some(a)) if Accumulation::parse(a.get_ref()).is_none() => f
            .error(
                src,
                a,
                "S017",
                format!(
                    "指标 {id} 的 accumulation“{}”无效，应为 累计 或 时点",
                    a.get_ref()
                ),
            ),
        (Some(Frequency::Annual), Some(a)) => f.error(
            src,
            a,
            "S017",
            format!("年度指标 {id} 不应写 accumulation（只有季度指标分累计与时点）"),
        ),
        _ => {}
    }
    let kind = ind.gap.as_ref().map(|g| g.get_ref().as_str());
    if GapKind::parse(kind, ind.gap_state.as_deref()).is_none() {
        let at = ind.gap.as_ref().unwrap_or(&ind.id);
        f.error(
            src,
            at,
            "S018",
            format!(
                "指标 {id} 的 gap 无效：应为 数值、指数，或 状态 并用 gap_state 写明未达标时的状态"
            ),
        );
    }
    if ind.current_standard.is_some() != ind.current_standard_period.is_some() {
        let at = ind.current_standard.as_ref().unwrap_or(&ind.id);
        f.error(
            src,
            at,
            "S019",
            format!("指标 {id} 的 current_standard 和 current_standard_period 须一起写：现行目标及其所属规划期（如“十四五”）"),
        );
    }
    if ind.target_period_ended
        && !matches!(
            Standard::parse(ind.standard.get_ref()),
            Some(Standard::Numeric { .. })
        )
    {
        f.error(
            src,
            &ind.standard,
            "S019",
            format!("指标 {id} 写了 target_period_ended，但它的标准不是数值：到期的上级目标只用于数值型标准"),
        );
    }
    if let Some(c) = &ind.current_standard {
        if !ind.target_period_ended {
            f.error(
                src,
                c,
                "S019",
                format!("指标 {id} 写了 current_standard，但没有 target_period_ended = true：现行目标只用于替换已到期的上级目标"),
            );
        }
        if !matches!(Standard::parse(c.get_ref()), Some(Standard::Numeric { .. })) {
            f.error(
                src,
                c,
                "S019",
                format!(
                    "指标 {id} 的现行目标“{}”无法解析：应为 ≥ N、≤ N、> N、< N 或 = N",
                    c.get_ref()
                ),
            );
        }
    }
    if ind
        .warning_margin
        .is_some_and(|m| !(m.is_finite() && m >= 0.0))
    {
        f.error(
            src,
            &ind.id,
            "S020",
            format!("指标 {id} 的 warning_margin 应为不小于0的数"),
        );
    }
}

/// The sub-rows of one indicator agree with each other and are numbered under it.
fn check_parent<'a>(
    src: &Source,
    ind: &'a RawIndicator,
    parents: &mut BTreeMap<String, (&'a str, &'a str, &'a str, &'a str)>,
    f: &mut Findings,
) {
    let id = ind.id.get_ref();
    if let Some(parent) = &ind.parent {
        let this = (
            ind.parent_name.as_deref().unwrap_or(""),
            ind.domain.get_ref().as_str(),
            ind.task.as_str(),
            ind.attribute.get_ref().as_str(),
        );
        let first = *parents.entry(parent.get_ref().clone()).or_insert(this);
        if first != this {
            f.error(
                src,
                parent,
                "S011",
                format!(
                    "指标 {id} 与同属指标 {} 的其他子项在名称、领域、任务或属性上不一致",
                    parent.get_ref()
                ),
            );
        }
        if !id.starts_with(&format!("{}.", parent.get_ref())) {
            f.error(
                src,
                parent,
                "S011",
                format!("子项 {id} 的序号不以上级指标 {}. 开头", parent.get_ref()),
            );
        }
    }
}

fn valid_id(id: &str) -> bool {
    let mut parts = id.split('.');
    let ok = |p: Option<&str>| {
        p.is_some_and(|p| !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit()))
    };
    match (parts.next(), parts.next(), parts.next()) {
        (a, None, None) => ok(a),
        (a, b @ Some(_), None) => ok(a) && ok(b),
        _ => false,
    }
}

fn check_projects(
    raw: &Raw,
    domains: &BTreeSet<&str>,
    units: &BTreeMap<String, bool>,
    ids: &BTreeSet<String>,
    f: &mut Findings,
) {
    let (src, list) = &raw.projects;
    let mut nos = BTreeSet::new();
    for p in &list.project {
        let no = *p.no.get_ref();
        if !nos.insert(no) {
            f.error(src, &p.no, "S006", format!("工程序号 {no} 重复"));
        }
        if !domains.contains(p.system.get_ref().as_str()) {
            f.error(
                src,
                &p.system,
                "S012",
                format!(
                    "工程 {no} 的体系“{}”不在 domains 列表中",
                    p.system.get_ref()
                ),
            );
        }
        if !units.contains_key(p.unit.get_ref()) {
            f.error(
                src,
                &p.unit,
                "S002",
                format!(
                    "工程 {no} 的责任单位“{}”不在 units.toml 中",
                    p.unit.get_ref()
                ),
            );
        }
        for s in &p.supports {
            if !ids.contains(s.get_ref()) {
                f.error(
                    src,
                    s,
                    "S004",
                    format!("工程 {no} 支撑的指标“{}”不存在", s.get_ref()),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_have_the_plan_shape() {
        assert!(valid_id("7"));
        assert!(valid_id("7.1"));
        assert!(!valid_id("7-1"));
        assert!(!valid_id("7.1.2"));
        assert!(!valid_id(""));
        assert!(!valid_id("7."));
    }
}
