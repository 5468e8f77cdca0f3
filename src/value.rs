//! Normalising one 本期值 cell against its indicator: numbers typed as text, full-width
//! digits, thousands separators, percentages, a unit after the number, qualitative words and
//! their synonyms, 不适用. What cannot be read unambiguously is a finding, never a guess.

use crate::diagnostic::Code;
use crate::read::{Cell, CellValue};
use crate::schema::{Indicator, Schema, Standard};
use crate::text::format_number;

/// A reported value after normalisation.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "value")]
pub enum Value {
    /// In the indicator's unit (87.5 for 87.5 %).
    Number(f64),
    /// The canonical qualitative word.
    Word(String),
    NotApplicable,
}

impl Value {
    pub fn number(&self) -> Option<f64> {
        match self {
            Value::Number(n) => Some(*n),
            _ => None,
        }
    }
}

/// The outcome of reading one cell: the value when it could be read, the text as the person
/// sees it, and what is worth saying about it.
#[derive(Debug, Clone)]
pub struct Reading {
    pub value: Option<Value>,
    pub text: String,
    pub findings: Vec<(Code, String)>,
}

/// Words that mean "not applicable" in a value cell.
const NOT_APPLICABLE: [&str; 9] = [
    "/",
    "-",
    "—",
    "——",
    "--",
    "不涉及",
    "不适用",
    "无此项",
    "n/a",
];

pub fn is_not_applicable_marker(s: &str) -> bool {
    let s = crate::text::nfkc(s).to_lowercase();
    NOT_APPLICABLE.contains(&s.as_str())
}

/// Reads `cell` (or its absence) as the 本期值 of `ind`. `formats_known` is false for
/// .xls/.ods, where calamine cannot tell a percent-formatted cell from a plain one.
pub fn read(
    cell: Option<&Cell>,
    ind: &Indicator,
    schema: &Schema,
    remark: Option<&str>,
    formats_known: bool,
) -> Reading {
    let Some(cell) = cell else {
        return fail(
            String::new(),
            Code::ValueEmpty,
            format!("指标 {} {} 的本期值为空", ind.id, ind.full_name()),
        );
    };
    let shown = shown(cell);
    let mut r = match &cell.value {
        CellValue::Number(n) if !n.is_finite() => fail(
            shown,
            Code::NotFinite,
            format!("指标 {} 的本期值不是有效数值（{n}）", ind.id),
        ),
        CellValue::Number(n) => number_cell(*n, cell.percent, ind, formats_known, shown),
        CellValue::Text(s) => text_cell(s, ind, schema, shown),
        CellValue::Bool(_) => fail(
            shown,
            Code::ExpectedNumber,
            "本期值是逻辑值（TRUE/FALSE）".into(),
        ),
        CellValue::Date(_) => fail(shown, Code::DateInValue, "本期值是日期，不是数值".into()),
        CellValue::Error(e) => fail(shown, Code::CellError, format!("本期值是公式错误 {e}")),
    };
    if r.value == Some(Value::NotApplicable) {
        if !ind.not_applicable {
            let msg = format!("指标 {} 不允许填“不适用”，请填写本期值", ind.id);
            return fail(r.text, Code::NotApplicableNotAllowed, msg);
        }
        if remark.map(str::trim).unwrap_or("").is_empty() {
            let msg = format!("指标 {} 填了“不适用”，请在备注栏写明理由", ind.id);
            return fail(r.text, Code::NotApplicableNoReason, msg);
        }
    }
    if let Some(Value::Number(v)) = r.value {
        if let Some(problem) = range_problem(v, ind) {
            return fail(r.text, Code::PercentOutOfRange, problem);
        }
    }
    r.findings.sort();
    r
}

/// A number in the cell of a qualitative indicator.
fn expected_word(ind: &Indicator, shown: String) -> Reading {
    let msg = format!(
        "指标 {} 是定性指标，应填写文字（{}），不是数值",
        ind.id,
        ind.met.join("/")
    );
    fail(shown, Code::ExpectedWord, msg)
}

fn fail(text: String, code: Code, message: String) -> Reading {
    Reading {
        value: None,
        text,
        findings: vec![(code, message)],
    }
}

fn ok(value: Value, text: String) -> Reading {
    Reading {
        value: Some(value),
        text,
        findings: Vec::new(),
    }
}

/// The cell as Excel shows it: `87.5%` for a percent-formatted 0.875.
fn shown(cell: &Cell) -> String {
    match (&cell.value, cell.percent) {
        (CellValue::Number(n), true) => {
            format!("{}%", format_number(n * 100.0))
        }
        (v, _) => v.display(),
    }
}

/// Keeps ten decimals: 0.871 × 100 is 87.10000000000001 in binary.
fn tidy(v: f64) -> f64 {
    (v * 1e10).round() / 1e10
}

fn number_cell(
    n: f64,
    percent_format: bool,
    ind: &Indicator,
    formats_known: bool,
    shown: String,
) -> Reading {
    if ind.standard.is_qualitative() {
        return expected_word(ind, shown);
    }
    if percent_format {
        if ind.is_percent() {
            return ok(Value::Number(tidy(n * 100.0)), shown);
        }
        let msg = format!(
            "单元格设成了百分比格式，但指标 {} 的单位是 {}：请改为常规格式并按该单位填写",
            ind.id,
            ind.measure_unit.as_deref().unwrap_or("（无）")
        );
        return fail(shown, Code::WrongMeasureUnit, msg);
    }
    if ind.is_percent() && n > 0.0 && n <= 1.0 && threshold_above_one(ind) {
        if formats_known {
            let mut r = ok(Value::Number(n), shown);
            let msg = format!(
                "指标 {} 的本期值是 {}，单位为 %：若本意是 {}%，请改填 {}",
                ind.id,
                format_number(n),
                format_number(tidy(n * 100.0)),
                format_number(tidy(n * 100.0)),
            );
            r.findings.push((Code::LooksLikeFraction, msg));
            return r;
        }
        let scaled = tidy(n * 100.0);
        let mut r = ok(Value::Number(scaled), shown);
        let msg = format!(
            "指标 {} 的本期值 {} 已按百分比读取为 {}%，请核对",
            ind.id,
            format_number(n),
            format_number(scaled)
        );
        r.findings.push((Code::FractionScaled, msg));
        return r;
    }
    ok(Value::Number(n), shown)
}

/// Whether a value in (0, 1] is implausible for the indicator (its standard is above 1 %).
fn threshold_above_one(ind: &Indicator) -> bool {
    match &ind.standard {
        Standard::Numeric { comparison } => comparison.threshold > 1.0,
        _ => true,
    }
}

fn range_problem(v: f64, ind: &Indicator) -> Option<String> {
    if !ind.is_percent() {
        return (v < 0.0 && !ind.signed).then(|| format!("指标 {} 的本期值不能为负数", ind.id));
    }
    let low = if ind.signed { -100.0 } else { 0.0 };
    (v < low || v > 100.0).then(|| {
        format!(
            "指标 {} 是百分比，本期值 {} 超出 {}–100 的范围",
            ind.id,
            format_number(v),
            format_number(low)
        )
    })
}

fn text_cell(raw: &str, ind: &Indicator, schema: &Schema, shown: String) -> Reading {
    let s = crate::text::nfkc(raw);
    if is_not_applicable_marker(&s) {
        return ok(Value::NotApplicable, shown);
    }
    match split_number(&s) {
        Some(Ok((n, suffix))) => number_text(n, suffix, ind, shown),
        Some(Err(())) => {
            let msg =
                format!("“{raw}”中的逗号无法判断是千位分隔符还是小数点：请去掉逗号，小数点用“.”");
            fail(shown, Code::AmbiguousSeparator, msg)
        }
        None => word_text(&s, ind, schema, shown),
    }
}

fn number_text(n: f64, suffix: &str, ind: &Indicator, shown: String) -> Reading {
    if ind.standard.is_qualitative() {
        return expected_word(ind, shown);
    }
    let suffix_key = crate::text::key(suffix);
    let measure = ind.measure_unit.as_deref().unwrap_or("");
    if suffix.is_empty() || (!suffix_key.is_empty() && suffix_key == crate::text::key(measure)) {
        return ok(Value::Number(n), shown);
    }
    if suffix == "%" && ind.is_percent() {
        return ok(Value::Number(n), shown);
    }
    let msg = format!(
        "“{shown}”的单位“{suffix}”与指标 {} 的单位“{}”不符：请按“{}”填写，只填数字",
        ind.id,
        if measure.is_empty() {
            "（无）"
        } else {
            measure
        },
        if measure.is_empty() {
            "（无）"
        } else {
            measure
        },
    );
    fail(shown, Code::WrongMeasureUnit, msg)
}

fn word_text(s: &str, ind: &Indicator, schema: &Schema, shown: String) -> Reading {
    if !ind.standard.is_qualitative() {
        let msg = format!(
            "指标 {} 应填写数值（单位 {}），“{shown}”不是数值：说明文字请写在备注栏",
            ind.id,
            ind.measure_unit.as_deref().unwrap_or("无")
        );
        return fail(shown, Code::ExpectedNumber, msg);
    }
    match schema.word(s) {
        Some(w) if ind.met.iter().chain(&ind.not_met).any(|x| x == w) => {
            ok(Value::Word(w.to_string()), shown)
        }
        _ => {
            let allowed: Vec<&str> = ind
                .met
                .iter()
                .chain(&ind.not_met)
                .map(String::as_str)
                .collect();
            let guess = closest(&crate::text::nfkc(s), &allowed)
                .map(|w| format!("。是否为“{w}”？"))
                .unwrap_or_default();
            let msg = format!(
                "指标 {} 只能填写：{}；“{shown}”不在其中{guess}",
                ind.id,
                allowed.join("、")
            );
            fail(shown, Code::WordNotAllowed, msg)
        }
    }
}

/// The allowed word a mistyped one most likely meant (“已建力” → “已建立”): the nearest by
/// edit distance, when at most a third of its characters differ.
fn closest<'a>(typed: &str, words: &[&'a str]) -> Option<&'a str> {
    let typed: Vec<char> = typed.chars().collect();
    words
        .iter()
        .map(|w| (edit_distance(&typed, &w.chars().collect::<Vec<_>>()), *w))
        .filter(|(d, w)| *d > 0 && *d * 3 <= w.chars().count().max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, w)| w)
}

fn edit_distance(a: &[char], b: &[char]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut row = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitute = prev.get(j).copied().unwrap_or(0) + usize::from(ca != cb);
            let delete = prev.get(j + 1).copied().unwrap_or(0) + 1;
            let insert = row.get(j).copied().unwrap_or(0) + 1;
            row.push(substitute.min(delete).min(insert));
        }
        prev = row;
    }
    prev.last().copied().unwrap_or(0)
}

/// Splits `1,234.5万元` into (1234.5, "万元"). `None` when the text does not start with a
/// number; `Some(Err)` when a comma makes it ambiguous (`155,7`).
pub fn split_number(s: &str) -> Option<Result<(f64, &str), ()>> {
    let bytes = s.as_bytes();
    let mut end = 0;
    if matches!(bytes.first(), Some(b'+') | Some(b'-')) {
        end = 1;
    }
    let digits_start = end;
    while bytes
        .get(end)
        .is_some_and(|b| b.is_ascii_digit() || *b == b'.' || *b == b',')
    {
        end += 1;
    }
    let body = &s[digits_start..end];
    if !body.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    let suffix = s[end..].trim();
    let plain = if body.contains(',') {
        if !thousands_ok(body) {
            return Some(Err(()));
        }
        body.replace(',', "")
    } else {
        body.to_string()
    };
    // 400 digits parse as infinity: not a number anyone typed.
    let n: f64 = match plain.parse() {
        Ok(n) if f64::is_finite(n) => n,
        _ => return None,
    };
    let n = if s.starts_with('-') { -n } else { n };
    Some(Ok((n, suffix)))
}

/// `1,234` and `12,345,678.5` are thousands; `155,7` and `1,23,4` are not.
fn thousands_ok(body: &str) -> bool {
    let (int, _frac) = body.split_once('.').unwrap_or((body, ""));
    if _frac.contains(',') {
        return false;
    }
    let mut groups = int.split(',');
    let first = groups.next().unwrap_or_default();
    !first.is_empty() && first.len() <= 3 && groups.all(|g| g.len() == 3)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema() -> Schema {
        Schema::builtin().unwrap()
    }

    #[test]
    fn a_mistyped_word_gets_the_word_it_most_likely_meant() {
        assert_eq!(closest("已建力", &["已建立", "正在编制"]), Some("已建立"));
        assert_eq!(closest("全面实", &["全面实施", "实施"]), Some("全面实施"));
        assert_eq!(closest("没有", &["已建立", "正在编制"]), None);
        assert_eq!(closest("已建立", &["已建立"]), None, "not a typo");
    }

    fn text(s: &str) -> Cell {
        Cell {
            row: 8,
            col: 5,
            value: CellValue::Text(s.into()),
            percent: false,
        }
    }

    fn num(n: f64, percent: bool) -> Cell {
        Cell {
            row: 8,
            col: 5,
            value: CellValue::Number(n),
            percent,
        }
    }

    fn read_as(id: &str, cell: Cell) -> Reading {
        let s = schema();
        let ind = s.indicator(id).unwrap().clone();
        read(Some(&cell), &ind, &s, None, true)
    }

    fn codes(r: &Reading) -> Vec<&'static str> {
        r.findings.iter().map(|(c, _)| c.id()).collect()
    }

    #[test]
    fn numbers_typed_in_many_ways() {
        for (typed, expected) in [
            ("87.5", 87.5),
            ("８７.５", 87.5),
            ("87.5%", 87.5),
            ("87.5％", 87.5),
            (" 87.5 ", 87.5),
            ("87.5 %", 87.5),
        ] {
            let r = read_as("7.1", text(typed));
            assert_eq!(r.value, Some(Value::Number(expected)), "{typed}");
            assert!(r.findings.is_empty(), "{typed}: {:?}", r.findings);
        }
    }

    #[test]
    fn a_number_followed_by_its_unit() {
        let r = read_as("7.2", text("25微克/立方米"));
        assert_eq!(r.value, Some(Value::Number(25.0)));
        let r = read_as("18", text("155.7立方米/万元"));
        assert_eq!(r.value, Some(Value::Number(155.7)));
        let r = read_as("18", text("155.7吨"));
        assert_eq!(codes(&r), ["value-unit"]);
        assert_eq!(read_as("7.2", text("25%")).value, None);
    }

    #[test]
    fn thousands_separators_and_ambiguous_commas() {
        assert_eq!(split_number("1,234.5"), Some(Ok((1234.5, ""))));
        assert_eq!(split_number("12,345,678"), Some(Ok((12345678.0, ""))));
        assert_eq!(split_number("155,7"), Some(Err(())));
        assert_eq!(split_number("1,23,4"), Some(Err(())));
        assert_eq!(split_number("1234,5678"), Some(Err(())));
        assert_eq!(split_number("已建立"), None);
        assert_eq!(split_number("-3.5"), Some(Ok((-3.5, ""))));
        assert_eq!(codes(&read_as("18", text("155,7"))), ["value-separator"]);
    }

    #[test]
    fn percent_formatted_cells_are_scaled_plain_fractions_are_not() {
        assert_eq!(
            read_as("7.1", num(0.875, true)).value,
            Some(Value::Number(87.5))
        );
        let r = read_as("7.1", num(0.871, true));
        assert_eq!(r.value, Some(Value::Number(87.1)));
        assert_eq!(r.text, "87.1%");
        let r = read_as("25", num(0.42, false));
        assert_eq!(r.value, Some(Value::Number(0.42)));
        assert_eq!(codes(&r), ["value-fraction"]);
    }

    #[test]
    fn without_formats_a_fraction_is_scaled_with_a_warning() {
        let s = schema();
        let ind = s.indicator("7.1").unwrap();
        let r = read(Some(&num(0.875, false)), ind, &s, None, false);
        assert_eq!(r.value, Some(Value::Number(87.5)));
        assert_eq!(codes(&r), ["value-fraction-scaled"]);
    }

    #[test]
    fn percent_range() {
        assert_eq!(
            codes(&read_as("25", num(120.0, false))),
            ["value-percent-range"]
        );
        assert_eq!(
            codes(&read_as("25", num(-1.0, false))),
            ["value-percent-range"]
        );
        assert_eq!(
            read_as("17", num(-2.5, false)).value,
            Some(Value::Number(-2.5))
        );
        assert_eq!(
            read_as("18", num(160.0, false)).value,
            Some(Value::Number(160.0))
        );
    }

    #[test]
    fn words_with_synonyms_and_outside_the_vocabulary() {
        assert_eq!(
            read_as("13", text("已建立")).value,
            Some(Value::Word("建立".into()))
        );
        assert_eq!(
            read_as("1", text("正在编制")).value,
            Some(Value::Word("正在编制".into()))
        );
        assert_eq!(
            read_as("15.1", text("面积不减少、性质不改变、功能不降低")).value,
            Some(Value::Word("面积不减少，性质不改变，功能不降低".into()))
        );
        assert_eq!(codes(&read_as("13", text("差不多"))), ["value-word"]);
        assert_eq!(codes(&read_as("13", text("有效开展"))), ["value-word"]);
        assert_eq!(codes(&read_as("13", num(1.0, false))), ["value-not-word"]);
        assert_eq!(codes(&read_as("25", text("较好"))), ["value-not-number"]);
    }

    #[test]
    fn not_applicable_needs_permission_and_a_reason() {
        let s = schema();
        let na = s.indicator("8.3").unwrap();
        let r = read(Some(&text("/")), na, &s, Some("全旗无黑臭水体"), true);
        assert_eq!(r.value, Some(Value::NotApplicable));
        let r = read(Some(&text("不涉及")), na, &s, Some("  "), true);
        assert_eq!(codes(&r), ["na-no-reason"]);
        let r = read(
            Some(&text("—")),
            s.indicator("25").unwrap(),
            &s,
            Some("理由"),
            true,
        );
        assert_eq!(codes(&r), ["na-not-allowed"]);
    }

    #[test]
    fn empty_dates_errors_and_booleans() {
        let s = schema();
        let ind = s.indicator("25").unwrap();
        assert_eq!(codes(&read(None, ind, &s, None, true)), ["value-empty"]);
        let date = Cell {
            row: 0,
            col: 0,
            value: CellValue::Date(46000.0),
            percent: false,
        };
        assert_eq!(
            codes(&read(Some(&date), ind, &s, None, true)),
            ["value-date"]
        );
        let err = Cell {
            row: 0,
            col: 0,
            value: CellValue::Error("#DIV/0!".into()),
            percent: false,
        };
        assert_eq!(
            codes(&read(Some(&err), ind, &s, None, true)),
            ["value-error"]
        );
    }
}
