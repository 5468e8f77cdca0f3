//! Reading a return: bytes → workbook of sparse cells → the return's metadata, indicator
//! rows and project rows (see [`layout`]).
//!
//! Cells are kept sparse. calamine's `worksheet_range` allocates a dense grid over the
//! sheet's claimed dimensions (calamine issue #428: one cell at XFD1048576 is 17 billion
//! slots), so .xlsx sheets are streamed cell by cell instead.

mod container;
pub mod history;
pub mod layout;
mod limits;
mod ods;
mod ole;
pub mod previous;
mod sheet_xml;
mod string_index;
mod string_zero;

pub use container::Container;
pub use layout::{find_return, MetaField, ProjectRow, RawReturn, Row, Table};
pub use limits::{Limits, MB};
pub use ods::FarRows;

use crate::text::format_number;
use calamine::{Data, DataRef, Reader};
use container::ZipFacts;
use std::io::Cursor;
use std::path::Path;
use string_index::Suspects;

/// The spreadsheet formats read, by what the bytes are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FileFormat {
    Xlsx,
    Xlsb,
    Xls,
    Ods,
}

impl FileFormat {
    /// The format an extension promises (lower-cased); `None` for anything else.
    pub fn from_extension(path: &Path) -> Option<FileFormat> {
        let ext = path.extension()?.to_str()?.to_lowercase();
        match ext.as_str() {
            "xlsx" | "xlsm" | "xltx" | "xltm" => Some(FileFormat::Xlsx),
            "xlsb" => Some(FileFormat::Xlsb),
            // WPS 表格 saves .et in the BIFF8 container.
            "xls" | "et" => Some(FileFormat::Xls),
            "ods" => Some(FileFormat::Ods),
            _ => None,
        }
    }
}

/// Whether a file is meant to be a spreadsheet (by its extension).
pub fn is_spreadsheet(path: &Path) -> bool {
    FileFormat::from_extension(path).is_some()
}

/// Why a file could not be read as a spreadsheet. Each kind has its own diagnostic.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReadError {
    #[error("无法读取文件：{0}")]
    Io(#[from] std::io::Error),
    #[error("文件是空的（0 字节）")]
    Empty,
    #[error("不是普通文件（{0}），未读取")]
    NotRegular(&'static str),
    #[error("文件有 {size} 字节，超过上限 {limit} 字节")]
    TooLarge { size: u64, limit: u64 },
    #[error("不是表格文件：{detail}")]
    NotSpreadsheet { detail: String },
    #[error("文件设置了打开密码（已加密），无法读取")]
    Encrypted,
    #[error("文件已损坏：{detail}")]
    Corrupt { detail: String },
    #[error("压缩内容 {entry} 解压后超过 {limit} 字节，疑似压缩炸弹，拒绝读取")]
    Inflation { entry: String, limit: u64 },
    #[error("压缩内容 {entry} 的解压比为 {ratio}:1，超过上限 {limit}:1，疑似压缩炸弹，拒绝读取")]
    Ratio {
        entry: String,
        ratio: u64,
        limit: u64,
    },
    #[error("工作表“{sheet}”有超过 {limit} 个非空单元格，超出读取上限")]
    TooManyCells { sheet: String, limit: usize },
    #[error("工作表“{sheet}”的单元格 {cell} 引用了不存在的共享字符串（编号写成了“{index}”），这个单元格的内容无法确定")]
    StringIndex {
        sheet: String,
        cell: crate::diagnostic::CellRef,
        index: String,
    },
    #[error("{sheet}的内容分布在 {rows} 行 × {cols} 列的范围内，超出读取上限（请删除表格下方和右侧远处的内容）")]
    Dimensions { sheet: String, rows: u64, cols: u64 },
}

/// A cell's value as read, before any interpretation against the schema.
#[derive(Debug, Clone, PartialEq)]
pub enum CellValue {
    Text(String),
    Number(f64),
    Bool(bool),
    /// An Excel date/time serial (a date typed where a period or a number belongs).
    Date(f64),
    Error(String),
}

impl CellValue {
    /// The value as a person sees it in the cell.
    pub fn display(&self) -> String {
        match self {
            CellValue::Text(s) => s.clone(),
            CellValue::Number(n) => format_number(*n),
            CellValue::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
            CellValue::Date(d) => {
                format!("日期序列值 {}", format_number(*d))
            }
            CellValue::Error(e) => e.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub row: u32,
    pub col: u32,
    pub value: CellValue,
    /// The cell carries a percent number format (known for .xlsx only).
    pub percent: bool,
}

#[derive(Debug, Clone)]
pub struct Sheet {
    pub name: String,
    pub visible: bool,
    /// Non-empty cells in row-major order.
    pub cells: Vec<Cell>,
    /// Cells whose text was longer than a cell holds and was cut to [`crate::text::CELL_MAX`].
    pub truncated: Vec<(u32, u32)>,
}

#[derive(Debug, Clone)]
pub struct Workbook {
    pub format: FileFormat,
    /// The extension promised another format than the bytes are.
    pub renamed_from: Option<FileFormat>,
    pub sheets: Vec<Sheet>,
    /// Cells that may hide a shared-string index calamine read as 0.
    pub suspects: Suspects,
    /// Rows of an .ods left unread far below a table (see [`ods`]).
    pub far_rows: Vec<ods::FarRows>,
}

/// What the files being read may hold in memory at once (their bytes), and what their parsing
/// may (the content they inflate to, weighted by [`PARSE_WEIGHT`]), over all threads. Bytes
/// are claimed before parsing is, and parsing never waits for bytes, so claims cannot deadlock.
/// Peak memory is then bounded by these two and one file over them, not by `--threads`.
static FILE_BUDGET: crate::parallel::Budget = crate::parallel::Budget::new(256 * MB);
static PARSE_BUDGET: crate::parallel::Budget = crate::parallel::Budget::new(256 * MB);
/// Bytes of memory a parse takes per byte of content it inflates: measured with
/// `bench/memory.sh` (returns whose 36 MB of tiny shared strings take 67 MB each while read).
const PARSE_WEIGHT: u64 = 2;

/// A file's bytes, with the claim on [`FILE_BUDGET`] they hold while alive.
pub struct FileBytes {
    pub bytes: Vec<u8>,
    _claim: crate::parallel::Permit<'static>,
}

/// Reads the file at `path` whole, refusing one larger than the limit before reading it, and
/// anything that is not a regular file before opening it: opening a FIFO waits for a writer
/// that never comes, and a device such as /dev/zero never ends.
pub fn read_bytes(path: &Path, limits: &Limits) -> Result<FileBytes, ReadError> {
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular(file_kind(&meta.file_type())));
    }
    let size = meta.len();
    if size > limits.max_file_bytes {
        return Err(ReadError::TooLarge {
            size,
            limit: limits.max_file_bytes,
        });
    }
    let claim = FILE_BUDGET.take(size);
    // Read at most one byte past the limit: the file may grow between the two calls.
    let mut bytes = Vec::with_capacity(size as usize);
    std::io::Read::read_to_end(
        &mut std::io::Read::take(std::fs::File::open(path)?, limits.max_file_bytes + 1),
        &mut bytes,
    )?;
    if bytes.len() as u64 > limits.max_file_bytes {
        return Err(ReadError::TooLarge {
            size: bytes.len() as u64,
            limit: limits.max_file_bytes,
        });
    }
    Ok(FileBytes {
        bytes,
        _claim: claim,
    })
}

fn file_kind(t: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "命名管道";
        }
        if t.is_char_device() || t.is_block_device() {
            return "设备文件";
        }
        if t.is_socket() {
            return "套接字";
        }
    }
    if t.is_dir() {
        "文件夹"
    } else {
        "特殊文件"
    }
}

/// Reads and parses the file at `path`, within `limits`.
pub fn open(path: &Path, limits: &Limits) -> Result<(Vec<u8>, Workbook), ReadError> {
    let file = read_bytes(path, limits)?;
    let ext = FileFormat::from_extension(path).unwrap_or(FileFormat::Xlsx);
    let workbook = parse(&file.bytes, ext, limits)?;
    Ok((file.bytes, workbook))
}

/// Parses `bytes` that came with extension format `ext`.
pub fn parse(bytes: &[u8], ext: FileFormat, limits: &Limits) -> Result<Workbook, ReadError> {
    let mut format = container::format_for(ext, bytes)?;
    let mut zip = ZipFacts::default();
    let mut trimmed = None;
    let inflated = match container::container(bytes) {
        Container::Zip => {
            zip = container::check_zip(bytes, limits)?;
            if format == FileFormat::Xlsx && zip.xlsb {
                format = FileFormat::Xlsb;
            }
            if format == FileFormat::Ods {
                trimmed = ods::check_ods(bytes, limits)?;
            }
            zip.inflated
        }
        Container::Ole => {
            container::check_ole(bytes, limits)?;
            bytes.len() as u64
        }
        Container::Other => bytes.len() as u64,
    };
    let _claim = PARSE_BUDGET.take(inflated.saturating_mul(PARSE_WEIGHT));
    // The checks above stop what fuzzing found; a reader that still panics on some other
    // malformed input gives a corrupt-file diagnostic rather than ending the run.
    let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match format {
        FileFormat::Xlsx => read_xlsx(bytes, limits, zip),
        FileFormat::Xlsb => read_xlsb(bytes, limits).map(|s| (s, Suspects::default())),
        FileFormat::Xls => {
            read_dense::<calamine::Xls<_>>(bytes, limits).map(|s| (s, Suspects::default()))
        }
        FileFormat::Ods => {
            // Rows far below a table are cut from the copy calamine reads (see `ods`).
            let bytes = trimmed.as_ref().map_or(bytes, |t| t.bytes.as_slice());
            read_dense::<calamine::Ods<_>>(bytes, limits).map(|s| (s, Suspects::default()))
        }
    }));
    let (sheets, suspects) = read.unwrap_or_else(|_| {
        Err(ReadError::Corrupt {
            detail: "表格内容无法解析（读取器遇到异常结构）".into(),
        })
    })?;
    Ok(Workbook {
        format,
        renamed_from: (format != ext).then_some(ext),
        sheets,
        suspects,
        far_rows: trimmed.map(|t| t.far_rows).unwrap_or_default(),
    })
}

/// The cells of one sheet as they are read: bounded by `max_cells`, sorted when done.
struct SheetCells<'a> {
    meta: &'a calamine::Sheet,
    limit: usize,
    cells: Vec<Cell>,
    truncated: Vec<(u32, u32)>,
}

impl<'a> SheetCells<'a> {
    fn new(meta: &'a calamine::Sheet, limits: &Limits) -> SheetCells<'a> {
        SheetCells {
            meta,
            limit: limits.max_cells,
            cells: Vec::new(),
            truncated: Vec::new(),
        }
    }

    fn push(
        &mut self,
        row: u32,
        col: u32,
        mut value: CellValue,
        percent: bool,
    ) -> Result<(), ReadError> {
        if self.cells.len() >= self.limit {
            return Err(ReadError::TooManyCells {
                sheet: self.meta.name.clone(),
                limit: self.limit,
            });
        }
        // No cell of Excel holds more; every writer downstream may assume a text fits a cell.
        if let CellValue::Text(s) = &mut value {
            if let std::borrow::Cow::Owned(clean) = crate::text::without_bidi(s) {
                *s = clean;
            }
            if let Some(cut) = crate::text::truncated(s, crate::text::CELL_MAX) {
                *s = cut;
                self.truncated.push((row, col));
            }
        }
        self.cells.push(Cell {
            row,
            col,
            value,
            percent,
        });
        Ok(())
    }

    fn finish(mut self) -> Sheet {
        self.cells.sort_by_key(|c| (c.row, c.col));
        Sheet {
            name: self.meta.name.clone(),
            visible: self.meta.visible == calamine::SheetVisible::Visible,
            cells: self.cells,
            truncated: self.truncated,
        }
    }
}

fn corrupt(e: impl std::fmt::Display) -> ReadError {
    let detail = e.to_string();
    if detail.to_lowercase().contains("password") {
        return ReadError::Encrypted;
    }
    ReadError::Corrupt {
        detail: format!("表格内容无法解析（{detail}）"),
    }
}

/// Reads an .xlsx cell by cell; `zip` is what its central directory told. Cells that came
/// back as string 0 are noted: see [`string_index`].
fn read_xlsx(
    bytes: &[u8],
    limits: &Limits,
    zip: ZipFacts,
) -> Result<(Vec<Sheet>, Suspects), ReadError> {
    let mut book = calamine::Xlsx::new(Cursor::new(bytes)).map_err(corrupt)?;
    let meta = book.sheets_metadata().to_vec();
    let mut sheets = Vec::new();
    let mut suspects = Suspects::new(zip.worksheets);
    for m in meta
        .iter()
        .filter(|m| m.typ == calamine::SheetType::WorkSheet)
    {
        let mut reader = book.worksheet_cells_reader(&m.name).map_err(corrupt)?;
        let styles = reader.styles().to_vec();
        let mut sheet = SheetCells::new(m, limits);
        suspects.sheet_read(&m.name);
        while let Some((cell, style)) = reader.next_cell_with_style_id().map_err(corrupt)? {
            let (row, col) = cell.get_position();
            if let DataRef::SharedString(s) = cell.get_value() {
                if zip.string_zero.suspects(s) {
                    suspects.push(row, col);
                }
            }
            let Some(value) = from_ref(cell.get_value()) else {
                continue;
            };
            let percent = styles
                .get(style)
                .and_then(|s| s.number_format.as_ref())
                .is_some_and(|f| is_percent_format(&f.format_code));
            sheet.push(row, col, value, percent)?;
        }
        sheets.push(sheet.finish());
    }
    Ok((sheets, suspects))
}

/// Refuses a workbook in which a cell the return uses is a shared string whose index calamine
/// could not read (see [`string_index`]); `bytes` are the workbook's.
pub fn check_string_indices(
    bytes: &[u8],
    book: &Workbook,
    raw: &RawReturn,
) -> Result<(), ReadError> {
    match book
        .suspects
        .find_bad(bytes, |sheet, row, col| raw.uses(sheet, row, col))
    {
        Some((sheet, bad)) => Err(ReadError::StringIndex {
            sheet,
            cell: crate::diagnostic::CellRef::new(bad.row, bad.col),
            index: bad.index,
        }),
        None => Ok(()),
    }
}

fn read_xlsb(bytes: &[u8], limits: &Limits) -> Result<Vec<Sheet>, ReadError> {
    let mut book = calamine::Xlsb::new(Cursor::new(bytes)).map_err(corrupt)?;
    let meta = book.sheets_metadata().to_vec();
    let mut sheets = Vec::new();
    for m in meta
        .iter()
        .filter(|m| m.typ == calamine::SheetType::WorkSheet)
    {
        let mut reader = book.worksheet_cells_reader(&m.name).map_err(corrupt)?;
        let mut sheet = SheetCells::new(m, limits);
        while let Some(cell) = reader.next_cell().map_err(corrupt)? {
            let (row, col) = cell.get_position();
            let Some(value) = from_ref(cell.get_value()) else {
                continue;
            };
            sheet.push(row, col, value, false)?;
        }
        sheets.push(sheet.finish());
    }
    Ok(sheets)
}

/// A number format shows a percentage when it has a `%` outside quotes and escapes.
fn is_percent_format(code: &str) -> bool {
    let mut quoted = false;
    let mut chars = code.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => quoted = !quoted,
            '\\' if !quoted => {
                chars.next();
            }
            '%' if !quoted => return true,
            _ => {}
        }
    }
    false
}

fn read_dense<R>(bytes: &[u8], limits: &Limits) -> Result<Vec<Sheet>, ReadError>
where
    R: Reader<Cursor<Vec<u8>>>,
    R::Error: std::fmt::Display,
{
    // These readers build every sheet at open: .xls is checked before (container.rs), and
    // .ods too (ods.rs): calamine's own cap on .ods cells is 100 million.
    let mut book = R::new(Cursor::new(bytes.to_vec())).map_err(corrupt)?;
    let meta = book.sheets_metadata().to_vec();
    let mut sheets = Vec::new();
    for m in meta
        .iter()
        .filter(|m| m.typ == calamine::SheetType::WorkSheet)
    {
        let range = book.worksheet_range(&m.name).map_err(corrupt)?;
        let (r0, c0) = range.start().unwrap_or((0, 0));
        let mut sheet = SheetCells::new(m, limits);
        for (row, col, data) in range.used_cells() {
            let Some(value) = from_data(data) else {
                continue;
            };
            sheet.push(r0 + row as u32, c0 + col as u32, value, false)?;
        }
        sheets.push(sheet.finish());
    }
    Ok(sheets)
}

fn from_ref(d: &DataRef<'_>) -> Option<CellValue> {
    from_data(&Data::from(d.clone()))
}

fn from_data(d: &Data) -> Option<CellValue> {
    Some(match d {
        Data::Int(i) => CellValue::Number(*i as f64),
        Data::Float(f) => CellValue::Number(*f),
        Data::String(s) => text(s)?,
        Data::Bool(b) => CellValue::Bool(*b),
        Data::DateTime(d) => CellValue::Date(serial_1900(d)),
        Data::DateTimeIso(s) | Data::DurationIso(s) => CellValue::Text(s.clone()),
        Data::Error(e) => CellValue::Error(format!("{e}")),
        Data::Empty => return None,
    })
}

/// A date's serial in the 1900 system, the one Excel uses by default and our writers write: a
/// workbook saved with the 1904 system counts 1,462 days fewer to the same date, and copied as
/// is its dates would come back four years early.
fn serial_1900(d: &calamine::ExcelDateTime) -> f64 {
    let v = d.as_f64();
    if d.is_datetime() {
        let read_as_1900 =
            calamine::ExcelDateTime::new(v, calamine::ExcelDateTimeType::DateTime, false);
        if read_as_1900.to_ymd_hms_milli() != d.to_ymd_hms_milli() {
            return v + 1462.0;
        }
    }
    v
}

/// Text cells holding only white space count as empty.
fn text(s: &str) -> Option<CellValue> {
    (!s.trim().is_empty()).then(|| CellValue::Text(s.to_string()))
}

/// An Excel date serial (1900 system) as `2026-09-30`, the way the cell shows it.
pub fn excel_date(serial: f64) -> String {
    if !(1.0..=2_958_465.0).contains(&serial) {
        return format_number(serial);
    }
    // Serial 1 is 1900-01-01; Excel counts a 1900-02-29 that never was, hence 25569 and not
    // 25568 days to 1970-01-01 for serials past 60.
    let days = serial.floor() as i64 - if serial >= 61.0 { 25569 } else { 25568 };
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Days since 1970-01-01 → (year, month, day), proleptic Gregorian (H. Hinnant's algorithm).
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

pub use crate::diagnostic::a1;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a1_notation() {
        assert_eq!(a1(0, 0), "A1");
        assert_eq!(a1(8, 5), "F9");
        assert_eq!(a1(0, 26), "AA1");
        assert_eq!(a1(1_048_575, 16_383), "XFD1048576");
    }

    #[test]
    fn excel_dates() {
        assert_eq!(excel_date(46295.0), "2026-09-30");
        assert_eq!(excel_date(1.0), "1900-01-01");
        assert_eq!(excel_date(61.0), "1900-03-01");
    }

    #[test]
    fn dates_of_the_1904_system_are_moved_to_the_1900_system() {
        use calamine::{ExcelDateTime, ExcelDateTimeType::DateTime};
        // 2026-09-30 is 46295 in the 1900 system, 44833 in the 1904 system.
        assert_eq!(
            serial_1900(&ExcelDateTime::new(44833.0, DateTime, true)),
            46295.0
        );
        assert_eq!(
            serial_1900(&ExcelDateTime::new(46295.0, DateTime, false)),
            46295.0
        );
        assert_eq!(
            excel_date(serial_1900(&ExcelDateTime::new(44833.5, DateTime, true))),
            "2026-09-30"
        );
    }

    #[test]
    fn percent_formats() {
        assert!(is_percent_format("0.0%"));
        assert!(is_percent_format("0%"));
        assert!(!is_percent_format("0.00\"%\""));
        assert!(!is_percent_format("General"));
        assert!(!is_percent_format("0\\%"));
    }
}
