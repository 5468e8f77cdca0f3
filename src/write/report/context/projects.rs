//! Where the projects stand: a 达标工程's progress, late (by its own data), overdue (实施年限
//! ended unfinished), without data, and spending the plan gives no 总投资.

use super::{
    LateProject, ProjectName, ProjectState, ProjectWithoutData, ProjectsSince, SupportingProject,
};
use crate::assess::Assessment;
use crate::schema::Project;
use crate::validate::ProjectStatus;
use crate::write::wording::n2;

pub(super) fn supporting_project(p: &Project, a: &Assessment) -> SupportingProject {
    let line = a.projects.iter().find(|l| l.no == p.no);
    let entry = line.and_then(|l| l.entry.as_ref());
    let progress = match entry {
        Some(e) => format!("{}，形象进度{}%", e.status.label(), n2(e.progress)),
        None => format!(
            "本期无进度数据：{}",
            line.and_then(|l| l.missing_reason).unwrap_or("未报送")
        ),
    };
    SupportingProject {
        no: p.no,
        name: p.name.clone(),
        unit: p.unit.clone(),
        progress,
        state: match entry {
            Some(e) if e.status == ProjectStatus::Done => ProjectState::Done,
            Some(_) => ProjectState::Open,
            None => ProjectState::NoData,
        },
    }
}

/// What share of a project's 实施年限 has passed by the end of `period`, in %.
fn elapsed_share(p: &Project, period: crate::period::Period) -> Option<f64> {
    let (start, end) = p.span()?;
    let passed =
        f64::from(period.year) - f64::from(start) + f64::from(period.last_quarter().quarter) / 4.0;
    let total = f64::from(end - start + 1);
    Some((passed / total * 100.0).clamp(0.0, 100.0))
}

/// `，存在问题：…` where the unit wrote one.
fn problem(e: &crate::validate::ProjectEntry) -> String {
    e.problem
        .as_ref()
        .filter(|s| !s.is_empty())
        .map(|s| format!("，存在问题：{s}"))
        .unwrap_or_default()
}

/// Projects late by their own data: paused, not started after their start year, or behind the
/// share of their 实施年限 that has passed (past their end year, that share is 100 %). A
/// project without data this period is not late: see [`without_data`].
pub(super) fn behind(a: &Assessment) -> Vec<LateProject> {
    a.projects
        .iter()
        .filter_map(|l| {
            let p = l.project;
            let e = l.entry.as_ref()?;
            let start = p.span().map_or(u16::MAX, |(s, _)| s);
            let expected = elapsed_share(p, a.period);
            if l.overdue(a.period) {
                return None; // listed apart: see [`overdue`]
            }
            let situation = match e.status {
                ProjectStatus::Done => return None,
                ProjectStatus::Paused => {
                    format!("已暂停，形象进度{}%{}", n2(e.progress), problem(e))
                }
                ProjectStatus::NotStarted if a.period.year > start => {
                    format!("计划{start}年开工，至今尚未开工{}", problem(e))
                }
                _ => match expected {
                    Some(x) if e.progress < x => format!(
                        "按实施年限本期末应完成约{}%，实际形象进度{}%{}",
                        n2(x.round()),
                        n2(e.progress),
                        problem(e)
                    ),
                    _ => return None,
                },
            };
            Some(LateProject {
                no: p.no,
                name: p.name.clone(),
                unit: p.unit.clone(),
                years: p.years.clone(),
                situation,
            })
        })
        .collect()
}

/// Projects whose 实施年限 has ended unfinished (逾期未完工), with how far they are behind.
pub(super) fn overdue(a: &Assessment) -> Vec<LateProject> {
    a.projects
        .iter()
        .filter(|l| l.overdue(a.period))
        .filter_map(|l| {
            let p = l.project;
            let e = l.entry.as_ref()?;
            let (_, end) = p.span()?;
            let problem = problem(e);
            Some(LateProject {
                no: p.no,
                name: p.name.clone(),
                unit: p.unit.clone(),
                years: p.years.clone(),
                situation: format!(
                    "实施年限已于{end}年结束，目前{}，形象进度{}%，距完工尚差{}个百分点{problem}",
                    e.status.label(),
                    n2(e.progress),
                    n2(100.0 - e.progress)
                ),
            })
        })
        .collect()
}

/// Projects with no progress data this period (their unit's return missing or rejected):
/// listed with the reason, never as late.
pub(super) fn without_data(a: &Assessment) -> Vec<ProjectWithoutData> {
    a.projects
        .iter()
        .filter(|l| l.entry.is_none())
        .map(|l| ProjectWithoutData {
            no: l.project.no,
            name: l.project.name.clone(),
            unit: l.project.unit.clone(),
            reason: l.missing_reason.unwrap_or("未报送"),
        })
        .collect()
}

/// A system whose 累计完成 counts a project the plan gives no 总投资 (so 累计完成 may exceed
/// 总投资): said under 表3, project by project.
pub(super) fn unplanned_footnotes(a: &Assessment) -> Vec<String> {
    a.systems
        .iter()
        .flat_map(|t| {
            a.projects
                .iter()
                .filter(|l| t.unplanned.contains(&l.no) && l.project.system == t.system)
                .filter_map(move |l| {
                    let e = l.entry.as_ref()?;
                    Some(format!(
                        "{}体系的累计完成投资含{}号“{}”报送的{}万元：该工程规划未列总投资，故该体系累计完成投资可能超过总投资。",
                        t.system,
                        l.no,
                        l.project.name,
                        n2(e.completed)
                    ))
                })
        })
        .collect()
}

/// What the projects did since the earlier build: invested (the change in 累计完成), finished.
pub(super) fn since(a: &Assessment) -> Option<ProjectsSince> {
    let period = a.projects_since();
    if period.is_none() && a.total.invested_projects == 0 {
        return None;
    }
    let reported = || a.projects.iter().filter(|l| l.entry.is_some());
    let named = |l: &crate::assess::ProjectLine| format!("{}号“{}”", l.no, l.project.name);
    Some(ProjectsSince {
        period: period.map(|p| p.chinese()),
        invested: n2(a.total.invested),
        compared: a.total.invested_projects,
        not_compared: reported()
            .filter(|l| l.invested().is_none())
            .map(named)
            .collect(),
        finished: reported()
            .filter(|l| l.finished_since())
            .map(|l| ProjectName {
                no: l.no,
                name: l.project.name.clone(),
                unit: l.project.unit.clone(),
            })
            .collect(),
        decreased: reported()
            .filter_map(|l| {
                let v = l.invested().filter(|v| *v < 0.0)?;
                Some(format!("{}减少{}万元", named(l), n2(-v)))
            })
            .collect(),
    })
}
