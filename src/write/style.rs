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
