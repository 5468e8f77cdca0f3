//! `schema`: lint the schema files and print what they define.

use super::{table, Failure, Outcome, OutputFormat};
use crate::schema::{lint_derive, Schema, Standard, UnitKind};
use std::fmt::Write as _;

#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// 输出格式：human（中文摘要）或 json
    #[arg(long, value_enum, default_value = "human", value_name = "格式")]
    pub format: OutputFormat,
}

pub fn run(schema: &Schema, args: &Args) -> Result<Outcome, Failure> {
    match args.format {
        OutputFormat::Json => super::json::print(&json(schema))?,
        OutputFormat::Human => {
            std::io::Write::write_all(&mut std::io::stdout().lock(), human(schema).as_bytes())
                .map_err(Failure::output)?
        }
    }
    Ok(Outcome::Clean)
}

pub fn json(schema: &Schema) -> serde_json::Value {
    serde_json::json!({
        "schema": {
            "county": schema.meta.county,
            "title": schema.meta.title,
            "version": schema.meta.version,
            "source": schema.meta.source,
            "origin": schema.origin,
            "domains": schema.meta.domains,
        },
        "indicators": schema.indicators(),
        "projects": schema.projects(),
        "units": schema.units(),
        "words": schema.words(),
        "declared": schema.declared,
        "derived": lint_derive(schema),
        "lint": schema.warnings,
    })
}

pub fn human(schema: &Schema) -> String {
    let d = lint_derive(schema);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "指标体系：{}（版本 {}，来源：{}）",
        schema.meta.title, schema.meta.version, schema.origin
    );
    let _ = writeln!(
        out,
        "指标 {} 项（{} 行）：约束性 {} 项，参考性 {} 项；2021年已达 {} 项，未达 {} 项（易达 {}，难达 {}）",
        d.indicators,
        schema.indicators().len(),
        d.binding,
        d.reference,
        d.met_2021,
        d.unmet_easy_2021 + d.unmet_hard_2021,
        d.unmet_easy_2021,
        d.unmet_hard_2021
    );
    let _ = writeln!(
        out,
        "重点工程 {} 项，总投资 {:.2} 万元（{:.2} 亿元）",
        d.projects,
        d.total_investment_wan,
        d.total_investment_wan / 10_000.0
    );
    let reporting = schema.reporting_units();
    let departments = reporting
        .iter()
        .filter(|u| u.kind == UnitKind::Department)
        .count();
    let _ = writeln!(
        out,
        "报送单位 {} 个：填报指标的部门 {} 个，只报工程进度的单位 {} 个",
        reporting.len(),
        departments,
        reporting.len() - departments
    );
    for domain in &schema.meta.domains {
        let _ = writeln!(out, "\n【{domain}】");
        let rows: Vec<Vec<String>> = schema
            .indicators()
            .iter()
            .filter(|i| &i.domain == domain)
            .map(|i| {
                vec![
                    i.id.clone(),
                    i.plan_full_name(),
                    i.attribute.label().to_string(),
                    match i.standard {
                        Standard::Qualitative => format!("定性：{}", i.met.join("/")),
                        _ => i.standard_label(),
                    },
                    i.measure_unit.clone().unwrap_or_else(|| "—".into()),
                    i.department.clone(),
                ]
            })
            .collect();
        out.push_str(&table(&rows));
    }
    let _ = writeln!(out, "\n【重点工程】");
    let rows: Vec<Vec<String>> = d
        .systems
        .iter()
        .map(|(name, n, sum)| vec![name.clone(), format!("{n} 项"), format!("{sum:.2} 万元")])
        .collect();
    out.push_str(&table(&rows));
    if schema.warnings.is_empty() {
        let _ = writeln!(out, "\n检查通过：规划写明的数字与条目一致。");
    } else {
        let _ = writeln!(
            out,
            "\n检查提示 {} 条（不影响使用，请核对规划原文）：",
            schema.warnings.len()
        );
        for w in &schema.warnings {
            let _ = writeln!(out, "  {w}");
        }
    }
    out
}
