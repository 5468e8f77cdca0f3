//! `check` on the shipped samples, the malformed returns, hostile files and the foreign corpus.

use crate::support::{minimal_xlsx, repo, run, text_cell, valid_return_rows};
use serde_json::Value;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

fn check_json(args: &[&str]) -> (i32, Value) {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let r = run(&all);
    assert!(r.code == 0 || r.code == 1, "exit {}: {}", r.code, r.stderr);
    (r.code, r.json())
}

fn file<'a>(json: &'a Value, name_part: &str) -> &'a Value {
    json["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["file"].as_str().unwrap().contains(name_part))
        .unwrap_or_else(|| panic!("no file matching {name_part}"))
}

fn diagnostics(f: &Value) -> Vec<(String, String, Option<String>)> {
    f["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["severity"].as_str().unwrap().to_string(),
                d["cell"].as_str().map(str::to_string),
            )
        })
        .collect()
}

fn has(f: &Value, code: &str, severity: &str, cell: Option<&str>) -> bool {
    diagnostics(f)
        .iter()
        .any(|(c, s, at)| c == code && s == severity && at.as_deref() == cell)
}

/// Indicator values read from the samples, by id.
fn values(json: &Value) -> BTreeMap<String, (Value, String, Value)> {
    json["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["id"].as_str().unwrap().to_string(),
                (
                    i["value"].clone(),
                    i["text"].as_str().unwrap().to_string(),
                    i["status"].clone(),
                ),
            )
        })
        .collect()
}

#[test]
fn every_tolerance_kind_in_the_samples_is_read_to_the_right_value() {
    let (_, json) = check_json(&["samples/2026Q3"]);
    assert_eq!(json["period"], "2026Q3");
    let v = values(&json);
    let num = |id: &str| {
        v[id]
            .0
            .as_f64()
            .unwrap_or_else(|| panic!("{id} has no number"))
    };
    // A percent-formatted cell (stored 0.871, shown 87.1%).
    assert_eq!(num("7.1"), 87.1);
    assert_eq!(v["7.1"].1, "87.1%");
    // A formula: its cached value.
    assert_eq!(num("12"), 100.0);
    // A number followed by the indicator's unit.
    assert_eq!(num("7.2"), 26.0);
    // Full-width digits typed as text (.ods), and a full-width percent sign.
    assert_eq!(num("26"), 56.0);
    assert_eq!(num("28"), 46.2);
    // "93.1%" and "55.8 %" typed as text, in a return with moved header and reordered columns.
    assert_eq!(num("25"), 93.1);
    assert_eq!(num("30"), 55.8);
    // A synonym (已实施 → 实施) and 、 in place of ，.
    assert_eq!(v["31"].1, "已实施");
    assert_eq!(v["31"].2, "达标");
    assert_eq!(v["15.2"].2, "达标");
    // .xls: ids as 20-1 and 21（1）, one row with no id at all (21.2, by name).
    assert_eq!(num("20.1"), 43.6);
    assert_eq!(num("21.1"), 91.6);
    assert_eq!(num("21.2"), 94.0);
    // 不适用 with a reason.
    assert_eq!(v["8.1"].2, "不适用");
    assert_eq!(v["11.3"].2, "不适用");
    // Statuses the samples make 未达标.
    for id in ["1", "3", "8.2", "24", "28"] {
        assert_eq!(v[id].2, "未达标", "{id}");
    }
    // 17's superior target is the ended 十三五's, with no current one recorded.
    assert_eq!(v["17"].2, "待核实");
}

#[test]
fn drifting_returns_are_accepted() {
    let (code, json) = check_json(&["samples/2026Q3"]);
    assert_eq!(code, 1, "the 财政局 return is rejected");
    for unit in ["住建局", "农牧局", "乡村振兴局", "生态环境分局"] {
        let f = file(&json, unit);
        assert_ne!(f["status"], "rejected", "{unit}: {:?}", diagnostics(f));
        assert_eq!(f["department"], unit);
    }
    assert_eq!(file(&json, "农牧局")["format"], "xls");
    assert_eq!(file(&json, "乡村振兴局")["format"], "ods");
    // The note and the signature line under 住建局's table: one warning for both.
    let zhujian = file(&json, "住建局");
    let junk: Vec<_> = diagnostics(zhujian)
        .into_iter()
        .filter(|d| d.0 == "rows-ignored")
        .collect();
    assert_eq!(junk.len(), 1);
    assert!(zhujian["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["message"].as_str().unwrap().contains("2 行")));
    let caizheng = file(&json, "财政局");
    assert_eq!(caizheng["status"], "rejected");
    assert!(has(caizheng, "value-separator", "error", Some("F6")));
    assert_eq!(
        json["missing_units"],
        serde_json::json!(["万家沟水库灌区管理处"])
    );
    let txt = file(&json, "说明.txt");
    assert!(has(txt, "file-skipped", "warning", None));
}

#[test]
fn the_sample_files_are_what_their_extensions_say() {
    let dir = repo().join("samples/2026Q3");
    let xls = std::fs::read(dir.join("2026Q3_农牧局_填报表.xls")).unwrap();
    assert_eq!(
        &xls[..8],
        &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1],
        "BIFF8 in an OLE container"
    );
    let ods = std::fs::read(dir.join("2026Q3_乡村振兴局_填报表.ods")).unwrap();
    assert_eq!(&ods[..4], b"PK\x03\x04");
    assert_eq!(&ods[30..38], b"mimetype");
    assert!(String::from_utf8_lossy(&ods[38..90])
        .contains("application/vnd.oasis.opendocument.spreadsheet"));
}

#[test]
fn every_malformed_kind_is_flagged_with_code_severity_and_cell() {
    let (code, json) = check_json(&["samples/malformed", "--period", "2026Q3"]);
    assert_eq!(code, 1);
    let cases: &[(&str, &str, &str, Option<&str>)] = &[
        ("空文件", "file-empty", "error", None),
        ("不是表格", "not-spreadsheet", "error", None),
        ("截断文件", "file-corrupt", "error", None),
        ("加密文件", "file-encrypted", "error", None),
        ("未知单位_缺报告期", "unit-unknown", "error", Some("B2")),
        ("未知单位_缺报告期", "period-missing", "error", None),
        ("报告期为日期", "period-unparseable", "error", Some("E2")),
        ("单位不符_逗号歧义", "value-unit", "error", Some("F8")),
        ("单位不符_逗号歧义", "value-separator", "error", Some("F7")),
        (
            "百分比超范围_小数",
            "value-percent-range",
            "error",
            Some("F6"),
        ),
        ("百分比超范围_小数", "value-fraction", "warning", Some("F8")),
        (
            "未知指标_重复_空值",
            "indicator-unknown",
            "error",
            Some("A7"),
        ),
        (
            "未知指标_重复_空值",
            "indicator-duplicate",
            "error",
            Some("F8"),
        ),
        ("未知指标_重复_空值", "value-empty", "error", Some("F9")),
        ("缺少指标", "indicator-missing", "error", Some("A5")),
        ("文字与数值填反", "value-not-number", "error", Some("F6")),
        (
            "定性词不在范围_不适用无理由",
            "value-word",
            "error",
            Some("F8"),
        ),
        (
            "定性词不在范围_不适用无理由",
            "na-not-allowed",
            "error",
            Some("F6"),
        ),
        (
            "定性词不在范围_不适用无理由",
            "na-no-reason",
            "error",
            Some("F9"),
        ),
        (
            "工程进度矛盾",
            "project-over-investment",
            "error",
            Some("D6"),
        ),
        (
            "工程进度矛盾",
            "project-status-progress",
            "error",
            Some("F6"),
        ),
        (
            "工程进度超范围_未知工程",
            "project-progress-range",
            "error",
            Some("E6"),
        ),
        (
            "工程进度超范围_未知工程",
            "project-status",
            "error",
            Some("F8"),
        ),
        (
            "工程进度超范围_未知工程",
            "project-unknown",
            "error",
            Some("A9"),
        ),
        (
            "重复报送_工信局_第一份",
            "duplicate-conflicting",
            "error",
            None,
        ),
        (
            "重复报送_工信局_第二份",
            "duplicate-conflicting",
            "error",
            None,
        ),
        (
            "非负责指标",
            "indicator-not-assigned",
            "warning",
            Some("F7"),
        ),
        ("其他报告期", "period-other", "error", Some("E2")),
    ];
    for (name, code, severity, cell) in cases {
        let f = file(&json, name);
        assert!(
            has(f, code, severity, *cell),
            "{name}: expected {code} {severity} {cell:?}, got {:?}",
            diagnostics(f)
        );
    }
    // Each conflicting duplicate names the other file.
    let first = &file(&json, "第一份")["diagnostics"][0]["message"];
    assert!(first.as_str().unwrap().contains("第二份"));
    // Messages are Chinese and say what to do.
    for f in json["files"].as_array().unwrap() {
        for d in f["diagnostics"].as_array().unwrap() {
            let m = d["message"].as_str().unwrap();
            assert!(
                m.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{m}"
            );
        }
    }
}

#[test]
fn a_stray_value_that_differs_from_the_assigned_units_is_a_conflict() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        repo().join("samples/malformed/非负责指标.xlsx"),
        dir.path().join("a.xlsx"),
    )
    .unwrap();
    std::fs::copy(
        repo().join("samples/2026Q3/2026Q3_住建局_填报表.xlsx"),
        dir.path().join("b.xlsx"),
    )
    .unwrap();
    let (_, json) = check_json(&[dir.path().to_str().unwrap()]);
    let f = file(&json, "a.xlsx");
    assert!(
        has(f, "indicator-conflict", "warning", Some("F7")),
        "{:?}",
        diagnostics(f)
    );
    // The stray value is not consolidated: 25 appears once, from 住建局.
    let from: Vec<&str> = json["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["id"] == "25")
        .map(|i| i["department"].as_str().unwrap())
        .collect();
    assert_eq!(from, ["住建局"]);
}

#[test]
fn identical_duplicates_are_a_warning_and_count_once() {
    let dir = tempfile::tempdir().unwrap();
    let src = repo().join("samples/2026Q3/2026Q3_水务局_填报表.xlsx");
    std::fs::copy(&src, dir.path().join("水务局.xlsx")).unwrap();
    std::fs::copy(&src, dir.path().join("水务局(1).xlsx")).unwrap();
    let (code, json) = check_json(&[dir.path().to_str().unwrap()]);
    assert_eq!(code, 0);
    let flagged = json["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| has(f, "duplicate-identical", "warning", None))
        .count();
    assert_eq!(flagged, 1, "one of the two copies is the duplicate");
    let ids: Vec<&str> = json["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["status"].is_string())
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.iter().filter(|i| **i == "18").count(), 1, "{ids:?}");
}

#[test]
fn every_row_is_accounted_for() {
    for (dir, period) in [
        ("samples/2026Q3", "2026Q3"),
        ("samples/2026Q2", "2026Q2"),
        ("samples/malformed", "2026Q3"),
    ] {
        let (_, json) = check_json(&[dir, "--period", period]);
        for f in json["files"].as_array().unwrap() {
            let rows = &f["rows"];
            let (read, consolidated, diag, held) = (
                rows["read"].as_u64().unwrap(),
                rows["consolidated"].as_u64().unwrap(),
                rows["in_diagnostics"].as_u64().unwrap(),
                rows["held"].as_u64().unwrap(),
            );
            assert_eq!(read, consolidated + diag + held, "{}", f["file"]);
            if f["status"] == "rejected" {
                assert_eq!(
                    consolidated, 0,
                    "a rejected return consolidates nothing: {}",
                    f["file"]
                );
                assert!(held > 0 || read == diag, "{}", f["file"]);
            }
            let named: u64 = f["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| d["rows"].as_u64().unwrap_or(0))
                .sum();
            assert_eq!(named, diag, "{}: rows named in diagnostics", f["file"]);
        }
    }
}

#[test]
fn json_has_every_field_of_the_contract() {
    let (_, json) = check_json(&["samples/malformed"]);
    assert!(json["period"].is_string());
    assert!(json["diagnostics"].is_array());
    assert!(json["missing_units"].is_array());
    for f in json["files"].as_array().unwrap() {
        for key in ["file", "department", "status", "diagnostics"] {
            assert!(f.get(key).is_some(), "file lacks {key}");
        }
        assert!(["accepted", "warnings", "rejected"].contains(&f["status"].as_str().unwrap()));
        for d in f["diagnostics"].as_array().unwrap() {
            for key in [
                "code",
                "severity",
                "sheet",
                "cell",
                "indicator",
                "value",
                "message",
            ] {
                assert!(d.get(key).is_some(), "diagnostic lacks {key}: {d}");
            }
            assert!(["error", "warning"].contains(&d["severity"].as_str().unwrap()));
        }
    }
    for i in json["indicators"].as_array().unwrap() {
        for key in ["id", "value", "text", "status", "department"] {
            assert!(i.get(key).is_some(), "indicator lacks {key}");
        }
    }
}

#[test]
fn exit_codes() {
    assert_eq!(
        run(["check", "samples/2026Q3/2026Q3_水务局_填报表.xlsx"]).code,
        0
    );
    assert_eq!(run(["check", "samples/malformed/空文件.xlsx"]).code, 1);
    assert_eq!(run(["check", "no/such/path"]).code, 2);
    assert_eq!(run(["check"]).code, 2);
    assert_eq!(
        run(["check", "samples/2026Q3", "--period", "2026Q9"]).code,
        2
    );
    let human = run(["check", "samples/2026Q3/2026Q3_水务局_填报表.xlsx"]);
    assert!(
        human.stdout.contains("通过 1 份，退回修改 0 份"),
        "{}",
        human.stdout
    );
}

#[test]
fn json_mode_prints_nothing_but_json_on_stdout() {
    let r = run(["check", "samples/2026Q3", "--format", "json"]);
    let parsed: Result<Value, _> = serde_json::from_str(&r.stdout);
    assert!(parsed.is_ok());
}

fn write(dir: &std::path::Path, name: &str, bytes: &[u8]) -> String {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p.display().to_string()
}

#[test]
fn a_sheet_claiming_the_whole_grid_is_read_without_a_dense_allocation() {
    let dir = tempfile::tempdir().unwrap();
    let rows = valid_return_rows("2026Q3")
        + &format!("<row r=\"1048576\">{}</row>", text_cell("XFD1048576", "x"));
    let path = write(
        dir.path(),
        "giant.xlsx",
        &minimal_xlsx("A1:XFD1048576", &rows),
    );
    let start = Instant::now();
    let (code, json) = check_json(&[&path]);
    assert!(start.elapsed() < Duration::from_secs(20));
    assert_eq!(code, 0, "{json}");
    let f = &json["files"][0];
    assert!(
        has(f, "rows-ignored", "warning", Some("XFD1048576")),
        "{:?}",
        diagnostics(f)
    );
    assert_eq!(json["indicators"].as_array().unwrap().len(), 2);
}

#[test]
fn a_wrong_dimension_does_not_hide_cells() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "dim.xlsx",
        &minimal_xlsx("A1:A1", &valid_return_rows("2026Q3")),
    );
    let (code, json) = check_json(&[&path]);
    assert_eq!(code, 0, "{json}");
    assert_eq!(json["indicators"].as_array().unwrap().len(), 2);
}

#[test]
fn a_zip_bomb_is_refused_quickly() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut out);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        z.start_file("xl/worksheets/sheet1.xml", opts).unwrap();
        let block = vec![b' '; 1 << 20];
        for _ in 0..32 {
            z.write_all(&block).unwrap();
        }
        z.finish().unwrap();
    }
    let bytes = out.into_inner();
    assert!(bytes.len() < 200_000, "the bomb is small: {}", bytes.len());
    let path = write(dir.path(), "bomb.xlsx", &bytes);
    let start = Instant::now();
    let (code, json) = check_json(&[&path]);
    assert!(start.elapsed() < Duration::from_secs(20));
    assert_eq!(code, 1);
    assert!(
        has(&json["files"][0], "file-inflation", "error", None),
        "{json}"
    );
}

#[test]
fn random_bytes_and_renamed_files_get_their_own_diagnostics() {
    let dir = tempfile::tempdir().unwrap();
    let noise: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    write(dir.path(), "noise.xlsx", &noise);
    let xls = std::fs::read(repo().join("samples/2026Q3/2026Q3_农牧局_填报表.xls")).unwrap();
    write(dir.path(), "renamed.xlsx", &xls);
    write(dir.path(), "~$lock.xlsx", b"owner");
    let (_, json) = check_json(&[dir.path().to_str().unwrap()]);
    assert_eq!(
        json["files"].as_array().unwrap().len(),
        2,
        "the lock file is ignored"
    );
    assert!(has(file(&json, "noise"), "not-spreadsheet", "error", None));
    let renamed = file(&json, "renamed");
    assert!(has(renamed, "extension-mismatch", "warning", None));
    assert_eq!(renamed["department"], "农牧局");
}

#[test]
fn inputs_the_fuzzer_found_are_refused_within_bounded_memory() {
    // Each file made calamine allocate gigabytes or panic before the container checks.
    let dir = repo().join("tests/fixtures/fuzz");
    let r = crate::support::check_capped(1_500_000, &[dir.to_str().unwrap(), "--format", "json"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let json = r.json();
    let files = json["files"].as_array().unwrap();
    assert_eq!(files.len(), std::fs::read_dir(&dir).unwrap().count());
    for f in files {
        let code = f["diagnostics"][0]["code"].as_str().unwrap();
        assert!(
            ["file-corrupt", "sheet-too-large"].contains(&code),
            "{}: {code}",
            f["file"]
        );
    }
}

#[test]
fn a_file_that_is_not_a_spreadsheet_is_listed_as_not_read() {
    let r = run(["check", "samples/2026Q3"]);
    let line = r
        .stdout
        .lines()
        .find(|l| l.contains("说明.txt"))
        .unwrap_or_else(|| panic!("{}", r.stdout));
    assert!(line.contains("未读取") && !line.contains("通过"), "{line}");
}

#[test]
fn help_is_in_chinese_for_every_verb() {
    for args in [
        vec!["--help"],
        vec!["check", "--help"],
        vec!["build", "--help"],
        vec!["template", "--help"],
        vec!["schema", "--help"],
        vec!["links", "--help"],
        vec!["serve", "--help"],
    ] {
        let r = run(&args);
        assert_eq!(r.code, 0, "{args:?}");
        for english in [
            "Usage",
            "Options",
            "Print help",
            "Arguments",
            "Commands",
            "[default",
        ] {
            assert!(
                !r.stdout.contains(english),
                "{args:?}: {english} in\n{}",
                r.stdout
            );
        }
        assert!(
            r.stdout.contains("用法：") && r.stdout.contains("显示帮助"),
            "{args:?}"
        );
    }
    let r = run(["check"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.starts_with("错误：缺少必需的参数"), "{}", r.stderr);
}

#[test]
fn a_value_typed_into_the_source_column_is_pointed_out() {
    use crate::support::{number_cell, one_sheet, text_cell, valid_return_rows};
    let dir = tempfile::tempdir().unwrap();
    let rows = valid_return_rows("2026Q3")
        .replace(&number_cell("F5", 96.2), &number_cell("G5", 96.2))
        .replace(
            &text_cell("H4", "备注"),
            &format!("{}{}", text_cell("G4", "数据来源"), text_cell("H4", "备注")),
        );
    let p = write(
        dir.path(),
        "宣传部.xlsx",
        &one_sheet("指标填报", rows).bytes(),
    );
    let (_, json) = check_json(&[&p]);
    let d = &json["files"][0]["diagnostics"];
    let empty = d
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "value-empty")
        .unwrap_or_else(|| panic!("{d}"));
    assert!(
        empty["message"]
            .as_str()
            .unwrap()
            .contains("“数据来源”一栏却填了数字“96.2”"),
        "{empty}"
    );
    // The terminal line says what to do, once.
    let r = run(["check", &p]);
    let line = r
        .stdout
        .lines()
        .find(|l| l.contains("value-empty"))
        .unwrap();
    assert_eq!(line.matches("请").count(), 1, "{line}");
}

#[test]
fn a_name_without_its_qualifier_is_read_and_period_other_points_at_its_cell() {
    use crate::support::{number_cell, one_sheet, text_cell};
    let dir = tempfile::tempdir().unwrap();
    let rows = format!(
        "<row r=\"2\">{}{}{}{}</row><row r=\"4\">{}{}{}</row><row r=\"5\">{}{}</row>",
        text_cell("A2", "填报单位"),
        text_cell("B2", "林草局"),
        text_cell("D2", "报告期"),
        text_cell("E2", "2026Q2"),
        text_cell("A4", "序号"),
        text_cell("B4", "指标名称"),
        text_cell("F4", "本期值"),
        text_cell("B5", "林草 覆盖率"),
        number_cell("F5", 42.1),
    );
    let p = write(
        dir.path(),
        "林草局.xlsx",
        &one_sheet("指标填报", rows).bytes(),
    );
    let (_, json) = check_json(&[&p, "--period", "2026Q3"]);
    let codes: Vec<(String, Value)> = json["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["code"].as_str().unwrap().to_string(), d["cell"].clone()))
        .collect();
    assert!(
        !codes.iter().any(|(c, _)| c == "indicator-unknown"),
        "{codes:?}"
    );
    assert!(json["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["id"] == "10"));
    let other = codes.iter().find(|(c, _)| c == "period-other").unwrap();
    assert_eq!(other.1, "E2");
}
