//! `links --data DIR [--base URL] [--rotate UNIT] [--format human|json]`: one secret link per
//! reporting unit and one for the office, made on first use and kept hashed under DIR. A link
//! can be shown only when it is made: a lost one is replaced with `--rotate`.

use super::{Failure, Outcome, OutputFormat};
use crate::portal::links::{self, Issued, Links, Role};
use crate::schema::Schema;
use serde::Serialize;
use std::path::PathBuf;

#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// 门户的数据文件夹（与 serve 的 --data 相同）
    #[arg(long, value_name = "文件夹")]
    pub data: PathBuf,
    /// 链接的开头：门户在内网上的地址
    #[arg(long, default_value = "http://127.0.0.1:8080", value_name = "网址")]
    pub base: String,
    /// 重新生成这个单位的链接（旧链接随即失效）；办公室的链接写 office
    #[arg(long, value_name = "单位")]
    pub rotate: Option<String>,
    /// 输出格式：human（中文）或 json
    #[arg(long, value_enum, default_value = "human", value_name = "格式")]
    pub format: OutputFormat,
}

/// The name `--rotate` takes for the office's link.
pub const OFFICE: &str = "office";

#[derive(Serialize)]
struct Line {
    role: &'static str,
    unit: Option<String>,
    /// The link, when it was made in this run; `null` for one made before (kept hashed only).
    url: Option<String>,
}

pub fn run(schema: &Schema, args: &Args) -> Result<Outcome, Failure> {
    let mut store = Links::load(&args.data)?;
    let units: Vec<String> = schema
        .reporting_units()
        .iter()
        .map(|u| u.name.clone())
        .collect();
    let mut issued = store.ensure(&units)?;
    if let Some(name) = &args.rotate {
        let role = if name == OFFICE || name == "办公室" {
            Role::Office
        } else {
            let unit = schema
                .unit_named(name)
                .filter(|u| units.contains(&u.name))
                .ok_or_else(|| {
                    format!(
                        "单位“{name}”不在单位名单中；办公室的链接用 --rotate {OFFICE}。可选：{}",
                        units.join("、")
                    )
                })?;
            Role::Unit(unit.name.clone())
        };
        issued.retain(|i| i.role != role);
        issued.push(store.rotate(role)?);
    }
    store.save()?;
    let lines: Vec<Line> = std::iter::once(Role::Office)
        .chain(units.iter().cloned().map(Role::Unit))
        .map(|role| line(&role, issued.iter().find(|i| i.role == role), &args.base))
        .collect();
    match args.format {
        OutputFormat::Json => super::json::print(&lines)?,
        OutputFormat::Human => print_human(&lines, &args.data).map_err(Failure::output)?,
    }
    Ok(Outcome::Clean)
}

fn line(role: &Role, issued: Option<&Issued>, base: &str) -> Line {
    let url = issued.map(|i| links::url(base, i));
    match role {
        Role::Office => Line {
            role: "office",
            unit: None,
            url,
        },
        Role::Unit(u) => Line {
            role: "unit",
            unit: Some(u.clone()),
            url,
        },
    }
}

fn print_human(lines: &[Line], data: &std::path::Path) -> std::io::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let made = lines.iter().filter(|l| l.url.is_some()).count();
    writeln!(
        out,
        "链接保存在 {}（只存散列值）。新生成 {made} 个链接，请分别发给对应单位，只显示这一次：",
        links::file(data).display()
    )?;
    for l in lines {
        let who = l
            .unit
            .as_deref()
            .unwrap_or("生态环境分局（办公室，可看全部单位并汇总）");
        match &l.url {
            Some(u) => writeln!(out, "  {who}：{u}")?,
            None => writeln!(
                out,
                "  {who}：已生成（遗失时用 --rotate 重新生成，旧链接随即失效）"
            )?,
        }
    }
    out.flush()
}
