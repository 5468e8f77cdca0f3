//! 汇总表.xlsx: the 专栏1-style overview, statistics with a chart, projects, one sheet per
//! unit, diagnostics, provenance, and a hidden machine-readable sheet for `--previous`.

use super::style;
use crate::assess::{Assessment, RowAssessment, RowWarning, Signal, Status, Warnings};
use crate::read::previous::DATA_SHEET;
use crate::schema::{GapKind, Schema};
use crate::text::without_bidi;
use crate::validate::{Checked, Diagnostic, Return, ReturnStatus};
use rust_xlsxwriter::{Chart, ChartType, Color, Worksheet, XlsxError};

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
        super::trend::sheet(&mut book, t)?;
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

/// Excel's paper sizes.
const A4: u8 = 9;
const A3: u8 = 8;

fn print_setup_on(ws: &mut Worksheet, header_row: u32, paper: u8) -> Result<(), XlsxError> {
    ws.set_paper_size(paper);
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
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

fn overview(
    ws: &mut Worksheet,
    title: &str,
    a: &Assessment,
    warnings: &Warnings,
    completeness: &crate::assess::Completeness,
) -> Result<(), XlsxError> {
    ws.set_name(OVERVIEW)?;
    let names = [
        "领域",
        "序号",
        "指标名称",
        "单位",
        "指标属性",
        "指标值（标准）",
        "2021年现状值",
        "本期值",
        "数据年份",
        "达标状态",
        "预警",
        "与标准差距",
        "2025年目标",
        "距2025年目标",
        "2030年目标",
        "较2021年变化",
        "对比期",
        "对比值",
        "变化",
        "填报单位",
        "说明",
    ];
    let widths = [
        9.0, 6.0, 34.0, 11.0, 9.0, 16.0, 16.0, 12.0, 10.0, 9.0, 7.0, 12.0, 12.0, 10.0, 12.0, 10.0,
        14.0, 10.0, 10.0, 13.0, 34.0,
    ];
    ws.merge_range(0, 0, 0, names.len() as u16 - 1, title, &style::title())?;
    ws.set_row_height(0, 30)?;
    let binding = a.counts_of(crate::schema::Attribute::Binding);
    let draft = if completeness.is_complete() {
        String::new()
    } else {
        format!(
            "初稿：本期数据尚不完整（{}），以下数字将在补齐后变化，不作为正式结论。",
            completeness.lacking()
        )
    };
    let summary =
        format!(
        "{draft}按{}项指标计：{}；约束性指标达标率 {}（{}/{}，不适用{}不计入，缺数据按未达标计）。",
        a.all.total(), a.all.in_words(), binding.rate_text(), binding.met, binding.assessed(),
        if binding.pending > 0 { "和待核实" } else { "" }
    );
    let subtitle = if draft.is_empty() {
        style::subtitle()
    } else {
        // A draft says so where the eye lands first: dark red, wrapped, row tall enough.
        ws.set_row_height(1, 36)?;
        style::subtitle()
            .set_font_color(Color::RGB(0x9C0006))
            .set_text_wrap()
            .set_align(rust_xlsxwriter::FormatAlign::VerticalCenter)
    };
    ws.merge_range(1, 0, 1, names.len() as u16 - 1, &summary, &subtitle)?;
    headers(ws, 2, &names, &widths)?;
    ws.set_freeze_panes(3, 3)?;
    let mut domain_start = (3u32, "");
    for (r, (i, row)) in (3u32..).zip(a.rows.iter().enumerate()) {
        let ind = row.indicator;
        if i == 0
            || a.rows
                .get(i - 1)
                .is_some_and(|p| p.indicator.domain != ind.domain)
        {
            domain_start = (r, ind.domain.as_str());
        }
        let green = RowWarning {
            signal: Signal::Green,
            reasons: Vec::new(),
        };
        let warning = warnings.rows.get(i).unwrap_or(&green);
        overview_row(ws, r, row, warning, &widths)?;
        let last_of_domain = a
            .rows
            .get(i + 1)
            .is_none_or(|n| n.indicator.domain != ind.domain);
        if last_of_domain {
            if domain_start.0 == r {
                ws.write_string_with_format(r, 0, domain_start.1, &style::header())?;
            } else {
                ws.merge_range(domain_start.0, 0, r, 0, domain_start.1, &style::header())?;
            }
        }
    }
    print_setup_on(ws, 2, A3)
}

/// One indicator row of 指标总览, from 序号 to 说明 (the 领域 column is merged by the caller).
fn overview_row(
    ws: &mut Worksheet,
    r: u32,
    row: &RowAssessment,
    warning: &RowWarning,
    widths: &[f64; 21],
) -> Result<(), XlsxError> {
    let cell = style::cell();
    let ind = row.indicator;
    ws.write_string_with_format(r, 1, row.id, &cell)?;
    ws.write_string_with_format(r, 2, ind.full_name(), &cell)?;
    ws.write_string_with_format(r, 3, ind.measure_unit.as_deref().unwrap_or("—"), &cell)?;
    ws.write_string_with_format(r, 4, ind.attribute.label(), &cell)?;
    ws.write_string_with_format(r, 5, ind.plan_standard(), &cell)?;
    let baseline = match ind.baseline_year {
        Some(y) => format!("{}（{y}年）", ind.baseline),
        None => ind.baseline.clone(),
    };
    ws.write_string_with_format(r, 6, &baseline, &cell)?;
    match (&row.value, &row.text) {
        (Some(crate::value::Value::Number(n)), _) => {
            ws.write_number_with_format(r, 7, *n, &style::value())?
        }
        (Some(_), Some(t)) => ws.write_string_with_format(r, 7, t, &cell)?,
        _ => ws.write_string_with_format(r, 7, "", &cell)?,
    };
    let year = row.data_year.map(|y| format!("{y}年度"));
    ws.write_string_with_format(r, 8, year.as_deref().unwrap_or("—"), &cell)?;
    ws.write_string_with_format(r, 9, row.status_label(), &style::status(row.status))?;
    ws.write_string_with_format(
        r,
        10,
        warning.signal.label(),
        &style::signal(warning.signal),
    )?;
    match (&ind.gap_kind, row.gap) {
        (GapKind::State(state), Some(g)) if g > 0.0 => {
            ws.write_string_with_format(r, 11, state, &cell)?;
        }
        _ => opt_number(ws, r, 11, row.gap)?,
    }
    ws.write_string_with_format(r, 12, &ind.target_2025.text, &cell)?;
    opt_number(ws, r, 13, row.gap_2025)?;
    ws.write_string_with_format(r, 14, &ind.target_2030.text, &cell)?;
    opt_number(ws, r, 15, row.vs_baseline)?;
    ws.write_string_with_format(r, 16, row.compared_with.as_deref().unwrap_or("—"), &cell)?;
    match (row.previous_number, row.previous.as_deref()) {
        (Some(n), _) => ws.write_number_with_format(r, 17, n, &style::value())?,
        (None, text) => ws.write_string_with_format(r, 17, text.unwrap_or("—"), &cell)?,
    };
    opt_number(ws, r, 18, row.vs_previous)?;
    ws.write_string_with_format(r, 19, row.department, &cell)?;
    let note = note(row, warning);
    ws.write_string_with_format(r, 20, &note, &cell)?;
    let name = ind.full_name();
    let shown = row.text.clone().unwrap_or_default();
    ws.set_row_height(
        r,
        style::row_height(&[
            (&name, widths[2]),
            (&ind.plan_standard(), widths[5]),
            (&baseline, widths[6]),
            (&shown, widths[7]),
            (&ind.target_2025.text, widths[12]),
            (&ind.target_2030.text, widths[14]),
            (&note, widths[20]),
        ]),
    )?;
    Ok(())
}

/// What the 说明 column says about a row.
fn note(row: &RowAssessment, warning: &RowWarning) -> String {
    let mut parts = Vec::new();
    if warning.signal == Signal::Yellow {
        let reasons: Vec<String> = warning
            .reasons
            .iter()
            .map(|r| crate::write::wording::reason_text(r, row))
            .collect();
        parts.push(format!("预警：{}", reasons.join("；")));
    }
    if let Some(reason) = row.missing_reason {
        parts.push(format!("无本期值：{reason}"));
    }
    if row.indicator.target_period_ended {
        parts.push("上级目标所属规划期已结束，待核实：请登记现行目标".to_string());
    }
    if let Some(p) = &row.indicator.current_standard_period {
        parts.push(format!("按现行（{p}）上级目标评估"));
    }
    if matches!(row.indicator.standard, crate::schema::Standard::NoTarget) {
        parts.push("上级未下达目标，报送即按达标计".to_string());
    }
    if let Some(remark) = &row.remark {
        parts.push(format!("备注：{remark}"));
    }
    parts.join("；")
}

fn statistics(ws: &mut Worksheet, a: &Assessment) -> Result<(), XlsxError> {
    ws.set_name(STATISTICS)?;
    let names = [
        "领域",
        "达标",
        "未达标",
        "不适用",
        "缺数据",
        "合计",
        "达标率",
    ];
    ws.merge_range(
        0,
        0,
        0,
        6,
        &format!(
            "分领域达标情况（{}，按{}项指标计）",
            a.period.chinese(),
            a.all.total()
        ),
        &style::title(),
    )?;
    headers(ws, 1, &names, &[12.0, 8.0, 8.0, 8.0, 8.0, 8.0, 10.0])?;
    let cell = style::cell();
    let mut r = 2u32;
    let line = |ws: &mut Worksheet,
                label: &str,
                c: &crate::assess::Counts,
                r: u32|
     -> Result<(), XlsxError> {
        ws.write_string_with_format(r, 0, label, &cell)?;
        let count = style::number(0);
        for (i, s) in Status::ALL.iter().enumerate() {
            ws.write_number_with_format(r, 1 + i as u16, c.get(*s) as f64, &count)?;
        }
        ws.write_number_with_format(r, 5, c.total() as f64, &count)?;
        // A number with a percent format, centred: not the text "66.7%" beside the count.
        match c.rate() {
            Some(v) => {
                ws.write_number_with_format(r, 6, v / 100.0, &count.clone().set_num_format("0.0%"))?
            }
            None => ws.write_string_with_format(r, 6, "—", &cell)?,
        };
        Ok(())
    };
    for (domain, c) in &a.by_domain {
        line(ws, domain, c, r)?;
        r += 1;
    }
    let domain_rows = (2u32, r - 1);
    line(ws, "合计", &a.all, r)?;
    r += 2;
    ws.write_string_with_format(r, 0, "按指标属性", &style::label())?;
    r += 1;
    for (attr, c) in &a.by_attribute {
        line(ws, attr.label(), c, r)?;
        r += 1;
    }
    r += 1;
    let verdict = if a.qualifies {
        "约束性指标全部达标，满足创建要求"
    } else {
        "约束性指标未全部达标，尚不满足创建要求（须达到100%）"
    };
    ws.merge_range(
        r,
        0,
        r,
        6,
        &format!(
            "约束性指标达标率：{}。{verdict}。",
            a.counts_of(crate::schema::Attribute::Binding).rate_text()
        ),
        &style::subtitle(),
    )?;

    let mut chart = Chart::new(ChartType::ColumnStacked);
    for (i, s) in Status::ALL.iter().enumerate() {
        chart
            .add_series()
            .set_name((STATISTICS, 1, 1 + i as u16))
            .set_categories((STATISTICS, domain_rows.0, 0, domain_rows.1, 0))
            .set_values((
                STATISTICS,
                domain_rows.0,
                1 + i as u16,
                domain_rows.1,
                1 + i as u16,
            ))
            .set_format(
                rust_xlsxwriter::ChartFormat::new().set_solid_fill(
                    rust_xlsxwriter::ChartSolidFill::new()
                        .set_color(Color::RGB(style::palette(*s).strong)),
                ),
            );
        let _ = s;
    }
    chart.title().set_name("各领域指标达标情况");
    chart.y_axis().set_name("指标数（项）");
    chart.set_width(640).set_height(360);
    ws.insert_chart(1, 8, &chart)?;
    print_setup(ws, 1)
}

fn projects(ws: &mut Worksheet, a: &Assessment) -> Result<(), XlsxError> {
    ws.set_name(PROJECTS)?;
    // With the 附表's category (达标工程 or 巩固工程) and 实施年限, so the sheet reads on
    // its own.
    let names = [
        "序号",
        "体系",
        "工程名称",
        "类别",
        "实施年限",
        "责任单位",
        "总投资（万元）",
        "累计完成投资（万元）",
        "投资完成率",
        "形象进度（%）",
        "状态",
        "存在问题",
        "说明",
    ];
    let widths = [
        6.0, 9.0, 40.0, 14.0, 11.0, 22.0, 13.0, 14.0, 10.0, 11.0, 8.0, 24.0, 16.0,
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
            Some(e) => {
                opt_number(ws, r, 7, Some(e.completed))?;
                match p.investment.filter(|t| *t > 0.0) {
                    Some(t) => ws.write_number_with_format(
                        r,
                        8,
                        e.completed / t,
                        &style::number(0).set_num_format("0.0%"),
                    )?,
                    None => ws.write_string_with_format(r, 8, "—", &cell)?,
                };
                opt_number(ws, r, 9, Some(e.progress))?;
                ws.write_string_with_format(r, 10, e.status.label(), &cell)?;
                ws.write_string_with_format(r, 11, e.problem.as_deref().unwrap_or(""), &cell)?;
                let mut notes = Vec::new();
                if line.overdue(a.period) {
                    notes.push(format!("逾期未完工（实施年限{}）", p.years));
                }
                if p.investment.is_none() && e.completed > 0.0 {
                    notes.push("规划未列总投资，累计完成计入本体系合计".to_string());
                }
                let shown = notes.join("；");
                let style = if line.overdue(a.period) {
                    style::status(Status::Unmet)
                } else {
                    cell.clone()
                };
                ws.write_string_with_format(r, 12, &shown, &style)?;
            }
            None => {
                for c in 7..=11 {
                    ws.write_string_with_format(r, c, "", &cell)?;
                }
                ws.write_string_with_format(
                    r,
                    12,
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

/// The totals by system (and 合计) under the project list, from row `r`.
fn system_totals(ws: &mut Worksheet, a: &Assessment, mut r: u32) -> Result<(), XlsxError> {
    let cell = style::cell();
    let totals = [
        "体系",
        "工程数",
        "已报进度",
        "总投资（万元）",
        "累计完成投资（万元）",
        "已完工",
        "在建",
        "已暂停",
        "未开工",
        "说明",
    ];
    let h = style::header();
    for (c, t) in totals.iter().enumerate() {
        ws.write_string_with_format(r, c as u16, *t, &h)?;
    }
    r += 1;
    for t in a.systems.iter().chain(std::iter::once(&a.total)) {
        ws.write_string_with_format(r, 0, &t.system, &cell)?;
        for (c, v) in [t.projects, t.reported].iter().enumerate() {
            ws.write_number_with_format(r, 1 + c as u16, *v as f64, &cell)?;
        }
        opt_number(ws, r, 3, Some(t.investment))?;
        opt_number(ws, r, 4, Some(t.completed))?;
        for (c, v) in [t.done, t.building, t.paused, t.not_started]
            .iter()
            .enumerate()
        {
            ws.write_number_with_format(r, 5 + c as u16, *v as f64, &cell)?;
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
        ws.write_string_with_format(r, 9, &note, &cell)?;
        r += 1;
    }
    Ok(())
}

fn return_of<'c>(checked: &'c Checked, unit: &str) -> Vec<&'c Return> {
    checked
        .returns
        .iter()
        .filter(|r| r.unit.as_deref() == Some(unit))
        .collect()
}

fn unit_sheet(
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
    ws.set_hidden(true);
    Ok(())
}
