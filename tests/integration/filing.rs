//! The report as a 公文 the office signs without editing (issue 22): the office settings, the
//! 成文日期, 主送, 附件说明, the 署名 over the date, the 版头 and 版记 when configured, the
//! document's properties, and wording a leader reads. Each checked in document.xml.

use crate::support::{build_into, repo, run, schema_copy};
use std::path::Path;

/// The paragraphs of a .docx's body: their text and their XML.
fn paragraphs(docx: &Path) -> Vec<(String, String)> {
    let mut z = zip::ZipArchive::new(std::fs::File::open(docx).unwrap()).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut z.by_name("word/document.xml").unwrap(), &mut xml).unwrap();
    xml.split("<w:p>")
        .flat_map(|p| p.split("<w:p "))
        .skip(1)
        .map(|p| {
            let p = p.split("</w:p>").next().unwrap_or("").to_string();
            // `<w:t>` or `<w:t …>`, not `<w:top …/>` (a border) or `<w:tbl>`.
            let text: String = p
                .split("<w:t")
                .skip(1)
                .filter(|t| t.starts_with('>') || t.starts_with(' '))
                .filter_map(|t| t.split_once('>'))
                .map(|(_, rest)| rest.split("</w:t>").next().unwrap_or(""))
                .collect();
            (text, p)
        })
        .collect()
}

fn report(extra: &[&str]) -> (tempfile::TempDir, std::path::PathBuf) {
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("q3");
    let r = build_into(&repo().join("samples/2026Q3"), "2026Q3", &out, extra);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let docx = out.join("评估报告.docx");
    (root, docx)
}

const ISSUER: &str = "呼和浩特市生态环境局土默特左旗分局";

#[test]
fn the_report_is_addressed_dated_on_a_working_day_and_signed_by_the_office() {
    let (_root, docx) = report(&[]);
    let ps = paragraphs(&docx);
    let texts: Vec<&str> = ps.iter().map(|(t, _)| t.as_str()).collect();
    // 主送机关, flush left, right after the title.
    let to = texts
        .iter()
        .position(|t| *t == "土默特左旗人民政府：")
        .expect("主送");
    assert!(texts[..to].iter().any(|t| t.contains("达标情况评估报告")));
    assert!(!ps[to].1.contains("w:firstLine"), "主送 is not indented");
    // 附件说明, then the 署名 and the 成文日期: the first working day after the quarter.
    let signed = texts.iter().position(|t| *t == ISSUER).expect("署名");
    assert_eq!(
        texts[signed + 1],
        "2026年10月8日",
        "not 1 October, National Day"
    );
    let note = texts[..signed].iter().rposition(|t| !t.is_empty()).unwrap();
    assert_eq!(
        texts[note],
        "附件：土默特左旗国家生态文明建设示范旗指标达标情况表（2026年第三季度）"
    );
    // The 署名 is centred over the date: set further in from the right than the date is
    // would mean a shorter name; this one is longer, so it stands 2 characters in and the
    // date is centred under it.
    assert!(ps[signed].1.contains("w:right=\"640\""), "{}", ps[signed].1);
    // 2026年10月8日 is 6.5 characters wide (digits are half): (2 + (17 − 6.5) / 2) × 320.
    assert!(
        ps[signed + 1].1.contains("w:right=\"2320\""),
        "{}",
        ps[signed + 1].1
    );
    // The office never asks itself; its own name is 我局.
    let all = texts.join("");
    assert!(!all.contains("请旗生态环境分局"), "{all}");
    assert!(all.contains("我局汇总了"));
    // Document properties: the issuer wrote it, on the 成文日期.
    let core = crate::support::zip_text(&docx, "docProps/core.xml");
    assert!(
        core.contains(&format!("<dc:creator>{ISSUER}</dc:creator>")),
        "{core}"
    );
    assert!(
        core.contains(">2026-10-08T00:00:00Z</dcterms:created>"),
        "{core}"
    );
}

#[test]
fn the_date_can_be_set_and_a_wrong_one_is_refused_in_chinese() {
    let (_root, docx) = report(&["--date", "2026-10-15"]);
    let texts: Vec<String> = paragraphs(&docx).into_iter().map(|(t, _)| t).collect();
    assert!(texts.iter().any(|t| t == "2026年10月15日"));
    assert!(crate::support::zip_text(&docx, "docProps/core.xml").contains("2026-10-15T00:00:00Z"));
    let r = run([
        "build",
        "samples/2026Q3",
        "--period",
        "2026Q3",
        "--date",
        "2026-02-30",
    ]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("无法识别日期“2026-02-30”"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_document_number_prints_the_red_masthead_and_cc_the_imprint() {
    let schema = schema_copy();
    std::fs::write(
        schema.path().join("office.toml"),
        format!(
            "issuer = \"{ISSUER}\"\nself_name = \"我局\"\nrecipient = \"旗创建工作领导小组\"\ncc = [\"旗发改委\", \"旗财政局\"]\ndocument_number = \"土环分发〔2026〕15号\"\ncontact = \"联系人：张某，电话：0471-1234567\"\n"
        ),
    )
    .unwrap();
    let dir = schema.path().to_str().unwrap().to_string();
    let (_root, docx) = report(&["--schema", &dir]);
    let ps = paragraphs(&docx);
    let texts: Vec<&str> = ps.iter().map(|(t, _)| t.as_str()).collect();
    let head = texts
        .iter()
        .position(|t| *t == format!("{ISSUER}文件"))
        .expect("版头");
    assert!(
        ps[head].1.contains("w:color w:val=\"C00000\""),
        "red: {}",
        ps[head].1
    );
    // 19 characters on one line of 442 pt: 23 pt each (46 half-points), not 36.
    assert!(ps[head].1.contains("<w:sz w:val=\"46\""), "{}", ps[head].1);
    assert_eq!(texts[head + 1], "土环分发〔2026〕15号");
    assert!(
        ps[head + 2].1.contains("w:top") && ps[head + 2].1.contains("C00000"),
        "the red rule"
    );
    assert!(texts.contains(&"旗创建工作领导小组："));
    assert!(
        texts.contains(&"（联系人：张某，电话：0471-1234567）"),
        "附注"
    );
    let cc = texts
        .iter()
        .position(|t| *t == "抄送：旗发改委，旗财政局。")
        .expect("版记");
    assert_eq!(
        texts[cc + 1],
        format!("{ISSUER}\u{3000}\u{3000}2026年10月8日印发")
    );
    assert!(
        cc > texts
            .iter()
            .position(|t| t.contains("指标达标情况表（2026"))
            .unwrap()
    );
    // Without them (the built-in settings) neither is printed.
    let (_root, plain) = report(&[]);
    let texts: Vec<String> = paragraphs(&plain).into_iter().map(|(t, _)| t).collect();
    assert!(!texts
        .iter()
        .any(|t| t.ends_with("分局文件") || t.starts_with("抄送：")));
}

#[test]
fn the_wording_lists_no_zero_uses_no_software_words_and_skips_no_level() {
    let root = tempfile::tempdir().unwrap();
    for (period, code) in [("2026Q3", 1), ("2026Q2", 0)] {
        let out = root.path().join(period);
        assert_eq!(
            build_into(&repo().join("samples").join(period), period, &out, &[]).code,
            code
        );
        let texts: Vec<String> = paragraphs(&out.join("评估报告.docx"))
            .into_iter()
            .map(|(t, _)| t)
            .collect();
        // Prose only: the tables' cells are paragraphs too, and short.
        let prose: Vec<&String> = texts.iter().filter(|t| t.chars().count() > 12).collect();
        for t in &prose {
            for zero in ["0份", "0项", "0个"] {
                let listed = t
                    .match_indices(zero)
                    .any(|(i, _)| !t[..i].ends_with(|c: char| c.is_ascii_digit() || c == '.'));
                assert!(!listed, "{period}: a zero count in {t}");
            }
            for word in ["通过校验", "最小二乘", "缺数据", "现状值为/"] {
                assert!(!t.contains(word), "{period}: {word} in {t}");
            }
        }
        // Under each 一、 heading, no lone （一）.
        let mut sub = 0;
        for t in texts.iter().chain(std::iter::once(&"十、".to_string())) {
            let level1 = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]
                .iter()
                .any(|n| t.starts_with(&format!("{n}、")));
            if level1 {
                assert_ne!(sub, 1, "{period}: a lone （一） before {t}");
                sub = 0;
            } else if t.starts_with('（')
                && t.contains('）')
                && t.chars()
                    .nth(1)
                    .is_some_and(|c| "一二三四五六七八九十".contains(c))
            {
                sub += 1;
            }
        }
        // Targets carry their unit.
        assert!(
            !prose
                .iter()
                .any(|t| t.contains("规划目标为≥25；") || t.contains("规划目标为≥25，")),
            "{period}"
        );
    }
}

#[test]
fn the_workbook_stores_numbers_as_numbers_and_prints_the_overview_on_a3() {
    use calamine::{Data, Reader};
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("q3");
    build_into(&repo().join("samples/2026Q3"), "2026Q3", &out, &[]);
    let xlsx = out.join("汇总表.xlsx");
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
    let overview = book.worksheet_range("指标总览").unwrap();
    let row28 = overview
        .rows()
        .find(|r| r.get(1) == Some(&Data::String("28".into())))
        .unwrap();
    assert_eq!(row28[7], Data::Float(46.2), "本期值 is a number");
    assert_eq!(row28[8], Data::String("2025年度".into()), "its 数据年份");
    assert!(
        matches!(row28[11], Data::Float(_)),
        "与标准差距 is a number"
    );
    let stats = book.worksheet_range("分领域统计").unwrap();
    let total = stats
        .rows()
        .find(|r| r.first() == Some(&Data::String("合计".into())))
        .unwrap();
    // 领域, 达标, 未达标, 待核实, 不适用, 缺数据, 合计, 达标率: every count in its own column.
    let header: Vec<String> = stats
        .rows()
        .nth(1)
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(
        header[..8],
        [
            "领域",
            "达标",
            "未达标",
            "待核实",
            "不适用",
            "缺数据",
            "合计",
            "达标率"
        ]
    );
    let counts: Vec<Data> = total[1..7].to_vec();
    assert_eq!(
        counts,
        [28.0, 5.0, 1.0, 0.0, 1.0, 35.0].map(Data::Float).to_vec()
    );
    assert!(
        // 28 met of 34 (17, 待核实, is left out).
        matches!(total[7], Data::Float(v) if (v - 28.0 / 34.0).abs() < 1e-9),
        "{:?}",
        total[7]
    );
    let projects = book.worksheet_range("重点工程").unwrap();
    let header: Vec<String> = projects
        .rows()
        .nth(1)
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert!(
        header.contains(&"类别".to_string()) && header.contains(&"实施年限".to_string()),
        "{header:?}"
    );
    let first = projects
        .rows()
        .find(|r| r.first() == Some(&Data::Float(1.0)))
        .unwrap();
    assert_eq!(first[3].to_string(), "指标巩固工程");
    assert_eq!(first[4].to_string(), "2021-2023");
    // Numbers are centred: never right against the left-aligned text of the next column.
    let styles = crate::support::zip_text(&xlsx, "xl/styles.xml");
    assert!(styles.contains("horizontal=\"center\""), "{styles}");
    let sheet1 = crate::support::zip_text(&xlsx, "xl/worksheets/sheet1.xml");
    assert!(sheet1.contains("paperSize=\"8\""), "A3");
}
