//! 评估报告.docx read back as XML: layout, fonts on every run, page numbers, sections, the
//! unmet indicators with their projects; template errors; no font.

use crate::support::run;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

fn docx_entries(path: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut z = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).unwrap();
            let mut b = Vec::new();
            f.read_to_end(&mut b).unwrap();
            (f.name().unwrap().to_string(), b)
        })
        .collect()
}

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
    let e = docx_entries(&out.path().join("q3/评估报告.docx"));
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
    let e = docx_entries(&out.path().join("q3/评估报告.docx"));
    let paras = paragraphs(&text(&e, "word/document.xml"));
    for heading in [
        "一、总体情况",
        "二、分领域达标情况",
        "三、未达标指标分析",
        "四、重点工程进展",
        "五、数据填报质量",
        "六、下一步工作建议",
        "附件",
    ] {
        assert!(paras.iter().any(|p| p == heading), "missing {heading}");
    }
    let joined = paras.join("\n");
    assert!(
        joined.contains("约束性指标达标率为70.0%"),
        "binding rate from the data"
    );
    assert!(joined.contains("收到填报表20份") && joined.contains("退回修改1份"));
    // Each unmet indicator is a sub-heading followed by its value, gap, department, projects.
    let section = |id: &str| -> String {
        let start = paras
            .iter()
            .position(|p| p.starts_with('（') && p.contains(&format!("）{id} ")))
            .unwrap_or_else(|| panic!("no heading for {id}"));
        paras[start..(start + 4).min(paras.len())].join("\n")
    };
    let water = section("8");
    assert!(water.contains("11号") && water.contains("14号"), "{water}");
    assert!(water.contains("生态环境分局"));
    assert!(section("17").contains("7号") && section("17").contains("发改委"));
    assert!(section("24").contains("19号"));
    assert!(section("28").contains("21号") && section("28").contains("33.8%"));
    assert!(section("3").contains("没有该指标的达标工程"));
    assert!(joined.contains("32 政府绿色采购比例（财政局，退回修改）"));
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
    for ind in &schema.indicators {
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
        &docx_entries(&out.path().join("q3/评估报告.docx")),
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
    let e = docx_entries(&out.path().join("q3/评估报告.docx"));
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
        &docx_entries(&out.join("评估报告.docx")),
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
