//! One odd return never stops the quarter, and nothing is ever lost: each case is a file (or a
//! folder) made here as a careless user or an attacker would, and `check` or `build` must end
//! with every output whole and a diagnostic naming the file.

use crate::support::{
    number_cell, one_sheet, rejected_return_rows, repo, text_cell, valid_return_rows, Xlsx,
};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Stdio};

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_eco-returns")
}

fn eco(args: &[&std::ffi::OsStr]) -> (i32, String, String) {
    let out = Command::new(bin())
        .args(args)
        .current_dir(repo())
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `build DIR --period 2026Q3 --out OUT --format json`: exit code and JSON.
pub fn build(dir: &Path, out: &Path) -> (i32, Value, String) {
    let r = crate::support::build_into(dir, "2026Q3", out, &["--format", "json"]);
    let json = serde_json::from_str(&r.stdout).unwrap_or(Value::Null);
    (r.code, json, r.stderr)
}

pub fn check(path: &Path, extra: &[&str]) -> (i32, Value) {
    let mut args: Vec<&std::ffi::OsStr> = vec!["check".as_ref(), path.as_os_str()];
    args.extend(extra.iter().map(std::ffi::OsStr::new));
    args.extend([
        std::ffi::OsStr::new("--format"),
        std::ffi::OsStr::new("json"),
    ]);
    let (code, stdout, stderr) = eco(&args);
    let json = serde_json::from_str(&stdout)
        .unwrap_or_else(|_| panic!("no JSON (exit {code}); stderr: {stderr}"));
    (code, json)
}

/// The diagnostics of the file whose path ends with `name`, as (code, cell).
pub fn diagnostics(json: &Value, name: &str) -> Vec<(String, Option<String>)> {
    let file = json["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["file"].as_str().unwrap().ends_with(name))
        .unwrap_or_else(|| panic!("{name} not in {json}"));
    file["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["cell"].as_str().map(str::to_string),
            )
        })
        .collect()
}

pub fn write(dir: &Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, bytes).unwrap();
    p
}

pub fn returned(out: &Path) -> BTreeSet<String> {
    std::fs::read_dir(out.join("退回修改"))
        .map(|d| {
            d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}

fn assert_whole(out: &Path) {
    for f in ["汇总表.xlsx", "评估报告.docx"] {
        assert!(out.join(f).is_file(), "{f} missing in {}", out.display());
    }
}

fn sheet_names(xlsx: &Path) -> Vec<String> {
    let file = std::fs::File::open(xlsx).unwrap();
    let mut z = zip::ZipArchive::new(file).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut z.by_name("xl/workbook.xml").unwrap(), &mut xml).unwrap();
    xml.split("<sheet name=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap().to_string())
        .collect()
}

#[test]
fn an_output_folder_that_is_or_holds_the_returns_is_refused_and_nothing_is_deleted() {
    let root = tempfile::tempdir().unwrap();
    let returns = root.path().join("2026Q3");
    write(
        &returns,
        "宣传部.xlsx",
        &one_sheet("指标填报", valid_return_rows("2026Q3")).bytes(),
    );
    for out in [
        returns.clone(),
        root.path().to_path_buf(),
        returns.join("out"),
    ] {
        let (code, _, stderr) = build(&returns, &out);
        assert_eq!(code, 2, "{}: {stderr}", out.display());
        assert!(stderr.contains("相同或互相包含"), "{stderr}");
        assert!(
            returns.join("宣传部.xlsx").is_file(),
            "the return is still there"
        );
    }
    // A folder holding something build did not write is not replaced either.
    let other = root.path().join("其他");
    write(&other, "笔记.docx", b"mine");
    let (code, _, stderr) = build(&returns, &other);
    assert_eq!(code, 2);
    assert!(stderr.contains("笔记.docx"), "{stderr}");
    assert_eq!(std::fs::read(other.join("笔记.docx")).unwrap(), b"mine");
}

#[test]
fn a_second_build_into_a_folder_being_written_is_refused_and_the_first_is_kept() {
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("q3");
    // A build in progress holds the folder's lock: hold it here as that build would.
    let lock = std::fs::File::create(root.path().join(".q3.lock")).unwrap();
    lock.try_lock().unwrap();
    let (code, _, stderr) = build(&repo().join("samples/2026Q3"), &out);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("另一个 build 正在写入"), "{stderr}");
    assert!(!out.exists());
    lock.unlock().unwrap();
    drop(lock);
    let (code, _, _) = build(&repo().join("samples/2026Q3"), &out);
    assert_eq!(code, 1);
    assert_whole(&out);
}

#[test]
fn what_a_killed_build_left_beside_the_folder_never_blocks_the_next() {
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("q3");
    let (code, _, _) = build(&repo().join("samples/2026Q3"), &out);
    assert_eq!(code, 1);
    // As if killed right after moving the previous output aside.
    std::fs::rename(&out, root.path().join(".q3.old")).unwrap();
    std::fs::create_dir(root.path().join(".q3.tmp-4242")).unwrap();
    let (code, _, stderr) = build(&repo().join("samples/2026Q3"), &out);
    assert_eq!(code, 1, "{stderr}");
    assert_whole(&out);
    let hidden = crate::support::hidden_entries(root.path());
    assert!(hidden.is_empty(), "{hidden:?}");
}

#[test]
fn rejected_returns_with_one_name_each_get_their_own_copy_the_same_every_run() {
    use std::os::unix::ffi::OsStrExt;
    let root = tempfile::tempdir().unwrap();
    let returns = root.path().join("returns");
    let bad = one_sheet("指标填报", rejected_return_rows("2026Q3")).bytes();
    write(&returns, "甲/填报表.xlsx", &bad);
    write(&returns, "乙/填报表.xlsx", &bad);
    // Two names that are not UTF-8 and display alike (both as 填报表�.xlsx).
    for byte in [0xFFu8, 0xFE] {
        let mut name = "丙/填报表".as_bytes().to_vec();
        name.push(byte);
        name.extend_from_slice(b".xlsx");
        std::fs::create_dir_all(returns.join("丙")).unwrap();
        std::fs::write(returns.join(std::ffi::OsStr::from_bytes(&name)), &bad).unwrap();
    }
    // A name of 250 bytes.
    write(&returns, &format!("{}.xlsx", "长".repeat(81)), &bad);
    let runs: Vec<(BTreeSet<String>, Vec<Vec<u8>>)> = (0..2)
        .map(|i| {
            let out = root.path().join(format!("out{i}"));
            let (code, json, stderr) = build(&returns, &out);
            assert_eq!(code, 1, "{stderr}");
            assert_eq!(json["outputs"]["returned"].as_array().unwrap().len(), 5);
            let names = returned(&out);
            let bytes = names
                .iter()
                .map(|n| std::fs::read(out.join("退回修改").join(n)).unwrap())
                .collect();
            (names, bytes)
        })
        .collect();
    assert_eq!(runs[0].0.len(), 5, "{:?}", runs[0].0);
    // One unit and period: named like its form, numbered in path order.
    assert!(
        runs[0].0.contains("2026Q3_宣传部_退回修改.xlsx"),
        "{:?}",
        runs[0].0
    );
    assert!(runs[0].0.contains("2026Q3_宣传部（5）_退回修改.xlsx"));
    assert!(runs[0].0.iter().all(|n| n.len() < 200), "{:?}", runs[0].0);
    assert_eq!(runs[0], runs[1], "the same names and bytes on every run");
}

#[test]
fn sheet_names_a_workbook_cannot_use_are_renamed_in_the_returned_copy() {
    let root = tempfile::tempdir().unwrap();
    let returns = root.path().join("returns");
    let long = "很长的工作表名称".repeat(5);
    let long_too = format!("{long}二");
    let book = Xlsx {
        sheets: vec![
            // An unknown unit: the copy is the file itself, its sheets renamed where needed.
            (
                "'指标填报'",
                rejected_return_rows("2026Q3").replace("宣传部", "某某局"),
            ),
            (&long, text_cell("A1", "备用")),
            (&long_too, text_cell("A1", "备用")),
            ("Notes", text_cell("A1", "x")),
            ("NOTES", text_cell("A1", "y")),
            ("控制\u{1}字符", text_cell("A1", "z")),
        ],
        workbook_pr: "",
        shared_strings: None,
        styles: None,
    };
    write(&returns, "宣传部.xlsx", &book.bytes());
    let out = root.path().join("out");
    let (code, _, stderr) = build(&returns, &out);
    assert_eq!(code, 1, "{stderr}");
    assert_whole(&out);
    let mut names = sheet_names(&out.join("退回修改/宣传部_退回修改.xlsx"));
    assert!(
        names.contains(&"_form".to_string()),
        "the copy's stamp: {names:?}"
    );
    names.retain(|n| n != "_form");
    assert_eq!(names.len(), 7, "修改说明 and all six sheets: {names:?}");
    let lower: BTreeSet<String> = names.iter().map(|n| n.to_lowercase()).collect();
    assert_eq!(lower.len(), 7, "unique in any case: {names:?}");
    assert!(names.contains(&"指标填报".to_string()), "{names:?}");
    assert!(names.iter().all(|n| n.encode_utf16().count() <= 31));
    assert!(names.iter().all(|n| !n.chars().any(char::is_control)));
}

#[test]
fn text_longer_than_a_cell_is_cut_with_a_diagnostic_and_the_build_writes_everything() {
    let root = tempfile::tempdir().unwrap();
    let returns = root.path().join("returns");
    let long = "数据来源说明".repeat(6_000);
    let rows = valid_return_rows("2026Q3").replace(
        "</row><row r=\"6\">",
        &format!("{}</row><row r=\"6\">", text_cell("G5", &long)),
    );
    write(
        &returns,
        "宣传部.xlsx",
        &one_sheet("指标填报", rows).bytes(),
    );
    // A rejected return whose bad value is as long as a cell can hold, quoted in its message.
    let bad = valid_return_rows("2026Q3")
        .replace(
            &number_cell("F6", 86.1),
            &text_cell("F6", &"很".repeat(40_000)),
        )
        .replace("宣传部", "组织部");
    write(&returns, "组织部.xlsx", &one_sheet("指标填报", bad).bytes());
    let out = root.path().join("out");
    let (code, json, stderr) = build(&returns, &out);
    assert_eq!(code, 1, "{stderr}");
    assert_whole(&out);
    assert!(diagnostics(&json, "宣传部.xlsx")
        .contains(&("text-too-long".to_string(), Some("G5".to_string()))));
    assert!(diagnostics(&json, "组织部.xlsx")
        .iter()
        .any(|(c, cell)| c == "text-too-long" && cell.as_deref() == Some("F6")));
    assert_eq!(returned(&out).len(), 1);
}

#[test]
fn a_million_duplicate_rows_do_not_overflow_the_diagnostics_sheet() {
    let root = tempfile::tempdir().unwrap();
    let returns = root.path().join("returns");
    for (unit, n) in [("宣传部", 0), ("组织部", 1)] {
        let mut rows = valid_return_rows("2026Q3").replace("宣传部", unit);
        for r in 7..2_507u32 {
            rows.push_str(&format!(
                "<row r=\"{r}\">{}{}</row>",
                text_cell(&format!("A{r}"), "34"),
                number_cell(&format!("F{r}"), 90.0 + f64::from(n)),
            ));
        }
        write(
            &returns,
            &format!("{unit}.xlsx"),
            &one_sheet("指标填报", rows).bytes(),
        );
    }
    let out = root.path().join("out");
    let (code, json, stderr) = build(&returns, &out);
    assert_eq!(code, 1, "{stderr}");
    assert_whole(&out);
    let listed = json["files"][0]["diagnostics"].as_array().unwrap().len();
    assert!(
        listed >= 2_500,
        "every duplicate is named in the JSON: {listed}"
    );
    // 校验问题 lists 1,000 per file and says how many more there are.
    use calamine::Reader;
    let mut book = calamine::open_workbook_auto(out.join("汇总表.xlsx")).unwrap();
    let sheet = book.worksheet_range("校验问题").unwrap();
    let rows = sheet.height();
    assert!((2_000..2_100).contains(&rows), "{rows} rows");
    let notes: Vec<String> = sheet
        .rows()
        .filter_map(|r| r.get(8).map(|c| c.to_string()))
        .filter(|t| t.starts_with("该文件另有"))
        .collect();
    assert_eq!(notes.len(), 2, "{notes:?}");
    assert!(
        notes.iter().any(|t| t.contains("另有 1500 条")),
        "{notes:?}"
    );
}

#[test]
fn nan_and_infinity_are_errors_not_values() {
    let root = tempfile::tempdir().unwrap();
    let rows = valid_return_rows("2026Q3")
        .replace(&number_cell("F5", 96.2), r#"<c r="F5"><v>NaN</v></c>"#)
        .replace(&number_cell("F6", 86.1), r#"<c r="F6"><v>+inf</v></c>"#);
    let p = write(
        root.path(),
        "宣传部.xlsx",
        &one_sheet("指标填报", rows).bytes(),
    );
    let (code, json) = check(&p, &[]);
    assert_eq!(code, 1);
    let d = diagnostics(&json, "宣传部.xlsx");
    assert!(
        d.contains(&("value-not-finite".into(), Some("F5".into()))),
        "{d:?}"
    );
    assert!(
        d.contains(&("value-not-finite".into(), Some("F6".into()))),
        "{d:?}"
    );
}

#[test]
fn a_declared_ten_trillion_shared_strings_is_a_corrupt_file_not_an_abort() {
    let root = tempfile::tempdir().unwrap();
    let book = Xlsx {
        shared_strings: Some(r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="10000000000000"><si><t>宣传部</t></si></sst>"#.into()),
        ..one_sheet("指标填报", valid_return_rows("2026Q3"))
    };
    let p = write(root.path(), "sst.xlsx", &book.bytes());
    let (code, json) = check(&p, &[]);
    assert_eq!(code, 1);
    assert_eq!(
        diagnostics(&json, "sst.xlsx"),
        vec![("file-corrupt".into(), None)]
    );
}

/// 宣传部's valid return with its texts in a shared-string table (the title is string 0, as
/// Excel and WPS save it) and 备注 of indicator 34 pointing at string `index`, or at its own
/// text 已核实 (the table's last string) without one.
fn shared_string_return(index: Option<&str>) -> Vec<u8> {
    let mut strings = Vec::new();
    let mut rows = valid_return_rows("2026Q3");
    // Each inline text becomes a shared-string cell, in order of appearance.
    while let Some(start) = rows.find(r#" t="inlineStr"><is><t>"#) {
        let text_at = start + r#" t="inlineStr"><is><t>"#.len();
        let end = text_at + rows[text_at..].find("</t></is>").unwrap();
        let text = rows[text_at..end].to_string();
        let n = strings.iter().position(|s| *s == text).unwrap_or_else(|| {
            strings.push(text.clone());
            strings.len() - 1
        });
        rows.replace_range(
            start..end + "</t></is>".len(),
            &format!(r#" t="s"><v>{n}</v>"#),
        );
    }
    strings.push("已核实".into());
    let last = (strings.len() - 1).to_string();
    let index = index.unwrap_or(&last);
    let remark = format!(r#"<c r="H5" t="s"><v>{index}</v></c>"#);
    let rows = rows.replacen(
        &number_cell("F5", 96.2),
        &(number_cell("F5", 96.2) + &remark),
        1,
    );
    let si: String = strings
        .iter()
        .map(|s| format!("<si><t>{s}</t></si>"))
        .collect();
    Xlsx {
        shared_strings: Some(format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{0}" uniqueCount="{0}">{si}</sst>"#,
            strings.len()
        )),
        ..one_sheet("指标填报", rows)
    }
    .bytes()
}

#[test]
fn a_shared_string_index_that_is_not_a_number_is_a_corrupt_cell_not_string_zero() {
    let root = tempfile::tempdir().unwrap();
    let good = write(root.path(), "good.xlsx", &shared_string_return(None));
    let (code, json) = check(&good, &[]);
    assert_eq!(code, 0, "{json}");
    assert_eq!(json["files"][0]["status"], "accepted", "{json}");
    assert_eq!(json["files"][0]["rows"]["consolidated"], 2);
    for (name, index) in [
        ("minus.xlsx", "-1"),
        ("fraction.xlsx", "1.9"),
        ("word.xlsx", "abc"),
    ] {
        let p = write(root.path(), name, &shared_string_return(Some(index)));
        let (code, json) = check(&p, &[]);
        assert_eq!(code, 1, "{index}: {json}");
        assert_eq!(
            diagnostics(&json, name),
            vec![("file-corrupt".into(), Some("H5".into()))],
            "{index}"
        );
        let d = &json["files"][0]["diagnostics"][0];
        assert_eq!(d["sheet"], "指标填报");
        assert_eq!(d["value"], index);
        assert!(d["message"].as_str().unwrap().contains("共享字符串"), "{d}");
        // The unit is still told and its two rows are held with the rejected return.
        let file = &json["files"][0];
        assert_eq!(file["department"], "宣传部");
        assert_eq!(file["rows"]["read"], 2);
        assert_eq!(file["rows"]["held"], 2);
    }
    // A sheet stored where only its relationship tells (not under worksheets/) is found too.
    let moved = moved_sheet(&shared_string_return(Some("-1")));
    let p = write(root.path(), "moved.xlsx", &moved);
    let (code, json) = check(&p, &[]);
    assert_eq!(code, 1, "{json}");
    assert_eq!(
        diagnostics(&json, "moved.xlsx"),
        vec![("file-corrupt".into(), Some("H5".into()))]
    );
    assert_eq!(json["files"][0]["diagnostics"][0]["sheet"], "指标填报");
}

/// The workbook with its first sheet moved from `xl/worksheets/sheet1.xml` to `xl/data/s.xml`.
fn moved_sheet(xlsx: &[u8]) -> Vec<u8> {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).unwrap();
    let files = (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).unwrap();
            let mut text = String::new();
            std::io::Read::read_to_string(&mut f, &mut text).unwrap();
            let name = f
                .name()
                .unwrap()
                .replace("worksheets/sheet1.xml", "data/s.xml");
            (name, text.replace("worksheets/sheet1.xml", "data/s.xml"))
        })
        .collect();
    crate::support::zip_entries(files)
}

/// An .ods of one table whose `content.xml` body is `rows`.
pub fn ods(rows: &str) -> Vec<u8> {
    use std::io::Write;
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="指标填报">{rows}</table:table></office:spreadsheet></office:body></office:document-content>"#
    );
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut out);
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        let deflated = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        z.start_file("mimetype", stored).unwrap();
        z.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
            .unwrap();
        z.start_file("META-INF/manifest.xml", deflated).unwrap();
        z.write_all(manifest.as_bytes()).unwrap();
        z.start_file("content.xml", deflated).unwrap();
        z.write_all(content.as_bytes()).unwrap();
        z.finish().unwrap();
    }
    out.into_inner()
}

#[test]
fn an_ods_row_repeated_thousands_of_times_over_every_column_is_refused_in_bounded_memory() {
    let root = tempfile::tempdir().unwrap();
    let rows = r#"<table:table-row table:number-rows-repeated="6000"><table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="16384"><text:p>1</text:p></table:table-cell></table:table-row>"#;
    let p = write(root.path(), "repeat.ods", &ods(rows));
    assert!(std::fs::metadata(&p).unwrap().len() < 8_000);
    // 1 GB of address space: calamine alone would take 6 GB for this file.
    let r = crate::support::check_capped(1_048_576, &[p.to_str().unwrap(), "--format", "json"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let json = r.json();
    assert_eq!(
        diagnostics(&json, "repeat.ods"),
        vec![("sheet-too-large".into(), None)]
    );
}

#[test]
fn a_fifo_and_a_device_named_like_returns_are_refused_without_being_read() {
    let root = tempfile::tempdir().unwrap();
    let fifo = root.path().join("x.xlsx");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    std::os::unix::fs::symlink("/dev/zero", root.path().join("big.xlsx")).unwrap();
    write(
        root.path(),
        "宣传部.xlsx",
        &one_sheet("指标填报", valid_return_rows("2026Q3")).bytes(),
    );
    // Run with a deadline: a hang is the failure being guarded against.
    let check_within = |path: &Path| {
        let mut child = Command::new(bin())
            .args(["check", "--format", "json"])
            .arg(path)
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let start = std::time::Instant::now();
        while child.try_wait().unwrap().is_none() {
            if start.elapsed() > std::time::Duration::from_secs(20) {
                let _ = child.kill();
                panic!("check hung on a FIFO or a device");
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(1));
        serde_json::from_slice::<Value>(&out.stdout).unwrap()
    };
    let json = check_within(root.path());
    assert_eq!(
        diagnostics(&json, "x.xlsx"),
        vec![("file-unreadable".into(), None)]
    );
    // In a folder, a link out of it is not followed; named on its own, the device is refused.
    assert_eq!(
        diagnostics(&json, "big.xlsx"),
        vec![("link-outside".into(), None)]
    );
    assert!(diagnostics(&json, "宣传部.xlsx").is_empty());
    let json = check_within(&root.path().join("big.xlsx"));
    assert_eq!(
        diagnostics(&json, "big.xlsx"),
        vec![("file-unreadable".into(), None)]
    );
}

#[test]
fn a_date_from_a_1904_workbook_keeps_its_day() {
    let root = tempfile::tempdir().unwrap();
    let returns = root.path().join("returns");
    // 报告期 typed as a date (an error, so the return comes back): 2026-09-30 is 44833 in the
    // 1904 system.
    let rows = valid_return_rows("2026Q3").replace(
        &text_cell("E2", "2026Q3"),
        r#"<c r="E2" s="1"><v>44833</v></c>"#,
    );
    let styles = r#"<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="1"><font/></fonts><fills count="1"><fill/></fills><borders count="1"><border/></borders><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>"#;
    let book = Xlsx {
        workbook_pr: r#"date1904="1""#,
        styles: Some(styles),
        ..one_sheet("指标填报", rows)
    };
    write(&returns, "宣传部.xlsx", &book.bytes());
    let out = root.path().join("out");
    let (code, json, stderr) = build(&returns, &out);
    assert_eq!(code, 1, "{stderr}");
    let file = &json["files"][0];
    let d = file["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["cell"] == "E2")
        .unwrap_or_else(|| panic!("{file}"));
    let seen = d["value"].as_str().unwrap();
    assert!(seen.contains("2026-09-30") || seen.contains("46295"), "{d}");
    assert!(!seen.contains("44833"), "{d}");
    // The copy is a 1900-system workbook: the serial it holds is the 1900 one.
    let copy = out.join("退回修改/宣传部_退回修改.xlsx");
    let mut z = zip::ZipArchive::new(std::fs::File::open(copy).unwrap()).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(
        &mut z.by_name("xl/worksheets/sheet2.xml").unwrap(),
        &mut xml,
    )
    .unwrap();
    assert!(xml.contains("<v>46295</v>"), "{xml}");
}

#[test]
fn a_closed_pipe_is_a_normal_end() {
    for args in [
        &["schema", "--format", "json"][..],
        &["schema"],
        &["check", "samples/2026Q3", "--format", "json"],
        &["check", "samples/2026Q3"],
    ] {
        // The reader goes away before the first byte is written (`… | head -0`).
        let mut child = Command::new(bin())
            .args(args)
            .current_dir(repo())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
        assert!(!stderr.contains("内部错误"), "{args:?}: {stderr}");
    }
}

#[test]
fn escape_sequences_in_names_and_values_are_not_sent_to_the_terminal() {
    let root = tempfile::tempdir().unwrap();
    let rows = valid_return_rows("2026Q3")
        .replace(&number_cell("F5", 96.2), &text_cell("F5", "\u{1b}[2J很好"));
    write(
        root.path(),
        "\u{1b}]0;title\u{7}宣传部.xlsx",
        &one_sheet("指标填报", rows).bytes(),
    );
    let (code, stdout, _) = eco(&["check".as_ref(), root.path().as_os_str()]);
    assert_eq!(code, 1);
    assert!(
        !stdout.contains('\u{1b}') && !stdout.contains('\u{7}'),
        "{stdout:?}"
    );
    assert!(stdout.contains("\\u{1b}"), "{stdout}");
}
