//! Typesetting for the report: GB/T 9704's fonts and sizes, body and heading paragraphs, page
//! footers, table cells and fixed-width tables — what the document (docx.rs) and its data
//! tables (tables.rs) are both made of.

use docx_rs::{
    AlignmentType, BreakType, FieldCharType, Footer, InstrPAGE, InstrText, LineSpacing,
    LineSpacingType, Paragraph, Run, RunFonts, SpecialIndentType, Table, TableAlignmentType,
    TableCell, TableRow, VAlignType, WidthType,
};

pub const FANGSONG: &str = "仿宋_GB2312";
pub const HEITI: &str = "黑体";
pub const KAITI: &str = "楷体_GB2312";
pub const XIAOBIAOSONG: &str = "方正小标宋简体";
pub const SONGTI: &str = "宋体";
pub(super) const LATIN: &str = "Times New Roman";

/// Half-points: 2号 22pt, 3号 16pt, 4号 14pt, 5号 10.5pt.
pub(super) const SIZE_2: usize = 44;
pub(super) const SIZE_3: usize = 32;
pub(super) const SIZE_4: usize = 28;
pub(super) const SIZE_TABLE: usize = 21;
/// 小五 (9 pt) for the nine-column appendix: at 5号 its columns cannot hold “约束性”, “11.1”
/// or “生态环境分局” unbroken within the 156 mm text width.
pub(super) const SIZE_APPENDIX: usize = 18;
/// Cell margins left and right of the appendix table (twips; Word's default is 108).
pub(super) const APPENDIX_CELL_MARGIN: usize = 57;
/// Twips per millimetre.
pub(super) const MM: f64 = 56.692_913;

pub(super) fn mm(v: f64) -> i32 {
    (v * MM).round() as i32
}

/// An A4 document with GB/T 9704's margins and body font, dated `iso` in its properties.
pub(super) fn a4_document(iso: &str) -> docx_rs::Docx {
    docx_rs::Docx::new()
        .page_size(11906, 16838)
        .page_margin(
            docx_rs::PageMargin::new()
                .top(mm(37.0))
                .bottom(mm(35.0))
                .left(mm(28.0))
                .right(mm(26.0))
                .header(mm(15.0))
                .footer(mm(28.0)),
        )
        .default_fonts(fonts(FANGSONG))
        .default_size(SIZE_3)
        .created_at(iso)
        .updated_at(iso)
}

pub(super) fn fonts(east_asia: &str) -> RunFonts {
    RunFonts::new()
        .east_asia(east_asia)
        .ascii(LATIN)
        .hi_ansi(LATIN)
        .cs(LATIN)
}

pub(super) fn run(text: &str, font: &str, size: usize) -> Run {
    Run::new().add_text(text).fonts(fonts(font)).size(size)
}

pub(super) fn body_spacing() -> LineSpacing {
    LineSpacing::new()
        .line_rule(LineSpacingType::Exact)
        .line(560)
}

pub(super) fn body(text: &str) -> Paragraph {
    Paragraph::new()
        .add_run(run(text, FANGSONG, SIZE_3))
        .line_spacing(body_spacing())
        .indent(None, Some(SpecialIndentType::FirstLine(640)), None, None)
        .align(AlignmentType::Both)
}

pub(super) fn heading(level: u8, number: usize, text: &str) -> Paragraph {
    let (label, font) = match level {
        1 => (format!("{}、", crate::text::numeral(number)), HEITI),
        2 => (format!("（{}）", crate::text::numeral(number)), KAITI),
        3 => (format!("{number}."), FANGSONG),
        _ => (format!("（{number}）"), FANGSONG),
    };
    Paragraph::new()
        .add_run(run(&format!("{label}{text}"), font, SIZE_3))
        .line_spacing(body_spacing())
        .indent(None, Some(SpecialIndentType::FirstLine(640)), None, None)
        .keep_next(true)
}

pub(super) fn page_footer(align: AlignmentType, odd: bool) -> Footer {
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

pub(super) fn cell(text: &str, width_mm: f64, shade: Option<&str>, bold: bool) -> TableCell {
    sized_cell(text, width_mm, shade, bold, SIZE_TABLE)
}

/// A table cell; a `\n` in `text` is a line break inside the cell.
pub(super) fn sized_cell(
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
pub(super) fn table(header: &[&str], widths: &[f64], rows: Vec<Vec<String>>) -> Table {
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
pub(super) fn caption(text: &str) -> Paragraph {
    Paragraph::new()
        .add_run(run(text, HEITI, SIZE_TABLE))
        .align(AlignmentType::Center)
        .keep_next(true)
}

/// A table of the given column widths that renderers do not shrink to its content.
pub(super) fn fixed(t: Table, widths: &[f64]) -> Table {
    let total: f64 = widths.iter().sum();
    t.set_grid(widths.iter().map(|w| mm(*w) as usize).collect())
        .width(mm(total) as usize, WidthType::Dxa)
        .layout(docx_rs::TableLayoutType::Fixed)
        .align(TableAlignmentType::Center)
}
