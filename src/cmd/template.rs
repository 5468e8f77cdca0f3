//! `template --period P --out DIR [--department U]`: the blank forms, one per reporting unit.

use super::{Failure, Outcome};
use crate::period::Period;
use crate::schema::Schema;
use crate::write::{atomic, form};
use std::path::{Path, PathBuf};

pub struct Args {
    pub period: Period,
    pub out: PathBuf,
    pub department: Option<String>,
    pub contact: String,
}

pub fn run(schema: &Schema, args: &Args) -> Result<Outcome, Failure> {
    let units: Vec<String> = match &args.department {
        Some(d) => {
            let unit = schema
                .unit_named(d)
                .filter(|u| schema.reporting_units().iter().any(|r| r.name == u.name))
                .ok_or_else(|| {
                    let names: Vec<&str> = schema
                        .reporting_units()
                        .iter()
                        .map(|u| u.name.as_str())
                        .collect();
                    format!("错误：单位“{d}”不在单位名单中，可选：{}", names.join("、"))
                })?;
            vec![unit.name.clone()]
        }
        None => schema
            .reporting_units()
            .iter()
            .map(|u| u.name.clone())
            .collect(),
    };
    std::fs::create_dir_all(&args.out)
        .map_err(|e| format!("错误：无法创建输出文件夹 {}：{e}", args.out.display()))?;
    for unit in &units {
        let bytes = form::write(schema, unit, args.period, &args.contact)
            .map_err(|e| format!("错误：生成{unit}的填报表失败：{e}"))?;
        let path = args.out.join(form::file_name(unit, args.period));
        atomic(&path, &bytes).map_err(|e| format!("错误：{e}"))?;
        eprintln!("已生成 {}", display(&path));
    }
    eprintln!(
        "共生成 {} 份填报表（{}），可直接发给各单位填写。",
        units.len(),
        args.period.chinese()
    );
    Ok(Outcome::Clean)
}

fn display(p: &Path) -> String {
    p.display().to_string()
}
