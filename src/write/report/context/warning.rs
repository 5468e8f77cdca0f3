//! The 预警 section: rows by signal, the 黄 ones with their reasons, each department's rows.

use super::{DepartmentSignals, WarningLine, WarningSection};
use crate::assess::{Assessment, Reason, Signal, Warnings};
use crate::write::wording::{amount, reason_text, target_text};

/// A met row short of its 2025 plan target, named with that target: `≥92%，尚差0.4个百分点`.
fn missed_2025(a: &Assessment, w: &Warnings, i: usize) -> Option<WarningLine> {
    let row = a.rows.get(i)?;
    let gap = w.rows.get(i)?.reasons.iter().find_map(|r| match r {
        Reason::Missed2025 { gap } => Some(*gap),
        _ => None,
    })?;
    Some(WarningLine {
        id: row.id.to_string(),
        name: row.indicator.full_name(),
        department: row.department.to_string(),
        reasons: format!(
            "{}，尚差{}",
            target_text(&row.indicator.target_2025.text, row),
            amount(gap, row)
        ),
    })
}

pub(super) fn warning_section(a: &Assessment, w: &Warnings) -> WarningSection {
    let count = |s: Signal| w.rows.iter().filter(|r| r.signal == s).count();
    let line = |i: usize| -> Option<WarningLine> {
        let row = a.rows.get(i)?;
        let reasons: Vec<String> = w
            .rows
            .get(i)?
            .reasons
            .iter()
            .map(|r| reason_text(r, row))
            .collect();
        (!reasons.is_empty()).then(|| WarningLine {
            id: row.id.to_string(),
            name: row.indicator.full_name(),
            department: row.department.to_string(),
            reasons: reasons.join("；"),
        })
    };
    let yellow: Vec<usize> = (0..a.rows.len())
        .filter(|&i| w.signal(i) == Signal::Yellow)
        .collect();
    let only_no_data = |i: &usize| {
        w.rows
            .get(*i)
            .is_some_and(|r| r.reasons.iter().all(|x| matches!(x, Reason::NoData { .. })))
    };
    let ids = |rows: &[(usize, Signal)], s: Signal| -> String {
        let named: Vec<&str> = rows
            .iter()
            .filter(|(_, x)| *x == s)
            .filter_map(|(i, _)| a.rows.get(*i).map(|r| r.id))
            .collect();
        if named.is_empty() {
            "—".to_string()
        } else {
            named.join("、")
        }
    };
    WarningSection {
        red: count(Signal::Red),
        yellow: count(Signal::Yellow),
        green: count(Signal::Green),
        yellow_rows: yellow
            .iter()
            .filter(|i| !only_no_data(i))
            .filter_map(|&i| line(i))
            .collect(),
        no_data: yellow.iter().filter(|i| only_no_data(i)).count(),
        missed_2025: yellow
            .iter()
            .filter_map(|&i| missed_2025(a, w, i))
            .collect(),
        departments: w
            .by_department(a)
            .into_iter()
            .map(|(d, rows)| DepartmentSignals {
                department: d.to_string(),
                red: rows.iter().filter(|(_, s)| *s == Signal::Red).count(),
                yellow: rows.iter().filter(|(_, s)| *s == Signal::Yellow).count(),
                green: rows.iter().filter(|(_, s)| *s == Signal::Green).count(),
                red_rows: ids(&rows, Signal::Red),
                yellow_rows: ids(&rows, Signal::Yellow),
            })
            .collect(),
    }
}
