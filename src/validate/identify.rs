//! Which indicator or project a row is, from its 序号 in any notation people use
//! (`7.1`, `7-1`, `7（1）`, `７.１`, a numeric cell 7.1) and/or its name.

use crate::read::{Cell, CellValue};
use crate::schema::{Indicator, Project, Schema};
use crate::text::format_number;
use crate::text::key;

/// `7-1`, `7（1）`, `７.１`, `7.1.` → `7.1`; `(7)` → `7`.
pub fn normalise_id(cell: &Cell) -> Option<String> {
    let raw = match &cell.value {
        CellValue::Number(n) => format_number(*n),
        CellValue::Text(s) => s.clone(),
        _ => return None,
    };
    let s = crate::text::nfkc(&raw);
    let mut out = String::new();
    for c in s.chars() {
        match c {
            '0'..='9' => out.push(c),
            '.' | '-' | '_' | '—' | '、' | '(' | '（' => {
                if !out.is_empty() && !out.ends_with('.') {
                    out.push('.');
                }
            }
            ')' | '）' | ' ' => {}
            _ => return None,
        }
    }
    let out = out.trim_end_matches('.').to_string();
    (!out.is_empty()).then_some(out)
}

/// The row an indicator id names: a row id (`7.1`) or a parent id (`7`) narrowed by name.
///
/// `loose` also accepts a cell that contains a unique schema name; it is off for rows with
/// neither 序号 nor 本期值, where a note such as “注：城镇污水处理率按…口径” would match.
pub fn indicator<'a>(
    schema: &'a Schema,
    id: Option<&str>,
    name: Option<&str>,
    loose: bool,
) -> Result<&'a Indicator, Unidentified> {
    indicator_or_why(schema, id, name, loose)
}

/// Why a row names no indicator or project; its text is the diagnostic's message.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Unidentified {
    #[error("名称“{0}”对不上任何指标，且没有填写序号")]
    UnknownIndicatorName(String),
    #[error("既没有序号也没有指标名称")]
    NoIndicatorIdOrName,
    #[error("序号 {id} 是“{named_by_id}”，但名称“{name}”是指标 {named_by_name}：请核对是哪一项")]
    IndicatorIdAndNameDisagree {
        id: String,
        named_by_id: String,
        name: String,
        named_by_name: String,
    },
    #[error("序号 {id} 不存在，名称对应的是指标 {named_by_name}：请改正序号")]
    UnknownIdKnownName { id: String, named_by_name: String },
    #[error("序号“{0}”不是指标体系中的指标")]
    UnknownIndicatorId(String),
    #[error("序号 {no} 是“{named_by_no}”，但名称是工程 {named_by_name} 的：请核对")]
    ProjectNoAndNameDisagree {
        no: u32,
        named_by_no: String,
        named_by_name: u32,
    },
    #[error("工程序号 {0} 不在重点工程表中")]
    UnknownProjectNo(u32),
    #[error("工程名称“{0}”不在重点工程表中")]
    UnknownProjectName(String),
    #[error("既没有工程序号也没有工程名称")]
    NoProjectNoOrName,
}

fn indicator_or_why<'a>(
    schema: &'a Schema,
    id: Option<&str>,
    name: Option<&str>,
    loose: bool,
) -> Result<&'a Indicator, Unidentified> {
    let by_name = name.and_then(|n| indicator_by_name(schema, n, loose));
    let Some(id) = id else {
        return by_name.ok_or_else(|| match name {
            Some(n) => Unidentified::UnknownIndicatorName(n.to_string()),
            None => Unidentified::NoIndicatorIdOrName,
        });
    };
    if let Some(row) = schema.indicator(id) {
        return match by_name {
            Some(other) if other.id != row.id => Err(Unidentified::IndicatorIdAndNameDisagree {
                id: id.to_string(),
                named_by_id: row.full_name(),
                name: name.unwrap_or_default().to_string(),
                named_by_name: other.id.clone(),
            }),
            _ => Ok(row),
        };
    }
    // A parent number on a sub-row (`7` for 优良天数比例): the name decides.
    match by_name {
        Some(row) if row.group_id() == id => Ok(row),
        Some(row) => Err(Unidentified::UnknownIdKnownName {
            id: id.to_string(),
            named_by_name: row.id.clone(),
        }),
        None => Err(Unidentified::UnknownIndicatorId(id.to_string())),
    }
}

fn indicator_by_name<'a>(schema: &'a Schema, name: &str, loose: bool) -> Option<&'a Indicator> {
    let k = key(name);
    if k.is_empty() {
        return None;
    }
    if let Some(i) = schema.indicator_by_key(&k) {
        return Some(i);
    }
    // A name with a small addition (“城镇污水处理率（%）” → key 城镇污水处理率): accept a
    // unique schema name contained in the cell.
    loose.then(|| schema.indicator_within_key(&k)).flatten()
}

pub fn project<'a>(
    schema: &'a Schema,
    id: Option<&str>,
    name: Option<&str>,
) -> Result<&'a Project, Unidentified> {
    project_or_why(schema, id, name)
}

fn project_or_why<'a>(
    schema: &'a Schema,
    id: Option<&str>,
    name: Option<&str>,
) -> Result<&'a Project, Unidentified> {
    let by_name = name
        .map(key)
        .filter(|k| !k.is_empty())
        .and_then(|k| schema.project_by_key(&k));
    match (id.and_then(|i| i.parse::<u32>().ok()), by_name) {
        (Some(no), by_name) => match schema.projects().iter().find(|p| p.no == no) {
            Some(p) => match by_name {
                Some(other) if other.no != p.no => Err(Unidentified::ProjectNoAndNameDisagree {
                    no,
                    named_by_no: p.name.clone(),
                    named_by_name: other.no,
                }),
                _ => Ok(p),
            },
            None => by_name.ok_or(Unidentified::UnknownProjectNo(no)),
        },
        (None, Some(p)) => Ok(p),
        (None, None) => Err(match name {
            Some(n) => Unidentified::UnknownProjectName(n.to_string()),
            None => Unidentified::NoProjectNoOrName,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(v: CellValue) -> Cell {
        Cell {
            row: 0,
            col: 0,
            value: v,
            percent: false,
        }
    }

    #[test]
    fn id_notations() {
        for s in [
            "7.1", "7-1", "7（1）", "７.１", "7.1.", " 7.1 ", "7(1)", "7、1",
        ] {
            assert_eq!(
                normalise_id(&cell(CellValue::Text(s.into()))).as_deref(),
                Some("7.1"),
                "{s}"
            );
        }
        assert_eq!(
            normalise_id(&cell(CellValue::Number(20.1))).as_deref(),
            Some("20.1")
        );
        assert_eq!(
            normalise_id(&cell(CellValue::Number(25.0))).as_deref(),
            Some("25")
        );
        assert_eq!(normalise_id(&cell(CellValue::Text("合计".into()))), None);
    }

    #[test]
    fn names_and_parents() {
        let s = Schema::builtin().unwrap();
        assert_eq!(
            indicator(&s, None, Some("城镇污水处理率"), true)
                .unwrap()
                .id,
            "25"
        );
        assert_eq!(
            indicator(&s, None, Some("城镇 污水处理率（％）"), true)
                .unwrap()
                .id,
            "25"
        );
        assert_eq!(
            indicator(&s, Some("7"), Some("优良天数比例"), true)
                .unwrap()
                .id,
            "7.1"
        );
        assert_eq!(
            indicator(&s, None, Some("环境空气质量—优良天数比例"), true)
                .unwrap()
                .id,
            "7.1"
        );
        assert!(indicator(&s, Some("25"), Some("河长制"), true).is_err());
        assert!(indicator(&s, Some("99"), None, true).is_err());
        assert!(indicator(&s, None, Some("利用率"), true).is_err());
        assert!(indicator(&s, None, Some("注：城镇污水处理率按住建部口径统计"), false).is_err());
    }
}
