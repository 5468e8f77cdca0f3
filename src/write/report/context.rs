//! The data the report template sees ([`ReportContext`]). Every number comes from the
//! assessment; nothing here is wording (that is the template's), except the generated
//! suggestions and situations.

mod projects;
mod suggestions;
mod types;
mod warning;

use projects::{behind, overdue, supporting_project, unplanned_footnotes, without_data};
use warning::warning_section;

pub use types::*;

use crate::assess::{
    trend::{Point, Step, TrendRow},
    Assessment, Counts, GroupAssessment, Projection, RowAssessment, Status, Trend, Warnings,
};
use crate::period::Period;
use crate::schema::{Attribute, GapKind, Schema, Standard};
use crate::text::format_number;
use crate::validate::{Checked, ReturnStatus, Severity};
use crate::write::wording::{
    change, plan_words, shown_value, standard, target_text, with_measure_unit,
};
use std::collections::BTreeSet;

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
    let target = target_text(&ind.target_for(year).text, r);
    if year == 2025 {
        return Stage {
            year,
            target,
            gap: with_measure_unit(r.gap_2025, r),
            outcome_2025: None,
        };
    }
    let outcome = match (r.gap_2025, r.value.is_some() && r.is_of_2025()) {
        (Some(g), true) if g > 0.0 => Some(format!(
            "2025年规划目标（{}）已到期未实现",
            target_text(&ind.target_2025.text, r)
        )),
        (Some(_), true) => Some(format!(
            "2025年规划目标（{}）已实现",
            target_text(&ind.target_2025.text, r)
        )),
        _ => None,
    };
    Stage {
        year,
        target,
        gap: with_measure_unit(r.gap_2030, r),
        outcome_2025: outcome,
    }
}

pub fn build(
    schema: &Schema,
    checked: &Checked,
    a: &Assessment,
    trend: Option<&Trend>,
    warnings: &Warnings,
    filing: &super::Filing,
) -> ReportContext {
    let unmet: Vec<UnmetIndicator> = a
        .groups
        .iter()
        .filter(|g| g.status == Status::Unmet)
        .map(|g| unmet_indicator(g, schema, a))
        .collect();
    let behind = behind(a);
    let suggestions = suggestions::all(a, checked, &unmet, &behind);
    let completeness = crate::assess::Completeness::of(checked, a);
    ReportContext {
        draft: (!completeness.is_complete()).then(|| completeness.lacking()),
        county: schema.meta.county.clone(),
        period: a.period.to_string(),
        period_cn: a.period.chinese(),
        issued: filing.date.chinese(),
        office: OfficeLine {
            issuer: filing.office.issuer.clone(),
            self_name: filing.office.self_name.clone(),
            recipient: filing.office.recipient.clone(),
            contact: filing.office.contact.clone(),
        },
        attachment: format!(
            "{}国家生态文明建设示范旗指标达标情况表（{}）",
            schema.meta.county,
            a.period.chinese()
        ),
        counts: (&a.all).into(),
        binding: (&a.counts_of(Attribute::Binding)).into(),
        reference: (&a.counts_of(Attribute::Reference)).into(),
        binding_rate: a.counts_of(Attribute::Binding).rate_text(),
        binding_note: binding_note(schema),
        binding_unverified: a
            .groups
            .iter()
            .filter(|g| g.unverified && g.attribute == Attribute::Binding)
            .count(),
        qualifies: a.qualifies,
        domains: a
            .by_domain
            .iter()
            .map(|(d, c)| domain_line(d, c, a))
            .collect(),
        unmet,
        no_data: no_data(a),
        notes: notes(a),
        projects: ProjectsSection {
            total: (&a.total).into(),
            systems: a.systems.iter().map(ProjectTotal::from).collect(),
            behind,
            overdue: overdue(a),
            footnotes: unplanned_footnotes(a),
            no_data: without_data(a),
            since: projects::since(a),
        },
        returns: returns(schema, checked, a, filing.lateness),
        suggestions,
        trend: trend.filter(|t| t.periods.len() > 1).map(trend_section),
        warning: warning_section(a, warnings),
        annual: AnnualSection::of(&filing.office.annual),
        conditions: conditions(schema, checked, a),
    }
}

/// `规划文本为19项，差异在于指标10“林草覆盖率(干旱半干旱地区)”专栏1本行属性栏为空，本报告按约束性计`.
fn binding_note(schema: &Schema) -> Option<String> {
    let (declared, readings) = crate::schema::binding_departure(schema)?;
    let read: Vec<String> = readings
        .iter()
        .map(|r| {
            format!(
                "指标{}“{}”{}，本报告按{}计",
                r.id,
                r.name,
                r.why,
                r.attribute.label()
            )
        })
        .collect();
    Some(if read.is_empty() {
        format!("规划文本为{declared}项，与专栏1所列属性不一致")
    } else {
        format!("规划文本为{declared}项，差异在于{}", read.join("；"))
    })
}

fn domain_line(domain: &str, c: &Counts, a: &Assessment) -> DomainLine {
    DomainLine {
        name: domain.to_string(),
        counts: c.into(),
        unmet_names: a
            .groups
            .iter()
            .filter(|g| g.domain == domain && g.status == Status::Unmet)
            .map(|g| format!("{} {}", g.id, g.name))
            .collect(),
    }
}

fn unmet_indicator(g: &GroupAssessment, schema: &Schema, a: &Assessment) -> UnmetIndicator {
    let rows: Vec<&RowAssessment> = g.rows.iter().filter_map(|&i| a.rows.get(i)).collect();
    let supporting = rows
        .first()
        .map(|r| schema.projects_supporting(r.indicator))
        .unwrap_or_default();
    let departments: BTreeSet<&str> = rows.iter().map(|r| r.department).collect();
    UnmetIndicator {
        id: g.id.to_string(),
        name: g.name.to_string(),
        attribute: g.attribute.label(),
        department: departments.into_iter().collect::<Vec<_>>().join("、"),
        rows: rows
            .iter()
            .filter(|r| r.status == Status::Unmet)
            .map(|r| unmet_row(r, a.period))
            .collect(),
        unverified: g.unverified,
        projects: supporting
            .iter()
            .map(|p| supporting_project(p, a))
            .collect(),
    }
}

/// One unmet row of an indicator. A value 待核实 gets no gap: a figure the tool doubts never
/// decides a conclusion.
fn unmet_row(r: &RowAssessment, period: Period) -> UnmetRow {
    let st = stage(r, period);
    let doubted = r.unverified.is_some();
    UnmetRow {
        label: match r.parent {
            Some(_) => format!("{}（{}）", r.indicator.reported_name(), r.id),
            None => String::new(),
        },
        value: shown_value(r, period),
        // A doubted value's change is as doubtful as the value.
        changes: crate::write::wording::changes(r).filter(|_| !doubted),
        unverified: r.unverified.clone(),
        standard: standard(r),
        gap: with_measure_unit(r.gap, r).filter(|_| !doubted),
        gap_is_state: matches!(r.indicator.gap_kind, GapKind::State(_)),
        stage_year: st.year,
        stage_target: st.target,
        stage_gap: st.gap.filter(|_| !doubted),
        target_2025_outcome: st.outcome_2025.filter(|_| !doubted),
        target_2025: r.indicator.target_2025.text.clone(),
        gap_2025: with_measure_unit(r.gap_2025, r),
        // The plan's “/” (no figure in 2021) is not a value to write.
        baseline: Some(r.indicator.baseline.trim())
            .filter(|b| !b.is_empty() && *b != "/" && *b != "—")
            .map(|b| target_text(b, r))
            .unwrap_or_default(),
    }
}

fn no_data(a: &Assessment) -> Vec<NoDataIndicator> {
    a.rows
        .iter()
        .filter(|r| r.status == Status::NoData)
        .map(|r| NoDataIndicator {
            id: r.id.to_string(),
            name: r.indicator.full_name(),
            department: r.department.to_string(),
            reason: r.missing_reason.unwrap_or("无数据"),
        })
        .collect()
}

/// Indicators whose target the office should know more of: one set in a period now ended, or
/// none set at all.
fn notes(a: &Assessment) -> Vec<String> {
    let mut notes = Vec::new();
    for r in &a.rows {
        if r.indicator.target_period_ended {
            let this_period = match r.status {
                Status::Pending => "本期列为待核实，不计入达标率；",
                Status::NoData => "本期暂无数据，按未达标计；",
                _ => "",
            };
            notes.push(format!(
                "指标{}“{}”的上级规定目标（{}）所属规划期已结束，现行目标尚未登记，{this_period}请{}提供现行上级目标，登记到指标体系后按其评估。",
                r.id, r.indicator.name, plan_words(r), r.department
            ));
        }
        if let Some(p) = &r.indicator.current_standard_period {
            notes.push(format!(
                "指标{}“{}”规划所列上级目标（{}）已到期，本报告按登记的现行（{p}）上级目标{}评估。",
                r.id,
                r.indicator.name,
                plan_words(r),
                standard(r)
            ));
        }
        if matches!(r.indicator.standard, Standard::NoTarget) {
            notes.push(format!("指标{}“{}”上级未下达目标，按规划口径报送即计为达标；上级下达目标后应更新指标体系。", r.id, r.indicator.name));
        }
    }
    notes
}

/// The trend section: the quarters, the unmet and 待核实 rows across them, and where each
/// unmet numeric row is heading.
fn trend_section(t: &Trend) -> TrendSection {
    let rows = t
        .rows
        .iter()
        .filter(|r| {
            matches!(r.row.status, Status::Unmet | Status::Pending) || r.row.unverified.is_some()
        })
        .map(|r| TrendLine {
            id: r.row.id.to_string(),
            name: r.row.indicator.full_name(),
            values: r
                .points
                .iter()
                .map(|p| trend_value(r, p.as_ref()))
                .collect(),
            status: r.row.status_label(),
        })
        .collect();
    TrendSection {
        quarters: t.periods.iter().map(|p| p.chinese()).collect(),
        rows,
        projections: t
            .rows
            .iter()
            .filter_map(|r| trend_projection(r, t.stage_year))
            .collect(),
        stage_year: t.stage_year,
        points: t.present.iter().filter(|p| **p).count(),
    }
}

/// A value as the trend table shows it: with its measure unit, or as typed.
fn trend_value(r: &TrendRow, point: Option<&Point>) -> String {
    let Some(p) = point else {
        return "—".to_string();
    };
    let shown = match p.value {
        Some(n) => {
            let measure = r.row.indicator.measure_unit.as_deref();
            let measure = measure.filter(|u| *u != "—").unwrap_or("");
            format!("{}{measure}", format_number(n))
        }
        None => p.text.clone(),
    };
    // An annual row's quarters repeat one year's figure until the next year's is out: say
    // which year each is.
    match p.data_year {
        // On its own line in the table's narrow cell.
        Some(y) => format!("{shown}\n（{y}年度）"),
        None => shown,
    }
}

fn trend_projection(r: &TrendRow, stage_year: u16) -> Option<TrendProjection> {
    let (kind, period) = match &r.projection {
        Projection::None => return None,
        Projection::TooFewPoints(n) => (ProjectionKind::Few, n.to_string()),
        Projection::Reaches(p) => (ProjectionKind::Reaches, p.chinese()),
        Projection::ReachesYear(y) => (ProjectionKind::Reaches, format!("{y}年度")),
        Projection::MovingAway(_) => (ProjectionKind::Away, String::new()),
        Projection::Flat => (ProjectionKind::Flat, String::new()),
        Projection::TooSlow(_) => (ProjectionKind::Slow, String::new()),
    };
    Some(TrendProjection {
        id: r.row.id.to_string(),
        name: r.row.indicator.full_name(),
        kind,
        period,
        target: target_text(&r.row.indicator.target_for(stage_year).text, r.row),
        slope: r.slope.map(|m| change(m, r.row)),
        direction: r.slope.map(|m| if m >= 0.0 { "上升" } else { "下降" }),
        per: match r.step {
            Step::Quarter => "每季度",
            Step::DataYear | Step::SameQuarter => "每年",
        },
        points: r.used,
        point_word: match r.step {
            Step::Quarter => "个季度",
            Step::DataYear => "个年度",
            Step::SameQuarter => "年同期",
        },
    })
}

/// 基本条件自查 as the year's report states it: each condition with its answering unit's
/// answer (a quarter's report has none).
fn conditions(schema: &Schema, checked: &Checked, a: &Assessment) -> Vec<ConditionLine> {
    if !a.period.is_annual() {
        return Vec::new();
    }
    schema
        .conditions
        .iter()
        .map(|c| {
            let sent = checked.returns.iter().find(|r| {
                r.period == Some(a.period)
                    && r.unit.as_deref() == Some(c.unit.as_str())
                    && r.duplicate_of.is_none()
                    && r.status() != ReturnStatus::Superseded
            });
            let answered = sent.and_then(|r| r.conditions.iter().find(|x| x.id == c.id));
            if let Some(d) = crate::assess::conditions::derive(c, a) {
                let given = answered.and_then(|x| x.answer);
                return ConditionLine {
                    text: c.text.clone(),
                    answer: derived_answer(c, (&d, a.period), given),
                };
            }
            let answer = match (sent, answered.and_then(|x| x.answer.map(|a| (a, &x.note)))) {
                (None, _) => format!("未作答（{}未报送年度填报表）", c.unit),
                (Some(_), None) => format!("未作答（{}的年度填报表没有填写该项）", c.unit),
                (Some(_), Some((given, _))) if given == c.meets => {
                    format!("{}，符合", given.word())
                }
                (Some(_), Some((given, note))) if note.is_empty() => {
                    format!("{}，不符合（未说明情况）", given.word())
                }
                (Some(_), Some((given, note))) => format!(
                    "{}，不符合。{}说明：{}",
                    given.word(),
                    c.unit,
                    note.trim_end_matches('。')
                ),
            };
            ConditionLine {
                text: c.text.clone(),
                answer,
            }
        })
        .collect()
}

/// A condition as its indicators answer it, with the answering unit's word where it differs.
fn derived_answer(
    c: &crate::schema::Condition,
    (d, period): (&crate::assess::conditions::Derived, Period),
    given: Option<crate::schema::Answer>,
) -> String {
    let answer = d.answer(c.meets);
    let ids: Vec<&str> = d.compared.iter().map(|r| r.id).collect();
    let mut text = if d.worse.is_empty() {
        format!(
            "{}，符合（据指标{}与{}比较，均未下降）",
            answer.word(),
            ids.join("、"),
            d.against
        )
    } else {
        let worse: Vec<String> = d
            .worse
            .iter()
            .map(|r| {
                let was = r
                    .on_year
                    .as_ref()
                    .map_or(String::new(), |b| match b.previous_number {
                        Some(n) => crate::write::wording::in_its_unit(n, r),
                        None => format!("“{}”", b.previous),
                    });
                format!(
                    "指标{}“{}”由{}变为{}",
                    r.id,
                    r.indicator.reported_name(),
                    was,
                    shown_value(r, period)
                )
            })
            .collect();
        format!(
            "{}，不符合（与{}比较：{}）",
            answer.word(),
            d.against,
            worse.join("；")
        )
    };
    if let Some(g) = given.filter(|g| *g != answer) {
        text.push_str(&format!(
            "。{}作答为“{}”，与指标比较的结果不一致，请核实",
            c.unit,
            g.word()
        ));
    }
    text
}

/// Rejected returns named one by one in the report; beyond these it gives the count and points
/// to 汇总表, which lists every one (a city's run can reject thousands).
const REJECTED_NAMED: usize = 10;

fn returns(
    schema: &Schema,
    checked: &Checked,
    a: &Assessment,
    lateness: Option<&super::Lateness>,
) -> ReturnsSection {
    let late_time = |unit: &str| {
        lateness.and_then(|l| {
            l.late
                .iter()
                .find(|(u, _)| u == unit)
                .map(|(_, t)| t.clone())
        })
    };
    let period_returns: Vec<_> = checked
        .returns
        .iter()
        .filter(|r| r.period == Some(a.period) && r.unit.is_some() && r.duplicate_of.is_none())
        .collect();
    let all_rejected = checked
        .returns
        .iter()
        .filter(|r| r.status() == ReturnStatus::Rejected);
    let rejected_list = all_rejected
        .clone()
        .take(REJECTED_NAMED)
        .map(|r| RejectedReturn {
            unit: r.unit.clone().unwrap_or_else(|| {
                r.file
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default()
            }),
            // What is wrong, not the fix a validator gives the unit (that is in its returned
            // form): a report for leaders says where and what.
            reasons: r
                .diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .map(|d| {
                    let place = match (&d.sheet, &d.cell) {
                        (Some(sheet), Some(cell)) => {
                            format!("“{}”表{cell}单元格", crate::text::without_bidi(sheet))
                        }
                        _ => String::new(),
                    };
                    match d.value.as_deref().filter(|v| !v.is_empty()) {
                        Some(v) => format!("{place}填的“{v}”，{}", d.code.meaning()),
                        None => format!("{place}{}", d.code.meaning()),
                    }
                })
                .collect(),
        })
        .collect();
    let units = schema
        .reporting_units()
        .iter()
        .map(|u| {
            let r = period_returns
                .iter()
                .find(|r| r.unit.as_deref() == Some(u.name.as_str()));
            let late = r.and_then(|_| late_time(&u.name));
            UnitReturn {
                unit: u.name.clone(),
                state: format!(
                    "{}{}",
                    r.map_or("未报送", |r| r.status().label()),
                    if late.is_some() { "（逾期）" } else { "" }
                ),
                errors: r.map_or(0, |r| r.count(Severity::Error)),
                warnings: r.map_or(0, |r| r.count(Severity::Warning)),
            }
        })
        .collect();
    let with_status = |s: ReturnStatus| period_returns.iter().filter(|r| r.status() == s).count();
    ReturnsSection {
        expected: schema.reporting_units().len(),
        received: period_returns.len(),
        accepted: period_returns.len() - with_status(ReturnStatus::Rejected),
        with_warnings: with_status(ReturnStatus::Warnings),
        rejected: with_status(ReturnStatus::Rejected),
        rejected_list,
        rejected_more: all_rejected.count().saturating_sub(REJECTED_NAMED),
        missing: checked.missing_units.clone(),
        deadline: lateness.map(|l| l.deadline.clone()),
        late: schema
            .reporting_units()
            .iter()
            .filter(|u| {
                period_returns
                    .iter()
                    .any(|r| r.unit.as_deref() == Some(u.name.as_str()))
            })
            .filter_map(|u| {
                Some(LateReturn {
                    unit: u.name.clone(),
                    time: late_time(&u.name)?,
                })
            })
            .collect(),
        units,
    }
}
