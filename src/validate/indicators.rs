//! The indicator table of one return: each row identified, its 本期值 and 数据年份 read, and
//! every row accounted for (consolidated, another unit's, or in a diagnostic).

use super::cell_text;
use super::identify::{self, normalise_id};
use super::{CellRef, Code, Diagnostic, Entry, Return, RowKey, SentRow, Source};
use crate::read::{layout::Column, Limits, Row, Table};
use crate::schema::Schema;
use std::collections::BTreeSet;

/// Reads one identified, first-seen row's 本期值 and accounts for the row: consolidated, stray
/// (another unit's indicator) or in the diagnostics.
#[allow(clippy::too_many_arguments)]
fn read_value(
    ind: &crate::schema::Indicator,
    row: &Row,
    sheet: &str,
    value_col: u32,
    schema: &Schema,
    unit: &str,
    formats_known: bool,
    ret: &mut Return,
) {
    let value_cell = row.get(Column::Value);
    let at = |d: Diagnostic| d.at(sheet, row.row, value_col).indicator(&ind.id);
    let remark = cell_text(row, Column::Remark);
    let reading = crate::value::read(value_cell, ind, schema, remark.as_deref(), formats_known);
    let mut row_diagnosed = reading.value.is_none();
    let source = cell_text(row, Column::Source);
    for (code, message) in &reading.findings {
        let rows = u32::from(code.severity() == super::Severity::Error);
        let message = match (code, misplaced_number(source.as_deref())) {
            (Code::ValueEmpty, Some(n)) => format!(
                "{message}；“数据来源”一栏却填了数字“{n}”，是否填错了栏？请把数值移到“本期值”"
            ),
            _ => message.clone(),
        };
        ret.diagnostics.push(
            at(Diagnostic::new(*code, message))
                .value(reading.text.clone())
                .rows(rows),
        );
    }
    let Some(value) = reading.value else {
        ret.rows.in_diagnostics += 1;
        return;
    };
    let year = super::data_year::read(row, ind, ret.period, sheet);
    // An unreadable year rejects the return (its rows are held with it); the row itself is
    // accounted for below like any other.
    ret.diagnostics.extend(year.finding);
    let entry = Entry {
        indicator: ind.id.clone(),
        value,
        text: reading.text.clone(),
        data_source: source,
        remark,
        source: Source {
            sheet: sheet.to_string(),
            cell: CellRef::new(row.row, value_col),
        },
        data_year: year.year,
        year_assumed: year.assumed,
    };
    if ind.department != unit {
        row_diagnosed = true;
        ret.diagnostics.push(
            at(Diagnostic::new(
                Code::IndicatorNotAssigned,
                format!(
                    "指标 {} {} 由{}负责填报，本单位填报的数值不计入汇总",
                    ind.id,
                    ind.full_name(),
                    ind.department
                ),
            ))
            .value(reading.text.clone())
            .rows(1),
        );
        ret.stray.push(entry);
    } else {
        ret.entries.push(entry);
    }
    if row_diagnosed {
        ret.rows.in_diagnostics += 1;
    } else {
        ret.rows.consolidated += 1;
    }
}

/// The unit's indicators its table lacks, and the rows below it that name no indicator.
fn missing_and_junk(
    table: &Table,
    schema: &Schema,
    unit: &str,
    seen: &BTreeSet<String>,
    junk: &[&Row],
    ret: &mut Return,
) {
    let sheet = table.sheet.as_str();
    for ind in schema.indicators_of(unit) {
        if !seen.contains(&ind.id) {
            ret.diagnostics.push(
                Diagnostic::new(
                    Code::IndicatorMissing,
                    format!(
                        "缺少指标 {} {}：请在表中补上这一行并填写本期值",
                        ind.id,
                        ind.full_name()
                    ),
                )
                .at(sheet, table.header_row, 0)
                .indicator(&ind.id),
            );
        }
    }
    if let Some(first) = junk.first() {
        let n = junk.len() as u32;
        let (r, c) = first.first_cell();
        let sample = first
            .cells
            .values()
            .chain(&first.other)
            .next()
            .map(|c| c.value.display())
            .unwrap_or_default();
        ret.rows.read += n;
        ret.rows.in_diagnostics += n;
        ret.diagnostics.push(
            Diagnostic::new(
                Code::JunkRows,
                format!("表格中有 {n} 行无法识别为指标（从第 {} 行起），未计入汇总：请确认不是漏填的数据", r + 1),
            )
            .at(sheet, r, c)
            .value(sample)
            .rows(n),
        );
    }
}

/// A number typed where 数据来源 belongs (the value put one column too far right).
fn misplaced_number(source: Option<&str>) -> Option<String> {
    let s = crate::text::nfkc(source?);
    match crate::value::split_number(&s) {
        Some(Ok((_, rest))) if rest.is_empty() || rest == "%" => Some(s),
        _ => None,
    }
}

/// The cells of an indicator row the returned form carries back.
const SENT_INDICATOR_COLUMNS: [Column; 6] = [
    Column::Id,
    Column::Name,
    Column::Value,
    Column::DataYear,
    Column::Source,
    Column::Remark,
];

pub(super) fn check_indicators(
    table: &Table,
    schema: &Schema,
    unit: &str,
    limits: &Limits,
    formats_known: bool,
    ret: &mut Return,
) {
    let sheet = table.sheet.as_str();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut junk: Vec<&Row> = Vec::new();
    let value_col = table.columns.get(&Column::Value).copied().unwrap_or(0);
    let mut last_identified = table.header_row;
    for row in table.rows.iter().filter(|r| !r.is_blank()) {
        if row.row.saturating_sub(last_identified) > limits.max_rows_after_table {
            junk.push(row);
            continue;
        }
        ret.rows.read += 1;
        let id = row.get(Column::Id).and_then(normalise_id);
        let name = cell_text(row, Column::Name);
        let has_value = row.get(Column::Value).is_some();
        let ind = match identify::indicator(
            schema,
            id.as_deref(),
            name.as_deref(),
            has_value || id.is_some(),
        ) {
            Ok(ind) => ind,
            Err(_) if !has_value && id.is_none() => {
                // Notes, signatures and totals below the table: summarised once.
                ret.rows.read -= 1;
                junk.push(row);
                continue;
            }
            Err(why) => {
                let (r, c) = row.first_cell();
                ret.sent.push(SentRow::of(
                    RowKey::Unidentified(row.row),
                    sheet,
                    row,
                    &SENT_INDICATOR_COLUMNS,
                ));
                ret.rows.in_diagnostics += 1;
                ret.diagnostics.push(
                    Diagnostic::new(
                        Code::UnknownIndicator,
                        format!("第 {} 行无法识别：{why}", row.row + 1),
                    )
                    .at(sheet, r, c)
                    .value(name.or(id).unwrap_or_default())
                    .rows(1),
                );
                continue;
            }
        };
        last_identified = row.row;
        // Id and name too: a row of another unit's indicator has no row on this unit's form
        // and comes back below the table as it was sent.
        ret.sent.push(SentRow::of(
            RowKey::Indicator(ind.id.clone()),
            sheet,
            row,
            &SENT_INDICATOR_COLUMNS,
        ));
        let value_cell = row.get(Column::Value);
        let at = |d: Diagnostic| d.at(sheet, row.row, value_col).indicator(&ind.id);
        if !seen.insert(ind.id.clone()) {
            ret.rows.in_diagnostics += 1;
            ret.diagnostics.push(
                at(Diagnostic::new(
                    Code::DuplicateIndicator,
                    format!(
                        "指标 {} {} 在表中出现了两次（第 {} 行是重复的一行）",
                        ind.id,
                        ind.full_name(),
                        row.row + 1
                    ),
                ))
                .value(value_cell.map(|c| c.value.display()).unwrap_or_default())
                .rows(1),
            );
            continue;
        }
        read_value(ind, row, sheet, value_col, schema, unit, formats_known, ret);
    }
    missing_and_junk(table, schema, unit, &seen, &junk, ret);
    super::data_year::notice_assumed(ret, sheet, ret.period);
}
