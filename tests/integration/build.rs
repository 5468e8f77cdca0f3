//! `build` on the shipped samples: assessment, workbook, annotated copies, determinism,
//! `--previous`, and what it must never do to inputs and outputs.

use crate::support::{repo, run};
use eco_returns::read::{self, CellValue, Limits};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

fn build(dir: &str, period: &str, out: &Path, extra: &[&str]) -> (i32, Value) {
    let mut args = vec![
        "build",
        dir,
        "--period",
        period,
        "--out",
        out.to_str().unwrap(),
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    let r = run(&args);
    assert!(r.code == 0 || r.code == 1, "exit {}: {}", r.code, r.stderr);
    (r.code, r.json())
}

/// The element of the array `list` whose `key` is `value`.
fn find_in<'a>(list: &'a Value, key: &str, value: &str) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|e| e[key] == value)
        .unwrap_or_else(|| panic!("no {key} = {value}"))
}

fn by_id(json: &Value) -> BTreeMap<String, Value> {
    json["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["id"].as_str().unwrap().to_string(), i.clone()))
        .collect()
}

#[test]
fn statuses_counts_and_projects_of_the_samples() {
    let out = tempfile::tempdir().unwrap();
    let (code, json) = build("samples/2026Q3", "2026Q3", &out.path().join("q3"), &[]);
    assert_eq!(code, 1, "财政局's return is rejected");
    let ind = by_id(&json);
    assert_eq!(ind.len(), 44);
    for id in ["1", "3", "8.2", "24", "28"] {
        assert_eq!(ind[id]["status"], "未达标", "{id}");
    }
    // 17's superior target belongs to the ended 十三五 and no current one is recorded.
    assert_eq!(ind["17"]["status"], "待核实");
    for id in ["2", "7.1", "7.2", "12", "15.1", "15.2", "16", "25", "31"] {
        assert_eq!(ind[id]["status"], "达标", "{id}");
    }
    for id in ["8.1", "11.3"] {
        assert_eq!(ind[id]["status"], "不适用", "{id}");
    }
    assert_eq!(ind["32"]["status"], "缺数据");
    assert_eq!(ind["32"]["missing_reason"], "退回修改");
    assert_eq!(ind["7.1"]["parent"], "7");
    assert!(ind["25"]["parent"].is_null());
    // 28 is 46.2 against ≥80: 33.8 short of the standard, 43.8 short of the 2025 target (≥90).
    assert!((ind["28"]["gap"].as_f64().unwrap() - 33.8).abs() < 1e-9);
    assert!((ind["28"]["gap_2025"].as_f64().unwrap() - 43.8).abs() < 1e-9);
    assert!((ind["28"]["vs_baseline"].as_f64().unwrap() - (46.2 - 3.04)).abs() < 1e-9);

    let a = &json["assessment"];
    // 35 indicators: 5 unmet (1, 3, 8, 24, 28), 17 待核实, 32 without data, the rest met.
    assert_eq!(a["counts"]["unmet"], 5);
    assert_eq!(a["counts"]["pending"], 1);
    assert_eq!(a["counts"]["no_data"], 1);
    assert_eq!(a["counts"]["met"], 28);
    assert_eq!(a["by_attribute"]["约束性"]["met"], 14);
    assert_eq!(a["by_attribute"]["约束性"]["pending"], 1);
    // 14 of the 19 binding indicators that can be assessed: 17 is left out, not counted unmet.
    assert!((a["binding_rate"].as_f64().unwrap() - 14.0 * 100.0 / 19.0).abs() < 1e-9);
    assert_eq!(a["qualifies"], false);
    let group8 = find_in(&a["groups"], "id", "8");
    assert_eq!(
        group8["status"], "未达标",
        "a parent is unmet when a sub-row is"
    );

    // Projects: planned investment from the schema, completion from the returns.
    let total = &a["total"];
    assert_eq!(total["projects"], 30);
    assert_eq!(total["reported"], 29, "万家沟水库灌区管理处 sent nothing");
    assert!((total["investment"].as_f64().unwrap() - 356_387.32).abs() < 0.005);
    let completed: f64 = a["projects"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["entry"]["completed"].as_f64())
        .sum();
    assert!((total["completed"].as_f64().unwrap() - completed).abs() < 0.005);
    let economy = find_in(&a["systems"], "system", "生态经济");
    assert!((economy["investment"].as_f64().unwrap() - 237_504.0).abs() < 0.005);
    let sum: f64 = a["systems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["investment"].as_f64().unwrap())
        .sum();
    assert!((sum - total["investment"].as_f64().unwrap()).abs() < 0.005);
    assert_eq!(
        json["missing_units"],
        serde_json::json!(["万家沟水库灌区管理处"])
    );
}

#[test]
fn a_rejected_return_comes_back_annotated_on_the_bad_cell() {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("q3");
    build("samples/2026Q3", "2026Q3", &dir, &[]);
    let copy = dir.join("退回修改/2026Q3_财政局_退回修改.xlsx");
    assert!(copy.is_file());
    let (_, book) = read::open(&copy, &Limits::default()).unwrap();
    assert_eq!(book.sheets[0].name, "修改说明");
    let listed: Vec<String> = book.sheets[0]
        .cells
        .iter()
        .map(|c| c.value.display())
        .collect();
    assert!(
        listed
            .iter()
            .any(|t| t.contains("99,55") || t.contains("逗号")),
        "{listed:?}"
    );
    // The original cells are all there, the bad one with its value.
    let sheet = book.sheets.iter().find(|s| s.name == "指标填报").unwrap();
    let f6 = sheet
        .cells
        .iter()
        .find(|c| c.row == 5 && c.col == 5)
        .unwrap();
    assert_eq!(f6.value, CellValue::Text("99,55".into()));
    let entries = crate::support::zip_texts(&copy);
    let comments = entries
        .iter()
        .find(|(n, _)| n.starts_with("xl/comments"))
        .map(|(_, s)| s.clone())
        .unwrap_or_default();
    assert!(comments.contains("ref=\"F6\""), "a note on F6");
    assert!(comments.contains("逗号"), "the note says what is wrong");
}

#[test]
fn the_workbook_read_back_has_every_indicator_and_its_sheets() {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("q3");
    build("samples/2026Q3", "2026Q3", &dir, &[]);
    let (_, book) = read::open(&dir.join("汇总表.xlsx"), &Limits::default()).unwrap();
    let names: Vec<&str> = book.sheets.iter().map(|s| s.name.as_str()).collect();
    for expected in [
        "指标总览",
        "分领域统计",
        "重点工程",
        "水务局",
        "哈素海管护中心",
        "校验问题",
        "数据来源",
        "_data",
    ] {
        assert!(names.contains(&expected), "{expected} in {names:?}");
    }
    let overview = &book.sheets[0];
    let ids: Vec<String> = overview
        .cells
        .iter()
        .filter(|c| c.col == 1 && c.row >= 3)
        .map(|c| c.value.display())
        .collect();
    let schema = eco_returns::schema::Schema::builtin().unwrap();
    let expected: Vec<String> = schema.indicators().iter().map(|i| i.id.clone()).collect();
    assert_eq!(ids, expected);
    let status_col: Vec<String> = overview
        .cells
        .iter()
        .filter(|c| c.col == 9 && c.row >= 3)
        .map(|c| c.value.display())
        .collect();
    assert_eq!(status_col.iter().filter(|s| *s == "未达标").count(), 5);
    assert_eq!(status_col.iter().filter(|s| *s == "待核实").count(), 1);
    let entries = crate::support::zip_texts(&dir.join("汇总表.xlsx"));
    assert!(
        entries.keys().any(|k| k.starts_with("xl/charts/chart")),
        "a native chart"
    );
    // 指标总览 prints on A3 (paper size 8): its 18 columns stay readable.
    let sheet1 = &entries["xl/worksheets/sheet1.xml"];
    assert!(
        sheet1.contains("<pane ")
            && sheet1.contains("<autoFilter")
            && sheet1.contains("paperSize=\"8\"")
            && sheet1.contains("orientation=\"landscape\"")
    );
    assert!(entries["xl/workbook.xml"].contains("_xlnm.Print_Titles"));
    // The source sheet gives the file, cell and SHA-256 of a consolidated value.
    let sources = book.sheets.iter().find(|s| s.name == "数据来源").unwrap();
    let row_of_18 = sources
        .cells
        .iter()
        .find(|c| c.col == 0 && c.value.display() == "18")
        .unwrap()
        .row;
    let line: Vec<String> = sources
        .cells
        .iter()
        .filter(|c| c.row == row_of_18)
        .map(|c| c.value.display())
        .collect();
    assert!(line[3].ends_with("2026Q3_水务局_填报表.xlsx"));
    assert_eq!(line[5], "F8");
    let bytes = std::fs::read(repo().join("samples/2026Q3/2026Q3_水务局_填报表.xlsx")).unwrap();
    use sha2::Digest;
    let digest: String = sha2::Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(line[6], digest);
}

fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(
                    p.strip_prefix(dir).unwrap().display().to_string(),
                    std::fs::read(&p).unwrap(),
                );
            }
        }
    }
    out
}

#[test]
fn a_rerun_gives_identical_bytes_and_inputs_are_untouched() {
    let before: BTreeMap<String, (Vec<u8>, std::time::SystemTime)> =
        std::fs::read_dir(repo().join("samples/2026Q3"))
            .unwrap()
            .map(|e| {
                let p = e.unwrap().path();
                (
                    p.display().to_string(),
                    (
                        std::fs::read(&p).unwrap(),
                        std::fs::metadata(&p).unwrap().modified().unwrap(),
                    ),
                )
            })
            .collect();
    let out = tempfile::tempdir().unwrap();
    build("samples/2026Q3", "2026Q3", &out.path().join("a"), &[]);
    build("samples/2026Q3", "2026Q3", &out.path().join("b"), &[]);
    let (a, b) = (tree(&out.path().join("a")), tree(&out.path().join("b")));
    assert!(a.len() >= 2);
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (name, bytes) in &a {
        assert!(bytes == &b[name], "{name} differs between runs");
    }
    for (path, (bytes, mtime)) in before {
        assert_eq!(std::fs::read(&path).unwrap(), bytes, "{path} changed");
        assert_eq!(
            std::fs::metadata(&path).unwrap().modified().unwrap(),
            mtime,
            "{path} touched"
        );
    }
    // No staging folder is left beside the output.
    let leftovers = crate::support::hidden_entries(out.path());
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn previous_gives_the_change_and_warns_on_a_large_one() {
    let out = tempfile::tempdir().unwrap();
    let (code, _) = build("samples/2026Q2", "2026Q2", &out.path().join("q2"), &[]);
    assert_eq!(code, 0);
    let previous = out.path().join("q2/汇总表.xlsx");
    let (_, json) = build(
        "samples/2026Q3",
        "2026Q3",
        &out.path().join("q3"),
        &["--previous", previous.to_str().unwrap()],
    );
    let ind = by_id(&json);
    // Like with like: 28 is an annual statistic, reported in both quarters as 2025's (neither
    // return gives a 数据年份), so there is nothing earlier to compare it with; 46.2 against
    // the 31.5 reported for the same year is a restatement to verify.
    assert_eq!(ind["28"]["data_year"], 2025);
    assert!(ind["28"]["vs_previous"].is_null(), "{}", ind["28"]);
    assert!(ind["28"]["compared_with"].is_null());
    // 7.1 is 年初至本期末累计: only the same quarter of last year compares, and none is on
    // record; 1 (a 时点 state) compares with last quarter.
    assert!(ind["7.1"]["compared_with"].is_null(), "{}", ind["7.1"]);
    assert_eq!(ind["1"]["compared_with"], "2026年第二季度");
    assert_eq!(ind["1"]["previous"], "正在编制");
    assert_eq!(json["assessment"]["previous_period"], "2026Q2");
    let xiangcun = find_in(&json["files"], "department", "乡村振兴局");
    let restated: Vec<&Value> = xiangcun["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "data-year-restated" && d["indicator"] == "28")
        .collect();
    assert_eq!(restated.len(), 1, "{xiangcun}");
    assert_eq!(restated[0]["cell"], "F6");
    // Both values as assessed, in one notation: 46.2% against 31.5%, never ％ beside %.
    let message = restated[0]["message"].as_str().unwrap();
    assert!(
        message.contains("2025年度数值 46.2%")
            && message.contains("2026年第二季度报送的同一年度数值 31.5%"),
        "{message}"
    );
    assert!(
        xiangcun["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["code"] != "value-large-change"),
        "no change is measured between the same year's two statements"
    );
    // 汇总表's 对比值 is the earlier period's assessed value, not its raw text.
    let previous_texts: Vec<&str> = json["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["previous"].as_str())
        .collect();
    assert!(!previous_texts.is_empty());
    for t in &previous_texts {
        assert!(
            !t.contains('％') && !t.chars().any(|c| ('０'..='９').contains(&c)),
            "上期值 {t:?} is raw text"
        );
    }
    assert_eq!(xiangcun["status"], "warnings");
    // Something that is not our workbook is refused as --previous.
    let r = run([
        "build",
        "samples/2026Q3",
        "--period",
        "2026Q3",
        "--out",
        out.path().join("x").to_str().unwrap(),
        "--previous",
        "samples/2026Q3/2026Q3_水务局_填报表.xlsx",
    ]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("不是本工具生成的汇总表"));
}

#[test]
fn every_row_is_accounted_for_in_a_build() {
    let out = tempfile::tempdir().unwrap();
    let (_, json) = build("samples/2026Q3", "2026Q3", &out.path().join("q3"), &[]);
    let mut read = 0;
    let mut consolidated = 0;
    let mut diagnosed = 0;
    let mut held = 0;
    for f in json["files"].as_array().unwrap() {
        let rows = &f["rows"];
        read += rows["read"].as_u64().unwrap();
        consolidated += rows["consolidated"].as_u64().unwrap();
        diagnosed += rows["in_diagnostics"].as_u64().unwrap();
        held += rows["held"].as_u64().unwrap();
        if f["status"] == "rejected" {
            assert_eq!(
                rows["consolidated"], 0,
                "a rejected return consolidates nothing"
            );
        }
    }
    assert_eq!(read, consolidated + diagnosed + held);
    let with_value = json["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| !i["source"].is_null())
        .count() as u64;
    let projects = json["assessment"]["total"]["reported"].as_u64().unwrap();
    assert_eq!(
        consolidated,
        with_value + projects,
        "each consolidated row is one indicator value or one project"
    );
}

#[test]
fn an_output_that_cannot_be_written_is_exit_2_and_leaves_nothing() {
    let out = tempfile::tempdir().unwrap();
    let blocker = out.path().join("file");
    std::fs::write(&blocker, b"not a folder").unwrap();
    let target = blocker.join("q3");
    let r = run([
        "build",
        "samples/2026Q3",
        "--period",
        "2026Q3",
        "--out",
        target.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("错误"));
    assert_eq!(
        std::fs::read_dir(out.path()).unwrap().count(),
        1,
        "nothing but the blocking file"
    );
    assert_eq!(run(["build", "no/such/dir", "--period", "2026Q3"]).code, 2);
}

/// The benchmark splits `build` into reading and writing with this clock (BENCHMARKS.md).
#[test]
fn the_stage_clock_is_printed_only_when_asked_and_accounts_for_the_run() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("q3");
    let args = [
        "build",
        "samples/2026Q3",
        "--period",
        "2026Q3",
        "--out",
        out.to_str().unwrap(),
    ];
    assert!(!run(args).stderr.contains("耗时"));
    let r = crate::support::run_with_env(&[("ECO_RETURNS_TIMINGS", "1")], args);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let line = r
        .stderr
        .lines()
        .find(|l| l.starts_with("耗时："))
        .unwrap_or_else(|| panic!("{}", r.stderr));
    let stages: Vec<(&str, f64)> = line
        .trim_start_matches("耗时：")
        .split('；')
        .map(|s| {
            let (name, rest) = s.split_once(' ').unwrap();
            (name, rest.split(" ms").next().unwrap().parse().unwrap())
        })
        .collect();
    let names: Vec<&str> = stages.iter().map(|(n, _)| *n).collect();
    assert_eq!(
        names,
        ["载入指标体系", "读取校验", "评估", "写出", "输出", "合计"],
        "{line}"
    );
    let (parts, total) = stages.split_at(stages.len() - 1);
    let sum: f64 = parts.iter().map(|(_, ms)| ms).sum();
    // Each stage is rounded to 0.1 ms; together they are the whole run.
    assert!((sum - total[0].1).abs() < 0.5, "{line}");
    assert!(line.contains("峰值内存"), "{line}");
}
