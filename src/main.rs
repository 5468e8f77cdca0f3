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
        Err(e) => return finish(eco_returns::cli::usage_failure(e).map(|_| Outcome::Clean)),
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
        Command::Schema(args) => cmd::schema::run(&schema, &args),
        Command::Template(args) => cmd::template::run(&schema, &args),
        Command::Build(args) => cmd::build::run(&schema, &args, cli.schema.as_deref(), &mut clock),
        Command::Links(args) => cmd::links::run(&schema, &args, cli.schema.as_deref()),
        Command::Serve(args) => cmd::serve::run(schema, &args, cli.schema.as_deref()),
        Command::Check(args) => cmd::check::run(&schema, &args, &mut clock),
    }
}
