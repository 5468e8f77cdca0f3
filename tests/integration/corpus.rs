//! The foreign corpus (`../shared/corpus/foreign`: 132 spreadsheets from calamine's tests). It
//! lies beside the repository, not in it, so these tests are ignored by the README's test
//! command (which must pass on a fresh clone) and run by `.ci/run` as a step of their own when
//! the corpus is there.

use crate::support::repo;
use serde_json::Value;
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn corpus() -> PathBuf {
    let dir = repo().join("../shared/corpus/foreign");
    assert!(dir.is_dir(), "the corpus is expected beside the repository");
    dir
}

fn check_json(path: &std::path::Path) -> (i32, Value) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_eco-returns"))
        .arg("check")
        .arg(path)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let json = serde_json::from_slice(&out.stdout).unwrap();
    (out.status.code().unwrap_or(-1), json)
}

#[test]
#[ignore = "needs ../shared/corpus; .ci/run runs it"]
fn every_file_of_the_foreign_corpus_gets_an_answer() {
    let corpus = corpus();
    let count = std::fs::read_dir(&corpus).unwrap().count();
    let start = Instant::now();
    let (code, json) = check_json(&corpus);
    assert!(start.elapsed() < Duration::from_secs(120));
    assert_eq!(code, 1);
    let files = json["files"].as_array().unwrap();
    assert_eq!(files.len(), count);
    for f in files {
        assert!(
            !f["diagnostics"].as_array().unwrap().is_empty(),
            "{} got no diagnostic",
            f["file"]
        );
    }
}

#[test]
#[ignore = "needs ../shared/corpus; .ci/run runs it"]
fn an_xlsb_renamed_to_xlsx_is_read_as_xlsb_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let renamed = dir.path().join("date.xlsx");
    std::fs::copy(corpus().join("date.xlsb"), &renamed).unwrap();
    let (_, json) = check_json(&renamed);
    let file = &json["files"][0];
    assert_eq!(file["format"], "xlsb", "{file}");
    let codes: Vec<&str> = file["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"extension-mismatch"), "{codes:?}");
    assert!(!codes.contains(&"file-corrupt"), "{codes:?}");
}
