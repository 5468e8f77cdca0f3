//! Just enough of XML to walk a worksheet's rows and cells in its first bytes: tags with quoted
//! attributes, skipping comments, CDATA, processing instructions and declarations. A general
//! XML reader cost ten times as much per byte here, and these bytes are read on every return
//! (see `string_index`).

/// One tag, with the two attributes a cell or row position needs.
#[derive(Debug, PartialEq, Eq)]
pub struct Tag<'x> {
    pub kind: TagKind,
    /// The name without its namespace prefix.
    pub name: &'x [u8],
    /// `r` and `t`, as written.
    pub r: Option<&'x [u8]>,
    pub t: Option<&'x [u8]>,
    /// Just past the tag's `>`.
    pub end: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TagKind {
    Start,
    Empty,
    End,
    /// A comment, CDATA section, processing instruction or declaration.
    Other,
}

/// The tag that starts at the `<` at `at`; `None` when `xml` ends inside it.
pub fn tag_at(xml: &[u8], at: usize) -> Option<Tag<'_>> {
    let rest = xml.get(at..)?;
    let skip = |close: &[u8]| {
        let end = find(rest, close)? + close.len();
        Some(other(at + end))
    };
    if rest.starts_with(b"<!--") {
        return skip(b"-->");
    }
    if rest.starts_with(b"<![CDATA[") {
        return skip(b"]]>");
    }
    if rest.starts_with(b"<?") {
        return skip(b"?>");
    }
    if rest.starts_with(b"<!") {
        return skip(b">");
    }
    let closing = rest.starts_with(b"</");
    let name_start = if closing { 2 } else { 1 };
    let name_len = rest
        .get(name_start..)?
        .iter()
        .position(|&b| b.is_ascii_whitespace() || b == b'/' || b == b'>')?;
    let name = rest.get(name_start..name_start + name_len)?;
    let name = match name.iter().rposition(|&b| b == b':') {
        Some(colon) => name.get(colon + 1..)?,
        None => name,
    };
    let mut tag = Tag {
        kind: if closing {
            TagKind::End
        } else {
            TagKind::Start
        },
        name,
        r: None,
        t: None,
        end: 0,
    };
    let end = attributes(rest, name_start + name_len, &mut tag)?;
    tag.end = at + end;
    Some(tag)
}

fn other(end: usize) -> Tag<'static> {
    Tag {
        kind: TagKind::Other,
        name: b"",
        r: None,
        t: None,
        end,
    }
}

/// Reads attributes from `i` to the tag's end, keeping `r` and `t`; returns where it ends.
fn attributes<'x>(rest: &'x [u8], mut i: usize, tag: &mut Tag<'x>) -> Option<usize> {
    loop {
        while rest.get(i)?.is_ascii_whitespace() {
            i += 1;
        }
        match rest.get(i)? {
            b'>' => return Some(i + 1),
            b'/' if rest.get(i + 1)? == &b'>' => {
                tag.kind = TagKind::Empty;
                return Some(i + 2);
            }
            _ => {}
        }
        let eq = i + rest.get(i..)?.iter().position(|&b| b == b'=')?;
        let key = rest.get(i..eq)?.trim_ascii();
        let mut v = eq + 1;
        while rest.get(v)?.is_ascii_whitespace() {
            v += 1;
        }
        let quote = *rest.get(v)?;
        if quote != b'"' && quote != b'\'' {
            // Not well-formed: calamine would have refused the sheet.
            return None;
        }
        let len = rest.get(v + 1..)?.iter().position(|&b| b == quote)?;
        let value = rest.get(v + 1..v + 1 + len)?;
        let key = match key.iter().rposition(|&b| b == b':') {
            Some(colon) => key.get(colon + 1..)?,
            None => key,
        };
        match key {
            b"r" => tag.r = Some(value),
            b"t" => tag.t = Some(value),
            _ => {}
        }
        i = v + 2 + len;
    }
}

/// Where `needle` first occurs in `hay`.
pub fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(hay, needle)
}

/// The next `<` at or after `from`.
pub fn next_tag(xml: &[u8], from: usize) -> Option<usize> {
    Some(from + memchr::memchr(b'<', xml.get(from..)?)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_with_prefixes_quotes_and_odd_spacing() {
        let xml = br#"<x:c  t = 's' r="B7"  s="1"><v>3</v></x:c><row r="2"/>"#;
        let c = tag_at(xml, 0).unwrap();
        assert_eq!(
            (c.kind, c.name, c.r, c.t),
            (TagKind::Start, &b"c"[..], Some(&b"B7"[..]), Some(&b"s"[..]))
        );
        assert_eq!(&xml[c.end..c.end + 3], b"<v>");
        let end = tag_at(xml, next_tag(xml, c.end + 4).unwrap()).unwrap();
        assert_eq!((end.kind, end.name), (TagKind::End, &b"v"[..]));
        let row = tag_at(xml, find(xml, b"<row").unwrap()).unwrap();
        assert_eq!((row.kind, row.r), (TagKind::Empty, Some(&b"2"[..])));
    }

    #[test]
    fn comments_cdata_and_cut_tags() {
        let xml = b"<!-- <c t=\"s\"> --><![CDATA[<v>x</v>]]><?pi ?>";
        let a = tag_at(xml, 0).unwrap();
        assert_eq!(a.kind, TagKind::Other);
        let b = tag_at(xml, a.end).unwrap();
        assert_eq!(&xml[b.end..b.end + 2], b"<?");
        assert_eq!(tag_at(b"<c r=\"A1", 0), None);
        assert_eq!(tag_at(b"<row", 0), None);
    }
}
