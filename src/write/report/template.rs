//! The report's wording: a minijinja template rendered with the data of [`super::context`],
//! then read line by line into blocks (headings, paragraphs, tables, the chart).

/// The built-in wording, replaced by `report.j2` in a `--schema` folder when there is one.
pub const BUILTIN: &str = include_str!("../../../templates/report.j2");
pub const FILE_NAME: &str = "report.j2";
/// A year's 年度自评估报告, replaced by `annual.j2` in a `--schema` folder.
pub const ANNUAL_BUILTIN: &str = include_str!("../../../templates/annual.j2");
pub const ANNUAL_FILE_NAME: &str = "annual.j2";

#[derive(Debug, thiserror::Error)]
#[error("{file}:{line}: 报告模板有误：{message}")]
pub struct TemplateError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

/// The tables `[表格:…]` places, by the name the template uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableKind {
    ByDomain,
    Unmet,
    Projects,
    Returns,
    Trend,
    Warning,
}

/// The charts `[图表:…]` places.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartKind {
    ByDomain,
    Trend,
}

impl TableKind {
    fn named(name: &str) -> Option<TableKind> {
        Some(match name {
            "分领域" => TableKind::ByDomain,
            "未达标" => TableKind::Unmet,
            "重点工程" => TableKind::Projects,
            "报送情况" => TableKind::Returns,
            "趋势" => TableKind::Trend,
            "预警" => TableKind::Warning,
            _ => return None,
        })
    }

    /// Its caption after 表N.
    pub fn title(self) -> &'static str {
        match self {
            TableKind::ByDomain => "各领域指标达标情况",
            TableKind::Unmet => "未达标及暂无数据的指标",
            TableKind::Projects => "重点工程进展（按体系）",
            TableKind::Returns => "各单位报送情况",
            TableKind::Trend => "未达标及待核实指标各季度数值",
            TableKind::Warning => "各单位负责指标预警情况",
        }
    }
}

impl ChartKind {
    fn named(name: &str) -> Option<ChartKind> {
        Some(match name {
            "分领域" => ChartKind::ByDomain,
            "趋势" => ChartKind::Trend,
            _ => return None,
        })
    }

    /// Its caption after 图N.
    pub fn title(self) -> &'static str {
        match self {
            ChartKind::ByDomain => "各领域指标达标情况",
            ChartKind::Trend => "未达标指标向阶段目标的进展",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// Level 1–4: 一、（一）1.（1）.
    Heading(u8, String),
    Paragraph(String),
    Table(TableKind),
    Chart(ChartKind),
    /// `[附件:指标表]`: the full indicator table on a page of its own.
    Appendix,
    /// 主送机关, flush left (GB/T 9704 7.3.2), followed by a full-width colon.
    Recipient(String),
    /// 附件说明 (7.3.4): a blank line, then `附件：` and the attachment's title.
    AttachmentNote(String),
    /// 落款: the issuing unit and the 成文日期, right-aligned at the end of the text.
    Signature {
        issuer: String,
        date: String,
    },
}

pub struct Template {
    pub name: String,
    pub source: String,
}

impl Template {
    pub fn builtin() -> Template {
        Template {
            name: format!("templates/{FILE_NAME}"),
            source: BUILTIN.to_string(),
        }
    }

    pub fn annual_builtin() -> Template {
        Template {
            name: format!("templates/{ANNUAL_FILE_NAME}"),
            source: ANNUAL_BUILTIN.to_string(),
        }
    }

    /// The wording of `period`'s report: `DIR/report.j2` (a year's: `DIR/annual.j2`) when it
    /// exists, the built-in wording otherwise.
    pub fn load(
        dir: Option<&std::path::Path>,
        period: crate::period::Period,
    ) -> Result<Template, TemplateError> {
        let (file, builtin) = if period.is_annual() {
            (ANNUAL_FILE_NAME, Template::annual_builtin())
        } else {
            (FILE_NAME, Template::builtin())
        };
        let Some(path) = dir.map(|d| d.join(file)).filter(|p| p.is_file()) else {
            return Ok(builtin);
        };
        let source = std::fs::read_to_string(&path).map_err(|e| TemplateError {
            file: path.display().to_string(),
            line: 0,
            message: e.to_string(),
        })?;
        Ok(Template {
            name: path.display().to_string(),
            source,
        })
    }

    pub fn render(&self, context: &impl serde::Serialize) -> Result<Vec<Block>, TemplateError> {
        let mut env = minijinja::Environment::new();
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        // `{{ 3 | cn }}` → 三: the （一）（二） of a list under a 一、 heading.
        env.add_filter("cn", |n: usize| crate::text::numeral(n));
        let error = |e: minijinja::Error| TemplateError {
            file: self.name.clone(),
            line: e.line().unwrap_or(0),
            message: e
                .detail()
                .map(str::to_string)
                .unwrap_or_else(|| e.to_string()),
        };
        env.add_template(&self.name, &self.source).map_err(error)?;
        let text = env
            .get_template(&self.name)
            .and_then(|t| t.render(context))
            .map_err(error)?;
        parse(&text).map_err(|UnknownDirective(directive)| TemplateError {
            file: self.name.clone(),
            // The rendered line is not the source's: name where the directive is written.
            line: self
                .source
                .lines()
                .position(|l| l.contains(&directive))
                .map_or(0, |i| i + 1),
            message: format!("不认识的指令“{directive}”：可用的有 [表格:分领域/未达标/重点工程/报送情况/趋势]、[图表:分领域/趋势]、[附件:指标表]、[主送:机关]、[附件说明:附件名称]、[落款:单位|日期]"),
        })
    }
}

fn directive<'a>(line: &'a str, name: &str) -> Option<&'a str> {
    line.strip_prefix(&format!("[{name}:"))?
        .strip_suffix(']')
        .map(str::trim)
}

/// A `[…:…]` line that names no table, chart, appendix or signature.
#[derive(Debug, Clone, PartialEq)]
pub struct UnknownDirective(pub String);

/// The rendered text as blocks; `Err` with the line of a directive nobody knows (a typo such
/// as `[表格:分领]` would otherwise drop its table without a word).
pub fn parse(text: &str) -> Result<Vec<Block>, UnknownDirective> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|line| {
            let unknown = || UnknownDirective(line.to_string());
            if let Some(kind) = directive(line, "表格") {
                return TableKind::named(kind).map(Block::Table).ok_or_else(unknown);
            }
            if let Some(kind) = directive(line, "图表") {
                return ChartKind::named(kind).map(Block::Chart).ok_or_else(unknown);
            }
            if let Some(kind) = directive(line, "附件") {
                return (kind == "指标表")
                    .then_some(Block::Appendix)
                    .ok_or_else(unknown);
            }
            if let Some(body) = directive(line, "主送") {
                return Ok(Block::Recipient(body.trim().to_string()));
            }
            if let Some(body) = directive(line, "附件说明") {
                return Ok(Block::AttachmentNote(body.trim().to_string()));
            }
            if let Some(body) = directive(line, "落款") {
                let (issuer, date) = body.split_once('|').unwrap_or((body, ""));
                return Ok(Block::Signature {
                    issuer: issuer.trim().to_string(),
                    date: date.trim().to_string(),
                });
            }
            if line.starts_with('[') && line.ends_with(']') && line.contains(':') {
                return Err(unknown());
            }
            let hashes = line.chars().take_while(|c| *c == '#').count();
            if (1..=4).contains(&hashes) && line[hashes..].starts_with(' ') {
                return Ok(Block::Heading(
                    hashes as u8,
                    line[hashes..].trim().to_string(),
                ));
            }
            Ok(Block::Paragraph(line.to_string()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_become_blocks() {
        let b = parse(
            "# 总体情况\n\n正文。\n## 小节\n[表格:分领域]\n[图表:分领域]\n[附件:指标表]\n#不是标题",
        )
        .unwrap();
        assert_eq!(
            b,
            vec![
                Block::Heading(1, "总体情况".into()),
                Block::Paragraph("正文。".into()),
                Block::Heading(2, "小节".into()),
                Block::Table(TableKind::ByDomain),
                Block::Chart(ChartKind::ByDomain),
                Block::Appendix,
                Block::Paragraph("#不是标题".into()),
            ]
        );
    }

    #[test]
    fn an_unknown_directive_is_an_error_naming_its_line() {
        let t = Template {
            name: "report.j2".into(),
            source: "# 总体情况\n正文。\n[表格:分领]\n".into(),
        };
        let e = t.render(&serde_json::json!({})).unwrap_err();
        assert_eq!(e.line, 3, "{e}");
        assert!(e.to_string().contains("[表格:分领]"));
    }

    #[test]
    fn a_template_error_names_file_and_line() {
        let t = Template {
            name: "report.j2".into(),
            source: "第一行\n{{ missing.value }}\n".into(),
        };
        let e = t.render(&serde_json::json!({})).unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.to_string().starts_with("report.j2:2:"));
        let t = Template {
            name: "report.j2".into(),
            source: "a\nb\n{% for x in %}\n".into(),
        };
        assert_eq!(t.render(&serde_json::json!({})).unwrap_err().line, 3);
    }
}
