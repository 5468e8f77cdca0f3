//! Command-line definitions: one variant per verb.

use clap::{Arg, ArgAction, CommandFactory, Parser, Subcommand};
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
    Schema(crate::cmd::schema::Args),
    /// 生成各单位本期的空白填报表（每个报送单位一份）
    Template(crate::cmd::template::Args),
    /// 汇总一个报告期的填报表：生成汇总表、评估报告和退回修改的文件
    Build(crate::cmd::build::Args),
    /// 生成（或重新生成）各单位和办公室的填报门户链接
    Links(crate::cmd::links::Args),
    /// 启动填报门户：各单位通过自己的链接上传填报表并立即看到检查结果
    Serve(crate::cmd::serve::Args),
    /// 读取并校验填报表，逐个文件列出问题（文件、工作表、单元格和修改办法）
    Check(crate::cmd::check::Args),
}

pub use crate::cmd::LimitArgs;

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

/// A usage error said in Chinese from what clap found (its own text is English), with the
/// spelling it suggests and where the help is. Help and version go out as they are: they are
/// Chinese by our template.
pub fn usage_failure(e: clap::Error) -> Result<(), crate::cmd::Failure> {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let get = |kind| {
        e.get(kind).map(|v| match v {
            ContextValue::String(s) => s.clone(),
            ContextValue::Strings(v) => v.join("、"),
            ContextValue::StyledStr(s) => s.to_string(),
            ContextValue::StyledStrs(v) => v
                .iter()
                .map(|s| s.to_string())
                .collect::<Vec<_>>()
                .join("、"),
            ContextValue::Number(n) => n.to_string(),
            _ => String::new(),
        })
    };
    let arg = get(ContextKind::InvalidArg).unwrap_or_default();
    let what = match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            // Help and version are the answer asked for; a closed stdout is no error either.
            let _ = e.print();
            return Ok(());
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand | ErrorKind::MissingSubcommand => {
            "缺少命令".to_string()
        }
        ErrorKind::InvalidSubcommand => format!(
            "没有“{}”这个命令",
            get(ContextKind::InvalidSubcommand).unwrap_or_default()
        ),
        ErrorKind::UnknownArgument => format!("不认识的选项或参数“{arg}”"),
        ErrorKind::MissingRequiredArgument => format!("缺少必需的参数 {arg}"),
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            let value = get(ContextKind::InvalidValue).unwrap_or_default();
            // Our own parsers' reasons are Chinese (Period's); clap's list of valid values too.
            // A reason in English (the standard library's, for a number or an address) is
            // not shown: the help's description and example say what to type.
            let why = std::error::Error::source(&e)
                .map(|s| s.to_string())
                .map(|s| match s.chars().any(|c| c > '\u{2E80}') {
                    true => format!("：{s}"),
                    false => "：格式不对，请按帮助中的说明和示例填写".to_string(),
                })
                .or_else(|| get(ContextKind::ValidValue).map(|v| format!("：可选 {v}")))
                .unwrap_or_default();
            format!("{arg} 的值“{value}”不对{why}")
        }
        ErrorKind::ArgumentConflict => format!("选项 {arg} 与其他选项不能同时使用"),
        ErrorKind::TooManyValues => format!("{arg} 给了太多的值"),
        ErrorKind::NoEquals | ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("{arg} 的值不完整")
        }
        _ => "命令行有误".to_string(),
    };
    let suggestion = get(ContextKind::SuggestedSubcommand)
        .or_else(|| get(ContextKind::SuggestedArg))
        .map(|s| format!("您是否要输入 {}？", s.trim()))
        .unwrap_or_default();
    let verb = std::env::args()
        .nth(1)
        .filter(|v| VERBS.contains(&v.as_str()));
    let help = match verb {
        Some(v) => format!("用 eco-returns {v} --help 查看 {v} 的用法"),
        None => format!(
            "可用的命令：{}；用 eco-returns --help 查看用法",
            VERBS.join("、")
        ),
    };
    let lines: Vec<String> = [what, suggestion, help]
        .into_iter()
        .filter(|l| !l.is_empty())
        .collect();
    Err(crate::cmd::Failure::Usage(lines.join("\n")))
}
