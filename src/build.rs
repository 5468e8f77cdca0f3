//! The pipeline from a folder of returns to the period's outputs: check the returns,
//! consolidate and assess the accepted ones, and write 汇总表.xlsx, 评估报告.docx and
//! 退回修改/ into `--out`, whole or not at all. The `build` verb and the portal's build button
//! both come here; what they print is theirs.

use crate::assess::{self, Assessment, Previous};
use crate::period::Period;
use crate::read::history;
use crate::read::previous::{read_previous, PreviousError};
use crate::read::Limits;
use crate::schema::Schema;
use crate::timing::Stopwatch;
use crate::validate::{check_all, large_changes, Checked, Return, ReturnStatus};
use crate::write::report::{self, ReportError, Template, TemplateError};
use crate::write::{annotate, output::OutputError, output::Staging, summary, WriteError};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

pub use crate::write::output::{REPORT_FILE, RETURNED_DIR, SUMMARY_FILE};

/// Why a build wrote nothing.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    #[error(transparent)]
    Inputs(#[from] crate::inputs::InputError),
    #[error(transparent)]
    Output(#[from] OutputError),
    #[error("无法读取上期汇总表 {path}：{source}")]
    Previous {
        path: String,
        #[source]
        source: PreviousError,
    },
    #[error(transparent)]
    Template(#[from] TemplateError),
    #[error(transparent)]
    Report(#[from] ReportError),
    #[error(transparent)]
    Write(#[from] WriteError),
    #[error("无法生成表格：{0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    #[error(transparent)]
    WrongPeriod(#[from] crate::validate::WrongPeriod),
    #[error(transparent)]
    Office(#[from] crate::office::OfficeError),
}

pub struct Args {
    pub dir: PathBuf,
    pub period: Period,
    pub out: Option<PathBuf>,
    pub previous: Option<PathBuf>,
    /// Earlier 汇总表 files (any depth) for the 趋势 sheet and the report's trend section.
    pub history: Option<PathBuf>,
    pub limits: Limits,
    pub threads: usize,
    /// A CJK font for the report's chart.
    pub font: Option<PathBuf>,
    /// Where a `report.j2` replacing the built-in wording may be (the `--schema` folder), and
    /// an `office.toml` replacing the built-in office settings.
    pub template_dir: Option<PathBuf>,
    /// The 成文日期 (`--date`); by default the first working day after the quarter.
    pub date: Option<crate::office::Day>,
    /// The portal's deadline and late returns (a build from the command line knows none).
    pub lateness: Option<report::Lateness>,
}

/// What a build made: the checked returns, the assessment and the files written.
pub struct Built<'a> {
    pub checked: Checked,
    pub assessment: Assessment<'a>,
    pub written: Written,
}

/// Checks the folder, assesses the period and writes every output into `--out`, whole or not
/// at all (the command line and the portal's build button both come here).
pub fn build<'a>(
    schema: &'a Schema,
    args: &Args,
    clock: &mut Stopwatch,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Built<'a>, BuildError> {
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("out").join(args.period.to_string()));
    // Taken first: an `--out` that would overlap the returns, or that another build is writing,
    // is refused before anything is read.
    let staging = Staging::begin(&out, std::slice::from_ref(&args.dir))?;
    let history = args
        .history
        .as_deref()
        .map(|dir| history::scan(dir, args.period, &schema.meta.version))
        .unwrap_or_default();
    // `--previous` wins; otherwise the last earlier period of the history plays its part.
    let previous = match (&args.previous, history.last()) {
        (Some(p), _) => read_previous(p).map_err(|source| BuildError::Previous {
            path: p.display().to_string(),
            source,
        })?,
        (None, Some(_)) => Previous::new(history.snapshots.iter().map(|s| s.earlier()).collect()),
        (None, None) => Previous::default(),
    };
    let inputs = crate::inputs::collect(std::slice::from_ref(&args.dir))?;
    let mut checked = check_all(
        &inputs,
        Some(args.period),
        schema,
        &args.limits,
        args.threads,
        progress,
    );
    clock.lap("读取校验");
    if let Some(wrong) = checked.wrong_period(args.period) {
        return Err(wrong.into()); // before anything is written: the staging folder goes
    }
    large_changes(&mut checked, &previous, schema);
    let assessment = assess::assess(schema, &checked, args.period, &previous);
    let trend = args
        .history
        .is_some()
        .then(|| assess::trend(&assessment, &history));
    clock.lap("评估");
    let template = Template::load(args.template_dir.as_deref(), args.period)?;
    let office = crate::office::Office::load(args.template_dir.as_deref())?;
    let filing = report::Filing {
        office: &office,
        date: args
            .date
            .unwrap_or_else(|| crate::office::Day::after(args.period)),
        lateness: args.lateness.as_ref(),
    };
    let mut written = write_outputs(
        &Materials {
            schema,
            checked: &checked,
            assessment: &assessment,
            trend: trend.as_ref(),
            template: &template,
            font: args.font.as_deref(),
            limits: &args.limits,
            filing: &filing,
        },
        staging,
        args.threads,
    )?;
    clock.lap("写出");
    // The stages print nothing: the caller says what the office should know (the terminal,
    // or the portal's page), history's notices first.
    written.warnings.splice(0..0, history.notices);
    Ok(Built {
        checked,
        assessment,
        written,
    })
}

pub struct Written {
    pub out: PathBuf,
    pub files: Vec<PathBuf>,
    pub returned: Vec<PathBuf>,
    /// What the office should know about how the outputs were made.
    pub warnings: Vec<String>,
}

/// What every piece of the output folder is made from.
struct Materials<'a> {
    schema: &'a Schema,
    checked: &'a Checked,
    assessment: &'a Assessment<'a>,
    trend: Option<&'a assess::Trend<'a>>,
    template: &'a Template,
    font: Option<&'a Path>,
    limits: &'a Limits,
    filing: &'a report::Filing<'a>,
}

/// One file of the output folder, made on its own thread.
enum Piece<'a> {
    Report,
    Summary,
    /// A rejected return and the name its copy gets (unique within the folder).
    Returned(&'a Return, String),
}

/// The pieces are independent, so they are made in parallel (the report first: it takes
/// longest) and each is written into the staging folder as soon as it is made, never held.
fn write_outputs(
    materials: &Materials,
    staging: Staging,
    threads: usize,
) -> Result<Written, BuildError> {
    let out = staging.target().to_path_buf();
    let rejected: Vec<&Return> = materials
        .checked
        .returns
        .iter()
        .filter(|r| r.status() == ReturnStatus::Rejected)
        .collect();
    let mut pieces = vec![Piece::Report, Piece::Summary];
    pieces.extend(
        rejected
            .iter()
            .zip(annotate::file_names(&rejected))
            .map(|(r, name)| Piece::Returned(r, name)),
    );
    // After the first failure (a full disk, say) the remaining pieces are not attempted.
    let failed = AtomicBool::new(false);
    let results = crate::parallel::map(&pieces, threads, |piece| {
        if failed.load(Ordering::Relaxed) {
            return Ok((None, Vec::new()));
        }
        let result = make(piece, materials, &staging);
        if result.is_err() {
            failed.store(true, Ordering::Relaxed);
        }
        result
    });
    let mut written = Written {
        out,
        files: Vec::new(),
        returned: Vec::new(),
        warnings: Vec::new(),
    };
    let mut report = None;
    for (piece, result) in pieces.iter().zip(results) {
        let (path, warnings) = result?;
        written.warnings.extend(warnings);
        match piece {
            Piece::Report => report = path,
            Piece::Summary => written.files.extend(path),
            Piece::Returned(..) => written.returned.extend(path),
        }
    }
    written.files.extend(report);
    written.files.extend(written.returned.iter().cloned());
    staging.commit()?;
    Ok(written)
}

/// Makes one piece and writes it into `staging`: the path it will have, and any warnings.
fn make(
    piece: &Piece,
    m: &Materials,
    staging: &Staging,
) -> Result<(Option<PathBuf>, Vec<String>), BuildError> {
    match piece {
        Piece::Report => {
            let report = report::write(
                m.schema,
                m.checked,
                m.assessment,
                m.trend,
                m.template,
                m.font,
                m.filing,
            )?;
            let name = crate::write::output::report_file(m.assessment.period);
            let path = staging.write(name, &report.bytes)?;
            Ok((Some(path), report.warnings))
        }
        Piece::Summary => {
            let bytes = summary::write(m.schema, m.checked, m.assessment, m.trend)?;
            let path = staging.write(SUMMARY_FILE, &bytes)?;
            Ok((Some(path), Vec::new()))
        }
        Piece::Returned(ret, name) => {
            let Some(bytes) = annotate::write(m.schema, ret, m.limits)? else {
                return Ok((None, Vec::new()));
            };
            let path = staging.write(&format!("{RETURNED_DIR}/{name}"), &bytes)?;
            Ok((Some(path), Vec::new()))
        }
    }
}
