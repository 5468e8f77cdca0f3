//! Shared-string cells whose index is not a number.
//!
//! calamine reads the index of a `t="s"` cell with `parse(v).unwrap_or(0)`, so `-1`, `1.9` or
//! `abc` silently becomes the table's first string, and it gives us only the resolved text.
//! Inflating every sheet a second time to look cost 30 % of `check` (BENCHMARKS.md, run 5);
//! instead the sheets are looked at only when a cell the return uses came back as string 0 —
//! the only value a bad index can produce — and only up to that cell's row. In a workbook
//! saved by Excel, WPS or our own writer, string 0 is the first text of the first sheet (its
//! title), which nothing uses.

use super::container::{inflate_head, RawEntry};
use super::sheet_xml::{next_tag, tag_at, Tag, TagKind};
use crate::diagnostic::CellRef;
use quick_xml::events::{BytesStart, Event};
use std::io::{Cursor, Read};

/// A `t="s"` cell whose `<v>` calamine could not parse as an index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadIndex {
    pub row: u32,
    pub col: u32,
    pub index: String,
}

/// The cells of a workbook that came back as string 0, and where its worksheets are, to look
/// at them once it is known which cells the return uses.
#[derive(Debug, Clone, Default)]
pub struct Suspects {
    sheets: Vec<String>,
    /// (index in `sheets`, row, column).
    cells: Vec<(usize, u32, u32)>,
    worksheets: Vec<RawEntry>,
}

impl Suspects {
    pub fn new(worksheets: Vec<RawEntry>) -> Suspects {
        Suspects {
            worksheets,
            ..Suspects::default()
        }
    }

    /// A worksheet was read: later cells belong to it.
    pub fn sheet_read(&mut self, name: &str) {
        self.sheets.push(name.to_string());
    }

    /// A cell of the last sheet read came back as string 0.
    pub fn push(&mut self, row: u32, col: u32) {
        self.cells
            .push((self.sheets.len().saturating_sub(1), row, col));
    }

    /// The first shared-string cell with a bad index, with its sheet, looked for only when a
    /// suspect is a cell the return uses (`used(sheet, row, col)`): elsewhere string 0 changes
    /// nothing we read. Every shared-string cell up to the last used suspect's row is looked at.
    ///
    /// When the worksheet parts found by name are as many as the workbook's worksheets, each is
    /// looked at from its first bytes, inflated in place; the sheet's name is worked out only
    /// when something is found. Otherwise each sheet's part is found as calamine finds it.
    pub fn find_bad(
        &self,
        bytes: &[u8],
        used: impl Fn(&str, u32, u32) -> bool,
    ) -> Option<(String, BadIndex)> {
        let mut last_rows = vec![None; self.sheets.len()];
        for &(sheet, row, col) in &self.cells {
            if used(self.sheets.get(sheet)?, row, col) {
                let last = last_rows.get_mut(sheet)?;
                *last = (*last).max(Some(row));
            }
        }
        let last_row = last_rows.iter().flatten().copied().max()?;
        if self.worksheets.len() != self.sheets.len() {
            return self
                .sheets
                .iter()
                .zip(&last_rows)
                .find_map(|(sheet, last)| {
                    let part = sheet_part_of(bytes, sheet)?;
                    let bad = bad_in_entry(bytes, &part, (*last)?)?;
                    Some((sheet.clone(), bad))
                });
        }
        let (part, bad) = self
            .worksheets
            .iter()
            .find_map(|part| bad_in_part(bytes, part, last_row).map(|bad| (part, bad)))?;
        let sheet = self
            .sheets
            .iter()
            .find(|s| sheet_part_of(bytes, s).is_some_and(|p| p.eq_ignore_ascii_case(&part.name)))
            .map_or_else(|| part.name.clone(), Clone::clone);
        Some((sheet, bad))
    }
}

/// The sheet's first bytes (up to 1 MiB) inflated in place, scanned up to `last_row`; read
/// whole through the archive when they do not settle it.
fn bad_in_part(bytes: &[u8], part: &RawEntry, last_row: u32) -> Option<BadIndex> {
    let raw = bytes.get(part.raw.clone())?;
    // The buffer only grows at its end, so each look resumes where the last one stopped.
    let mut scanner = Scanner::new(last_row);
    let mut outcome = Scan::Unsettled;
    let settled = |head: &[u8]| {
        outcome = scanner.resume(head);
        !matches!(outcome, Scan::Unsettled)
    };
    let Some((head, whole)) = inflate_head(raw, part.method, (2048, 1024 * 1024), settled) else {
        return bad_in_entry(bytes, &part.name, last_row);
    };
    if matches!(outcome, Scan::Unsettled) {
        outcome = scanner.resume(&head);
    }
    match outcome {
        Scan::Bad(bad) => Some(bad),
        Scan::Clean => None,
        Scan::Unsettled if whole => None,
        Scan::Unsettled => bad_in_entry(bytes, &part.name, last_row),
    }
}

/// Reads the sheet at zip entry `path` from the start.
fn bad_in_entry(bytes: &[u8], path: &str, last_row: u32) -> Option<BadIndex> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let index = entry_index(&archive, path)?;
    let entry = archive.by_index(index).ok()?;
    bad_in_stream(entry, last_row, 64 * 1024)
}

/// Scans `xml` in chunks of `chunk` bytes: what the scanner has passed is dropped, so a large
/// sheet never sits in memory whole.
fn bad_in_stream(mut xml: impl Read, last_row: u32, chunk: usize) -> Option<BadIndex> {
    let mut scanner = Scanner::new(last_row);
    let mut window = Vec::new();
    let mut buf = vec![0u8; chunk];
    loop {
        let n = xml.read(&mut buf).ok()?;
        window.extend_from_slice(buf.get(..n)?);
        match scanner.resume(&window) {
            Scan::Bad(bad) => return Some(bad),
            Scan::Clean => return None,
            Scan::Unsettled if n == 0 => return None,
            Scan::Unsettled => {
                window.drain(..scanner.from.min(window.len()));
                scanner.from = 0;
            }
        }
    }
}

/// The part of the sheet named `sheet`, as calamine finds it.
fn sheet_part_of(bytes: &[u8], sheet: &str) -> Option<String> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    sheet_part(&mut archive, sheet)
}

/// The zip entry of the sheet named `sheet`, resolved as calamine resolves it: the office
/// document's folder from `_rels/.rels`, the sheet's relationship id from the workbook, its
/// target from the workbook's relationships (absolute, or relative to that folder).
fn sheet_part<R: Read + std::io::Seek>(
    archive: &mut zip::ZipArchive<R>,
    sheet: &str,
) -> Option<String> {
    let root_rels = part_text(archive, "_rels/.rels")?;
    let document = relationships(&root_rels)
        .into_iter()
        .find(|r| r.kind.ends_with("/relationships/officeDocument"))
        .map_or_else(|| "xl/workbook.xml".to_string(), |r| r.target);
    let (dir, name) = document.split_at(document.rfind('/').map_or(0, |i| i + 1));
    let dir = dir.strip_prefix('/').unwrap_or(dir);
    let name = if name.is_empty() {
        "workbook.xml"
    } else {
        name
    };
    let workbook = part_text(archive, &format!("{dir}{name}"))?;
    let id = sheet_relationship_id(&workbook, sheet)?;
    let rels = part_text(archive, &format!("{dir}_rels/{name}.rels"))?;
    let target = relationships(&rels)
        .into_iter()
        .find(|r| r.id == id)?
        .target;
    Some(match target.strip_prefix('/') {
        Some(absolute) => absolute.to_string(),
        None => format!("{dir}{target}"),
    })
}

/// The entry whose name is `path`, compared as calamine compares: case-insensitive, with `\`
/// read as `/`.
fn entry_index<R: Read + std::io::Seek>(archive: &zip::ZipArchive<R>, path: &str) -> Option<usize> {
    let wanted = path.to_lowercase();
    (0..archive.len()).find(|&i| {
        archive
            .name_for_index(i)
            .and_then(Result::ok)
            .is_some_and(|n| n.replace('\\', "/").to_lowercase() == wanted)
    })
}

fn part_text<R: Read + std::io::Seek>(
    archive: &mut zip::ZipArchive<R>,
    path: &str,
) -> Option<String> {
    let index = entry_index(archive, path)?;
    let mut text = String::new();
    archive
        .by_index(index)
        .ok()?
        .read_to_string(&mut text)
        .ok()?;
    Some(text)
}

struct Relationship {
    id: String,
    kind: String,
    target: String,
}

fn relationships(xml: &str) -> Vec<Relationship> {
    let mut found = Vec::new();
    each_element(xml, "Relationship", |e| {
        found.push(Relationship {
            id: attribute(e, "Id").unwrap_or_default(),
            kind: attribute(e, "Type").unwrap_or_default(),
            target: attribute(e, "Target").unwrap_or_default(),
        })
    });
    found
}

fn sheet_relationship_id(workbook: &str, sheet: &str) -> Option<String> {
    let mut id = None;
    each_element(workbook, "sheet", |e| {
        if id.is_none() && attribute(e, "name").as_deref() == Some(sheet) {
            id = attribute(e, "id");
        }
    });
    id
}

/// Calls `f` on every element whose local name is `name`.
fn each_element(xml: &str, name: &str, mut f: impl FnMut(&BytesStart)) {
    let mut reader = quick_xml::Reader::from_str(xml);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == name => f(&e),
            Ok(Event::Eof) | Err(_) => return,
            _ => {}
        }
    }
}

/// The unescaped value of the attribute whose local name is `name` (`r:id` matches `id`).
fn attribute(e: &BytesStart, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

/// What a scan of a sheet's XML found.
#[derive(Debug, PartialEq, Eq)]
enum Scan {
    Bad(BadIndex),
    /// It went past `last_row` with numbered rows: nothing further can be a suspect.
    Clean,
    /// It ended (or the XML broke off) first: clean if that was the whole sheet.
    Unsettled,
}

/// Walks a sheet's XML for shared-string cells up to `last_row`, resumable over a prefix that
/// grows: it stops before a tag or cell the prefix cuts.
struct Scanner {
    last_row: u32,
    /// Where the next tag is looked for.
    from: usize,
    row: u32,
    col: Option<u32>,
    next_row: u32,
    /// Every position so far came from an `r` attribute, so stopping past `last_row` is safe.
    explicit: bool,
}

impl Scanner {
    fn new(last_row: u32) -> Scanner {
        Scanner {
            last_row,
            from: 0,
            row: 0,
            col: None,
            next_row: 0,
            explicit: true,
        }
    }

    fn resume(&mut self, xml: &[u8]) -> Scan {
        while let Some(lt) = next_tag(xml, self.from) {
            let Some(tag) = tag_at(xml, lt) else {
                return Scan::Unsettled;
            };
            let outcome = match (tag.kind, tag.name) {
                (TagKind::Start | TagKind::Empty, b"row") => {
                    self.row_starts(tag.r);
                    None
                }
                (TagKind::Start | TagKind::Empty, b"c") => match self.cell(xml, &tag) {
                    Some(outcome) => outcome,
                    None => return Scan::Unsettled,
                },
                _ => None,
            };
            if let Some(outcome) = outcome {
                return outcome;
            }
            self.from = self.from.max(tag.end);
            if self.explicit && self.row > self.last_row {
                return Scan::Clean;
            }
        }
        Scan::Unsettled
    }

    fn row_starts(&mut self, r: Option<&[u8]>) {
        let r = r.and_then(|r| std::str::from_utf8(r).ok()?.parse::<u32>().ok());
        self.explicit &= r.is_some();
        self.row = r.and_then(|r| r.checked_sub(1)).unwrap_or(self.next_row);
        self.col = None;
        self.next_row = self.row.saturating_add(1);
    }

    /// Looks at one cell: `None` when the prefix cuts it (nothing is taken from it then),
    /// `Some(None)` to go on, `Some(outcome)` to stop.
    fn cell(&mut self, xml: &[u8], tag: &Tag) -> Option<Option<Scan>> {
        let r = tag
            .r
            .and_then(|r| CellRef::parse(std::str::from_utf8(r).ok()?));
        let (row, col) = r.map_or((self.row, self.col.map_or(0, |c| c + 1)), |c| {
            (c.row, c.col)
        });
        let mut end = tag.end;
        let mut bad = None;
        if tag.t == Some(b"s") && tag.kind == TagKind::Start {
            let (index, cell_end) = first_value_text(xml, tag.end)?;
            end = cell_end;
            bad = index.filter(|i| !is_index(i));
        }
        self.explicit &= r.is_some();
        self.col = Some(col);
        self.from = end;
        if self.explicit && row > self.last_row {
            return Some(Some(Scan::Clean));
        }
        Some(bad.map(|index| {
            let index = String::from_utf8_lossy(index).into_owned();
            Scan::Bad(BadIndex { row, col, index })
        }))
    }
}

/// The raw text that opens the `<v>` of the cell whose content starts at `from`, as calamine
/// reads it: only a first stretch of plain text counts (an entity or a tag first makes the
/// cell empty). Returns it, if any, and where the cell ends; `None` when `xml` ends first.
fn first_value_text(xml: &[u8], from: usize) -> Option<(Option<&[u8]>, usize)> {
    let mut found = None;
    let mut i = from;
    loop {
        let tag = tag_at(xml, next_tag(xml, i)?)?;
        i = tag.end;
        match (tag.kind, tag.name) {
            (TagKind::End, b"c") => return Some((found, i)),
            (TagKind::Start, b"v") if found.is_none() => {
                let text = xml.get(i..)?;
                let len = text.iter().position(|&b| b == b'<' || b == b'&')?;
                found = Some(text.get(..len)?).filter(|t| !t.is_empty());
            }
            _ => {}
        }
    }
}

/// What calamine's `atoi_simd::parse::<usize, true, false>` accepts: ASCII digits, any number
/// of leading zeros, a value that fits.
fn is_index(v: &[u8]) -> bool {
    !v.is_empty()
        && v.iter().all(u8::is_ascii_digit)
        && std::str::from_utf8(v).is_ok_and(|v| v.parse::<usize>().is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::string_zero::StringZero;

    fn zero(sst: &str) -> StringZero {
        let end = sst.find('>').unwrap();
        StringZero::from_head(sst.as_bytes(), end)
    }

    #[test]
    fn string_zero_is_read_only_when_it_is_plain() {
        assert_eq!(
            zero("<sst count=\"2\"><si><t> 宣传部 &amp; 网信办\n</t></si><si>"),
            StringZero::Known("宣传部 & 网信办".into())
        );
        assert_eq!(
            zero("<sst>\n  <si><t xml:space=\"preserve\"> a </t></si>"),
            StringZero::Known(" a ".into())
        );
        for cautious in [
            "<sst><si><r><t>a</t></r></si>",
            "<sst><x:si><x:t>a</x:t></x:si>",
            "<sst><si><t>a_x000D_b</t></si>",
            "<sst><si><t>a</t><rPh><t>b</t></rPh></si>",
            "<sst><si><t>cut short",
        ] {
            assert_eq!(zero(cautious), StringZero::Unknown, "{cautious}");
        }
        let cut = "<sst><si><t>土默特</t></si><si><t>填".as_bytes();
        assert_eq!(
            StringZero::from_head(&cut[..cut.len() - 1], 4),
            StringZero::Known("土默特".into())
        );
        assert!(!StringZero::Absent.suspects(""));
        assert!(StringZero::Unknown.suspects("任何"));
    }

    fn sheet(rows: &str) -> String {
        format!("<worksheet><sheetData>{rows}</sheetData></worksheet>")
    }

    #[test]
    fn a_bad_index_is_found_with_its_cell() {
        for bad in ["-1", "1.9", "abc", " 3", "99999999999999999999999"] {
            let xml = sheet(&format!(
                r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="6"><c r="F6" t="s"><v>{bad}</v></c></row>"#
            ));
            assert_eq!(
                Scanner::new(5).resume(xml.as_bytes()),
                Scan::Bad(BadIndex {
                    row: 5,
                    col: 5,
                    index: bad.into()
                }),
                "{bad}"
            );
        }
    }

    #[test]
    fn good_indices_and_other_cells_pass() {
        let xml = sheet(
            r#"<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>0007</v></c><c r="C1"><v>-1</v></c><c r="D1" t="s"/><c r="E1" t="s"><f>X</f><v>2</v></c></row>"#,
        );
        assert_eq!(Scanner::new(10).resume(xml.as_bytes()), Scan::Unsettled);
        assert_eq!(Scanner::new(0).resume(xml.as_bytes()), Scan::Unsettled);
    }

    #[test]
    fn the_scan_stops_past_the_last_suspect_row_only_when_rows_are_numbered() {
        let rows = r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="9"><c r="A9" t="s"><v>x</v></c></row>"#;
        assert_eq!(Scanner::new(0).resume(sheet(rows).as_bytes()), Scan::Clean);
        // Cut inside the row that holds the suspect: not settled, whatever the cut cell says.
        let cut = sheet(rows);
        let cut = &cut[..cut.find(r#"<v>0"#).unwrap() + 4];
        assert_eq!(Scanner::new(0).resume(cut.as_bytes()), Scan::Unsettled);
        let counted = r#"<row><c t="s"><v>0</v></c></row><row><c t="s"><v>x</v></c></row>"#;
        assert_eq!(
            Scanner::new(0).resume(sheet(counted).as_bytes()),
            Scan::Bad(BadIndex {
                row: 1,
                col: 0,
                index: "x".into()
            })
        );
    }

    #[test]
    fn a_scan_resumed_over_a_growing_prefix_finds_what_one_scan_finds() {
        let rows = r#"<row r="1"><c r="A1" t="s"><v>0</v></c><!-- <c r="B1" t="s"><v>x</v></c> --></row><row r="3"><c r="A3" t="s"><f>A1&amp;"&lt;"</f><v>12</v></c><c r="B3" t="s"><v>1.9</v></c></row><row r="4"/>"#;
        let xml = sheet(rows);
        let whole = Scanner::new(2).resume(xml.as_bytes());
        assert_eq!(
            whole,
            Scan::Bad(BadIndex {
                row: 2,
                col: 1,
                index: "1.9".into()
            })
        );
        for step in [1, 3, 7, 64] {
            let mut scanner = Scanner::new(2);
            let mut outcome = Scan::Unsettled;
            let mut len = 0;
            while outcome == Scan::Unsettled && len < xml.len() {
                len = (len + step).min(xml.len());
                outcome = scanner.resume(&xml.as_bytes()[..len]);
            }
            assert_eq!(outcome, whole, "step {step}");
        }
        let clean = sheet(&rows.replace("1.9", "1"));
        assert_eq!(Scanner::new(2).resume(clean.as_bytes()), Scan::Clean);
    }

    #[test]
    fn a_sheet_read_in_small_chunks_keeps_its_positions() {
        let rows: String = (1..=40)
            .map(|r| {
                format!(
                    r#"<row r="{r}"><c r="A{r}" t="s"><v>0</v></c><c r="B{r}"><v>{r}</v></c></row>"#
                )
            })
            .collect();
        let bad = sheet(&rows.replace(
            r#"<c r="A33" t="s"><v>0</v>"#,
            r#"<c r="A33" t="s"><v>-1</v>"#,
        ));
        for chunk in [1, 5, 64] {
            assert_eq!(
                bad_in_stream(bad.as_bytes(), 39, chunk),
                Some(BadIndex {
                    row: 32,
                    col: 0,
                    index: "-1".into()
                }),
                "chunk {chunk}"
            );
            assert_eq!(bad_in_stream(sheet(&rows).as_bytes(), 39, chunk), None);
        }
    }
}
