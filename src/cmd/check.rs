//! `check PATH…`: read returns, validate them, print diagnostics per file.

use super::{table, Failure, Outcome, OutputFormat, Stopwatch};
use crate::inputs;
use crate::period::Period;
use crate::read::Limits;
use crate::schema::Schema;
use crate::validate::{check_all, Checked, Diagnostic, ReturnStatus, Severity};
use std::fmt::Write as _;
use std::io::IsTerminal;
use std::path::PathBuf;

#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// 填报表文件或文件夹（文件夹会递归读取）
    #[arg(required = true, value_name = "文件或文件夹")]
    pub paths: Vec<PathBuf>,
    /// 报告期，如 2026Q3；不填则取多数填报表所填的报告期
    #[arg(long, value_name = "报告期")]
    pub period: Option<Period>,
    /// 输出格式：human（中文摘要）或 json（供程序读取）
    #[arg(long, value_enum, default_value = "human", value_name = "格式")]
    pub format: OutputFormat,
    /// 并行读取的线程数（默认为处理器核数）
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    #[command(flatten)]
    pub limits: super::LimitArgs,
}

pub fn run(schema: &Schema, args: &Args, clock: &mut Stopwatch) -> Result<Outcome, Failure> {
    let threads = args.threads.unwrap_or_else(default_threads);
    let checked = check(
        schema,
        &args.paths,
        args.period,
        &args.limits.limits(),
        threads,
    )?;
    clock.lap("读取校验");
    match args.format {
        OutputFormat::Json => super::json::print(&super::json::document(
            &checked,
            super::json::found_rows(&checked, schema),
        ))?,
        OutputFormat::Human => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            // Flushed here, not on drop, where a closed pipe would go unseen.
            print_human(&checked, &mut out)
                .and_then(|_| std::io::Write::flush(&mut out))
                .map_err(Failure::output)?
        }
    }
    clock.lap("输出");
    clock.report();
    Ok(Outcome::of(&checked))
}

/// The shared front half of `check` and `build`.
pub fn check(
    schema: &Schema,
    paths: &[PathBuf],
    period: Option<Period>,
    limits: &Limits,
    threads: usize,
) -> Result<Checked, Failure> {
    let inputs = inputs::collect(paths)?;
    let mut checked = check_all(&inputs, period, schema, limits, threads, &progress_bar);
    // Only a folder is a period's returns: files named one by one say nothing of the units
    // they leave out, and one of another period gets its own period-other on its cell.
    let folder = paths.iter().any(|p| p.is_dir());
    if !folder {
        checked.files_only();
    }
    match period
        .filter(|_| folder)
        .and_then(|p| checked.wrong_period(p))
    {
        Some(wrong) => Err(wrong.into()),
        None => Ok(checked),
    }
}

/// The progress bar on a terminal for runs of eight files or more, redrawn at most five times a
/// second: 20,000 files once wrote 2 MB of bars.
pub fn progress_bar(done: usize, total: usize) {
    use std::sync::atomic::{AtomicU64, Ordering};
    static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    static DRAWN_AT: AtomicU64 = AtomicU64::new(0);
    if total < 8 || !std::io::stderr().is_terminal() {
        return;
    }
    let now = START
        .get_or_init(std::time::Instant::now)
        .elapsed()
        .as_millis() as u64;
    if done != total && now < DRAWN_AT.load(Ordering::Relaxed) + 200 {
        return;
    }
    DRAWN_AT.store(now, Ordering::Relaxed);
    let width = 30;
    let filled = done * width / total.max(1);
    eprint!(
        "\r读取填报表 [{}{}] {done}/{total}",
        "█".repeat(filled),
        "·".repeat(width - filled)
    );
    if done == total {
        eprintln!();
    }
}

pub fn default_threads() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
}

/// The table of every file: unit, result, counts of findings and rows.
fn summary(c: &Checked) -> String {
    let mut rows = vec![vec![
        "文件".to_string(),
        "单位".into(),
        "结果".into(),
        "错误".into(),
        "提示".into(),
        "读取行".into(),
        "汇总行".into(),
        "退回行".into(),
    ]];
    for r in &c.returns {
        let name = r
            .file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        rows.push(vec![
            name,
            r.unit.clone().unwrap_or_else(|| "—".into()),
            r.result_label().into(),
            r.count(Severity::Error).to_string(),
            r.count(Severity::Warning).to_string(),
            r.rows.read.to_string(),
            r.rows.consolidated.to_string(),
            // What goes back to the unit: every row of a rejected return, its bad rows too.
            if r.status() == ReturnStatus::Rejected {
                r.rows.read.saturating_sub(r.rows.consolidated)
            } else {
                r.rows.held
            }
            .to_string(),
        ]);
    }
    format!("\n汇总：\n{}", table(&rows))
}

/// The closing lines: how many passed, were rejected, superseded or not read, who sent
/// nothing, and what to do next.
fn closing(c: &Checked) -> String {
    let count = |s: ReturnStatus| c.returns.iter().filter(|r| r.status() == s).count();
    let rejected = count(ReturnStatus::Rejected);
    let superseded = count(ReturnStatus::Superseded);
    // Files that are not spreadsheets were reported above; they are not returns.
    let skipped = c
        .returns
        .iter()
        .filter(|r| r.result_label() == "未读取")
        .count();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\n通过 {} 份，退回修改 {} 份{}{}；未报送单位：{}",
        c.returns.len() - rejected - skipped - superseded,
        rejected,
        if superseded > 0 {
            format!("，{superseded} 份已被修改稿取代")
        } else {
            String::new()
        },
        if skipped > 0 {
            format!("，另有 {skipped} 个文件未读取")
        } else {
            String::new()
        },
        if !c.units_counted {
            "（只检查了所列的文件，不统计；检查本期的整个文件夹才列出未报送的单位）".to_string()
        } else if c.missing_units.is_empty() {
            "无".to_string()
        } else {
            c.missing_units.join("、")
        }
    );
    if rejected > 0 {
        let _ = writeln!(
            out,
            "下一步：按上面每条“错误”改正后，请填报单位重新报送；“提示”只需核实。"
        );
    }
    out
}

/// Writes the human report to `w` as it goes: at province scale the whole text would be tens of
/// megabytes held at once. Control characters from values and file names are shown escaped,
/// never sent to the terminal as they are.
pub fn print_human(c: &Checked, w: &mut impl std::io::Write) -> std::io::Result<()> {
    let mut out = String::new();
    let period = c
        .period
        .map(|p| format!("{p}（{}）", p.chinese()))
        .unwrap_or_else(|| "（无法确定）".into());
    let _ = writeln!(out, "报告期：{period}，共读取 {} 个文件\n", c.returns.len());
    for r in &c.returns {
        if out.len() > 1 << 16 {
            w.write_all(crate::text::printable(&out).as_bytes())?;
            out.clear();
        }
        let _ = writeln!(
            out,
            "■ {}  {}  {}",
            r.path_text(),
            r.unit.as_deref().unwrap_or("（单位未识别）"),
            r.result_label()
        );
        for d in &r.diagnostics {
            let _ = writeln!(
                out,
                "    {} [{}] {}{}  {}",
                d.severity.label(),
                d.code.id(),
                d.location(),
                d.value
                    .as_ref()
                    .map(|v| format!(" “{v}”"))
                    .unwrap_or_default(),
                d.advice()
            );
        }
    }
    // 未报送 is listed once in the closing line, not once per unit here.
    let global: Vec<&Diagnostic> = c
        .diagnostics
        .iter()
        .filter(|d| d.code != crate::validate::Code::UnitNotReturned)
        .collect();
    if !global.is_empty() {
        let _ = writeln!(out, "\n■ 全局");
        for d in global {
            let _ = writeln!(
                out,
                "    {} [{}] {}",
                d.severity.label(),
                d.code.id(),
                d.message
            );
        }
    }
    out.push_str(&summary(c));
    out.push_str(&closing(c));
    w.write_all(crate::text::printable(&out).as_bytes())
}
