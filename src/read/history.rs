//! Earlier periods for `build --history DIR`: every 汇总表 this tool wrote under DIR, at any
//! depth, read back from its hidden `_data` sheet, which says which period it holds. A file
//! there that is not one (broken, foreign, of another schema version) is a warning naming it,
//! never a failure; two workbooks of one period: the later written wins, with a notice.

use super::previous::{read_snapshot, Snapshot};
use crate::period::{Period, HISTORY_QUARTERS};
use std::collections::BTreeMap;
use std::path::Path;

/// The earlier periods found, in order, and what the office should know about the rest.
#[derive(Debug, Default)]
pub struct History {
    pub snapshots: Vec<Snapshot>,
    pub notices: Vec<String>,
}

impl History {
    /// The last period before the one being built: it plays the part of `--previous`.
    pub fn last(&self) -> Option<&Snapshot> {
        self.snapshots.last()
    }
}

/// Reads every .xlsx under `dir` that holds a period before `current`, of `schema_version`.
pub fn scan(dir: &Path, current: Period, schema_version: &str) -> History {
    let mut history = History::default();
    let files = crate::inputs::collect(&[dir.to_path_buf()]).unwrap_or_default();
    let mut by_period: BTreeMap<Period, Snapshot> = BTreeMap::new();
    for input in files {
        let crate::inputs::Input::File(path) = input else {
            continue;
        };
        let is_workbook = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
        if !is_workbook {
            continue;
        }
        let shown = path.display();
        let snapshot = match read_snapshot(&path) {
            Ok(s) => s,
            Err(e) => {
                history.notices.push(format!(
                    "历史数据中的 {shown} 不是本工具生成的汇总表，已忽略（{e}）"
                ));
                continue;
            }
        };
        if snapshot
            .schema
            .as_deref()
            .is_some_and(|v| v != schema_version)
        {
            history.notices.push(format!(
                "历史数据中的 {shown} 按其他版本的指标体系（{}）生成，已忽略",
                snapshot.schema.as_deref().unwrap_or("")
            ));
            continue;
        }
        let Some(period) = snapshot.period else {
            history
                .notices
                .push(format!("历史数据中的 {shown} 没有报告期，已忽略"));
            continue;
        };
        if period >= current {
            continue; // this period's own outputs, or a later one: not history
        }
        if current.ordinal() - period.ordinal() >= HISTORY_QUARTERS {
            history.notices.push(format!(
                "历史数据中的 {shown} 是{}的汇总表，早于趋势所列的最近{}个季度，已忽略",
                period.chinese(),
                HISTORY_QUARTERS
            ));
            continue;
        }
        if !snapshot.unusable.is_empty() {
            history.notices.push(format!(
                "历史数据中的 {shown} 里{}的数值不是有效数字，按无数值处理（该文件可能被手工改过）",
                snapshot.unusable.join("、")
            ));
        }
        match by_period.get(&period) {
            Some(kept) if kept.written >= snapshot.written => {
                history.notices.push(format!(
                    "{}有两份汇总表：采用较晚生成的 {}，未用 {shown}",
                    period.chinese(),
                    kept.file.display()
                ));
            }
            Some(kept) => {
                history.notices.push(format!(
                    "{}有两份汇总表：采用较晚生成的 {shown}，未用 {}",
                    period.chinese(),
                    kept.file.display()
                ));
                by_period.insert(period, snapshot);
            }
            None => {
                by_period.insert(period, snapshot);
            }
        }
    }
    history.snapshots = by_period.into_values().collect();
    history
}
