//! Text keys for matching what people type against what the schema says, and numbers written
//! as the plan writes them.
//!
//! Returns are typed by hand in Excel or WPS: full-width digits, stray spaces, a half-width comma
//! where the plan has a full-width one. Matching is done on a *key* (NFKC, no white space, no
//! punctuation) so those differences never decide whether a word or a name is recognised.

use unicode_normalization::UnicodeNormalization;

/// Formats a number the way the plan does: no trailing zeros, no exponent.
/// Bytes as lower-case hex digits (a SHA-256 as files and logs name it).
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn format_number(v: f64) -> String {
    let s = format!("{:.4}", v);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

/// NFKC, then trimmed; keeps punctuation and inner spaces (used for values, where `1,234`
/// and `1 234` must stay distinguishable).
pub fn nfkc(s: &str) -> String {
    s.nfkc().collect::<String>().trim().to_string()
}

/// The matching key of a word or a name: NFKC, letters and digits only, lower-case.
pub fn key(s: &str) -> String {
    s.nfkc()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The most UTF-16 units one cell holds in Excel (and that rust_xlsxwriter accepts).
pub const CELL_MAX: usize = 32_767;

/// `s` cut to at most `max` UTF-16 units (Excel's way of counting), at a character boundary;
/// `None` when it already fits.
pub fn truncated(s: &str, max: usize) -> Option<String> {
    // A character takes at least as many UTF-8 bytes as UTF-16 units: most texts stop here.
    if s.len() <= max {
        return None;
    }
    let mut units = 0;
    for (i, c) in s.char_indices() {
        units += c.len_utf16();
        if units > max {
            return Some(s.get(..i).unwrap_or_default().to_string());
        }
    }
    None
}

/// `s` as it is when it fits in `max` UTF-16 units, else [`shortened`] (without a copy when
/// nothing is cut).
pub fn fitted(s: String, max: usize) -> String {
    if s.len() <= max {
        return s;
    }
    shortened(&s, max).into_owned()
}

/// `s` cut to `max` UTF-16 units with a closing mark saying so, for text we quote.
pub fn shortened(s: &str, max: usize) -> std::borrow::Cow<'_, str> {
    const MARK: &str = "…（已截断）";
    match truncated(s, max) {
        None => std::borrow::Cow::Borrowed(s),
        Some(_) => {
            let keep =
                truncated(s, max.saturating_sub(MARK.encode_utf16().count())).unwrap_or_default();
            std::borrow::Cow::Owned(keep + MARK)
        }
    }
}

/// Unicode's bidirectional controls (U+202E RIGHT-TO-LEFT OVERRIDE and its kin). No Chinese
/// return needs one, and in a file name or a value they make what is shown read backwards
/// (`报表\u{202E}xslx.exe` shows as `报表exe.xlsx`).
pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}

/// `s` without bidirectional controls.
pub fn without_bidi(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(is_bidi_control) {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(s.chars().filter(|c| !is_bidi_control(*c)).collect())
}

/// `s` with control characters (escape sequences from a value or a file name) and bidi
/// controls shown as `\u{1b}` instead of being sent to the terminal.
pub fn printable(s: &str) -> std::borrow::Cow<'_, str> {
    let shown = |c: char| c.is_control() || is_bidi_control(c);
    if !s.chars().any(shown) {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(
        s.chars()
            .map(|c| {
                if shown(c) && c != '\n' {
                    c.escape_unicode().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect(),
    )
}

/// Display width of `s` in Excel's character units: a CJK or full-width character is two.
pub fn display_width(s: &str) -> usize {
    s.chars().map(|c| if is_wide(c) { 2 } else { 1 }).sum()
}

fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
}

const NUMERALS: [&str; 20] = [
    "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四",
    "十五", "十六", "十七", "十八", "十九", "二十",
];

/// 一 … 二十 for headings and lists (the number itself past twenty).
pub fn numeral(n: usize) -> String {
    NUMERALS
        .get(n.saturating_sub(1))
        .map(|s| s.to_string())
        .unwrap_or_else(|| n.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_like_the_plan() {
        assert_eq!(format_number(156.9), "156.9");
        assert_eq!(format_number(100.0), "100");
        assert_eq!(format_number(0.0), "0");
        assert_eq!(format_number(-0.00001), "0");
    }

    #[test]
    fn truncation_counts_utf16_units_and_keeps_characters_whole() {
        assert_eq!(truncated("abc", 3), None);
        assert_eq!(truncated("abcd", 3).as_deref(), Some("abc"));
        // 𝄞 is two UTF-16 units: it does not fit in the last one.
        assert_eq!(truncated("ab𝄞", 3).as_deref(), Some("ab"));
        let long = "水".repeat(40_000);
        let cut = shortened(&long, CELL_MAX);
        assert_eq!(cut.encode_utf16().count(), CELL_MAX);
        assert!(cut.ends_with("（已截断）"));
        assert_eq!(shortened("短", CELL_MAX), "短");
    }

    #[test]
    fn control_characters_are_not_printed_raw() {
        assert_eq!(printable("a\u{1b}[31mb"), "a\\u{1b}[31mb");
        assert_eq!(printable("水务局"), "水务局");
    }

    #[test]
    fn key_ignores_width_space_and_punctuation() {
        assert_eq!(
            key("面积不减少,性质不改变,功能不降低"),
            key("面积不减少，性质不改变， 功能不降低")
        );
        assert_eq!(key("ＰＭ２.５ 浓度"), "pm25浓度");
        assert_ne!(key("建立"), key("未建立"));
    }

    #[test]
    fn nfkc_turns_full_width_digits_into_ascii() {
        assert_eq!(nfkc(" ８７.５％ "), "87.5%");
    }

    #[test]
    fn cjk_counts_double() {
        assert_eq!(display_width("水务局"), 6);
        assert_eq!(display_width("F9"), 2);
    }
}
