//! The third round of hostile input at the command line (issue 28): values a second column or
//! table hides, a forged stamp revision, outputs and returns reached through symlinks, an
//! unassigned unit's row, bidi controls, and staged forms.

use crate::odd::{build, check, diagnostics, returned, write};
use crate::support::{number_cell, one_sheet, text_cell, valid_return_rows, Xlsx};
use serde_json::Value;
use std::path::Path;

fn files<'a>(json: &'a Value, name: &str) -> &'a Value {
    json["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["file"].as_str().unwrap().ends_with(name))
        .unwrap_or_else(|| panic!("{name} not in {json}"))
}

#[test]
fn a_second_value_column_or_a_table_beside_the_first_is_flagged_when_it_differs() {
    let root = tempfile::tempdir().unwrap();
    let base = valid_return_rows("2026Q3");
    // A second 本期值 in K with another value for 34.
    let second_column = base
        .replace(
            "</row><row r=\"5\">",
            &format!("{}</row><row r=\"5\">", text_cell("K4", "本期值")),
        )
        .replace(
            "</row><row r=\"6\">",
            &format!("{}</row><row r=\"6\">", number_cell("K5", 50.0)),
        );
    // A whole second table beside the first, J–L, with other values.
    let beside = base
        .replace(
            "</row><row r=\"5\">",
            &format!(
                "{}{}{}</row><row r=\"5\">",
                text_cell("J4", "序号"),
                text_cell("K4", "指标名称"),
                text_cell("L4", "本期值")
            ),
        )
        .replace(
            "</row><row r=\"6\">",
            &format!(
                "{}{}{}</row><row r=\"6\">",
                text_cell("J5", "34"),
                text_cell("K5", "公众对生态文明建设的满意度"),
                number_cell("L5", 40.0)
            ),
        );
    // The same second column holding the same values is harmless.
    let same = base
        .replace(
            "</row><row r=\"5\">",
            &format!("{}</row><row r=\"5\">", text_cell("K4", "本期值")),
        )
        .replace(
            "</row><row r=\"6\">",
            &format!("{}</row><row r=\"6\">", number_cell("K5", 96.2)),
        );
    for (name, rows, cell) in [
        ("second.xlsx", &second_column, Some("K4")),
        ("beside.xlsx", &beside, Some("L4")),
        ("same.xlsx", &same, None),
    ] {
        let p = write(
            root.path(),
            name,
            &one_sheet("指标填报", rows.clone()).bytes(),
        );
        let (code, json) = check(&p, &[]);
        let d = diagnostics(&json, name);
        match cell {
            Some(cell) => {
                assert_eq!(code, 1, "{name}: {d:?}");
                assert!(
                    d.contains(&("column-repeated".into(), Some(cell.into()))),
                    "{name}: {d:?}"
                );
                assert_eq!(files(&json, name)["status"], "rejected");
            }
            None => {
                assert_eq!(code, 0, "{name}: {d:?}");
                assert!(
                    !d.iter().any(|(c, _)| c == "column-repeated"),
                    "{name}: {d:?}"
                );
            }
        }
    }
}

/// A return of 宣传部 with a stamp sheet carrying `revision`.
fn stamped(rows: String, revision: &str) -> Vec<u8> {
    let stamp = format!(
        "<row r=\"1\">{}{}</row><row r=\"2\">{}{}</row><row r=\"3\">{}{}</row>",
        text_cell("A1", "unit"),
        text_cell("B1", "宣传部"),
        text_cell("A2", "period"),
        text_cell("B2", "2026Q3"),
        text_cell("A3", "revision"),
        text_cell("B3", revision),
    );
    Xlsx {
        sheets: vec![("指标填报", rows), ("_form", stamp)],
        workbook_pr: "",
        shared_strings: None,
        styles: None,
    }
    .bytes()
}

#[test]
fn a_forged_stamp_revision_of_u32_max_is_superseded_by_the_copy_sent_back() {
    let root = tempfile::tempdir().unwrap();
    let returns = root.path().join("in");
    let rejected = crate::support::rejected_return_rows("2026Q3");
    write(
        &returns,
        "宣传部.xlsx",
        &stamped(rejected, &u32::MAX.to_string()),
    );
    let out = root.path().join("out");
    let (code, _, stderr) = build(&returns, &out);
    assert_eq!(code, 1, "{stderr}");
    let copies = returned(&out);
    assert_eq!(copies.len(), 1, "{copies:?}");
    let copy = out.join("退回修改").join(copies.iter().next().unwrap());
    // The copy goes back beside the original, as the office does: it must win.
    std::fs::copy(&copy, returns.join("宣传部_退回修改.xlsx")).unwrap();
    let (_, json) = check(&returns, &["--period", "2026Q3"]);
    assert_eq!(
        files(&json, "in/宣传部.xlsx")["status"],
        "superseded",
        "{json}"
    );
    assert_eq!(files(&json, "宣传部_退回修改.xlsx")["status"], "rejected");
}

#[test]
fn symlinks_that_leave_the_returns_folder_are_not_followed() {
    let root = tempfile::tempdir().unwrap();
    let returns = root.path().join("in");
    let outside = root.path().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    crate::support::copy_samples("2026Q3", &returns);
    std::os::unix::fs::symlink("../outside", returns.join("ext")).unwrap();
    std::os::unix::fs::symlink("/", returns.join("root")).unwrap();
    // A link that stays inside is followed (and, leading to a folder already read, read once).
    std::fs::create_dir_all(returns.join("real")).unwrap();
    std::fs::rename(
        returns.join("2026Q3_宣传部_填报表.xlsx"),
        returns.join("real/2026Q3_宣传部_填报表.xlsx"),
    )
    .unwrap();
    std::os::unix::fs::symlink("real", returns.join("inside")).unwrap();
    let out = outside.join("out");
    let first = build(&returns, &out);
    let second = build(&returns, &out);
    for (code, json, stderr) in [&first, &second] {
        assert_eq!(*code, 1, "{stderr}");
        let names: Vec<&str> = json["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["file"].as_str().unwrap())
            .collect();
        assert!(
            !names
                .iter()
                .any(|n| n.contains("退回修改") || n.contains("汇总表")),
            "{names:?}"
        );
        for link in ["in/ext", "in/root"] {
            let d = diagnostics(json, link);
            assert_eq!(d, vec![("link-outside".to_string(), None)], "{link}");
        }
        assert!(
            names
                .iter()
                .any(|n| n.ends_with("real/2026Q3_宣传部_填报表.xlsx")),
            "{names:?}"
        );
        assert!(!names.iter().any(|n| n.ends_with("in/inside")), "{names:?}");
        assert_eq!(
            files(json, "2026Q3_财政局_填报表.xlsx")["status"],
            "rejected"
        );
    }
}

#[test]
fn another_units_row_for_an_indicator_informs_the_office_without_doubting_the_figure() {
    let root = tempfile::tempdir().unwrap();
    let returns = root.path().join("in");
    let repo = crate::support::repo();
    // 非负责指标.xlsx: a unit not assigned 25 reports it, with a value unlike 住建局's.
    std::fs::create_dir_all(&returns).unwrap();
    std::fs::copy(
        repo.join("samples/malformed/非负责指标.xlsx"),
        returns.join("a.xlsx"),
    )
    .unwrap();
    std::fs::copy(
        repo.join("samples/2026Q3/2026Q3_住建局_填报表.xlsx"),
        returns.join("b.xlsx"),
    )
    .unwrap();
    let out = root.path().join("out");
    let (_, json, stderr) = build(&returns, &out);
    let d = diagnostics(&json, "a.xlsx");
    assert!(
        d.iter().any(|(c, _)| c == "indicator-conflict"),
        "the office is told: {d:?} {stderr}"
    );
    let row25 = json["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "25")
        .unwrap();
    assert!(
        row25["unverified"].is_null() || row25["unverified"] == false,
        "{row25}"
    );
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(out.join("汇总表.xlsx")).unwrap();
    use calamine::Reader;
    let overview = book.worksheet_range("指标总览").unwrap();
    let doubted = overview
        .rows()
        .filter(|r| {
            r.iter()
                .any(|c| matches!(c, calamine::Data::String(s) if s == "25"))
        })
        .any(|r| r.iter().any(|c| c.to_string().contains("待核实")));
    assert!(
        !doubted,
        "住建局's 25 is not 待核实 because another unit typed a row for it"
    );
}

/// Every text part of an .xlsx or .docx, joined.
fn package_text(path: &Path) -> String {
    let mut z = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut all = String::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        if name.ends_with(".xml") || name.ends_with(".rels") {
            std::io::Read::read_to_string(&mut f, &mut all).unwrap();
        }
    }
    all
}

#[test]
fn bidi_controls_reach_neither_file_names_nor_the_outputs() {
    let root = tempfile::tempdir().unwrap();
    let returns = root.path().join("in");
    let rows = crate::support::rejected_return_rows("2026Q3").replace(
        &text_cell("H4", "备注"),
        &format!(
            "{}</row><row r=\"3\">{}",
            text_cell("H4", "备注"),
            text_cell("H3", "\u{202E}txt.exe")
        ),
    );
    let rows = rows.replace(
        "</row><row r=\"6\">",
        &format!(
            "{}</row><row r=\"6\">",
            text_cell("H5", "见附件\u{202E}fdp.exe\u{2066}")
        ),
    );
    let name = "2026Q3_宣传部_\u{202E}xslx.exe.xlsx";
    write(&returns, name, &one_sheet("指标\u{202E}填报", rows).bytes());
    let out = root.path().join("out");
    let (code, _, stderr) = build(&returns, &out);
    assert_eq!(code, 1, "{stderr}");
    let bidi = |s: &str| {
        s.chars()
            .any(|c| matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'))
    };
    let copies = returned(&out);
    assert_eq!(copies.len(), 1);
    for copy in &copies {
        assert!(!bidi(copy), "{copy:?}");
        let text = package_text(&out.join("退回修改").join(copy));
        assert!(
            text.contains("见附件fdp.exe"),
            "the note is kept, its controls dropped"
        );
        assert!(!bidi(&text), "{copy}");
    }
    for f in ["汇总表.xlsx", "评估报告.docx"] {
        assert!(!bidi(&package_text(&out.join(f))), "{f}");
    }
    let human = std::process::Command::new(env!("CARGO_BIN_EXE_eco-returns"))
        .arg("check")
        .arg(&returns)
        .output()
        .unwrap();
    assert!(!bidi(&String::from_utf8_lossy(&human.stdout)));
}

#[test]
fn rows_the_form_has_no_place_for_come_back_below_its_table() {
    let root = tempfile::tempdir().unwrap();
    let returns = root.path().join("in");
    // 宣传部's return with an id no indicator has, and 组织部's indicator 3.
    let rows = crate::support::rejected_return_rows("2026Q3").replace(
        "</row><row r=\"6\">",
        &format!(
            "</row><row r=\"7\">{}{}{}</row><row r=\"8\">{}{}{}</row><row r=\"6\">",
            text_cell("A7", "99"),
            text_cell("B7", "自编指标"),
            number_cell("F7", 50.0),
            text_cell("A8", "3"),
            text_cell("B8", "生态文明建设工作占党政实绩考核的比例"),
            number_cell("F8", 22.0),
        ),
    );
    write(
        &returns,
        "宣传部.xlsx",
        &one_sheet("指标填报", rows).bytes(),
    );
    let out = root.path().join("out");
    let (code, _, stderr) = build(&returns, &out);
    assert_eq!(code, 1, "{stderr}");
    let copy = out.join("退回修改/2026Q3_宣传部_退回修改.xlsx");
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&copy).unwrap();
    let sheet = book.worksheet_range("指标填报").unwrap();
    let rows: Vec<Vec<String>> = sheet
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    let find = |id: &str| {
        rows.iter()
            .position(|r| r.first().is_some_and(|c| c == id))
            .unwrap_or_else(|| panic!("{id} not in {rows:?}"))
    };
    let (r34, r35, r99, r3) = (find("34"), find("35"), find("99"), find("3"));
    assert!(
        r99 > r35 && r3 > r35 && r34 < r35,
        "below the table: {rows:?}"
    );
    assert_eq!(rows[r99][1], "自编指标");
    assert_eq!(rows[r99][5], "50");
    assert_eq!(rows[r3][5], "22");
    let xml = {
        let mut z = zip::ZipArchive::new(std::fs::File::open(&copy).unwrap()).unwrap();
        let names: Vec<String> = z
            .file_names()
            .filter_map(|n| n.ok().map(|n| n.to_string()))
            .collect();
        let mut all = String::new();
        for n in names.iter().filter(|n| n.contains("comments")) {
            std::io::Read::read_to_string(&mut z.by_name(n).unwrap(), &mut all).unwrap();
        }
        all
    };
    assert!(
        xml.contains("第 7 行无法识别"),
        "the unknown row keeps its note: {xml}"
    );
}

#[test]
fn one_stray_cell_far_below_an_ods_table_is_a_warning_as_in_xlsx() {
    let cell = |s: &str| {
        format!("<table:table-cell office:value-type=\"string\"><text:p>{s}</text:p></table:table-cell>")
    };
    let number = |n: f64| {
        format!("<table:table-cell office:value-type=\"float\" office:value=\"{n}\"><text:p>{n}</text:p></table:table-cell>")
    };
    let row = |cells: Vec<String>| format!("<table:table-row>{}</table:table-row>", cells.join(""));
    let empty = || "<table:table-cell/>".to_string();
    let rows = [
        row(vec![cell("填报单位"), cell("宣传部"), empty(), cell("报告期"), cell("2026Q3")]),
        row(vec![cell("序号"), cell("指标名称"), cell("本期值"), cell("备注"), cell("数据来源"), empty(), empty(), cell("说明")]),
        row(vec![cell("34"), cell("公众对生态文明建设的满意度"), number(96.2)]),
        row(vec![cell("35"), cell("公众对生态文明建设的参与度"), number(86.1)]),
        // 900,000 empty rows, then one stray note: a box of 900,005 × 8 cells for calamine.
        "<table:table-row table:number-rows-repeated=\"900000\"><table:table-cell table:number-columns-repeated=\"8\"/></table:table-row>".to_string(),
        row(vec![cell("备用")]),
    ]
    .join("");
    let root = tempfile::tempdir().unwrap();
    let p = write(root.path(), "宣传部.ods", &crate::odd::ods(&rows));
    let (code, json) = check(&p, &["--period", "2026Q3"]);
    let d = diagnostics(&json, "宣传部.ods");
    assert_eq!(code, 0, "{d:?}");
    // This hand-made sheet has no 数据年份: one notice for its annual rows, beside the one
    // for the far row.
    assert_eq!(
        d,
        vec![
            ("rows-ignored".to_string(), Some("A900005".to_string())),
            ("data-year-assumed".to_string(), None)
        ]
    );
    let f = files(&json, "宣传部.ods");
    assert_eq!(f["rows"]["consolidated"], 2, "{f}");
    assert_eq!(f["rows"]["read"], 3, "{f}");
    assert_eq!(f["rows"]["in_diagnostics"], 1, "{f}");
}

#[test]
fn an_empty_table_before_a_far_stray_cell_neither_misplaces_the_cut_nor_loses_a_row() {
    let cell = |s: &str| {
        format!("<table:table-cell office:value-type=\"string\"><text:p>{s}</text:p></table:table-cell>")
    };
    let row = |cells: Vec<String>| format!("<table:table-row>{}</table:table-row>", cells.join(""));
    for unit in ["宣传部", ""] {
        let table = [
            row(vec![cell("填报单位"), cell(unit), cell("报告期"), cell("2026Q3")]),
            row(vec![cell("序号"), cell("指标名称"), cell("本期值")]),
            row(vec![cell("34"), cell("公众对生态文明建设的满意度"), cell("96.2")]),
            row(vec![cell("35"), cell("公众对生态文明建设的参与度"), cell("86.1")]),
            // One cell at row 999,999, column 100: a box of 100 million cells for calamine.
            "<table:table-row table:number-rows-repeated=\"999995\"><table:table-cell/></table:table-row>".to_string(),
            format!("<table:table-row><table:table-cell table:number-columns-repeated=\"99\"/>{}</table:table-row>", cell("x")),
        ]
        .join("");
        // An empty table first: the cut must still land on the second.
        let rows = format!("</table:table><table:table table:name=\"备用\"/><table:table table:name=\"指标填报2\">{table}");
        let root = tempfile::tempdir().unwrap();
        let p = write(root.path(), "宣传部.ods", &crate::odd::ods(&rows));
        // 1.5 GB of address space: the dense grid alone would need several.
        let r = crate::support::check_capped(
            1_572_864,
            &[
                p.to_str().unwrap(),
                "--period",
                "2026Q3",
                "--format",
                "json",
            ],
        );
        assert!(!r.stdout.is_empty(), "{unit:?}: {}", r.stderr);
        let json: Value = r.json();
        let f = files(&json, "宣传部.ods");
        let d = diagnostics(&json, "宣传部.ods");
        assert!(
            d.iter().any(|(c, _)| c == "rows-ignored"),
            "{unit:?}: {d:?}"
        );
        let rows = &f["rows"];
        let sum = ["consolidated", "in_diagnostics", "held"]
            .iter()
            .map(|k| rows[k].as_u64().unwrap())
            .sum::<u64>();
        assert_eq!(rows["read"].as_u64().unwrap(), sum, "{unit:?}: {rows}");
        assert!(rows["read"].as_u64().unwrap() >= 3, "{unit:?}: {rows}");
    }
}
