//! 基本条件: the conditions an application fails on whatever its indicators say, as data
//! (`templates/conditions.toml`, or `conditions.toml` in the `--schema` folder): each answered
//! 是/否 by one unit in its annual return.

use serde::Deserialize;
use std::path::Path;

const BUILTIN: &str = include_str!("../../templates/conditions.toml");
pub const FILE: &str = "conditions.toml";
/// The sheet of an annual form the answers are in.
pub const SHEET: &str = "基本条件";

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    pub id: String,
    pub text: String,
    /// The unit that answers it.
    pub unit: String,
    /// The answer that meets it: 是 or 否.
    pub meets: Answer,
    /// Indicators whose change against the year before answers it where history has them
    /// all (环境质量不降低: 7.1, 7.2, 8.1 …): met when none of them got worse.
    #[serde(default)]
    pub indicators: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
pub enum Answer {
    #[serde(rename = "是")]
    Yes,
    #[serde(rename = "否")]
    No,
}

impl Answer {
    pub fn word(self) -> &'static str {
        match self {
            Answer::Yes => "是",
            Answer::No => "否",
        }
    }

    /// The answer that is not this one.
    pub fn other(self) -> Answer {
        match self {
            Answer::Yes => Answer::No,
            Answer::No => Answer::Yes,
        }
    }

    /// 是/否 as people write them (Y, √, 有 … are not guessed at: a condition is answered
    /// in so many words).
    pub fn read(text: &str) -> Option<Answer> {
        match crate::text::nfkc(text.trim()).as_str() {
            "是" => Some(Answer::Yes),
            "否" => Some(Answer::No),
            _ => None,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    condition: Vec<Condition>,
}

/// `dir/conditions.toml` when there is one, else the built-in list.
pub fn load(dir: Option<&Path>) -> Result<Vec<Condition>, super::SchemaError> {
    let (name, text) = match dir.map(|d| d.join(FILE)).filter(|p| p.is_file()) {
        Some(p) => {
            let text = std::fs::read_to_string(&p).map_err(|e| super::SchemaError::Io {
                path: p.display().to_string(),
                source: e,
            })?;
            (p.display().to_string(), text)
        }
        None => (format!("内置 {FILE}"), BUILTIN.to_string()),
    };
    let file: File = toml::from_str(&text).map_err(|e| super::SchemaError::Parse {
        line: e.span().map_or(1, |s| {
            text[..s.start.min(text.len())].matches('\n').count() + 1
        }),
        message: e.message().to_string(),
        file: name.clone(),
    })?;
    Ok(file.condition)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_conditions_are_answered_by_a_unit_of_the_schema() {
        let schema = crate::schema::Schema::builtin().unwrap();
        let conditions = load(None).unwrap();
        assert_eq!(conditions.len(), 5);
        for c in &conditions {
            assert!(schema.unit_named(&c.unit).is_some(), "{}", c.unit);
        }
        assert_eq!(Answer::read(" 是 "), Some(Answer::Yes));
        assert_eq!(Answer::read("Y"), None);
    }
}
