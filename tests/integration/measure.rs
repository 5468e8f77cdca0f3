//! 口径: each indicator knows how it is measured. Annual statistics with their data year,
//! comparisons like with like, expired targets 待核实, gaps in their own terms, 预警, overdue
//! projects and counts that explain themselves — each read back from the outputs.

use crate::support::{
    edit, number_cell, one_sheet, repo, schema_copy, valid_return_rows, xuanchuan, Build, Built,
};
use calamine::{Data, Reader};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn rows(path: &Path, sheet: &str) -> Vec<Vec<Data>> {
    let mut book = calamine::open_workbook_auto(path).unwrap();
    let range = book.worksheet_range(sheet).unwrap();
    range.rows().map(|r| r.to_vec()).collect()
}

/// The 指标总览 row of `id`, and the header row above the table.
fn overview_row(path: &Path, id: &str) -> (Vec<String>, Vec<Data>) {
    let all = rows(path, "指标总览");
    let header = all[2].iter().map(|c| c.to_string()).collect();
    let row = all
        .into_iter()
        .find(|r| r.get(1) == Some(&Data::String(id.into())))
        .unwrap_or_else(|| panic!("no row {id}"));
    (header, row)
}

fn cell<'a>(header: &[String], row: &'a [Data], name: &str) -> &'a Data {
    let i = header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name} in {header:?}"));
    &row[i]
}

/// A 宣传部 return for `period`: 34 and 35 at the values given, each with its 数据年份.
fn build_json(dir: &Path, period: &str, out: &Path, extra: &[&str]) -> Value {
    Build::new(dir, period).args(extra).into(out).json
}

/// One 宣传部 return per quarter, `(period, (34, its year), (35, its year))`, each built in
/// turn with the ones before it as history (and `extra` flags); the last build, into `root/out`.
type Quarter<'a> = (&'a str, (f64, f64), (f64, f64));

fn quarters(root: &Path, extra: &[&str], returns: &[Quarter]) -> Built {
    let history = root.join("history");
    let (last, earlier) = returns.split_last().expect("a quarter");
    for (period, r34, r35) in earlier {
        let dir = root.join(period);
        xuanchuan(&dir, period, *r34, *r35);
        Build::new(&dir, period)
            .args(extra)
            .into(&history.join(period));
    }
    let (period, r34, r35) = last;
    let dir = root.join(period);
    xuanchuan(&dir, period, *r34, *r35);
    Build::new(&dir, period)
        .args(["--history", history.to_str().unwrap()])
        .args(extra)
        .into(&root.join("out"))
}

fn diagnostics_of<'a>(json: &'a Value, code: &str) -> Vec<&'a Value> {
    json["files"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["diagnostics"].as_array().unwrap())
        .filter(|d| d["code"] == code)
        .collect()
}

#[test]
fn every_row_says_how_often_it_is_measured_and_lint_holds_it() {
    let r = crate::support::run(["schema", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let json = r.json();
    let rows = json["indicators"].as_array().unwrap();
    assert_eq!(rows.len(), 44);
    for i in rows {
        let f = i["frequency"].as_str().unwrap_or_else(|| panic!("{i}"));
        assert!(f == "季度" || f == "年度", "{i}");
        assert_eq!(i["accumulation"].is_null(), f == "年度", "{i}");
    }
    let by = |id: &str| rows.iter().find(|i| i["id"] == id).unwrap();
    assert_eq!(by("7.1")["accumulation"], "累计");
    assert_eq!(by("1")["accumulation"], "时点");
    for annual in ["3", "9", "10", "17", "18", "19", "34", "35"] {
        assert_eq!(by(annual)["frequency"], "年度", "{annual}");
    }

    let dir = schema_copy();
    edit(
        dir.path(),
        "indicators.toml",
        "department = \"林草局\"\nfrequency = \"年度\"\n",
        "department = \"林草局\"\n",
    );
    edit(
        dir.path(),
        "indicators.toml",
        "department = \"宣传部\"\nfrequency = \"年度\"\n",
        "department = \"宣传部\"\nfrequency = \"年度\"\naccumulation = \"累计\"\n",
    );
    edit(
        dir.path(),
        "indicators.toml",
        "target_period_ended = true\n",
        "target_period_ended = true\ncurrent_standard = \"≥ 3\"\n",
    );
    edit(
        dir.path(),
        "schema.toml",
        "warning_margin = 0.03",
        "warning_margin = 3",
    );
    let r = crate::support::run(["schema", "--schema", dir.path().to_str().unwrap()]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    let all = format!("{}{}", r.stdout, r.stderr);
    assert!(
        all.contains("[S019] 指标 17 的 current_standard 和 current_standard_period 须一起写"),
        "{all}"
    );
    assert!(all.contains("[S020] warning_margin = 3 无效"), "{all}");
    let all = format!("{}{}", r.stdout, r.stderr);
    assert!(all.contains("[S016] 指标 10 没有写 frequency"), "{all}");
    assert!(
        all.contains("[S017] 年度指标 34 不应写 accumulation"),
        "{all}"
    );
}

#[test]
fn an_annual_value_has_its_year_and_is_compared_with_the_year_before() {
    let root = tempfile::tempdir().unwrap();
    let history = root.path().join("history");
    // 2026Q2: 34 is 2024's 80, 35 is 2025's 86.1. 2026Q3: 34 is 2025's 85 (a new year),
    // 35 is 2025's again, but 88: a restatement.
    let q2 = root.path().join("2026Q2");
    xuanchuan(&q2, "2026Q2", (80.0, 2024.0), (86.1, 2025.0));
    let early = Build::new(&q2, "2026Q2").into(&history.join("2026Q2"));
    // 2024's 80 meets the standard (≥ 80) but says nothing of the 2025 target (≥ 85).
    assert_eq!(
        early.overview("34").text("预警"),
        "黄",
        "80 is within the margin of ≥ 80"
    );
    assert!(
        !early.report().contains("2025年规划目标（≥85%）未实现"),
        "{}",
        early.report()
    );
    assert!(
        early.report().contains("80%（2024年度）"),
        "the report says the year"
    );
    let q3 = root.path().join("2026Q3");
    xuanchuan(&q3, "2026Q3", (85.0, 2025.0), (88.0, 2025.0));
    let built = Build::new(&q3, "2026Q3")
        .args(["--history", history.to_str().unwrap()])
        .into(&root.path().join("out"));

    let i34 = built.indicator("34");
    assert_eq!(i34.data_year, Some(2025));
    assert_eq!(i34.compared_with.as_deref(), Some("2024年度"));
    assert_eq!(i34.previous.as_deref(), Some("80"));
    assert!((i34.vs_previous.unwrap() - 5.0).abs() < 1e-9);
    let i35 = built.indicator("35");
    assert_eq!(i35.vs_previous, None, "the same year is no change: {i35:?}");
    let restated = built.diagnostics("data-year-restated");
    assert_eq!(restated.len(), 1, "{restated:?}");
    let m = &restated[0].message;
    assert!(
        m.contains("2025年度数值 88%") && m.contains("2026年第二季度报送的同一年度数值 86.1%"),
        "{m}"
    );
    assert_eq!(restated[0].cell.as_deref(), Some("F6"));
    assert_eq!(restated[0].indicator.as_deref(), Some("35"));
    // A quarterly row has no data year.
    let q = Build::new(&repo().join("samples/2026Q3"), "2026Q3").into(&root.path().join("s"));
    assert_eq!(q.indicator("7.1").data_year, None);
    assert_eq!(q.indicator("10").data_year, Some(2025));

    // 汇总表 shows the year and what the value is compared with.
    let row = built.overview("34");
    assert_eq!(row.text("数据年份"), "2025年度");
    assert_eq!(row.text("同比对比期"), "2024年度");
    assert_eq!(row.get("上年同期值"), &Data::Float(80.0));
    assert_eq!(row.get("同比变化"), &Data::Float(5.0));
    // An annual value has no 环比: a quarter's statement of last year's value is no change.
    assert_eq!(row.text("环比对比期"), "—");
}

#[test]
fn a_data_year_after_the_period_is_an_error_and_an_old_one_a_warning() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("2026Q3");
    xuanchuan(&dir, "2026Q3", (85.0, 2027.0), (88.0, 2023.0));
    let r = crate::support::run(["check", dir.to_str().unwrap(), "--format", "json"]);
    let json = r.json();
    let invalid = diagnostics_of(&json, "data-year-invalid");
    assert_eq!(invalid.len(), 1, "{json}");
    assert_eq!(invalid[0]["cell"], "J5");
    assert_eq!(invalid[0]["severity"], "error");
    let old = diagnostics_of(&json, "data-year-old");
    assert_eq!(old.len(), 1, "{json}");
    assert!(old[0]["message"]
        .as_str()
        .unwrap()
        .contains("2023年度的数值，早于2025年度"));
    assert_eq!(json["files"][0]["status"], "rejected");
    // Without the column, each annual row is read as 2025's, with one notice for the return.
    let plain = root.path().join("plain");
    std::fs::create_dir_all(&plain).unwrap();
    let rows = valid_return_rows("2026Q3")
        .replace(&crate::support::text_cell("J4", "数据年份"), "")
        .replace(&number_cell("J5", 2025.0), "")
        .replace(&number_cell("J6", 2025.0), "");
    std::fs::write(
        plain.join("宣传部.xlsx"),
        one_sheet("指标填报", rows).bytes(),
    )
    .unwrap();
    let json = crate::support::run(["check", plain.to_str().unwrap(), "--format", "json"]).json();
    let assumed = diagnostics_of(&json, "data-year-assumed");
    assert_eq!(assumed.len(), 1, "{json}");
    assert!(assumed[0]["message"]
        .as_str()
        .unwrap()
        .contains("年度指标 34、35 没有填写数据年份"));
    assert_eq!(json["files"][0]["status"], "warnings");
    assert_eq!(json["indicators"][0]["data_year"], 2025);
}

/// The shipped schema with 34 read as `frequency` `accumulation`.
fn schema_with_34(frequency: &str, accumulation: &str) -> tempfile::TempDir {
    let dir = schema_copy();
    edit(
        dir.path(),
        "indicators.toml",
        "department = \"宣传部\"\nfrequency = \"年度\"\n",
        &format!("department = \"宣传部\"\nfrequency = \"{frequency}\"\naccumulation = \"{accumulation}\"\n"),
    );
    dir
}

/// 34 read as a quarterly row of `accumulation`, with its value in each quarter (35 at 86.1, of
/// the year before); the last quarter built with the others as history. The folders are kept
/// alive with the build.
fn quarters_of_34(accumulation: &str, values: &[(&str, f64)]) -> ([tempfile::TempDir; 2], Built) {
    let schema = schema_with_34("季度", accumulation);
    let root = tempfile::tempdir().unwrap();
    let returns: Vec<Quarter> = values
        .iter()
        .map(|(period, v34)| {
            let year: f64 = period[..4].parse().unwrap();
            (*period, (*v34, 0.0), (86.1, year - 1.0))
        })
        .collect();
    let built = quarters(
        root.path(),
        &["--schema", schema.path().to_str().unwrap()],
        &returns,
    );
    ([schema, root], built)
}

/// 34 in 2025Q3, 2026Q2 and 2026Q3.
fn three_quarters(accumulation: &str, [a, b, c]: [f64; 3]) -> ([tempfile::TempDir; 2], Built) {
    quarters_of_34(accumulation, &[("2025Q3", a), ("2026Q2", b), ("2026Q3", c)])
}

#[test]
fn a_year_to_date_value_is_compared_with_the_same_quarter_of_last_year() {
    let (_kept, built) = three_quarters("累计", [81.0, 83.0, 84.5]);
    let i34 = built.indicator("34");
    // Not 2026Q2's 83: a year-to-date figure compares with the same quarter a year before.
    assert_eq!(
        i34.compared_with.as_deref(),
        Some("2025年第三季度（同比）"),
        "{i34:?}"
    );
    assert!((i34.vs_previous.unwrap() - 3.5).abs() < 1e-9);
}

#[test]
fn a_state_at_the_end_of_the_quarter_shows_its_change_on_the_quarter_and_on_the_year() {
    let (_kept, built) = three_quarters("时点", [70.0, 74.0, 76.5]);
    let i34 = built.indicator("34");
    // By its 口径 a 时点 row compares with the last quarter (环比) …
    assert_eq!(
        i34.compared_with.as_deref(),
        Some("2026年第二季度"),
        "{i34:?}"
    );
    assert!((i34.vs_previous.unwrap() - 2.5).abs() < 1e-9);
    // … and the same quarter of last year (同比) stands beside it.
    let row = built.json["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "34")
        .unwrap();
    assert_eq!(row["on_period"]["period"], "2026年第二季度", "{row}");
    assert_eq!(row["on_year"]["period"], "2025年第三季度", "{row}");
    assert_eq!(row["on_year"]["previous"], "70");
    assert!((row["on_year"]["change"].as_f64().unwrap() - 6.5).abs() < 1e-9);
    let overview = built.overview("34");
    assert_eq!(overview.text("环比对比期"), "2026年第二季度");
    assert_eq!(overview.get("上期值"), &Data::Float(74.0));
    assert_eq!(overview.get("环比变化"), &Data::Float(2.5));
    assert_eq!(overview.text("同比对比期"), "2025年第三季度");
    assert_eq!(overview.get("上年同期值"), &Data::Float(70.0));
    assert_eq!(overview.get("同比变化"), &Data::Float(6.5));
    // The report states both where it analyses the unmet row.
    let text = built.report();
    assert!(
        text.contains(
            "本期值为76.5%，较2026年第二季度（环比）上升2.5个百分点，较2025年第三季度（同比）上升6.5个百分点，标准为≥80%"
        ),
        "{text}"
    );
    // A 累计 row has no 环比: the same quarter of last year is its only comparison.
    let (_kept, built) = three_quarters("累计", [70.0, 74.0, 76.5]);
    let overview = built.overview("34");
    assert_eq!(overview.text("环比对比期"), "—");
    assert_eq!(overview.text("同比对比期"), "2025年第三季度");
    assert!(built
        .report()
        .contains("本期值为76.5%，较2025年第三季度（同比）上升6.5个百分点，"));
}

#[test]
fn a_last_period_a_year_back_is_the_same_quarter_not_a_change_on_the_quarter() {
    let (_kept, built) = quarters_of_34("时点", &[("2025Q3", 70.0), ("2026Q3", 76.5)]);
    let row = built.overview("34");
    assert_eq!(row.text("环比对比期"), "—", "2025Q3 is no 环比 of 2026Q3");
    assert_eq!(row.text("同比对比期"), "2025年第三季度");
    let text = built.report();
    assert!(
        text.contains("本期值为76.5%，较2025年第三季度（同比）上升6.5个百分点，标准为"),
        "{text}"
    );
}

#[test]
fn an_expired_target_is_pending_until_the_current_one_is_recorded() {
    let root = tempfile::tempdir().unwrap();
    let samples = repo().join("samples/2026Q3");
    let built = Build::new(&samples, "2026Q3").into(&root.path().join("pending"));
    assert_eq!(built.code, 1, "财政局's return is rejected");
    let row = built.indicator("17");
    assert_eq!(
        (row.status.as_str(), row.value),
        ("待核实", Some(11.2)),
        "{row:?}"
    );
    assert_eq!((row.id.as_str(), row.department.as_str()), ("17", "发改委"));
    assert_eq!(row.text.as_deref(), Some("11.2"));
    assert_eq!(
        built.json["assessment"]["by_attribute"]["约束性"]["pending"],
        1
    );
    let text = built.report();
    assert!(
        text.contains("（另有1项约束性指标的上级目标已到期，待核实，未计入）"),
        "{text}"
    );
    assert!(text.contains("待核实1项"), "{text}");
    assert_eq!(built.overview("17").text("达标状态"), "待核实");
    // The two returns still on last year's form are read as 2025's, each with one notice.
    let assumed = built.diagnostics("data-year-assumed");
    assert_eq!(assumed.len(), 2, "{assumed:?}");
    assert!(assumed
        .iter()
        .all(|d| d.severity == "warning" && d.code == "data-year-assumed"));

    // Recorded, it is assessed against the current target: 11.2 against ≥ 3.
    let schema = schema_copy();
    edit(
        schema.path(),
        "indicators.toml",
        "target_period_ended = true\n",
        "target_period_ended = true\ncurrent_standard = \"≥ 3\"\ncurrent_standard_period = \"“十四五”\"\n",
    );
    let built = Build::new(&samples, "2026Q3")
        .args(["--schema", schema.path().to_str().unwrap()])
        .into(&root.path().join("current"));
    assert_eq!(built.indicator("17").status, "达标");
    assert_eq!(
        built.json["assessment"]["by_attribute"]["约束性"]["pending"],
        0
    );
    assert!(
        built
            .report()
            .contains("本报告按登记的现行（“十四五”）上级目标≥3%评估"),
        "{}",
        built.report()
    );
}

#[test]
fn gaps_are_written_in_their_own_terms() {
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("q3");
    build_json(&repo().join("samples/2026Q3"), "2026Q3", &out, &[]);
    let text = crate::support::docx_text(&out.join("评估报告.docx"));
    // 8.2 is a state of the one 国控断面, not a distance in 个百分点.
    assert!(
        text.contains("标准为三分闸前国控考核断面达到Ⅴ类，目前三分闸前国控断面仍为劣Ⅴ类水体"),
        "{text}"
    );
    assert!(!text.contains("距标准尚差100个百分点"), "{text}");
    // 9 is an index: no %.
    assert!(!text.contains("53.4%"), "{text}");
    assert!(text.contains("53.4"));
    // 7.2 is named for what is reported; the 附件 keeps the plan's name and says so.
    assert!(
        text.contains("PM2.5浓度下降幅度（按PM2.5平均浓度填报）"),
        "{text}"
    );
    let (_, row) = overview_row(&out.join("汇总表.xlsx"), "7.2");
    assert_eq!(row[2], Data::String("环境空气质量—PM2.5平均浓度".into()));
    let (header, row) = overview_row(&out.join("汇总表.xlsx"), "8.2");
    assert_eq!(
        cell(&header, &row, "与标准差距"),
        &Data::String("三分闸前国控断面仍为劣Ⅴ类水体".into())
    );
}

#[test]
fn every_row_has_its_warning_light_and_the_yellow_ones_their_reasons() {
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("q3");
    build_json(&repo().join("samples/2026Q3"), "2026Q3", &out, &[]);
    let book = out.join("汇总表.xlsx");
    let light = |id: &str| {
        let (header, row) = overview_row(&book, id);
        cell(&header, &row, "预警").to_string()
    };
    assert_eq!(light("28"), "红", "unmet");
    assert_eq!(light("7.1"), "绿", "87.1 against ≥ 83, well clear");
    assert_eq!(light("20.1"), "黄", "43.6 against ≥ 43: within 3 %");
    assert_eq!(
        light("21.2"),
        "黄",
        "met, but short of its 2025 target ≥ 95"
    );
    assert_eq!(light("17"), "黄", "待核实");
    let (header, row) = overview_row(&book, "20.1");
    assert!(cell(&header, &row, "说明")
        .to_string()
        .contains("预警：高于标准（≥43%）仅0.6个百分点"));

    let text = crate::support::docx_text(&out.join("评估报告.docx"));
    let section = &text[text.find("指标预警").unwrap()..text.find("重点工程进展").unwrap()];
    assert!(
        section.contains("指标20.1“三大粮食作物化肥农药利用率—化肥利用率”（农牧局）：高于标准（≥43%）仅0.6个百分点，在预警范围（1.29个百分点）内"),
        "{section}"
    );
    assert!(
        section.contains("指标21.2，目标≥95%，尚差1个百分点；"),
        "{section}"
    );
    // The 督办 table, one row per department: 红, 黄, 绿, then the rows themselves.
    assert!(section.contains("各单位负责指标预警情况"), "{section}");
    assert!(
        section.contains("农牧局041—20.1、21.1、21.2、21.3"),
        "{section}"
    );
    assert!(section.contains("乡村振兴局1112829"), "{section}");
}

#[test]
fn a_met_row_heading_below_its_standard_within_two_quarters_is_yellow() {
    let schema = schema_with_34("季度", "时点");
    let s = schema.path().to_str().unwrap();
    let root = tempfile::tempdir().unwrap();
    // 95, 90, 85 against ≥ 80: five a quarter down; 80 next quarter, 75 after.
    let built = quarters(
        root.path(),
        &["--schema", s],
        &[
            ("2026Q1", (95.0, 0.0), (86.1, 2025.0)),
            ("2026Q2", (90.0, 0.0), (86.1, 2025.0)),
            ("2026Q3", (85.0, 0.0), (86.1, 2025.0)),
        ],
    );
    let out = built.out.clone();
    let text = built.report();
    assert!(
        text.contains("按3个季度数值的变化速度（每季度下降约5个百分点）推算，2027年第一季度将不再达到标准（≥80%）"),
        "{text}"
    );
    let (header, row) = overview_row(&out.join("汇总表.xlsx"), "34");
    assert_eq!(cell(&header, &row, "预警"), &Data::String("黄".into()));
}

#[test]
fn an_annual_row_is_trended_per_data_year_never_per_quarter() {
    let root = tempfile::tempdir().unwrap();
    // Three quarters, three data years: 60 (2023), 65 (2024), 70 (2025) against ≥ 80.
    let built = quarters(
        root.path(),
        &[],
        &[
            ("2026Q1", (60.0, 2023.0), (86.1, 2025.0)),
            ("2026Q2", (65.0, 2024.0), (86.1, 2025.0)),
            ("2026Q3", (70.0, 2025.0), (86.1, 2025.0)),
        ],
    );
    let out = built.out.clone();
    let text = built.report();
    assert!(
        text.contains("指标34“公众对生态文明建设的满意度”：按3个年度数值的平均变化速度推算，每年上升约5个百分点，照此将于2029年度达到2030年规划目标（≥90%）"),
        "{text}"
    );
    // Charted one point a year in the report; 汇总表 draws no quarter-by-quarter chart of it
    // (its only chart is 分领域统计's).
    assert!(text.contains("未达标指标向阶段目标的进展"), "{text}");
    let media = crate::support::zip_parts(&out.join("评估报告.docx"));
    let pngs = media.keys().filter(|k| k.ends_with(".png")).count();
    assert_eq!(pngs, 2, "分领域 and 趋势");
    let book = crate::support::zip_parts(&out.join("汇总表.xlsx"));
    assert_eq!(
        book.keys()
            .filter(|k| k.starts_with("xl/charts/chart"))
            .count(),
        1,
        "{:?}",
        book.keys().collect::<Vec<_>>()
    );
    // The same year reported in three quarters is one point, not three.
    let root = tempfile::tempdir().unwrap();
    let same = ((70.0, 2025.0), (86.1, 2025.0));
    let text = quarters(
        root.path(),
        &[],
        &[
            ("2026Q1", same.0, same.1),
            ("2026Q2", same.0, same.1),
            ("2026Q3", same.0, same.1),
        ],
    )
    .report();
    assert!(text.contains("可比较的数值只有1个年度，不足3个"), "{text}");
    assert!(!text.contains("照此将于"), "{text}");
}

#[test]
fn projects_ended_unfinished_are_overdue_and_unplanned_spending_is_footnoted() {
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("q3");
    build_json(&repo().join("samples/2026Q3"), "2026Q3", &out, &[]);
    let text = crate::support::docx_text(&out.join("评估报告.docx"));
    assert!(
        text.contains("实施年限已结束但尚未完工的工程3项（逾期未完工）"),
        "{text}"
    );
    assert!(text.contains("26号“红色文化美丽乡村旅游工程”（文体旅游广电局，实施年限2021-2025）：实施年限已于2025年结束，目前未开工"), "{text}");
    assert!(
        text.contains("注：生态空间体系的累计完成投资含3号“土默特左旗采砂整治工程”报送的150万元：该工程规划未列总投资"),
        "{text}"
    );
    let sheet = rows(&out.join("汇总表.xlsx"), "重点工程");
    let project = |no: f64| {
        sheet
            .iter()
            .find(|r| r.first() == Some(&Data::Float(no)))
            .unwrap()
            .iter()
            .map(|c| c.to_string())
            .collect::<Vec<_>>()
            .join("|")
    };
    assert!(
        project(26.0).contains("逾期未完工（实施年限2021-2025）"),
        "{}",
        project(26.0)
    );
    assert!(project(3.0).contains("规划未列总投资"), "{}", project(3.0));
    let subtotal = sheet
        .iter()
        .find(|r| r.first() == Some(&Data::String("生态空间".into())))
        .unwrap();
    assert!(subtotal
        .iter()
        .any(|c| c.to_string().contains("累计完成含规划未列总投资的3号")));
}

#[test]
fn the_binding_count_explains_its_departure_from_the_plan() {
    let root = tempfile::tempdir().unwrap();
    let samples: PathBuf = repo().join("samples/2026Q3");
    let out = root.path().join("q3");
    build_json(&samples, "2026Q3", &out, &[]);
    let text = crate::support::docx_text(&out.join("评估报告.docx"));
    assert!(
        text.contains("约束性指标20项（规划文本为19项，差异在于指标10“林草覆盖率(干旱半干旱地区)”专栏1本行属性栏为空，本报告按约束性计）"),
        "{text}"
    );
    // Declared as the schema reads it, there is nothing to explain.
    let schema = schema_copy();
    edit(
        schema.path(),
        "schema.toml",
        "binding = 19 ",
        "binding = 20 ",
    );
    let out = root.path().join("agreed");
    build_json(
        &samples,
        "2026Q3",
        &out,
        &["--schema", schema.path().to_str().unwrap()],
    );
    let text = crate::support::docx_text(&out.join("评估报告.docx"));
    assert!(text.contains("约束性指标20项，达标"), "{text}");
}

#[test]
fn a_form_asks_the_data_year_of_its_annual_rows_only() {
    let dir = tempfile::tempdir().unwrap();
    let r = crate::support::run([
        "template",
        "--period",
        "2026Q3",
        "--out",
        dir.path().to_str().unwrap(),
        "--department",
        "水务局",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let sheet = rows(&dir.path().join("2026Q3_水务局_填报表.xlsx"), "指标填报");
    assert_eq!(sheet[4][6], Data::String("数据年份".into()));
    // 4 (河长制) is a state each quarter: no year; 16 is an annual statistic: an input.
    assert_eq!(sheet[5][0], Data::String("4".into()));
    assert_eq!(sheet[5][6], Data::String("—".into()));
    assert_eq!(sheet[6][6], Data::Empty);
    let guide = rows(&dir.path().join("2026Q3_水务局_填报表.xlsx"), "填报说明");
    assert!(guide.iter().flatten().any(|c| c
        .to_string()
        .contains("在“数据年份”写明该数值所属年份（如 2025）")));
}
