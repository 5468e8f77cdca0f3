use clap::FromArgMatches;
use eco_returns::cli::{Cli, Command};
use eco_returns::cmd::{self, Failure, Outcome, Stopwatch};
use eco_returns::schema::{Schema, SchemaError};
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
        .try_get_matches()
        .and_then(|m| Cli::from_arg_matches(&m))
    {
        Ok(cli) => cli,
        Err(e) => return usage_error(e),
    };
    match run(cli) {
        Ok(Outcome::Clean) => ExitCode::from(0),
        Ok(Outcome::Rejected) => ExitCode::from(1),
        Err(Failure::ClosedPipe) => ExitCode::from(0),
        Err(Failure::Message(message)) => {
            eprintln!("{message}");
            ExitCode::from(2)
        }
    }
}

/// clap's own messages are English: help and version go out as they are (they are Chinese by
/// our template); a usage error is said in Chinese with clap's detail after it.
fn usage_error(e: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    let what = match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => e.exit(),
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => "缺少命令",
        ErrorKind::MissingRequiredArgument => "缺少必需的参数",
        ErrorKind::UnknownArgument => "不认识的选项",
        ErrorKind::InvalidSubcommand => "没有这个命令",
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => "参数的值不对",
        ErrorKind::ArgumentConflict => "选项互相冲突",
        _ => "命令行有误",
    };
    let detail = e.render().to_string();
    let detail = detail.trim().trim_start_matches("error:").trim();
    eprintln!("错误：{what}（用 --help 查看用法）\n{detail}");
    ExitCode::from(2)
}

fn run(cli: Cli) -> Result<Outcome, Failure> {
    let mut clock = Stopwatch::from_env();
    let schema = Schema::load(cli.schema.as_deref()).map_err(describe_schema_error)?;
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
            limits,
        } => {
            if !dir.is_dir() {
                return Err(format!("错误：文件夹不存在：{}", dir.display()).into());
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

fn describe_schema_error(e: SchemaError) -> String {
    match e {
        SchemaError::Lint(findings) => {
            let mut s = format!("错误：{}\n", SchemaError::Lint(findings.clone()));
            for f in findings {
                s.push_str(&format!("  {f}\n"));
            }
            s.trim_end().to_string()
        }
        other => format!("错误：{other}"),
    }
}
