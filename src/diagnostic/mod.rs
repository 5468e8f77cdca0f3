//! A leaf every stage may use: what a finding is (its [`Code`], [`Severity`], location and
//! message) and where a cell is ([`CellRef`], written in A1 notation only at the edges).
//! Reading, normalising values and validating all make diagnostics; none of them owns the type.

mod codes;

pub use codes::{catalogue_markdown, Code, Severity};

use serde::Serialize;

/// One finding, located as precisely as the input allows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnostic {
    #[serde(serialize_with = "code_id")]
    pub code: Code,
    pub severity: Severity,
    pub sheet: Option<String>,
    pub cell: Option<CellRef>,
    pub indicator: Option<String>,
    pub value: Option<String>,
    pub message: String,
    /// Rows of a table this diagnostic accounts for (not consolidated because of it).
    #[serde(skip_serializing_if = "is_zero")]
    pub rows: u32,
}

fn code_id<S: serde::Serializer>(c: &Code, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(c.id())
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// The longest message and quoted value a diagnostic keeps (UTF-16 units): enough to find
/// the cell, short enough for a note, a terminal line and a 汇总表 cell.
const MESSAGE_MAX: usize = 2_000;
const VALUE_MAX: usize = 500;

impl Diagnostic {
    pub fn new(code: Code, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            severity: code.severity(),
            sheet: None,
            cell: None,
            indicator: None,
            value: None,
            // A message may quote a value as long as a cell holds; the quote is enough.
            message: crate::text::fitted(message.into(), MESSAGE_MAX),
            rows: 0,
        }
    }

    pub fn at(self, sheet: &str, row: u32, col: u32) -> Diagnostic {
        self.at_cell(sheet, CellRef { row, col })
    }

    pub fn at_cell(mut self, sheet: &str, cell: CellRef) -> Diagnostic {
        self.sheet = Some(sheet.to_string());
        self.cell = Some(cell);
        self
    }

    /// Placed on a sheet, not on one cell (a notice about the whole table).
    pub fn on_sheet(mut self, sheet: &str) -> Diagnostic {
        self.sheet = Some(sheet.to_string());
        self
    }

    pub fn indicator(mut self, id: &str) -> Diagnostic {
        self.indicator = Some(id.to_string());
        self
    }

    pub fn value(mut self, v: impl Into<String>) -> Diagnostic {
        let v = crate::text::fitted(v.into(), VALUE_MAX);
        self.value = (!v.is_empty()).then_some(v);
        self
    }

    pub fn rows(mut self, n: u32) -> Diagnostic {
        self.rows = n;
        self
    }

    /// What to do about it, when the message does not already say (it says when it carries a
    /// 请… of its own): the code's fix. Every place that shows a message adds this, so the fix
    /// is given once, never twice.
    pub fn fix(&self) -> Option<&'static str> {
        (!self.message.contains('请')).then(|| self.code.fix())
    }

    /// The message with its fix, as one text: `…。修改办法：…`.
    pub fn advice(&self) -> String {
        match self.fix() {
            Some(fix) => format!("{}。修改办法：{fix}", self.message.trim_end_matches('。')),
            None => self.message.clone(),
        }
    }

    /// Where it is, as every output writes it: `指标填报!F9`, a sheet, or `（整个文件）` (a
    /// sheet's name shown without bidi controls, which would show it reversed).
    pub fn location(&self) -> String {
        let shown = |s: &str| crate::text::without_bidi(s).into_owned();
        match (&self.sheet, &self.cell) {
            (Some(s), Some(c)) => format!("{}!{c}", shown(s)),
            (Some(s), None) => shown(s),
            _ => "（整个文件）".to_string(),
        }
    }

    /// Where the (0-based) cell is, for writers that mark it: `None` without a cell.
    pub fn position(&self) -> Option<(u32, u32)> {
        self.cell.map(|c| (c.row, c.col))
    }
}

/// A cell's place on its sheet, 0-based. Shown and serialised in A1 notation (`F9`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CellRef {
    pub row: u32,
    pub col: u32,
}

impl CellRef {
    pub fn new(row: u32, col: u32) -> CellRef {
        CellRef { row, col }
    }

    /// `F9` → row 8, column 5; `None` for anything else.
    pub fn parse(a1: &str) -> Option<CellRef> {
        parse_a1(a1).map(|(row, col)| CellRef { row, col })
    }
}

impl std::fmt::Display for CellRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&a1(self.row, self.col))
    }
}

impl Serialize for CellRef {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// `F9` → (8, 5).
fn parse_a1(a1: &str) -> Option<(u32, u32)> {
    let split = a1.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = a1.split_at(split);
    let mut col: u32 = 0;
    for b in letters.bytes() {
        if !b.is_ascii_uppercase() {
            return None;
        }
        col = col.checked_mul(26)?.checked_add((b - b'A' + 1) as u32)?;
    }
    let row: u32 = digits.parse().ok()?;
    Some((row.checked_sub(1)?, col.checked_sub(1)?))
}

/// `F9` for row 8, column 5 (both 0-based).
pub fn a1(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut c = col as u64 + 1;
    while c > 0 {
        let rem = ((c - 1) % 26) as u8;
        letters.push((b'A' + rem) as char);
        c = (c - 1) / 26;
    }
    letters.iter().rev().collect::<String>() + &(row as u64 + 1).to_string()
}
