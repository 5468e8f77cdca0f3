//! Puts the WordprocessingML that docx-rs writes into schema order, once, after it is packed.
//!
//! docx-rs 0.4 writes the children of property elements in the order they were set
//! (`<w:rPr><w:sz/><w:rFonts/></w:rPr>`), while ECMA-376 declares each as a sequence. Microsoft
//! Word silently drops properties found out of sequence — the 仿宋/黑体 fonts of a 公文 among
//! them — though LibreOffice reads them. Rather than order each call by hand, every part of the
//! package is rewritten here:
//! - the children of each element named in [`SEQUENCES`] are sorted (stably) by their place in
//!   the schema's sequence; children the table does not know keep their order, after the known;
//! - a paragraph-mark `rPr` inside a `pPr` of a style, a numbering level or the document
//!   defaults is dropped: there the schema's type (CT_PPrGeneral) has no `rPr`;
//! - `w:type` on `w:gridCol` (not declared there) is dropped;
//! - the first row of every table is marked as its header row, repeated on each page;
//! - the package gets the theme part Word expects of every document.

use quick_xml::events::Event;
use std::io::{Cursor, Read, Write};

/// Parent local name → its children's local names in schema order (ECMA-376 Part 1, the
/// complex types CT_RPr, CT_PPr, CT_TblPr, CT_TcPr, CT_SectPr, CT_Settings, CT_Style, CT_Lvl,
/// CT_AbstractNum, CT_TblBorders, CT_TcBorders, CT_TblCellMar, CT_PBdr). Names in one slot
/// are a choice group and keep their relative order.
const SEQUENCES: &[(&str, &[&str])] = &[
    (
        "rPr",
        &[
            "ins",
            "del",
            "moveFrom",
            "moveTo",
            "rStyle",
            "rFonts",
            "b",
            "bCs",
            "i",
            "iCs",
            "caps",
            "smallCaps",
            "strike",
            "dstrike",
            "outline",
            "shadow",
            "emboss",
            "imprint",
            "noProof",
            "snapToGrid",
            "vanish",
            "webHidden",
            "color",
            "spacing",
            "w",
            "kern",
            "position",
            "sz",
            "szCs",
            "highlight",
            "u",
            "effect",
            "bdr",
            "shd",
            "fitText",
            "vertAlign",
            "rtl",
            "cs",
            "em",
            "lang",
            "eastAsianLayout",
            "specVanish",
            "oMath",
            "rPrChange",
        ],
    ),
    (
        "pPr",
        &[
            "pStyle",
            "keepNext",
            "keepLines",
            "pageBreakBefore",
            "framePr",
            "widowControl",
            "numPr",
            "suppressLineNumbers",
            "pBdr",
            "shd",
            "tabs",
            "suppressAutoHyphens",
            "kinsoku",
            "wordWrap",
            "overflowPunct",
            "topLinePunct",
            "autoSpaceDE",
            "autoSpaceDN",
            "bidi",
            "adjustRightInd",
            "snapToGrid",
            "spacing",
            "ind",
            "contextualSpacing",
            "mirrorIndents",
            "suppressOverlap",
            "jc",
            "textDirection",
            "textAlignment",
            "textboxTightWrap",
            "outlineLvl",
            "divId",
            "cnfStyle",
            "rPr",
            "sectPr",
            "pPrChange",
        ],
    ),
    (
        "tblPr",
        &[
            "tblStyle",
            "tblpPr",
            "tblOverlap",
            "bidiVisual",
            "tblStyleRowBandSize",
            "tblStyleColBandSize",
            "tblW",
            "jc",
            "tblCellSpacing",
            "tblInd",
            "tblBorders",
            "shd",
            "tblLayout",
            "tblCellMar",
            "tblLook",
            "tblCaption",
            "tblDescription",
            "tblPrChange",
        ],
    ),
    (
        "tcPr",
        &[
            "cnfStyle",
            "tcW",
            "gridSpan",
            "hMerge",
            "vMerge",
            "tcBorders",
            "shd",
            "noWrap",
            "tcMar",
            "textDirection",
            "tcFitText",
            "vAlign",
            "hideMark",
            "headers",
            "cellIns",
            "cellDel",
            "cellMerge",
            "tcPrChange",
        ],
    ),
    (
        "sectPr",
        &[
            "headerReference|footerReference",
            "footnotePr",
            "endnotePr",
            "type",
            "pgSz",
            "pgMar",
            "paperSrc",
            "pgBorders",
            "lnNumType",
            "pgNumType",
            "cols",
            "formProt",
            "vAlign",
            "noEndnote",
            "titlePg",
            "textDirection",
            "bidi",
            "rtlGutter",
            "docGrid",
            "printerSettings",
            "sectPrChange",
        ],
    ),
    (
        "settings",
        &[
            "writeProtection",
            "view",
            "zoom",
            "removePersonalInformation",
            "removeDateAndTime",
            "doNotDisplayPageBoundaries",
            "displayBackgroundShape",
            "printPostScriptOverText",
            "printFractionalCharacterWidth",
            "printFormsData",
            "embedTrueTypeFonts",
            "embedSystemFonts",
            "saveSubsetFonts",
            "saveFormsData",
            "mirrorMargins",
            "alignBordersAndEdges",
            "bordersDoNotSurroundHeader",
            "bordersDoNotSurroundFooter",
            "gutterAtTop",
            "hideSpellingErrors",
            "hideGrammaticalErrors",
            "activeWritingStyle",
            "proofState",
            "formsDesign",
            "attachedTemplate",
            "linkStyles",
            "stylePaneFormatFilter",
            "stylePaneSortMethod",
            "documentType",
            "mailMerge",
            "revisionView",
            "trackRevisions",
            "doNotTrackMoves",
            "doNotTrackFormatting",
            "documentProtection",
            "autoFormatOverride",
            "styleLockTheme",
            "styleLockQFSet",
            "defaultTabStop",
            "autoHyphenation",
            "consecutiveHyphenLimit",
            "hyphenationZone",
            "doNotHyphenateCaps",
            "showEnvelope",
            "summaryLength",
            "clickAndTypeStyle",
            "defaultTableStyle",
            "evenAndOddHeaders",
            "bookFoldRevPrinting",
            "bookFoldPrinting",
            "bookFoldPrintingSheets",
            "drawingGridHorizontalSpacing",
            "drawingGridVerticalSpacing",
            "displayHorizontalDrawingGridEvery",
            "displayVerticalDrawingGridEvery",
            "doNotUseMarginsForDrawingGridOrigin",
            "drawingGridHorizontalOrigin",
            "drawingGridVerticalOrigin",
            "doNotShadeFormData",
            "noPunctuationKerning",
            "characterSpacingControl",
            "printTwoOnOne",
            "strictFirstAndLastChars",
            "noLineBreaksAfter",
            "noLineBreaksBefore",
            "savePreviewPicture",
            "doNotValidateAgainstSchema",
            "saveInvalidXml",
            "ignoreMixedContent",
            "alwaysShowPlaceholderText",
            "doNotDemarcateInvalidXml",
            "saveXmlDataOnly",
            "useXSLTWhenSaving",
            "saveThroughXslt",
            "showXMLTags",
            "alwaysMergeEmptyNamespace",
            "updateFields",
            "hdrShapeDefaults",
            "footnotePr",
            "endnotePr",
            "compat",
            "docVars",
            "rsids",
            "mathPr",
            "attachedSchema",
            "themeFontLang",
            "clrSchemeMapping",
            "doNotIncludeSubdocsInStats",
            "doNotAutoCompressPictures",
            "forceUpgrade",
            "captions",
            "readModeInkLockDown",
            "smartTagType",
            "schemaLibrary",
            "shapeDefaults",
            "doNotEmbedSmartTags",
            "decimalSymbol",
            "listSeparator",
        ],
    ),
    (
        "style",
        &[
            "name",
            "aliases",
            "basedOn",
            "next",
            "link",
            "autoRedefine",
            "hidden",
            "uiPriority",
            "semiHidden",
            "unhideWhenUsed",
            "qFormat",
            "locked",
            "personal",
            "personalCompose",
            "personalReply",
            "rsid",
            "pPr",
            "rPr",
            "tblPr",
            "trPr",
            "tcPr",
            "tblStylePr",
        ],
    ),
    (
        "lvl",
        &[
            "start",
            "numFmt",
            "lvlRestart",
            "pStyle",
            "isLgl",
            "suff",
            "lvlText",
            "lvlPicBulletId",
            "legacy",
            "lvlJc",
            "pPr",
            "rPr",
        ],
    ),
    (
        "abstractNum",
        &[
            "nsid",
            "multiLevelType",
            "tmpl",
            "name",
            "styleLink",
            "numStyleLink",
            "lvl",
        ],
    ),
    (
        "tblBorders",
        &[
            "top",
            "left|start",
            "bottom",
            "right|end",
            "insideH",
            "insideV",
        ],
    ),
    (
        "tcBorders",
        &[
            "top",
            "left|start",
            "bottom",
            "right|end",
            "insideH",
            "insideV",
            "tl2br",
            "tr2bl",
        ],
    ),
    ("tblCellMar", &["top", "left|start", "bottom", "right|end"]),
    ("tcMar", &["top", "left|start", "bottom", "right|end"]),
    (
        "pBdr",
        &["top", "left", "bottom", "right", "between", "bar"],
    ),
];

/// Parents whose `pPr` is CT_PPrGeneral, which has no paragraph-mark `rPr`.
const GENERAL_PPR_PARENTS: &[&str] = &["style", "lvl", "pPrDefault"];

#[derive(Debug)]
enum Node {
    Element(Element),
    /// Anything kept as written: text (escaped), references, comments, declarations.
    Raw(String),
}

#[derive(Debug)]
struct Element {
    /// What stood between `<` and `>` (or `/>`): the name and the attributes, as written.
    tag: String,
    children: Vec<Node>,
    empty: bool,
}

impl Element {
    fn local(&self) -> &str {
        let name = self.tag.split(char::is_whitespace).next().unwrap_or("");
        name.rsplit(':').next().unwrap_or(name)
    }
}

fn local(node: &Node) -> Option<&str> {
    match node {
        Node::Element(e) => Some(e.local()),
        Node::Raw(_) => None,
    }
}

/// One XML part in schema order. Text that is not well-formed XML is returned unchanged.
pub fn order_part(xml: &str) -> String {
    match parse(xml) {
        Some(mut nodes) => {
            for n in &mut nodes {
                if let Node::Element(e) = n {
                    fix(e, "");
                }
            }
            let mut out = String::with_capacity(xml.len());
            for n in &nodes {
                write_node(n, &mut out);
            }
            out
        }
        None => xml.to_string(),
    }
}

fn parse(xml: &str) -> Option<Vec<Node>> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut stack: Vec<Element> = Vec::new();
    let mut top: Vec<Node> = Vec::new();
    let push = |stack: &mut Vec<Element>, top: &mut Vec<Node>, node: Node| match stack.last_mut() {
        Some(parent) => parent.children.push(node),
        None => top.push(node),
    };
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) => stack.push(Element {
                tag: xml_chars(&e),
                children: Vec::new(),
                empty: false,
            }),
            Event::Empty(e) => {
                let el = Element {
                    tag: xml_chars(&e),
                    children: Vec::new(),
                    empty: true,
                };
                push(&mut stack, &mut top, Node::Element(el));
            }
            Event::End(_) => {
                let done = stack.pop()?;
                push(&mut stack, &mut top, Node::Element(done));
            }
            Event::Text(t) => push(&mut stack, &mut top, Node::Raw(xml_chars(&t))),
            Event::GeneralRef(r) => push(&mut stack, &mut top, Node::Raw(format!("&{};", &*r))),
            Event::CData(c) => push(
                &mut stack,
                &mut top,
                Node::Raw(format!("<![CDATA[{}]]>", &*c)),
            ),
            Event::Comment(c) => push(&mut stack, &mut top, Node::Raw(format!("<!--{}-->", &*c))),
            Event::Decl(d) => push(&mut stack, &mut top, Node::Raw(format!("<?{}?>", &*d))),
            Event::PI(p) => push(&mut stack, &mut top, Node::Raw(format!("<?{}?>", &*p))),
            Event::DocType(d) => push(
                &mut stack,
                &mut top,
                Node::Raw(format!("<!DOCTYPE {}>", &*d)),
            ),
            Event::Eof => return stack.is_empty().then_some(top),
        }
    }
}

/// `s` without the characters XML 1.0 forbids: returns carry them (U+000B from text pasted
/// out of Word, NUL, ESC, U+FFFF), and one of them makes Word and LibreOffice refuse the file.
/// Bidi controls go too: a file name in the report must not read backwards.
fn xml_chars(s: &str) -> String {
    s.chars()
        .filter(|&c| {
            matches!(c, '\t' | '\n' | '\r')
                || (c >= ' '
                    && !matches!(c, '\u{FFFE}' | '\u{FFFF}')
                    && !crate::text::is_bidi_control(c))
        })
        .collect()
}

fn fix(e: &mut Element, parent: &str) {
    let own = e.local().to_string();
    if own == "gridCol" {
        e.tag = without_attribute(&e.tag, "w:type");
    }
    if own == "pPr" && GENERAL_PPR_PARENTS.contains(&parent) {
        e.children.retain(|c| local(c) != Some("rPr"));
    }
    if own == "tbl" {
        repeat_first_row(e);
    }
    for c in &mut e.children {
        if let Node::Element(child) = c {
            fix(child, &own);
        }
    }
    if let Some((_, order)) = SEQUENCES.iter().find(|(p, _)| *p == own) {
        let rank = |n: &Node| {
            local(n)
                .and_then(|name| {
                    order
                        .iter()
                        .position(|slot| slot.split('|').any(|s| s == name))
                })
                .unwrap_or(order.len())
        };
        e.children.sort_by_key(rank);
    }
}

/// Every table of the report has one header row, its first: it is marked to repeat on each
/// page (`w:tblHeader`), which docx-rs cannot write.
fn repeat_first_row(table: &mut Element) {
    let Some(Node::Element(row)) = table.children.iter_mut().find(|c| local(c) == Some("tr"))
    else {
        return;
    };
    let header = || {
        Node::Element(Element {
            tag: "w:tblHeader ".into(),
            children: Vec::new(),
            empty: true,
        })
    };
    match row.children.iter_mut().find(|c| local(c) == Some("trPr")) {
        Some(Node::Element(props)) => {
            if !props.children.iter().any(|c| local(c) == Some("tblHeader")) {
                props.children.push(header());
            }
        }
        _ => {
            // CT_Row: tblPrEx, then trPr, then the cells.
            let at = row
                .children
                .iter()
                .position(|c| local(c) == Some("tblPrEx"))
                .map_or(0, |i| i + 1);
            row.children.insert(
                at,
                Node::Element(Element {
                    tag: "w:trPr".into(),
                    children: vec![header()],
                    empty: false,
                }),
            );
        }
    }
}

/// `tag` without the attribute `name="…"`.
fn without_attribute(tag: &str, name: &str) -> String {
    let needle = format!(" {name}=\"");
    let Some(start) = tag.find(&needle) else {
        return tag.to_string();
    };
    let value_start = start + needle.len();
    let Some(len) = tag.get(value_start..).and_then(|rest| rest.find('"')) else {
        return tag.to_string();
    };
    format!(
        "{}{}",
        tag.get(..start).unwrap_or_default(),
        tag.get(value_start + len + 1..).unwrap_or_default()
    )
}

fn write_node(n: &Node, out: &mut String) {
    match n {
        Node::Raw(s) => out.push_str(s),
        Node::Element(e) if e.empty && e.children.is_empty() => {
            out.push('<');
            out.push_str(&e.tag);
            out.push_str("/>");
        }
        Node::Element(e) => {
            out.push('<');
            out.push_str(&e.tag);
            out.push('>');
            for c in &e.children {
                write_node(c, out);
            }
            out.push_str("</");
            out.push_str(e.tag.split(char::is_whitespace).next().unwrap_or(""));
            out.push('>');
        }
    }
}

const THEME_PART: &str = "word/theme/theme1.xml";
const THEME_TYPE: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme";

/// The whole package with every XML part in schema order and a theme part added; entries keep
/// their order and get a fixed time, so the same document gives the same bytes.
/// Why the package could not be rewritten.
#[derive(Debug, thiserror::Error)]
pub enum PackageError {
    #[error("压缩包：{0}")]
    Zip(#[from] zip::result::ZipError),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// [`order_package`], with `creator` as the document's author (docx-rs writes "unknown").
pub fn order_package_by(docx: &[u8], creator: &str) -> Result<Vec<u8>, PackageError> {
    order_package_with(docx, Some(creator))
}

pub fn order_package(docx: &[u8]) -> Result<Vec<u8>, PackageError> {
    order_package_with(docx, None)
}

fn order_package_with(docx: &[u8], creator: Option<&str>) -> Result<Vec<u8>, PackageError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(docx))?;
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(6))
        .last_modified_time(zip::DateTime::default());
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i)?;
        let name = entry.name()?.to_string();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes)?;
        let bytes = match (name.as_str(), String::from_utf8(bytes)) {
            ("[Content_Types].xml", Ok(xml)) => with_theme_type(&xml).into_bytes(),
            ("word/_rels/document.xml.rels", Ok(xml)) => with_theme_rel(&xml).into_bytes(),
            ("docProps/core.xml", Ok(xml)) => match creator {
                Some(c) => xml
                    .replace(">unknown<", &format!(">{}<", escape_text(c)))
                    .into_bytes(),
                None => xml.into_bytes(),
            },
            (n, Ok(xml)) if n.ends_with(".xml") => order_part(&xml).into_bytes(),
            (_, Ok(text)) => text.into_bytes(),
            (_, Err(e)) => e.into_bytes(),
        };
        out.start_file(name, options)?;
        out.write_all(&bytes)?;
    }
    out.start_file(THEME_PART, options)?;
    out.write_all(THEME.as_bytes())?;
    let done = out.finish()?;
    Ok(done.into_inner())
}

fn escape_text(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn with_theme_type(xml: &str) -> String {
    let over = format!(
        r#"<Override PartName="/{THEME_PART}" ContentType="application/vnd.openxmlformats-officedocument.theme+xml" />"#
    );
    xml.replacen("</Types>", &format!("{over}</Types>"), 1)
}

fn with_theme_rel(xml: &str) -> String {
    let rel =
        format!(r#"<Relationship Id="rIdTheme1" Type="{THEME_TYPE}" Target="theme/theme1.xml" />"#);
    xml.replacen("</Relationships>", &format!("{rel}</Relationships>"), 1)
}

/// A minimal Office theme whose fonts are the 公文's: Times New Roman for Latin text, 仿宋_GB2312
/// (body) and 黑体 (headings) for Chinese.
const THEME: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="公文"><a:themeElements><a:clrScheme name="Office"><a:dk1><a:sysClr val="windowText" lastClr="000000"/></a:dk1><a:lt1><a:sysClr val="window" lastClr="FFFFFF"/></a:lt1><a:dk2><a:srgbClr val="44546A"/></a:dk2><a:lt2><a:srgbClr val="E7E6E6"/></a:lt2><a:accent1><a:srgbClr val="4472C4"/></a:accent1><a:accent2><a:srgbClr val="ED7D31"/></a:accent2><a:accent3><a:srgbClr val="A5A5A5"/></a:accent3><a:accent4><a:srgbClr val="FFC000"/></a:accent4><a:accent5><a:srgbClr val="5B9BD5"/></a:accent5><a:accent6><a:srgbClr val="70AD47"/></a:accent6><a:hlink><a:srgbClr val="0563C1"/></a:hlink><a:folHlink><a:srgbClr val="954F72"/></a:folHlink></a:clrScheme><a:fontScheme name="公文"><a:majorFont><a:latin typeface="Times New Roman"/><a:ea typeface="黑体"/><a:cs typeface="Times New Roman"/></a:majorFont><a:minorFont><a:latin typeface="Times New Roman"/><a:ea typeface="仿宋_GB2312"/><a:cs typeface="Times New Roman"/></a:minorFont></a:fontScheme><a:fmtScheme name="Office"><a:fillStyleLst><a:solidFill><a:schemeClr val="phClr"/></a:solidFill><a:solidFill><a:schemeClr val="phClr"/></a:solidFill><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:fillStyleLst><a:lnStyleLst><a:ln w="6350"><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:ln><a:ln w="12700"><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:ln><a:ln w="19050"><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:ln></a:lnStyleLst><a:effectStyleLst><a:effectStyle><a:effectLst/></a:effectStyle><a:effectStyle><a:effectLst/></a:effectStyle><a:effectStyle><a:effectLst/></a:effectStyle></a:effectStyleLst><a:bgFillStyleLst><a:solidFill><a:schemeClr val="phClr"/></a:solidFill><a:solidFill><a:schemeClr val="phClr"/></a:solidFill><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:bgFillStyleLst></a:fmtScheme></a:themeElements></a:theme>"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_properties_come_out_in_schema_order() {
        let xml = r#"<w:r><w:rPr><w:sz w:val="32" /><w:szCs w:val="32" /><w:b /><w:rFonts w:eastAsia="仿宋_GB2312" /></w:rPr><w:t xml:space="preserve">A &amp; B</w:t></w:r>"#;
        assert_eq!(
            order_part(xml),
            r#"<w:r><w:rPr><w:rFonts w:eastAsia="仿宋_GB2312" /><w:b /><w:sz w:val="32" /><w:szCs w:val="32" /></w:rPr><w:t xml:space="preserve">A &amp; B</w:t></w:r>"#
        );
    }

    #[test]
    fn paragraph_properties_and_general_ones() {
        let xml = r#"<w:p><w:pPr><w:rPr /><w:jc w:val="center" /><w:spacing w:line="560" /></w:pPr></w:p><w:style><w:rPr /><w:pPr><w:rPr /><w:jc w:val="left" /></w:pPr><w:name w:val="Normal" /></w:style>"#;
        assert_eq!(
            order_part(xml),
            r#"<w:p><w:pPr><w:spacing w:line="560" /><w:jc w:val="center" /><w:rPr /></w:pPr></w:p><w:style><w:name w:val="Normal" /><w:pPr><w:jc w:val="left" /></w:pPr><w:rPr /></w:style>"#
        );
    }

    #[test]
    fn the_first_row_of_a_table_repeats_on_every_page() {
        let xml = r#"<w:tbl><w:tblPr /><w:tr><w:trPr><w:cantSplit /></w:trPr><w:tc /></w:tr><w:tr><w:tc /></w:tr></w:tbl>"#;
        assert_eq!(
            order_part(xml),
            r#"<w:tbl><w:tblPr /><w:tr><w:trPr><w:cantSplit /><w:tblHeader /></w:trPr><w:tc /></w:tr><w:tr><w:tc /></w:tr></w:tbl>"#
        );
        let bare = r#"<w:tbl><w:tr><w:tc /></w:tr></w:tbl>"#;
        assert_eq!(
            order_part(bare),
            r#"<w:tbl><w:tr><w:trPr><w:tblHeader /></w:trPr><w:tc /></w:tr></w:tbl>"#
        );
    }

    #[test]
    fn characters_xml_forbids_are_dropped() {
        let xml = "<w:t>资金未到位\u{b}待协调\u{0}\u{1b}\u{ffff}。</w:t>";
        assert_eq!(order_part(xml), "<w:t>资金未到位待协调。</w:t>");
    }

    #[test]
    fn undeclared_attributes_go_and_unknown_children_stay_after_the_known() {
        assert_eq!(
            order_part(r#"<w:gridCol w:w="1200" w:type="dxa" />"#),
            r#"<w:gridCol w:w="1200" />"#
        );
        let xml = r#"<w:sectPr><w:pgMar /><w:x /><w:pgSz /><w:footerReference w:type="even" /><w:footerReference w:type="default" /></w:sectPr>"#;
        assert_eq!(
            order_part(xml),
            r#"<w:sectPr><w:footerReference w:type="even" /><w:footerReference w:type="default" /><w:pgSz /><w:pgMar /><w:x /></w:sectPr>"#
        );
    }
}
