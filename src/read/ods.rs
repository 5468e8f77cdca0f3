//! The box of cells calamine will allocate for each table of an .ods, computed from
//! `content.xml` before calamine sees it.
//!
//! calamine expands `table:number-rows-repeated` × the width of the widest row into a dense
//! grid, up to 100 million cells of its own cap (6 GB, and a process abort, from a 7 KB file
//! with one repeated row of 16,384 repeated cells). This pass streams the XML, allocates
//! nothing per cell, and refuses such a table with the sheet-size diagnostic.
//!
//! A table that is small but for rows far below it (one stray cell at row 900,000) is not
//! refused: as for .xlsx, what lies more than `max_rows_after_table` rows below the last filled
//! row is left out. Those rows are cut from a copy of content.xml that calamine reads instead,
//! and the workbook names them, so validation warns of them as it does for .xlsx.

use super::{Limits, ReadError};
use quick_xml::events::{BytesStart, Event};
use std::io::{BufReader, Cursor, Read};

/// calamine's own caps on a sheet: its rows and its columns.
const MAX_ROWS: u64 = 1_048_576;
const MAX_COLUMNS: u64 = 16_384;

/// Refuses an .ods whose tables would expand beyond `limits.max_cells × 4` cells (the slack
/// the .xls check allows too: the dense grid holds empty cells between the used ones).
pub fn check_ods(bytes: &[u8], limits: &Limits) -> Result<Option<Trimmed>, ReadError> {
    let corrupt = |e: &dyn std::fmt::Display| ReadError::Corrupt {
        detail: format!("表格内容无法解析（{e}）"),
    };
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| corrupt(&e))?;
    let Ok(content) = archive.by_name("content.xml") else {
        return Ok(None);
    };
    let budget = (limits.max_cells as u64).saturating_mul(4);
    let gap = u64::from(limits.max_rows_after_table);
    let tables = tables(content, gap).map_err(|e| corrupt(&e))?;
    let too_large = |b: &TableBox| b.rows.saturating_mul(b.cols) > budget;
    if let Some(t) = tables.iter().find(|t| too_large(&t.kept)) {
        return Err(ReadError::Dimensions {
            sheet: format!("工作表“{}”", t.kept.name),
            rows: t.kept.rows,
            cols: t.kept.cols,
        });
    }
    // Only where the whole box would be too large are the far rows cut; a table within the
    // budget is read whole, and its far rows are junk below the table as in .xlsx.
    let cuts: Vec<(usize, u64)> = tables
        .iter()
        .enumerate()
        .filter(|(_, t)| too_large(&t.whole))
        .filter_map(|(i, t)| Some((i, t.cut_at?)))
        .collect();
    if cuts.is_empty() {
        return Ok(None);
    }
    drop(archive);
    let trimmed = trimmed(bytes, &cuts, &tables).map_err(|e| corrupt(&e))?;
    // What calamine will read is checked again: a cut that did not happen (a table numbered
    // otherwise than here) must not let the whole box through.
    let mut again =
        zip::ZipArchive::new(Cursor::new(trimmed.bytes.as_slice())).map_err(|e| corrupt(&e))?;
    let content = again.by_name("content.xml").map_err(|e| corrupt(&e))?;
    let after = self::tables(content, gap).map_err(|e| corrupt(&e))?;
    if let Some(t) = after.iter().find(|t| too_large(&t.whole)) {
        return Err(ReadError::Dimensions {
            sheet: format!("工作表“{}”", t.whole.name),
            rows: t.whole.rows,
            cols: t.whole.cols,
        });
    }
    Ok(Some(trimmed))
}

/// An .ods with the far rows of some tables cut out, and what was cut.
#[derive(Debug, Clone)]
pub struct Trimmed {
    pub bytes: Vec<u8>,
    pub far_rows: Vec<FarRows>,
}

/// Rows left out far below a table: its sheet, the first such row (0-based), how many of them
/// hold something.
#[derive(Debug, Clone, PartialEq)]
pub struct FarRows {
    pub sheet: String,
    pub first_row: u64,
    pub filled: u64,
}

/// One table's box read whole, the box of what is kept, and the row where the cut falls.
#[derive(Debug, Clone, Default)]
struct Extent {
    whole: TableBox,
    kept: TableBox,
    /// The first row more than the allowed gap below the last filled row, if any is filled.
    cut_at: Option<u64>,
    /// Filled rows at or past `cut_at`.
    far_filled: u64,
}

/// content.xml rewritten without the rows of each table at or past its cut, in a new zip with
/// every other entry copied as it was.
fn trimmed(bytes: &[u8], cuts: &[(usize, u64)], tables: &[Extent]) -> Result<Trimmed, String> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let entry = archive.by_index_raw(i).map_err(|e| e.to_string())?;
        let name = entry.name().map_err(|e| e.to_string())?.to_string();
        if name == "content.xml" {
            continue;
        }
        out.raw_copy_file(entry).map_err(|e| e.to_string())?;
    }
    let content = archive.by_name("content.xml").map_err(|e| e.to_string())?;
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    out.start_file("content.xml", options)
        .map_err(|e| e.to_string())?;
    // Streamed into the new entry as it is cut: the inflated XML is never held whole.
    cut_rows(content, cuts, &mut out).map_err(|e| e.to_string())?;
    let bytes = out.finish().map_err(|e| e.to_string())?.into_inner();
    let far_rows = cuts
        .iter()
        .filter_map(|(i, at)| {
            let t = tables.get(*i)?;
            Some(FarRows {
                sheet: t.whole.name.clone(),
                first_row: *at,
                filled: t.far_filled,
            })
        })
        .collect();
    Ok(Trimmed { bytes, far_rows })
}

/// The XML with every `table:table-row` of table `i` that starts at or past its cut left out.
fn cut_rows(
    content: impl Read,
    cuts: &[(usize, u64)],
    out: impl std::io::Write,
) -> Result<(), quick_xml::Error> {
    let mut reader = quick_xml::Reader::from_reader(BufReader::new(content));
    let mut writer = quick_xml::Writer::new(out);
    let mut buf = Vec::new();
    let mut table: Option<usize> = None;
    let mut tables_seen = 0usize;
    let mut row_index = 0u64;
    // Depth inside a row being left out (0: not skipping).
    let mut skipping = 0usize;
    loop {
        let event = reader.read_event_into(&mut buf)?;
        if let Event::Eof = event {
            break;
        }
        let cut = table.and_then(|t| cuts.iter().find(|(i, _)| *i == t).map(|(_, at)| *at));
        match &event {
            Event::Start(e) if skipping > 0 => {
                let _ = e;
                skipping += 1;
            }
            Event::End(_) if skipping > 0 => skipping -= 1,
            _ if skipping > 0 => {}
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == "table:table" => {
                table = Some(tables_seen);
                tables_seen += 1;
                row_index = 0;
                writer.write_event(event.borrow())?;
            }
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == "table:table-row" => {
                let repeats = number(e, "table:number-rows-repeated");
                if cut.is_some_and(|at| row_index >= at) {
                    if matches!(event, Event::Start(_)) {
                        skipping = 1;
                    }
                } else {
                    writer.write_event(event.borrow())?;
                }
                row_index = row_index.saturating_add(repeats);
            }
            Event::End(e) if e.name().as_ref() == "table:table" => {
                table = None;
                writer.write_event(event.borrow())?;
            }
            _ => writer.write_event(event.borrow())?,
        }
        buf.clear();
    }
    Ok(())
}

#[derive(Debug, Default, Clone)]
struct TableBox {
    name: String,
    rows: u64,
    cols: u64,
}

/// Every table's extent: its whole box of non-empty cells (rows × columns, repeats expanded),
/// and the box of what lies above the first gap of more than `gap` rows below a filled row.
fn tables(content: impl Read, gap: u64) -> Result<Vec<Extent>, quick_xml::Error> {
    let mut reader = quick_xml::Reader::from_reader(BufReader::new(content));
    let mut buf = Vec::new();
    let mut done = Vec::new();
    let mut table = Table::default();
    let mut row: Option<Row> = None;
    loop {
        let event = reader.read_event_into(&mut buf)?;
        let empty = matches!(event, Event::Empty(_));
        match event {
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                "table:table" => {
                    table = Table::new(attr(&e, "table:name").unwrap_or_default(), gap);
                    // An empty table has no end tag: it is counted here, as `cut_rows` counts
                    // it, so that both number the tables alike.
                    if empty {
                        done.push(std::mem::take(&mut table).finish());
                    }
                }
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
                "table:table" => done.push(std::mem::take(&mut table).finish()),
                _ => {}
            },
            Event::Eof => return Ok(done),
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
    gap: u64,
    /// Rows seen so far, repeats expanded (capped as calamine caps them).
    rows: u64,
    first_filled: Option<u64>,
    /// One past the last row of the last non-empty row group.
    end_filled: u64,
    width: u64,
    /// Where the first gap of more than `gap` rows ends, and the box above it.
    cut: Option<(u64, TableBox)>,
    far_filled: u64,
}

impl Table {
    fn new(name: String, gap: u64) -> Table {
        Table {
            name,
            gap,
            ..Table::default()
        }
    }

    fn end_row(&mut self, row: Option<Row>) {
        let Some(row) = row else { return };
        let repeats = row.repeats.min(MAX_ROWS.saturating_sub(self.rows));
        if row.width > 0 {
            let far = self.first_filled.is_some()
                && self.rows.saturating_sub(self.end_filled.saturating_sub(1)) > self.gap;
            if far && self.cut.is_none() {
                self.cut = Some((self.rows, self.boxed()));
            }
            if self.cut.is_some() {
                self.far_filled += repeats;
            }
            self.first_filled.get_or_insert(self.rows);
            self.end_filled = self.rows + repeats;
            self.width = self.width.max(row.width);
        }
        self.rows += repeats;
    }

    fn boxed(&self) -> TableBox {
        let rows = self
            .first_filled
            .map_or(0, |first| self.end_filled.saturating_sub(first));
        TableBox {
            name: self.name.clone(),
            rows,
            cols: self.width,
        }
    }

    fn finish(self) -> Extent {
        let whole = self.boxed();
        match self.cut {
            Some((at, kept)) => Extent {
                whole,
                kept,
                cut_at: Some(at),
                far_filled: self.far_filled,
            },
            None => Extent {
                kept: whole.clone(),
                whole,
                cut_at: None,
                far_filled: 0,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn widest(xml: &str) -> (u64, u64) {
        let t = tables(xml.as_bytes(), 10_000)
            .unwrap()
            .into_iter()
            .map(|t| t.whole)
            .max_by_key(|b| b.rows.saturating_mul(b.cols))
            .unwrap_or_default();
        (t.rows, t.cols)
    }

    #[test]
    fn an_empty_table_is_numbered_as_the_cut_numbers_it() {
        let xml = r#"<table:table table:name="a"/><table:table table:name="b">
            <table:table-row><table:table-cell office:value-type="float" office:value="1"/></table:table-row>
            </table:table>"#;
        let t = tables(xml.as_bytes(), 10).unwrap();
        assert_eq!(t.len(), 2);
        assert_eq!(
            (t[0].whole.name.as_str(), t[1].whole.name.as_str()),
            ("a", "b")
        );
    }

    #[test]
    fn a_stray_cell_far_below_is_cut_and_the_rest_kept() {
        let xml = r#"<table:table table:name="指标填报">
            <table:table-row><table:table-cell office:value-type="string"><text:p>序号</text:p></table:table-cell>
              <table:table-cell office:value-type="string" table:number-columns-repeated="7"><text:p>x</text:p></table:table-cell></table:table-row>
            <table:table-row table:number-rows-repeated="900000"><table:table-cell table:number-columns-repeated="8"/></table:table-row>
            <table:table-row><table:table-cell office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell></table:table-row>
            </table:table>"#;
        let t = tables(xml.as_bytes(), 10_000).unwrap().remove(0);
        assert_eq!((t.whole.rows, t.whole.cols), (900_002, 8));
        assert_eq!((t.kept.rows, t.kept.cols), (1, 8));
        assert_eq!((t.cut_at, t.far_filled), (Some(900_001), 1));
        let mut out = Vec::new();
        cut_rows(xml.as_bytes(), &[(0, 900_001)], &mut out).unwrap();
        let cut = String::from_utf8(out).unwrap();
        assert!(
            cut.contains("序号") && !cut.contains("office:value=\"1\""),
            "{cut}"
        );
        assert!(
            cut.contains("number-rows-repeated=\"900000\""),
            "empty rows above the cut stay"
        );
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
