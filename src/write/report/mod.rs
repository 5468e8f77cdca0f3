//! 评估报告.docx: a Chinese government document (GB/T 9704 layout) whose wording comes from
//! `templates/report.j2` and whose every number comes from the assessment.

mod chart;
pub mod context;
mod docx;
pub mod schema_order;
pub mod template;

pub use chart::{find_font, FONT_CANDIDATES, FONT_ENV};
pub use template::{Template, TemplateError};

use crate::assess::Assessment;
use crate::schema::Schema;
use crate::validate::Checked;
use std::path::Path;

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReportError {
    #[error(transparent)]
    Template(#[from] TemplateError),
    #[error("无法生成评估报告：{0}")]
    Docx(String),
}

/// The report's bytes and what the office should know about how it was made.
pub struct Report {
    pub bytes: Vec<u8>,
    pub warnings: Vec<String>,
}

pub fn write(
    schema: &Schema,
    checked: &Checked,
    a: &Assessment,
    template: &Template,
    font: Option<&Path>,
) -> Result<Report, ReportError> {
    let ctx = context::build(schema, checked, a);
    let blocks = template.render(&ctx)?;
    let mut warnings = Vec::new();
    let chart = find_font(font).and_then(|(_, bytes)| chart::by_domain(&a.by_domain, bytes));
    let chart = match chart {
        Ok(png) => Some(png),
        Err(e) => {
            warnings.push(format!("评估报告已生成，但其中的图表未生成：{e}"));
            None
        }
    };
    let bytes =
        docx::write(schema, a, &ctx, &blocks, chart.as_deref()).map_err(ReportError::Docx)?;
    Ok(Report { bytes, warnings })
}
