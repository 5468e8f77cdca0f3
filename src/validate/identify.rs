//! Which indicator or project a row is, from its 序号 in any notation people use
//! (`7.1`, `7-1`, `7（1）`, `７.１`, a numeric cell 7.1) and/or its name.

use crate::read::{Cell, CellValue};
use crate::schema::{Indicator, Project, Schema};
use crate::text::key;

/// `7-1`, `7（1）`, `７.１`, `7.1.` → `7.1`; `(7)` → `7`.
pub fn normalise_id(cell: &Cell) -> Option<String> {
    let raw = match &cell.value {
        CellValue::Number(n) => crate::schema::standard::format_number(*n),
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
    indicator_or_why(schema, id, name, loose).map_err(Unidentified)
}

/// Why a row names no indicator or project, in words for its diagnostic.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{0}")]
pub struct Unidentified(pub String);

fn indicator_or_why<'a>(
    schema: &'a Schema,
    id: Option<&str>,
    name: Option<&str>,
    loose: bool,
) -> Result<&'a Indicator, String> {
    let by_name = name.and_then(|n| indicator_by_name(schema, n, loose));
    let Some(id) = id else {
        return by_name.ok_or_else(|| match name {
            Some(n) => format!("名称“{n}”对不上任何指标，且没有填写序号"),
            None => "既没有序号也没有指标名称".to_string(),
        });
    };
    if let Some(row) = schema.indicator(id) {
        return match by_name {
            Some(other) if other.id != row.id => Err(format!(
                "序号 {id} 是“{}”，但名称“{}”是指标 {}：请核对是哪一项",
                row.full_name(),
                name.unwrap_or_default(),
                other.id
            )),
            _ => Ok(row),
        };
    }
    // A parent number on a sub-row (`7` for 优良天数比例): the name decides.
    match by_name {
        Some(row) if row.group_id() == id => Ok(row),
        Some(row) => Err(format!(
            "序号 {id} 不存在，名称对应的是指标 {}：请改正序号",
            row.id
        )),
        None => Err(format!("序号“{id}”不是指标体系中的指标")),
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
    project_or_why(schema, id, name).map_err(Unidentified)
}

fn project_or_why<'a>(
    schema: &'a Schema,
    id: Option<&str>,
    name: Option<&str>,
) -> Result<&'a Project, String> {
    let by_name = name
        .map(key)
        .filter(|k| !k.is_empty())
        .and_then(|k| schema.project_by_key(&k));
    match (id.and_then(|i| i.parse::<u32>().ok()), by_name) {
        (Some(no), by_name) => match schema.projects().iter().find(|p| p.no == no) {
            Some(p) => match by_name {
                Some(other) if other.no != p.no => Err(format!(
                    "序号 {no} 是“{}”，但名称是工程 {} 的：请核对",
                    p.name, other.no
                )),
                _ => Ok(p),
            },
            None => by_name.ok_or_else(|| format!("工程序号 {no} 不在重点工程表中")),
        },
        (None, Some(p)) => Ok(p),
        (None, None) => Err(match name {
            Some(n) => format!("工程名称“{n}”不在重点工程表中"),
            None => "既没有工程序号也没有工程名称".to_string(),
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
