//! Text keys for matching what people type against what the schema says.
//!
//! Returns are typed by hand in Excel or WPS: full-width digits, stray spaces, a half-width comma
//! where the plan has a full-width one. Matching is done on a *key* (NFKC, no white space, no
//! punctuation) so those differences never decide whether a word or a name is recognised.

use unicode_normalization::UnicodeNormalization;

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

#[cfg(test)]
mod tests {
    use super::*;

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
