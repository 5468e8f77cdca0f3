//! `build --history`: three quarters built one after the other from returns whose values move
//! along a known line; the 趋势 sheet, the projected quarter, a gap quarter, a foreign workbook
//! in the history folder, and the same bytes from the same inputs.

use crate::support::{number_cell, one_sheet, text_cell, valid_return_rows};
use calamine::{Data, Reader};
use std::path::Path;

/// A folder holding one return of 宣传部 for `period` with 34 at `value` (standard ≥ 80 %).
fn quarter(root: &Path, period: &str, value: f64) -> std::path::PathBuf {
    let dir = root.join("returns").join(period);
    std::fs::create_dir_all(&dir).unwrap();
    let rows =
        valid_return_rows(period).replace(&number_cell("F5", 96.2), &number_cell("F5", value));
    std::fs::write(dir.join("宣传部.xlsx"), one_sheet("指标填报", rows).bytes()).unwrap();
    dir
}

/// The shipped schema with 34 measured each quarter (时点): these tests are of the quarterly
/// trend (an annual row is trended per data year: see `annual_rows_are_trended_per_data_year`).
fn quarterly_schema(dir: &Path) {
    if dir.exists() {
        return;
    }
    std::fs::create_dir_all(dir).unwrap();
    for name in eco_returns::schema::FILES {
        std::fs::copy(
            crate::support::repo().join("templates").join(name),
            dir.join(name),
        )
        .unwrap();
    }
    crate::support::edit(
        dir,
        "indicators.toml",
        "department = \"宣传部\"\nfrequency = \"年度\"",
        "department = \"宣传部\"\nfrequency = \"季度\"\naccumulation = \"时点\"",
    );
}

fn build(returns: &Path, period: &str, out: &Path, history: &Path) -> crate::support::Run {
    let schema = history.parent().unwrap().join("schema");
    quarterly_schema(&schema);
    let history = history.to_str().unwrap();
    let schema = schema.to_str().unwrap();
    let r = crate::support::build_into(
        returns,
        period,
        out,
        &["--history", history, "--schema", schema],
    );
    assert_eq!(r.code, 0, "{period}: {}", r.stderr);
    r
}

type Book = calamine::Sheets<std::io::BufReader<std::fs::File>>;

/// The build's workbook, its 趋势 sheet and that sheet's header row.
fn trend_sheet(out: &Path) -> (Book, calamine::Range<Data>, Vec<String>) {
    use calamine::Reader;
    let mut book = calamine::open_workbook_auto(out.join("汇总表.xlsx")).unwrap();
    let sheet = book.worksheet_range("趋势").unwrap();
    let header = sheet
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    (book, sheet, header)
}

#[test]
fn three_quarters_with_a_gap_give_the_trend_and_the_quarter_the_target_is_reached() {
    let root = tempfile::tempdir().unwrap();
    let history = root.path().join("history");
    std::fs::create_dir_all(&history).unwrap();
    // 60, 65, (no 2026Q3), 75: five a quarter; ≥ 90 (the 2030 target) in 2027Q3.
    for (period, value) in [("2026Q1", 60.0), ("2026Q2", 65.0)] {
        let dir = quarter(root.path(), period, value);
        build(&dir, period, &history.join(period).join("汇总"), &history);
    }
    std::fs::write(
        history.join("别人的表.xlsx"),
        one_sheet("Sheet1", text_cell("A1", "x")).bytes(),
    )
    .unwrap();
    let q4 = quarter(root.path(), "2026Q4", 75.0);
    let out = root.path().join("out");
    let r = build(&q4, "2026Q4", &out, &history);
    assert!(
        r.stderr.contains("别人的表.xlsx") && r.stderr.contains("已忽略"),
        "{}",
        r.stderr
    );

    let (book, sheet, header) = trend_sheet(&out);
    let mut book = book;
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h.starts_with(name))
            .unwrap_or_else(|| panic!("{name} in {header:?}"))
    };
    assert!(
        header[col("2026年第三季度")].contains("无汇总表"),
        "{header:?}"
    );
    let row34 = sheet
        .rows()
        .find(|r| r[0] == Data::String("34".into()))
        .unwrap();
    assert_eq!(row34[col("2026年第一季度")], Data::Float(60.0));
    assert_eq!(row34[col("2026年第二季度")], Data::Float(65.0));
    assert_eq!(
        row34[col("2026年第三季度")],
        Data::Empty,
        "a gap, not a zero"
    );
    assert_eq!(row34[col("2026年第四季度")], Data::Float(75.0));

    let text = crate::support::docx_text(&out.join("评估报告.docx"));
    assert!(text.contains("变化趋势"), "the section is there");
    assert!(
        text.contains("指标34“公众对生态文明建设的满意度”：按3个季度数值的平均变化速度推算，每季度上升约5个百分点，照此将于2027年第三季度达到2030年规划目标（≥90%）"),
        "{text}"
    );
    assert!(text.contains("1个季度没有汇总表，按缺失处理、不计为零"));
    assert!(
        text.contains("未达标指标向阶段目标的进展"),
        "the trend chart's caption"
    );
    // The last earlier period plays --previous: 75 against 65 is the change.
    let overview = book.worksheet_range("指标总览").unwrap();
    assert!(
        overview
            .rows()
            .any(|r| r.iter().any(|c| matches!(c, Data::Float(n) if *n == 65.0))),
        "上期值 from 2026Q2"
    );

    // The trend chart of 34 draws its 2030 target as a dashed line, its legend below the
    // plot; the sheet prints landscape, one page wide.
    let mut z =
        zip::ZipArchive::new(std::fs::File::open(out.join("汇总表.xlsx")).unwrap()).unwrap();
    let names: Vec<String> = z
        .file_names()
        .filter_map(|n| n.ok().map(|n| n.to_string()))
        .collect();
    let mut charts = String::new();
    for n in names.iter().filter(|n| n.starts_with("xl/charts/chart")) {
        std::io::Read::read_to_string(&mut z.by_name(n).unwrap(), &mut charts).unwrap();
    }
    assert!(
        charts.contains("2030年目标（≥90）") && charts.contains("prstDash val=\"dash\""),
        "{charts}"
    );
    assert!(charts.contains("<c:legendPos val=\"b\"/>"));
    let workbook = {
        let mut x = String::new();
        std::io::Read::read_to_string(&mut z.by_name("xl/workbook.xml").unwrap(), &mut x).unwrap();
        x
    };
    assert!(
        workbook.contains("name=\"_趋势目标\" sheetId") && workbook.contains("state=\"hidden\""),
        "{workbook}"
    );

    // Same inputs, same bytes.
    let again = root.path().join("again");
    build(&q4, "2026Q4", &again, &history);
    for f in ["汇总表.xlsx", "评估报告.docx"] {
        assert_eq!(
            std::fs::read(out.join(f)).unwrap(),
            std::fs::read(again.join(f)).unwrap(),
            "{f}"
        );
    }
}

#[test]
fn an_indicator_moving_away_or_with_too_few_points_is_said_so() {
    let root = tempfile::tempdir().unwrap();
    let history = root.path().join("history");
    for (period, value) in [("2026Q1", 70.0), ("2026Q2", 66.0)] {
        let dir = quarter(root.path(), period, value);
        let out = history.join(period);
        build(&dir, period, &out, &history);
        if period == "2026Q2" {
            // Two points only: too few to project.
            let text = crate::support::docx_text(&out.join("评估报告.docx"));
            assert!(text.contains("可比较的数值只有2个季度，不足3个"), "{text}");
        }
    }
    let q3 = quarter(root.path(), "2026Q3", 61.0);
    let out = root.path().join("out");
    build(&q3, "2026Q3", &out, &history);
    let text = crate::support::docx_text(&out.join("评估报告.docx"));
    assert!(
        text.contains("每季度下降约4.5个百分点，正在远离2030年规划目标（≥90%）"),
        "{text}"
    );
}

#[test]
fn two_workbooks_of_one_period_the_later_wins_and_another_schema_version_is_ignored() {
    let root = tempfile::tempdir().unwrap();
    let history = root.path().join("history");
    let q1 = quarter(root.path(), "2026Q1", 50.0);
    build(&q1, "2026Q1", &history.join("a"), &history);
    std::thread::sleep(std::time::Duration::from_millis(20));
    let q1b = root.path().join("q1b");
    std::fs::create_dir_all(&q1b).unwrap();
    let rows =
        valid_return_rows("2026Q1").replace(&number_cell("F5", 96.2), &number_cell("F5", 55.0));
    std::fs::write(q1b.join("宣传部.xlsx"), one_sheet("指标填报", rows).bytes()).unwrap();
    build(&q1b, "2026Q1", &history.join("b"), &history);
    // A 汇总表 of another schema version: the version column of its _data sheet differs.
    let other = history.join("other");
    std::fs::create_dir_all(&other).unwrap();
    let data_rows = format!(
        "<row r=\"1\">{}{}{}{}{}{}</row><row r=\"2\">{}{}{}{}{}{}</row>",
        text_cell("A1", "id"),
        text_cell("B1", "value"),
        text_cell("C1", "text"),
        text_cell("D1", "status"),
        text_cell("E1", "period"),
        text_cell("F1", "schema"),
        text_cell("A2", "34"),
        number_cell("B2", 99.0),
        text_cell("C2", "99"),
        text_cell("D2", "达标"),
        text_cell("E2", "2025Q4"),
        text_cell("F2", "another-plan"),
    );
    std::fs::write(
        other.join("汇总表.xlsx"),
        one_sheet("_data", data_rows).bytes(),
    )
    .unwrap();
    let q2 = quarter(root.path(), "2026Q2", 60.0);
    let out = root.path().join("out");
    let r = build(&q2, "2026Q2", &out, &history);
    assert!(
        r.stderr.contains("有两份汇总表：采用较晚生成的"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("其他版本的指标体系（another-plan）"),
        "{}",
        r.stderr
    );
    let (_, sheet, header) = trend_sheet(&out);
    assert!(
        !header.iter().any(|h| h.contains("2025年第四季度")),
        "{header:?}"
    );
    let q1_col = header.iter().position(|h| h == "2026年第一季度").unwrap();
    let row34 = sheet
        .rows()
        .find(|r| r[0] == Data::String("34".into()))
        .unwrap();
    assert_eq!(
        row34[q1_col],
        Data::Float(55.0),
        "the later build of 2026Q1"
    );
}

/// A forged 汇总表 of `period`: a `_data` sheet whose row 34 holds `value` as the raw text of a
/// number cell (`1e308`, `inf`, …), as an attacker would write it.
fn forged_history(dir: &Path, period: &str, value: &str) {
    let rows = format!(
        "<row r=\"1\">{}{}{}{}{}</row><row r=\"2\">{}<c r=\"B2\"><v>{value}</v></c>{}{}{}</row>",
        text_cell("A1", "id"),
        text_cell("B1", "value"),
        text_cell("C1", "text"),
        text_cell("D1", "status"),
        text_cell("E1", "period"),
        text_cell("A2", "34"),
        text_cell("C2", value),
        text_cell("D2", "未达标"),
        text_cell("E2", period),
    );
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(
        dir.join(format!("{period}_汇总表.xlsx")),
        one_sheet("_data", rows).bytes(),
    )
    .unwrap();
}

/// Runs the binary with a deadline: a hang is a failure, not a stuck suite.
fn build_within(returns: &Path, period: &str, out: &Path, history: &Path) -> (i32, String) {
    let schema = history.parent().unwrap().join("schema");
    quarterly_schema(&schema);
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_eco-returns"))
        .arg("build")
        .arg(returns)
        .args(["--period", period, "--out"])
        .arg(out)
        .arg("--history")
        .arg(history)
        .arg("--schema")
        .arg(&schema)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let mut err = String::new();
            std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
            return (status.code().unwrap_or(-1), err);
        }
        if started.elapsed() > std::time::Duration::from_secs(60) {
            let _ = child.kill();
            panic!("build {period} did not finish in 60 s");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

#[test]
fn a_forged_history_of_1e308_or_inf_neither_hangs_nor_reaches_the_report() {
    for values in [
        ["1e308", "-1e308", "60"],
        ["inf", "-inf", "NaN"],
        ["1e300", "1e301", "1e302"],
    ] {
        let root = tempfile::tempdir().unwrap();
        let history = root.path().join("history");
        for (period, value) in ["2026Q1", "2026Q2", "2026Q3"].iter().zip(values) {
            forged_history(&history, period, value);
        }
        let q4 = quarter(root.path(), "2026Q4", 75.0);
        let out = root.path().join("out");
        let (code, stderr) = build_within(&q4, "2026Q4", &out, &history);
        assert_eq!(code, 0, "{values:?}: {stderr}");
        let text = crate::support::docx_text(&out.join("评估报告.docx"));
        for v in values.iter().filter(|v| **v != "60") {
            assert!(!text.contains(v), "{v} in the report: {text}");
        }
        assert!(text.contains("变化趋势"), "{values:?}");
        assert!(stderr.contains("不是有效数字"), "{values:?}: {stderr}");
    }
}

#[test]
fn a_line_that_rises_by_a_rounding_error_is_flat_and_reaches_nothing() {
    let root = tempfile::tempdir().unwrap();
    let history = root.path().join("history");
    // −2e-18, −1e-18, 0: the slope is 1e-18 a quarter, toward ≥ 90.
    for (period, value) in [("2026Q1", "-2e-18"), ("2026Q2", "-1e-18")] {
        forged_history(&history, period, value);
    }
    let q3 = quarter(root.path(), "2026Q3", 0.0);
    let out = root.path().join("out");
    let (code, stderr) = build_within(&q3, "2026Q3", &out, &history);
    assert_eq!(code, 0, "{stderr}");
    let text = crate::support::docx_text(&out.join("评估报告.docx"));
    assert!(
        text.contains("指标34“公众对生态文明建设的满意度”：3个季度的数值基本持平"),
        "{text}"
    );
    assert!(!text.contains("按此速度将于"), "{text}");
}

#[test]
fn history_older_than_five_years_is_left_out_of_the_trend() {
    let root = tempfile::tempdir().unwrap();
    let history = root.path().join("history");
    forged_history(&history, "2000Q1", "50");
    forged_history(&history, "2026Q2", "65");
    let q3 = quarter(root.path(), "2026Q3", 70.0);
    let out = root.path().join("out");
    let (code, stderr) = build_within(&q3, "2026Q3", &out, &history);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("2000年第一季度的汇总表") && stderr.contains("已忽略"),
        "{stderr}"
    );
    let (_, _, header) = trend_sheet(&out);
    let quarters = header.iter().filter(|h| h.contains("季度")).count();
    assert_eq!(quarters, 2, "{header:?}");
}
