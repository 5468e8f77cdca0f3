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
        text.contains("93.5%（2026年度）"),
        "values with their data year"
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
