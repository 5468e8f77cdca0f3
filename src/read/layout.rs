//! Finding a return's parts wherever they sit: the label/value block (填报单位, 报告期 …),
//! the indicator table and the project table, by their header rows rather than by position.
//!
//! Real returns move things: the header a few rows down, columns swapped, an extra column,
//! the sheet renamed, a label and its value in one cell. Nothing here knows the schema: rows
//! are handed on as cells by column role, and validation decides what each one is.

use super::{Cell, CellValue, Sheet, Workbook};
use crate::text::key;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub enum MetaField {
    Unit,
    Period,
    Person,
    Phone,
    Date,
}

impl MetaField {
    pub fn label(self) -> &'static str {
        match self {
            MetaField::Unit => "填报单位",
            MetaField::Period => "报告期",
            MetaField::Person => "填报人",
            MetaField::Phone => "联系电话",
            MetaField::Date => "填报日期",
        }
    }

    const ALL: [MetaField; 5] = [
        MetaField::Unit,
        MetaField::Period,
        MetaField::Person,
        MetaField::Phone,
        MetaField::Date,
    ];

    fn spellings(self) -> &'static [&'static str] {
        match self {
            MetaField::Unit => &["填报单位", "报送单位", "单位名称"],
            MetaField::Period => &["报告期", "报告期间", "填报期间", "所属期", "统计期"],
            MetaField::Person => &["填报人", "联系人"],
            MetaField::Phone => &["联系电话", "电话"],
            MetaField::Date => &["填报日期", "报送日期"],
        }
    }
}

/// A label's value and where it was found.
#[derive(Debug, Clone)]
pub struct MetaValue {
    pub sheet: String,
    pub row: u32,
    pub col: u32,
    /// The value, or `None` when the label has nothing beside it.
    pub value: Option<CellValue>,
}

/// Column roles of the indicator table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Column {
    Id,
    Name,
    Unit,
    Attribute,
    Target,
    Value,
    /// 数据年份: the year an annual value belongs to.
    DataYear,
    Source,
    Remark,
    ProjectName,
    Investment,
    Completed,
    /// 本年完成投资: the part of 累计完成 done this year (annual forms).
    YearInvestment,
    Progress,
    Status,
    Problem,
}

const INDICATOR_COLUMNS: [(Column, &[&str]); 9] = [
    (Column::Id, &["序号", "编号", "指标序号", "指标编号"]),
    (Column::Name, &["指标名称", "指标", "名称", "指标项"]),
    (Column::Unit, &["单位", "计量单位"]),
    (Column::Attribute, &["指标属性", "属性"]),
    (Column::Target, &["目标值", "指标值", "标准值", "目标"]),
    (
        Column::Value,
        &[
            "本期值",
            "本期数值",
            "本期完成值",
            "本季度值",
            "填报值",
            "本期数",
            "完成值",
        ],
    ),
    (
        Column::DataYear,
        &["数据年份", "数据年度", "统计年份", "数据所属年份"],
    ),
    (Column::Source, &["数据来源", "来源"]),
    (Column::Remark, &["备注", "说明", "不适用理由"]),
];

const PROJECT_COLUMNS: [(Column, &[&str]); 8] = [
    (Column::Id, &["序号", "编号", "工程序号"]),
    (Column::ProjectName, &["工程名称", "项目名称"]),
    (Column::Investment, &["总投资", "总投资万元", "计划总投资"]),
    (
        Column::Completed,
        &["累计完成投资", "累计完成投资万元", "完成投资", "累计投资"],
    ),
    (
        Column::YearInvestment,
        &["本年完成投资", "本年完成投资万元", "本年度完成投资"],
    ),
    (
        Column::Progress,
        &["形象进度", "形象进度%", "工程进度", "进度"],
    ),
    (Column::Status, &["状态", "工程状态", "项目状态"]),
    (Column::Problem, &["存在问题", "问题", "备注"]),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableKind {
    Indicators,
    Projects,
}

/// One row under a header: its cells by role, and every other non-empty cell it has.
#[derive(Debug, Clone)]
pub struct Row {
    pub row: u32,
    pub cells: BTreeMap<Column, Cell>,
    pub other: Vec<Cell>,
}

impl Row {
    pub fn get(&self, c: Column) -> Option<&Cell> {
        self.cells.get(&c)
    }

    /// The row's first cell, for a diagnostic that concerns the whole row.
    pub fn first_cell(&self) -> (u32, u32) {
        let col = self
            .cells
            .values()
            .chain(&self.other)
            .map(|c| c.col)
            .min()
            .unwrap_or(0);
        (self.row, col)
    }

    pub fn is_blank(&self) -> bool {
        self.cells.is_empty() && self.other.is_empty()
    }
}

pub type ProjectRow = Row;

#[derive(Debug, Clone)]
pub struct Table {
    pub kind: TableKind,
    pub sheet: String,
    pub header_row: u32,
    pub columns: BTreeMap<Column, u32>,
    /// Header cells of a role an earlier column already has (a second 本期值, or a second
    /// table beside the first): the first is read, and validation flags what these hold.
    pub repeated: Vec<(Column, u32)>,
    pub rows: Vec<Row>,
}

/// What layout found in one workbook.
#[derive(Debug, Clone, Default)]
pub struct RawReturn {
    pub meta: Vec<(MetaField, MetaValue)>,
    pub tables: Vec<Table>,
    /// Hidden sheet written by `template`.
    pub stamp: Stamp,
}

impl RawReturn {
    pub fn first(&self, field: MetaField) -> Option<&MetaValue> {
        self.meta.iter().find(|(f, _)| *f == field).map(|(_, v)| v)
    }

    pub fn table(&self, kind: TableKind) -> Option<&Table> {
        self.tables.iter().find(|t| t.kind == kind)
    }

    /// Whether what was found rests on the cell: a metadata label or what follows it on its
    /// row (its value), a table's header or one of its rows' cells, or anything on the stamp
    /// sheet.
    pub fn uses(&self, sheet: &str, row: u32, col: u32) -> bool {
        sheet == STAMP_SHEET
            || self
                .meta
                .iter()
                .any(|(_, m)| m.sheet == sheet && m.row == row && col >= m.col)
            || self.tables.iter().any(|t| {
                t.sheet == sheet
                    && (t.header_row == row
                        || t.rows.iter().any(|r| {
                            r.row == row && r.cells.values().chain(&r.other).any(|c| c.col == col)
                        }))
            })
    }
}

/// The name of the hidden sheet `template` writes; `check` reads it back.
pub const STAMP_SHEET: &str = "_form";
/// No office sends one return back this many times; a larger revision is forged.
pub const MAX_REVISION: u32 = 9_999;

/// What the stamp says, by key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StampKey {
    /// The schema version the form was made from.
    SchemaVersion,
    Unit,
    Period,
    /// The program and version that wrote it.
    GeneratedBy,
    /// How many times the return came back for correction: a returned copy carries its
    /// original's plus one, and a later revision supersedes an earlier one.
    Revision,
}

impl StampKey {
    /// As written in the sheet's first column (the forms already sent out use these).
    pub const fn name(self) -> &'static str {
        match self {
            StampKey::SchemaVersion => "schema_version",
            StampKey::Unit => "unit",
            StampKey::Period => "period",
            StampKey::GeneratedBy => "generated_by",
            StampKey::Revision => "revision",
        }
    }
}

/// The hidden sheet of a form: key, value rows. Keys it does not know are kept, so that a
/// returned copy carries everything its original's stamp said.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Stamp(BTreeMap<String, String>);

impl Stamp {
    pub fn get(&self, key: StampKey) -> Option<&str> {
        self.0.get(key.name()).map(String::as_str)
    }

    pub fn set(&mut self, key: StampKey, value: impl Into<String>) {
        self.0.insert(key.name().to_string(), value.into());
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Its rows, in key order, as the sheet holds them.
    pub fn rows(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// The revision, where it is one we could have written (0 otherwise, and when absent).
    pub fn revision(&self) -> u32 {
        self.get(StampKey::Revision)
            .and_then(|r| r.trim().parse().ok())
            .filter(|r| *r <= MAX_REVISION)
            .unwrap_or(0)
    }
}

pub fn find_return(book: &Workbook) -> RawReturn {
    let mut out = RawReturn::default();
    for sheet in &book.sheets {
        if sheet.name == STAMP_SHEET {
            out.stamp = read_stamp(sheet);
            continue;
        }
        scan_sheet(sheet, &mut out);
    }
    out
}

fn read_stamp(sheet: &Sheet) -> Stamp {
    let mut map = BTreeMap::new();
    for pair in rows_of(sheet) {
        if let [k, v, ..] = pair.as_slice() {
            map.insert(k.value.display(), v.value.display());
        }
    }
    Stamp(map)
}

/// The sheet's cells grouped by row.
fn rows_of(sheet: &Sheet) -> Vec<Vec<&Cell>> {
    let mut rows: Vec<Vec<&Cell>> = Vec::new();
    for c in &sheet.cells {
        match rows.last_mut() {
            Some(r) if r.first().is_some_and(|f| f.row == c.row) => r.push(c),
            _ => rows.push(vec![c]),
        }
    }
    rows
}

/// A table's header spellings as keys, computed once: `(role, key, may be a prefix)`.
type HeaderKeys = Vec<(Column, String, bool)>;

fn header_keys(table: &[(Column, &[&str])]) -> HeaderKeys {
    table
        .iter()
        .flat_map(|(c, names)| {
            names
                .iter()
                .map(move |n| (*c, key(n), n.chars().count() >= 3))
        })
        .collect()
}

fn keys_of(kind: TableKind) -> &'static HeaderKeys {
    static PROJECTS: std::sync::OnceLock<HeaderKeys> = std::sync::OnceLock::new();
    static INDICATORS: std::sync::OnceLock<HeaderKeys> = std::sync::OnceLock::new();
    match kind {
        TableKind::Projects => PROJECTS.get_or_init(|| header_keys(&PROJECT_COLUMNS)),
        TableKind::Indicators => INDICATORS.get_or_init(|| header_keys(&INDICATOR_COLUMNS)),
    }
}

/// The role a header cell (by its key) plays: an exact spelling first, then a spelling of
/// three or more characters the cell starts with (`本期值（2026年三季度）`).
fn header_role(k: &str, keys: &HeaderKeys) -> Option<Column> {
    keys.iter()
        .find(|(_, n, _)| n == k)
        .or_else(|| {
            keys.iter()
                .find(|(_, n, prefix)| *prefix && k.starts_with(n.as_str()))
        })
        .map(|(c, _, _)| *c)
}

/// Header cells are short; longer text (titles, notes, values) is never a header.
const MAX_HEADER_CHARS: usize = 24;

/// Whether a text cell may be a header, judged before normalising it: short, and starting
/// (after spaces) with the first character of some header spelling. Most cells of a return
/// are values and names, and this keeps them out of NFKC.
fn could_be_header(s: &str) -> bool {
    static FIRST: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let first = FIRST.get_or_init(|| {
        INDICATOR_COLUMNS
            .iter()
            .chain(PROJECT_COLUMNS.iter())
            .flat_map(|(_, names)| names.iter().filter_map(|n| n.chars().next()))
            .collect()
    });
    let t = s.trim_start();
    t.chars().next().is_some_and(|c| first.contains(c)) && t.chars().count() <= MAX_HEADER_CHARS
}

/// The header roles of a row when it is a table header.
/// A header row: its kind, its column of each role, and columns of a role already taken.
type Header = (TableKind, BTreeMap<Column, u32>, Vec<(Column, u32)>);

fn as_header(cells: &[&Cell]) -> Option<Header> {
    let keyed: Vec<(u32, String)> = cells
        .iter()
        .filter_map(|c| match &c.value {
            CellValue::Text(s) if could_be_header(s) => Some((c.col, key(s))),
            _ => None,
        })
        .collect();
    if keyed.len() < 3 {
        return None;
    }
    for (kind, needed) in [
        (TableKind::Projects, Column::ProjectName),
        (TableKind::Indicators, Column::Value),
    ] {
        let keys = keys_of(kind);
        let mut cols = BTreeMap::new();
        let mut repeated = Vec::new();
        for (col, k) in &keyed {
            if let Some(role) = header_role(k, keys) {
                if let std::collections::btree_map::Entry::Vacant(e) = cols.entry(role) {
                    e.insert(*col);
                } else {
                    repeated.push((role, *col));
                }
            }
        }
        let identifies = cols.contains_key(&Column::Id)
            || cols.contains_key(&Column::Name)
            || cols.contains_key(&Column::ProjectName);
        if cols.contains_key(&needed) && identifies && cols.len() >= 3 {
            return Some((kind, cols, repeated));
        }
    }
    None
}

/// The first characters of every label spelling in [`MetaField::spellings`].
const LABEL_FIRST_CHARS: &str = "填报单联电所统";

/// A label cell: `填报单位`, `填报单位：`, or `填报单位：住建局` (value in the same cell).
fn as_label(c: &Cell) -> Option<(MetaField, Option<String>)> {
    let CellValue::Text(s) = &c.value else {
        return None;
    };
    // Every label starts with one of these characters; most cells can be passed over
    // before normalising them.
    let first = s.trim_start().chars().next()?;
    if !LABEL_FIRST_CHARS.contains(first) {
        return None;
    }
    let s = crate::text::nfkc(s);
    for field in MetaField::ALL {
        for spelling in field.spellings() {
            if let Some(rest) = s.strip_prefix(spelling) {
                let rest = rest.trim_start();
                if rest.is_empty() {
                    return Some((field, None));
                }
                if let Some(v) = rest.strip_prefix(':') {
                    let v = v.trim();
                    return Some((field, (!v.is_empty()).then(|| v.to_string())));
                }
            }
        }
    }
    None
}

fn scan_sheet(sheet: &Sheet, out: &mut RawReturn) {
    let mut current: Option<Table> = None;
    for cells in rows_of(sheet) {
        if let Some((kind, columns, repeated)) = as_header(&cells) {
            out.tables.extend(current.take());
            current = Some(Table {
                kind,
                sheet: sheet.name.clone(),
                header_row: cells.first().map(|c| c.row).unwrap_or(0),
                columns,
                repeated,
                rows: Vec::new(),
            });
            continue;
        }
        let mut labelled = false;
        for (i, c) in cells.iter().enumerate() {
            let Some((field, inline)) = as_label(c) else {
                continue;
            };
            labelled = true;
            let value = match inline {
                Some(v) => Some(CellValue::Text(v)),
                None => cells
                    .get(i + 1)
                    .filter(|next| as_label(next).is_none())
                    .map(|next| next.value.clone()),
            };
            out.meta.push((
                field,
                MetaValue {
                    sheet: sheet.name.clone(),
                    row: c.row,
                    col: c.col,
                    value,
                },
            ));
        }
        if labelled {
            continue;
        }
        if let Some(table) = current.as_mut() {
            table.rows.push(split_row(&cells, &table.columns));
        }
    }
    out.tables.extend(current);
}

fn split_row(cells: &[&Cell], columns: &BTreeMap<Column, u32>) -> Row {
    let mut row = Row {
        row: cells.first().map(|c| c.row).unwrap_or(0),
        cells: BTreeMap::new(),
        other: Vec::new(),
    };
    for c in cells {
        match columns.iter().find(|(_, &col)| col == c.col) {
            Some((role, _)) => {
                row.cells.insert(*role, (*c).clone());
            }
            None => row.other.push((*c).clone()),
        }
    }
    row
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(row: u32, col: u32, s: &str) -> Cell {
        Cell {
            row,
            col,
            value: CellValue::Text(s.into()),
            percent: false,
        }
    }

    fn num(row: u32, col: u32, n: f64) -> Cell {
        Cell {
            row,
            col,
            value: CellValue::Number(n),
            percent: false,
        }
    }

    fn book(cells: Vec<Cell>) -> Workbook {
        Workbook {
            format: super::super::FileFormat::Xlsx,
            renamed_from: None,
            sheets: vec![Sheet {
                name: "Sheet1".into(),
                visible: true,
                cells,
                truncated: Vec::new(),
            }],
            suspects: Default::default(),
            far_rows: Vec::new(),
        }
    }

    #[test]
    fn finds_labels_in_one_cell_or_beside_their_value() {
        let r = find_return(&book(vec![
            text(0, 0, "土默特左旗…填报表"),
            text(1, 0, "填报单位：住建局"),
            text(1, 3, "报告期"),
            text(1, 4, "2026Q3"),
        ]));
        let unit = r.first(MetaField::Unit).unwrap();
        assert_eq!(unit.value, Some(CellValue::Text("住建局".into())));
        assert_eq!(
            r.first(MetaField::Period).unwrap().value,
            Some(CellValue::Text("2026Q3".into()))
        );
    }

    #[test]
    fn a_return_uses_its_labels_values_header_and_rows_not_the_rest() {
        let r = find_return(&book(vec![
            text(0, 0, "土默特左旗…填报表"),
            text(1, 0, "填报单位"),
            text(1, 1, "住建局"),
            text(2, 9, "表头上方的笔记"),
            text(3, 0, "序号"),
            text(3, 1, "指标名称"),
            text(3, 2, "本期值"),
            text(4, 0, "25"),
            text(4, 1, "城镇污水处理率"),
            num(4, 2, 92.5),
            text(4, 7, "备注"),
        ]));
        let uses = |row, col| r.uses("Sheet1", row, col);
        assert!(uses(1, 0) && uses(1, 1), "the label and its value");
        assert!(uses(3, 1), "the header");
        assert!(uses(4, 2) && uses(4, 7), "a row's cells, named or not");
        assert!(!uses(0, 0), "the title");
        assert!(!uses(2, 9), "a note above the header");
        assert!(!r.uses("其他", 4, 2));
        assert!(r.uses(STAMP_SHEET, 0, 0));
    }

    #[test]
    fn every_label_spelling_starts_with_a_listed_character() {
        for f in MetaField::ALL {
            for s in f.spellings() {
                assert!(
                    s.chars()
                        .next()
                        .is_some_and(|c| LABEL_FIRST_CHARS.contains(c)),
                    "{s}"
                );
            }
        }
    }

    #[test]
    fn finds_a_moved_header_with_columns_in_another_order() {
        let r = find_return(&book(vec![
            text(4, 1, "本期值"),
            text(4, 2, "指标名称"),
            text(4, 3, "序号"),
            text(4, 4, "额外列"),
            num(5, 1, 92.5),
            text(5, 2, "城镇污水处理率"),
            text(5, 3, "25"),
        ]));
        let t = r.table(TableKind::Indicators).unwrap();
        assert_eq!(t.header_row, 4);
        assert_eq!(t.columns[&Column::Value], 1);
        assert_eq!(t.rows.len(), 1);
        assert_eq!(
            t.rows[0].get(Column::Value).unwrap().value,
            CellValue::Number(92.5)
        );
    }

    #[test]
    fn a_project_header_starts_a_second_table_on_the_same_sheet() {
        let r = find_return(&book(vec![
            text(0, 0, "序号"),
            text(0, 1, "指标名称"),
            text(0, 2, "本期值"),
            text(3, 0, "序号"),
            text(3, 1, "工程名称"),
            text(3, 2, "形象进度（%）"),
            text(3, 3, "状态"),
        ]));
        assert_eq!(r.tables.len(), 2);
        assert_eq!(r.tables[1].kind, TableKind::Projects);
        assert_eq!(r.tables[1].columns[&Column::Progress], 2);
    }
}
