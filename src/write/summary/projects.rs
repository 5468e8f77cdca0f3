//! 重点工程: every project with its progress, and the totals by system.

use super::{headers, opt_number, print_setup, PROJECTS};
use crate::assess::{Assessment, Status};
use crate::write::style;
use rust_xlsxwriter::{Worksheet, XlsxError};

pub(super) fn projects(ws: &mut Worksheet, a: &Assessment) -> Result<(), XlsxError> {
    ws.set_name(PROJECTS)?;
    // With the 附表's category (达标工程 or 巩固工程) and 实施年限, so the sheet reads on
    // its own.
    let invested = invested_heading(a);
    let names = [
        "序号",
        "体系",
        "工程名称",
        "类别",
        "实施年限",
        "责任单位",
        "总投资（万元）",
        "累计完成投资（万元）",
        &invested,
        "投资完成率",
        "形象进度（%）",
        "状态",
        "存在问题",
        "说明",
    ];
    let widths = [
        6.0, 9.0, 40.0, 14.0, 11.0, 22.0, 13.0, 14.0, 14.0, 10.0, 11.0, 8.0, 24.0, 16.0,
    ];
    ws.merge_range(
        0,
        0,
        0,
        names.len() as u16 - 1,
        &format!("重点工程进展（{}）", a.period.chinese()),
        &style::title(),
    )?;
    headers(ws, 1, &names, &widths)?;
    let cell = style::cell();
    let mut r = 2u32;
    for line in &a.projects {
        let p = line.project;
        ws.write_number_with_format(r, 0, p.no as f64, &style::number(0))?;
        for (c, text) in [&p.system, &p.name, &p.attribute, &p.years, &p.unit]
            .into_iter()
            .enumerate()
        {
            ws.write_string_with_format(r, 1 + c as u16, text, &cell)?;
        }
        ws.set_row_height(
            r,
            style::row_height(&[(&p.name, widths[2]), (&p.unit, widths[5])]),
        )?;
        opt_number(ws, r, 6, p.investment)?;
        match &line.entry {
            Some(e) => progress(ws, r, line, e, a)?,
            None => {
                for c in 7..=12 {
                    ws.write_string_with_format(r, c, "", &cell)?;
                }
                ws.write_string_with_format(
                    r,
                    13,
                    format!("无本期进度：{}", line.missing_reason.unwrap_or("")),
                    &style::status(Status::NoData),
                )?;
            }
        }
        r += 1;
    }
    system_totals(ws, a, r + 1)?;
    print_setup(ws, 1)
}

/// A reported project's progress, from 累计完成投资 to 说明, in row `r`.
fn progress(
    ws: &mut Worksheet,
    r: u32,
    line: &crate::assess::ProjectLine,
    e: &crate::validate::ProjectEntry,
    a: &Assessment,
) -> Result<(), XlsxError> {
    let p = line.project;
    let cell = style::cell();
    opt_number(ws, r, 7, Some(e.completed))?;
    opt_number(ws, r, 8, line.invested())?;
    match p.investment.filter(|t| *t > 0.0) {
        Some(t) => ws.write_number_with_format(
            r,
            9,
            e.completed / t,
            &style::number(0).set_num_format("0.0%"),
        )?,
        None => ws.write_string_with_format(r, 9, "—", &cell)?,
    };
    opt_number(ws, r, 10, Some(e.progress))?;
    ws.write_string_with_format(r, 11, e.status.label(), &cell)?;
    ws.write_string_with_format(r, 12, e.problem.as_deref().unwrap_or(""), &cell)?;
    let mut notes = since_notes(line, a.period.is_annual());
    if line.overdue(a.period) {
        notes.push(format!("逾期未完工（实施年限{}）", p.years));
    }
    if line.spends_unplanned() {
        notes.push("规划未列总投资，累计完成计入本体系合计".to_string());
    }
    let shown = notes.join("；");
    let style = if line.overdue(a.period) {
        style::status(Status::Unmet)
    } else {
        cell.clone()
    };
    ws.write_string_with_format(r, 13, &shown, &style)?;
    Ok(())
}

/// `本年完成投资（万元）` in a year's build, `本期完成投资（万元）` in a quarter's, with the build
/// it is counted from where history has one.
fn invested_heading(a: &Assessment) -> String {
    let word = if a.period.is_annual() {
        "本年"
    } else {
        "本期"
    };
    match a.projects_since() {
        Some(p) => format!("{word}完成投资（万元，较{}）", p.chinese()),
        None => format!("{word}完成投资（万元）"),
    }
}

/// What the 说明 column says of a project's work since the earlier build.
fn since_notes(line: &crate::assess::ProjectLine, annual: bool) -> Vec<String> {
    let Some(since) = &line.since else {
        return Vec::new();
    };
    let then = since.period.chinese();
    let n2 = crate::write::wording::n2;
    let mut notes = Vec::new();
    match (line.change_since(), line.typed_this_year) {
        (None, None) => notes.push(format!(
            "{then}未报送该工程，无法计算{}完成投资",
            if annual { "本年" } else { "本期" }
        )),
        (None, Some(_)) => notes.push(format!("{then}未报送该工程，按填报的本年完成投资计")),
        (Some(v), _) if v < 0.0 => {
            notes.push(format!("累计完成投资比{then}减少{}万元，请核实", n2(-v)))
        }
        (Some(v), Some(typed)) if (v - typed).abs() > 0.005 => notes.push(format!(
            "填报的本年完成投资{}万元与累计完成投资的增加额{}万元不一致，按增加额计",
            n2(typed),
            n2(v)
        )),
        _ => {}
    }
    if line.finished_since() {
        notes.push(format!(
            "{}完工（{then}尚未完工）",
            if annual { "本年度" } else { "本期" }
        ));
    }
    notes
}

/// The column of the totals' 说明.
const NOTE: usize = 11;

/// The totals by system (and 合计) under the project list, from row `r`.
fn system_totals(ws: &mut Worksheet, a: &Assessment, mut r: u32) -> Result<(), XlsxError> {
    let cell = style::cell();
    let totals = [
        "体系",
        "工程数",
        "已报进度",
        "总投资（万元）",
        "累计完成投资（万元）",
        &invested_heading(a),
        "已完工",
        "其中新完工",
        "在建",
        "已暂停",
        "未开工",
        "说明",
    ];
    let h = style::header();
    for (c, t) in totals.iter().enumerate().take(NOTE) {
        ws.write_string_with_format(r, c as u16, *t, &h)?;
    }
    // The note spans the list's 状态 … 说明 columns: one of them alone is too narrow for it.
    ws.merge_range(r, NOTE as u16, r, NOTE as u16 + 2, totals[NOTE], &h)?;
    r += 1;
    let compared = a.projects_since().is_some();
    for t in a.systems.iter().chain(std::iter::once(&a.total)) {
        ws.write_string_with_format(r, 0, &t.system, &cell)?;
        for (c, v) in [t.projects, t.reported].iter().enumerate() {
            ws.write_number_with_format(r, 1 + c as u16, *v as f64, &cell)?;
        }
        opt_number(ws, r, 3, Some(t.investment))?;
        opt_number(ws, r, 4, Some(t.completed))?;
        let counted = t.invested_projects > 0;
        opt_number(ws, r, 5, Some(t.invested).filter(|_| counted))?;
        for (c, v) in [t.done, t.finished, t.building, t.paused, t.not_started]
            .iter()
            .enumerate()
        {
            ws.write_number_with_format(r, 6 + c as u16, *v as f64, &cell)?;
        }
        if !compared {
            // Nothing on record to have finished since.
            ws.write_string_with_format(r, 7, "—", &cell)?;
        }
        let note = if t.unplanned.is_empty() {
            String::new()
        } else {
            let nos: Vec<String> = t.unplanned.iter().map(|n| format!("{n}号")).collect();
            format!(
                "累计完成含规划未列总投资的{}，可能超过总投资",
                nos.join("、")
            )
        };
        ws.merge_range(r, NOTE as u16, r, NOTE as u16 + 2, &note, &cell)?;
        r += 1;
    }
    Ok(())
}
