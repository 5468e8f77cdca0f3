//! The verbs of the command line, one module each. A verb returns an [`Outcome`]; `main`
//! turns it into the exit code.

pub mod build;
pub mod check;
pub mod json;
pub mod links;
pub mod schema;
pub mod serve;
pub mod template;

pub use crate::timing::Stopwatch;

use crate::read::{Limits, MB};
use std::fmt::Write as _;

/// How a verb's run ended, as far as the data is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing rejected (exit 0).
    Clean,
    /// At least one return rejected (exit 1).
    Rejected,
}

impl Outcome {
    /// Rejected when any return is.
    pub fn of(checked: &crate::validate::Checked) -> Outcome {
        if checked.any_rejected() {
            Outcome::Rejected
        } else {
            Outcome::Clean
        }
    }
}

/// How a verb failed: what went wrong, typed, so that the message and the exit status are
/// decided in one place ([`Failure::code`], and `main`, which writes "错误：" once).
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// Whoever read stdout stopped (`eco-returns check … | head -1`): a normal end (exit 0),
    /// as in ripgrep and xsv, not an error.
    #[error("输出已被关闭")]
    ClosedPipe,
    /// The schema files (their lint findings listed under the count).
    #[error("{}", schema_message(.0))]
    Schema(#[from] crate::schema::SchemaError),
    /// A path named on the command line.
    #[error(transparent)]
    Inputs(#[from] crate::inputs::InputError),
    #[error(transparent)]
    WrongPeriod(#[from] crate::validate::WrongPeriod),
    #[error(transparent)]
    Build(#[from] crate::build::BuildError),
    #[error(transparent)]
    Portal(#[from] crate::portal::PortalError),
    /// Writing to stdout.
    #[error("无法输出：{0}")]
    Output(std::io::Error),
    #[error("无法输出 JSON：{0}")]
    Json(serde_json::Error),
    /// What a verb refuses to do, with the reason and what to type instead (an unknown unit,
    /// a folder that cannot be written).
    #[error("{0}")]
    Refused(String),
    /// The command line itself: an unknown verb or option, a missing or invalid value.
    #[error("{0}")]
    Usage(String),
}

impl From<String> for Failure {
    fn from(message: String) -> Failure {
        Failure::Refused(message)
    }
}

fn schema_message(e: &crate::schema::SchemaError) -> String {
    match e {
        crate::schema::SchemaError::Lint(findings) => {
            let mut s = e.to_string();
            for f in findings {
                s.push_str(&format!("\n  {f}"));
            }
            s
        }
        other => other.to_string(),
    }
}

impl Failure {
    /// The exit status: 0 for a closed pipe, 2 for everything else (1 is a rejected return,
    /// an [`Outcome`], not a failure).
    pub fn code(&self) -> u8 {
        match self {
            Failure::ClosedPipe => 0,
            _ => 2,
        }
    }

    /// An error writing the output to stdout.
    pub fn output(e: std::io::Error) -> Failure {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            Failure::ClosedPipe
        } else {
            Failure::Output(e)
        }
    }

    /// An error serialising JSON to stdout.
    pub fn json(e: serde_json::Error) -> Failure {
        match e.io_error_kind() {
            Some(std::io::ErrorKind::BrokenPipe) => Failure::ClosedPipe,
            _ => Failure::Json(e),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    Human,
    Json,
}

/// Pads `s` with spaces to `width` display columns (a CJK character is two).
pub fn pad(s: &str, width: usize) -> String {
    let mut out = s.to_string();
    let w = crate::text::display_width(s);
    for _ in w..width {
        out.push(' ');
    }
    out
}

/// Lays out rows as aligned columns for the terminal.
pub fn table(rows: &[Vec<String>]) -> String {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..cols)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| crate::text::display_width(s))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for r in rows {
        let line: Vec<String> = r
            .iter()
            .enumerate()
            .map(|(i, s)| pad(s, widths.get(i).copied().unwrap_or(0)))
            .collect();
        let _ = writeln!(out, "  {}", line.join("  ").trim_end());
    }
    out
}

/// Bounds on what one input may cost (每项都有默认值，一般不需要改).
#[derive(Debug, Clone, clap::Args)]
pub struct LimitArgs {
    /// 单个文件大小上限（MB）
    #[arg(long, default_value_t = Limits::DEFAULT.max_file_bytes / MB, value_name = "MB")]
    pub max_file_mb: u64,
    /// 压缩包内单个条目解压后的大小上限（MB）
    #[arg(long, default_value_t = Limits::DEFAULT.max_entry_bytes / MB, value_name = "MB")]
    pub max_entry_mb: u64,
    /// 压缩包全部条目解压后的大小上限（MB）
    #[arg(long, default_value_t = Limits::DEFAULT.max_inflated_bytes / MB, value_name = "MB")]
    pub max_inflated_mb: u64,
    /// 单个条目的解压比上限（超过 1 MB 的条目）
    #[arg(long, default_value_t = Limits::DEFAULT.max_ratio, value_name = "N")]
    pub max_ratio: u64,
    /// 单个工作表读取的非空单元格数上限
    #[arg(long, default_value_t = Limits::DEFAULT.max_cells, value_name = "N")]
    pub max_cells: usize,
    /// 指标表最后一个指标行之后继续扫描的行数上限（其后内容归入一条提示）
    #[arg(long, default_value_t = Limits::DEFAULT.max_rows_after_table, value_name = "N")]
    pub max_rows_after_table: u32,
}

impl LimitArgs {
    pub fn limits(&self) -> Limits {
        Limits {
            max_file_bytes: self.max_file_mb.saturating_mul(MB),
            max_entry_bytes: self.max_entry_mb.saturating_mul(MB),
            max_inflated_bytes: self.max_inflated_mb.saturating_mul(MB),
            max_ratio: self.max_ratio,
            max_cells: self.max_cells,
            max_rows_after_table: self.max_rows_after_table,
        }
    }
}
