//! The report's data tables, made from the assessment and the template's context: counts by
//! domain, unmet rows, projects, returns, 预警 by department, the trend, and the 附件.

use super::context::ReportContext;
use super::template::TableKind;
use super::typeset::{fixed, sized_cell, table, APPENDIX_CELL_MARGIN, SIZE_APPENDIX};
use crate::assess::{Assessment, Counts, Status};
use docx_rs::{Table, TableRow, WidthType};

/// A status cell's fill in the report: the palette of 汇总表.
fn status_shade(s: Status) -> String {
    format!("{:06X}", super::super::style::palette(s).fill)
}

/// A row of the 分领域 table: the label, then the counts and the rate met.
fn counts_row(label: &str, c: &Counts) -> Vec<String> {
    vec![
        label.to_string(),
        c.total().to_string(),
        c.met.to_string(),
        c.unmet.to_string(),
        c.pending.to_string(),
        c.not_applicable.to_string(),
        c.no_data.to_string(),
        c.rate_text(),
    ]
}

/// The data table a `[表格:…]` directive places.
pub(super) fn data_table(kind: TableKind, a: &Assessment, ctx: &ReportContext) -> Option<Table> {
    match kind {
        TableKind::ByDomain => by_domain_table(a),
        TableKind::Unmet => unmet_table(a),
        TableKind::Projects => projects_table(ctx),
        TableKind::Trend => trend_table(ctx),
        TableKind::Returns => returns_table(ctx),
        TableKind::Warning => warning_table(ctx),
    }
}

fn by_domain_table(a: &Assessment) -> Option<Table> {
    let mut rows: Vec<Vec<String>> = a.by_domain.iter().map(|(d, c)| counts_row(d, c)).collect();
    rows.push(counts_row("合计", &a.all));
    Some(table(
        &[
            "领域",
            "指标数",
            "达标",
            "未达标",
            "待核实",
            "不适用",
            "缺数据",
            "达标率",
        ],
        &[28.0, 16.0, 16.0, 16.0, 16.0, 16.0, 16.0, 26.0],
        rows,
    ))
}

fn unmet_table(a: &Assessment) -> Option<Table> {
    let rows: Vec<Vec<String>> =
        a.rows
            .iter()
            .filter(|r| r.status == Status::Unmet || r.status == Status::NoData)
            .map(|r| {
                let gap = match r.unverified {
                    Some(_) => "待核实".to_string(),
                    None => crate::write::wording::with_measure_unit(r.gap, r)
                        .unwrap_or_else(|| "—".into()),
                };
                vec![
                    r.id.to_string(),
                    r.indicator.full_name(),
                    crate::write::wording::shown_value(r, a.period),
                    crate::write::wording::standard(r),
                    gap,
                    r.indicator.target_for(a.period.stage_year()).text.clone(),
                    r.department.to_string(),
                    r.status_label(),
                ]
            })
            .collect();
    (!rows.is_empty()).then(|| {
        table(
            &[
                "序号",
                "指标",
                "本期值",
                "标准",
                "差距",
                &format!("{}年目标", a.period.stage_year()),
                "责任单位",
                "状态",
            ],
            &[10.0, 34.0, 17.0, 17.0, 23.0, 16.0, 24.0, 15.0],
            rows,
        )
    })
}

fn projects_table(ctx: &ReportContext) -> Option<Table> {
    let row = |label: &str, t: &super::context::ProjectTotal| {
        vec![
            label.to_string(),
            t.projects.to_string(),
            t.investment.clone(),
            t.reported.to_string(),
            t.completed.clone(),
            t.done.to_string(),
            t.building.to_string(),
            t.paused.to_string(),
            t.not_started.to_string(),
        ]
    };
    let mut rows: Vec<Vec<String>> = ctx
        .projects
        .systems
        .iter()
        .map(|t| row(&t.system, t))
        .collect();
    rows.push(row("合计", &ctx.projects.total));
    Some(table(
        &[
            "体系",
            "工程数",
            "总投资（万元）",
            "已报进度",
            "累计完成（万元）",
            "已完工",
            "在建",
            "暂停",
            "未开工",
        ],
        &[20.0, 13.0, 24.0, 15.0, 24.0, 15.0, 15.0, 15.0, 15.0],
        rows,
    ))
}

fn returns_table(ctx: &ReportContext) -> Option<Table> {
    let rows = ctx
        .returns
        .units
        .iter()
        .map(|u| {
            vec![
                u.unit.clone(),
                u.state.clone(),
                u.errors.to_string(),
                u.warnings.to_string(),
            ]
        })
        .collect();
    Some(table(
        &["报送单位", "报送情况", "错误", "提示"],
        &[66.0, 40.0, 25.0, 25.0],
        rows,
    ))
}

/// Each department's rows by 预警 signal: the leaders' 督办 list.
fn warning_table(ctx: &ReportContext) -> Option<Table> {
    let rows: Vec<Vec<String>> = ctx
        .warning
        .departments
        .iter()
        .map(|d| {
            vec![
                d.department.clone(),
                d.red.to_string(),
                d.yellow.to_string(),
                d.green.to_string(),
                d.red_rows.clone(),
                d.yellow_rows.clone(),
            ]
        })
        .collect();
    (!rows.is_empty()).then(|| {
        table(
            &["责任单位", "红", "黄", "绿", "红色预警指标", "黄色预警指标"],
            // Room for a row of ids on one line: a wrapped id breaks at its point (20.|1).
            &[30.0, 9.0, 9.0, 9.0, 36.0, 63.0],
            rows,
        )
    })
}

/// The unmet and 待核实 rows across the quarters on record (with `--history`).
fn trend_table(ctx: &ReportContext) -> Option<Table> {
    let trend = ctx.trend.as_ref()?;
    let quarters = &trend.quarters;
    let rows: Vec<Vec<String>> = trend
        .rows
        .iter()
        .map(|r| {
            let mut row = vec![r.id.clone(), r.name.clone()];
            row.extend(r.values.iter().cloned());
            row.push(r.status.clone());
            row
        })
        .collect();
    if rows.is_empty() || quarters.is_empty() {
        return None;
    }
    let mut header = vec!["序号".to_string(), "指标".to_string()];
    header.extend(quarters.iter().cloned());
    header.push("本期状态".into());
    // 156 mm: id and name first, the quarters share what is left.
    let each = ((156.0 - 10.0 - 36.0 - 18.0) / quarters.len() as f64).max(12.0);
    let mut widths = vec![10.0, 36.0];
    widths.extend(std::iter::repeat_n(each, quarters.len()));
    widths.push(18.0);
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    Some(table(&header, &widths, rows))
}

/// 附件: the full indicator table in the 专栏1 layout, domains merged vertically, at the full
/// text width (156 mm), its 本期值 as assessed (normalised, with its unit).
/// The plan's name in the 附件, with what is reported where that differs (7.2).
fn appendix_name(ind: &crate::schema::Indicator) -> String {
    match &ind.report_name {
        Some(reported) => format!("{}（按{reported}填报）", ind.plan_full_name()),
        None => ind.plan_full_name(),
    }
}

pub(super) fn appendix(a: &Assessment) -> Table {
    // 156 mm in all, so that 11.1, 约束性, 立方米/万元 and 生态环境分局 stay whole at 小五. Where a
    // header or a domain needs two lines it breaks between its words (达标/情况, 生态/安全).
    let widths = [11.5, 10.0, 33.5, 19.5, 12.0, 17.5, 17.0, 13.5, 21.5];
    let header = [
        "领域",
        "序号",
        "指标名称",
        "单位",
        "属性",
        "指标值",
        "本期值",
        "达标\n情况",
        "填报单位",
    ];
    let c = |text: &str, w: f64, shade: Option<&str>, bold: bool| {
        sized_cell(text, w, shade, bold, SIZE_APPENDIX)
    };
    let mut rows = vec![TableRow::new(
        header
            .iter()
            .zip(&widths)
            .map(|(h, w)| c(h, *w, Some("D9E1F2"), true))
            .collect(),
    )
    .cant_split()];
    for r in &a.rows {
        let ind = r.indicator;
        // On every row, not merged: a domain continued on the next page must not start it with
        // an empty cell, and where the page breaks is Word's to decide.
        // A four-character name (生态安全) is two words of two: broken between them.
        let name: Vec<char> = ind.domain.chars().collect();
        let shown = match name.as_slice() {
            [a, b, c, d] => format!("{a}{b}\n{c}{d}"),
            _ => ind.domain.clone(),
        };
        let domain = c(&shown, widths[0], None, false);
        let status = match r.unverified {
            Some(_) => format!("{}\n（待核实）", r.status.label()),
            None => r.status.label().to_string(),
        };
        let value = match &r.value {
            Some(_) => crate::write::wording::shown_value(r, a.period),
            None => "—".to_string(),
        };
        rows.push(
            TableRow::new(vec![
                domain,
                c(r.id, widths[1], None, false),
                c(&appendix_name(ind), widths[2], None, false),
                c(
                    ind.measure_unit.as_deref().unwrap_or("—"),
                    widths[3],
                    None,
                    false,
                ),
                c(ind.attribute.label(), widths[4], None, false),
                // The plan's 指标值 as written (as 汇总表 shows it), not the words accepted.
                c(&ind.plan_standard(), widths[5], None, false),
                c(&value, widths[6], None, false),
                c(&status, widths[7], Some(&status_shade(r.status)), false),
                c(r.department, widths[8], None, false),
            ])
            .cant_split(),
        );
    }
    let margin = docx_rs::TableCellMargins::new()
        .margin_left(APPENDIX_CELL_MARGIN, WidthType::Dxa)
        .margin_right(APPENDIX_CELL_MARGIN, WidthType::Dxa);
    fixed(Table::new(rows), &widths).margins(margin)
}
