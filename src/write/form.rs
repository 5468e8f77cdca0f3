//! The return form (填报表) one unit fills in: locked labels and targets, unlocked inputs
//! with validation, instructions, and a hidden stamp `check` reads back.

use super::style;
use crate::period::Period;
use crate::read::layout::{Column, StampKey, STAMP_SHEET};
use crate::read::{Cell, CellValue};
use crate::schema::{Frequency, Indicator, Schema, Standard};
use crate::text::format_number;
use crate::validate::ProjectStatus;
use crate::validate::{RowKey, SentRow};
use rust_xlsxwriter::Workbook;
use rust_xlsxwriter::{DataValidation, DataValidationRule, Worksheet, XlsxError};
use std::collections::BTreeMap;

pub const INDICATOR_SHEET: &str = "指标填报";
pub const PROJECT_SHEET: &str = "重点工程进度";
pub const GUIDE_SHEET: &str = "填报说明";
/// The annual form's 基本条件自查, for the unit that answers the conditions.
pub const CONDITION_SHEET: &str = crate::schema::conditions::SHEET;
/// Its header row (0-based) and columns: 序号, 基本条件, 自查结论, 说明.
pub const CONDITION_HEADER_ROW: u32 = 2;
pub const CONDITION_HEADER: [&str; 4] = ["序号", "基本条件", "自查结论（是/否）", "说明"];
/// The 0-based row of the table header on both sheets.
pub const HEADER_ROW: u32 = 4;
pub const INDICATOR_HEADER: [&str; 9] = [
    "序号",
    "指标名称",
    "单位",
    "指标属性",
    "目标值",
    "本期值",
    "数据年份",
    "数据来源",
    "备注",
];
/// The project table's columns: heading, what the reader names the ones people type into,
/// width (`None`: 工程名称's, fitted to the names). A year's form asks 本年完成投资 beside 累计完成投资:
/// the year's own investment, for a year with no build of the year before to count it from.
pub fn project_columns(period: Period) -> Vec<(&'static str, Option<Column>, Option<f64>)> {
    let mut columns = vec![
        ("序号", None, Some(7.0)),
        ("工程名称", None, None),
        ("总投资（万元）", None, Some(14.0)),
        ("累计完成投资（万元）", Some(Column::Completed), Some(18.0)),
        ("形象进度（%）", Some(Column::Progress), Some(14.0)),
        ("状态", Some(Column::Status), Some(10.0)),
        ("存在问题", Some(Column::Problem), Some(30.0)),
    ];
    if period.is_annual() {
        columns.insert(
            4,
            (
                "本年完成投资（万元）",
                Some(Column::YearInvestment),
                Some(18.0),
            ),
        );
    }
    columns
}
/// Columns of the indicator table people type into: 本期值, 数据年份 (annual rows only),
/// 数据来源, 备注.
pub const INDICATOR_INPUTS: [u16; 4] = [5, 6, 7, 8];
/// The 数据年份 column.
const DATA_YEAR_COLUMN: u16 = 6;
/// What the input columns hold, as the reader names them.
const INDICATOR_COLUMNS: [Column; 4] = [
    Column::Value,
    Column::DataYear,
    Column::Source,
    Column::Remark,
];

/// Whom 填报说明 names for questions, unless `template --contact` says otherwise.
pub const CONTACT: &str = "旗生态环境分局 生态文明建设办公室";

/// The widest the name column gets; longer names wrap.
const NAME_WIDTH: f64 = 46.0;

/// The file name a unit's form is sent out under.
pub fn file_name(unit: &str, period: Period) -> String {
    format!("{period}_{unit}_填报表.xlsx")
}

pub fn write(
    schema: &Schema,
    unit: &str,
    period: Period,
    contact: &str,
) -> Result<Vec<u8>, XlsxError> {
    let mut book = super::workbook(&format!("{} {} {}", schema.meta.title, unit, period));
    add_form(&mut book, schema, unit, period, contact, None)?;
    book.save_to_buffer()
}

/// What a returned form carries besides the blank form: the rows the unit sent, a note for
/// each flagged cell (keyed by where it was in the unit's file), and the revision.
pub struct Filling<'a> {
    pub sent: &'a [SentRow],
    pub notes: &'a BTreeMap<(String, u32, u32), String>,
    pub revision: u32,
}

impl Filling<'_> {
    /// The cell the unit sent for `key` in `column`, and its note if it was flagged.
    fn cell(&self, key: &RowKey, column: Column) -> Option<(&Cell, Option<&String>)> {
        let row = self.sent.iter().find(|r| &r.key == key)?;
        let (_, cell) = row.cells.iter().find(|(c, _)| *c == column)?;
        Some((
            cell,
            self.notes.get(&(row.sheet.clone(), cell.row, cell.col)),
        ))
    }
}

/// The form's sheets, appended to `book`: filled in and annotated when `filling` is given.
pub fn add_form(
    book: &mut Workbook,
    schema: &Schema,
    unit: &str,
    period: Period,
    contact: &str,
    filling: Option<&Filling>,
) -> Result<(), XlsxError> {
    let indicators: Vec<&Indicator> = schema.indicators_of(unit).collect();
    if !indicators.is_empty() {
        let ws = book.add_worksheet();
        ws.set_name(INDICATOR_SHEET)?;
        indicator_sheet(ws, schema, unit, period, &indicators, filling)?;
    }
    let projects: Vec<_> = schema.projects_of(unit).collect();
    if !projects.is_empty() {
        let ws = book.add_worksheet();
        ws.set_name(PROJECT_SHEET)?;
        label_block(
            ws,
            &format!("{}（重点工程进度）", schema.meta.title),
            unit,
            period,
            project_columns(period).len() as u16,
        )?;
        project_table(ws, &projects, period, filling)?;
    }
    let conditions: Vec<_> = schema.conditions_of(unit).collect();
    if period.is_annual() && !conditions.is_empty() {
        let ws = book.add_worksheet();
        ws.set_name(CONDITION_SHEET)?;
        condition_sheet(ws, schema, period, &conditions)?;
    }
    let ws = book.add_worksheet();
    ws.set_name(GUIDE_SHEET)?;
    guide(ws, schema, unit, period, contact)?;
    let ws = book.add_worksheet();
    ws.set_name(STAMP_SHEET)?;
    let revision = filling.map(|f| f.revision).unwrap_or(0).to_string();
    // In this order on the sheet (forms sent out before have it so).
    for (r, (k, v)) in [
        (StampKey::SchemaVersion, schema.meta.version.as_str()),
        (StampKey::Unit, unit),
        (StampKey::Period, &period.to_string()),
        (
            StampKey::GeneratedBy,
            concat!("eco-returns ", env!("CARGO_PKG_VERSION")),
        ),
        (StampKey::Revision, &revision),
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(r as u32, 0, k.name())?;
        ws.write_string(r as u32, 1, *v)?;
    }
    ws.set_hidden(true);
    Ok(())
}

/// Writes one input cell: blank and yellow, or what the unit sent (red, with its note, when
/// it was flagged). Values keep their kind: a number stays a number, a date a date.
fn input_cell(
    ws: &mut Worksheet,
    r: u32,
    c: u16,
    sent: Option<(&Cell, Option<&String>)>,
) -> Result<(), XlsxError> {
    let Some((cell, note)) = sent else {
        ws.write_blank(r, c, &style::input())?;
        return Ok(());
    };
    let mut f = style::input();
    if note.is_some() {
        f = f.set_background_color(rust_xlsxwriter::Color::RGB(style::FLAGGED_FILL));
    }
    match &cell.value {
        CellValue::Number(n) if cell.percent => {
            ws.write_number_with_format(r, c, *n, &f.set_num_format("0.0%"))?
        }
        CellValue::Number(n) => ws.write_number_with_format(r, c, *n, &f)?,
        CellValue::Date(d) => {
            ws.write_number_with_format(r, c, *d, &f.set_num_format("yyyy-mm-dd"))?
        }
        other => ws.write_string_with_format(r, c, other.display(), &f)?,
    };
    if let Some(text) = note {
        ws.insert_note(
            r,
            c,
            &rust_xlsxwriter::Note::new(text)
                .set_author("生态环境分局")
                .set_width(360)
                .set_height(150),
        )?;
    }
    Ok(())
}

fn page_setup(ws: &mut Worksheet) {
    style::landscape(ws, style::A4);
    ws.set_freeze_panes(HEADER_ROW + 1, 0).ok();
    ws.set_repeat_rows(0, HEADER_ROW).ok();
    ws.protect();
}

/// Title, then 填报单位/报告期 (filled in, locked) and 填报人/联系电话/填报日期 (inputs).
fn label_block(
    ws: &mut Worksheet,
    title: &str,
    unit: &str,
    period: Period,
    cols: u16,
) -> Result<(), XlsxError> {
    // The plan's title names the quarterly return; a year's form says it is the year's.
    let title = if period.is_annual() {
        title.replace("季度填报表", "年度填报表")
    } else {
        title.to_string()
    };
    ws.merge_range(0, 0, 0, cols - 1, &title, &style::title())?;
    ws.set_row_height(0, 30)?;
    let label = style::label();
    ws.write_string_with_format(1, 0, "填报单位：", &label)?;
    ws.write_string_with_format(1, 1, unit, &style::cell())?;
    ws.write_string_with_format(1, 3, "报告期：", &label)?;
    ws.write_string_with_format(1, 4, period.to_string(), &style::cell())?;
    ws.write_string_with_format(2, 0, "填报人：", &label)?;
    ws.write_blank(2, 1, &style::input())?;
    ws.write_string_with_format(2, 3, "联系电话：", &label)?;
    ws.write_blank(2, 4, &style::input())?;
    ws.write_string_with_format(2, 6, "填报日期：", &label)?;
    ws.write_blank(2, 7, &style::input())?;
    Ok(())
}

fn indicator_sheet(
    ws: &mut Worksheet,
    schema: &Schema,
    unit: &str,
    period: Period,
    rows: &[&Indicator],
    filling: Option<&Filling>,
) -> Result<(), XlsxError> {
    label_block(
        ws,
        &schema.meta.title,
        unit,
        period,
        INDICATOR_HEADER.len() as u16,
    )?;
    let header = style::header();
    for (c, h) in INDICATOR_HEADER.iter().enumerate() {
        ws.write_string_with_format(HEADER_ROW, c as u16, *h, &header)?;
    }
    let cell = style::cell();
    for (i, ind) in rows.iter().enumerate() {
        let r = HEADER_ROW + 1 + i as u32;
        ws.write_string_with_format(r, 0, &ind.id, &cell)?;
        ws.write_string_with_format(r, 1, label(ind), &cell)?;
        ws.write_string_with_format(r, 2, ind.measure_unit.as_deref().unwrap_or("—"), &cell)?;
        ws.write_string_with_format(r, 3, ind.attribute.label(), &cell)?;
        ws.write_string_with_format(r, 4, ind.standard_label(), &cell)?;
        let key = RowKey::Indicator(ind.id.clone());
        for (c, column) in INDICATOR_INPUTS.into_iter().zip(INDICATOR_COLUMNS) {
            if c == DATA_YEAR_COLUMN && ind.frequency != Frequency::Annual {
                // A quarterly value is this period's: there is no year to give.
                ws.write_string_with_format(r, c, "—", &cell)?;
                continue;
            }
            input_cell(ws, r, c, filling.and_then(|f| f.cell(&key, column)))?;
        }
        ws.add_data_validation(r, 5, r, 5, &value_validation(ind)?)?;
        // Room to type, and for a long name or standard wrapped in its cell.
        let fit = style::row_height(&[(&label(ind), NAME_WIDTH), (&ind.standard_label(), 16.0)]);
        ws.set_row_height(r, fit.max(20.0))?;
    }
    // One rule for the whole 数据年份 column: a quarterly row's cell there is locked anyway, and
    // a rule per row costs a returned form its size (775 of them in a city's build).
    if rows.iter().any(|i| i.frequency == Frequency::Annual) {
        let last = HEADER_ROW + rows.len() as u32;
        ws.add_data_validation(
            HEADER_ROW + 1,
            DATA_YEAR_COLUMN,
            last,
            DATA_YEAR_COLUMN,
            &year_validation(period)?,
        )?;
    }
    if let Some(f) = filling {
        extra_rows(ws, HEADER_ROW + 1 + rows.len() as u32, rows, f)?;
    }
    let names: Vec<String> = rows.iter().map(|i| label(i)).collect();
    let name_refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let standards: Vec<String> = rows.iter().map(|i| i.standard_label()).collect();
    let standard_refs: Vec<&str> = standards.iter().map(String::as_str).collect();
    ws.set_column_width(0, 7)?;
    ws.set_column_width(1, style::column_width(&name_refs, 20.0, NAME_WIDTH))?;
    ws.set_column_width(2, 12)?;
    ws.set_column_width(3, 10)?;
    ws.set_column_width(4, style::column_width(&standard_refs, 10.0, 30.0))?;
    ws.set_column_width(5, 16)?;
    ws.set_column_width(6, 10)?;
    ws.set_column_width(7, 18)?;
    ws.set_column_width(8, 30)?;
    page_setup(ws);
    Ok(())
}

/// The indicator rows the unit sent that the form has no row for (an id no indicator has, or
/// an indicator of another unit), below the table, as sent: red where flagged, with the note,
/// and every cell an input so the unit can correct or clear it. Nothing sent is lost.
fn extra_rows(
    ws: &mut Worksheet,
    first: u32,
    rows: &[&Indicator],
    f: &Filling,
) -> Result<(), XlsxError> {
    let own = |key: &RowKey| match key {
        RowKey::Indicator(id) => rows.iter().any(|i| &i.id == id),
        RowKey::Project(_) => true,
        RowKey::Unidentified(_) => false,
    };
    const PLACES: [(Column, u16); 6] = [
        (Column::Id, 0),
        (Column::Name, 1),
        (Column::Value, 5),
        (Column::DataYear, DATA_YEAR_COLUMN),
        (Column::Source, 7),
        (Column::Remark, 8),
    ];
    let extras = f.sent.iter().filter(|s| !own(&s.key));
    for (r, sent) in (first..).zip(extras) {
        for (column, c) in PLACES {
            let cell = sent
                .cells
                .iter()
                .find(|(k, _)| *k == column)
                .map(|(_, cell)| (cell, f.notes.get(&(sent.sheet.clone(), cell.row, cell.col))));
            input_cell(ws, r, c, cell)?;
        }
    }
    Ok(())
}

/// The name a row carries on the form: its name, `*` where 不适用 is allowed (填报说明 refers to
/// it), and what to type where the plan's name says something else (7.2: a 下降幅度 by name,
/// reported as a concentration).
pub fn label(ind: &Indicator) -> String {
    let star = if ind.not_applicable { "*" } else { "" };
    match &ind.report_hint {
        Some(hint) => format!("{}{star}（{hint}）", ind.plan_full_name()),
        None => format!("{}{star}", ind.plan_full_name()),
    }
}

/// 基本条件自查: each condition with a yellow 是/否 and a yellow 说明.
fn condition_sheet(
    ws: &mut Worksheet,
    schema: &Schema,
    period: Period,
    conditions: &[&crate::schema::Condition],
) -> Result<(), XlsxError> {
    let last = CONDITION_HEADER.len() as u16 - 1;
    ws.merge_range(
        0,
        0,
        0,
        last,
        &format!("{}{}基本条件自查", schema.meta.county, period.chinese()),
        &style::title(),
    )?;
    ws.merge_range(
        1,
        0,
        1,
        last,
        "逐项在“自查结论”中选择“是”或“否”；不符合的（结论与条件不一致），请在“说明”中写明情况和整改措施。",
        &style::text(),
    )?;
    for (c, h) in CONDITION_HEADER.iter().enumerate() {
        ws.write_string_with_format(CONDITION_HEADER_ROW, c as u16, *h, &style::header())?;
    }
    let answer = DataValidation::new()
        .allow_list_strings(&["是", "否"])?
        .set_error_title("自查结论")?
        .set_error_message("请选择“是”或“否”")?;
    for (i, cond) in conditions.iter().enumerate() {
        let r = CONDITION_HEADER_ROW + 1 + i as u32;
        ws.write_string_with_format(r, 0, &cond.id, &style::cell())?;
        ws.write_string_with_format(r, 1, &cond.text, &style::text())?;
        ws.write_blank(r, 2, &style::input())?;
        ws.write_blank(r, 3, &style::input())?;
        ws.add_data_validation(r, 2, r, 2, &answer)?;
    }
    for (c, w) in [6.0, 50.0, 16.0, 40.0].into_iter().enumerate() {
        ws.set_column_width(c as u16, w)?;
    }
    style::landscape(ws, style::A4);
    Ok(())
}

/// What 数据年份 accepts: a year from 2000 to the period's own.
fn year_validation(period: Period) -> Result<DataValidation, XlsxError> {
    let last = u32::from(crate::validate::latest_year(period));
    let message = format!(
        "填写该数值所属的年份（四位数字，如 {}），不能晚于 {last} 年",
        crate::validate::expected_year(period)
    );
    DataValidation::new()
        .allow_whole_number(DataValidationRule::Between(2000, last as i32))
        .set_input_title("数据年份")?
        .set_input_message(&message)?
        .set_error_title("数据年份不正确")?
        .set_error_message(&message)
}

fn clip(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}

/// What 本期值 accepts: a list of words, a decimal range, or 不适用 beside a number.
fn value_validation(ind: &Indicator) -> Result<DataValidation, XlsxError> {
    let measure = ind.measure_unit.as_deref().unwrap_or("无");
    let hint = ind.report_hint.clone().unwrap_or_default();
    let (dv, message, error) = match &ind.standard {
        Standard::Qualitative => {
            let mut words: Vec<&str> = ind
                .met
                .iter()
                .chain(&ind.not_met)
                .map(String::as_str)
                .collect();
            if ind.not_applicable {
                words.push("不适用");
            }
            let msg = format!("请从下拉列表中选择。达标要求：{}", ind.met.join("或"));
            (
                DataValidation::new().allow_list_strings(&words)?,
                msg,
                format!("请从下拉列表中选择：{}", words.join("、")),
            )
        }
        _ if ind.not_applicable => {
            let msg = format!(
                "填写数值（单位 {measure}）；不涉及时填“不适用”，并在备注写明理由。标准：{}",
                ind.standard_label()
            );
            (
                DataValidation::new().allow_any_value(),
                msg,
                "请填写数值，或“不适用”".to_string(),
            )
        }
        _ => {
            let (low, high) = match (ind.is_percent(), ind.signed) {
                (true, true) => (-100.0, 100.0),
                (true, false) => (0.0, 100.0),
                (false, true) => (-1e9, 1e9),
                (false, false) => (0.0, 1e9),
            };
            let standard = match &ind.standard {
                Standard::NoTarget => "上级未下达目标".to_string(),
                _ => ind.standard_label(),
            };
            let msg = format!("填写数值（单位 {measure}），只填数字。标准：{standard}。{hint}");
            let err = if ind.is_percent() {
                format!(
                    "请填写 {} 到 100 之间的数（如 87.5 表示 87.5%）",
                    format_number(low)
                )
            } else {
                format!("请填写数值（单位 {measure}），只填数字")
            };
            (
                DataValidation::new().allow_decimal_number(DataValidationRule::Between(low, high)),
                msg,
                err,
            )
        }
    };
    dv.set_input_title(clip(&format!("指标 {}", ind.id), 32))?
        .set_input_message(clip(&message, 250))?
        .set_error_title("填写有误")?
        .set_error_message(clip(&error, 250))
}

fn project_table(
    ws: &mut Worksheet,
    projects: &[&crate::schema::Project],
    period: Period,
    filling: Option<&Filling>,
) -> Result<(), XlsxError> {
    let header = style::header();
    let columns = project_columns(period);
    for (c, (h, ..)) in columns.iter().enumerate() {
        ws.write_string_with_format(HEADER_ROW, c as u16, *h, &header)?;
    }
    let at = |role: Column| {
        let i = columns.iter().position(|(_, c, _)| *c == Some(role));
        i.map(|i| i as u16)
    };
    let cell = style::cell();
    for (i, p) in projects.iter().enumerate() {
        let r = HEADER_ROW + 1 + i as u32;
        ws.write_number_with_format(r, 0, p.no as f64, &cell)?;
        ws.write_string_with_format(r, 1, &p.name, &cell)?;
        match p.investment {
            Some(v) => ws.write_number_with_format(r, 2, v, &cell)?,
            None => ws.write_string_with_format(r, 2, "/", &cell)?,
        };
        let key = RowKey::Project(p.no);
        for (c, column) in columns.iter().enumerate() {
            if let (_, Some(column), _) = column {
                let given = filling.and_then(|f| f.cell(&key, *column));
                input_cell(ws, r, c as u16, given)?;
            }
        }
        project_validations(ws, r, p, &at)?;
    }
    let names: Vec<&str> = projects.iter().map(|p| p.name.as_str()).collect();
    for (c, (.., width)) in columns.iter().enumerate() {
        let width = width.unwrap_or_else(|| style::column_width(&names, 20.0, 46.0));
        ws.set_column_width(c as u16, width)?;
    }
    page_setup(ws);
    Ok(())
}

/// What a project row's input cells accept: 累计完成 up to 总投资, 本年完成投资 (a year's
/// form) within it, 形象进度 0–100, a status from the list.
fn project_validations(
    ws: &mut Worksheet,
    r: u32,
    p: &crate::schema::Project,
    at: &dyn Fn(Column) -> Option<u16>,
) -> Result<(), XlsxError> {
    let (Some(completed), Some(progress), Some(status)) = (
        at(Column::Completed),
        at(Column::Progress),
        at(Column::Status),
    ) else {
        return Ok(()); // every form has them: nothing to check otherwise
    };
    let statuses: Vec<&str> = ProjectStatus::ALL.iter().map(|s| s.label()).collect();
    let cap = p.investment.unwrap_or(1e9);
    let c = completed;
    ws.add_data_validation(
        r,
        c,
        r,
        c,
        &DataValidation::new()
            .allow_decimal_number(DataValidationRule::Between(0.0, cap))
            .set_input_message(format!(
                "累计完成投资（万元），不超过总投资 {}",
                format_number(cap)
            ))?
            .set_error_message("累计完成投资应为 0 到总投资之间的数（万元）")?,
    )?;
    // A year's form: within the row's own 累计完成, not the plan's 总投资.
    if let Some(c) = at(Column::YearInvestment) {
        let cell = rust_xlsxwriter::utility::row_col_to_cell(r, c);
        let completed = rust_xlsxwriter::utility::row_col_to_cell(r, completed);
        ws.add_data_validation(
            r,
            c,
            r,
            c,
            &DataValidation::new()
                .allow_custom(rust_xlsxwriter::Formula::new(format!(
                    "=AND(ISNUMBER({cell}),{cell}>=0,{cell}<={completed})"
                )))
                .set_input_message("本年度完成的投资（万元），是累计完成投资的一部分")?
                .set_error_message("本年完成投资应为 0 到累计完成投资之间的数（万元）")?,
        )?;
    }
    let c = progress;
    ws.add_data_validation(
        r,
        c,
        r,
        c,
        &DataValidation::new()
            .allow_decimal_number(DataValidationRule::Between(0.0, 100.0))
            .set_input_message("形象进度（%），填 0 到 100 的数")?
            .set_error_message("形象进度应为 0 到 100 之间的数")?,
    )?;
    let c = status;
    ws.add_data_validation(
        r,
        c,
        r,
        c,
        &DataValidation::new()
            .allow_list_strings(&statuses)?
            .set_input_message("已完工的形象进度应为 100，未开工的应为 0")?
            .set_error_message("请从下拉列表中选择：未开工、在建、已完工、已暂停")?,
    )?;
    Ok(())
}

fn guide(
    ws: &mut Worksheet,
    schema: &Schema,
    unit: &str,
    period: Period,
    contact: &str,
) -> Result<(), XlsxError> {
    let has_indicators = schema.indicators_of(unit).next().is_some();
    let has_projects = schema.projects_of(unit).next().is_some();
    let starred: Vec<&str> = schema
        .indicators_of(unit)
        .filter(|i| i.not_applicable)
        .map(|i| i.id.as_str())
        .collect();
    let mut items: Vec<String> =
        vec!["只在黄色单元格中填写；其余单元格已锁定，请勿修改表头、序号和名称。".to_string()];
    if has_indicators {
        items.push(
            "“本期值”只填数字，不要带单位，百分比填 87.5 表示 87.5%；定性指标请从下拉列表中选择。"
                .into(),
        );
        let annual = schema
            .indicators_of(unit)
            .any(|i| i.frequency == Frequency::Annual);
        if annual {
            items.push(format!(
                "年度统计的指标（“数据年份”栏为黄色的行）填已有的最新年度数值，并在“数据年份”写明该数值所属年份（如 {}）；同一年度的数值各季度应一致，修订的请在备注说明。",
                crate::validate::expected_year(period)
            ));
            if period.is_annual() {
                items.push(format!(
                    "这是{}的年度填报表：年度统计的指标应填{}年的数值；{}年数据尚未发布的，填最新年度数值并在“数据年份”如实写明，汇总时将注明“数据较旧”。",
                    period.chinese(),
                    period.year,
                    period.year
                ));
            }
        }
        if !starred.is_empty() {
            items.push(format!(
                "“不适用”只能用于名称后带*的指标（{}），且必须在“备注”中写明理由。",
                starred.join("、")
            ));
        }
        items.push(
            "数据来源请写明统计口径或出具单位；与上期相比变化较大的，请在备注中说明原因。".into(),
        );
    }
    if has_projects {
        items.push("重点工程：累计完成投资填万元数，不超过总投资；形象进度填 0–100；已完工的形象进度应为 100。".into());
        if period.is_annual() {
            items.push("本年完成投资填累计完成投资中本年度完成的部分（万元）；有上一年度汇总表时，以累计完成投资的增加额为准。".into());
        }
    }
    items.push("请保持文件为 .xlsx 格式，不要加密，不要改动工作表名称，填好后按时报送。".into());
    items.push(format!("如有疑问，请联系：{contact}。"));
    let lines: Vec<String> = std::iter::once(format!(
        "{}填报说明（{unit}，{}）",
        schema.meta.county,
        period.chinese()
    ))
    .chain(
        items
            .iter()
            .enumerate()
            .map(|(i, t)| format!("{}．{t}", i + 1)),
    )
    .collect();
    ws.set_column_width(0, 100)?;
    let head = style::title().set_align(rust_xlsxwriter::FormatAlign::Left);
    let text = style::text();
    for (r, line) in lines.iter().enumerate() {
        let f = if r == 0 { &head } else { &text };
        ws.write_string_with_format(r as u32, 0, line, f)?;
        ws.set_row_height(r as u32, if r == 0 { 30 } else { 36 })?;
    }
    ws.set_paper_size(style::A4);
    Ok(())
}
