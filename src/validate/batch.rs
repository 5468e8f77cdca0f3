//! Validating many files: in parallel, results in input order, then the cross-return checks.

use super::{cross, Code, Diagnostic, Return};
use crate::inputs::Input;
use crate::period::Period;
use crate::read::Limits;
use crate::schema::Schema;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Everything `check` found.
#[derive(Debug)]
pub struct Checked {
    pub period: Option<Period>,
    pub returns: Vec<Return>,
    /// Findings that belong to no single file.
    pub diagnostics: Vec<Diagnostic>,
    pub missing_units: Vec<String>,
    /// Whether the inputs were a period's folder, so that units without a return are 未报送;
    /// a `check` of files named one by one says nothing of the units it was not given.
    pub units_counted: bool,
}

impl Checked {
    /// Forgets the units that sent nothing: the inputs were files, not a period's folder.
    pub fn files_only(&mut self) {
        self.units_counted = false;
        self.missing_units.clear();
        self.diagnostics.retain(|d| d.code != Code::UnitNotReturned);
    }
}

/// The period asked for is on no return, while most returns carry one other period: the
/// period was mistyped (or the folder is another quarter's), and building it would reject every
/// return and send all of them back.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error(
    "要汇总的是{}（{asked}），但没有一份填报表是这个报告期的：{with_period} 份填了报告期的填报表中，{count} 份是{}（{carried}）。如要汇总{}，请改用 --period {carried}；如确是{}，请检查是否选错了文件夹",
    asked.chinese(), carried.chinese(), carried.chinese(), asked.chinese()
)]
pub struct WrongPeriod {
    pub asked: Period,
    pub carried: Period,
    pub count: usize,
    pub with_period: usize,
}

impl Checked {
    /// [`WrongPeriod`] when the returns say so.
    pub fn wrong_period(&self, asked: Period) -> Option<WrongPeriod> {
        let mut counts: std::collections::BTreeMap<Period, usize> = Default::default();
        for p in self
            .returns
            .iter()
            .filter(|r| r.duplicate_of.is_none())
            .filter_map(|r| r.period)
        {
            *counts.entry(p).or_default() += 1;
        }
        let with_period: usize = counts.values().sum();
        if counts.contains_key(&asked) {
            return None;
        }
        let (carried, count) = counts.into_iter().max_by_key(|(p, n)| (*n, *p))?;
        (count * 2 > with_period).then_some(WrongPeriod {
            asked,
            carried,
            count,
            with_period,
        })
    }

    pub fn any_rejected(&self) -> bool {
        self.returns
            .iter()
            .any(|r| r.status() == super::ReturnStatus::Rejected)
    }
}

/// Reads and validates `inputs` on `threads` threads; `progress` is told of each file done.
pub fn check_all(
    inputs: &[Input],
    period: Option<Period>,
    schema: &Schema,
    limits: &Limits,
    threads: usize,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Checked {
    let done = AtomicUsize::new(0);
    let returns = crate::parallel::map(inputs, threads, |input| {
        let r = validate_input(input, schema, limits);
        progress(done.fetch_add(1, Ordering::Relaxed) + 1, inputs.len());
        r
    });
    cross_check(returns, period, schema)
}

/// The checks across returns (period, duplicates, conflicts, units that sent nothing) over
/// returns validated one by one: `check_all` ends here, and so does the portal, which keeps
/// each file's result until the file changes.
pub fn cross_check(mut returns: Vec<Return>, period: Option<Period>, schema: &Schema) -> Checked {
    let period = period.or_else(|| cross::majority_period(&returns));
    let (diagnostics, missing_units) = match period {
        Some(p) => cross::check(&mut returns, p, schema),
        None => (Vec::new(), Vec::new()),
    };
    // Only now is each return's fate known: one that consolidates nothing holds its rows back,
    // and the counts say so rather than call them consolidated.
    for r in &mut returns {
        if !r.consolidates() {
            r.rows.held += std::mem::take(&mut r.rows.consolidated);
        }
    }
    Checked {
        period,
        returns,
        diagnostics,
        missing_units,
        units_counted: true,
    }
}

/// One input on its own: a file read and validated, or the diagnostic of what it is not.
pub fn validate_input(input: &Input, schema: &Schema, limits: &Limits) -> Return {
    match input {
        Input::File(path) if crate::read::is_spreadsheet(path) => super::validate_file(path, schema, limits),
        Input::File(path) => not_a_return(path, Diagnostic::new(
            Code::NotAReturn,
            "不是表格文件（扩展名不是 .xlsx/.xlsm/.xls/.et/.ods），未读取：如是填报表，请另存为 .xlsx",
        )),
        Input::Unlistable { path, reason } => not_a_return(path, Diagnostic::new(Code::FileUnreadable, format!("无法读取文件夹：{reason}"))),
        Input::OutsideLink { target, .. } => not_a_return(path_of(input), Diagnostic::new(
            Code::LinkOutside,
            format!("这是一个链接，指向本文件夹以外的“{}”，未读取", target.display()),
        )),
    }
}

fn path_of(input: &Input) -> &Path {
    match input {
        Input::File(path) | Input::Unlistable { path, .. } | Input::OutsideLink { path, .. } => {
            path
        }
    }
}

fn not_a_return(path: &Path, d: Diagnostic) -> Return {
    let mut r = Return::empty(path);
    r.diagnostics.push(d);
    r
}
