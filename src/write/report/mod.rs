//! 评估报告.docx: a Chinese government document (GB/T 9704 layout) whose wording comes from
//! `templates/report.j2` and whose every number comes from the assessment.

mod chart;
pub mod context;
mod docx;
pub mod schema_order;
mod tables;
pub mod template;
mod typeset;

pub use chart::{find_font, FONT_CANDIDATES, FONT_ENV};
pub use template::{Template, TemplateError};

use crate::assess::{Assessment, Trend};
use crate::schema::Schema;
use crate::validate::Checked;
use std::path::Path;

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReportError {
    #[error(transparent)]
    Template(#[from] TemplateError),
    /// docx-rs could not write its package (its zip error, of another zip version, as text).
    #[error("无法生成评估报告：{0}")]
    Pack(String),
    #[error("无法整理评估报告：{0}")]
    Package(#[from] schema_order::PackageError),
}

/// The report's bytes and what the office should know about how it was made.
pub struct Report {
    pub bytes: Vec<u8>,
    pub warnings: Vec<String>,
}

/// What makes the report a 公文 of this office: who issues it, and its 成文日期.
pub struct Filing<'a> {
    pub office: &'a crate::office::Office,
    pub date: crate::office::Day,
}

/// The report's charts, by the template directive that places them.
#[derive(Default)]
pub struct Charts {
    pub by_domain: Option<Vec<u8>>,
    pub trend: Option<Vec<u8>>,
}

pub fn write(
    schema: &Schema,
    checked: &Checked,
    a: &Assessment,
    trend: Option<&Trend>,
    template: &Template,
    font: Option<&Path>,
    filing: &Filing,
) -> Result<Report, ReportError> {
    let warnings = crate::assess::warnings(a, trend, schema.meta.warning_share);
    let ctx = context::build(schema, checked, a, trend, &warnings, filing);
    let blocks = template.render(&ctx)?;
    let mut warnings = Vec::new();
    let mut charts = Charts::default();
    match find_font(font) {
        Ok((_, bytes)) => {
            charts.by_domain = chart::by_domain(&a.by_domain, bytes.clone())
                .map_err(|e| warnings.push(format!("评估报告已生成，但其中的图表未生成：{e}")))
                .ok();
            if let Some(t) = trend.filter(|t| t.periods.len() > 1) {
                let (quarters, lines) = trend_lines(t);
                if !lines.is_empty() {
                    charts.trend = chart::trend(&quarters, &lines, bytes)
                        .map_err(|e| {
                            warnings.push(format!("评估报告已生成，但其中的趋势图未生成：{e}"))
                        })
                        .ok();
                }
            }
        }
        Err(e) => warnings.push(format!("评估报告已生成，但其中的图表未生成：{e}")),
    }
    let bytes = docx::write(schema, a, &ctx, &blocks, &charts, filing)?;
    Ok(Report { bytes, warnings })
}

/// The unmet numeric rows as shares of their stage target (100 = reached), per quarter.
fn trend_lines(t: &Trend) -> (Vec<String>, Vec<chart::Line>) {
    let quarters = t
        .periods
        .iter()
        .map(|p| format!("{}Q{}", p.year, p.quarter))
        .collect();
    let lines = t
        .rows
        .iter()
        .filter(|r| r.row.status == crate::assess::Status::Unmet)
        .filter_map(|r| {
            let target = r.row.indicator.target_for(t.stage_year);
            let c = target.comparison?;
            let share = |v: f64| match c.op {
                crate::schema::Op::AtMost | crate::schema::Op::Below if v > 0.0 => {
                    Some(c.threshold / v * 100.0)
                }
                crate::schema::Op::AtMost | crate::schema::Op::Below => None,
                _ if c.threshold != 0.0 => Some(v / c.threshold * 100.0),
                _ => None,
            };
            let points: Vec<Option<f64>> = r
                .points
                .iter()
                .map(|p| p.as_ref().and_then(|p| p.value).and_then(share))
                .collect();
            (points.iter().flatten().count() >= 2).then(|| chart::Line {
                label: format!("{} {}", r.row.id, r.row.indicator.reported_name()),
                points,
            })
        })
        .take(6)
        .collect();
    (quarters, lines)
}
