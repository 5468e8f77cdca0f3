//! The data the report template sees. Every number comes from the assessment; nothing here
//! is wording (that is the template's), except the generated suggestions and situations.

use crate::assess::{Assessment, Counts, RowAssessment, Status};
use crate::schema::standard::format_number;
use crate::schema::{Schema, Standard};
use crate::validate::{Checked, ProjectStatus, ReturnStatus, Severity};
use serde_json::{json, Value};

fn n2(v: f64) -> String {
    format_number((v * 100.0).round() / 100.0)
}

fn counts(c: &Counts) -> Value {
    json!({"met": c.met, "unmet": c.unmet, "not_applicable": c.not_applicable, "no_data": c.no_data, "total": c.total()})
}

fn shown_value(r: &RowAssessment) -> String {
    let unit = r.indicator.unit.as_deref().unwrap_or("");
    match (&r.value, &r.text) {
        (Some(crate::value::Value::Number(n)), _) => format!("{}{}", format_number(*n), unit),
        (Some(_), Some(t)) => format!("“{t}”"),
        _ => "（无）".into(),
    }
}

fn standard(r: &RowAssessment) -> String {
    let ind = r.indicator;
    match &ind.standard {
        Standard::Numeric { comparison } => {
            format!("{}{}", comparison, ind.unit.as_deref().unwrap_or(""))
        }
        Standard::Qualitative => format!("“{}”", ind.met.join("”或“")),
        Standard::NoTarget => ind.standard_text.clone(),
    }
}

fn with_unit(v: Option<f64>, r: &RowAssessment) -> Option<String> {
    v.filter(|g| *g > 0.0)
        .map(|g| format!("{}{}", n2(g), r.indicator.unit.as_deref().unwrap_or("")))
}

pub fn build(schema: &Schema, checked: &Checked, a: &Assessment) -> Value {
    let binding = a.by_attribute.get("约束性").cloned().unwrap_or_default();
    let reference = a.by_attribute.get("参考性").cloned().unwrap_or_default();
    let unmet: Vec<Value> = a
        .groups
        .iter()
        .filter(|g| g.status == Status::Unmet)
        .map(|g| {
            let rows: Vec<&RowAssessment> = g.rows.iter().filter_map(|&i| a.rows.get(i)).collect();
            let supporting = rows.first().map(|r| schema.projects_supporting(r.indicator)).unwrap_or_default();
            let projects: Vec<Value> = supporting
                .iter()
                .map(|p| {
                    let line = a.projects.iter().find(|l| l.no == p.no);
                    let progress = match line.and_then(|l| l.entry.as_ref()) {
                        Some(e) => format!("{}，形象进度{}%", e.status.label(), n2(e.progress)),
                        None => format!("本期无进度数据：{}", line.and_then(|l| l.missing_reason).unwrap_or("未报送")),
                    };
                    json!({"no": p.no, "name": p.name, "unit": p.unit, "progress": progress})
                })
                .collect();
            json!({
                "id": g.id,
                "name": g.name,
                "attribute": g.attribute.label(),
                "department": rows.iter().map(|r| r.department).collect::<std::collections::BTreeSet<_>>().into_iter().collect::<Vec<_>>().join("、"),
                "rows": rows.iter().filter(|r| r.status == Status::Unmet).map(|r| json!({
                    "label": if r.parent.is_some() { format!("{}（{}）", r.indicator.name, r.id) } else { String::new() },
                    "value": shown_value(r),
                    "standard": standard(r),
                    "gap": with_unit(r.gap, r),
                    "target_2025": r.indicator.target_2025.text,
                    "gap_2025": with_unit(r.gap_2025, r),
                    "baseline": r.indicator.baseline,
                })).collect::<Vec<_>>(),
                "projects": projects,
            })
        })
        .collect();
    let no_data: Vec<Value> = a
        .rows
        .iter()
        .filter(|r| r.status == Status::NoData)
        .map(|r| json!({"id": r.id, "name": r.indicator.full_name(), "department": r.department, "reason": r.missing_reason.unwrap_or("无数据")}))
        .collect();
    let mut notes = Vec::new();
    for r in &a.rows {
        if r.indicator.target_period_ended {
            notes.push(format!(
                "指标{}“{}”的上级规定目标（{}）属于已结束的“十三五”时期，本报告暂按该目标评估；请旗生态环境分局向上级登记现行目标后更新指标体系。",
                r.id, r.indicator.name, r.indicator.standard_text
            ));
        }
        if matches!(r.indicator.standard, Standard::NoTarget) {
            notes.push(format!("指标{}“{}”上级未下达目标，按规划口径报送即计为达标；上级下达目标后应更新指标体系。", r.id, r.indicator.name));
        }
    }
    let domains: Vec<Value> = a
        .by_domain
        .iter()
        .map(|(d, c)| {
            let unmet_names: Vec<String> = a.groups.iter().filter(|g| g.domain == d && g.status == Status::Unmet).map(|g| format!("{} {}", g.id, g.name)).collect();
            json!({"name": d, "met": c.met, "unmet": c.unmet, "not_applicable": c.not_applicable, "no_data": c.no_data, "total": c.total(), "unmet_names": unmet_names})
        })
        .collect();
    let returns = returns(schema, checked, a);
    let behind = behind(a);
    let suggestions = suggestions(a, checked, &unmet, &behind);
    json!({
        "county": schema.meta.county,
        "period": a.period.to_string(),
        "period_cn": a.period.chinese(),
        "counts": counts(&a.all),
        "binding": counts(&binding),
        "reference": counts(&reference),
        "binding_rate": a.binding_rate.map(|r| format!("{r:.1}%")).unwrap_or_else(|| "—".into()),
        "qualifies": a.qualifies,
        "domains": domains,
        "unmet": unmet,
        "no_data": no_data,
        "notes": notes,
        "projects": {
            "total": project_total(&a.total),
            "systems": a.systems.iter().map(project_total).collect::<Vec<_>>(),
            "behind": behind,
        },
        "returns": returns,
        "suggestions": suggestions,
    })
}

fn project_total(t: &crate::assess::SystemTotal) -> Value {
    json!({"system": t.system, "projects": t.projects, "investment": n2(t.investment), "completed": n2(t.completed), "reported": t.reported, "done": t.done, "building": t.building, "paused": t.paused, "not_started": t.not_started})
}

/// Projects paused, not started, or past their planned end without being finished.
fn behind(a: &Assessment) -> Vec<Value> {
    let year = a.period.year as u32;
    a.projects
        .iter()
        .filter_map(|l| {
            let p = l.project;
            let end: u32 = p.years.rsplit('-').next().and_then(|y| y.trim().parse().ok()).unwrap_or(9999);
            let situation = match &l.entry {
                Some(e) if e.status == ProjectStatus::Paused => format!("已暂停，形象进度{}%{}", n2(e.progress), e.problem.as_ref().filter(|s| !s.is_empty()).map(|s| format!("，存在问题：{s}")).unwrap_or_default()),
                Some(e) if e.status == ProjectStatus::NotStarted => format!("尚未开工{}", e.problem.as_ref().filter(|s| !s.is_empty()).map(|s| format!("，存在问题：{s}")).unwrap_or_default()),
                Some(e) if e.status != ProjectStatus::Done && end < year => format!("计划{end}年完成，目前形象进度{}%", n2(e.progress)),
                None => format!("本期无进度数据（{}）", l.missing_reason.unwrap_or("未报送")),
                _ => return None,
            };
            Some(json!({"no": p.no, "name": p.name, "unit": p.unit, "years": p.years, "situation": situation}))
        })
        .collect()
}

/// Rejected returns named one by one in the report; beyond these it gives the count and points
/// to 汇总表, which lists every one (a city's run can reject thousands).
const REJECTED_NAMED: usize = 10;

fn returns(schema: &Schema, checked: &Checked, a: &Assessment) -> Value {
    let period_returns: Vec<_> = checked
        .returns
        .iter()
        .filter(|r| r.period == Some(a.period) && r.unit.is_some() && r.duplicate_of.is_none())
        .collect();
    let all_rejected = checked
        .returns
        .iter()
        .filter(|r| r.status() == ReturnStatus::Rejected);
    let rejected: Vec<Value> = all_rejected
        .clone()
        .take(REJECTED_NAMED)
        .map(|r| {
            let reasons: Vec<String> = r.diagnostics.iter().filter(|d| d.severity == Severity::Error).map(|d| d.message.clone()).collect();
            json!({"unit": r.unit.clone().unwrap_or_else(|| r.file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()), "reasons": reasons})
        })
        .collect();
    let units: Vec<Value> = schema
        .reporting_units()
        .iter()
        .map(|u| {
            let r = period_returns
                .iter()
                .find(|r| r.unit.as_deref() == Some(u.name.as_str()));
            let state = match r {
                None => "未报送".to_string(),
                Some(r) => r.status().label().to_string(),
            };
            let problems = r.map(|r| r.count(Severity::Error)).unwrap_or(0);
            let warnings = r.map(|r| r.count(Severity::Warning)).unwrap_or(0);
            json!({"unit": u.name, "state": state, "errors": problems, "warnings": warnings})
        })
        .collect();
    json!({
        "expected": schema.reporting_units().len(),
        "received": period_returns.len(),
        "accepted": period_returns.iter().filter(|r| r.status() != ReturnStatus::Rejected).count(),
        "with_warnings": period_returns.iter().filter(|r| r.status() == ReturnStatus::Warnings).count(),
        "rejected": period_returns.iter().filter(|r| r.status() == ReturnStatus::Rejected).count(),
        "rejected_list": rejected,
        "rejected_more": all_rejected.count().saturating_sub(REJECTED_NAMED),
        "missing": checked.missing_units,
        "units": units,
    })
}

fn suggestions(
    a: &Assessment,
    checked: &Checked,
    unmet: &[Value],
    behind: &[Value],
) -> Vec<String> {
    let mut out = Vec::new();
    for u in unmet {
        let gaps: Vec<String> = u["rows"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|r| r["gap"].as_str().map(|g| g.to_string()))
            .collect();
        let gap = if gaps.is_empty() {
            String::new()
        } else {
            format!("（距标准尚差{}）", gaps.join("、"))
        };
        let projects: Vec<String> = u["projects"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|p| format!("{}号工程", p["no"]))
            .collect();
        let with = if projects.is_empty() {
            "制定专项措施".to_string()
        } else {
            format!("加快推进{}", projects.join("、"))
        };
        out.push(format!(
            "{}{}{}：由{}牵头，{}，确保{}指标按期达标。",
            u["id"].as_str().unwrap_or(""),
            u["name"].as_str().unwrap_or(""),
            gap,
            u["department"].as_str().unwrap_or(""),
            with,
            u["attribute"].as_str().unwrap_or("")
        ));
    }
    if !behind.is_empty() {
        let list: Vec<String> = behind.iter().map(|p| format!("{}号", p["no"])).collect();
        out.push(format!(
            "对进度滞后的{}工程逐项督办，明确完成时限，按季度调度。",
            list.join("、")
        ));
    }
    let rejected: Vec<String> = checked
        .returns
        .iter()
        .filter(|r| r.status() == ReturnStatus::Rejected)
        .filter_map(|r| r.unit.clone())
        .collect();
    if !rejected.is_empty() || !checked.missing_units.is_empty() {
        let mut who = rejected.clone();
        who.extend(checked.missing_units.iter().cloned());
        out.push(format!(
            "督促{}按要求报送（退回修改的按修改说明改正后重新报送），补齐缺数据指标后重新评估。",
            who.join("、")
        ));
    }
    if a.rows.iter().any(|r| {
        r.indicator.target_period_ended || matches!(r.indicator.standard, Standard::NoTarget)
    }) {
        out.push(
            "向上级主管部门确认指标17的现行考核目标和指标16的管控目标，及时更新指标体系。"
                .to_string(),
        );
    }
    if out.is_empty() {
        out.push("各项指标均已达标，继续巩固现有成果，按季度做好数据报送和监测。".to_string());
    }
    out
}
