//! 下一步工作建议: what the report proposes, from the unmet indicators, the late projects, the
//! returns still owed and the targets to confirm.

use super::{LateProject, ProjectState, UnmetIndicator};
use crate::assess::Assessment;
use crate::schema::Standard;
use crate::validate::{Checked, ReturnStatus};

pub fn all(
    a: &Assessment,
    checked: &Checked,
    unmet: &[UnmetIndicator],
    behind: &[LateProject],
) -> Vec<String> {
    let mut out: Vec<String> = unmet.iter().map(unmet_suggestion).collect();
    if !behind.is_empty() {
        out.push(format!(
            "对进度滞后的{}工程逐项督办，明确完成时限，按季度调度。",
            numbered(&behind.iter().map(|p| p.no).collect::<Vec<_>>())
        ));
    }
    let mut owing: Vec<String> = checked
        .returns
        .iter()
        .filter(|r| r.status() == ReturnStatus::Rejected)
        .filter_map(|r| r.unit.clone())
        .collect();
    owing.extend(checked.missing_units.iter().cloned());
    if !owing.is_empty() {
        out.push(format!(
            "督促{}按要求报送（退回修改的按修改说明改正后重新报送），补齐数据后重新评估。",
            owing.join("、")
        ));
    }
    let pending: Vec<String> = a
        .rows
        .iter()
        .filter(|r| {
            r.indicator.target_period_ended || matches!(r.indicator.standard, Standard::NoTarget)
        })
        .map(|r| format!("指标{}", r.id))
        .collect();
    if !pending.is_empty() {
        out.push(format!(
            "向上级主管部门确认{}的现行考核目标，及时更新指标体系。",
            pending.join("、")
        ));
    }
    if out.is_empty() {
        out.push("各项指标均已达标，继续巩固现有成果，按季度做好数据报送和监测。".to_string());
    }
    out
}

/// `19号、22号`.
fn numbered(nos: &[u32]) -> String {
    let named: Vec<String> = nos.iter().map(|no| format!("{no}号")).collect();
    named.join("、")
}

/// What to do about one unmet indicator: a value 待核实 is checked first; unfinished supporting
/// projects are pushed; finished ones are never asked to 加快推进 — when all are finished the
/// cause is to be found; projects without data are to be reported.
fn unmet_suggestion(u: &UnmetIndicator) -> String {
    let (id, name, department) = (&u.id, &u.name, &u.department);
    if u.unverified {
        return format!(
            "指标{id}“{name}”：本期值待核实，请{department}核实后重新报送，核实前不作达标结论。"
        );
    }
    let gaps: Vec<&str> = u.rows.iter().filter_map(|r| r.gap.as_deref()).collect();
    let gap = match gaps.is_empty() {
        true => String::new(),
        false => format!("（距标准尚差{}）", gaps.join("、")),
    };
    let in_state = |state: ProjectState| -> Vec<u32> {
        u.projects
            .iter()
            .filter(|p| p.state == state)
            .map(|p| p.no)
            .collect()
    };
    let (open, done, no_data) = (
        in_state(ProjectState::Open),
        in_state(ProjectState::Done),
        in_state(ProjectState::NoData),
    );
    let mut actions = Vec::new();
    if !open.is_empty() {
        actions.push(format!("加快推进{}工程", numbered(&open)));
    }
    if !no_data.is_empty() {
        actions.push(format!("督促报送{}工程本期进度", numbered(&no_data)));
    }
    if u.projects.is_empty() {
        actions.push("制定专项措施".to_string());
    } else if open.is_empty() && no_data.is_empty() {
        let all = if done.len() > 1 { "均" } else { "" };
        actions.push(format!(
            "其达标工程{}{all}已完工而指标仍未达标，须查明原因并制定专项措施",
            numbered(&done)
        ));
    }
    // The closing sentence follows from the indicator's own facts, not one formula for all.
    let binding = u.attribute == "约束性";
    let closing = match (binding, open.is_empty(), u.projects.is_empty()) {
        (true, _, true) => "该指标为约束性指标，须列入重点督办，明确责任人和完成时限。",
        (true, false, _) => "该指标为约束性指标，须按季度调度工程进度。",
        (false, false, _) => "请按季度报告工程进展和指标变化。",
        (false, _, true) => "请在下季度报送前明确措施和完成时限。",
        // Every supporting project finished: the action already asks for the cause.
        (_, true, false) => "",
    };
    format!(
        "指标{id}“{name}”{gap}：由{department}牵头，{}。{closing}",
        actions.join("，"),
    )
}
