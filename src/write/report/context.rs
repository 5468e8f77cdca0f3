//! The data the report template sees. Every number comes from the assessment; nothing here
//! is wording (that is the template's), except the generated suggestions and situations.

use crate::assess::{Assessment, Counts, Projection, RowAssessment, Status, Trend};
use crate::period::Period;
use crate::schema::{Schema, Standard};
use crate::text::format_number;
use crate::validate::{Checked, ProjectStatus, ReturnStatus, Severity};
use serde_json::{json, Value};

fn n2(v: f64) -> String {
    format_number((v * 100.0).round() / 100.0)
}

fn counts(c: &Counts) -> Value {
    json!({"met": c.met, "unmet": c.unmet, "not_applicable": c.not_applicable, "no_data": c.no_data, "total": c.total()})
}

pub(super) fn shown_value(r: &RowAssessment) -> String {
    let unit = r.indicator.measure_unit.as_deref().unwrap_or("");
    match (&r.value, &r.text) {
        (Some(crate::value::Value::Number(n)), _) => format!("{}{}", format_number(*n), unit),
        (Some(_), Some(t)) => format!("“{t}”"),
        _ => "（无）".into(),
    }
}

pub(super) fn standard(r: &RowAssessment) -> String {
    let ind = r.indicator;
    match &ind.standard {
        // “标准为100%”, not “标准为=100%”.
        Standard::Numeric { comparison } if comparison.op == crate::schema::standard::Op::Equal => {
            format!(
                "{}{}",
                format_number(comparison.threshold),
                ind.measure_unit.as_deref().unwrap_or("")
            )
        }
        Standard::Numeric { comparison } => {
            format!(
                "{}{}",
                comparison,
                ind.measure_unit.as_deref().unwrap_or("")
            )
        }
        Standard::Qualitative => format!("“{}”", ind.met.join("”或“")),
        Standard::NoTarget => ind.standard_text.clone(),
    }
}

/// A gap still to cover, in the indicator's unit; a difference between two percentages is
/// written in 个百分点, as official writing does (尚差2个百分点, never 尚差2%).
pub(super) fn with_measure_unit(v: Option<f64>, r: &RowAssessment) -> Option<String> {
    v.filter(|g| *g > 0.0)
        .map(|g| match r.indicator.measure_unit.as_deref() {
            Some("%") => format!("{}个百分点", n2(g)),
            unit => format!("{}{}", n2(g), unit.unwrap_or("")),
        })
}

/// The plan's two stages: 2022–2025, then 2026–2030. From 2026 on the stage target is the
/// 2030 one, and whether the 2025 target was reached is said, not assumed.
struct Stage {
    year: u16,
    target: String,
    gap: Option<String>,
    /// From 2026 on: 2025年规划目标（…）已实现 / 已到期未实现.
    outcome_2025: Option<String>,
}

fn stage(r: &RowAssessment, period: Period) -> Stage {
    let ind = r.indicator;
    let year = period.stage_year();
    let target = ind.target_for(year).text.clone();
    if year == 2025 {
        return Stage {
            year,
            target,
            gap: with_measure_unit(r.gap_2025, r),
            outcome_2025: None,
        };
    }
    let outcome = match (r.gap_2025, r.value.is_some()) {
        (Some(g), true) if g > 0.0 => Some(format!(
            "2025年规划目标（{}）已到期未实现",
            ind.target_2025.text
        )),
        (Some(_), true) => Some(format!("2025年规划目标（{}）已实现", ind.target_2025.text)),
        _ => None,
    };
    Stage {
        year,
        target,
        gap: with_measure_unit(r.gap_2030, r),
        outcome_2025: outcome,
    }
}

/// One unmet row of an indicator, as the report states it. A value 待核实 gets no gap: a figure
/// the tool doubts never decides a conclusion.
fn unmet_row(r: &RowAssessment, period: Period) -> Value {
    let st = stage(r, period);
    let doubted = r.unverified.is_some();
    json!({
        "label": if r.parent.is_some() { format!("{}（{}）", r.indicator.name, r.id) } else { String::new() },
        "value": shown_value(r),
        "unverified": r.unverified,
        "standard": standard(r),
        "gap": if doubted { None } else { with_measure_unit(r.gap, r) },
        "stage_year": st.year,
        "stage_target": st.target,
        "stage_gap": if doubted { None } else { st.gap },
        "target_2025_outcome": if doubted { None } else { st.outcome_2025 },
        "target_2025": r.indicator.target_2025.text,
        "gap_2025": with_measure_unit(r.gap_2025, r),
        "baseline": r.indicator.baseline,
    })
}

/// The trend section's data: the quarters, the unmet and 待核实 rows across them, and where
/// each unmet numeric row is heading (`null` without `--history`).
fn trend_context(t: &Trend) -> Value {
    let quarters: Vec<String> = t.periods.iter().map(|p| p.chinese()).collect();
    let rows: Vec<Value> = t
        .rows
        .iter()
        .filter(|r| r.row.status == Status::Unmet || r.row.unverified.is_some())
        .map(|r| {
            let values: Vec<String> = r
                .points
                .iter()
                .map(|p| p.as_ref().map_or("—".to_string(), |p| match p.value {
                    Some(n) => format!("{}{}", format_number(n), r.row.indicator.measure_unit.as_deref().filter(|u| *u != "—").unwrap_or("")),
                    None => p.text.clone(),
                }))
                .collect();
            json!({"id": r.row.id, "name": r.row.indicator.full_name(), "values": values, "status": r.row.status_label()})
        })
        .collect();
    let projections: Vec<Value> = t
        .rows
        .iter()
        .filter_map(|r| {
            let target = &r.row.indicator.target_for(t.stage_year).text;
            let unit = r.row.indicator.measure_unit.as_deref().unwrap_or("");
            let slope = r.slope.map(|m| format!("{}{}", n2(m.abs()), if unit == "%" { "个百分点" } else { unit }));
            let (kind, period) = match &r.projection {
                Projection::None => return None,
                Projection::TooFewPoints(n) => ("few", n.to_string()),
                Projection::Reaches(p) => ("reaches", p.chinese()),
                Projection::MovingAway(_) => ("away", String::new()),
            };
            let direction = r.slope.map(|m| if m >= 0.0 { "上升" } else { "下降" });
            Some(json!({"id": r.row.id, "name": r.row.indicator.full_name(), "kind": kind, "period": period, "target": target, "slope": slope, "direction": direction}))
        })
        .collect();
    json!({"quarters": quarters, "rows": rows, "projections": projections, "stage_year": t.stage_year, "points": t.present.iter().filter(|p| **p).count()})
}

pub fn build(schema: &Schema, checked: &Checked, a: &Assessment, trend: Option<&Trend>) -> Value {
    let binding = a.counts_of(crate::schema::Attribute::Binding);
    let reference = a.counts_of(crate::schema::Attribute::Reference);
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
                    let entry = line.and_then(|l| l.entry.as_ref());
                    let progress = match entry {
                        Some(e) => format!("{}，形象进度{}%", e.status.label(), n2(e.progress)),
                        None => format!("本期无进度数据：{}", line.and_then(|l| l.missing_reason).unwrap_or("未报送")),
                    };
                    let state = match entry {
                        Some(e) if e.status == ProjectStatus::Done => "done",
                        Some(_) => "open",
                        None => "no_data",
                    };
                    json!({"no": p.no, "name": p.name, "unit": p.unit, "progress": progress, "state": state})
                })
                .collect();
            json!({
                "id": g.id,
                "name": g.name,
                "attribute": g.attribute.label(),
                "department": rows.iter().map(|r| r.department).collect::<std::collections::BTreeSet<_>>().into_iter().collect::<Vec<_>>().join("、"),
                "rows": rows.iter().filter(|r| r.status == Status::Unmet).map(|r| unmet_row(r, a.period)).collect::<Vec<_>>(),
                "unverified": g.unverified,
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
                r.id, r.indicator.name, r.indicator.standard_label()
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
        "issued": issued(a.period),
        "counts": counts(&a.all),
        "binding": counts(&binding),
        "reference": counts(&reference),
        "binding_rate": a.binding_rate.map(|r| format!("{r:.1}%")).unwrap_or_else(|| "—".into()),
        "binding_unverified": a.groups.iter().filter(|g| g.unverified && g.attribute == crate::schema::Attribute::Binding).count(),
        "qualifies": a.qualifies,
        "domains": domains,
        "unmet": unmet,
        "no_data": no_data,
        "notes": notes,
        "projects": {
            "total": project_total(&a.total),
            "systems": a.systems.iter().map(project_total).collect::<Vec<_>>(),
            "behind": behind,
            "no_data": without_data(a),
        },
        "returns": returns,
        "suggestions": suggestions,
        "trend": trend.filter(|t| t.periods.len() > 1).map(trend_context),
    })
}

/// The 成文日期: the first day after the period ends (2026Q3 → 2026年10月1日). The report is
/// written from that quarter's returns, and a date from the clock would make the same inputs
/// give other bytes; the office changes it in Word when it signs later.
fn issued(p: crate::period::Period) -> String {
    match p.quarter {
        4 => format!("{}年1月1日", p.year + 1),
        q => format!("{}年{}月1日", p.year, u16::from(q) * 3 + 1),
    }
}

fn project_total(t: &crate::assess::SystemTotal) -> Value {
    json!({"system": t.system, "projects": t.projects, "investment": n2(t.investment), "completed": n2(t.completed), "reported": t.reported, "done": t.done, "building": t.building, "paused": t.paused, "not_started": t.not_started})
}

/// The years a project's 实施年限 spans (`2022-2025`, or one year).
fn span(years: &str) -> Option<(u16, u16)> {
    let mut parts = years
        .split(['-', '—', '~', '至'])
        .map(|y| y.trim().parse::<u16>().ok());
    let start = parts.next()??;
    let end = parts.next_back().flatten().unwrap_or(start);
    Some((start, end.max(start)))
}

/// What share of a project's 实施年限 has passed by the end of `period`, in %.
fn elapsed_share(years: &str, period: crate::period::Period) -> Option<f64> {
    let (start, end) = span(years)?;
    let passed = f64::from(period.year) - f64::from(start) + f64::from(period.quarter) / 4.0;
    let total = f64::from(end - start + 1);
    Some((passed / total * 100.0).clamp(0.0, 100.0))
}

/// Projects late by their own data: paused, not started after their start year, or behind the
/// share of their 实施年限 that has passed (past their end year, that share is 100 %). A
/// project without data this period is not late: see [`without_data`].
fn behind(a: &Assessment) -> Vec<Value> {
    let problem = |e: &crate::validate::ProjectEntry| {
        e.problem
            .as_ref()
            .filter(|s| !s.is_empty())
            .map(|s| format!("，存在问题：{s}"))
            .unwrap_or_default()
    };
    a.projects
        .iter()
        .filter_map(|l| {
            let p = l.project;
            let e = l.entry.as_ref()?;
            let start = span(&p.years).map_or(u16::MAX, |(s, _)| s);
            let expected = elapsed_share(&p.years, a.period);
            let situation = match e.status {
                ProjectStatus::Done => return None,
                ProjectStatus::Paused => format!("已暂停，形象进度{}%{}", n2(e.progress), problem(e)),
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
            Some(json!({"no": p.no, "name": p.name, "unit": p.unit, "years": p.years, "situation": situation}))
        })
        .collect()
}

/// Projects with no progress data this period (their unit's return missing or rejected):
/// listed with the reason, never as late.
fn without_data(a: &Assessment) -> Vec<Value> {
    a.projects
        .iter()
        .filter(|l| l.entry.is_none())
        .map(|l| {
            let p = l.project;
            json!({"no": p.no, "name": p.name, "unit": p.unit, "reason": l.missing_reason.unwrap_or("未报送")})
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
        out.push(unmet_suggestion(u));
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

/// What to do about one unmet indicator: a value 待核实 is checked first; unfinished supporting
/// projects are pushed; finished ones are never asked to 加快推进 — when all are finished the
/// cause is to be found; projects without data are to be reported.
fn unmet_suggestion(u: &Value) -> String {
    let id = u["id"].as_str().unwrap_or("");
    let name = u["name"].as_str().unwrap_or("");
    let department = u["department"].as_str().unwrap_or("");
    if u["unverified"].as_bool() == Some(true) {
        return format!(
            "{id}{name}：本期值待核实，请{department}核实后重新报送，核实前不作达标结论。"
        );
    }
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
    let projects = u["projects"].as_array().cloned().unwrap_or_default();
    let numbers = |state: &str| -> Vec<String> {
        projects
            .iter()
            .filter(|p| p["state"] == state)
            .map(|p| format!("{}号", p["no"]))
            .collect()
    };
    let (open, done, no_data) = (numbers("open"), numbers("done"), numbers("no_data"));
    let mut actions = Vec::new();
    if !open.is_empty() {
        actions.push(format!("加快推进{}工程", open.join("、")));
    }
    if !no_data.is_empty() {
        actions.push(format!("督促报送{}工程本期进度", no_data.join("、")));
    }
    if projects.is_empty() {
        actions.push("制定专项措施".to_string());
    } else if open.is_empty() && no_data.is_empty() {
        let all = if done.len() > 1 { "均" } else { "" };
        actions.push(format!(
            "其达标工程{}{all}已完工而指标仍未达标，须查明原因并制定专项措施",
            done.join("、")
        ));
    }
    format!(
        "{id}{name}{gap}：由{department}牵头，{}，确保{}指标按期达标。",
        actions.join("，"),
        u["attribute"].as_str().unwrap_or("")
    )
}
