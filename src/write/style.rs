//! Formats and widths shared by the workbooks we write.

use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder};

/// Excel's column width for text of `display` columns (a CJK character counts two): the
/// built-in autofit counts a CJK character as about one, which cuts Chinese text in half.
pub fn column_width(texts: &[&str], min: f64, max: f64) -> f64 {
    let widest = texts
        .iter()
        .map(|t| crate::text::display_width(t))
        .max()
        .unwrap_or(0) as f64;
    (widest * 1.1 + 2.0).clamp(min, max)
}

pub fn title() -> Format {
    Format::new()
        .set_bold()
        .set_font_size(16)
        .set_font_name("宋体")
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
}

pub fn label() -> Format {
    Format::new()
        .set_bold()
        .set_font_name("宋体")
        .set_align(FormatAlign::Right)
}

pub fn header() -> Format {
    Format::new()
        .set_bold()
        .set_font_name("宋体")
        .set_text_wrap()
        .set_background_color(Color::RGB(0xD9E1F2))
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
}

pub fn cell() -> Format {
    Format::new()
        .set_font_name("宋体")
        .set_text_wrap()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::VerticalCenter)
}

/// An input cell: unlocked (the sheet is protected) and tinted so people see where to type.
pub fn input() -> Format {
    cell()
        .set_unlocked()
        .set_background_color(Color::RGB(0xFFF2CC))
}

pub fn text() -> Format {
    Format::new()
        .set_font_name("宋体")
        .set_text_wrap()
        .set_align(FormatAlign::Top)
}

/// The one palette of statuses, for every output: a light fill and a dark font for cells (in
/// 汇总表 and in the report's tables), a strong colour for charts.
pub struct Palette {
    pub fill: u32,
    pub font: u32,
    pub strong: u32,
}

pub fn palette(s: crate::assess::Status) -> Palette {
    use crate::assess::Status;
    let (fill, font, strong) = match s {
        Status::Met => (0xC6EFCE, 0x006100, 0x70AD47),
        Status::Unmet => (FLAGGED_FILL, 0x9C0006, 0xE15759),
        // Blue: not a colour of 预警 (红黄绿) nor of 缺数据.
        Status::Pending => (0xDDEBF7, 0x1F4E79, 0x5B9BD5),
        Status::NotApplicable => (0xEDEDED, 0x595959, 0xA5A5A5),
        Status::NoData => (0xFFEB9C, 0x9C5700, 0xF2B134),
    };
    Palette { fill, font, strong }
}

/// A 预警 signal's cell: red, yellow or green, as a traffic light.
pub fn signal(s: crate::assess::Signal) -> Format {
    use crate::assess::Signal;
    let (fill, font) = match s {
        Signal::Red => (FLAGGED_FILL, 0x9C0006),
        Signal::Yellow => (0xFFEB9C, 0x9C5700),
        Signal::Green => (0xC6EFCE, 0x006100),
    };
    cell()
        .set_background_color(Color::RGB(fill))
        .set_font_color(Color::RGB(font))
        .set_bold()
        .set_align(FormatAlign::Center)
}

/// Excel's paper sizes.
pub const A4: u8 = 9;
pub const A3: u8 = 8;

/// How every wide sheet we write prints: landscape on `paper`, one page wide.
pub fn landscape(ws: &mut rust_xlsxwriter::Worksheet, paper: u8) {
    ws.set_paper_size(paper);
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
}

/// The fill of a cell in error: a flagged input, an unmet status.
pub const FLAGGED_FILL: u32 = 0xFFC7CE;

/// The fill and font colours of a status cell.
pub fn status(s: crate::assess::Status) -> Format {
    let p = palette(s);
    cell()
        .set_background_color(Color::RGB(p.fill))
        .set_font_color(Color::RGB(p.font))
        .set_bold()
        .set_align(FormatAlign::Center)
}

/// A number, centred: a right-aligned number beside a left-aligned text reads as one
/// (`0.00≥40`) on screen and on paper.
pub fn number(decimals: usize) -> Format {
    let pattern = if decimals == 0 {
        "0".to_string()
    } else {
        format!("0.{}", "0".repeat(decimals))
    };
    cell()
        .set_num_format(pattern)
        .set_align(FormatAlign::Center)
}

/// A value as read: a number with up to two decimals shown, centred.
pub fn value() -> Format {
    cell()
        .set_num_format("0.##;-0.##;0")
        .set_align(FormatAlign::Center)
}

/// A cell a diagnostic points at, in the annotated copy.
pub fn flagged() -> Format {
    Format::new()
        .set_background_color(Color::RGB(FLAGGED_FILL))
        .set_border(FormatBorder::Medium)
        .set_border_color(Color::RGB(0xC00000))
}

pub fn subtitle() -> Format {
    Format::new()
        .set_font_name("宋体")
        .set_italic()
        .set_font_color(Color::RGB(0x404040))
}

/// The height a row needs so that wrapped text in each `(text, column width)` shows whole.
pub fn row_height(cells: &[(&str, f64)]) -> f64 {
    let lines = cells
        .iter()
        .map(|(text, width)| {
            // Lines break at characters Excel will not end a line on, so a wrapped text
            // takes about a fifth more room than its width alone says.
            let usable = (width - 1.0).max(1.0);
            (crate::text::display_width(text) as f64 * 1.2 / usable)
                .ceil()
                .max(1.0)
        })
        .fold(1.0, f64::max);
    (lines * 15.0).min(150.0)
}
