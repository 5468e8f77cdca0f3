//! Snapshots of the large, stable outputs: what `schema --format json` says the plan defines,
//! and what `check --format json` finds in the shipped Q3 returns. A change shows as a diff
//! under tests/integration/snapshots/ to review (`INSTA_UPDATE=always cargo test snapshots` to
//! accept it), beside the hand-written tests that pin what each part must be.

use crate::support::run;

/// The JSON with keys sorted and indented, so that a diff shows fields, not lines moved.
fn pretty(stdout: &str) -> String {
    let v: serde_json::Value = serde_json::from_str(stdout).expect("JSON");
    serde_json::to_string_pretty(&v).expect("printable")
}

#[test]
fn schema_json() {
    let r = run(["schema", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    insta::assert_snapshot!(pretty(&r.stdout));
}

#[test]
fn check_json_of_the_q3_samples() {
    let r = run(["check", "samples/2026Q3", "--format", "json"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    insta::assert_snapshot!(pretty(&r.stdout));
}
