//! The history reader: any bytes as an 汇总表 under `--history` never panic, and every value
//! it hands the trend (or the projects' work since) is a finite number within `MAX_VALUE`.
#![no_main]

use eco_returns::read::previous::{read_snapshot, MAX_VALUE};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let dir = std::env::temp_dir().join(format!("eco-fuzz-history-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join("汇总表.xlsx");
    if std::fs::write(&path, data).is_err() {
        return;
    }
    if let Ok(snapshot) = read_snapshot(&path) {
        for (id, row) in &snapshot.rows {
            if let Some(v) = row.value {
                assert!(v.is_finite() && v.abs() <= MAX_VALUE, "{id}: {v}");
            }
        }
        // The projects' 累计完成 feed 本期/本年完成投资: the same bound.
        for (no, project) in &snapshot.projects {
            if let Some(v) = project.completed {
                assert!(v.is_finite() && v.abs() <= MAX_VALUE, "工程{no}: {v}");
            }
        }
    }
});
