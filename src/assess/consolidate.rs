//! Consolidation: the accepted values of one period, every indicator assessed, counted by
//! attribute and domain, and the projects totalled by system.

use super::projects::{ProjectLine, SystemTotal};
use super::status::{evaluate, Status};
use crate::period::Period;
use crate::schema::{Attribute, Indicator, Schema, Standard};
use crate::text::format_number;
use crate::validate::{Checked, Code, Return, ReturnStatus};
use crate::value::Value;
use serde::Serialize;
use std::collections::BTreeMap;

pub use crate::read::previous::{Basis, Comparable, Previous};

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
    /// The change against the last period (环比): a 时点 row of a quarter, whose 口径 compares it
    /// so. `None` for the other rows, and where no earlier value is on record.
    pub on_period: Option<Change>,
    /// The change against the year before (同比): the same quarter of last year, or the data
    /// year before for an annual row, or last year for a year's build.
    pub on_year: Option<Change>,
    pub source: Option<Provenance>,
    pub data_source: Option<String>,
    pub remark: Option<String>,
    /// 待核实: why the value is in doubt (a warning about how it was read or what it means).
    /// Such a value is shown with its status but never decides a conclusion of the report.
    pub unverified: Option<String>,
}

/// A row's value against one earlier value.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    #[serde(skip)]
    pub basis: Basis,
    /// The earlier value as assessed then (56, not the clerk's ５６．０).
    pub previous: String,
    /// That value when it was a number (汇总表 stores it as one).
    pub previous_number: Option<f64>,
    /// This value minus that one, both numbers.
    pub change: Option<f64>,
}

impl Change {
    fn between(now: Option<f64>, earlier: Comparable) -> Change {
        let was = earlier.row.value;
        Change {
            basis: earlier.basis,
            previous: was
                .map(format_number)
                .unwrap_or_else(|| earlier.row.text.clone()),
            previous_number: was,
            change: now.zip(was).map(|(v, p)| v - p),
        }
    }
}

impl RowAssessment<'_> {
    /// The change its 口径 compares it by: 环比 for a 时点 row, 同比 for every other.
    pub fn by_measure(&self) -> Option<&Change> {
        self.on_period.as_ref().or(self.on_year.as_ref())
    }

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

    /// The earlier build the projects' work is counted from (本期/本年完成投资), if history has one:
    /// the same for every project.
    pub fn projects_since(&self) -> Option<Period> {
        self.projects
            .iter()
            .find_map(|l| l.since.as_ref())
            .map(|s| s.period)
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
    let (projects, systems, total) =
        super::projects::projects(schema, &accepted, &reason, (period, previous));
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
    let now = found.and_then(|(r, _)| r.period);
    let by_measure = now
        .and_then(|now| previous.comparable(ind, now, data_year))
        .map(|c| Change::between(n, c));
    let year_ago = now
        .and_then(|now| previous.year_ago(ind, now))
        .map(|c| Change::between(n, c));
    let (on_period, on_year) = match by_measure {
        Some(c) if c.basis.is_year_on_year() => (None, Some(c)),
        // A "last period" a year back or more is the 同比 itself, not a 环比.
        Some(c)
            if year_ago
                .as_ref()
                .is_some_and(|y| !c.basis.is_after(y.basis)) =>
        {
            (None, year_ago)
        }
        c => (c, year_ago),
    };
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
        data_year,
        on_period,
        on_year,
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
