//! What kind of file this really is, before any spreadsheet reader touches it.
//!
//! calamine's errors say little about *why* a file cannot be opened (and its auto-open loses
//! even that), so the container is looked at first: magic bytes, encryption, the sizes the zip's
//! central directory declares (the zip reader stops an entry that inflates past its declared
//! size), the shared-string count calamine would reserve, and an OLE file's streams.

use super::string_zero::StringZero;
use super::{FileFormat, Limits, ReadError};
use std::io::{Cursor, Read};

const ZIP: &[u8] = b"PK\x03\x04";
const ZIP_EMPTY: &[u8] = b"PK\x05\x06";
const OLE: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// The container the bytes are in, whatever the extension says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Container {
    Zip,
    Ole,
    Other,
}

pub fn container(bytes: &[u8]) -> Container {
    if bytes.starts_with(ZIP) || bytes.starts_with(ZIP_EMPTY) {
        Container::Zip
    } else if bytes.starts_with(OLE) {
        Container::Ole
    } else {
        Container::Other
    }
}

/// An OOXML file saved with a password is an OLE container holding `EncryptedPackage`.
fn ole_is_encrypted_ooxml(bytes: &[u8]) -> bool {
    let needle: Vec<u8> = "EncryptedPackage"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    bytes.windows(needle.len()).any(|w| w == needle.as_slice())
}

/// The format to read `bytes` with, given the extension the file came with.
pub fn format_for(ext: FileFormat, bytes: &[u8]) -> Result<FileFormat, ReadError> {
    if bytes.is_empty() {
        return Err(ReadError::Empty);
    }
    match (ext, container(bytes)) {
        (FileFormat::Xlsx | FileFormat::Xlsb | FileFormat::Ods, Container::Zip) => Ok(ext),
        (FileFormat::Xls, Container::Ole) => {
            if ole_is_encrypted_ooxml(bytes) {
                Err(ReadError::Encrypted)
            } else {
                Ok(FileFormat::Xls)
            }
        }
        (_, Container::Ole) if ole_is_encrypted_ooxml(bytes) => Err(ReadError::Encrypted),
        // Renamed files are common (WPS saves .xls content under .xlsx and the reverse):
        // read what the bytes are; the caller warns that the extension is wrong.
        (_, Container::Ole) => Ok(FileFormat::Xls),
        (FileFormat::Ods, _) | (_, Container::Zip) => Ok(if is_ods(bytes) {
            FileFormat::Ods
        } else {
            FileFormat::Xlsx
        }),
        (_, Container::Other) if looks_like_text(bytes) => Err(ReadError::NotSpreadsheet {
            detail: "文件内容是纯文本（可能是 CSV 或网页另存），不是 Excel/WPS 表格".into(),
        }),
        (_, Container::Other) => Err(ReadError::NotSpreadsheet {
            detail: "文件开头不是 Excel、WPS 或 ODS 表格的格式标记".into(),
        }),
    }
}

fn is_ods(bytes: &[u8]) -> bool {
    // The first entry of an ODF package is the uncompressed `mimetype`.
    let head = |range: std::ops::Range<usize>| bytes.get(range).unwrap_or_default();
    head(30..80).windows(8).any(|w| w == b"mimetype")
        && head(0..200.min(bytes.len()))
            .windows(11)
            .any(|w| w == b"opendocumen")
}

fn looks_like_text(bytes: &[u8]) -> bool {
    let head = bytes.get(..bytes.len().min(512)).unwrap_or_default();
    std::str::from_utf8(head).is_ok() && !head.contains(&0)
}

/// Walks an OLE container and reads every stream with a byte cap. A sector chain that loops
/// (which calamine follows until memory runs out) is refused here as a corrupt file.
pub fn check_ole(bytes: &[u8], limits: &Limits) -> Result<(), ReadError> {
    let corrupt = |e: std::io::Error| ReadError::Corrupt {
        detail: format!("文件内部结构损坏（{e}），文件可能不完整"),
    };
    let mut cf = cfb::CompoundFile::open(Cursor::new(bytes)).map_err(corrupt)?;
    let streams: Vec<std::path::PathBuf> = cf
        .walk()
        .filter(|e| e.is_stream())
        .map(|e| e.path().to_path_buf())
        .collect();
    let mut total: u64 = 0;
    for path in streams {
        let stream = cf.open_stream(&path).map_err(corrupt)?;
        let cap = limits
            .max_entry_bytes
            .min(limits.max_inflated_bytes.saturating_sub(total));
        let n = std::io::copy(&mut stream.take(cap + 1), &mut std::io::sink()).map_err(corrupt)?;
        total += n;
        if n > cap {
            return Err(ReadError::Inflation {
                entry: path.display().to_string(),
                limit: cap,
            });
        }
    }
    // The workbook stream as calamine will find it (not necessarily one the tree reaches).
    let limit = usize::try_from(limits.max_entry_bytes).unwrap_or(usize::MAX);
    let data = super::ole::workbook_stream(bytes, limit)
        .map_err(|e| ReadError::Corrupt {
            detail: e.to_string(),
        })?
        .unwrap_or_default();
    // An encrypted workbook: its sheets are ciphertext, so nothing below applies.
    let mut encrypted = false;
    biff_records_until_eof(&data, |kind, _| encrypted |= kind == FILEPASS);
    if encrypted {
        return Err(ReadError::Encrypted);
    }
    if !boundsheets_inside(&data) {
        return Err(ReadError::Corrupt {
            detail: "工作表目录指向文件之外，文件可能不完整".into(),
        });
    }
    if let Some((sheet, rows, cols)) = xls_widest_sheet(&data) {
        if rows.saturating_mul(cols) > limits.max_cells as u64 * 4 {
            return Err(ReadError::Dimensions { sheet, rows, cols });
        }
    }
    Ok(())
}

/// Calls `f(kind, body)` for each BIFF record of a workbook stream.
fn biff_records(stream: &[u8], mut f: impl FnMut(u16, &[u8])) {
    let mut at = 0usize;
    while let (Some(kind), Some(len)) = (u16_in(stream, at), u16_in(stream, at + 2)) {
        let len = usize::from(len);
        f(kind, stream.get(at + 4..at + 4 + len).unwrap_or_default());
        at += 4 + len;
    }
}

fn u16_in(bytes: &[u8], i: usize) -> Option<u16> {
    bytes
        .get(i..i + 2)
        .and_then(|b| <[u8; 2]>::try_from(b).ok())
        .map(u16::from_le_bytes)
}

/// Every BOUNDSHEET record points at a sheet inside the stream (calamine slices there
/// without checking, and panics).
fn boundsheets_inside(stream: &[u8]) -> bool {
    let mut ok = true;
    biff_records(stream, |kind, body| {
        if kind == BOUNDSHEET {
            let pos = body
                .get(0..4)
                .and_then(|b| <[u8; 4]>::try_from(b).ok())
                .map(u32::from_le_bytes);
            ok &= pos.is_some_and(|p| (p as usize) < stream.len());
        }
    });
    ok
}

/// BIFF records that carry one cell (row, column first) or a run of cells in a row.
const CELL_RECORDS: [u16; 9] = [
    0x0006, 0x00FD, 0x0203, 0x0204, 0x0205, 0x027E, 0x0201, 0x00D6, 0x0406,
];
const MULTI_CELL_RECORDS: [u16; 2] = [0x00BD, 0x00BE];
const FILEPASS: u16 = 0x002F;
const DIMENSIONS: u16 = 0x0200;
const BOUNDSHEET: u16 = 0x0085;
const EOF: u16 = 0x000A;

/// The rows and columns a DIMENSIONS record makes calamine reserve, computed exactly as
/// calamine does (including its wrapping subtraction when the first row is past the last).
fn dimensions(body: &[u8]) -> Option<(u64, u64)> {
    let u32_at = |i: usize| {
        body.get(i..i + 4)
            .and_then(|b| <[u8; 4]>::try_from(b).ok())
            .map(u32::from_le_bytes)
    };
    let (rf, rl, mut cf, cl) = match body.len() {
        10 => (
            u32::from(u16_in(body, 0)?),
            u32::from(u16_in(body, 2)?),
            u32::from(u16_in(body, 4)?),
            u32::from(u16_in(body, 6)?),
        ),
        14 | 16 => (
            u32_at(0)?,
            u32_at(4)?,
            u32::from(u16_in(body, 8)?),
            u32::from(u16_in(body, 10)?),
        ),
        _ => return None,
    };
    if 0xFF < cf || cl < cf {
        cf = 0;
    }
    let (start, end) = if rl >= 1 && cl >= 1 {
        ((rf, cf), (rl - 1, cl - 1))
    } else {
        ((rf, cf), (rf, cf))
    };
    let rows = end.0.wrapping_sub(start.0).wrapping_add(1);
    let cols = end.1.wrapping_sub(start.1).wrapping_add(1);
    Some((u64::from(rows), u64::from(cols)))
}

/// The sheet of a BIFF workbook stream that makes calamine allocate the most cells: the box
/// its cells span, or the box a DIMENSIONS record claims. Each sheet is read from where its
/// BOUNDSHEET record points, as calamine reads it. Returns (sheet, rows, columns).
fn xls_widest_sheet(stream: &[u8]) -> Option<(String, u64, u64)> {
    let mut starts = Vec::new();
    biff_records(stream, |kind, body| {
        if kind == BOUNDSHEET {
            if let Some(pos) = body
                .get(0..4)
                .and_then(|b| <[u8; 4]>::try_from(b).ok())
                .map(u32::from_le_bytes)
            {
                starts.push(pos as usize);
            }
        }
    });
    let mut widest: Option<(String, u64, u64)> = None;
    for (n, start) in starts.into_iter().enumerate() {
        let Some(sheet) = stream.get(start..) else {
            continue;
        };
        let mut bounds: Option<(u16, u16, u16, u16)> = None;
        let mut claimed = (0u64, 0u64);
        biff_records_until_eof(sheet, |kind, body| {
            let len = body.len();
            let cell = if CELL_RECORDS.contains(&kind) {
                u16_in(body, 0).zip(u16_in(body, 2)).map(|(r, c)| (r, c, c))
            } else if MULTI_CELL_RECORDS.contains(&kind) && len >= 6 {
                u16_in(body, 0)
                    .zip(u16_in(body, 2))
                    .zip(u16_in(body, len - 2))
                    .map(|((r, c0), c1)| (r, c0.min(c1), c0.max(c1)))
            } else {
                None
            };
            if let Some((r, c0, c1)) = cell {
                bounds = Some(match bounds {
                    None => (r, r, c0, c1),
                    Some((a, b, c, d)) => (a.min(r), b.max(r), c.min(c0), d.max(c1)),
                });
            }
            if kind == DIMENSIONS {
                if let Some((rows, cols)) = dimensions(body) {
                    if rows.saturating_mul(cols) > claimed.0.saturating_mul(claimed.1) {
                        claimed = (rows, cols);
                    }
                }
            }
        });
        let spanned = bounds
            .map(|(r0, r1, c0, c1)| (u64::from(r1 - r0) + 1, u64::from(c1 - c0) + 1))
            .unwrap_or((0, 0));
        for (rows, cols) in [spanned, claimed] {
            if widest
                .as_ref()
                .is_none_or(|(_, r, c)| r.saturating_mul(*c) < rows.saturating_mul(cols))
            {
                widest = Some((format!("第 {} 个工作表", n + 1), rows, cols));
            }
        }
    }
    widest
}

/// [`biff_records`] up to the sheet's EOF record.
fn biff_records_until_eof(stream: &[u8], mut f: impl FnMut(u16, &[u8])) {
    let mut done = false;
    biff_records(stream, |kind, body| {
        if done {
            return;
        }
        if kind == EOF {
            done = true;
            return;
        }
        f(kind, body);
    });
}

/// Refuses a zip whose entries would inflate beyond the limits, before calamine opens it.
///
/// The sizes in the central directory are enough: the zip reader (zip 9, the one calamine
/// uses) stops with an error as soon as an entry yields more than its declared size, so an
/// entry that lies about its size is cut short and reported corrupt, never inflated further.
/// What the zip's central directory tells, once it passed the checks.
#[derive(Debug, Default)]
pub struct ZipFacts {
    /// The inflated size of all entries together.
    pub inflated: u64,
    /// It holds `xl/workbook.bin`: an .xlsb, whatever its extension says.
    pub xlsb: bool,
    /// What a shared-string cell with a bad index comes back as.
    pub string_zero: StringZero,
    /// The entries that look like worksheets, to inflate the first bytes of without opening
    /// the archive again.
    pub worksheets: Vec<RawEntry>,
}

/// Where an entry's compressed bytes are in the file, and how they are compressed.
#[derive(Debug, Clone)]
pub struct RawEntry {
    pub name: String,
    pub raw: std::ops::Range<usize>,
    pub method: zip::CompressionMethod,
}

pub fn check_zip(bytes: &[u8], limits: &Limits) -> Result<ZipFacts, ReadError> {
    let corrupt = |e: zip::result::ZipError| match e {
        zip::result::ZipError::UnsupportedArchive(m) if m.contains("assword") => {
            ReadError::Encrypted
        }
        e => ReadError::Corrupt {
            detail: format!("压缩结构损坏（{e}），文件可能不完整"),
        },
    };
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(corrupt)?;
    let mut total: u64 = 0;
    let mut shared_strings = Vec::new();
    let mut worksheets = Vec::new();
    let mut xlsb = false;
    for i in 0..archive.len() {
        let entry = archive.by_index_raw(i).map_err(corrupt)?;
        if entry.encrypted() {
            return Err(ReadError::Encrypted);
        }
        let name = entry
            .name()
            .map(|n| n.to_string())
            .unwrap_or_else(|_| format!("#{i}"));
        let size = entry.size();
        let compressed = entry.compressed_size().max(1);
        total = total.saturating_add(size);
        if size > limits.max_entry_bytes {
            return Err(ReadError::Inflation {
                entry: name,
                limit: limits.max_entry_bytes,
            });
        }
        if total > limits.max_inflated_bytes {
            return Err(ReadError::Inflation {
                entry: name,
                limit: limits.max_inflated_bytes,
            });
        }
        if size > 1024 * 1024 && size / compressed > limits.max_ratio {
            return Err(ReadError::Ratio {
                entry: name,
                ratio: size / compressed,
                limit: limits.max_ratio,
            });
        }
        let lower = name.to_lowercase();
        if lower.ends_with("sharedstrings.xml") {
            shared_strings.push((i, size));
        }
        let worksheet =
            lower.contains("worksheets/") && lower.ends_with(".xml") && !lower.contains("_rels/");
        if let Some(raw) = raw_range(&entry, bytes.len()).filter(|_| worksheet) {
            worksheets.push(RawEntry {
                name: name.clone(),
                raw,
                method: entry.compression(),
            });
        }
        xlsb |= name == "xl/workbook.bin";
    }
    let sst_count = shared_strings.len();
    let mut string_zero = StringZero::Absent;
    for (i, size) in shared_strings {
        let entry = archive.by_index_raw(i).map_err(corrupt)?;
        let head = raw_range(&entry, bytes.len())
            .and_then(|r| bytes.get(r))
            .and_then(|raw| sst_head(raw, entry.compression()));
        if let Some(head) = &head {
            check_shared_string_count(head, size)?;
        }
        // Two tables (in two case spellings) leave unclear which one calamine reads.
        string_zero = match (&string_zero, head, sst_count) {
            (StringZero::Absent, Some(head), 1) => sst_tag_end(&head)
                .map_or(StringZero::Unknown, |end| StringZero::from_head(&head, end)),
            _ => StringZero::Unknown,
        };
    }
    Ok(ZipFacts {
        inflated: total,
        xlsb,
        string_zero,
        worksheets,
    })
}

/// Where `entry`'s compressed bytes are in a file of `len` bytes (cut at its end).
fn raw_range<R: Read>(
    entry: &zip::read::ZipFile<'_, R>,
    len: usize,
) -> Option<std::ops::Range<usize>> {
    let start = usize::try_from(entry.data_start()?).ok()?;
    let n = usize::try_from(entry.compressed_size()).unwrap_or(usize::MAX);
    (start <= len).then(|| start..start.saturating_add(n).min(len))
}

/// calamine reserves room for as many strings as `<sst uniqueCount="…">` declares before it
/// reads one; ten trillion aborts the process. Each string takes at least `<si/>` (5 bytes), so
/// a count far beyond what the entry's size can hold is a lie: the file is refused as corrupt.
fn check_shared_string_count(head: &[u8], size: u64) -> Result<(), ReadError> {
    let corrupt = |detail: String| ReadError::Corrupt { detail };
    let Some(end) = sst_tag_end(head) else {
        // Read whole without a start tag: nothing is reserved. Otherwise nothing makes a real
        // table's start tag end this late: a long preamble only hides the count.
        return match size <= head.len() as u64 {
            true => Ok(()),
            false => Err(corrupt("共享字符串表的开头格式异常，文件已损坏".into())),
        };
    };
    let Some(declared) = declared_count(head.get(..end).unwrap_or_default()) else {
        return Ok(());
    };
    // Small reservations are harmless whatever they claim; a writer may count loosely.
    let plausible = (size / 5).max(1_000_000);
    match declared.parse::<u64>() {
        Ok(n) if n <= plausible => Ok(()),
        _ => Err(corrupt(format!(
            "共享字符串表声称有 {declared} 个字符串，而它只有 {size} 字节，文件已损坏"
        ))),
    }
}

/// The first bytes of the shared-string table, up to where its `<sst …>` tag and first string
/// end (at most 64 KiB): every return has this table, and inflating it whole cost 4 % of
/// `check`.
fn sst_head(raw: &[u8], method: zip::CompressionMethod) -> Option<Vec<u8>> {
    inflate_head(raw, method, (512, 64 * 1024), first_string_whole).map(|(head, _)| head)
}

/// Inflates the first bytes of an entry whose compressed bytes are `raw`, with a buffer that
/// starts at `first` bytes and doubles until `enough` says so, the entry ends (then the
/// flag is true) or `max` bytes are out. `None` for a compression method we do not read.
pub fn inflate_head(
    raw: &[u8],
    method: zip::CompressionMethod,
    (first, max): (usize, usize),
    mut enough: impl FnMut(&[u8]) -> bool,
) -> Option<(Vec<u8>, bool)> {
    use flate2::{Decompress, FlushDecompress, Status};
    match method {
        zip::CompressionMethod::Stored => {
            let head = raw.get(..max.min(raw.len()))?;
            return Some((head.to_vec(), head.len() == raw.len()));
        }
        zip::CompressionMethod::Deflated => {}
        _ => return None,
    }
    thread_local! {
        // Setting up a fresh inflater (its window and tables) cost more than inflating the few
        // bytes we want; a reset one is as good.
        static INFLATER: std::cell::RefCell<Decompress> = std::cell::RefCell::new(Decompress::new(false));
    }
    INFLATER.with_borrow_mut(|inflater| {
        inflater.reset(false);
        let mut out = vec![0u8; first.min(max)];
        let mut written = 0;
        loop {
            let (read_before, written_before) = (inflater.total_in(), written);
            let read = usize::try_from(read_before).ok()?;
            let status = inflater
                .decompress(
                    raw.get(read..)?,
                    out.get_mut(written..)?,
                    FlushDecompress::None,
                )
                .ok()?;
            written = usize::try_from(inflater.total_out()).ok()?;
            if status == Status::StreamEnd {
                out.truncate(written);
                return Some((out, true));
            }
            if written < out.len() {
                if inflater.total_in() == read_before && written == written_before {
                    // No progress with room to write: the entry is cut short.
                    out.truncate(written);
                    return Some((out, false));
                }
                continue;
            }
            if enough(&out) || out.len() >= max {
                return Some((out, false));
            }
            out.resize((out.len() * 2).min(max), 0);
        }
    })
}

/// The start tag and the first string (or the table's end) are in `head`.
fn first_string_whole(head: &[u8]) -> bool {
    let Some(rest) = sst_tag_end(head).and_then(|end| head.get(end..)) else {
        return false;
    };
    let has = |needle: &[u8]| rest.windows(needle.len()).any(|w| w == needle);
    // `:si>` ends a prefixed string, or starts one: read as cautiously either way.
    has(b"</si>") || has(b":si>") || has(b"/>") || has(b"sst>")
}

/// Where the `<sst …>` start tag ends, once it is whole in `head`.
fn sst_tag_end(head: &[u8]) -> Option<usize> {
    let start = head.windows(4).position(|w| w == b"<sst")?;
    let close = head.get(start..)?.iter().position(|&b| b == b'>')?;
    Some(start + close)
}

/// The digits of the `uniqueCount` attribute of the `<sst>` element, if it has one.
fn declared_count(head: &[u8]) -> Option<String> {
    const ATTR: &[u8] = b"uniqueCount=";
    let at = head.windows(ATTR.len()).position(|w| w == ATTR)? + ATTR.len();
    let rest = head.get(at + 1..)?;
    let digits: Vec<u8> = rest
        .iter()
        .copied()
        .take_while(u8::is_ascii_digit)
        .collect();
    (!digits.is_empty()).then(|| String::from_utf8_lossy(&digits).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_containers() {
        assert_eq!(container(b"PK\x03\x04rest"), Container::Zip);
        assert_eq!(container(OLE), Container::Ole);
        assert_eq!(container(b"a,b,c\n"), Container::Other);
    }

    #[test]
    fn text_is_not_a_spreadsheet() {
        let e = format_for(FileFormat::Xlsx, b"name,value\n1,2\n").unwrap_err();
        assert!(matches!(e, ReadError::NotSpreadsheet { .. }));
        assert!(matches!(
            format_for(FileFormat::Xlsx, b"").unwrap_err(),
            ReadError::Empty
        ));
    }

    #[test]
    fn a_bad_zip_is_corrupt_not_a_panic() {
        let e = check_zip(b"PK\x03\x04garbage", &Limits::default()).unwrap_err();
        assert!(matches!(e, ReadError::Corrupt { .. }));
    }
}
