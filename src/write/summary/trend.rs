//! 汇总表's sheet 趋势 (with `--history`): one row per indicator row, its 2021 baseline, one
//! column per quarter in order (a quarter missing from the history stays empty: a gap, not a
//! zero), the 2025 and 2030 targets and this period's status; then a native line chart for
//! each unmet numeric row, with its stage target drawn as a dashed line (the target's value per
//! quarter sits on a hidden sheet: a chart series must come from cells).

use super::style;
use crate::assess::{Status, Trend};
use rust_xlsxwriter::{Chart, ChartType, Workbook, Worksheet, XlsxError};

pub const TREND_SHEET: &str = "趋势";
const TARGET_SHEET: &str = "_趋势目标";

/// Fixed columns before the quarters: 序号, 指标名称, 单位, 2021年现状值.
const LEAD: u16 = 4;

pub fn sheet(book: &mut Workbook, t: &Trend) -> Result<(), XlsxError> {
    let ws = book.add_worksheet();
    ws.set_name(TREND_SHEET)?;
    let mut names: Vec<String> = ["序号", "指标名称", "单位", "2021年现状值"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    for (p, present) in t.periods.iter().zip(&t.present) {
        names.push(if *present {
            p.chinese()
        } else {
            format!("{}（无汇总表）", p.chinese())
        });
    }
    names.extend(["2025年目标", "2030年目标", "本期状态"].map(String::from));
    let header = style::header();
    for (c, n) in names.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, n, &header)?;
    }
    let widths = [7.0, 34.0, 10.0, 12.0];
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    let quarters = t.periods.len() as u16;
    ws.set_column_range_width(LEAD, LEAD + quarters + 2, 13.0)?;
    ws.set_row_height(0, 32)?;
    ws.set_freeze_panes(1, 2)?;
    let cell = style::cell();
    for (i, tr) in t.rows.iter().enumerate() {
        let r = 1 + i as u32;
        let ind = tr.row.indicator;
        ws.write_string_with_format(r, 0, tr.row.id, &cell)?;
        ws.write_string_with_format(r, 1, ind.full_name(), &cell)?;
        ws.write_string_with_format(r, 2, ind.measure_unit.as_deref().unwrap_or("—"), &cell)?;
        ws.write_string_with_format(r, 3, &ind.baseline, &cell)?;
        for (q, point) in tr.points.iter().enumerate() {
            let c = LEAD + q as u16;
            match point {
                Some(p) => match p.value {
                    Some(n) => ws.write_number_with_format(r, c, n, &cell)?,
                    None => ws.write_string_with_format(r, c, &p.text, &cell)?,
                },
                None => ws.write_blank(r, c, &cell)?,
            };
        }
        let c = LEAD + quarters;
        ws.write_string_with_format(r, c, &ind.target_2025.text, &cell)?;
        ws.write_string_with_format(r, c + 1, &ind.target_2030.text, &cell)?;
        ws.write_string_with_format(
            r,
            c + 2,
            tr.row.status_label(),
            &style::status(tr.row.status),
        )?;
    }
    let targets = charts(ws, t)?;
    super::print_setup(ws, 0)?;
    let hidden = book.add_worksheet();
    hidden.set_name(TARGET_SHEET)?;
    hidden.set_hidden(true);
    for (r, quarters, value) in targets {
        for q in 0..quarters {
            hidden.write_number(r, q, value)?;
        }
    }
    Ok(())
}

/// A line chart per unmet numeric row with two points or more, two charts a row below the
/// table. Returns the target lines to write on the hidden sheet: (its row there, quarters,
/// value).
fn charts(ws: &mut Worksheet, t: &Trend) -> Result<Vec<(u32, u16, f64)>, XlsxError> {
    let mut targets = Vec::new();
    let last = LEAD + t.periods.len() as u16 - 1;
    let below = 3 + t.rows.len() as u32;
    // Only rows measured quarter by quarter: an annual or 累计 row's quarters are no series
    // (the report charts those one point a year).
    let drawn = t.rows.iter().enumerate().filter(|(_, tr)| {
        tr.row.status == Status::Unmet
            && tr.step == crate::assess::trend::Step::Quarter
            && tr
                .points
                .iter()
                .flatten()
                .filter(|p| p.value.is_some())
                .count()
                >= 2
    });
    for (n, (i, tr)) in drawn.enumerate() {
        let r = 1 + i as u32;
        let mut chart = Chart::new(ChartType::Line);
        chart
            .add_series()
            .set_name(&format!(
                "{} {}",
                tr.row.id,
                tr.row.indicator.reported_name()
            ))
            .set_marker(rust_xlsxwriter::ChartMarker::new().set_automatic())
            .set_categories((TREND_SHEET, 0, LEAD, 0, last))
            .set_values((TREND_SHEET, r, LEAD, r, last));
        let quarters = t.periods.len() as u16;
        let stage = tr.row.indicator.target_for(t.stage_year);
        if let Some(c) = stage.comparison {
            let row = targets.len() as u32;
            targets.push((row, quarters, c.threshold));
            chart
                .add_series()
                .set_name(&format!("{}年目标（{}）", t.stage_year, stage.text))
                .set_categories((TREND_SHEET, 0, LEAD, 0, last))
                .set_values((TARGET_SHEET, row, 0, row, quarters - 1))
                .set_format(
                    rust_xlsxwriter::ChartFormat::new().set_line(
                        rust_xlsxwriter::ChartLine::new()
                            .set_color(rust_xlsxwriter::Color::RGB(0xC00000))
                            .set_dash_type(rust_xlsxwriter::ChartLineDashType::Dash),
                    ),
                );
        }
        chart.title().set_name(&format!(
            "{} {}",
            tr.row.id,
            tr.row.indicator.reported_name()
        ));
        // Below the plot, never over it.
        chart
            .legend()
            .set_position(rust_xlsxwriter::ChartLegendPosition::Bottom);
        chart
            .y_axis()
            .set_name(tr.row.indicator.measure_unit.as_deref().unwrap_or(""));
        chart.set_width(520).set_height(300);
        let at_row = below + (n as u32 / 2) * 16;
        let at_col = if n % 2 == 0 { 1 } else { 6 };
        ws.insert_chart(at_row, at_col, &chart)?;
    }
    Ok(targets)
}
