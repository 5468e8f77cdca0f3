//! Checks across returns: the period being checked, one return per unit, values a unit
//! reported for another unit's indicator, and units that sent nothing.

use super::Entry;
use super::{Code, Diagnostic, Return};
use crate::period::Period;
use crate::read::previous::Previous;
use crate::schema::Indicator;
use crate::schema::Schema;
use crate::text::format_number;
use std::collections::BTreeMap;

/// The period most returns carry (the latest on a tie).
pub fn majority_period(returns: &[Return]) -> Option<Period> {
    let mut counts: BTreeMap<Period, usize> = BTreeMap::new();
    for p in returns.iter().filter_map(|r| r.period) {
        *counts.entry(p).or_default() += 1;
    }
    counts
        .into_iter()
        .max_by_key(|(p, n)| (*n, *p))
        .map(|(p, _)| p)
}

/// Flags returns of another period; returns the top-level diagnostics and the units missing.
pub fn check(
    returns: &mut [Return],
    period: Period,
    schema: &Schema,
) -> (Vec<Diagnostic>, Vec<String>) {
    if period.is_annual() {
        fourth_quarters_for_the_year(returns, period);
    }
    for r in returns.iter_mut() {
        if let Some(p) = r.period.filter(|p| *p != period) {
            let mut d = Diagnostic::new(
                Code::PeriodOther,
                format!(
                    "报告期是 {p}（{}），本次检查的是 {period}（{}）",
                    p.chinese(),
                    period.chinese()
                ),
            )
            .value(p.to_string());
            if let Some((sheet, cell)) = &r.period_cell {
                d = d.at_cell(sheet, *cell);
            }
            r.diagnostics.push(d);
        }
    }
    duplicates(returns, period);
    conflicts(returns);
    let mut top = Vec::new();
    let mut missing = Vec::new();
    for unit in schema.reporting_units() {
        let sent = returns
            .iter()
            .any(|r| r.unit.as_deref() == Some(&unit.name) && r.period == Some(period));
        if !sent {
            missing.push(unit.name.clone());
            top.push(Diagnostic::new(
                Code::UnitNotReturned,
                format!(
                    "{}本期（{}）没有报送填报表：请催报",
                    unit.name,
                    period.chinese()
                ),
            ));
        }
    }
    (top, missing)
}

/// In a year's build, a unit that sent no annual return but its fourth quarter's has that
/// return stand for the year: noticed, and each annual row whose value is of an earlier year
/// flagged as older data (the year's own figures are what the year is assessed on).
fn fourth_quarters_for_the_year(returns: &mut [Return], year: Period) {
    let q4 = year.last_quarter();
    let has_annual: std::collections::BTreeSet<String> = returns
        .iter()
        .filter(|r| r.period == Some(year))
        .filter_map(|r| r.unit.clone())
        .collect();
    for r in returns.iter_mut() {
        let Some(unit) = r.unit.clone() else { continue };
        if r.period != Some(q4) || has_annual.contains(&unit) {
            continue;
        }
        r.period = Some(year);
        r.diagnostics.push(Diagnostic::new(
            Code::AnnualFromQ4,
            format!(
                "{unit}没有报送{}填报表，按其{}填报表汇总全年",
                year.chinese(),
                q4.chinese()
            ),
        ));
        let older: Vec<Diagnostic> = r
            .entries
            .iter()
            .filter(|e| e.data_year.is_some_and(|y| y < year.year))
            .map(|e| {
                Diagnostic::new(
                    Code::DataYearOld,
                    format!(
                        "指标 {} 报送的是{}年度的数值，不是{}：如已有{}年的数据，请报送年度填报表改填",
                        e.indicator,
                        e.data_year.unwrap_or_default(),
                        year.chinese(),
                        year.year
                    ),
                )
                .at_cell(&e.source.sheet, e.source.cell)
                .indicator(&e.indicator)
            })
            .collect();
        r.diagnostics.extend(older);
    }
}

/// One file of a unit: its index among the returns and its name.
type Copy<'a> = (usize, &'a str);

/// How many other files a duplicate message names.
const MAX_NAMED: usize = 5;

/// One return per unit and period: identical copies count once, different ones are errors
/// on every copy, each naming the others. Linear: returns are grouped by unit first.
fn duplicates(returns: &mut [Return], period: Period) {
    let mut by_unit: BTreeMap<String, Vec<(usize, String, String)>> = BTreeMap::new();
    for (i, r) in returns.iter().enumerate() {
        if let (Some(u), Some(p)) = (&r.unit, r.period) {
            if p == period {
                by_unit
                    .entry(u.clone())
                    .or_default()
                    .push((i, r.sha256.clone(), r.path_text()));
            }
        }
    }
    let revision: Vec<u32> = returns.iter().map(|r| r.revision).collect();
    let mut found: BTreeMap<usize, (Diagnostic, Option<std::path::PathBuf>)> = BTreeMap::new();
    for (unit, copies) in by_unit.into_iter().filter(|(_, v)| v.len() > 1) {
        let mut first_by_hash: BTreeMap<&str, &str> = BTreeMap::new();
        let mut distinct: Vec<(usize, &str)> = Vec::new();
        for (i, sha, file) in &copies {
            match first_by_hash.get(sha.as_str()) {
                Some(original) => {
                    let msg = format!("与 {original} 内容完全相同（{unit}的重复报送），只计一次");
                    found.insert(
                        *i,
                        (
                            Diagnostic::new(Code::DuplicateIdentical, msg),
                            Some(original.into()),
                        ),
                    );
                }
                None => {
                    first_by_hash.insert(sha, file);
                    distinct.push((*i, file));
                }
            }
        }
        // A later revision (a corrected returned copy) supersedes the earlier ones: a notice,
        // not a conflict. Only copies of the same, latest revision conflict.
        let latest = distinct
            .iter()
            .filter_map(|(i, _)| revision.get(*i))
            .max()
            .copied()
            .unwrap_or(0);
        let (current, older): (Vec<Copy>, Vec<Copy>) = distinct
            .iter()
            .partition(|(i, _)| revision.get(*i) == Some(&latest));
        if let Some((_, newest)) = current.first() {
            for (i, _) in &older {
                let msg = format!(
                    "{unit}的这份填报表已被修改稿 {newest}（第 {latest} 次修改）取代，不计入汇总"
                );
                found.insert(
                    *i,
                    (
                        Diagnostic::new(Code::Superseded, msg),
                        Some((*newest).into()),
                    ),
                );
            }
        }
        let distinct = current;
        if distinct.len() > 1 {
            for (i, file) in &distinct {
                // Name a few of the others, not all: a province-wide run may hold hundreds
                // of copies, and listing every one in every message is quadratic.
                let others: Vec<&str> = distinct
                    .iter()
                    .map(|(_, f)| *f)
                    .filter(|f| f != file)
                    .take(MAX_NAMED)
                    .collect();
                let more = (distinct.len() - 1).saturating_sub(MAX_NAMED);
                let tail = if more > 0 {
                    format!(" 等（另有 {more} 份）")
                } else {
                    String::new()
                };
                let msg = format!(
                    "{unit}本期报送了内容不同的多份文件，另见：{}{tail}。请确认以哪一份为准，删除其余的",
                    others.join("、")
                );
                found.insert(*i, (Diagnostic::new(Code::DuplicateConflicting, msg), None));
            }
        }
    }
    for (i, r) in returns.iter_mut().enumerate() {
        if let Some((d, original)) = found.remove(&i) {
            r.diagnostics.push(d);
            if original.is_some() {
                r.duplicate_of = original;
            }
        }
    }
}

/// A value reported by a unit not assigned the indicator, compared with the assigned unit's.
fn conflicts(returns: &mut [Return]) {
    let mut assigned: BTreeMap<String, (String, String, Option<crate::value::Value>)> =
        BTreeMap::new();
    for r in returns.iter().filter(|r| r.duplicate_of.is_none()) {
        for e in &r.entries {
            let unit = r.unit.clone().unwrap_or_default();
            assigned.entry(e.indicator.clone()).or_insert((
                unit,
                e.text.clone(),
                Some(e.value.clone()),
            ));
        }
    }
    for r in returns.iter_mut() {
        let mut found = Vec::new();
        for e in &r.stray {
            if let Some((unit, text, value)) = assigned.get(&e.indicator) {
                if value.as_ref() != Some(&e.value) {
                    found.push(
                        Diagnostic::new(
                            Code::IndicatorConflict,
                            format!(
                                "指标 {} 本单位填的是“{}”，负责单位{}填的是“{}”：请核实",
                                e.indicator, e.text, unit, text
                            ),
                        )
                        .at_cell(&e.source.sheet, e.source.cell)
                        .indicator(&e.indicator)
                        .value(e.text.clone()),
                    );
                }
            }
        }
        r.diagnostics.extend(found);
    }
}

/// Values that moved by more than 30 % (at least 1 unit) from the comparable earlier value
/// (by the row's 口径: last quarter, the same quarter last year, the previous data year),
/// both written as assessed (`46.2%`, not the clerk's `46.2％`); and annual values restated: the same data
/// year's value reported differently in an earlier period.
pub fn large_changes(checked: &mut super::Checked, previous: &Previous, schema: &Schema) {
    for ret in checked.returns.iter_mut() {
        let Some(now) = ret.period else {
            continue;
        };
        let mut found = Vec::new();
        for e in &ret.entries {
            let Some(ind) = schema.indicator(&e.indicator) else {
                continue;
            };
            let unit = ind
                .measure_unit
                .as_deref()
                .filter(|u| *u != "—")
                .unwrap_or("");
            let at = |d: Diagnostic| {
                d.at_cell(&e.source.sheet, e.source.cell)
                    .indicator(&e.indicator)
                    .value(e.text.clone())
            };
            if let Some(d) = restated(e, ind, previous, unit) {
                found.push(at(d));
                continue;
            }
            let Some(c) = previous.comparable(ind, now, e.data_year) else {
                continue;
            };
            let (Some(value), Some(before)) = (e.value.number(), c.row.value) else {
                continue;
            };
            if (value - before).abs() > 0.3 * before.abs().max(1.0) {
                found.push(at(Diagnostic::new(
                    Code::LargeChange,
                    format!(
                        "指标 {} 本期值 {}{unit} 较{} {}{unit} 变化较大：请核实数据，确认无误可忽略",
                        e.indicator,
                        format_number(value),
                        c.basis.label(),
                        format_number(before)
                    ),
                )));
            }
        }
        ret.diagnostics.extend(found);
    }
}

/// An annual value that differs from what an earlier period reported for the same data year.
fn restated(e: &Entry, ind: &Indicator, previous: &Previous, unit: &str) -> Option<Diagnostic> {
    let year = e.data_year?;
    let (period, row) = previous
        .same_year(ind, year)
        .filter(|(_, r)| r.value.is_some() || !r.text.is_empty())
        .last()?;
    let differs = match (e.value.number(), row.value) {
        (Some(now), Some(then)) => (now - then).abs() > 1e-9 * now.abs().max(1.0),
        _ => crate::text::key(&e.text) != crate::text::key(&row.text),
    };
    let then = row
        .value
        .map(format_number)
        .unwrap_or_else(|| row.text.clone());
    let when = period.map_or("上期".to_string(), |p| p.chinese());
    differs.then(|| {
        let year_note = if e.year_assumed { "（未填数据年份，按该年度读取）" } else { "" };
        Diagnostic::new(
            Code::DataYearRestated,
            format!(
                "指标 {} 报送的{year}年度数值 {}{unit}{year_note}与{when}报送的同一年度数值 {then}{unit} 不同：请核实哪个正确，修订的请在备注说明",
                e.indicator,
                e.value.number().map(format_number).unwrap_or_else(|| e.text.clone()),
            ),
        )
    })
}
