//! One sheet per reporting unit: its rows as read, and why a rejected return was held.

use super::{headers, opt_number, print_setup};
use crate::assess::{Assessment, Status};
use crate::schema::Schema;
use crate::text::without_bidi;
use crate::validate::{Checked, Return, ReturnStatus};
use crate::write::style;
use rust_xlsxwriter::{Worksheet, XlsxError};

fn return_of<'c>(checked: &'c Checked, unit: &str) -> Vec<&'c Return> {
    checked
        .returns
        .iter()
        .filter(|r| r.unit.as_deref() == Some(unit))
        .collect()
}

pub(super) fn unit_sheet(
    ws: &mut Worksheet,
    schema: &Schema,
    checked: &Checked,
    a: &Assessment,
    unit: &str,
) -> Result<(), XlsxError> {
    ws.set_name(unit)?;
    let names = [
        "序号",
        "指标名称",
        "本期值（原文）",
        "读取值",
        "达标状态",
        "数据来源",
        "备注",
        "来源单元格",
    ];
    let widths = [7.0, 34.0, 16.0, 10.0, 9.0, 16.0, 26.0, 14.0];
    let returns = return_of(checked, unit);
    let status = match returns.first() {
        None => "本期未报送".to_string(),
        Some(r) => format!("文件：{}（{}）", r.path_text(), r.result_label()),
    };
    ws.merge_range(
        0,
        0,
        0,
        7,
        &format!("{unit}填报数据（{}）", a.period.chinese()),
        &style::title(),
    )?;
    ws.merge_range(1, 0, 1, 7, &status, &style::subtitle())?;
    headers(ws, 2, &names, &widths)?;
    let accepted = returns.iter().find(|r| r.consolidates()).copied();
    let r = unit_indicator_rows(ws, schema, a, unit, accepted, 3, &widths)?;
    let r = unit_project_rows(ws, a, unit, r)?;
    unit_rejections(ws, &returns, r, &widths)?;
    print_setup(ws, 2)
}

/// The unit's indicator rows as read from its consolidated return (empty and 缺数据 without
/// one); returns the next free row.
fn unit_indicator_rows(
    ws: &mut Worksheet,
    schema: &Schema,
    a: &Assessment,
    unit: &str,
    accepted: Option<&Return>,
    mut r: u32,
    widths: &[f64; 8],
) -> Result<u32, XlsxError> {
    let cell = style::cell();
    for ind in schema.indicators_of(unit) {
        ws.write_string_with_format(r, 0, &ind.id, &cell)?;
        ws.write_string_with_format(r, 1, ind.full_name(), &cell)?;
        match accepted.and_then(|ret| ret.entry(&ind.id)) {
            Some(e) => {
                ws.set_row_height(
                    r,
                    style::row_height(&[
                        (&ind.full_name(), widths[1]),
                        (&e.text, widths[2]),
                        (e.remark.as_deref().unwrap_or(""), widths[6]),
                    ]),
                )?;
                ws.write_string_with_format(r, 2, &e.text, &cell)?;
                match e.value.number() {
                    Some(n) => ws.write_number_with_format(r, 3, n, &cell)?,
                    None => ws.write_string_with_format(r, 3, &e.text, &cell)?,
                };
                let row = a.rows.iter().find(|x| x.id == ind.id);
                let st = row.map(|x| x.status).unwrap_or(Status::NoData);
                ws.write_string_with_format(r, 4, st.label(), &style::status(st))?;
                ws.write_string_with_format(r, 5, e.data_source.as_deref().unwrap_or(""), &cell)?;
                ws.write_string_with_format(r, 6, e.remark.as_deref().unwrap_or(""), &cell)?;
                ws.write_string_with_format(
                    r,
                    7,
                    format!("{}!{}", without_bidi(&e.source.sheet), e.source.cell),
                    &cell,
                )?;
            }
            None => {
                for c in 2..=7 {
                    ws.write_string_with_format(r, c, "", &cell)?;
                }
                ws.write_string_with_format(
                    r,
                    4,
                    Status::NoData.label(),
                    &style::status(Status::NoData),
                )?;
            }
        }
        r += 1;
    }
    Ok(r)
}

/// The unit's projects and their progress; returns the next free row.
fn unit_project_rows(
    ws: &mut Worksheet,
    a: &Assessment,
    unit: &str,
    mut r: u32,
) -> Result<u32, XlsxError> {
    let cell = style::cell();
    let projects: Vec<_> = a
        .projects
        .iter()
        .filter(|p| p.project.unit == unit)
        .collect();
    if !projects.is_empty() {
        r += 1;
        for (c, h) in [
            "工程序号",
            "工程名称",
            "累计完成投资（万元）",
            "形象进度（%）",
            "状态",
            "存在问题",
            "",
            "来源单元格",
        ]
        .iter()
        .enumerate()
        {
            ws.write_string_with_format(r, c as u16, *h, &style::header())?;
        }
        r += 1;
        for p in projects {
            ws.write_number_with_format(r, 0, p.no as f64, &cell)?;
            ws.write_string_with_format(r, 1, &p.project.name, &cell)?;
            if let Some(e) = &p.entry {
                opt_number(ws, r, 2, Some(e.completed))?;
                opt_number(ws, r, 3, Some(e.progress))?;
                ws.write_string_with_format(r, 4, e.status.label(), &cell)?;
                ws.write_string_with_format(r, 5, e.problem.as_deref().unwrap_or(""), &cell)?;
                ws.write_string_with_format(
                    r,
                    7,
                    format!("{}!{}", without_bidi(&e.source.sheet), e.source.cell),
                    &cell,
                )?;
            } else {
                ws.write_string_with_format(
                    r,
                    4,
                    Status::NoData.label(),
                    &style::status(Status::NoData),
                )?;
            }
            r += 1;
        }
    }
    Ok(r)
}

/// Under the rows: each rejected return of the unit with the errors to correct.
fn unit_rejections(
    ws: &mut Worksheet,
    returns: &[&Return],
    mut r: u32,
    widths: &[f64; 8],
) -> Result<(), XlsxError> {
    let cell = style::cell();
    for ret in returns
        .iter()
        .filter(|x| x.status() == ReturnStatus::Rejected)
    {
        r += 1;
        ws.merge_range(
            r,
            0,
            r,
            7,
            &format!("{} 已退回修改，以下问题改正后重新报送：", ret.path_text()),
            &style::subtitle(),
        )?;
        r += 1;
        for d in ret
            .diagnostics
            .iter()
            .filter(|d| d.severity == crate::validate::Severity::Error)
        {
            let line = format!("{} {}", d.location(), d.message);
            ws.merge_range(r, 0, r, 7, &line, &cell)?;
            ws.set_row_height(r, style::row_height(&[(&line, widths.iter().sum())]))?;
            r += 1;
        }
    }
    Ok(())
}
