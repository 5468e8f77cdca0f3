//! The return loop end to end: a build sends 财政局's return back; the flagged cell is fixed in
//! the returned copy by editing its XML (not with our writer); the copy is dropped beside the
//! original; the next build takes it: 财政局 is 通过 and the original is listed as superseded.

use crate::support::{build_into, repo, zip_entries};
use serde_json::Value;
use std::io::Read;
use std::path::Path;

fn entries(path: &Path) -> Vec<(String, String)> {
    let mut z = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).unwrap();
            let mut s = String::new();
            f.read_to_string(&mut s).unwrap();
            (f.name().unwrap().to_string(), s)
        })
        .collect()
}

/// The text of the package part `name`.
fn part<'a>(files: &'a [(String, String)], name: &str) -> &'a str {
    &files
        .iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no part {name}"))
        .1
}

/// The sheet XML entry of the sheet named `name`.
fn sheet_entry(files: &[(String, String)], name: &str) -> String {
    let workbook = part(files, "xl/workbook.xml");
    let n = workbook
        .split("<sheet ")
        .skip(1)
        .position(|s| s.contains(&format!("name=\"{name}\"")))
        .unwrap();
    format!("xl/worksheets/sheet{}.xml", n + 1)
}

fn file<'a>(json: &'a Value, part: &str) -> &'a Value {
    json["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["file"].as_str().unwrap().contains(part))
        .unwrap_or_else(|| panic!("{part} not in {json}"))
}

#[test]
fn a_corrected_returned_copy_beside_the_original_supersedes_it() {
    let dir = tempfile::tempdir().unwrap();
    let returns = dir.path().join("2026Q3");
    std::fs::create_dir_all(&returns).unwrap();
    for e in std::fs::read_dir(repo().join("samples/2026Q3")).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, returns.join(p.file_name().unwrap())).unwrap();
    }
    let first = build_into(
        &returns,
        "2026Q3",
        &dir.path().join("out1"),
        &["--format", "json"],
    );
    assert_eq!(first.code, 1);
    let copy = dir.path().join("out1/退回修改/2026Q3_财政局_退回修改.xlsx");
    // The copy is the unit's own form: 修改说明 first, the drop-downs and protection kept, the
    // value it sent in its row, red, with its note.
    let mut files = entries(&copy);
    let workbook = part(&files, "xl/workbook.xml");
    let sheets: Vec<&str> = workbook
        .split("<sheet name=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap())
        .collect();
    assert_eq!(sheets, ["修改说明", "指标填报", "填报说明", "_form"]);
    let form_xml = part(&files, &sheet_entry(&files, "指标填报"));
    assert!(form_xml.contains("<sheetProtection"), "protected");
    assert!(
        form_xml.matches("<dataValidation ").count() >= 1,
        "drop-downs and ranges kept"
    );
    assert!(files
        .iter()
        .any(|(n, t)| n.starts_with("xl/comments") && t.contains("99,55")));
    let strings = part(&files, "xl/sharedStrings.xml");
    assert!(
        strings.contains(">revision<"),
        "the stamp carries the revision"
    );
    // The unit fixes the flagged cell (F6: “99,55”) and sends the copy back.
    let sheet = sheet_entry(&files, "指标填报");
    let xml = &mut files.iter_mut().find(|(n, _)| *n == sheet).unwrap().1;
    let start = xml.find("<c r=\"F6\"").unwrap();
    let end = start + xml[start..].find("</c>").unwrap() + 4;
    let style = xml[start..end]
        .split("s=\"")
        .nth(1)
        .map(|s| format!(" s=\"{}\"", s.split('"').next().unwrap()))
        .unwrap_or_default();
    xml.replace_range(start..end, &format!("<c r=\"F6\"{style}><v>99.55</v></c>"));
    std::fs::write(
        returns.join("2026Q3_财政局_填报表（已改）.xlsx"),
        zip_entries(files),
    )
    .unwrap();

    let second = build_into(
        &returns,
        "2026Q3",
        &dir.path().join("out2"),
        &["--format", "json"],
    );
    let json = second.json();
    assert_eq!(
        second.code, 0,
        "nothing rejected any more: {}",
        second.stderr
    );
    let corrected = file(&json, "已改");
    assert_eq!(corrected["status"], "accepted", "{corrected}");
    let original = file(&json, "2026Q3_财政局_填报表.xlsx");
    assert_eq!(original["status"], "superseded");
    let codes: Vec<&str> = original["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"return-superseded"), "{codes:?}");
    assert!(!codes.contains(&"duplicate-conflicting"), "{codes:?}");
    assert_eq!(original["rows"]["consolidated"], 0);
    let finance = json["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "32")
        .unwrap();
    assert_eq!(
        finance["value"], 99.55,
        "the corrected value is consolidated"
    );
}

#[test]
fn an_ods_return_comes_back_as_the_same_form() {
    let cell = |text: &str| {
        format!("<table:table-cell office:value-type=\"string\"><text:p>{text}</text:p></table:table-cell>")
    };
    let number = |n: f64| {
        format!("<table:table-cell office:value-type=\"float\" office:value=\"{n}\"><text:p>{n}</text:p></table:table-cell>")
    };
    let empty = "<table:table-cell/>";
    let row = |cells: Vec<String>| format!("<table:table-row>{}</table:table-row>", cells.join(""));
    let rows = [
        row(vec![
            cell("填报单位"),
            cell("宣传部"),
            empty.into(),
            cell("报告期"),
            cell("2026Q3"),
        ]),
        row(vec![
            cell("序号"),
            cell("指标名称"),
            empty.into(),
            empty.into(),
            empty.into(),
            cell("本期值"),
            cell("数据来源"),
            cell("备注"),
        ]),
        row(vec![
            cell("34"),
            cell("公众对生态文明建设的满意度"),
            empty.into(),
            empty.into(),
            empty.into(),
            cell("很满意"),
            cell("问卷"),
        ]),
        row(vec![
            cell("35"),
            cell("公众对生态文明建设的参与度"),
            empty.into(),
            empty.into(),
            empty.into(),
            number(86.1),
        ]),
    ]
    .join("");
    let dir = tempfile::tempdir().unwrap();
    let returns = dir.path().join("returns");
    std::fs::create_dir_all(&returns).unwrap();
    std::fs::write(returns.join("宣传部.ods"), crate::odd::ods(&rows)).unwrap();
    let out = dir.path().join("out");
    let r = build_into(&returns, "2026Q3", &out, &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let copy = out.join("退回修改/2026Q3_宣传部_退回修改.xlsx");
    let files = entries(&copy);
    let workbook = part(&files, "xl/workbook.xml");
    assert!(workbook.contains("name=\"修改说明\"") && workbook.contains("name=\"指标填报\""));
    let strings = part(&files, "xl/sharedStrings.xml");
    assert!(
        strings.contains("很满意") && strings.contains("问卷"),
        "the values it sent"
    );
    let form = part(&files, &sheet_entry(&files, "指标填报"));
    assert!(form.contains("<v>86.1</v>"), "a number stays a number");
}
