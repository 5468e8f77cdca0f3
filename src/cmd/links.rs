//! `links --data DIR [--base URL] [--rotate UNIT] [--period P] [--out DIR] [--format human|json]`:
//! one secret link per reporting unit and one for the office, made on first use and kept hashed
//! under DIR. A link can be shown only when it is made — so that is when the handout is written:
//! 链接分发表.xlsx and one 通知 .docx per unit with its link's QR code. A lost link is replaced
//! with `--rotate`.

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
    /// 报告期，如 2026Q3：通知中写上门户为该期设置的截止时间
    #[arg(long, value_name = "报告期")]
    pub period: Option<crate::period::Period>,
    /// 链接分发表和各单位通知的输出文件夹（默认 <数据文件夹>/链接分发/<生成时间>/）
    #[arg(long, value_name = "文件夹")]
    pub out: Option<PathBuf>,
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

pub fn run(
    schema: &Schema,
    args: &Args,
    template_dir: Option<&std::path::Path>,
) -> Result<Outcome, Failure> {
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
    // The links are shown before the handout is written: a handout that fails (a folder in
    // the way, the office settings wrong) must not take the only sight of new secrets.
    match args.format {
        OutputFormat::Json => super::json::print(&lines)?,
        OutputFormat::Human => print_human(&lines, &args.data).map_err(Failure::output)?,
    }
    if issued.is_empty() {
        return Ok(Outcome::Clean);
    }
    let handout = crate::office::Office::load(template_dir)
        .map_err(|e| e.to_string())
        .map_err(Failure::from)
        .and_then(|office| write_handout(schema, &office, args, &lines));
    match handout {
        Ok(dir) => {
            if args.format == OutputFormat::Human {
                println!(
                    "链接分发表（{HANDOUT_TABLE}）和各单位的通知（含二维码）已写入 {}（只有本机当前用户可读）。这些文件里的链接就是各单位的密码：打印或发出后，请删除或妥善保管。办公室的链接只显示在上面，不写入分发表。",
                    dir.display()
                );
            }
            Ok(Outcome::Clean)
        }
        Err(e) => Err(Failure::Refused(format!(
            "链接已生成并显示在上面（请当场保存），但分发表和通知未能写出：{e}。可换一个 --out 文件夹，用 --rotate 重新生成需要通知的单位的链接"
        ))),
    }
}

/// 链接分发表.xlsx and a 通知 per unit whose link was made now, in `--out` (or a new folder
/// under the data folder named by the time), written whole or not at all; the records' log
/// notes which links were made (never the secrets).
fn write_handout(
    schema: &Schema,
    office: &crate::office::Office,
    args: &Args,
    lines: &[Line],
) -> Result<PathBuf, Failure> {
    use crate::portal::db::{Action, Db};
    let today = crate::office::Day::today();
    let made = crate::portal::store::now_text();
    let db = Db::open(&args.data)?;
    let period = args.period.map(|p| p.to_string()).unwrap_or_default();
    let deadline = args
        .period
        .and_then(|p| db.period_state(&p.to_string()).deadline)
        .map(|d| crate::portal::workflow::deadline_words(&d));
    // Not under the data folder: its backups must not carry the secrets.
    let out = args.out.clone().unwrap_or_else(|| {
        PathBuf::from("链接分发").join(made.replace([':', '-'], "").replace(' ', "-"))
    });
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut rows = Vec::new();
    for l in lines {
        let Some(url) = &l.url else { continue };
        // The office's own link opens every unit and the review: never on a handout.
        if let Some(unit) = &l.unit {
            rows.push(vec![unit.clone(), url.clone(), today.chinese()]);
            let docx = crate::write::report::notice::link_notice(
                office,
                &schema.meta.county,
                unit,
                url,
                deadline.as_deref(),
                today,
            )
            .map_err(|e| e.to_string())?;
            files.push((format!("通知_{unit}.docx"), docx));
        }
    }
    let table = crate::write::ledger::write(&crate::write::ledger::Ledger {
        title: &format!(
            "{}指标填报门户链接分发表（{}生成）",
            schema.meta.county,
            today.chinese()
        ),
        sheet: "链接分发表",
        columns: &[
            ("单位", 24.0),
            ("链接（即该单位的密码，请单独交付）", 90.0),
            ("生成日期", 16.0),
        ],
        rows,
    })
    .map_err(|e| e.to_string())?;
    files.insert(0, (HANDOUT_TABLE.to_string(), table));
    let staging = crate::write::output::Staging::begin(&out, &[]).map_err(|e| e.to_string())?;
    for (name, bytes) in &files {
        staging.write(name, bytes).map_err(|e| e.to_string())?;
    }
    staging.commit().map_err(|e| e.to_string())?;
    owner_only(&out);
    let units: Vec<String> = lines
        .iter()
        .filter(|l| l.url.is_some())
        .map(|l| l.unit.clone().unwrap_or_else(|| OFFICE_NAME.to_string()))
        .collect();
    db.log(Action {
        period: &period,
        actor: "命令行",
        action: if args.rotate.is_some() {
            "更换链接"
        } else {
            "生成链接"
        },
        detail: format!(
            "为{}生成新链接（旧链接随即失效），分发表和通知已写入",
            units.join("、")
        ),
        ..Action::default()
    })?;
    Ok(out)
}

pub const HANDOUT_TABLE: &str = "链接分发表.xlsx";

/// The handout holds secrets: readable by its owner only (where the system has such modes).
#[cfg(unix)]
fn owner_only(dir: &std::path::Path) {
    use std::os::unix::fs::PermissionsExt;
    let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700));
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let _ = std::fs::set_permissions(e.path(), std::fs::Permissions::from_mode(0o600));
    }
}

#[cfg(not(unix))]
fn owner_only(_: &std::path::Path) {}
const OFFICE_NAME: &str = "生态环境分局（办公室）";

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
