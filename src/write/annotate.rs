//! 退回修改: a rejected return copied cell by cell, the offending cells highlighted with a
//! note each, and a first sheet that lists what to fix. The office sends it back as is.

use super::style;
use crate::read::layout::{Stamp, StampKey, STAMP_SHEET};
use crate::read::{self, CellValue, Limits};
use crate::schema::Schema;
use crate::validate::{Diagnostic, Return, Severity};
use rust_xlsxwriter::{Format, Note, Workbook, XlsxError};
use std::collections::BTreeMap;

pub const FIX_SHEET: &str = "修改说明";

/// The longest stem a copy's name keeps, in bytes: with `_退回修改.xlsx` and a counter the name
/// stays well inside the 255 bytes file systems allow.
const STEM_MAX_BYTES: usize = 150;

/// The copies' file names, one per return in the order given: `<报告期>_<单位>_退回修改.xlsx`
/// where both are known (the copy is then the unit's own form, named like it, and the command
/// line, the portal's build and the unit's download all give it this name), else
/// `<original name>_退回修改.xlsx`. Never two alike (Windows and macOS compare names without case): two returns both called
/// 填报表.xlsx in two subfolders, or two names that only differ in bytes that do not display,
/// become `填报表_退回修改.xlsx` and `填报表（2）_退回修改.xlsx`.
pub fn file_names(returns: &[&Return]) -> Vec<String> {
    let mut taken = std::collections::HashSet::new();
    returns
        .iter()
        .map(|ret| {
            let stem = stem(ret);
            let mut n = 1;
            loop {
                let name = if n == 1 {
                    format!("{stem}_退回修改.xlsx")
                } else {
                    format!("{stem}（{n}）_退回修改.xlsx")
                };
                if taken.insert(name.to_lowercase()) {
                    break name;
                }
                n += 1;
            }
        })
        .collect()
}

/// The name a returned copy of `unit`'s return for `period` has, before any counter.
pub fn returned_name(period: crate::period::Period, unit: &str) -> String {
    format!("{period}_{unit}_退回修改.xlsx")
}

/// The copy's name without `_退回修改.xlsx`, with what a file system refuses replaced.
fn stem(ret: &Return) -> String {
    let raw = match (ret.period, ret.unit.as_deref()) {
        (Some(period), Some(unit)) => returned_name(period, unit)
            .trim_end_matches("_退回修改.xlsx")
            .to_string(),
        _ => ret
            .file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default(),
    };
    let mut clean = String::new();
    for c in raw.chars().filter(|c| !crate::text::is_bidi_control(*c)) {
        let c = if c.is_control() || "<>:\"/\\|?*".contains(c) {
            '_'
        } else {
            c
        };
        if clean.len() + c.len_utf8() > STEM_MAX_BYTES {
            break;
        }
        clean.push(c);
    }
    let clean = clean.trim().trim_start_matches('.').to_string();
    if clean.is_empty() {
        "填报表".into()
    } else {
        clean
    }
}

/// Names for the copy's sheets, in order: what Excel refuses (`[]:*?/\`, control characters,
/// an apostrophe at either end, more than 31 UTF-16 units, a name used twice in any case, the
/// reserved `History`, our own 修改说明) is replaced so that every original sheet is kept.
fn sheet_names<'a>(names: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut taken: std::collections::HashSet<String> =
        [FIX_SHEET.to_lowercase(), "history".to_string()].into();
    names
        .map(|name| {
            let clean: String = name
                .chars()
                .filter(|c| !crate::text::is_bidi_control(*c))
                .map(|c| {
                    if c.is_control() || "[]:*?/\\".contains(c) {
                        '_'
                    } else {
                        c
                    }
                })
                .collect();
            let clean = clean.trim_matches('\'').trim();
            let base = if clean.is_empty() { "工作表" } else { clean };
            let mut n = 1;
            loop {
                let suffix = if n == 1 {
                    String::new()
                } else {
                    format!("({n})")
                };
                let room = 31 - suffix.len();
                let head = crate::text::truncated(base, room).unwrap_or_else(|| base.to_string());
                let name = format!("{}{suffix}", head.trim_end_matches('\''));
                if !name.is_empty() && taken.insert(name.to_lowercase()) {
                    break name;
                }
                n += 1;
            }
        })
        .collect()
}

/// The returned copy: the unit's own form for this period with every value it sent filled in
/// and each flagged cell red with its note, 修改说明 first; where the unit or the period cannot
/// be told, a plain annotated copy of the file. `None` when the file cannot be read again
/// (corrupt, encrypted …): nothing to copy.
pub fn write(schema: &Schema, ret: &Return, limits: &Limits) -> Result<Option<Vec<u8>>, XlsxError> {
    if let Some(form) = as_form(schema, ret)? {
        return Ok(Some(form));
    }
    let Ok((_, book)) = read::open(&ret.file, limits) else {
        return Ok(None);
    };
    let mut wb = super::workbook(&format!(
        "退回修改：{}",
        crate::text::printable(&ret.path_text())
    ));
    fix_list(&mut wb, ret, "原填报表")?;
    let mut by_cell: BTreeMap<(&str, u32, u32), Vec<&Diagnostic>> = BTreeMap::new();
    for d in ret.diagnostics.iter().take(LISTED_MAX) {
        if let (Some(sheet), Some((r, c))) = (d.sheet.as_deref(), d.position()) {
            by_cell.entry((sheet, r, c)).or_default().push(d);
        }
    }
    let percent = Format::new().set_num_format("0.0%");
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let stamp = read::find_return(&book).stamp;
    let copied: Vec<&read::Sheet> = book
        .sheets
        .iter()
        .filter(|s| s.name != STAMP_SHEET)
        .collect();
    let names = sheet_names(copied.iter().map(|s| s.name.as_str()));
    for (sheet, name) in copied.into_iter().zip(names) {
        let ws = wb.add_worksheet();
        ws.set_name(name)?;
        if !sheet.visible {
            ws.set_hidden(true);
        }
        let mut widths: BTreeMap<u16, usize> = BTreeMap::new();
        for cell in &sheet.cells {
            let (r, Ok(c)) = (cell.row, u16::try_from(cell.col)) else {
                continue;
            };
            if r > 1_048_575 || c > 16_383 {
                continue;
            }
            let flagged = by_cell.contains_key(&(sheet.name.as_str(), cell.row, cell.col));
            let base = if flagged {
                style::flagged()
            } else {
                Format::new()
            };
            match &cell.value {
                CellValue::Text(s) => ws.write_string_with_format(r, c, s, &base)?,
                CellValue::Number(n) if cell.percent => ws.write_number_with_format(
                    r,
                    c,
                    *n,
                    &percent.clone().set_background_color(if flagged {
                        rust_xlsxwriter::Color::RGB(style::FLAGGED_FILL)
                    } else {
                        rust_xlsxwriter::Color::Default
                    }),
                )?,
                CellValue::Number(n) => ws.write_number_with_format(r, c, *n, &base)?,
                CellValue::Bool(b) => ws.write_boolean_with_format(r, c, *b, &base)?,
                CellValue::Date(d) => ws.write_number_with_format(r, c, *d, &date)?,
                CellValue::Error(e) => ws.write_string_with_format(r, c, e, &base)?,
            };
            let w = widths.entry(c).or_default();
            *w = (*w).max(crate::text::display_width(&cell.value.display()));
        }
        for (c, w) in widths {
            ws.set_column_width(c, (w as f64 * 1.1 + 2.0).clamp(8.0, 50.0))?;
        }
        style::landscape(ws, style::A4);
        for ((_, r, c), ds) in
            by_cell.range((sheet.name.as_str(), 0, 0)..=(sheet.name.as_str(), u32::MAX, u32::MAX))
        {
            let (Ok(c16), true) = (u16::try_from(*c), *r <= 1_048_575) else {
                continue;
            };
            if !sheet.cells.iter().any(|x| x.row == *r && x.col == *c) {
                ws.write_blank(*r, c16, &style::flagged())?;
            }
            let text: Vec<String> = ds
                .iter()
                .map(|d| format!("【{}】{}", d.severity.label(), d.advice()))
                .collect();
            ws.insert_note(
                *r,
                c16,
                &Note::new(crate::text::shortened(&text.join("\n"), NOTE_MAX))
                    .set_author("生态环境分局")
                    .set_width(360)
                    .set_height(150),
            )?;
        }
    }
    stamp_sheet(&mut wb, ret, stamp)?;
    Ok(Some(wb.save_to_buffer()?))
}

/// The copy's hidden stamp: the original's, with the unit and period read from it and the
/// revision one higher, so that the corrected copy supersedes the original when both are in
/// the folder.
fn stamp_sheet(wb: &mut Workbook, ret: &Return, mut stamp: Stamp) -> Result<(), XlsxError> {
    if let Some(unit) = &ret.unit {
        stamp.set(StampKey::Unit, unit.clone());
    }
    if let Some(period) = ret.period {
        stamp.set(StampKey::Period, period.to_string());
    }
    stamp.set(
        StampKey::Revision,
        ret.revision.saturating_add(1).to_string(),
    );
    let ws = wb.add_worksheet();
    ws.set_name(STAMP_SHEET)?;
    for (r, (k, v)) in stamp.rows().enumerate() {
        ws.write_string(r as u32, 0, k)?;
        ws.write_string(r as u32, 1, v)?;
    }
    ws.set_hidden(true);
    Ok(())
}

/// The most problems 修改说明 lists one by one: past that, a return is to be redone, not
/// corrected row by row, and the list would only make the copy too large to mail.
const LISTED_MAX: usize = 10_000;

/// Room left in a note for rust_xlsxwriter's own markup.
const NOTE_MAX: usize = crate::text::CELL_MAX - 100;

const WIDTHS: [f64; 5] = [6.0, 8.0, 18.0, 18.0, 80.0];

/// The unit's form, filled in and annotated, when the return is the unit's for a period.
fn as_form(schema: &Schema, ret: &Return) -> Result<Option<Vec<u8>>, XlsxError> {
    let (Some(unit), Some(period)) = (ret.unit.as_deref(), ret.period) else {
        return Ok(None);
    };
    if ret.sent.is_empty() || !schema.reporting_units().iter().any(|u| u.name == unit) {
        return Ok(None);
    }
    let mut notes: BTreeMap<(String, u32, u32), String> = BTreeMap::new();
    for d in ret.diagnostics.iter().take(LISTED_MAX) {
        if let (Some(sheet), Some((r, c))) = (d.sheet.as_deref(), d.position()) {
            let line = format!("【{}】{}", d.severity.label(), d.advice());
            let note = notes.entry((sheet.to_string(), r, c)).or_default();
            if !note.is_empty() {
                note.push('\n');
            }
            note.push_str(&crate::text::shortened(&line, NOTE_MAX));
        }
    }
    let mut wb = super::workbook(&format!("退回修改：{unit} {period}"));
    fix_list(&mut wb, ret, "本表")?;
    let filling = super::form::Filling {
        sent: &ret.sent,
        notes: &notes,
        revision: ret.revision.saturating_add(1),
    };
    super::form::add_form(
        &mut wb,
        schema,
        unit,
        period,
        super::form::CONTACT,
        Some(&filling),
    )?;
    Ok(Some(wb.save_to_buffer()?))
}

fn fix_list(wb: &mut Workbook, ret: &Return, fix_in: &str) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name(FIX_SHEET)?;
    ws.merge_range(0, 0, 0, 4, "填报表退回修改通知", &style::title())?;
    let who = ret.unit.as_deref().unwrap_or("填报单位");
    let intro = format!(
        "{who}：你单位报送的《{}》有以下问题，请在{fix_in}中逐项改正后重新报送。表中标红的单元格即问题所在，鼠标移到单元格上可看到批注。",
        ret.file
            .file_name()
            .map(|n| crate::text::without_bidi(&n.to_string_lossy()).into_owned())
            .unwrap_or_default()
    );
    ws.merge_range(1, 0, 1, 4, &intro, &style::text())?;
    ws.set_row_height(1, 48)?;
    let names = ["序号", "级别", "位置", "所见值", "问题与修改办法"];
    for (c, (n, w)) in names.iter().zip(WIDTHS).enumerate() {
        ws.write_string_with_format(3, c as u16, *n, &style::header())?;
        ws.set_column_width(c as u16, w)?;
    }
    let cell = style::cell();
    let mut errors: Vec<&Diagnostic> = ret
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    errors.extend(
        ret.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning),
    );
    for (i, d) in errors.iter().take(LISTED_MAX).enumerate() {
        let r = 4 + i as u32;
        let location = d.location();
        let values = [
            (i + 1).to_string(),
            d.severity.label().into(),
            location,
            d.value.clone().unwrap_or_default(),
            d.advice(),
        ];
        for (c, v) in values.iter().enumerate() {
            ws.write_string_with_format(r, c as u16, v, &cell)?;
        }
        let fit: Vec<(&str, f64)> = values.iter().map(String::as_str).zip(WIDTHS).collect();
        ws.set_row_height(r, style::row_height(&fit))?;
    }
    if errors.len() > LISTED_MAX {
        let r = 4 + LISTED_MAX as u32;
        let rest = format!(
            "另有 {} 条问题未列出（同类问题请一并改正后重新报送）",
            errors.len() - LISTED_MAX
        );
        ws.merge_range(r, 0, r, 4, &rest, &style::text())?;
    }
    style::landscape(ws, style::A4);
    Ok(())
}
