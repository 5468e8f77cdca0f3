//! Command-line definitions: one variant per verb.

use crate::cmd::Format;
use crate::period::Period;
use crate::read::{Limits, MB};
use clap::{Arg, ArgAction, Args, CommandFactory, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "eco-returns",
    version,
    about = "土默特左旗国家生态文明建设示范旗：指标季度填报的模板、校验、汇总与评估报告",
    disable_help_subcommand = true
)]
pub struct Cli {
    /// 使用此文件夹中的指标体系文件（schema.toml 等五个文件），代替内置指标体系
    #[arg(long, global = true, value_name = "文件夹")]
    pub schema: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// 检查指标体系文件，并列出其中的指标、工程和填报单位
    Schema {
        /// 输出格式：human（中文摘要）或 json
        #[arg(long, value_enum, default_value = "human", value_name = "格式")]
        format: Format,
    },
    /// 生成各单位本期的空白填报表（每个报送单位一份）
    Template {
        /// 报告期，如 2026Q3
        #[arg(long, value_name = "报告期")]
        period: Period,
        /// 输出文件夹
        #[arg(long, value_name = "文件夹")]
        out: PathBuf,
        /// 只生成这一个单位的填报表
        #[arg(long, value_name = "单位")]
        department: Option<String>,
        /// 填报说明中写的联系人和电话
        #[arg(long, default_value = crate::write::form::CONTACT, value_name = "联系人")]
        contact: String,
    },
    /// 汇总一个报告期的填报表：生成汇总表、评估报告和退回修改的文件
    Build {
        /// 存放本期填报表的文件夹
        #[arg(value_name = "文件夹")]
        dir: PathBuf,
        /// 报告期，如 2026Q3
        #[arg(long, value_name = "报告期")]
        period: Period,
        /// 输出文件夹（默认 out/<报告期>/）
        #[arg(long, value_name = "文件夹")]
        out: Option<PathBuf>,
        /// 上期的汇总表.xlsx（本工具生成的），用于计算较上期变化
        #[arg(long, value_name = "汇总表.xlsx")]
        previous: Option<PathBuf>,
        /// 存放往期汇总表的文件夹（任意层级）：生成“趋势”工作表和评估报告的趋势分析
        #[arg(long, value_name = "文件夹")]
        history: Option<PathBuf>,
        /// 输出格式：human（中文摘要）或 json（供程序读取）
        #[arg(long, value_enum, default_value = "human", value_name = "格式")]
        format: Format,
        /// 并行读取的线程数（默认为处理器核数）
        #[arg(long, value_name = "N")]
        threads: Option<usize>,
        /// 评估报告图表所用的中文字体文件（不指定则在系统常见位置查找）
        #[arg(long, value_name = "字体文件")]
        font: Option<PathBuf>,
        /// 评估报告的成文日期，如 2026-10-15（不指定则取季度结束后的第一个工作日）
        #[arg(long, value_name = "日期")]
        date: Option<crate::office::Day>,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// 生成（或重新生成）各单位和办公室的填报门户链接
    Links {
        /// 门户的数据文件夹（与 serve 的 --data 相同）
        #[arg(long, value_name = "文件夹")]
        data: PathBuf,
        /// 链接的开头：门户在内网上的地址
        #[arg(long, default_value = "http://127.0.0.1:8080", value_name = "网址")]
        base: String,
        /// 重新生成这个单位的链接（旧链接随即失效）；办公室的链接写 office
        #[arg(long, value_name = "单位")]
        rotate: Option<String>,
        /// 输出格式：human（中文）或 json
        #[arg(long, value_enum, default_value = "human", value_name = "格式")]
        format: Format,
    },
    /// 启动填报门户：各单位通过自己的链接上传填报表并立即看到检查结果
    Serve {
        /// 门户的数据文件夹：其中的 <报告期>/ 子文件夹就是 build 读取的本期填报表
        #[arg(long, value_name = "文件夹")]
        data: PathBuf,
        /// 报告期，如 2026Q3
        #[arg(long, value_name = "报告期")]
        period: Period,
        /// 监听地址：默认只有本机能访问；放到内网上时写本机内网地址，如 0.0.0.0:8080
        #[arg(long, default_value = "127.0.0.1:8080", value_name = "地址")]
        listen: std::net::SocketAddr,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// 读取并校验填报表，逐个文件列出问题（文件、工作表、单元格和修改办法）
    Check {
        /// 填报表文件或文件夹（文件夹会递归读取）
        #[arg(required = true, value_name = "文件或文件夹")]
        paths: Vec<PathBuf>,
        /// 报告期，如 2026Q3；不填则取多数填报表所填的报告期
        #[arg(long, value_name = "报告期")]
        period: Option<Period>,
        /// 输出格式：human（中文摘要）或 json（供程序读取）
        #[arg(long, value_enum, default_value = "human", value_name = "格式")]
        format: Format,
        /// 并行读取的线程数（默认为处理器核数）
        #[arg(long, value_name = "N")]
        threads: Option<usize>,
        #[command(flatten)]
        limits: LimitArgs,
    },
}

/// Bounds on what one input may cost (每项都有默认值，一般不需要改).
#[derive(Debug, Clone, Args)]
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

/// The verbs, as typed.
pub const VERBS: [&str; 6] = ["template", "check", "build", "schema", "links", "serve"];

/// The command line with its help in Chinese: clap writes "Usage", "Options" and "Print help"
/// by itself, so every command gets a Chinese template, headings and help flags.
pub fn command() -> clap::Command {
    let top = localize(Cli::command()).disable_version_flag(true).arg(
        Arg::new("version")
            .short('V')
            .long("version")
            .action(ArgAction::Version)
            .help("显示版本"),
    );
    with_usage(top)
}

fn localize(cmd: clap::Command) -> clap::Command {
    // clap writes its section headings with an ASCII colon ("选项:"); the sections are laid out
    // here instead, with the full-width colon the rest of the text uses.
    let mut template = String::from("{about-with-newline}\n用法：{usage}\n");
    if cmd.has_subcommands() {
        template.push_str("\n命令：\n{subcommands}\n");
    }
    if cmd.get_positionals().next().is_some() {
        template.push_str("\n参数：\n{positionals}\n");
    }
    template.push_str("\n选项：\n{options}{after-help}");
    cmd.help_template(template)
        .subcommand_value_name("命令")
        .disable_help_flag(true)
        .mut_args(|a| {
            // clap writes "[default: …]" and "[possible values: …]"; the help says it instead.
            let default: Vec<String> = a
                .get_default_values()
                .iter()
                .map(|v| v.to_string_lossy().into_owned())
                .collect();
            let help = a.get_help().map(|h| h.to_string()).unwrap_or_default();
            let help = match default.first() {
                Some(d) => format!("{help}（默认：{d}）"),
                None => help,
            };
            a.help(help)
                .hide_default_value(true)
                .hide_possible_values(true)
        })
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("显示帮助"),
        )
        .mut_subcommands(localize)
}

/// Usage lines with Chinese placeholders, for the command and each subcommand.
fn with_usage(cmd: clap::Command) -> clap::Command {
    usage_under(cmd, "")
}

fn usage_under(mut cmd: clap::Command, parent: &str) -> clap::Command {
    let usage = format!(
        "{parent}{}",
        cmd.render_usage()
            .to_string()
            .trim_start_matches("Usage:")
            .trim()
            .replace("[OPTIONS]", "[选项]")
            .replace("<COMMAND>", "<命令>")
    );
    cmd = cmd.override_usage(usage);
    let prefix = format!("{parent}{} ", cmd.get_name());
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in names {
        cmd = cmd.mut_subcommand(name, |s| usage_under(s, &prefix));
    }
    cmd
}
