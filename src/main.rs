use clap::FromArgMatches;
use eco_returns::cli::{Cli, Command};
use eco_returns::cmd::{self, Failure, Outcome, Stopwatch};
use eco_returns::schema::Schema;
use std::io::Write as _;
use std::process::ExitCode;

// Why mimalloc and not the system's malloc: see its entry in Cargo.toml.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // A spreadsheet reader that panics on a malformed file is caught and reported as a
    // diagnostic for that file; one short line on stderr is enough to keep for the record.
    std::panic::set_hook(Box::new(|info| {
        let location = info
            .location()
            .map(|l| format!("（{}:{}）", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!("内部错误已拦截{location}");
    }));
    let cli = match eco_returns::cli::command()
        .try_get_matches_from(arguments())
        .and_then(|m| Cli::from_arg_matches(&m))
    {
        Ok(cli) => cli,
        Err(e) => return finish(usage_error(e).map(|_| Outcome::Clean)),
    };
    finish(run(cli))
}

/// The exit status of a run, and its one message when it failed.
fn finish(result: Result<Outcome, Failure>) -> ExitCode {
    match result {
        Ok(Outcome::Clean) => ExitCode::from(0),
        Ok(Outcome::Rejected) => ExitCode::from(1),
        Err(Failure::ClosedPipe) => ExitCode::from(0),
        Err(failure) => {
            let _ = writeln!(std::io::stderr(), "错误：{failure}");
            ExitCode::from(failure.code())
        }
    }
}

/// A usage error said in Chinese from what clap found (its own text is English), with the
/// spelling it suggests and where the help is. Help and version go out as they are: they are
/// Chinese by our template.
fn usage_error(e: clap::Error) -> Result<(), Failure> {
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
        .filter(|v| eco_returns::cli::VERBS.contains(&v.as_str()));
    let help = match verb {
        Some(v) => format!("用 eco-returns {v} --help 查看 {v} 的用法"),
        None => format!(
            "可用的命令：{}；用 eco-returns --help 查看用法",
            eco_returns::cli::VERBS.join("、")
        ),
    };
    let lines: Vec<String> = [what, suggestion, help]
        .into_iter()
        .filter(|l| !l.is_empty())
        .collect();
    Err(Failure::Usage(lines.join("\n")))
}

/// `eco-returns help build` is `eco-returns build --help`.
fn arguments() -> Vec<std::ffi::OsString> {
    let mut args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if args.get(1).is_some_and(|a| a == "help") {
        args.remove(1);
        args.push("--help".into());
    }
    args
}

fn run(cli: Cli) -> Result<Outcome, Failure> {
    let mut clock = Stopwatch::from_env();
    let schema = Schema::load(cli.schema.as_deref())?;
    clock.lap("载入指标体系");
    match cli.command {
        Command::Schema { format } => cmd::schema::run(&schema, format),
        Command::Template {
            period,
            out,
            department,
            contact,
        } => cmd::template::run(
            &schema,
            &cmd::template::Args {
                period,
                out,
                department,
                contact,
            },
        ),
        Command::Build {
            dir,
            period,
            out,
            previous,
            history,
            format,
            threads,
            font,
            date,
            limits,
        } => {
            if !dir.is_dir() {
                return Err(format!("文件夹不存在：{}", dir.display()).into());
            }
            let args = cmd::build::Args {
                build: eco_returns::build::Args {
                    dir,
                    period,
                    out,
                    previous,
                    history,
                    limits: limits.limits(),
                    threads: threads.unwrap_or_else(cmd::check::default_threads),
                    font,
                    template_dir: cli.schema.clone(),
                    date,
                },
                format,
            };
            cmd::build::run(&schema, &args, &mut clock)
        }
        Command::Links {
            data,
            base,
            rotate,
            format,
        } => cmd::links::run(
            &schema,
            &cmd::links::Args {
                data,
                base,
                rotate,
                format,
            },
        ),
        Command::Serve {
            data,
            period,
            listen,
            limits,
        } => cmd::serve::run(
            schema,
            eco_returns::portal::Config {
                data,
                period,
                listen,
                limits: limits.limits(),
            },
        ),
        Command::Check {
            paths,
            period,
            format,
            threads,
            limits,
        } => {
            let args = cmd::check::Args {
                paths,
                period,
                format,
                limits: limits.limits(),
                threads: threads.unwrap_or_else(cmd::check::default_threads),
            };
            cmd::check::run(&schema, &args, &mut clock)
        }
    }
}
