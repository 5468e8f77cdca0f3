//! 评估报告.docx read back as XML: layout, fonts on every run, page numbers, sections, the
//! unmet indicators with their projects; template errors; no font.

use crate::support::run;
use std::collections::BTreeMap;

fn text(e: &BTreeMap<String, Vec<u8>>, name: &str) -> String {
    String::from_utf8(e[name].clone()).unwrap()
}

/// The visible text of document.xml, paragraph by paragraph.
fn paragraphs(xml: &str) -> Vec<String> {
    xml.split("</w:p>")
        .map(|p| {
            p.split("<w:t xml:space=\"preserve\">")
                .skip(1)
                .map(|t| t.split("</w:t>").next().unwrap_or(""))
                .collect::<String>()
        })
        .filter(|s| !s.is_empty())
        .collect()
}

fn build_report(extra: &[&str]) -> (tempfile::TempDir, crate::support::Run) {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("q3");
    let mut args = vec![
        "build",
        "samples/2026Q3",
        "--period",
        "2026Q3",
        "--out",
        dir.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let r = run(&args);
    (out, r)
}

#[test]
fn layout_fonts_and_page_numbers_follow_the_official_format() {
    let (out, r) = build_report(&[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let e = crate::support::zip_parts(&out.path().join("q3/评估报告.docx"));
    let doc = text(&e, "word/document.xml");
    assert!(doc.contains(r#"<w:pgSz w:w="11906" w:h="16838""#), "A4");
    for (side, twips) in [
        ("top", 2098),
        ("bottom", 1984),
        ("left", 1587),
        ("right", 1474),
    ] {
        assert!(
            doc.contains(&format!(r#"w:{side}="{twips}""#)),
            "margin {side}"
        );
    }
    // Every run names its East-Asian font, not only the first.
    let runs: Vec<&str> = doc.split("<w:r>").skip(1).collect();
    assert!(runs.len() > 200);
    for r in &runs {
        let props = r.split("</w:rPr>").next().unwrap();
        assert!(
            props.contains("w:eastAsia=\""),
            "a run without eastAsia: {}",
            &r[..r.len().min(200)]
        );
    }
    assert!(
        doc.contains(r#"w:eastAsia="仿宋_GB2312""#)
            && doc.contains(r#"w:eastAsia="黑体""#)
            && doc.contains(r#"w:eastAsia="楷体_GB2312""#)
    );
    assert!(
        doc.contains(r#"w:eastAsia="方正小标宋简体""#) && doc.contains(r#"<w:sz w:val="44" />"#),
        "2号小标宋 title"
    );
    assert!(
        doc.contains(r#"<w:spacing w:line="560" w:lineRule="exact" />"#),
        "28 pt fixed line"
    );
    assert!(
        doc.contains(r#"w:firstLine="640""#),
        "two-character first-line indent"
    );
    // Footers: PAGE field, 4号宋体, odd right and even left.
    let footers: Vec<String> = e
        .keys()
        .filter(|k| k.starts_with("word/footer"))
        .map(|k| text(&e, k))
        .collect();
    assert_eq!(footers.len(), 2);
    for f in &footers {
        assert!(
            f.contains("PAGE")
                && f.contains(r#"w:fldCharType="begin""#)
                && f.contains(r#"w:eastAsia="宋体""#)
                && f.contains(r#"<w:sz w:val="28" />"#)
        );
    }
    assert!(
        footers
            .iter()
            .any(|f| f.contains(r#"<w:jc w:val="right" />"#))
            && footers
                .iter()
                .any(|f| f.contains(r#"<w:jc w:val="left" />"#))
    );
    assert!(text(&e, "word/settings.xml").contains("evenAndOddHeaders"));
    let fonts = text(&e, "word/fontTable.xml");
    assert!(fonts.contains(r#"<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>"#));
}

#[test]
fn the_sections_and_the_unmet_indicators_with_their_projects() {
    let (out, _) = build_report(&[]);
    let e = crate::support::zip_parts(&out.path().join("q3/评估报告.docx"));
    let paras = paragraphs(&text(&e, "word/document.xml"));
    for heading in [
        "一、总体情况",
        "二、分领域达标情况",
        "三、未达标指标分析",
        "四、指标预警",
        "五、重点工程进展",
        "六、数据填报质量",
        "七、需要说明的事项",
        "八、下一步工作建议",
        "附件",
    ] {
        assert!(paras.iter().any(|p| p == heading), "missing {heading}");
    }
    let joined = paras.join("\n");
    assert!(
        joined.contains("约束性指标达标率为73.7%"),
        "binding rate from the data"
    );
    assert!(joined.contains("收到填报表20份") && joined.contains("退回修改1份"));
    assert!(joined.contains("其中符合要求19份"));
    // Each unmet indicator is a sub-heading followed by its value, gap, department, projects.
    let section = |id: &str| -> String {
        let start = paras
            .iter()
            .position(|p| p.starts_with('（') && p.ends_with(&format!("（指标{id}）")))
            .unwrap_or_else(|| panic!("no heading for {id}"));
        paras[start..(start + 4).min(paras.len())].join("\n")
    };
    let water = section("8");
    assert!(water.contains("11号") && water.contains("14号"), "{water}");
    assert!(water.contains("生态环境分局"));
    // 17 rests on the ended 十三五's target: not analysed as unmet, asked for in 需要说明的事项.
    assert!(
        joined.contains(
            "指标17“单位地区生产总值能耗降低率”的上级规定目标（“十三五”下降14）所属规划期已结束"
        ) && joined.contains("请发改委提供现行上级目标"),
        "{joined}"
    );
    assert!(section("24").contains("19号"));
    assert!(section("28").contains("21号") && section("28").contains("33.8个百分点"));
    assert!(section("3").contains("没有该指标的达标工程"));
    assert!(joined.contains("指标32“政府绿色采购比例”（财政局，退回修改）"));
    assert!(
        joined.contains("万家沟水库灌区管理处"),
        "who did not report"
    );
    assert!(
        e.keys().any(|k| k.starts_with("word/media/")),
        "the chart is embedded"
    );
    // The appendix lists all 44 rows.
    let schema = eco_returns::schema::Schema::builtin().unwrap();
    let appendix = &paras[paras.iter().position(|p| p == "附件").unwrap()..];
    for ind in schema.indicators() {
        assert!(
            appendix.iter().any(|p| p == &ind.id),
            "appendix lacks {}",
            ind.id
        );
    }
}

#[test]
fn a_template_error_names_file_and_line_and_writes_nothing() {
    let schema_dir = crate::support::schema_copy();
    std::fs::write(
        schema_dir.path().join("report.j2"),
        "# 总体情况\n正文\n{{ counts.no_such_field }}\n",
    )
    .unwrap();
    let (out, r) = build_report(&["--schema", schema_dir.path().to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("report.j2:3:"), "{}", r.stderr);
    assert!(
        !out.path().join("q3").exists(),
        "no output on a template error"
    );
}

#[test]
fn the_office_can_change_the_wording() {
    let schema_dir = crate::support::schema_copy();
    std::fs::write(
        schema_dir.path().join("report.j2"),
        "# 本季度概况\n共评估{{ counts.total }}项指标。\n",
    )
    .unwrap();
    let (out, r) = build_report(&["--schema", schema_dir.path().to_str().unwrap()]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let paras = paragraphs(&text(
        &crate::support::zip_parts(&out.path().join("q3/评估报告.docx")),
        "word/document.xml",
    ));
    assert!(paras.contains(&"一、本季度概况".to_string()));
    assert!(paras.contains(&"共评估35项指标。".to_string()));
}

#[test]
fn without_a_font_the_report_is_written_without_the_chart_and_says_why() {
    let (out, r) = build_report(&["--font", "no/such/font.ttf"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("图表未生成") && r.stderr.contains("no/such/font.ttf"),
        "{}",
        r.stderr
    );
    let e = crate::support::zip_parts(&out.path().join("q3/评估报告.docx"));
    assert!(!e.keys().any(|k| k.starts_with("word/media/")));
    assert!(paragraphs(&text(&e, "word/document.xml"))
        .iter()
        .any(|p| p == "一、总体情况"));
}

#[test]
fn a_cjk_font_is_found_where_ci_installs_one() {
    // CI (.ci/run) installs fonts-wqy-microhei when no CJK font is present.
    if std::env::var_os("CI").is_some() {
        assert!(eco_returns::write::report::find_font(None).is_ok());
    }
}

#[test]
fn beyond_ten_rejected_returns_the_report_gives_the_count_and_points_to_the_workbook() {
    // The 2026Q3 returns plus the 17 malformed ones rejected on their own: 18 rejected in all.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("in");
    std::fs::create_dir(&dir).unwrap();
    for folder in ["samples/2026Q3", "samples/malformed"] {
        for f in std::fs::read_dir(crate::support::repo().join(folder)).unwrap() {
            let f = f.unwrap().path();
            std::fs::copy(&f, dir.join(f.file_name().unwrap())).unwrap();
        }
    }
    let out = tmp.path().join("out");
    let r = run([
        "build",
        dir.to_str().unwrap(),
        "--period",
        "2026Q3",
        "--out",
        out.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let rejected = r.json()["summary"]["rejected"].as_u64().unwrap();
    assert!(rejected > 10, "{rejected}");
    let doc = text(
        &crate::support::zip_parts(&out.join("评估报告.docx")),
        "word/document.xml",
    );
    let named = paragraphs(&doc)
        .iter()
        .filter(|p| p.contains("的填报表退回修改，原因："))
        .count();
    assert_eq!(named, 10);
    let more = format!(
        "另有{}份填报表退回修改，原因见汇总表“校验问题”工作表。",
        rejected - 10
    );
    assert!(paragraphs(&doc).contains(&more), "{more}");
}

/// A return of 伊利 (project 23 only) whose 存在问题 carries characters XML forbids, as text
/// pasted out of Word does.
fn project_return_with_control_characters() -> Vec<u8> {
    use crate::support::{number_cell, text_cell, Xlsx};
    let rows = format!(
        "<row r=\"1\">{}</row><row r=\"2\">{}{}{}{}</row><row r=\"4\">{}{}{}{}{}{}{}</row><row r=\"5\">{}{}{}{}{}{}{}</row>",
        text_cell("A1", "土默特左旗国家生态文明建设示范旗指标季度填报表"),
        text_cell("A2", "填报单位"),
        text_cell("B2", "伊利"),
        text_cell("D2", "报告期"),
        text_cell("E2", "2026Q3"),
        text_cell("A4", "序号"),
        text_cell("B4", "工程名称"),
        text_cell("C4", "总投资（万元）"),
        text_cell("D4", "累计完成投资（万元）"),
        text_cell("E4", "形象进度（%）"),
        text_cell("F4", "状态"),
        text_cell("G4", "存在问题"),
        number_cell("A5", 23.0),
        text_cell("B5", "伊利现代智慧健康谷工业再生水系景观公园工程"),
        number_cell("C5", 18000.0),
        number_cell("D5", 9000.0),
        number_cell("E5", 40.0),
        text_cell("F5", "已暂停"),
        text_cell("G5", "资金未到位_x000B_待协调\u{1b}[0m&#xFFFF;"),
    );
    Xlsx {
        sheets: vec![("重点工程进度", rows)],
        workbook_pr: "",
        shared_strings: None,
        styles: None,
    }
    .bytes()
}

#[test]
fn properties_are_in_schema_order_and_no_forbidden_character_reaches_the_xml() {
    let dir = tempfile::tempdir().unwrap();
    let returns = dir.path().join("returns");
    std::fs::create_dir_all(&returns).unwrap();
    std::fs::write(
        returns.join("伊利.xlsx"),
        project_return_with_control_characters(),
    )
    .unwrap();
    let out = dir.path().join("out");
    let run = crate::support::build_into(&returns, "2026Q3", &out, &["--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json = run.json();
    let problem = json["assessment"]["projects"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|p| p["entry"]["problem"].as_str().or(p["problem"].as_str()))
        .map(str::to_string);
    assert!(
        problem.as_deref().is_some_and(|p| p.contains('\u{b}')),
        "the return carried U+000B into the data: {problem:?}"
    );
    let parts = crate::support::zip_texts(&out.join("评估报告.docx"));
    let doc = &parts["word/document.xml"];
    assert!(doc.contains("资金未到位"), "the problem is in the report");
    for (name, xml) in &parts {
        let bad: Vec<char> = xml
            .chars()
            .filter(|&c| (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || c == '\u{ffff}')
            .collect();
        assert!(bad.is_empty(), "{name} holds {bad:?}");
    }
    // In every run's properties the font comes before the size (CT_RPr's sequence), and in
    // every paragraph's the spacing before the alignment (CT_PPr's).
    for (name, xml) in &parts {
        for props in xml.split("<w:rPr>").skip(1) {
            let props = props.split("</w:rPr>").next().unwrap();
            if let (Some(font), Some(size)) = (props.find("<w:rFonts"), props.find("<w:sz ")) {
                assert!(font < size, "{name}: {props}");
            }
        }
        for props in xml.split("<w:pPr>").skip(1) {
            let props = props.split("</w:pPr>").next().unwrap();
            if let (Some(spacing), Some(jc)) = (props.find("<w:spacing"), props.find("<w:jc ")) {
                assert!(spacing < jc, "{name}: {props}");
            }
        }
    }
    assert!(parts.contains_key("word/theme/theme1.xml"));
}

/// The paragraphs of the samples' report, and the build's JSON.
fn samples_report() -> (Vec<String>, String, serde_json::Value) {
    let (out, run) = build_report(&["--format", "json"]);
    let json = run.json();
    let e = crate::support::zip_parts(&out.path().join("q3/评估报告.docx"));
    let doc = text(&e, "word/document.xml");
    (paragraphs(&doc), doc, json)
}

#[test]
fn the_report_never_contradicts_its_own_data() {
    let (paras, _, json) = samples_report();
    let joined = paras.join("\n");
    let projects = json["assessment"]["projects"].as_array().unwrap();
    let state = |no: u64| -> Option<String> {
        projects
            .iter()
            .find(|p| p["no"] == no)
            .and_then(|p| p["entry"]["status"].as_str().map(str::to_string))
    };
    // A finished project is never asked to 加快推进.
    let suggestions = &joined[joined.find("八、下一步工作建议").unwrap()..];
    for part in suggestions.split("加快推进").skip(1) {
        let list = part.split("工程").next().unwrap();
        for no in list.split('、') {
            let no: u64 = no.trim_end_matches('号').parse().unwrap();
            assert_ne!(
                state(no).as_deref(),
                Some("已完工"),
                "加快推进 a finished {no}号"
            );
        }
    }
    assert!(
        suggestions.contains("已完工而指标仍未达标"),
        "finished supporting projects said so"
    );
    // 进度滞后 lists only projects late by their own data; those whose 实施年限 has ended
    // unfinished are 逾期未完工, apart; those without data have their list.
    let late_start = joined.find("逾期未完工").unwrap();
    let late_end = joined.find("以下工程本期没有可用的进度数据").unwrap();
    let late = &joined[late_start..late_end];
    for no in [8, 10, 26] {
        assert!(
            late.contains(&format!("\n{no}号")),
            "{no}号 is overdue: {late}"
        );
    }
    assert!(
        late.contains("实施年限已于2025年结束，目前在建，形象进度67%，距完工尚差33个百分点"),
        "{late}"
    );
    assert!(
        !joined.contains("按实施年限本期末应完成约100%"),
        "an ended project is overdue"
    );
    for p in projects.iter().filter(|p| p["entry"].is_null()) {
        let no = p["no"].as_u64().unwrap();
        assert!(
            !late.contains(&format!("\n{no}号")),
            "{no}号 has no data but is listed late"
        );
        assert!(
            joined[late_end..].contains(&format!("{no}号")),
            "{no}号 not listed without data"
        );
    }
    for p in projects.iter().filter(|p| p["entry"]["status"] == "已完工") {
        let no = p["no"].as_u64().unwrap();
        assert!(
            !late.contains(&format!("\n{no}号")),
            "finished {no}号 listed as late"
        );
    }
    let supervised = suggestions.split("对进度滞后的").nth(1).unwrap_or("");
    for p in projects.iter().filter(|p| p["entry"].is_null()) {
        let no = p["no"].as_u64().unwrap();
        assert!(
            !supervised.starts_with(&format!("{no}号"))
                && !supervised.contains(&format!("、{no}号"))
        );
    }
}

#[test]
fn a_2026_report_measures_against_the_2030_stage_and_in_percentage_points() {
    let (paras, _, _) = samples_report();
    let joined = paras.join("\n");
    let analysis = &joined
        [joined.find("三、未达标指标分析").unwrap()..joined.find("五、重点工程进展").unwrap()];
    assert!(analysis.contains("2030年规划目标为"), "{analysis}");
    assert!(
        !analysis.contains("2025年规划目标为"),
        "the ended stage is not the target"
    );
    assert!(
        analysis.contains("已到期未实现"),
        "the 2025 outcome is said"
    );
    // Differences between percentages: 个百分点, never %.
    let mut rest = joined.as_str();
    while let Some(at) = rest.find("尚差") {
        rest = &rest[at + "尚差".len()..];
        let amount: String = rest
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.')
            .collect();
        let after = &rest[amount.len()..];
        assert!(!after.starts_with('%'), "尚差{amount}% in the report");
    }
    assert!(joined.contains("个百分点"));
    assert!(!joined.contains("标准为="), "标准为=100%");
    assert!(!joined.contains("上级规定目标（上级规定目标"));
    assert!(
        !joined.contains("上级规定目标: "),
        "the schema's own notation leaks"
    );
}

#[test]
fn captions_repeated_headers_unsplit_rows_a_full_width_appendix_and_a_signature() {
    let (paras, doc, _) = samples_report();
    let tables = doc.matches("<w:tbl>").count();
    for n in 1..tables {
        assert!(
            paras.iter().any(|p| p.starts_with(&format!("表{n}  "))),
            "no caption 表{n}"
        );
    }
    assert!(paras.iter().any(|p| p.starts_with("图1  ")));
    for t in doc.split("<w:tbl>").skip(1) {
        let first_row = t.split("</w:tr>").next().unwrap();
        assert!(
            first_row.contains("<w:tblHeader"),
            "a table without a repeated header"
        );
        let rows = t
            .split("</w:tbl>")
            .next()
            .unwrap()
            .matches("<w:tr>")
            .count();
        let unsplit = t
            .split("</w:tbl>")
            .next()
            .unwrap()
            .matches("<w:cantSplit")
            .count();
        assert_eq!(rows, unsplit, "every row is kept on one page");
    }
    // The appendix (the last table) spans the text width: 210 − 28 − 26 = 156 mm.
    let appendix = doc.split("<w:tbl>").last().unwrap();
    let grid: i64 = appendix
        .split("<w:gridCol w:w=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap().parse::<i64>().unwrap())
        .sum();
    assert!((grid - 8844).abs() < 20, "appendix grid {grid} twips");
    // The appendix shows the assessed value (87.1%), not the clerk's raw text.
    let appendix_text = paragraphs(appendix).join("|");
    assert!(appendix_text.contains("87.1%"), "{appendix_text}");
    // 落款 and 成文日期 close the text, before the appendix (tests/integration/filing.rs
    // checks their layout).
    let end = paras.iter().position(|p| p == "附件").unwrap();
    assert_eq!(paras[end - 2], "呼和浩特市生态环境局土默特左旗分局");
    assert_eq!(paras[end - 1], "2026年10月8日");
}

#[test]
fn a_value_in_doubt_is_marked_and_decides_no_conclusion() {
    use crate::support::{number_cell, one_sheet, valid_return_rows};
    let dir = tempfile::tempdir().unwrap();
    let returns = dir.path().join("returns");
    std::fs::create_dir_all(&returns).unwrap();
    for e in std::fs::read_dir(crate::support::repo().join("samples/2026Q3")).unwrap() {
        let p = e.unwrap().path();
        if !p.to_string_lossy().contains("宣传部") {
            std::fs::copy(&p, returns.join(p.file_name().unwrap())).unwrap();
        }
    }
    // 0.962 typed for 34 (a percentage ≥ 80): read as 0.962 with a warning, so 未达标 待核实.
    let rows =
        valid_return_rows("2026Q3").replace(&number_cell("F5", 96.2), &number_cell("F5", 0.962));
    std::fs::write(
        returns.join("宣传部.xlsx"),
        one_sheet("指标填报", rows).bytes(),
    )
    .unwrap();
    let out = dir.path().join("out");
    let run = crate::support::build_into(&returns, "2026Q3", &out, &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let e = crate::support::zip_parts(&out.join("评估报告.docx"));
    let paras = paragraphs(&text(&e, "word/document.xml"));
    let at = paras
        .iter()
        .position(|p| p.contains("（指标34）") || p.starts_with("指标34“"))
        .expect("34 is analysed");
    let analysis = &paras[at + 1];
    assert!(analysis.contains("待核实"), "{analysis}");
    assert!(
        !analysis.contains("距标准尚差"),
        "a doubted value decides no gap: {analysis}"
    );
    let joined = paras.join("\n");
    assert!(
        joined.contains("指标34“公众对生态文明建设的满意度”：本期值待核实"),
        "the suggestion checks it first"
    );
    // 汇总表 marks it beside its status.
    use calamine::Reader;
    let mut book = calamine::open_workbook_auto(out.join("汇总表.xlsx")).unwrap();
    let overview = book.worksheet_range("指标总览").unwrap();
    assert!(overview.rows().any(|r| r
        .iter()
        .any(|c| matches!(c, calamine::Data::String(s) if s == "未达标（待核实）"))));
}
