//! The box of cells calamine will allocate for each table of an .ods, computed from
//! `content.xml` before calamine sees it.
//!
//! calamine expands `table:number-rows-repeated` × the width of the widest row into a dense
//! grid, up to 100 million cells of its own cap (6 GB, and a process abort, from a 7 KB file
//! with one repeated row of 16,384 repeated cells). This pass streams the XML, allocates
//! nothing per cell, and refuses such a table with the sheet-size diagnostic.

use super::{Limits, ReadError};
use quick_xml::events::{BytesStart, Event};
use std::io::{BufReader, Cursor, Read};

/// calamine's own caps on a sheet: its rows and its columns.
const MAX_ROWS: u64 = 1_048_576;
const MAX_COLUMNS: u64 = 16_384;

/// Refuses an .ods whose tables would expand beyond `limits.max_cells × 4` cells (the slack
/// the .xls check allows too: the dense grid holds empty cells between the used ones).
pub fn check_ods(bytes: &[u8], limits: &Limits) -> Result<(), ReadError> {
    let corrupt = |e: &dyn std::fmt::Display| ReadError::Corrupt {
        detail: format!("表格内容无法解析（{e}）"),
    };
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| corrupt(&e))?;
    let Ok(content) = archive.by_name("content.xml") else {
        return Ok(());
    };
    let budget = (limits.max_cells as u64).saturating_mul(4);
    match widest_table(content) {
        Ok(Some(t)) if t.rows.saturating_mul(t.cols) > budget => Err(ReadError::Dimensions {
            sheet: format!("工作表“{}”", t.name),
            rows: t.rows,
            cols: t.cols,
        }),
        Ok(_) => Ok(()),
        Err(e) => Err(corrupt(&e)),
    }
}

#[derive(Debug, Default, Clone)]
struct TableBox {
    name: String,
    rows: u64,
    cols: u64,
}

/// The table whose non-empty cells span the largest box (rows × columns), repeats expanded.
fn widest_table(content: impl Read) -> Result<Option<TableBox>, quick_xml::Error> {
    let mut reader = quick_xml::Reader::from_reader(BufReader::new(content));
    let mut buf = Vec::new();
    let mut widest: Option<TableBox> = None;
    let mut table = Table::default();
    let mut row: Option<Row> = None;
    loop {
        let event = reader.read_event_into(&mut buf)?;
        let empty = matches!(event, Event::Empty(_));
        match event {
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                "table:table" => table = Table::new(attr(&e, "table:name").unwrap_or_default()),
                "table:table-row" => {
                    let repeats = number(&e, "table:number-rows-repeated");
                    row = Some(Row::new(repeats));
                    if empty {
                        table.end_row(row.take());
                    }
                }
                "table:table-cell" | "table:covered-table-cell" => {
                    if let Some(r) = row.as_mut() {
                        // A cell with content or a value type is not empty to calamine.
                        let filled = !empty || attr(&e, "office:value-type").is_some();
                        r.cell(number(&e, "table:number-columns-repeated"), filled);
                    }
                }
                _ => {}
            },
            Event::End(e) => match e.name().as_ref() {
                "table:table-row" => table.end_row(row.take()),
                "table:table" => {
                    let done = std::mem::take(&mut table).finish();
                    if widest.as_ref().is_none_or(|w| {
                        w.rows.saturating_mul(w.cols) < done.rows.saturating_mul(done.cols)
                    }) {
                        widest = Some(done);
                    }
                }
                _ => {}
            },
            Event::Eof => return Ok(widest),
            _ => {}
        }
        buf.clear();
    }
}

fn attr(e: &BytesStart, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .map(|a| a.value.to_string())
}

/// A repeat count: 1 when absent or unreadable (calamine fails on those; not our concern).
fn number(e: &BytesStart, name: &str) -> u64 {
    attr(e, name)
        .and_then(|v| v.trim().parse::<u64>().ok())
        .unwrap_or(1)
        .max(1)
}

#[derive(Debug, Default)]
struct Row {
    repeats: u64,
    /// Columns seen so far, repeats expanded (capped as calamine caps them).
    col: u64,
    /// One past the last non-empty column.
    width: u64,
}

impl Row {
    fn new(repeats: u64) -> Row {
        Row {
            repeats,
            ..Row::default()
        }
    }

    fn cell(&mut self, repeats: u64, filled: bool) {
        self.col = self.col.saturating_add(repeats).min(MAX_COLUMNS);
        if filled {
            self.width = self.col;
        }
    }
}

#[derive(Debug, Default)]
struct Table {
    name: String,
    /// Rows seen so far, repeats expanded (capped as calamine caps them).
    rows: u64,
    first_filled: Option<u64>,
    /// One past the last row of the last non-empty row group.
    end_filled: u64,
    width: u64,
}

impl Table {
    fn new(name: String) -> Table {
        Table {
            name,
            ..Table::default()
        }
    }

    fn end_row(&mut self, row: Option<Row>) {
        let Some(row) = row else { return };
        let repeats = row.repeats.min(MAX_ROWS.saturating_sub(self.rows));
        if row.width > 0 {
            self.first_filled.get_or_insert(self.rows);
            self.end_filled = self.rows + repeats;
            self.width = self.width.max(row.width);
        }
        self.rows += repeats;
    }

    fn finish(self) -> TableBox {
        let rows = self
            .first_filled
            .map_or(0, |first| self.end_filled.saturating_sub(first));
        TableBox {
            name: self.name,
            rows,
            cols: self.width,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn widest(xml: &str) -> (u64, u64) {
        let t = widest_table(xml.as_bytes()).unwrap().unwrap_or_default();
        (t.rows, t.cols)
    }

    #[test]
    fn repeated_rows_of_repeated_filled_cells_span_their_product() {
        let xml = r#"<office:document-content><table:table table:name="S">
            <table:table-row table:number-rows-repeated="6000">
              <table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="16384"/>
            </table:table-row></table:table></office:document-content>"#;
        assert_eq!(widest(xml), (6000, 16384));
    }

    #[test]
    fn trailing_empty_rows_and_cells_do_not_count() {
        let xml = r#"<table:table table:name="S">
            <table:table-row><table:table-cell><text:p>填报单位</text:p></table:table-cell>
              <table:table-cell office:value-type="string"><text:p>水务局</text:p></table:table-cell>
              <table:table-cell table:number-columns-repeated="16382"/></table:table-row>
            <table:table-row table:number-rows-repeated="1048570"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>
            </table:table>"#;
        assert_eq!(widest(xml), (1, 2));
    }
}
