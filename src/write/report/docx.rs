//! Lays out the report's blocks in GB/T 9704-2012 style: A4, margins 37/35/28/26 mm, body
//! 3号仿宋 at a fixed 28 pt line, headings 黑体/楷体/仿宋, title 2号小标宋, page numbers
//! 4号宋体 `— 1 —` outside (odd right, even left). Every run names its East-Asian font.

use super::context::ReportContext;
use super::template::{Block, ChartKind, TableKind};
use crate::assess::{Assessment, Counts, Status};
use crate::schema::Schema;
use docx_rs::{
    AlignmentType, BreakType, Docx, FieldCharType, Footer, InstrPAGE, InstrText, LineSpacing,
    LineSpacingType, PageMargin, Paragraph, Pic, Run, RunFonts, SpecialIndentType, Table,
    TableAlignmentType, TableCell, TableRow, VAlignType, WidthType,
};
use std::io::Cursor;

pub const FANGSONG: &str = "仿宋_GB2312";
pub const HEITI: &str = "黑体";
pub const KAITI: &str = "楷体_GB2312";
pub const XIAOBIAOSONG: &str = "方正小标宋简体";
pub const SONGTI: &str = "宋体";
const LATIN: &str = "Times New Roman";

/// Half-points: 2号 22pt, 3号 16pt, 4号 14pt, 5号 10.5pt.
const SIZE_2: usize = 44;
const SIZE_3: usize = 32;
const SIZE_4: usize = 28;
const SIZE_TABLE: usize = 21;
/// 小五 (9 pt) for the nine-column appendix: at 5号 its columns cannot hold “约束性”, “11.1”
/// or “生态环境分局” unbroken within the 156 mm text width.
const SIZE_APPENDIX: usize = 18;
/// Cell margins left and right of the appendix table (twips; Word's default is 108).
const APPENDIX_CELL_MARGIN: usize = 57;
/// Twips per millimetre.
const MM: f64 = 56.692_913;

fn mm(v: f64) -> i32 {
    (v * MM).round() as i32
}

fn fonts(east_asia: &str) -> RunFonts {
    RunFonts::new()
        .east_asia(east_asia)
        .ascii(LATIN)
        .hi_ansi(LATIN)
        .cs(LATIN)
}

fn run(text: &str, font: &str, size: usize) -> Run {
    Run::new().add_text(text).fonts(fonts(font)).size(size)
}

fn body_spacing() -> LineSpacing {
    LineSpacing::new()
        .line_rule(LineSpacingType::Exact)
        .line(560)
}

fn body(text: &str) -> Paragraph {
    Paragraph::new()
        .add_run(run(text, FANGSONG, SIZE_3))
        .line_spacing(body_spacing())
        .indent(None, Some(SpecialIndentType::FirstLine(640)), None, None)
        .align(AlignmentType::Both)
}

const NUMERALS: [&str; 20] = [
    "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四",
    "十五", "十六", "十七", "十八", "十九", "二十",
];

pub(super) fn numeral(n: usize) -> String {
    NUMERALS
        .get(n.saturating_sub(1))
        .map(|s| s.to_string())
        .unwrap_or_else(|| n.to_string())
}

fn heading(level: u8, number: usize, text: &str) -> Paragraph {
    let (label, font) = match level {
        1 => (format!("{}、", numeral(number)), HEITI),
        2 => (format!("（{}）", numeral(number)), KAITI),
        3 => (format!("{number}."), FANGSONG),
        _ => (format!("（{number}）"), FANGSONG),
    };
    Paragraph::new()
        .add_run(run(&format!("{label}{text}"), font, SIZE_3))
        .line_spacing(body_spacing())
        .indent(None, Some(SpecialIndentType::FirstLine(640)), None, None)
        .keep_next(true)
}

fn page_footer(align: AlignmentType, odd: bool) -> Footer {
    let pad = "\u{3000}";
    let (before, after) = if odd {
        ("— ", format!(" —{pad}"))
    } else {
        (&*format!("{pad}— "), " —".to_string())
    };
    let before = before.to_string();
    let p = Paragraph::new()
        .add_run(run(&before, SONGTI, SIZE_4))
        .add_run(
            Run::new()
                .fonts(fonts(SONGTI))
                .size(SIZE_4)
                .add_field_char(FieldCharType::Begin, false),
        )
        .add_run(
            Run::new()
                .fonts(fonts(SONGTI))
                .size(SIZE_4)
                .add_instr_text(InstrText::PAGE(InstrPAGE::new())),
        )
        .add_run(
            Run::new()
                .fonts(fonts(SONGTI))
                .size(SIZE_4)
                .add_field_char(FieldCharType::Separate, false),
        )
        .add_run(run("1", SONGTI, SIZE_4))
        .add_run(
            Run::new()
                .fonts(fonts(SONGTI))
                .size(SIZE_4)
                .add_field_char(FieldCharType::End, false),
        )
        .add_run(run(&after, SONGTI, SIZE_4))
        .align(align);
    Footer::new().add_paragraph(p)
}

fn cell(text: &str, width_mm: f64, shade: Option<&str>, bold: bool) -> TableCell {
    sized_cell(text, width_mm, shade, bold, SIZE_TABLE)
}

/// A table cell; a `\n` in `text` is a line break inside the cell.
fn sized_cell(
    text: &str,
    width_mm: f64,
    shade: Option<&str>,
    bold: bool,
    size: usize,
) -> TableCell {
    let mut p = Paragraph::new().align(AlignmentType::Center).line_spacing(
        LineSpacing::new()
            .line_rule(LineSpacingType::Auto)
            .line(240),
    );
    for (i, line) in text.split('\n').enumerate() {
        let mut r = run(line, FANGSONG, size);
        if bold {
            r = r.bold();
        }
        if i > 0 {
            p = p.add_run(
                Run::new()
                    .fonts(fonts(FANGSONG))
                    .add_break(BreakType::TextWrapping),
            );
        }
        p = p.add_run(r);
    }
    let mut c = TableCell::new()
        .add_paragraph(p)
        .width(mm(width_mm) as usize, WidthType::Dxa)
        .vertical_align(VAlignType::Center);
    if let Some(color) = shade {
        c = c.shading(docx_rs::Shading::new().fill(color));
    }
    c
}

/// A table whose first row is its header. No row is split across pages; the header row is
/// repeated on every page by the finishing pass (schema_order.rs), since docx-rs cannot.
fn table(header: &[&str], widths: &[f64], rows: Vec<Vec<String>>) -> Table {
    let mut out = vec![TableRow::new(
        header
            .iter()
            .zip(widths)
            .map(|(h, w)| cell(h, *w, Some("D9E1F2"), true))
            .collect(),
    )
    .cant_split()];
    for r in rows {
        out.push(
            TableRow::new(
                r.iter()
                    .zip(widths)
                    .map(|(t, w)| cell(t, *w, None, false))
                    .collect(),
            )
            .cant_split(),
        );
    }
    fixed(Table::new(out), widths)
}

/// The caption above a table or below a chart: `表1  各领域指标达标情况`, centred, 黑体 5号.
fn caption(text: &str) -> Paragraph {
    Paragraph::new()
        .add_run(run(text, HEITI, SIZE_TABLE))
        .align(AlignmentType::Center)
        .keep_next(true)
}

/// A table of the given column widths that renderers do not shrink to its content.
fn fixed(t: Table, widths: &[f64]) -> Table {
    let total: f64 = widths.iter().sum();
    t.set_grid(widths.iter().map(|w| mm(*w) as usize).collect())
        .width(mm(total) as usize, WidthType::Dxa)
        .layout(docx_rs::TableLayoutType::Fixed)
        .align(TableAlignmentType::Center)
}

/// A status cell's fill in the report: the palette of 汇总表.
fn status_shade(s: Status) -> String {
    format!("{:06X}", super::super::style::palette(s).fill)
}

/// A row of the 分领域 table: the label, then the counts and the rate met.
fn counts_row(label: &str, c: &Counts) -> Vec<String> {
    vec![
        label.to_string(),
        c.total().to_string(),
        c.met.to_string(),
        c.unmet.to_string(),
        c.pending.to_string(),
        c.not_applicable.to_string(),
        c.no_data.to_string(),
        c.rate_text(),
    ]
}

/// The data table a `[表格:…]` directive places.
fn data_table(kind: TableKind, a: &Assessment, ctx: &ReportContext) -> Option<Table> {
    match kind {
        TableKind::ByDomain => by_domain_table(a),
        TableKind::Unmet => unmet_table(a),
        TableKind::Projects => projects_table(ctx),
        TableKind::Trend => trend_table(ctx),
        TableKind::Returns => returns_table(ctx),
        TableKind::Warning => warning_table(ctx),
    }
}

fn by_domain_table(a: &Assessment) -> Option<Table> {
    let mut rows: Vec<Vec<String>> = a.by_domain.iter().map(|(d, c)| counts_row(d, c)).collect();
    rows.push(counts_row("合计", &a.all));
    Some(table(
        &[
            "领域",
            "指标数",
            "达标",
            "未达标",
            "待核实",
            "不适用",
            "缺数据",
            "达标率",
        ],
        &[28.0, 16.0, 16.0, 16.0, 16.0, 16.0, 16.0, 26.0],
        rows,
    ))
}

fn unmet_table(a: &Assessment) -> Option<Table> {
    let rows: Vec<Vec<String>> =
        a.rows
            .iter()
            .filter(|r| r.status == Status::Unmet || r.status == Status::NoData)
            .map(|r| {
                let gap = match r.unverified {
                    Some(_) => "待核实".to_string(),
                    None => crate::write::wording::with_measure_unit(r.gap, r)
                        .unwrap_or_else(|| "—".into()),
                };
                vec![
                    r.id.to_string(),
                    r.indicator.full_name(),
                    crate::write::wording::shown_value(r),
                    crate::write::wording::standard(r),
                    gap,
                    r.indicator.target_for(a.period.stage_year()).text.clone(),
                    r.department.to_string(),
                    r.status_label(),
                ]
            })
            .collect();
    (!rows.is_empty()).then(|| {
        table(
            &[
                "序号",
                "指标",
                "本期值",
                "标准",
                "差距",
                &format!("{}年目标", a.period.stage_year()),
                "责任单位",
                "状态",
            ],
            &[10.0, 34.0, 17.0, 17.0, 23.0, 16.0, 24.0, 15.0],
            rows,
        )
    })
}

fn projects_table(ctx: &ReportContext) -> Option<Table> {
    let row = |label: &str, t: &super::context::ProjectTotal| {
        vec![
            label.to_string(),
            t.projects.to_string(),
            t.investment.clone(),
            t.reported.to_string(),
            t.completed.clone(),
            t.done.to_string(),
            t.building.to_string(),
            t.paused.to_string(),
            t.not_started.to_string(),
        ]
    };
    let mut rows: Vec<Vec<String>> = ctx
        .projects
        .systems
        .iter()
        .map(|t| row(&t.system, t))
        .collect();
    rows.push(row("合计", &ctx.projects.total));
    Some(table(
        &[
            "体系",
            "工程数",
            "总投资（万元）",
            "已报进度",
            "累计完成（万元）",
            "已完工",
            "在建",
            "暂停",
            "未开工",
        ],
        &[20.0, 13.0, 24.0, 15.0, 24.0, 15.0, 15.0, 15.0, 15.0],
        rows,
    ))
}

fn returns_table(ctx: &ReportContext) -> Option<Table> {
    let rows = ctx
        .returns
        .units
        .iter()
        .map(|u| {
            vec![
                u.unit.clone(),
                u.state.clone(),
                u.errors.to_string(),
                u.warnings.to_string(),
            ]
        })
        .collect();
    Some(table(
        &["报送单位", "报送情况", "错误", "提示"],
        &[66.0, 40.0, 25.0, 25.0],
        rows,
    ))
}

/// Each department's rows by 预警 signal: the leaders' 督办 list.
fn warning_table(ctx: &ReportContext) -> Option<Table> {
    let rows: Vec<Vec<String>> = ctx
        .warning
        .departments
        .iter()
        .map(|d| {
            vec![
                d.department.clone(),
                d.red.to_string(),
                d.yellow.to_string(),
                d.green.to_string(),
                d.red_rows.clone(),
                d.yellow_rows.clone(),
            ]
        })
        .collect();
    (!rows.is_empty()).then(|| {
        table(
            &["责任单位", "红", "黄", "绿", "红色预警指标", "黄色预警指标"],
            // Room for a row of ids on one line: a wrapped id breaks at its point (20.|1).
            &[30.0, 9.0, 9.0, 9.0, 36.0, 63.0],
            rows,
        )
    })
}

/// The unmet and 待核实 rows across the quarters on record (with `--history`).
fn trend_table(ctx: &ReportContext) -> Option<Table> {
    let trend = ctx.trend.as_ref()?;
    let quarters = &trend.quarters;
    let rows: Vec<Vec<String>> = trend
        .rows
        .iter()
        .map(|r| {
            let mut row = vec![r.id.clone(), r.name.clone()];
            row.extend(r.values.iter().cloned());
            row.push(r.status.clone());
            row
        })
        .collect();
    if rows.is_empty() || quarters.is_empty() {
        return None;
    }
    let mut header = vec!["序号".to_string(), "指标".to_string()];
    header.extend(quarters.iter().cloned());
    header.push("本期状态".into());
    // 156 mm: id and name first, the quarters share what is left.
    let each = ((156.0 - 10.0 - 36.0 - 18.0) / quarters.len() as f64).max(12.0);
    let mut widths = vec![10.0, 36.0];
    widths.extend(std::iter::repeat_n(each, quarters.len()));
    widths.push(18.0);
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    Some(table(&header, &widths, rows))
}

/// 附件: the full indicator table in the 专栏1 layout, domains merged vertically, at the full
/// text width (156 mm), its 本期值 as assessed (normalised, with its unit).
/// The plan's name in the 附件, with what is reported where that differs (7.2).
fn appendix_name(ind: &crate::schema::Indicator) -> String {
    match &ind.report_name {
        Some(reported) => format!("{}（按{reported}填报）", ind.plan_full_name()),
        None => ind.plan_full_name(),
    }
}

fn appendix(a: &Assessment) -> Table {
    // 156 mm in all, so that 11.1, 约束性, 立方米/万元 and 生态环境分局 stay whole at 小五. Where a
    // header or a domain needs two lines it breaks between its words (达标/情况, 生态/安全).
    let widths = [11.5, 10.0, 33.5, 19.5, 12.0, 17.5, 17.0, 13.5, 21.5];
    let header = [
        "领域",
        "序号",
        "指标名称",
        "单位",
        "属性",
        "指标值",
        "本期值",
        "达标\n情况",
        "填报单位",
    ];
    let c = |text: &str, w: f64, shade: Option<&str>, bold: bool| {
        sized_cell(text, w, shade, bold, SIZE_APPENDIX)
    };
    let mut rows = vec![TableRow::new(
        header
            .iter()
            .zip(&widths)
            .map(|(h, w)| c(h, *w, Some("D9E1F2"), true))
            .collect(),
    )
    .cant_split()];
    for r in &a.rows {
        let ind = r.indicator;
        // On every row, not merged: a domain continued on the next page must not start it with
        // an empty cell, and where the page breaks is Word's to decide.
        // A four-character name (生态安全) is two words of two: broken between them.
        let name: Vec<char> = ind.domain.chars().collect();
        let shown = match name.as_slice() {
            [a, b, c, d] => format!("{a}{b}\n{c}{d}"),
            _ => ind.domain.clone(),
        };
        let domain = c(&shown, widths[0], None, false);
        let status = match r.unverified {
            Some(_) => format!("{}\n（待核实）", r.status.label()),
            None => r.status.label().to_string(),
        };
        let value = match &r.value {
            Some(_) => crate::write::wording::shown_value(r),
            None => "—".to_string(),
        };
        rows.push(
            TableRow::new(vec![
                domain,
                c(r.id, widths[1], None, false),
                c(&appendix_name(ind), widths[2], None, false),
                c(
                    ind.measure_unit.as_deref().unwrap_or("—"),
                    widths[3],
                    None,
                    false,
                ),
                c(ind.attribute.label(), widths[4], None, false),
                // The plan's 指标值 as written (as 汇总表 shows it), not the words accepted.
                c(&ind.plan_standard(), widths[5], None, false),
                c(&value, widths[6], None, false),
                c(&status, widths[7], Some(&status_shade(r.status)), false),
                c(r.department, widths[8], None, false),
            ])
            .cant_split(),
        );
    }
    let margin = docx_rs::TableCellMargins::new()
        .margin_left(APPENDIX_CELL_MARGIN, WidthType::Dxa)
        .margin_right(APPENDIX_CELL_MARGIN, WidthType::Dxa);
    fixed(Table::new(rows), &widths).margins(margin)
}

/// A4 with the 公文 margins, fonts and page numbers, and the two title lines.
fn title_page(schema: &Schema, a: &Assessment, draft: bool, filing: &super::Filing) -> Docx {
    let title = format!("{}国家生态文明建设示范旗创建指标", schema.meta.county);
    let subtitle = format!(
        "{}达标情况评估报告{}",
        a.period.chinese(),
        if draft { "（初稿）" } else { "" }
    );
    let mut doc = Docx::new()
        .page_size(11906, 16838)
        .page_margin(
            PageMargin::new()
                .top(mm(37.0))
                .bottom(mm(35.0))
                .left(mm(28.0))
                .right(mm(26.0))
                .header(mm(15.0))
                .footer(mm(28.0)),
        )
        .default_fonts(fonts(FANGSONG))
        .default_size(SIZE_3)
        .footer(page_footer(AlignmentType::Right, true))
        .even_footer(page_footer(AlignmentType::Left, false))
        .created_at(&filing.date.iso())
        .updated_at(&filing.date.iso());
    doc = masthead(doc, filing.office);
    for t in [&title, &subtitle] {
        doc = doc.add_paragraph(
            Paragraph::new()
                .add_run(run(t, XIAOBIAOSONG, SIZE_2))
                .align(AlignmentType::Center)
                .line_spacing(
                    LineSpacing::new()
                        .line_rule(LineSpacingType::Exact)
                        .line(700),
                ),
        );
    }
    doc.add_paragraph(
        Paragraph::new()
            .add_run(run("", FANGSONG, SIZE_3))
            .line_spacing(body_spacing()),
    )
}

/// 落款 and 成文日期 (GB/T 9704: the issuer above the date, the date 右空四字).
/// GB/T 9704 (7.3.5.1): room for the seal, then the 署名 centred over the 成文日期, which
/// stands four characters from the right margin; the 附注 below it, indented two characters.
fn signature(doc: Docx, issuer: &str, date: &str, contact: &str) -> Docx {
    // In characters of 3号 (16 pt = 320 twips); digits of the date are half as wide. The date
    // stands four characters from the right and the issuer is centred over it; an issuer
    // longer than that allows stands two from the right, with the date centred under it.
    let char_twips = 320.0;
    let width = |s: &str| {
        s.chars()
            .map(|c| if c.is_ascii() { 0.5 } else { 1.0 })
            .sum::<f64>()
    };
    let (w_issuer, w_date) = (width(issuer), width(date));
    let (issuer_right, date_right) = if 4.0 + (w_date - w_issuer) / 2.0 >= 2.0 {
        (4.0 + (w_date - w_issuer) / 2.0, 4.0)
    } else {
        (2.0, 2.0 + (w_issuer - w_date) / 2.0)
    };
    let (issuer_right, date_right) = (issuer_right * char_twips, date_right * char_twips);
    let right = |text: &str, indent: f64| {
        Paragraph::new()
            .add_run(run(text, FANGSONG, SIZE_3))
            .align(AlignmentType::Right)
            .indent(None, None, Some(indent.round() as i32), None)
            .line_spacing(body_spacing())
            .keep_next(true)
    };
    let mut doc = doc
        .add_paragraph(body("").keep_next(true))
        .add_paragraph(body("").keep_next(true))
        .add_paragraph(right(issuer, issuer_right))
        .add_paragraph(right(date, date_right).keep_next(false));
    if !contact.is_empty() {
        doc = doc.add_paragraph(body(&format!("（{contact}）")));
    }
    doc
}

/// The 版记 of GB/T 9704 (7.4), printed when office.toml names 抄送机关: the 抄送 line between
/// two rules, then the 印发机关 and 印发日期 over the closing rule, in 4号仿宋, at the end.
fn imprint(doc: Docx, filing: &super::Filing) -> Docx {
    let office = filing.office;
    if office.cc.is_empty() {
        return doc;
    }
    let rule = |position, size| {
        docx_rs::ParagraphBorder::new(position)
            .val(docx_rs::BorderType::Single)
            .size(size)
            .space(1)
            .color("000000")
    };
    let line = |text: &str| {
        Paragraph::new()
            .add_run(run(text, FANGSONG, SIZE_4))
            .line_spacing(body_spacing())
            .indent(Some(320), None, Some(320), None)
            .keep_next(true)
    };
    let cc = line(&format!("抄送：{}。", office.cc.join("，"))).set_borders(
        docx_rs::ParagraphBorders::with_empty()
            .set(rule(docx_rs::ParagraphBorderPosition::Top, 12))
            .set(rule(docx_rs::ParagraphBorderPosition::Bottom, 4)),
    );
    let printed = Paragraph::new()
        .add_run(run(&office.issuer, FANGSONG, SIZE_4))
        .add_run(run("\u{3000}\u{3000}", FANGSONG, SIZE_4))
        .add_run(run(
            &format!("{}印发", filing.date.chinese()),
            FANGSONG,
            SIZE_4,
        ))
        .line_spacing(body_spacing())
        .indent(Some(320), None, Some(320), None)
        .set_borders(
            docx_rs::ParagraphBorders::with_empty()
                .set(rule(docx_rs::ParagraphBorderPosition::Bottom, 12)),
        );
    doc.add_paragraph(
        Paragraph::new()
            .add_run(run("", FANGSONG, SIZE_4))
            .keep_next(true),
    )
    .add_paragraph(cc)
    .add_paragraph(printed)
}

/// The red 版头 of GB/T 9704 (7.2), printed when office.toml gives a 发文字号: the 发文机关标志
/// in red 小标宋, the 发文字号 centred under it, and a red rule.
fn masthead(doc: Docx, office: &crate::office::Office) -> Docx {
    if office.document_number.is_empty() {
        return doc;
    }
    let mut doc = doc;
    if !office.classification.is_empty() {
        doc = doc.add_paragraph(
            Paragraph::new()
                .add_run(run(&office.classification, HEITI, SIZE_3))
                .line_spacing(body_spacing()),
        );
    }
    let red = "C00000";
    // As large as 36 pt, but on one line: the 156 mm text width holds 442 pt of characters.
    let mark = format!("{}文件", office.issuer);
    let chars = mark.chars().count().max(1) as f64;
    let mark_size = ((442.0 / chars).floor().min(36.0) as usize) * 2;
    doc.add_paragraph(
        Paragraph::new()
            .add_run(run(&mark, XIAOBIAOSONG, mark_size).color(red))
            .align(AlignmentType::Center)
            .line_spacing(
                LineSpacing::new()
                    .line_rule(LineSpacingType::Auto)
                    .line(240)
                    .before(600)
                    .after(600),
            ),
    )
    .add_paragraph(
        Paragraph::new()
            .add_run(run(&office.document_number, FANGSONG, SIZE_3))
            .align(AlignmentType::Center)
            .line_spacing(body_spacing()),
    )
    .add_paragraph(
        Paragraph::new()
            .add_run(run("", FANGSONG, SIZE_3))
            .line_spacing(body_spacing())
            .set_borders(
                docx_rs::ParagraphBorders::with_empty().set(
                    docx_rs::ParagraphBorder::new(docx_rs::ParagraphBorderPosition::Top)
                        .val(docx_rs::BorderType::Single)
                        .size(18)
                        .space(1)
                        .color(red),
                ),
            ),
    )
}

/// A chart 150 mm wide, kept with its caption below it.
fn figure(doc: Docx, png: &[u8], caption_text: &str) -> Docx {
    let (w, h) = super::chart::size();
    let width_emu = (150.0 * 36_000.0) as u32;
    let height_emu = (width_emu as f64 * h as f64 / w as f64) as u32;
    let pic = Pic::new(png).size(width_emu, height_emu);
    doc.add_paragraph(
        Paragraph::new()
            .add_run(Run::new().fonts(fonts(FANGSONG)).add_image(pic))
            .align(AlignmentType::Center)
            .keep_next(true),
    )
    .add_paragraph(caption(caption_text))
}

/// 附件 on a new page: its heading, title and the full indicator table.
fn appendix_page(doc: Docx, schema: &Schema, a: &Assessment) -> Docx {
    doc.add_paragraph(
        Paragraph::new().add_run(Run::new().fonts(fonts(FANGSONG)).add_break(BreakType::Page)),
    )
    .add_paragraph(
        Paragraph::new()
            .add_run(run("附件", HEITI, SIZE_3))
            .line_spacing(body_spacing()),
    )
    .add_paragraph(
        Paragraph::new()
            .add_run(run(
                &format!(
                    "{}国家生态文明建设示范旗指标达标情况表（{}）",
                    schema.meta.county,
                    a.period.chinese()
                ),
                XIAOBIAOSONG,
                SIZE_3 + 4,
            ))
            .align(AlignmentType::Center)
            .line_spacing(body_spacing()),
    )
    .add_table(appendix(a))
}

pub fn write(
    schema: &Schema,
    a: &Assessment,
    ctx: &ReportContext,
    blocks: &[Block],
    charts: &super::Charts,
    filing: &super::Filing,
) -> Result<Vec<u8>, super::ReportError> {
    let mut doc = title_page(schema, a, ctx.draft.is_some(), filing);
    let mut counters = [0usize; 4];
    let (mut tables, mut figures) = (0usize, 0usize);
    for (i, b) in blocks.iter().enumerate() {
        // The last paragraph of the text goes onto the page of the 附件说明 and the 署名: a
        // signature never stands on a page of its own (GB/T 9704 7.3.5).
        let before_signature = matches!(
            blocks.get(i + 1),
            Some(Block::AttachmentNote(_) | Block::Signature { .. })
        );
        match b {
            Block::Heading(level, text) => {
                let l = (*level as usize).clamp(1, 4);
                if let Some(c) = counters.get_mut(l - 1) {
                    *c += 1;
                }
                for c in counters.iter_mut().skip(l) {
                    *c = 0;
                }
                doc = doc.add_paragraph(heading(
                    l as u8,
                    counters.get(l - 1).copied().unwrap_or(1),
                    text,
                ));
            }
            Block::Paragraph(text) => {
                doc = doc.add_paragraph(body(text).keep_next(before_signature))
            }
            Block::Table(kind) => {
                if let Some(t) = data_table(*kind, a, ctx) {
                    tables += 1;
                    doc = doc
                        .add_paragraph(caption(&format!("表{tables}  {}", kind.title())))
                        .add_table(t)
                        .add_paragraph(Paragraph::new().add_run(run("", FANGSONG, SIZE_TABLE)));
                }
            }
            Block::Recipient(who) if !who.is_empty() => {
                doc = doc.add_paragraph(
                    Paragraph::new()
                        .add_run(run(&format!("{who}："), FANGSONG, SIZE_3))
                        .line_spacing(body_spacing()),
                )
            }
            Block::Recipient(_) => {}
            Block::AttachmentNote(title) => {
                // A title that wraps continues under its own first character, not under 附件.
                let note = Paragraph::new()
                    .add_run(run(&format!("附件：{title}"), FANGSONG, SIZE_3))
                    .line_spacing(body_spacing())
                    .indent(
                        Some(1600),
                        Some(SpecialIndentType::Hanging(960)),
                        None,
                        None,
                    )
                    .keep_next(true);
                doc = doc
                    .add_paragraph(body("").keep_next(true))
                    .add_paragraph(note)
            }
            Block::Signature { issuer, date } => {
                doc = signature(doc, issuer, date, &ctx.office.contact)
            }
            Block::Chart(kind) => {
                let chart = match kind {
                    ChartKind::Trend => charts.trend.as_deref(),
                    ChartKind::ByDomain => charts.by_domain.as_deref(),
                };
                let title = kind.title();
                if let Some(png) = chart {
                    figures += 1;
                    doc = figure(doc, png, &format!("图{figures}  {title}"));
                }
            }
            Block::Appendix => doc = appendix_page(doc, schema, a),
        }
    }
    doc = imprint(doc, filing);
    // One packing pass: docx-rs's own zip writes fixed timestamps; only the font table is
    // ours (docx-rs lists just Times New Roman, Symbol and Arial, with no alternate names).
    let mut xml = doc.build();
    xml.font_table = font_table().into_bytes();
    let mut packed = Cursor::new(Vec::new());
    xml.pack(&mut packed)
        .map_err(|e| super::ReportError::Pack(e.to_string()))?;
    Ok(super::schema_order::order_package_by(
        &packed.into_inner(),
        &filing.office.issuer,
    )?)
}

/// The font table with the fonts we use and their common alternate names.
fn font_table() -> String {
    let fonts = [
        (FANGSONG, "仿宋", "86", "modern"),
        (HEITI, "SimHei", "86", "modern"),
        (KAITI, "楷体", "86", "modern"),
        (XIAOBIAOSONG, "方正小标宋_GBK", "86", "script"),
        (SONGTI, "SimSun", "86", "auto"),
        (LATIN, "", "00", "roman"),
    ];
    let mut s = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#,
    );
    for (name, alt, charset, family) in fonts {
        s.push_str(&format!(r#"<w:font w:name="{name}">"#));
        if !alt.is_empty() {
            s.push_str(&format!(r#"<w:altName w:val="{alt}"/>"#));
        }
        s.push_str(&format!(r#"<w:charset w:val="{charset}"/><w:family w:val="{family}"/><w:pitch w:val="variable"/></w:font>"#));
    }
    s.push_str("</w:fonts>");
    s
}
