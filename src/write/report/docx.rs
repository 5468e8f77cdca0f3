//! Lays out the report's blocks in GB/T 9704-2012 style: A4, margins 37/35/28/26 mm, body
//! 3号仿宋 at a fixed 28 pt line, headings 黑体/楷体/仿宋, title 2号小标宋, page numbers
//! 4号宋体 `— 1 —` outside (odd right, even left). Every run names its East-Asian font.

use super::context::ReportContext;
use super::template::{Block, ChartKind};
use crate::assess::Assessment;
use crate::schema::Schema;
use docx_rs::{
    AlignmentType, BreakType, Docx, LineSpacing, LineSpacingType, Paragraph, Pic, Run,
    SpecialIndentType,
};
use std::io::Cursor;

use super::typeset::{
    body, body_spacing, caption, fonts, heading, page_footer, run, FANGSONG, HEITI, KAITI, LATIN,
    SIZE_2, SIZE_3, SIZE_4, SIZE_TABLE, SONGTI, XIAOBIAOSONG,
};

/// A4 with the 公文 margins, fonts and page numbers, and the two title lines.
fn title_page(schema: &Schema, a: &Assessment, draft: bool, filing: &super::Filing) -> Docx {
    let draft = if draft { "（初稿）" } else { "" };
    let (title, subtitle) = if a.period.is_annual() {
        (
            format!("{}创建国家生态文明建设示范旗", schema.meta.county),
            format!("{}自评估报告{draft}", a.period.chinese()),
        )
    } else {
        (
            format!("{}国家生态文明建设示范旗创建指标", schema.meta.county),
            format!("{}达标情况评估报告{draft}", a.period.chinese()),
        )
    };
    let mut doc = super::typeset::a4_document(&filing.date.iso())
        .footer(page_footer(AlignmentType::Right, true))
        .even_footer(page_footer(AlignmentType::Left, false));
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
pub(super) fn signature(doc: Docx, issuer: &str, date: &str, contact: &str) -> Docx {
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
pub(super) fn masthead(doc: Docx, office: &crate::office::Office) -> Docx {
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
    .add_table(super::tables::appendix(a))
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
                if let Some(t) = super::tables::data_table(*kind, a, ctx) {
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
pub(super) fn font_table() -> String {
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
