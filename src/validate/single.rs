//! One file → one [`Return`]: read it, find its parts, and check each row.

use super::meta_text;
use super::projects::check_projects;
use super::CellRef;
use super::{Code, Diagnostic, Return};
use crate::period::Period;
use crate::read::{
    self, layout::Column, layout::StampKey, layout::TableKind, CellValue, Limits, MetaField,
    RawReturn, ReadError, Row, Table,
};
use crate::schema::Schema;
use sha2::{Digest, Sha256};
use std::path::Path;

/// Reads and validates the file at `path`. Never fails: what goes wrong is a diagnostic.
pub fn validate_file(path: &Path, schema: &Schema, limits: &Limits) -> Return {
    let ext = read::FileFormat::from_extension(path).unwrap_or(read::FileFormat::Xlsx);
    match read::read_bytes(path, limits) {
        Ok(file) => validate_bytes(&file.bytes, ext, path, schema, limits),
        Err(e) => {
            let mut ret = Return::empty(path);
            ret.diagnostics.push(read_error(e));
            ret
        }
    }
}

/// Validates `bytes` that came as `name` with extension format `ext` (the fuzzers' entry).
pub fn validate_bytes(
    bytes: &[u8],
    ext: read::FileFormat,
    name: &Path,
    schema: &Schema,
    limits: &Limits,
) -> Return {
    let mut ret = Return::empty(name);
    ret.sha256 = crate::text::hex(&Sha256::digest(bytes));
    let mut book = match read::parse(bytes, ext, limits) {
        Ok(book) => book,
        Err(e) => {
            ret.diagnostics.push(read_error(e));
            return ret;
        }
    };
    ret.format = Some(book.format);
    if let Some(ext) = book.renamed_from {
        ret.diagnostics.push(Diagnostic::new(
            Code::ExtensionMismatch,
            format!(
                "文件扩展名是 {ext:?}，内容却是 {:?} 格式（已按实际格式读取）",
                book.format
            )
            .to_lowercase(),
        ));
    }
    for sheet in &book.sheets {
        for &(row, col) in &sheet.truncated {
            ret.diagnostics.push(
                Diagnostic::new(
                    Code::TextTooLong,
                    "单元格文字超过 32767 字，只读取了前 32767 字",
                )
                .at(&sheet.name, row, col),
            );
        }
    }
    // Rows of an .ods far below its table are not read, as for .xlsx: one warning, and the
    // rows that held something counted in it.
    for far in &book.far_rows {
        let n = u32::try_from(far.filled).unwrap_or(u32::MAX);
        ret.rows.read += n;
        ret.rows.in_diagnostics += n;
        ret.diagnostics.push(
            Diagnostic::new(
                Code::JunkRows,
                format!(
                    "工作表“{}”第 {} 行以下还有 {n} 行内容，离表格太远，未读取：请确认不是漏填的数据",
                    far.sheet,
                    far.first_row + 1
                ),
            )
            .at(&far.sheet, u32::try_from(far.first_row).unwrap_or(u32::MAX), 0)
            .rows(n),
        );
    }
    let raw = read::find_return(&book);
    let strings = read::check_string_indices(bytes, &book, &raw);
    let formats_known = book.format == read::FileFormat::Xlsx;
    let conditions = book
        .sheets
        .iter()
        .position(|s| s.name == crate::schema::conditions::SHEET)
        .map(|i| book.sheets.swap_remove(i));
    drop(book);
    check_return(&raw, schema, limits, formats_known, &mut ret);
    super::conditions::check(conditions.as_ref(), schema, &mut ret);
    // The unit and the rows are still told, so the return comes back as its unit's form; the
    // error rejects it, and its rows are held with it.
    if let Err(e) = strings {
        let d = read_error(e);
        // What the unit typed there is unknown: its returned form shows the cell empty (and
        // marked) rather than show string 0.
        if let (Some(sheet), Some(at)) = (&d.sheet, d.cell) {
            let sent = ret.sent.iter_mut().filter(|r| &r.sheet == sheet);
            for (_, cell) in sent.flat_map(|r| r.cells.iter_mut()) {
                if (cell.row, cell.col) == (at.row, at.col) {
                    cell.value = read::CellValue::Text(String::new());
                }
            }
        }
        ret.diagnostics.push(d);
    }
    ret
}

fn read_error(e: ReadError) -> Diagnostic {
    let code = match &e {
        ReadError::Io(_) | ReadError::NotRegular(_) => Code::FileUnreadable,
        ReadError::Empty => Code::FileEmpty,
        ReadError::TooLarge { .. } => Code::FileTooLarge,
        ReadError::NotSpreadsheet { .. } => Code::NotSpreadsheet,
        ReadError::Encrypted => Code::Encrypted,
        ReadError::Corrupt { .. } => Code::Corrupt,
        ReadError::StringIndex { sheet, cell, index } => {
            // The location is the diagnostic's own; the message says what to do instead.
            return Diagnostic::new(
                Code::Corrupt,
                format!(
                    "单元格引用了共享字符串表中不存在的编号“{index}”，读不出它的内容：请用 Excel 或 WPS 打开（提示修复时选“是”），核对该单元格后另存为 .xlsx 重新报送"
                ),
            )
            .at_cell(sheet, *cell)
            .value(index.clone());
        }
        ReadError::Inflation { .. } | ReadError::Ratio { .. } => Code::ZipBomb,
        ReadError::TooManyCells { .. } | ReadError::Dimensions { .. } => Code::TooManyCells,
    };
    Diagnostic::new(code, e.to_string())
}

/// Checks what layout found; fills `ret`.
pub(super) fn check_return(
    raw: &RawReturn,
    schema: &Schema,
    limits: &Limits,
    formats_known: bool,
    ret: &mut Return,
) {
    if raw.tables.is_empty() {
        ret.diagnostics.push(Diagnostic::new(
            Code::NoTable,
            "没有找到含“序号、指标名称、本期值”表头的指标填报表，也没有找到含“工程名称、形象进度”表头的工程进度表",
        ));
        // Not a return at all: its label block, if any, says nothing worth a finding.
        return;
    }
    ret.unit = check_unit(raw, schema, ret);
    ret.period = check_period(raw, ret);
    check_stamp(raw, schema, ret);
    let Some(unit) = ret.unit.clone() else {
        // Without a unit nothing can be checked for assignment; the rows still count.
        let rows: u32 = raw
            .tables
            .iter()
            .map(|t| t.rows.iter().filter(|r| !r.is_blank()).count() as u32)
            .sum();
        // Added to, not set: rows far below an .ods table are counted already.
        ret.rows.read += rows;
        ret.rows.in_diagnostics += rows;
        if let Some(d) = ret
            .diagnostics
            .iter_mut()
            .find(|d| matches!(d.code, Code::UnitMissing | Code::UnitUnknown))
        {
            d.rows = rows;
        }
        return;
    };
    let assigned = schema.indicators_of(&unit).count();
    match raw.table(TableKind::Indicators) {
        Some(t) => {
            super::indicators::check_indicators(t, schema, &unit, limits, formats_known, ret)
        }
        None if assigned > 0 => ret.diagnostics.push(Diagnostic::new(
            Code::IndicatorTableMissing,
            format!("{unit}负责 {assigned} 项指标，但文件中没有指标填报表"),
        )),
        None => {}
    }
    let projects = schema.projects_of(&unit).count();
    match raw.table(TableKind::Projects) {
        Some(t) => check_projects(t, schema, &unit, ret),
        None if projects > 0 => ret.diagnostics.push(Diagnostic::new(
            Code::ProjectTableMissing,
            format!("{unit}负责 {projects} 项重点工程，但文件中没有重点工程进度表"),
        )),
        None => {}
    }
    let mut kinds_seen = Vec::new();
    for table in &raw.tables {
        if !kinds_seen.contains(&table.kind) {
            kinds_seen.push(table.kind);
            check_repeated_columns(table, ret);
            continue;
        }
        let n = table.rows.iter().filter(|r| !r.is_blank()).count() as u32;
        ret.rows.read += n;
        ret.rows.in_diagnostics += n;
        ret.diagnostics.push(
            Diagnostic::new(
                Code::JunkRows,
                format!("工作表“{}”中还有一张同类表格（{n} 行），只读取了第一张：请把数据合并到一张表中", table.sheet),
            )
            .at(&table.sheet, table.header_row, 0)
            .rows(n),
        );
    }
}

/// A second column of a role that carries what is consolidated (a second 本期值, or the value
/// column of a second table beside the first) is read by no one: where it holds something
/// other than the first column, which one the unit meant cannot be told.
fn check_repeated_columns(table: &Table, ret: &mut Return) {
    const CONSOLIDATED: [Column; 5] = [
        Column::Value,
        Column::Completed,
        Column::YearInvestment,
        Column::Progress,
        Column::Status,
    ];
    for (role, col) in table
        .repeated
        .iter()
        .filter(|(role, _)| CONSOLIDATED.contains(role))
    {
        let Some(first) = table.columns.get(role) else {
            continue;
        };
        let differing: Vec<&Row> = table
            .rows
            .iter()
            .filter(|r| {
                let second = r
                    .other
                    .iter()
                    .find(|c| c.col == *col)
                    .map(|c| c.value.display());
                let second = second.filter(|v| !v.trim().is_empty());
                second.is_some_and(|v| Some(v) != r.get(*role).map(|c| c.value.display()))
            })
            .collect();
        let Some(example) = differing.first() else {
            continue;
        };
        ret.diagnostics.push(
            Diagnostic::new(
                Code::ColumnRepeated,
                format!(
                    "工作表“{}”的表头在 {} 和 {} 有两列同一栏目，{} 行两列填的不一样（如第 {} 行），本工具只读了 {} 列",
                    table.sheet,
                    crate::diagnostic::a1(table.header_row, *first),
                    crate::diagnostic::a1(table.header_row, *col),
                    differing.len(),
                    example.row + 1,
                    crate::diagnostic::a1(table.header_row, *first)
                        .trim_end_matches(|c: char| c.is_ascii_digit()),
                ),
            )
            .at(&table.sheet, table.header_row, *col),
        );
    }
}

fn check_unit(raw: &RawReturn, schema: &Schema, ret: &mut Return) -> Option<String> {
    let labels: Vec<_> = raw
        .meta
        .iter()
        .filter(|(f, _)| *f == MetaField::Unit)
        .map(|(_, v)| v)
        .collect();
    let Some(first) = labels.iter().find(|v| v.value.is_some()).or(labels.first()) else {
        ret.diagnostics.push(Diagnostic::new(
            Code::UnitMissing,
            "没有找到“填报单位”一栏：请在表头下方填写“填报单位：本单位名称”",
        ));
        return None;
    };
    let Some(value) = &first.value else {
        ret.diagnostics.push(
            Diagnostic::new(Code::UnitMissing, "“填报单位”后面是空的：请填写本单位名称").at(
                &first.sheet,
                first.row,
                first.col + 1,
            ),
        );
        return None;
    };
    let text = meta_text(value);
    let Some(unit) = schema.unit_named(&text) else {
        let known: Vec<&str> = schema
            .reporting_units()
            .iter()
            .map(|u| u.name.as_str())
            .collect();
        ret.diagnostics.push(
            Diagnostic::new(
                Code::UnitUnknown,
                format!("填报单位“{text}”不在单位名单中，应为：{}", known.join("、")),
            )
            .at(&first.sheet, first.row, first.col + 1)
            .value(text),
        );
        return None;
    };
    for other in &labels {
        let Some(v) = &other.value else { continue };
        let t = meta_text(v);
        if schema.unit_named(&t).map(|u| &u.name) != Some(&unit.name) {
            ret.diagnostics.push(
                Diagnostic::new(
                    Code::UnitInconsistent,
                    format!(
                        "这里的填报单位是“{t}”，而工作表“{}”写的是“{}”",
                        first.sheet, unit.name
                    ),
                )
                .at(&other.sheet, other.row, other.col + 1)
                .value(t),
            );
        }
    }
    Some(unit.name.clone())
}

fn check_period(raw: &RawReturn, ret: &mut Return) -> Option<Period> {
    let Some(label) = raw
        .meta
        .iter()
        .filter(|(f, _)| *f == MetaField::Period)
        .map(|(_, v)| v)
        .next()
    else {
        ret.diagnostics.push(Diagnostic::new(
            Code::PeriodMissing,
            "没有找到“报告期”一栏：请填写“报告期：2026Q3”",
        ));
        return None;
    };
    let at = |d: Diagnostic| d.at(&label.sheet, label.row, label.col + 1);
    match &label.value {
        None => {
            ret.diagnostics.push(at(Diagnostic::new(
                Code::PeriodMissing,
                "“报告期”后面是空的：请填写如 2026Q3",
            )));
            None
        }
        Some(CellValue::Date(_)) => {
            ret.diagnostics.push(at(Diagnostic::new(
                Code::PeriodUnparseable,
                "报告期填的是日期：日期不是报告期，请改为 2026Q3 或 2026年第三季度",
            )
            .value(
                label
                    .value
                    .as_ref()
                    .map(|v| v.display())
                    .unwrap_or_default(),
            )));
            None
        }
        Some(v) => {
            let text = meta_text(v);
            let p = Period::parse(&text);
            ret.period_cell = Some((label.sheet.clone(), CellRef::new(label.row, label.col + 1)));
            if p.is_none() {
                ret.diagnostics.push(at(Diagnostic::new(
                    Code::PeriodUnparseable,
                    format!("报告期“{text}”无法识别：请写成 2026Q3 或 2026年第三季度"),
                )
                .value(text)));
            }
            p
        }
    }
}

fn check_stamp(raw: &RawReturn, schema: &Schema, ret: &mut Return) {
    if raw.stamp.is_empty() {
        return;
    }
    // A revision past any real exchange of copies was not written by us: read as 0, so that
    // the copy we send back (one higher) supersedes it instead of wrapping below it.
    ret.revision = raw.stamp.revision();
    let version = raw.stamp.get(StampKey::SchemaVersion);
    if let Some(version) = version.filter(|v| *v != schema.meta.version) {
        ret.diagnostics.push(Diagnostic::new(
            Code::FormOtherSchema,
            format!(
                "填报表模板的指标体系版本是“{version}”，当前为“{}”：请使用本期下发的模板",
                schema.meta.version
            ),
        ));
    }
    let form_period = raw.stamp.get(StampKey::Period).and_then(Period::parse);
    if let (Some(fp), Some(p)) = (form_period, ret.period) {
        if fp != p {
            ret.diagnostics.push(Diagnostic::new(
                Code::FormOtherSchema,
                format!("填报表模板是 {fp} 的，报告期却填的是 {p}：请确认用的是本期模板"),
            ));
        }
    }
}
