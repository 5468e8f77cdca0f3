//! Filesystem faults: unreadable files, symlink loops, a full disk, an interrupted build.
//! Tests run as root, where permissions do not stop reads, so privileges are dropped with
//! `setpriv` where that matters.

use crate::support::repo;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_eco-returns")
}

/// `build` of the Q3 samples into `target`, not yet run.
fn build_into(target: &Path) -> Command {
    let mut c = Command::new(bin());
    c.args(["build", "samples/2026Q3", "--period", "2026Q3", "--out"])
        .arg(target)
        .current_dir(repo());
    c
}

fn copy_samples(to: &Path) {
    crate::support::copy_samples("2026Q3", to);
}

#[test]
fn an_unreadable_file_is_a_diagnostic_not_a_failure() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let returns = dir.path().join("returns");
    copy_samples(&returns);
    std::fs::set_permissions(&returns, std::fs::Permissions::from_mode(0o755)).unwrap();
    let locked = returns.join("2026Q3_水务局_填报表.xlsx");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    let out = Command::new("setpriv")
        .args([
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            bin(),
            "check",
            returns.to_str().unwrap(),
            "--format",
            "json",
        ])
        .current_dir(dir.path())
        .output()
        .expect("setpriv runs");
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let f = json["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["file"].as_str().unwrap().ends_with("水务局_填报表.xlsx"))
        .unwrap();
    assert_eq!(f["diagnostics"][0]["code"], "file-unreadable");
    assert_eq!(
        json["files"].as_array().unwrap().len(),
        21,
        "the others are still read"
    );
}

#[test]
fn a_symlink_loop_is_walked_once() {
    let dir = tempfile::tempdir().unwrap();
    copy_samples(&dir.path().join("q3"));
    std::os::unix::fs::symlink("..", dir.path().join("q3/back")).unwrap();
    std::os::unix::fs::symlink(".", dir.path().join("q3/self")).unwrap();
    let out = Command::new(bin())
        .args(["check", dir.path().to_str().unwrap(), "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["files"].as_array().unwrap().len(), 21);
}

#[test]
fn a_full_disk_is_exit_2_and_leaves_no_output() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("q3");
    // 40 blocks of 512 bytes: 汇总表.xlsx (about 50 KB) cannot be written. SIGXFSZ is ignored
    // so that the write fails with EFBIG, as on a full disk, instead of killing the process.
    let script = format!(
        "trap '' XFSZ; ulimit -f 40; exec '{}' build samples/2026Q3 --period 2026Q3 --out '{}'",
        bin(),
        target.display()
    );
    let out = Command::new("sh")
        .args(["-c", &script])
        .current_dir(repo())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("无法写入"));
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "neither the output nor its staging folder"
    );
}

#[test]
fn an_interrupted_build_never_leaves_a_half_written_output() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("q3");
    let first = build_into(&target).output().unwrap();
    assert_eq!(first.status.code(), Some(1));
    let before = std::fs::read(target.join("汇总表.xlsx")).unwrap();
    // Kill a second build at several points: the output is always the old one or a whole new one.
    for delay_ms in [5u64, 20, 60, 150] {
        let mut child = build_into(&target).spawn().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        let names: Vec<String> = std::fs::read_dir(&target)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            names.contains(&"汇总表.xlsx".to_string())
                && names.contains(&"评估报告.docx".to_string()),
            "{names:?}"
        );
        assert_eq!(
            std::fs::read(target.join("汇总表.xlsx")).unwrap(),
            before,
            "the same inputs give the same bytes"
        );
    }
    // A stale staging folder from a killed build is cleared by the next one.
    std::fs::create_dir(dir.path().join(".q3.tmp-999999")).unwrap();
    let again = build_into(&target).output().unwrap();
    assert_eq!(again.status.code(), Some(1));
    let hidden = crate::support::hidden_entries(dir.path());
    assert!(hidden.is_empty(), "{hidden:?}");
}

#[test]
fn check_leaves_inputs_untouched() {
    let stamp = |p: &Path| {
        (
            std::fs::read(p).unwrap(),
            std::fs::metadata(p).unwrap().modified().unwrap(),
        )
    };
    let files: Vec<_> = std::fs::read_dir(repo().join("samples/malformed"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    let before: Vec<_> = files.iter().map(|p| stamp(p)).collect();
    let out = Command::new(bin())
        .args(["check", "samples/malformed"])
        .current_dir(repo())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let after: Vec<_> = files.iter().map(|p| stamp(p)).collect();
    assert!(before == after, "an input changed");
}

#[test]
fn template_on_a_full_disk_leaves_no_part_of_the_set() {
    // The forms are 10–15 KB; at 25 blocks of 512 bytes the larger ones cannot be written, after
    // some smaller ones were (the order is the unit list's).
    for blocks in [21, 25] {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("forms");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join("说明.txt"), "office's own file").unwrap();
        let script = format!(
            "trap '' XFSZ; ulimit -f {blocks}; exec '{}' template --period 2026Q3 --out '{}'",
            bin(),
            out.display()
        );
        let run = Command::new("sh").args(["-c", &script]).output().unwrap();
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(2), "{blocks}: {stderr}");
        assert!(stderr.contains("没有生成任何填报表"), "{stderr}");
        let left: Vec<String> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(left, vec!["说明.txt".to_string()], "{blocks} blocks");
    }
}
