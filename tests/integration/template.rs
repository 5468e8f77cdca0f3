//! `template`: the forms a unit fills in. They are filled here the way a person would (by
//! editing the cells of the sheet XML, not with our writer), then read back by `check`.

use crate::support::run;
use eco_returns::schema::{Schema, Standard};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::Path;

fn write_entries(path: &Path, entries: &BTreeMap<String, Vec<u8>>) {
    let mut z = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in entries {
        z.start_file(name.as_str(), opts).unwrap();
        z.write_all(data).unwrap();
    }
    z.finish().unwrap();
}

fn sheet_xml(e: &BTreeMap<String, Vec<u8>>, n: usize) -> String {
    String::from_utf8(e[&format!("xl/worksheets/sheet{n}.xml")].clone()).unwrap()
}

/// Puts a value into an empty styled cell `<c r="F6" s="4"/>`, as Excel would store it.
fn fill(xml: &mut String, cell: &str, value: &str) {
    let start = xml
        .find(&format!("<c r=\"{cell}\" "))
        .unwrap_or_else(|| panic!("{cell} not in sheet"));
    let end = start + xml[start..].find("/>").unwrap();
    let attrs = xml[start + 3..end].to_string();
    let body = if value.parse::<f64>().is_ok() {
        format!("<c {attrs}><v>{value}</v></c>")
    } else {
        format!("<c {attrs} t=\"inlineStr\"><is><t>{value}</t></is></c>")
    };
    xml.replace_range(start..end + 2, &body);
}

/// The value a person would type for `id`: inside the validation range.
fn typed_value(schema: &Schema, id: &str) -> String {
    let ind = schema.indicator(id).unwrap();
    match &ind.standard {
        Standard::Qualitative => ind.met[0].clone(),
        _ if ind.not_applicable => "不适用".to_string(),
        _ if ind.measure_unit.as_deref() == Some("%") => format!(
            "{}.5",
            40 + id.len() * 7 + id.chars().filter(|c| c.is_ascii_digit()).count()
        ),
        _ => "150.2".to_string(),
    }
}

#[test]
fn forms_filled_in_by_hand_come_back_accepted_with_every_value() {
    let schema = Schema::builtin().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let r = run([
        "template",
        "--period",
        "2026Q3",
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut expected: BTreeMap<String, String> = BTreeMap::new();
    let units = schema.reporting_units();
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), units.len());
    for unit in &units {
        let path = dir.path().join(format!("2026Q3_{}_填报表.xlsx", unit.name));
        let mut e = crate::support::zip_parts(&path);
        let mut n = 1;
        let indicators: Vec<_> = schema.indicators_of(&unit.name).collect();
        if !indicators.is_empty() {
            let mut xml = sheet_xml(&e, n);
            fill(&mut xml, "B3", "张三");
            for (i, ind) in indicators.iter().enumerate() {
                let row = 6 + i;
                let v = typed_value(&schema, &ind.id);
                fill(&mut xml, &format!("F{row}"), &v);
                if ind.frequency == eco_returns::schema::Frequency::Annual {
                    fill(&mut xml, &format!("G{row}"), "2025");
                }
                if v == "不适用" {
                    fill(&mut xml, &format!("I{row}"), "全旗暂不涉及");
                }
                expected.insert(ind.id.clone(), v);
            }
            e.insert(format!("xl/worksheets/sheet{n}.xml"), xml.into_bytes());
            n += 1;
        }
        let projects: Vec<_> = schema.projects_of(&unit.name).collect();
        if !projects.is_empty() {
            let mut xml = sheet_xml(&e, n);
            for (i, p) in projects.iter().enumerate() {
                let row = 6 + i;
                let completed = p.investment.map(|v| v / 2.0).unwrap_or(10.0);
                fill(&mut xml, &format!("D{row}"), &completed.to_string());
                fill(&mut xml, &format!("E{row}"), "50");
                fill(&mut xml, &format!("F{row}"), "在建");
            }
            e.insert(format!("xl/worksheets/sheet{n}.xml"), xml.into_bytes());
        }
        write_entries(&path, &e);
    }
    let r = run(["check", dir.path().to_str().unwrap(), "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    let json: Value = r.json();
    for f in json["files"].as_array().unwrap() {
        assert_eq!(
            f["status"], "accepted",
            "{}: {}",
            f["file"], f["diagnostics"]
        );
        assert_eq!(f["rows"]["read"], f["rows"]["consolidated"]);
    }
    assert_eq!(json["missing_units"].as_array().unwrap().len(), 0);
    let got: BTreeMap<String, String> = json["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["id"].as_str().unwrap().to_string(),
                i["text"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(got.len(), 44);
    for (id, typed) in &expected {
        let value = &json["indicators"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == id.as_str())
            .unwrap()["value"];
        match typed.parse::<f64>() {
            Ok(n) => assert_eq!(value.as_f64(), Some(n), "{id}"),
            Err(_) => assert_eq!(&got[id], typed, "{id}"),
        }
    }
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    Some(tag[start..start + tag[start..].find('"')?].to_string())
}

/// `(sqref, type, formula1, formula2)` of every data validation in a sheet.
fn validations(xml: &str) -> Vec<(String, String, String, String)> {
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(i) = rest.find("<dataValidation ") {
        let block = &rest[i..i + rest[i..].find("</dataValidation>").unwrap()];
        let between = |open: &str, close: &str| {
            block
                .find(open)
                .map(|s| block[s + open.len()..s + block[s..].find(close).unwrap()].to_string())
                .unwrap_or_default()
        };
        out.push((
            attr(block, "sqref").unwrap(),
            attr(block, "type").unwrap_or_default(),
            between("<formula1>", "</formula1>"),
            between("<formula2>", "</formula2>"),
        ));
        rest = &rest[i + block.len()..];
    }
    out
}

/// Cells whose style is unlocked (`<protection locked="0"/>` in styles.xml).
fn unlocked_cells(e: &BTreeMap<String, Vec<u8>>, sheet: &str) -> BTreeSet<String> {
    let styles = String::from_utf8(e["xl/styles.xml"].clone()).unwrap();
    let xfs = &styles[styles.find("<cellXfs").unwrap()..styles.find("</cellXfs>").unwrap()];
    let unlocked: BTreeSet<usize> = xfs
        .split("<xf ")
        .skip(1)
        .enumerate()
        .filter(|(_, x)| x.contains("locked=\"0\""))
        .map(|(i, _)| i)
        .collect();
    sheet
        .split("<c r=\"")
        .skip(1)
        .filter_map(|c| {
            let r = c[..c.find('"')?].to_string();
            let s: usize = attr(&format!(" {}", &c[c.find('"')? + 1..]), "s")?
                .parse()
                .ok()?;
            unlocked.contains(&s).then_some(r)
        })
        .collect()
}

#[test]
fn validation_lists_ranges_and_protection_are_exactly_as_the_schema_says() {
    let dir = tempfile::tempdir().unwrap();
    let r = run([
        "template",
        "--period",
        "2026Q3",
        "--out",
        dir.path().to_str().unwrap(),
        "--department",
        "水务局",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let e = crate::support::zip_parts(&dir.path().join("2026Q3_水务局_填报表.xlsx"));
    let sheet = sheet_xml(&e, 1);
    assert_eq!(
        validations(&sheet),
        vec![
            (
                "F6".into(),
                "list".into(),
                "\"全面实施,未全面实施\"".into(),
                String::new()
            ),
            ("F7".into(), "decimal".into(), "0".into(), "100".into()),
            (
                "F8".into(),
                "decimal".into(),
                "0".into(),
                "1000000000".into()
            ),
            ("F9".into(), "decimal".into(), "0".into(), "100".into()),
            // 数据年份: 2000 to the last ended year, one rule for the column (4's cell, a
            // quarterly state, is locked; 16, 18 and 24 are annual statistics).
            ("G6:G9".into(), "whole".into(), "2000".into(), "2025".into()),
        ]
    );
    assert!(
        sheet.contains("<sheetProtection sheet=\"1\""),
        "the indicator sheet is protected"
    );
    let expected: BTreeSet<String> = ["B3", "E3", "H3"]
        .iter()
        .map(|s| s.to_string())
        .chain((6..=9).flat_map(|r| ["F", "H", "I"].map(|c| format!("{c}{r}"))))
        // 数据年份 is an input on the annual rows only (4, 河长制, is a state each quarter).
        .chain(["G7", "G8", "G9"].map(String::from))
        .collect();
    assert_eq!(unlocked_cells(&e, &sheet), expected);

    let projects = sheet_xml(&e, 2);
    let v = validations(&projects);
    assert!(v.contains(&(
        "F6".into(),
        "list".into(),
        "\"未开工,在建,已完工,已暂停\"".into(),
        String::new()
    )));
    assert!(v.contains(&("E6".into(), "decimal".into(), "0".into(), "100".into())));
    assert!(
        v.contains(&("D6".into(), "decimal".into(), "0".into(), "2026.21".into())),
        "{v:?}"
    );
    assert!(projects.contains("<sheetProtection sheet=\"1\""));
    let expected: BTreeSet<String> = ["B3", "E3", "H3"]
        .iter()
        .map(|s| s.to_string())
        .chain((6..=9).flat_map(|r| ["D", "E", "F", "G"].map(|c| format!("{c}{r}"))))
        .collect();
    assert_eq!(unlocked_cells(&e, &projects), expected);

    let workbook = String::from_utf8(e["xl/workbook.xml"].clone()).unwrap();
    assert!(workbook.contains("name=\"_form\"") && workbook.contains("state=\"hidden\""));
}

#[test]
fn qualitative_rows_with_not_applicable_offer_it_in_the_list() {
    let dir = tempfile::tempdir().unwrap();
    run([
        "template",
        "--period",
        "2026Q3",
        "--out",
        dir.path().to_str().unwrap(),
        "--department",
        "林草局",
    ]);
    let e = crate::support::zip_parts(&dir.path().join("2026Q3_林草局_填报表.xlsx"));
    let v = validations(&sheet_xml(&e, 1));
    // 10, 11.1, 11.2, 11.3, 15.2 in rows 6..10.
    assert!(
        v.contains(&(
            "F9".into(),
            "list".into(),
            "\"不降低,降低,不适用\"".into(),
            String::new()
        )),
        "{v:?}"
    );
    assert!(v.contains(&(
        "F8".into(),
        "list".into(),
        "\"不明显,明显\"".into(),
        String::new()
    )));
}

#[test]
fn forms_are_byte_identical_across_runs_and_report_another_period() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    for d in [&a, &b] {
        assert_eq!(
            run([
                "template",
                "--period",
                "2026Q3",
                "--out",
                d.path().to_str().unwrap()
            ])
            .code,
            0
        );
    }
    for entry in std::fs::read_dir(a.path()).unwrap() {
        let name = entry.unwrap().file_name();
        assert_eq!(
            std::fs::read(a.path().join(&name)).unwrap(),
            std::fs::read(b.path().join(&name)).unwrap(),
            "{name:?}"
        );
    }
    // A Q2 form sent back with 报告期 changed by hand to Q3: the stamp tells.
    let q2 = tempfile::tempdir().unwrap();
    run([
        "template",
        "--period",
        "2026Q2",
        "--out",
        q2.path().to_str().unwrap(),
        "--department",
        "发改委",
    ]);
    let path = q2.path().join("2026Q2_发改委_填报表.xlsx");
    let mut e = crate::support::zip_parts(&path);
    let mut xml = sheet_xml(&e, 1);
    let q2_index = String::from_utf8(e["xl/sharedStrings.xml"].clone())
        .unwrap()
        .split("<si>")
        .skip(1)
        .position(|s| s.contains("2026Q2"))
        .unwrap();
    xml = xml.replace(
        &format!("<c r=\"E2\" s=\"3\" t=\"s\"><v>{q2_index}</v></c>"),
        "<c r=\"E2\" s=\"3\" t=\"inlineStr\"><is><t>2026Q3</t></is></c>",
    );
    fill(&mut xml, "F6", "15");
    fill(&mut xml, "G6", "2025");
    e.insert("xl/worksheets/sheet1.xml".into(), xml.into_bytes());
    write_entries(&path, &e);
    let r = run(["check", path.to_str().unwrap(), "--format", "json"]);
    let json = r.json();
    let codes: Vec<&str> = json["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["form-other-version"], "{json}");
    assert_eq!(json["period"], "2026Q3");
}

#[test]
fn an_unknown_department_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let r = run([
        "template",
        "--period",
        "2026Q3",
        "--out",
        dir.path().to_str().unwrap(),
        "--department",
        "教育局",
    ]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("不在单位名单中"));
}

/// The text of every cell of `sheet` in a generated form.
fn sheet_text(path: &Path, sheet: &str) -> Vec<String> {
    use calamine::Reader;
    let mut book = calamine::open_workbook_auto(path).unwrap();
    let range = book.worksheet_range(sheet).unwrap();
    range.cells().map(|(_, _, c)| c.to_string()).collect()
}

#[test]
fn labels_say_what_to_type_and_the_guide_fits_the_unit() {
    let dir = tempfile::tempdir().unwrap();
    let r = run([
        "template",
        "--period",
        "2026Q3",
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let form = |unit: &str| dir.path().join(format!("2026Q3_{unit}_填报表.xlsx"));
    let eco = sheet_text(&form("生态环境分局"), "指标填报");
    assert!(
        eco.iter()
            .any(|t| t.contains("PM2.5") && t.contains("年均浓度") && t.contains("微克/立方米")),
        "7.2 says to type a concentration: {eco:?}"
    );
    assert!(
        eco.iter()
            .any(|t| t.ends_with("消除比例*") || t.contains("*")),
        "8.1 carries *"
    );
    let guide = sheet_text(&form("生态环境分局"), "填报说明").join("\n");
    assert!(guide.contains("名称后带*的指标（8.1、8.3）"), "{guide}");
    // A unit with projects only is told about projects, not about 本期值 or 不适用.
    let yili = sheet_text(&form("伊利"), "填报说明").join("\n");
    assert!(
        yili.contains("重点工程") && !yili.contains("本期值") && !yili.contains("不适用"),
        "{yili}"
    );
    // A unit with indicators only, none of which may be 不适用.
    let water = sheet_text(&form("宣传部"), "填报说明").join("\n");
    assert!(
        water.contains("本期值") && !water.contains("不适用") && !water.contains("重点工程"),
        "{water}"
    );
}
