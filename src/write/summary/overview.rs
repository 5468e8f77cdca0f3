//! 指标总览 (the 专栏1-style overview, with 预警) and 分领域统计 with its chart.

use super::{headers, opt_number, print_setup, print_setup_on, A3, OVERVIEW, STATISTICS};
use crate::assess::{Assessment, RowAssessment, RowWarning, Signal, Status, Warnings};
use crate::schema::GapKind;
use crate::write::style;
use rust_xlsxwriter::{Chart, ChartType, Color, Worksheet, XlsxError};

pub(super) fn overview(
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
        "环比对比期",
        "上期值",
        "环比变化",
        "同比对比期",
        "上年同期值",
        "同比变化",
        "填报单位",
        "说明",
    ];
    let widths = [
        9.0, 6.0, 34.0, 11.0, 9.0, 16.0, 16.0, 12.0, 10.0, 9.0, 7.0, 12.0, 12.0, 10.0, 12.0, 10.0,
        14.0, 10.0, 10.0, 14.0, 10.0, 10.0, 13.0, 34.0,
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
    widths: &[f64; 24],
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
    change(ws, r, 16, row.on_period.as_ref())?;
    change(ws, r, 19, row.on_year.as_ref())?;
    ws.write_string_with_format(r, 22, row.department, &cell)?;
    let note = note(row, warning);
    ws.write_string_with_format(r, 23, &note, &cell)?;
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
            (&note, widths[23]),
        ]),
    )?;
    Ok(())
}

/// A change in three columns from `c`: the earlier period, its value, the difference.
fn change(
    ws: &mut Worksheet,
    r: u32,
    c: u16,
    change: Option<&crate::assess::Change>,
) -> Result<(), XlsxError> {
    let cell = style::cell();
    let Some(change) = change else {
        for col in c..c + 3 {
            ws.write_string_with_format(r, col, "—", &cell)?;
        }
        return Ok(());
    };
    ws.write_string_with_format(r, c, change.basis.when(), &cell)?;
    match change.previous_number {
        Some(n) => ws.write_number_with_format(r, c + 1, n, &style::value())?,
        None => ws.write_string_with_format(r, c + 1, &change.previous, &cell)?,
    };
    opt_number(ws, r, c + 2, change.change)
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
        parts.push(match row.status {
            Status::Pending => "上级目标所属规划期已结束，待核实：请登记现行目标".to_string(),
            _ => "上级目标所属规划期已结束：请登记现行目标".to_string(),
        });
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

pub(super) fn statistics(ws: &mut Worksheet, a: &Assessment) -> Result<(), XlsxError> {
    ws.set_name(STATISTICS)?;
    // 领域, one column per status (the palette's order), 合计, 达标率.
    let mut names = vec!["领域"];
    names.extend(Status::ALL.iter().map(|s| s.label()));
    names.extend(["合计", "达标率"]);
    let total_col = 1 + Status::ALL.len() as u16;
    let rate_col = total_col + 1;
    ws.merge_range(
        0,
        0,
        0,
        rate_col,
        &format!(
            "分领域达标情况（{}，按{}项指标计）",
            a.period.chinese(),
            a.all.total()
        ),
        &style::title(),
    )?;
    let mut widths = vec![12.0];
    widths.extend(std::iter::repeat_n(8.0, Status::ALL.len() + 1));
    widths.push(10.0);
    headers(ws, 1, &names, &widths)?;
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
        ws.write_number_with_format(r, total_col, c.total() as f64, &count)?;
        // A number with a percent format, centred: not the text "66.7%" beside the count.
        match c.rate() {
            Some(v) => ws.write_number_with_format(
                r,
                rate_col,
                v / 100.0,
                &count.clone().set_num_format("0.0%"),
            )?,
            None => ws.write_string_with_format(r, rate_col, "—", &cell)?,
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
    let verdict = a.verdict().sentence();
    ws.merge_range(
        r,
        0,
        r,
        rate_col,
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
    }
    chart.title().set_name("各领域指标达标情况");
    chart.y_axis().set_name("指标数（项）");
    chart.set_width(640).set_height(360);
    ws.insert_chart(1, rate_col + 2, &chart)?;
    print_setup(ws, 1)
}
