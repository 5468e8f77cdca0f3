//! `template --period P --out DIR [--department U]`: the blank forms, one per reporting unit.

use super::{Failure, Outcome};
use crate::period::Period;
use crate::schema::Schema;
use crate::write::form;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// 报告期，如 2026Q3
    #[arg(long, value_name = "报告期")]
    pub period: Period,
    /// 输出文件夹
    #[arg(long, value_name = "文件夹")]
    pub out: PathBuf,
    /// 只生成这一个单位的填报表
    #[arg(long, value_name = "单位")]
    pub department: Option<String>,
    /// 填报说明中写的联系人和电话
    #[arg(long, default_value = crate::write::form::CONTACT, value_name = "联系人")]
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
                    format!("单位“{d}”不在单位名单中，可选：{}", names.join("、"))
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
        .map_err(|e| format!("无法创建输出文件夹 {}：{e}", args.out.display()))?;
    // The set is staged: every form is written to a temporary name first and only then are
    // they all renamed into place, so a full disk leaves no part of a set (renames need no
    // space). Other files in the folder are left alone.
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
    let discard = |staged: &[(PathBuf, PathBuf)]| {
        for (tmp, _) in staged {
            let _ = std::fs::remove_file(tmp);
        }
    };
    for unit in &units {
        let written = form::write(schema, unit, args.period, &args.contact)
            .map_err(|e| format!("生成{unit}的填报表失败：{e}"))
            .and_then(|bytes| {
                let path = args.out.join(form::file_name(unit, args.period));
                let tmp = staging_name(&path);
                std::fs::write(&tmp, &bytes)
                    .map(|_| (tmp.clone(), path))
                    .map_err(|e| {
                        let _ = std::fs::remove_file(&tmp);
                        format!("无法写入 {}：{e}（没有生成任何填报表）", display(&args.out))
                    })
            });
        match written {
            Ok(pair) => staged.push(pair),
            Err(e) => {
                discard(&staged);
                return Err(e.into());
            }
        }
    }
    for (i, (tmp, path)) in staged.iter().enumerate() {
        if let Err(e) = std::fs::rename(tmp, path) {
            discard(staged.get(i..).unwrap_or_default());
            return Err(format!("无法写入 {}：{e}", display(path)).into());
        }
        eprintln!("已生成 {}", display(path));
    }
    eprintln!(
        "共生成 {} 份填报表（{}），可直接发给各单位填写。",
        units.len(),
        args.period.chinese()
    );
    Ok(Outcome::Clean)
}

/// A hidden temporary name beside `path` that no reader takes for a form.
fn staging_name(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.{}.tmp", std::process::id()))
}

fn display(p: &Path) -> String {
    p.display().to_string()
}
