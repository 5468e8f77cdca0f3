//! `build DIR --period P`: the pipeline of [`crate::build`], then what it found, on the
//! terminal or as JSON.

use super::{check, Failure, Outcome, OutputFormat};
use crate::assess::{self, Assessment};
use crate::build::{build, Built, Written};
use crate::schema::Schema;
use crate::timing::Stopwatch;
use crate::validate::Checked;
use std::fmt::Write as _;
use std::io::Write as _;

pub use crate::build::{REPORT_FILE, RETURNED_DIR, SUMMARY_FILE};

#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// 存放本期填报表的文件夹
    #[arg(value_name = "文件夹")]
    pub dir: std::path::PathBuf,
    /// 报告期，如 2026Q3
    #[arg(long, value_name = "报告期")]
    pub period: crate::period::Period,
    /// 输出文件夹（默认 out/<报告期>/）
    #[arg(long, value_name = "文件夹")]
    pub out: Option<std::path::PathBuf>,
    /// 上期的汇总表.xlsx（本工具生成的），用于计算较上期变化
    #[arg(long, value_name = "汇总表.xlsx")]
    pub previous: Option<std::path::PathBuf>,
    /// 存放往期汇总表的文件夹（任意层级）：生成“趋势”工作表和评估报告的趋势分析
    #[arg(long, value_name = "文件夹")]
    pub history: Option<std::path::PathBuf>,
    /// 输出格式：human（中文摘要）或 json（供程序读取）
    #[arg(long, value_enum, default_value = "human", value_name = "格式")]
    pub format: OutputFormat,
    /// 并行读取的线程数（默认为处理器核数）
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// 评估报告图表所用的中文字体文件（不指定则在系统常见位置查找）
    #[arg(long, value_name = "字体文件")]
    pub font: Option<std::path::PathBuf>,
    /// 评估报告的成文日期，如 2026-10-15（不指定则取季度结束后的第一个工作日）
    #[arg(long, value_name = "日期")]
    pub date: Option<crate::office::Day>,
    #[command(flatten)]
    pub limits: super::LimitArgs,
}

impl Args {
    /// What the pipeline takes; `template_dir` is the `--schema` folder (a report.j2 and an
    /// office.toml there replace the built-in ones).
    pub fn pipeline(&self, template_dir: Option<&std::path::Path>) -> crate::build::Args {
        crate::build::Args {
            dir: self.dir.clone(),
            period: self.period,
            out: self.out.clone(),
            previous: self.previous.clone(),
            history: self.history.clone(),
            limits: self.limits.limits(),
            threads: self.threads.unwrap_or_else(check::default_threads),
            font: self.font.clone(),
            template_dir: template_dir.map(std::path::Path::to_path_buf),
            date: self.date,
            lateness: None,
        }
    }
}

pub fn run(
    schema: &Schema,
    args: &Args,
    template_dir: Option<&std::path::Path>,
    clock: &mut Stopwatch,
) -> Result<Outcome, Failure> {
    if !args.dir.is_dir() {
        return Err(format!("文件夹不存在：{}", args.dir.display()).into());
    }
    let Built {
        checked,
        assessment,
        written,
    } = build(
        schema,
        &args.pipeline(template_dir),
        clock,
        &check::progress_bar,
    )?;
    for w in &written.warnings {
        // A closed stderr is no reason to stop (eprintln! would panic).
        let _ = writeln!(std::io::stderr(), "提示：{w}");
    }
    match args.format {
        OutputFormat::Json => json(&checked, &assessment, &written)?,
        OutputFormat::Human => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            check::print_human(&checked, &mut out)
                .and_then(|_| {
                    std::io::Write::write_all(
                        &mut out,
                        crate::text::printable(&human(&assessment, &written)).as_bytes(),
                    )
                })
                .and_then(|_| std::io::Write::flush(&mut out))
                .map_err(Failure::output)?;
        }
    }
    clock.lap("输出");
    clock.report();
    Ok(Outcome::of(&checked))
}

fn json(checked: &Checked, a: &Assessment, written: &Written) -> Result<(), Failure> {
    use super::json::{AssessmentView, IndicatorView, OutputsView};
    let indicators: Vec<IndicatorView> = a.rows.iter().map(IndicatorView::new).collect();
    let mut doc = super::json::document(checked, indicators);
    doc.assessment = Some(AssessmentView::new(a));
    let shown = |paths: &[std::path::PathBuf]| -> Vec<String> {
        paths.iter().map(|p| p.display().to_string()).collect()
    };
    doc.outputs = Some(OutputsView {
        dir: written.out.display().to_string(),
        files: shown(&written.files),
        returned: shown(&written.returned),
    });
    super::json::print(&doc)
}

fn human(a: &Assessment, written: &Written) -> String {
    let mut s = String::new();
    let binding = a.counts_of(crate::schema::Attribute::Binding);
    let _ = writeln!(
        s,
        "\n评估（{}，按{}项指标计）：",
        a.period.chinese(),
        a.all.total()
    );
    let _ = writeln!(s, "  {}", a.all.in_words());
    let _ = writeln!(
        s,
        "  约束性指标达标率 {}（{}/{}）：{}",
        binding.rate_text(),
        binding.met,
        binding.assessed(),
        a.verdict().sentence()
    );
    let unmet: Vec<String> = a
        .groups
        .iter()
        .filter(|g| g.status == assess::Status::Unmet)
        .map(|g| format!("{} {}", g.id, g.name))
        .collect();
    if !unmet.is_empty() {
        let _ = writeln!(s, "  未达标：{}", unmet.join("；"));
    }
    let _ = writeln!(s, "\n已写入 {}：", written.out.display());
    for f in &written.files {
        let _ = writeln!(s, "  {}", f.display());
    }
    if !written.returned.is_empty() {
        let _ = writeln!(
            s,
            "下一步：把“{RETURNED_DIR}”中的文件发回对应单位修改；改好后重新运行 build。"
        );
    }
    s
}
