//! The year (issue 25): annual periods (`2026`, `2026年`, `2026年度`), annual forms, a year
//! built from annual returns or from a unit's fourth quarter standing in, and comparisons
//! with the year before.

use crate::support::{docx_text, run, valid_return_rows, zip_text, Build};
use std::path::Path;

/// 宣传部's return for `period` with 34 (and 35, 86.1) of data year `year`.
fn xuanchuan(dir: &Path, period: &str, v34: f64, year: f64) {
    crate::support::xuanchuan(dir, period, (v34, year), (86.1, year));
}

#[test]
fn a_year_is_named_in_the_ways_people_write_it_and_its_forms_ask_for_its_own_figures() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("forms");
    let made = run([
        "template",
        "--period",
        "2026年度",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(made.code, 0, "{}", made.stderr);
    assert!(made.stderr.contains("2026年度") || made.stdout.contains("2026年度"));
    let form = out.join("2026_宣传部_填报表.xlsx");
    let strings = zip_text(&form, "xl/sharedStrings.xml");
    assert!(
        strings.contains("2026年度的年度填报表"),
        "the guide says it is the year's form"
    );
    assert!(
        strings.contains("如 2026"),
        "the year's own data year is asked for"
    );
    assert!(
        strings.contains("指标年度填报表"),
        "its title says it is the year's"
    );
    let wrong = run([
        "template",
        "--period",
        "2026年第五季度",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(wrong.code, 2);
    assert!(wrong.stderr.contains("年度写 2026"), "{}", wrong.stderr);
}

#[test]
fn a_year_is_built_from_annual_returns_and_compared_with_the_year_before() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    xuanchuan(&root.join("2025"), "2025", 91.0, 2025.0);
    Build::new(&root.join("2025"), "2025年").into(&root.join("history/2025"));
    xuanchuan(&root.join("2026"), "2026", 93.5, 2026.0);
    let built = Build::new(&root.join("2026"), "2026")
        .args(["--history", root.join("history").to_str().unwrap()])
        .into(&root.join("out"));
    assert_eq!(built.json["period"], "2026");
    let i34 = built.indicator("34");
    assert_eq!(i34.data_year, Some(2026));
    assert_eq!(i34.compared_with.as_deref(), Some("2025年度"));
    assert!(built.diagnostics("period-other").is_empty());
    assert!(built.diagnostics("data-year-old").is_empty());
    assert!(built.diagnostics("annual-from-q4").is_empty());
}

#[test]
fn a_unit_that_sent_only_its_fourth_quarter_has_it_stand_for_the_year_with_a_notice() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("2026");
    xuanchuan(&dir, "2026Q4", 95.0, 2025.0);
    let built = Build::new(&dir, "2026").into(&tmp.path().join("out"));
    let notice = built.diagnostics("annual-from-q4");
    assert_eq!(notice.len(), 1, "one notice for the return");
    assert!(
        notice[0]
            .message
            .contains("按其2026年第四季度填报表汇总全年"),
        "{}",
        notice[0].message
    );
    let older = built.diagnostics("data-year-old");
    assert_eq!(older.len(), 2, "34 and 35 are of 2025, not of the year");
    assert!(
        older[0].message.contains("不是2026年度"),
        "{}",
        older[0].message
    );
    assert!(
        built.diagnostics("period-other").is_empty(),
        "a stand-in is not another period"
    );
    let i34 = built.indicator("34");
    assert_eq!(
        i34.value,
        Some(95.0),
        "its figures are consolidated for the year"
    );
    assert_eq!(i34.data_year, Some(2025));
    // An older year's statistic says its year in the year's report.
    assert!(built.report().contains("95%（2025年度）"));
}

#[test]
fn a_years_report_is_the_self_assessment_with_the_offices_own_paragraphs_or_marked_gaps() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("2026");
    xuanchuan(&dir, "2026", 93.5, 2026.0);
    let out = tmp.path().join("out");
    Build::new(&dir, "2026").into(&out);
    assert!(
        !out.join("评估报告.docx").exists(),
        "a year has its own report"
    );
    let text = docx_text(&out.join("年度自评估报告.docx"));
    assert!(
        text.contains("土默特左旗创建国家生态文明建设示范旗2026年度自评估报告"),
        "{text}"
    );
    let sections = [
        "一、基本情况",
        "二、创建工作开展情况",
        "三、指标达标情况",
        "四、重点工程实施情况",
        "五、基本条件自查",
        "六、存在问题",
        "七、下一步工作计划",
        "附件",
    ];
    let at: Vec<usize> = sections
        .iter()
        .map(|s| text.find(s).unwrap_or_else(|| panic!("{s} missing")))
        .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "in the filed order");
    for (n, part) in
        ["一", "二", "三", "四"]
            .iter()
            .zip(["组织领导", "规划实施", "资金投入", "宣传教育"])
    {
        assert!(text.contains(&format!("（{n}）{part}")), "{part}");
    }
    assert!(
        text.contains("【待填写：土默特左旗基本情况"),
        "an empty block is marked, not invented"
    );
    assert!(
        text.contains("≥8093.5%达标") && !text.contains("93.5%（2026年度）"),
        "the year's own statistics need no year beside them"
    );

    // The office's own text, from its settings.
    let schema = crate::support::schema_copy();
    let office = std::fs::read_to_string(crate::support::repo().join("templates/office.toml"))
        .unwrap()
        .replace(
            "basic = \"\"",
            "basic = \"\"\"\n土默特左旗位于呼和浩特市西部，总面积2765平方公里。\n全旗常住人口约35万人。\"\"\"",
        );
    std::fs::write(schema.path().join("office.toml"), office).unwrap();
    let filed = tmp.path().join("filed");
    Build::new(&dir, "2026")
        .args(["--schema", schema.path().to_str().unwrap()])
        .into(&filed);
    let text = docx_text(&filed.join("年度自评估报告.docx"));
    assert!(
        text.contains("总面积2765平方公里。全旗常住人口约35万人。"),
        "two paragraphs"
    );
    assert!(!text.contains("【待填写：土默特左旗基本情况"));
    assert!(
        text.contains("【待填写：创建工作领导小组"),
        "the others stay marked"
    );
}

#[test]
fn the_basic_conditions_are_answered_in_the_annual_form_checked_and_stated_in_the_report() {
    use crate::support::{text_cell, Xlsx};
    let tmp = tempfile::tempdir().unwrap();
    // The annual form of 生态环境分局 carries the sheet to answer them in.
    let forms = tmp.path().join("forms");
    run([
        "template",
        "--period",
        "2026",
        "--department",
        "生态环境分局",
        "--out",
        forms.to_str().unwrap(),
    ]);
    let form = forms.join("2026_生态环境分局_填报表.xlsx");
    let strings = zip_text(&form, "xl/sharedStrings.xml");
    assert!(strings.contains("自查结论（是/否）") && strings.contains("未发生生态破坏事件"));
    let quarterly = tmp.path().join("q");
    run([
        "template",
        "--period",
        "2026Q4",
        "--department",
        "生态环境分局",
        "--out",
        quarterly.to_str().unwrap(),
    ]);
    let q4 = zip_text(
        &quarterly.join("2026Q4_生态环境分局_填报表.xlsx"),
        "xl/workbook.xml",
    );
    assert!(!q4.contains("基本条件"), "only the year's form asks");

    let indicators = valid_return_rows("2026").replace("宣传部", "生态环境分局");
    let answers = [
        ("1", "是", ""),
        ("2", "否", ""),
        ("3", "否", "督察反馈的2项问题整改中，预计2027年6月完成。"),
        ("4", "是", ""),
    ]
    .iter()
    .enumerate()
    .map(|(i, (id, a, note))| {
        let r = i + 4;
        format!(
            "<row r=\"{r}\">{}{}{}</row>",
            text_cell(&format!("A{r}"), id),
            text_cell(&format!("C{r}"), a),
            if note.is_empty() {
                String::new()
            } else {
                text_cell(&format!("D{r}"), note)
            }
        )
    })
    .collect::<String>();
    let dir = tmp.path().join("2026");
    std::fs::create_dir_all(&dir).unwrap();
    let book = Xlsx {
        sheets: vec![("指标填报", indicators), ("基本条件", answers)],
        workbook_pr: "",
        shared_strings: None,
        styles: None,
    };
    std::fs::write(dir.join("生态环境分局.xlsx"), book.bytes()).unwrap();
    let out = tmp.path().join("out");
    let built = Build::new(&dir, "2026").into(&out);
    let failed = built.diagnostics("condition-failed");
    assert_eq!(failed.len(), 1, "2 is not met and not explained");
    assert!(
        failed[0].message.contains("未发生生态破坏事件"),
        "{}",
        failed[0].message
    );
    assert_eq!(failed[0].cell.as_deref(), Some("C5"));
    assert_eq!(
        built.diagnostics("condition-explained").len(),
        1,
        "3 is explained"
    );
    let unanswered = built.diagnostics("condition-unanswered");
    assert_eq!(unanswered.len(), 1, "5 is not in the sheet");
    assert!(unanswered[0].message.contains("弄虚作假"));
    let report = docx_text(&out.join("年度自评估报告.docx"));
    assert!(
        report.contains("本年度未发生重大、特大突发环境事件：是，符合"),
        "{report}"
    );
    assert!(report.contains("按时限要求完成整改：否，不符合。生态环境分局说明：督察反馈的2项问题整改中，预计2027年6月完成。"));
    assert!(report.contains("弄虚作假行为：未作答"));
}

/// A sheet of 汇总表 as rows of text.
fn sheet(book: &Path, name: &str) -> Vec<Vec<String>> {
    use calamine::Reader;
    let mut b = calamine::open_workbook_auto(book).unwrap();
    let range = b.worksheet_range(name).unwrap();
    range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

/// The row of `sheet` whose first cell is `first`.
fn row_of<'a>(rows: &'a [Vec<String>], first: &str) -> &'a [String] {
    rows.iter()
        .find(|r| r.first().map(String::as_str) == Some(first))
        .unwrap_or_else(|| panic!("no row {first}"))
}

#[test]
fn a_year_built_after_its_four_quarters_shows_them_beside_its_annual_value() {
    let tmp = tempfile::tempdir().unwrap();
    let history = tmp.path().join("history");
    for q in ["2026Q1", "2026Q2", "2026Q3", "2026Q4"] {
        let b =
            Build::new(&crate::support::repo().join("samples").join(q), q).into(&history.join(q));
        assert!(b.code <= 1, "{q}: {}", b.json);
    }
    let samples = crate::support::repo().join("samples/2026");
    let built = Build::new(&samples, "2026")
        .args(["--history", history.to_str().unwrap()])
        .into(&tmp.path().join("out"));
    assert_eq!(built.code, 0, "the shipped year is clean: {}", built.json);
    let book = built.out.join("汇总表.xlsx");
    let trend = sheet(&book, "趋势");
    let header = &trend[0];
    let q4 = header.iter().position(|h| h == "2026年第四季度").unwrap();
    assert_eq!(header[q4 + 1], "2026年度", "{header:?}");
    assert_eq!(header[q4 - 3], "2026年第一季度", "{header:?}");
    // 7.1 is 累计: the fourth quarter's figure is the year's so far, the year's its own.
    let air = row_of(&trend, "7.1");
    assert_eq!((air[q4].as_str(), air[q4 + 1].as_str()), ("86.4", "86.4"));
    assert_eq!(air[q4 - 3], "79.5", "the first quarter's winter air");
    // 28 is annual: its quarters carry 2025's statistics, the year 2026's.
    let villages = row_of(&trend, "28");
    assert_eq!(villages[q4 + 1], "61");
    // A year is compared with the year before (同比), never 环比 with its own fourth quarter,
    // though history holds it: not even a 时点 row (8.3), which a quarter compares 环比.
    let water = built.overview("8.3");
    assert_eq!(water.text("环比对比期"), "—");
    assert_eq!(water.text("同比对比期"), "—", "no 2025 on record");
    let q4 = Build::new(&crate::support::repo().join("samples/2026Q4"), "2026Q4")
        .args(["--history", history.to_str().unwrap()])
        .into(&tmp.path().join("q4"));
    assert_eq!(q4.overview("8.3").text("环比对比期"), "2026年第三季度");
    let report = built.report();
    assert!(
        report.contains("未达标和待核实指标2026年第一季度以来各季度的数值与2026年度数值对照如下"),
        "{report}"
    );
    assert!(
        report.contains("2026年第四季度2026年度本期状态"),
        "{report}"
    );

    // The year from the fourth quarters alone: every unit's Q4 return stands in, each with
    // its notice, and the outcome is the same year.
    let stand_in = Build::new(&crate::support::repo().join("samples/2026Q4"), "2026")
        .into(&tmp.path().join("from-q4"));
    let notices = stand_in.diagnostics("annual-from-q4");
    assert_eq!(notices.len(), 21, "one per unit's return");
    assert_eq!(stand_in.json["period"], "2026");
    assert_eq!(stand_in.indicator("7.1").value, Some(86.4));
    assert_eq!(stand_in.indicator("28").data_year, Some(2025));
}

/// The shipped 2026 returns relabelled as 2025's (报告期 and 数据年份), each sheet's XML
/// changed by `edits` (file's unit, from, to) on the way: last year, as its build recorded it.
fn last_year(dir: &Path, edits: &[(&str, &str, &str)]) {
    std::fs::create_dir_all(dir).unwrap();
    let samples = crate::support::repo().join("samples/2026");
    for e in std::fs::read_dir(&samples).unwrap() {
        let path = e.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let Some(unit) = name
            .strip_prefix("2026_")
            .and_then(|n| n.strip_suffix("_填报表.xlsx"))
        else {
            continue;
        };
        let parts = crate::support::zip_texts(&path)
            .into_iter()
            .map(|(part, mut xml)| {
                if part.starts_with("xl/worksheets/") {
                    xml = xml
                        .replace("<t>2026</t>", "<t>2025</t>")
                        .replace("<v>2026</v>", "<v>2025</v>");
                    for (_, from, to) in edits.iter().filter(|(u, ..)| *u == unit) {
                        xml = xml.replace(from, to);
                    }
                }
                (part, xml)
            })
            .collect();
        std::fs::write(
            dir.join(format!("2025_{unit}_填报表.xlsx")),
            crate::support::zip_entries(parts),
        )
        .unwrap();
    }
}

#[test]
fn a_year_against_the_year_before_counts_its_investment_finished_projects_and_air_quality() {
    let tmp = tempfile::tempdir().unwrap();
    // Last year: 30号 was half built (60 of 120 万元), the air better (7.1 at 88%).
    last_year(
        &tmp.path().join("2025"),
        &[
            (
                "组织部",
                r#"<c r="D6" t="n"><v>120</v>"#,
                r#"<c r="D6" t="n"><v>60</v>"#,
            ),
            (
                "组织部",
                r#"<c r="F6" t="n"><v>100</v>"#,
                r#"<c r="F6" t="n"><v>50</v>"#,
            ),
            (
                "组织部",
                r#"<c r="G6" t="inlineStr"><is><t>已完工</t>"#,
                r#"<c r="G6" t="inlineStr"><is><t>在建</t>"#,
            ),
            (
                "生态环境分局",
                r#"<c r="F10" t="n"><v>86.40000000000001</v>"#,
                r#"<c r="F10" t="n"><v>88</v>"#,
            ),
            // PM2.5 (≤ 35): lower was better.
            (
                "生态环境分局",
                r#"<c r="F11" t="n"><v>27</v>"#,
                r#"<c r="F11" t="n"><v>25</v>"#,
            ),
        ],
    );
    let history = tmp.path().join("history");
    let before = Build::new(&tmp.path().join("2025"), "2025").into(&history.join("2025"));
    assert_eq!(before.code, 0, "{}", before.json);
    assert_eq!(before.indicator("7.1").value, Some(88.0), "the edit took");
    let built = Build::new(&crate::support::repo().join("samples/2026"), "2026")
        .args(["--history", history.to_str().unwrap()])
        .into(&tmp.path().join("out"));
    assert_eq!(built.code, 0, "{}", built.json);

    // 同比: the year against the year before, for a quarterly row as for an annual one.
    let air = built.overview("7.1");
    assert_eq!(air.text("同比对比期"), "2025年度");
    assert_eq!(air.text("上年同期值"), "88");
    assert_eq!(air.text("同比变化"), "-1.6");
    assert_eq!(
        built.indicator("7.1").compared_with.as_deref(),
        Some("2025年度（同比）")
    );

    // 重点工程: this year's investment is the change in 累计完成, 30号 finished this year.
    let projects = sheet(&built.out.join("汇总表.xlsx"), "重点工程");
    let header = &projects[1];
    let invested = header
        .iter()
        .position(|h| h == "本年完成投资（万元，较2025年度）")
        .unwrap_or_else(|| panic!("{header:?}"));
    let p30 = row_of(&projects, "30");
    assert_eq!(p30[invested], "60");
    assert!(
        p30.last()
            .unwrap()
            .contains("本年度完工（2025年度尚未完工）"),
        "{p30:?}"
    );
    assert_eq!(row_of(&projects, "29")[invested], "0");
    let report = built.report();
    assert!(
        report.contains("与2025年度相比，30项工程本年度完成投资60万元；本年度完工1项：30号“生态文明政绩考核制度建立工程”（组织部）。"),
        "{report}"
    );
    assert!(report.contains("，其中本年度完成60万元。"), "{report}");

    // 环境质量不降低 from 7 and 8 against last year, not from the unit's 是.
    assert!(
        report.contains("4. 环境质量（空气、水）与上一年度相比没有下降：否，不符合（与2025年度比较：指标7.1“优良天数比例”由88%变为86.4%；指标7.2“PM2.5平均浓度”由25微克/立方米变为27微克/立方米）。生态环境分局作答为“是”，与指标比较的结果不一致，请核实。"),
        "{report}"
    );
    // The same air and water as last year: met, by the indicators (8.1 is 不适用, left out).
    last_year(&tmp.path().join("same"), &[]);
    let same = tmp.path().join("same-history");
    Build::new(&tmp.path().join("same"), "2025").into(&same.join("2025"));
    let steady = Build::new(&crate::support::repo().join("samples/2026"), "2026")
        .args(["--history", same.to_str().unwrap()])
        .into(&tmp.path().join("steady"));
    let report = steady.report();
    assert!(
        report.contains("4. 环境质量（空气、水）与上一年度相比没有下降：是，符合（据指标7.1、7.2、8.2、8.3与2025年度比较，均未下降）。"),
        "{report}"
    );
    assert!(
        report.contains("与2025年度相比，30项工程本年度完成投资0万元；本年度没有新完工的工程。")
    );
    // Without last year on record the unit's answer stands.
    let alone = Build::new(&crate::support::repo().join("samples/2026"), "2026")
        .into(&tmp.path().join("alone"));
    let report = alone.report();
    assert!(
        report.contains("4. 环境质量（空气、水）与上一年度相比没有下降：是，符合。"),
        "{report}"
    );
    // … and the year's investment is what the units wrote as 本年完成投资.
    assert!(
        report.contains("据各单位填报，30项工程本年度完成投资17260.8万元；没有上一年度的汇总数据，本年度完工的工程无法确定。"),
        "{report}"
    );
}

#[test]
fn a_quarter_counts_the_investment_since_the_last_quarter() {
    let tmp = tempfile::tempdir().unwrap();
    let samples = crate::support::repo().join("samples");
    let q3 = Build::new(&samples.join("2026Q3"), "2026Q3").into(&tmp.path().join("history/q3"));
    let q4 = Build::new(&samples.join("2026Q4"), "2026Q4")
        .args(["--history", tmp.path().join("history").to_str().unwrap()])
        .into(&tmp.path().join("out"));
    assert_eq!(q4.code, 0, "{}", q4.json);
    let completed = |b: &crate::support::Built, no: u64| {
        b.json["assessment"]["projects"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["no"] == no)
            .and_then(|p| p["entry"]["completed"].as_f64())
    };
    // 8号 went on building; 17号 (万家沟, 未报送 in the third quarter) has no figure to count from.
    let eight = completed(&q4, 8).unwrap() - completed(&q3, 8).unwrap();
    assert!(eight > 0.0);
    let projects = sheet(&q4.out.join("汇总表.xlsx"), "重点工程");
    let col = projects[1]
        .iter()
        .position(|h| h == "本期完成投资（万元，较2026年第三季度）")
        .unwrap_or_else(|| panic!("{:?}", projects[1]));
    let shown: f64 = row_of(&projects, "8")[col].parse().unwrap();
    assert!((shown - eight).abs() < 0.005, "{shown} vs {eight}");
    assert_eq!(completed(&q3, 17), None);
    assert_eq!(row_of(&projects, "17")[col], "—");
    assert!(row_of(&projects, "17")
        .last()
        .unwrap()
        .contains("2026年第三季度未报送该工程，无法计算本期完成投资"));
    // The report's figure is the sum over the projects both quarters have.
    let (mut sum, mut n) = (0.0, 0);
    for no in 1..=30 {
        if let (Some(now), Some(then)) = (completed(&q4, no), completed(&q3, no)) {
            sum += now - then;
            n += 1;
        }
    }
    let said = format!(
        "与2026年第三季度相比，{n}项工程本期新增完成投资{}万元",
        (sum * 100.0).round() / 100.0
    );
    assert!(q4.report().contains(&said), "{said}: {}", q4.report());
}

/// 伊利's year return (project 23 alone): 累计完成 9000 万元, 本年完成投资 `this_year`.
fn project_23(dir: &Path, this_year: &str) {
    use crate::support::{number_cell, text_cell, Xlsx};
    std::fs::create_dir_all(dir).unwrap();
    let heads = [
        "序号",
        "工程名称",
        "总投资（万元）",
        "累计完成投资（万元）",
        "本年完成投资（万元）",
        "形象进度（%）",
        "状态",
    ];
    let header: String = heads
        .iter()
        .zip(["A4", "B4", "C4", "D4", "E4", "F4", "G4"])
        .map(|(h, r)| text_cell(r, h))
        .collect();
    let rows = format!(
        "<row r=\"2\">{}{}{}{}</row><row r=\"4\">{header}</row><row r=\"5\">{}{}{}{}{}{}{}</row>",
        text_cell("A2", "填报单位"),
        text_cell("B2", "伊利"),
        text_cell("D2", "报告期"),
        text_cell("E2", "2026"),
        number_cell("A5", 23.0),
        text_cell("B5", "伊利现代智慧健康谷工业再生水系景观公园工程"),
        number_cell("C5", 18000.0),
        number_cell("D5", 9000.0),
        text_cell("E5", this_year),
        number_cell("F5", 50.0),
        text_cell("G5", "在建"),
    );
    let book = Xlsx {
        sheets: vec![("重点工程进度", rows)],
        workbook_pr: "",
        shared_strings: None,
        styles: None,
    };
    std::fs::write(dir.join("伊利.xlsx"), book.bytes()).unwrap();
}

#[test]
fn a_years_form_asks_the_years_investment_and_checks_it_against_the_running_total() {
    let tmp = tempfile::tempdir().unwrap();
    for (period, asked) in [("2026", true), ("2026Q4", false)] {
        let out = tmp.path().join(period);
        let made = run([
            "template",
            "--period",
            period,
            "--department",
            "伊利",
            "--out",
            out.to_str().unwrap(),
        ]);
        assert_eq!(made.code, 0, "{}", made.stderr);
        let form = out.join(format!("{period}_伊利_填报表.xlsx"));
        let sheets = crate::support::zip_texts(&form);
        let text: String = sheets.values().cloned().collect();
        assert_eq!(text.contains("本年完成投资（万元）"), asked, "{period}");
    }
    // More than the running total is an error of the return, at its cell.
    let over = tmp.path().join("over");
    project_23(&over, "9500");
    let json = run(["check", over.to_str().unwrap(), "--format", "json"]).json();
    let d = &json["files"][0]["diagnostics"];
    let found = d
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "project-year-over-completed")
        .unwrap_or_else(|| panic!("{json}"));
    assert_eq!(found["cell"], "E5");
    assert!(found["message"]
        .as_str()
        .unwrap()
        .contains("本年完成投资 9500 万元，超过累计完成投资 9000 万元"));
    assert_eq!(json["files"][0]["status"], "rejected");
    // Words are no figure; a figure within the total is the year's.
    let words = tmp.path().join("words");
    project_23(&words, "约一半");
    let json = run(["check", words.to_str().unwrap(), "--format", "json"]).json();
    assert!(
        json["files"][0]["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["code"] == "project-number" && d["value"] == "约一半"),
        "{json}"
    );
    let fine = tmp.path().join("fine");
    project_23(&fine, "4500");
    let built = Build::new(&fine, "2026").into(&tmp.path().join("fine-out"));
    let projects = sheet(&built.out.join("汇总表.xlsx"), "重点工程");
    let col = projects[1]
        .iter()
        .position(|h| h == "本年完成投资（万元）")
        .unwrap_or_else(|| panic!("{:?}", projects[1]));
    assert_eq!(row_of(&projects, "23")[col], "4500");
    assert!(built
        .report()
        .contains("据各单位填报，1项工程本年度完成投资4500万元"));
}
