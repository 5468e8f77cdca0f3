//! 重点工程 of one period: each project's progress from its unit's return, the totals by
//! system, and what it did since the last build on record (本期/本年完成投资, 完工).

use crate::period::Period;
use crate::read::previous::Previous;
use crate::schema::{Project, Schema};
use crate::validate::{ProjectEntry, ProjectStatus, Return};
use serde::Serialize;

impl ProjectLine<'_> {
    /// 累计完成 now minus 累计完成 then: what was invested since the earlier build. `None`
    /// unless both builds have the project's figure.
    pub fn change_since(&self) -> Option<f64> {
        let then = self.since.as_ref()?.completed?;
        let now = self.entry.as_ref()?.completed;
        Some(((now - then) * 100.0).round() / 100.0)
    }

    /// 本期 or 本年完成投资: the change since the earlier build, else (a year's build) the
    /// 本年完成投资 the unit wrote. Two figures for one thing would disagree: the change in
    /// 累计完成 is the one both builds vouch for.
    pub fn invested(&self) -> Option<f64> {
        self.change_since().or(self.typed_this_year)
    }

    /// It is 已完工 now and was reported unfinished in the earlier build.
    pub fn finished_since(&self) -> bool {
        let done_now = self
            .entry
            .as_ref()
            .is_some_and(|e| e.status == ProjectStatus::Done);
        let open_then = self
            .since
            .as_ref()
            .and_then(|s| s.status)
            .is_some_and(|s| s != ProjectStatus::Done);
        done_now && open_then
    }

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
            .is_some_and(|e| e.status == ProjectStatus::Done);
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
    /// The project in the build its work is counted from ([`Previous::projects_before`]).
    pub since: Option<Since>,
    /// In a year's build, the 本年完成投资 the unit wrote.
    pub typed_this_year: Option<f64>,
}

/// A project as the earlier build recorded it.
#[derive(Debug, Clone, Serialize)]
pub struct Since {
    pub period: Period,
    /// 累计完成 then; `None`: not reported then.
    pub completed: Option<f64>,
    /// Its state then; `None`: not reported then (or a state no build writes).
    pub status: Option<ProjectStatus>,
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
    /// What was invested since the earlier build, over the projects both builds have.
    pub invested: f64,
    /// How many projects that is.
    pub invested_projects: u32,
    /// Projects 已完工 now that the earlier build had unfinished.
    pub finished: u32,
}

impl SystemTotal {
    fn add(&mut self, line: &ProjectLine) {
        self.projects += 1;
        self.investment += line.project.investment.unwrap_or(0.0);
        let Some(e) = &line.entry else {
            return;
        };
        self.reported += 1;
        self.completed += e.completed;
        if line.spends_unplanned() {
            self.unplanned.push(line.no);
        }
        match e.status {
            ProjectStatus::Done => self.done += 1,
            ProjectStatus::Building => self.building += 1,
            ProjectStatus::Paused => self.paused += 1,
            ProjectStatus::NotStarted => self.not_started += 1,
        }
        // A 累计完成 lower than before is a correction, named apart, not work done.
        if let Some(v) = line.invested().filter(|v| *v >= 0.0) {
            self.invested += v;
            self.invested_projects += 1;
        }
        self.finished += u32::from(line.finished_since());
    }
}

type ProjectParts<'a> = (Vec<ProjectLine<'a>>, Vec<SystemTotal>, SystemTotal);

pub(super) fn projects<'a>(
    schema: &'a Schema,
    accepted: &[&Return],
    reason: &dyn Fn(&str) -> &'static str,
    (period, previous): (Period, &Previous),
) -> ProjectParts<'a> {
    let before = previous.projects_before(period);
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
                typed_this_year: entry
                    .as_ref()
                    .and_then(|e| e.this_year)
                    .filter(|_| period.is_annual()),
                entry,
                since: before.map(|(period, projects)| {
                    let then = projects.get(&p.no);
                    Since {
                        period,
                        completed: then.and_then(|t| t.completed),
                        status: then.and_then(|t| {
                            ProjectStatus::ALL
                                .into_iter()
                                .find(|s| s.label() == t.status)
                        }),
                    }
                }),
            }
        })
        .collect();
    let (systems, total) = totals(&lines);
    (lines, systems, total)
}

/// The totals by system, in the order the systems first appear, and over all.
fn totals(lines: &[ProjectLine]) -> (Vec<SystemTotal>, SystemTotal) {
    let mut systems: Vec<SystemTotal> = Vec::new();
    for line in lines {
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
    for line in lines {
        let Some(s) = systems.iter_mut().find(|s| s.system == line.project.system) else {
            continue;
        };
        for t in [&mut *s, &mut total] {
            t.add(line);
        }
    }
    // Sums of 万元 with two decimals: keep them at two decimals.
    for t in systems.iter_mut().chain(std::iter::once(&mut total)) {
        t.investment = (t.investment * 100.0).round() / 100.0;
        t.completed = (t.completed * 100.0).round() / 100.0;
        t.invested = (t.invested * 100.0).round() / 100.0;
    }
    (systems, total)
}
