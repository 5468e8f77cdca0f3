//! The first string of a workbook's shared-string table, read from the table's first bytes:
//! what a shared-string cell with an unparseable index resolves to in calamine (see
//! [`super::string_index`]).

/// The table's string 0, as calamine will resolve it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum StringZero {
    /// The workbook has no shared-string table: no cell can resolve to string 0.
    #[default]
    Absent,
    Known(String),
    /// Not read with certainty (rich text, escapes, a prefix): every shared-string cell is a
    /// suspect.
    Unknown,
}

impl StringZero {
    /// From the first bytes of the table (see `container::sst_head`), which hold its start tag
    /// and, unless the first string is very long, the whole first `<si>`.
    pub fn from_head(head: &[u8], tag_end: usize) -> StringZero {
        let rest = head.get(tag_end + 1..).unwrap_or_default();
        // The head may end inside a character.
        let rest = match std::str::from_utf8(rest) {
            Ok(rest) => rest,
            Err(e) => std::str::from_utf8(rest.get(..e.valid_up_to()).unwrap_or_default())
                .unwrap_or_default(),
        };
        simple_first_string(rest.trim_start()).map_or(StringZero::Unknown, StringZero::Known)
    }

    /// Whether a cell that resolved to `text` may hide a bad index.
    pub fn suspects(&self, text: &str) -> bool {
        match self {
            StringZero::Absent => false,
            StringZero::Known(s) => s == text,
            StringZero::Unknown => true,
        }
    }
}

/// `<si><t>…</t></si>` (or `<t xml:space="preserve">`) read as calamine reads it: entities
/// decoded, then ASCII white space trimmed unless preserved. `None` for anything else.
fn simple_first_string(xml: &str) -> Option<String> {
    let body = xml.strip_prefix("<si>")?;
    let (preserve, body) = match body.strip_prefix("<t>") {
        Some(b) => (false, b),
        None => (true, body.strip_prefix(r#"<t xml:space="preserve">"#)?),
    };
    let end = body.find('<')?;
    body.get(end..)?.strip_prefix("</t></si>")?;
    let raw = body.get(..end)?;
    // calamine also decodes `_xHHHH_` escapes and normalises line ends; leave those to the
    // cautious path rather than copy its rules.
    if raw.contains("_x") || raw.contains('\r') {
        return None;
    }
    let text = quick_xml::escape::unescape(raw).ok()?;
    if text.contains('\r') || text.contains("_x") {
        return None;
    }
    Some(match preserve {
        true => text.into_owned(),
        false => text.trim_matches([' ', '\t', '\r', '\n']).to_string(),
    })
}
