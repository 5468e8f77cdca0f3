//! A plain table as a workbook: a title over a header row and one row per record, ready to
//! print. The portal's 链接分发表, 操作记录 and the archive's 清单 are all one of these.

use super::style;
use rust_xlsxwriter::XlsxError;

pub struct Ledger<'a> {
    /// The title over the table, and the workbook's title.
    pub title: &'a str,
    pub sheet: &'a str,
    /// Each column's header and width (characters).
    pub columns: &'a [(&'a str, f64)],
    pub rows: Vec<Vec<String>>,
}

pub fn write(ledger: &Ledger) -> Result<Vec<u8>, XlsxError> {
    let mut wb = super::workbook(ledger.title);
    let ws = wb.add_worksheet();
    ws.set_name(ledger.sheet)?;
    let last = ledger.columns.len().saturating_sub(1) as u16;
    if last > 0 {
        ws.merge_range(0, 0, 0, last, ledger.title, &style::title())?;
    } else {
        ws.write_string_with_format(0, 0, ledger.title, &style::title())?;
    }
    ws.set_row_height(0, 28)?;
    for (c, (header, width)) in ledger.columns.iter().enumerate() {
        ws.write_string_with_format(1, c as u16, *header, &style::header())?;
        ws.set_column_width(c as u16, *width)?;
    }
    for (r, row) in ledger.rows.iter().enumerate() {
        for (c, text) in row.iter().enumerate().take(ledger.columns.len()) {
            let text = crate::text::fitted(
                crate::text::printable(text).into_owned(),
                crate::text::CELL_MAX,
            );
            ws.write_string_with_format(r as u32 + 2, c as u16, text, &style::text())?;
        }
    }
    ws.set_freeze_panes(2, 0)?;
    if !ledger.rows.is_empty() {
        ws.autofilter(1, 0, ledger.rows.len() as u32 + 1, last)?;
    }
    style::landscape(ws, style::A4);
    ws.set_repeat_rows(0, 1)?;
    wb.save_to_buffer()
}
