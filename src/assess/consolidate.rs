//! Consolidation: the accepted values of one period, every indicator assessed, counted by
//! attribute and domain, and the projects totalled by system.

use super::status::{evaluate, Status};
use crate::period::Period;
use crate::schema::{Attribute, Indicator, Project, Schema, Standard};
use crate::text::format_number;
use crate::validate::{Checked, Code, ProjectEntry, Return, ReturnStatus};
use crate::value::Value;
use serde::Serialize;
use std::collections::BTreeMap;

pub use crate::read::previous::Previous;

/// Where a consolidated value came from.
#[derive(Debug, Clone, Serialize)]
pub struct Provenance {
    pub file: String,
    pub sheet: String,
    pub cell: crate::diagnostic::CellRef,
    pub sha256: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct RowAssessment<'a> {
    #[serde(skip)]
    pub indicator: &'a Indicator,
    pub id: &'a str,
    pub parent: Option<&'a str>,
    pub value: Option<Value>,
    pub text: Option<String>,
    pub status: Status,
    pub department: &'a str,
    /// Why there is no value: 未报送, 退回修改, 未填报该指标.
    pub missing_reason: Option<&'static str>,
    /// Distance to the standard still to cover (0 when met), numeric standards only.
    pub gap: Option<f64>,
    pub gap_2025: Option<f64>,
    pub gap_2030: Option<f64>,
    /// Value minus the 2021 baseline, where the baseline is a number.
    pub vs_baseline: Option<f64>,
    /// The year an annual row's value belongs to.
    pub data_year: Option<u16>,
    /// What the value is compared with, by its 口径 (`2025年度`, `2025年第三季度（同比）`,
    /// `2026年第二季度`); `None` where no comparable earlier value is on record.
    pub compared_with: Option<String>,
    /// The comparable earlier value as assessed then.
    pub previous: Option<String>,
    /// That value when it was a number (汇总表 stores it as one).
    pub previous_number: Option<f64>,
    pub vs_previous: Option<f64>,
    pub source: Option<Provenance>,
    pub data_source: Option<String>,
    pub remark: Option<String>,
    /// 待核实: why the value is in doubt (a warning about how it was read or what it means).
    /// Such a value is shown with its status but never decides a conclusion of the report.
    pub unverified: Option<String>,
}

impl RowAssessment<'_> {
    /// The value is 2025's own (an annual row with 数据年份 2025): only such a value says
    /// whether a 2025 plan target was reached. A 2026 quarter's figure, or 2024's, does not.
    pub fn is_of_2025(&self) -> bool {
        self.data_year == Some(2025)
    }

    /// The status as 汇总表 and the report show it: `未达标（待核实）` for a doubted value.
    pub fn status_label(&self) -> String {
        match self.unverified {
            // Already 待核实 by its target: the doubt about the value adds no second word.
            Some(_) if self.status == Status::Pending => self.status.label().to_string(),
            Some(_) => format!("{}（待核实）", self.status.label()),
            None => self.status.label().to_string(),
        }
    }
}

/// Warnings that put a value in doubt: how it was read (a fraction in a percent indicator, a
/// percentage scaled from a format we cannot see) or what it means (far from last period's).
/// A different value from a unit not assigned the indicator is not among them: it is a notice
/// to the office on that unit's return, or any unit could cast doubt on another's figure.
const DOUBTS: [Code; 3] = [
    Code::LooksLikeFraction,
    Code::FractionScaled,
    Code::LargeChange,
];

/// The first doubt about `id`'s value, from its own return.
fn doubt(own: &Return, id: &str) -> Option<String> {
    own.diagnostics
        .iter()
        .find(|d| d.indicator.as_deref() == Some(id) && DOUBTS.contains(&d.code))
        .map(|d| d.message.clone())
}

#[derive(Debug, Clone, Serialize)]
pub struct GroupAssessment<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub domain: &'a str,
    pub attribute: Attribute,
    pub status: Status,
    /// Indexes into [`Assessment::rows`].
    pub rows: Vec<usize>,
    /// Some row's value is 待核实.
    pub unverified: bool,
}

/// Counts of the 35 indicators by status.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Counts {
    pub met: u32,
    pub unmet: u32,
    /// Resting on an expired superior target: left out of the 达标率 until it is recorded.
    pub pending: u32,
    pub not_applicable: u32,
    pub no_data: u32,
}

impl Counts {
    fn add(&mut self, s: Status) {
        match s {
            Status::Met => self.met += 1,
            Status::Unmet => self.unmet += 1,
            Status::Pending => self.pending += 1,
            Status::NotApplicable => self.not_applicable += 1,
            Status::NoData => self.no_data += 1,
        }
    }

    pub fn total(&self) -> u32 {
        self.met + self.unmet + self.pending + self.not_applicable + self.no_data
    }

    pub fn get(&self, s: Status) -> u32 {
        match s {
            Status::Met => self.met,
            Status::Unmet => self.unmet,
            Status::Pending => self.pending,
            Status::NotApplicable => self.not_applicable,
            Status::NoData => self.no_data,
        }
    }

    /// The indicators a 达标率 is taken over: all but 不适用 and 待核实.
    pub fn assessed(&self) -> u32 {
        self.total() - self.not_applicable - self.pending
    }

    /// The counts as 汇总表 and the terminal list them; 待核实 only where there is one.
    pub fn in_words(&self) -> String {
        let pending = match self.pending {
            0 => String::new(),
            n => format!("，待核实 {n} 项"),
        };
        format!(
            "达标 {} 项，未达标 {} 项{pending}，不适用 {} 项，缺数据 {} 项",
            self.met, self.unmet, self.not_applicable, self.no_data
        )
    }

    /// The 达标率 as every output writes it: `85.0%`, or `—` with nothing to rate.
    pub fn rate_text(&self) -> String {
        self.rate()
            .map(|r| format!("{r:.1}%"))
            .unwrap_or_else(|| "—".into())
    }

    /// 达标率 as the plan counts it: 不适用 and 待核实 left out, 缺数据 counted as not met.
    pub fn rate(&self) -> Option<f64> {
        let denominator = self.assessed();
        (denominator > 0).then(|| self.met as f64 * 100.0 / denominator as f64)
    }
}

impl ProjectLine<'_> {
    /// It reports 累计完成 though the plan gives it no 总投资 (附表 “/”).
    pub fn spends_unplanned(&self) -> bool {
        self.project.investment.is_none() && self.entry.as_ref().is_some_and(|e| e.completed > 0.0)
    }

    /// 逾期未完工: its 实施年限 ended before `period`'s year and it is not 已完工.
    pub fn overdue(&self, period: Period) -> bool {
        let ended = self
            .project
            .span()
            .is_some_and(|(_, end)| end < period.year);
        let done = self
            .entry
            .as_ref()
            .is_some_and(|e| e.status == crate::validate::ProjectStatus::Done);
        ended && self.entry.is_some() && !done
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ProjectLine<'a> {
    #[serde(skip)]
    pub project: &'a Project,
    pub no: u32,
    pub entry: Option<ProjectEntry>,
    /// Why there is no entry: 未报送 or 退回修改.
    pub missing_reason: Option<&'static str>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct SystemTotal {
    pub system: String,
    pub projects: u32,
    pub investment: f64,
    pub completed: f64,
    pub reported: u32,
    pub done: u32,
    pub building: u32,
    pub paused: u32,
    pub not_started: u32,
    /// Projects counted in `completed` that the plan gives no 总投资 (附表 “/”).
    pub unplanned: Vec<u32>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Assessment<'a> {
    pub period: Period,
    pub rows: Vec<RowAssessment<'a>>,
    pub groups: Vec<GroupAssessment<'a>>,
    pub by_attribute: BTreeMap<Attribute, Counts>,
    pub by_domain: Vec<(String, Counts)>,
    pub all: Counts,
    /// 约束性指标达标率, %.
    pub binding_rate: Option<f64>,
    /// Every applicable 约束性 indicator met (must be 100% to qualify).
    pub qualifies: bool,
    pub projects: Vec<ProjectLine<'a>>,
    pub systems: Vec<SystemTotal>,
    pub total: SystemTotal,
    pub previous_period: Option<Period>,
}

/// Whether the period meets the 创建 requirement that every 约束性 indicator is met.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Qualifies,
    /// Nothing unmet or missing, but some rest on an expired target: not yet decidable.
    Pending,
    NotYet,
}

impl Verdict {
    /// The verdict as 汇总表 and the terminal state it.
    pub fn sentence(self) -> &'static str {
        match self {
            Verdict::Qualifies => "约束性指标全部达标，满足创建要求",
            Verdict::Pending => "待核实的约束性指标确认现行上级目标后，方能判断是否满足创建要求",
            Verdict::NotYet => "约束性指标未全部达标，尚不满足创建要求（须达到100%）",
        }
    }
}

impl Assessment<'_> {
    pub fn verdict(&self) -> Verdict {
        let b = self.counts_of(Attribute::Binding);
        if self.qualifies {
            Verdict::Qualifies
        } else if b.unmet == 0 && b.no_data == 0 && b.pending > 0 {
            Verdict::Pending
        } else {
            Verdict::NotYet
        }
    }

    /// The counts of the indicators of one attribute (none of it: zeros).
    pub fn counts_of(&self, attribute: Attribute) -> Counts {
        self.by_attribute
            .get(&attribute)
            .cloned()
            .unwrap_or_default()
    }
}

/// Assesses one period from the checked returns.
pub fn assess<'a>(
    schema: &'a Schema,
    checked: &Checked,
    period: Period,
    previous: &Previous,
) -> Assessment<'a> {
    let accepted: Vec<&Return> = checked
        .returns
        .iter()
        .filter(|r| r.consolidates() && r.period == Some(period))
        .collect();
    let rejected_units: Vec<&str> = checked
        .returns
        .iter()
        .filter(|r| r.status() == ReturnStatus::Rejected && r.period == Some(period))
        .filter_map(|r| r.unit.as_deref())
        .collect();
    let reason = |unit: &str| -> &'static str {
        if rejected_units.contains(&unit) {
            "退回修改"
        } else if accepted.iter().any(|r| r.unit.as_deref() == Some(unit)) {
            "未填报该指标"
        } else {
            "未报送"
        }
    };
    let rows: Vec<RowAssessment<'a>> = schema
        .indicators()
        .iter()
        .map(|ind| {
            let found = accepted
                .iter()
                .find_map(|r| r.entry(&ind.id).map(|e| (*r, e)))
                .filter(|(r, _)| r.unit.as_deref() == Some(ind.department.as_str()));
            let value = found.map(|(_, e)| e.value.clone());
            let mut row = row(ind, value, found, previous, reason(&ind.department));
            row.unverified = found.and_then(|(r, _)| doubt(r, &ind.id));
            row
        })
        .collect();
    let groups = group(schema, &rows);
    let mut by_attribute: BTreeMap<Attribute, Counts> = BTreeMap::new();
    let mut by_domain: Vec<(String, Counts)> = schema
        .meta
        .domains
        .iter()
        .map(|d| (d.clone(), Counts::default()))
        .collect();
    let mut all = Counts::default();
    for g in &groups {
        by_attribute.entry(g.attribute).or_default().add(g.status);
        if let Some((_, c)) = by_domain.iter_mut().find(|(d, _)| d == g.domain) {
            c.add(g.status);
        }
        all.add(g.status);
    }
    let binding = by_attribute
        .get(&Attribute::Binding)
        .cloned()
        .unwrap_or_default();
    let binding_rate = binding.rate();
    // A binding indicator 待核实 may yet be unmet: no qualification is claimed over it.
    let qualifies =
        binding.unmet == 0 && binding.no_data == 0 && binding.pending == 0 && binding.met > 0;
    let (projects, systems, total) = projects(schema, &accepted, &reason);
    Assessment {
        period,
        rows,
        groups,
        by_attribute,
        by_domain,
        all,
        binding_rate,
        qualifies,
        projects,
        systems,
        total,
        previous_period: previous.period(),
    }
}

fn number(text: &str) -> Option<f64> {
    crate::value::split_number(&crate::text::nfkc(text))
        .and_then(Result::ok)
        .map(|(n, _)| n)
}

fn row<'a>(
    ind: &'a Indicator,
    value: Option<Value>,
    found: Option<(&Return, &crate::validate::Entry)>,
    previous: &Previous,
    reason: &'static str,
) -> RowAssessment<'a> {
    let status = evaluate(ind, value.as_ref());
    let n = value.as_ref().and_then(Value::number);
    let gap = match (&ind.standard, n) {
        // No distance to an expired target: it is not the one to reach.
        _ if status == Status::Pending => None,
        (Standard::Numeric { comparison }, Some(v)) => Some(comparison.shortfall(v)),
        _ => None,
    };
    let target_gap = |t: &crate::schema::Target| t.comparison.zip(n).map(|(c, v)| c.shortfall(v));
    let data_year = found.and_then(|(_, e)| e.data_year);
    let comparable = found
        .and_then(|(r, _)| r.period)
        .and_then(|now| previous.comparable(ind, now, data_year));
    let prev = comparable.map(|c| (c.row.value, &c.row.text));
    RowAssessment {
        indicator: ind,
        id: &ind.id,
        parent: ind.parent.as_deref(),
        text: found.map(|(_, e)| e.text.clone()),
        status,
        department: &ind.department,
        missing_reason: value.is_none().then_some(reason),
        gap,
        gap_2025: target_gap(&ind.target_2025),
        gap_2030: target_gap(&ind.target_2030),
        vs_baseline: n.zip(number(&ind.baseline)).map(|(v, b)| v - b),
        // As assessed last period (56, not the clerk's ５６．０), beside this period's number.
        data_year,
        compared_with: comparable.map(|c| c.basis.label()),
        previous: prev.map(|(n, t)| n.map(format_number).unwrap_or_else(|| t.clone())),
        previous_number: prev.and_then(|(p, _)| p),
        vs_previous: n.zip(prev.and_then(|(p, _)| p)).map(|(v, p)| v - p),
        source: found.map(|(r, e)| Provenance {
            file: r.path_text(),
            sheet: e.source.sheet.clone(),
            cell: e.source.cell,
            sha256: r.sha256.clone(),
        }),
        data_source: found.and_then(|(_, e)| e.data_source.clone()),
        remark: found.and_then(|(_, e)| e.remark.clone()),
        value,
        unverified: None,
    }
}

/// A parent is 未达标 when any applicable row is; 缺数据 when a row lacks data and none is
/// unmet; 待核实 when a row rests on an expired target and none is unmet or without data;
/// 不适用 when every row is; 达标 otherwise.
fn group<'a>(schema: &'a Schema, rows: &[RowAssessment<'a>]) -> Vec<GroupAssessment<'a>> {
    schema
        .groups()
        .into_iter()
        .map(|g| {
            let idx: Vec<usize> = rows
                .iter()
                .enumerate()
                .filter(|(_, r)| r.indicator.group_id() == g.id)
                .map(|(i, _)| i)
                .collect();
            let statuses: Vec<Status> = idx
                .iter()
                .filter_map(|&i| rows.get(i))
                .map(|r| r.status)
                .collect();
            let status = if statuses.contains(&Status::Unmet) {
                Status::Unmet
            } else if statuses.contains(&Status::NoData) {
                // Before 待核实: a row without data counts as not met, and marks a draft.
                Status::NoData
            } else if statuses.contains(&Status::Pending) {
                Status::Pending
            } else if statuses.iter().all(|s| *s == Status::NotApplicable) {
                Status::NotApplicable
            } else {
                Status::Met
            };
            let unverified = idx
                .iter()
                .filter_map(|&i| rows.get(i))
                .any(|r| r.unverified.is_some());
            GroupAssessment {
                id: g.id,
                name: g.name,
                domain: g.domain,
                attribute: g.attribute,
                status,
                rows: idx,
                unverified,
            }
        })
        .collect()
}

type ProjectParts<'a> = (Vec<ProjectLine<'a>>, Vec<SystemTotal>, SystemTotal);

fn projects<'a>(
    schema: &'a Schema,
    accepted: &[&Return],
    reason: &dyn Fn(&str) -> &'static str,
) -> ProjectParts<'a> {
    let lines: Vec<ProjectLine<'a>> = schema
        .projects()
        .iter()
        .map(|p| {
            let entry = accepted
                .iter()
                .filter(|r| r.unit.as_deref() == Some(p.unit.as_str()))
                .find_map(|r| r.projects.iter().find(|e| e.no == p.no))
                .cloned();
            ProjectLine {
                project: p,
                no: p.no,
                missing_reason: entry.is_none().then(|| reason(&p.unit)),
                entry,
            }
        })
        .collect();
    let mut systems: Vec<SystemTotal> = Vec::new();
    for line in &lines {
        let name = &line.project.system;
        if !systems.iter().any(|s| &s.system == name) {
            systems.push(SystemTotal {
                system: name.clone(),
                ..Default::default()
            });
        }
    }
    let mut total = SystemTotal {
        system: "合计".to_string(),
        ..Default::default()
    };
    for line in &lines {
        let Some(s) = systems.iter_mut().find(|s| s.system == line.project.system) else {
            continue;
        };
        for t in [&mut *s, &mut total] {
            t.projects += 1;
            t.investment += line.project.investment.unwrap_or(0.0);
            if let Some(e) = &line.entry {
                t.reported += 1;
                t.completed += e.completed;
                if line.spends_unplanned() {
                    t.unplanned.push(line.no);
                }
                match e.status {
                    crate::validate::ProjectStatus::Done => t.done += 1,
                    crate::validate::ProjectStatus::Building => t.building += 1,
                    crate::validate::ProjectStatus::Paused => t.paused += 1,
                    crate::validate::ProjectStatus::NotStarted => t.not_started += 1,
                }
            }
        }
    }
    // Sums of 万元 with two decimals: keep them at two decimals.
    for t in systems.iter_mut().chain(std::iter::once(&mut total)) {
        t.investment = (t.investment * 100.0).round() / 100.0;
        t.completed = (t.completed * 100.0).round() / 100.0;
    }
    (lines, systems, total)
}
