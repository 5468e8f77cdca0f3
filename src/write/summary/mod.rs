//! 汇总表.xlsx: the 专栏1-style overview, statistics with a chart, projects, one sheet per
//! unit, diagnostics, provenance, and a hidden machine-readable sheet for `--previous`.

use super::style;
use crate::assess::Assessment;
use crate::read::previous::DATA_SHEET;
use crate::schema::Schema;
use crate::validate::{Checked, Diagnostic, Return};
use rust_xlsxwriter::{Worksheet, XlsxError};

mod overview;
mod projects;
mod trend;
mod units;

use overview::{overview, statistics};
use projects::projects;
use units::unit_sheet;

pub const OVERVIEW: &str = "指标总览";
pub const STATISTICS: &str = "分领域统计";
pub const PROJECTS: &str = "重点工程";
pub const DIAGNOSTICS: &str = "校验问题";
pub const SOURCES: &str = "数据来源";

pub fn write(
    schema: &Schema,
    checked: &Checked,
    a: &Assessment,
    trend: Option<&crate::assess::Trend>,
) -> Result<Vec<u8>, XlsxError> {
    let completeness = crate::assess::Completeness::of(checked, a);
    let title = format!(
        "{}国家生态文明建设示范旗指标达标情况汇总表（{}）{}",
        schema.meta.county,
        a.period.chinese(),
        if completeness.is_complete() {
            ""
        } else {
            "（初稿）"
        }
    );
    let mut book = super::workbook(&title);
    let warnings = crate::assess::warnings(a, trend, schema.meta.warning_share);
    overview(book.add_worksheet(), &title, a, &warnings, &completeness)?;
    statistics(book.add_worksheet(), a)?;
    if let Some(t) = trend.filter(|t| t.periods.len() > 1) {
        trend::sheet(&mut book, t)?;
    }
    projects(book.add_worksheet(), a)?;
    for unit in schema.reporting_units() {
        unit_sheet(book.add_worksheet(), schema, checked, a, &unit.name)?;
    }
    // The diagnostics sheet grows with the number of returns: it streams to a temporary
    // file instead of staying in memory (rows are written in order, as that mode needs).
    diagnostics(book.add_worksheet_with_constant_memory()?, checked)?;
    sources(book.add_worksheet(), a)?;
    data(book.add_worksheet(), schema, a)?;
    book.save_to_buffer()
}

/// Landscape, one page wide, the header repeated, numbered pages. A4 for most sheets; the
/// 18 columns of 指标总览 go on A3, so that printed text stays readable (about 9 pt).
pub(super) fn print_setup(ws: &mut Worksheet, header_row: u32) -> Result<(), XlsxError> {
    print_setup_on(ws, header_row, A4)
}

use style::{A3, A4};

fn print_setup_on(ws: &mut Worksheet, header_row: u32, paper: u8) -> Result<(), XlsxError> {
    style::landscape(ws, paper);
    ws.set_repeat_rows(0, header_row)?;
    ws.set_footer("&C第 &P 页，共 &N 页");
    Ok(())
}

fn headers(ws: &mut Worksheet, row: u32, names: &[&str], widths: &[f64]) -> Result<(), XlsxError> {
    let f = style::header();
    for (c, (name, w)) in names.iter().zip(widths).enumerate() {
        ws.write_string_with_format(row, c as u16, *name, &f)?;
        ws.set_column_width(c as u16, *w)?;
    }
    ws.set_row_height(row, 30)?;
    ws.set_freeze_panes(row + 1, 0)?;
    ws.autofilter(row, 0, row, names.len() as u16 - 1)?;
    Ok(())
}

fn opt_number(ws: &mut Worksheet, r: u32, c: u16, v: Option<f64>) -> Result<(), XlsxError> {
    match v {
        Some(v) => {
            ws.write_number_with_format(r, c, (v * 100.0).round() / 100.0, &style::number(2))?
        }
        None => ws.write_string_with_format(r, c, "—", &style::cell())?,
    };
    Ok(())
}

fn diagnostics(ws: &mut Worksheet, checked: &Checked) -> Result<(), XlsxError> {
    ws.set_name(DIAGNOSTICS)?;
    let names = [
        "文件",
        "填报单位",
        "结果",
        "级别",
        "代码",
        "位置",
        "指标",
        "所见值",
        "问题与修改办法",
    ];
    let widths = [36.0, 14.0, 12.0, 6.0, 20.0, 16.0, 6.0, 16.0, 60.0];
    headers(ws, 0, &names, &widths)?;
    let cell = style::cell();
    let mut r = 1u32;
    let groups = checked
        .returns
        .iter()
        .map(|ret| (Some(ret), ret.diagnostics.as_slice()))
        .chain(std::iter::once((None, checked.diagnostics.as_slice())));
    for (ret, diagnostics) in groups {
        for d in diagnostics.iter().take(LISTED_PER_FILE) {
            if r > LISTED_ROWS {
                let rest = "问题过多，其余未列出：请用 check --format json 查看全部";
                ws.write_string_with_format(r, 0, rest, &cell)?;
                return print_setup(ws, 0);
            }
            diagnostic_row(ws, r, ret, d, &widths)?;
            r += 1;
        }
        if diagnostics.len() > LISTED_PER_FILE {
            let rest = format!(
                "该文件另有 {} 条问题未列出，全部见其退回修改表或 check 的输出",
                diagnostics.len() - LISTED_PER_FILE
            );
            let file = ret.map(|x| x.path_text()).unwrap_or_default();
            ws.write_string_with_format(r, 0, &file, &cell)?;
            ws.write_string_with_format(r, 8, &rest, &cell)?;
            r += 1;
        }
    }
    print_setup(ws, 0)
}

/// How many of one file's diagnostics 校验问题 lists one by one, and how many rows in all: a
/// return with hundreds of thousands of duplicate rows must not push the sheet past Excel's
/// 1,048,576 rows (the returned copy and `check` list them all).
const LISTED_PER_FILE: usize = 1_000;
const LISTED_ROWS: u32 = 1_000_000;

fn diagnostic_row(
    ws: &mut Worksheet,
    r: u32,
    ret: Option<&Return>,
    d: &Diagnostic,
    widths: &[f64; 9],
) -> Result<(), XlsxError> {
    let values = [
        ret.map(|x| x.path_text())
            .unwrap_or_else(|| "（全局）".into()),
        ret.and_then(|x| x.unit.clone()).unwrap_or_default(),
        ret.map(|x| x.result_label().to_string())
            .unwrap_or_default(),
        d.severity.label().to_string(),
        d.code.id().to_string(),
        d.location(),
        d.indicator.clone().unwrap_or_default(),
        d.value.clone().unwrap_or_default(),
        d.advice(),
    ];
    for (c, v) in values.iter().enumerate() {
        ws.write_string_with_format(r, c as u16, v, &style::cell())?;
    }
    let fit: Vec<(&str, f64)> = values.iter().map(String::as_str).zip(*widths).collect();
    ws.set_row_height(r, style::row_height(&fit))?;
    Ok(())
}

fn sources(ws: &mut Worksheet, a: &Assessment) -> Result<(), XlsxError> {
    ws.set_name(SOURCES)?;
    let names = [
        "序号",
        "指标名称",
        "填报单位",
        "文件",
        "工作表",
        "单元格",
        "文件 SHA-256",
    ];
    headers(ws, 0, &names, &[7.0, 30.0, 13.0, 40.0, 12.0, 8.0, 68.0])?;
    let cell = style::cell();
    let mut r = 1u32;
    for row in a.rows.iter().filter(|x| x.source.is_some()) {
        let Some(s) = &row.source else { continue };
        let values = [
            row.id.to_string(),
            row.indicator.full_name(),
            row.department.to_string(),
            s.file.clone(),
            s.sheet.clone(),
            s.cell.to_string(),
            s.sha256.clone(),
        ];
        for (c, v) in values.iter().enumerate() {
            ws.write_string_with_format(r, c as u16, v, &cell)?;
        }
        r += 1;
    }
    print_setup(ws, 0)
}

fn data(ws: &mut Worksheet, schema: &Schema, a: &Assessment) -> Result<(), XlsxError> {
    ws.set_name(DATA_SHEET)?;
    for (c, h) in crate::read::previous::DATA_COLUMNS.iter().enumerate() {
        ws.write_string(0, c as u16, *h)?;
    }
    for (i, row) in a.rows.iter().enumerate() {
        let r = 1 + i as u32;
        ws.write_string(r, 0, row.id)?;
        if let Some(n) = row.value.as_ref().and_then(|v| v.number()) {
            ws.write_number(r, 1, n)?;
        }
        ws.write_string(r, 2, row.text.as_deref().unwrap_or(""))?;
        ws.write_string(r, 3, row.status.label())?;
        ws.write_string(r, 4, a.period.to_string())?;
        ws.write_string(r, 5, &schema.meta.version)?;
        if let Some(y) = row.data_year {
            ws.write_number(r, 6, f64::from(y))?;
        }
    }
    // What the next build counts a period's or a year's project work from.
    let reported = a
        .projects
        .iter()
        .filter_map(|l| Some((l.no, l.entry.as_ref()?)));
    for ((no, e), r) in reported.zip(1 + a.rows.len() as u32..) {
        ws.write_string(r, 0, crate::read::previous::project_id(no))?;
        ws.write_number(r, 1, e.completed)?;
        ws.write_string(r, 2, e.status.label())?;
        ws.write_string(r, 3, e.status.label())?;
        ws.write_string(r, 4, a.period.to_string())?;
        ws.write_string(r, 5, &schema.meta.version)?;
    }
    ws.set_hidden(true);
    Ok(())
}
