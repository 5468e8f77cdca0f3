//! 评估报告.docx: a Chinese government document (GB/T 9704 layout) whose wording comes from
//! `templates/report.j2` and whose every number comes from the assessment.

mod chart;
pub mod context;
mod docx;
pub mod notice;
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
    /// The portal's 截止时间 and the returns received after it, for 数据填报质量.
    pub lateness: Option<&'a Lateness>,
}

/// The period's 截止时间 (`2026年10月15日 17:00`) and the units whose current return came
/// after it, with when.
#[derive(Debug, Clone, Default)]
pub struct Lateness {
    pub deadline: String,
    pub late: Vec<(String, String)>,
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

/// The unmet numeric rows as shares of their stage target (100 = reached): per year when an
/// annual or 累计 row has two years on record, else the 时点 rows per quarter.
fn trend_lines(t: &Trend) -> (Vec<String>, Vec<chart::Line>) {
    use crate::assess::trend::Step;
    let unmet: Vec<_> = t
        .rows
        .iter()
        .filter(|r| r.row.status == crate::assess::Status::Unmet)
        .filter_map(|r| {
            let c = r.row.indicator.target_for(t.stage_year).comparison?;
            Some((r, c))
        })
        .collect();
    let label = |r: &crate::assess::trend::TrendRow| {
        format!("{} {}", r.row.id, r.row.indicator.reported_name())
    };
    // Annual and 累计 rows are drawn one point a year: a quarter-by-quarter line would repeat
    // one year's figure, or join a year-to-date figure to the next year's first quarter.
    let by_year: Vec<_> = unmet
        .iter()
        .filter(|(r, _)| r.step != Step::Quarter && r.years.len() >= 2)
        .take(6)
        .collect();
    if let (Some(first), Some(last)) = (
        by_year
            .iter()
            .filter_map(|(r, _)| r.years.first())
            .map(|y| y.0)
            .min(),
        by_year
            .iter()
            .filter_map(|(r, _)| r.years.last())
            .map(|y| y.0)
            .max(),
    ) {
        let years: Vec<u16> = (first..=last).collect();
        let lines = by_year
            .iter()
            .map(|(r, c)| chart::Line {
                label: label(r),
                points: years
                    .iter()
                    .map(|y| {
                        let v = r.years.iter().find(|(x, _)| x == y).map(|(_, v)| *v);
                        v.and_then(|v| share(*c, v))
                    })
                    .collect(),
            })
            .collect();
        return (years.iter().map(|y| format!("{y}年")).collect(), lines);
    }
    let quarters = t.periods.iter().map(|p| p.to_string()).collect();
    let lines = unmet
        .iter()
        .filter(|(r, _)| r.step == Step::Quarter)
        .filter_map(|(r, c)| {
            let points: Vec<Option<f64>> = r
                .points
                .iter()
                .map(|p| p.as_ref().and_then(|p| p.value).and_then(|v| share(*c, v)))
                .collect();
            (points.iter().flatten().count() >= 2).then(|| chart::Line {
                label: label(r),
                points,
            })
        })
        .take(6)
        .collect();
    (quarters, lines)
}

/// A value as a share of its target, in %: 100 is reached (a ceiling is reached from above).
fn share(c: crate::schema::Comparison, v: f64) -> Option<f64> {
    match c.op {
        crate::schema::Op::AtMost | crate::schema::Op::Below if v > 0.0 => {
            Some(c.threshold / v * 100.0)
        }
        crate::schema::Op::AtMost | crate::schema::Op::Below => None,
        _ if c.threshold != 0.0 => Some(v / c.threshold * 100.0),
        _ => None,
    }
}
