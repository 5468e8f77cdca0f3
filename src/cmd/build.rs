//! `build DIR --period P`: check the returns, consolidate and assess the accepted ones, and
//! write 汇总表.xlsx, 评估报告.docx and 退回修改/ into `--out`, whole or not at all.

use super::timing::Stopwatch;
use super::{check, Failure, Format, Outcome};
use crate::assess::{self, Assessment, Previous};
use crate::period::Period;
use crate::read::history;
use crate::read::previous::read_previous;
use crate::read::Limits;
use crate::schema::Schema;
use crate::validate::{Checked, Code, Diagnostic, Return, ReturnStatus};
use crate::write::report::{self, Template};
use crate::write::{annotate, output::Staging, summary};
use serde_json::json;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

pub use crate::write::output::{REPORT_FILE, RETURNED_DIR, SUMMARY_FILE};

pub struct Args {
    pub dir: PathBuf,
    pub period: Period,
    pub out: Option<PathBuf>,
    pub previous: Option<PathBuf>,
    /// Earlier 汇总表 files (any depth) for the 趋势 sheet and the report's trend section.
    pub history: Option<PathBuf>,
    pub format: Format,
    pub limits: Limits,
    pub threads: usize,
    /// A CJK font for the report's chart.
    pub font: Option<PathBuf>,
    /// Where a `report.j2` replacing the built-in wording may be (the `--schema` folder).
    pub template_dir: Option<PathBuf>,
}

/// What a build made: the checked returns, the assessment and the files written.
pub struct Built<'a> {
    pub checked: Checked,
    pub assessment: Assessment<'a>,
    pub written: Written,
}

pub fn run(schema: &Schema, args: &Args, clock: &mut Stopwatch) -> Result<Outcome, Failure> {
    let Built {
        checked,
        assessment,
        written,
    } = build(schema, args, clock)?;
    for w in &written.warnings {
        eprintln!("提示：{w}");
    }
    match args.format {
        Format::Json => json(&checked, &assessment, &written)?,
        Format::Human => {
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

/// Checks the folder, assesses the period and writes every output into `--out`, whole or not
/// at all (the command line and the portal's build button both come here).
pub fn build<'a>(
    schema: &'a Schema,
    args: &Args,
    clock: &mut Stopwatch,
) -> Result<Built<'a>, Failure> {
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("out").join(args.period.to_string()));
    // Taken first: an `--out` that would overlap the returns, or that another build is writing,
    // is refused before anything is read.
    let staging =
        Staging::begin(&out, std::slice::from_ref(&args.dir)).map_err(|e| format!("错误：{e}"))?;
    let history = args
        .history
        .as_deref()
        .map(|dir| history::scan(dir, args.period, &schema.meta.version))
        .unwrap_or_default();
    for n in &history.notices {
        eprintln!("提示：{n}");
    }
    // `--previous` wins; otherwise the last earlier period of the history plays its part.
    let previous = match (&args.previous, history.last()) {
        (Some(p), _) => read_previous(p)
            .map_err(|e| format!("错误：无法读取上期汇总表 {}：{e}", p.display()))?,
        (None, Some(last)) => last.previous(),
        (None, None) => Previous::default(),
    };
    let mut checked = check::check(
        schema,
        std::slice::from_ref(&args.dir),
        Some(args.period),
        &args.limits,
        args.threads,
    )?;
    clock.lap("读取校验");
    flag_large_changes(&mut checked, &previous, schema);
    let assessment = assess::assess(schema, &checked, args.period, &previous);
    let trend = args
        .history
        .is_some()
        .then(|| assess::trend(&assessment, &history));
    clock.lap("评估");
    let template =
        Template::load(args.template_dir.as_deref()).map_err(|e| format!("错误：{e}"))?;
    let written = write_outputs(
        &Materials {
            schema,
            checked: &checked,
            assessment: &assessment,
            trend: trend.as_ref(),
            template: &template,
            font: args.font.as_deref(),
            limits: &args.limits,
        },
        staging,
        args.threads,
    )?;
    clock.lap("写出");
    Ok(Built {
        checked,
        assessment,
        written,
    })
}

/// A value that moved by more than 30 % of last period's (at least 1 unit) is worth a look.
/// Both values are written as assessed (`46.2%`, not the clerk's `46.2％`).
fn flag_large_changes(checked: &mut Checked, previous: &Previous, schema: &Schema) {
    use crate::schema::standard::format_number;
    for ret in checked.returns.iter_mut() {
        let mut found = Vec::new();
        for e in &ret.entries {
            let (Some(now), Some((Some(before), _))) =
                (e.value.number(), previous.values.get(&e.indicator))
            else {
                continue;
            };
            if (now - before).abs() > 0.3 * before.abs().max(1.0) {
                let unit = schema
                    .indicator(&e.indicator)
                    .and_then(|i| i.unit.as_deref())
                    .filter(|u| *u != "—")
                    .unwrap_or("");
                let mut d = Diagnostic::new(
                    Code::LargeChange,
                    format!(
                        "指标 {} 本期值 {}{unit} 较上期 {}{unit} 变化较大：请核实数据，确认无误可忽略",
                        e.indicator,
                        format_number(now),
                        format_number(*before)
                    ),
                )
                .indicator(&e.indicator)
                .value(e.text.clone());
                d.sheet = Some(e.source.sheet.clone());
                d.cell = Some(e.source.cell.clone());
                found.push(d);
            }
        }
        ret.diagnostics.extend(found);
    }
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
) -> Result<Written, String> {
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
    staging.commit().map_err(|e| format!("错误：{e}"))?;
    Ok(written)
}

/// Makes one piece and writes it into `staging`: the path it will have, and any warnings.
fn make(
    piece: &Piece,
    m: &Materials,
    staging: &Staging,
) -> Result<(Option<PathBuf>, Vec<String>), String> {
    let err = |e: &dyn std::fmt::Display| format!("错误：{e}");
    match piece {
        Piece::Report => {
            let report = report::write(
                m.schema,
                m.checked,
                m.assessment,
                m.trend,
                m.template,
                m.font,
            )
            .map_err(|e| err(&e))?;
            let path = staging
                .write(REPORT_FILE, &report.bytes)
                .map_err(|e| err(&e))?;
            Ok((Some(path), report.warnings))
        }
        Piece::Summary => {
            let bytes =
                summary::write(m.schema, m.checked, m.assessment, m.trend).map_err(|e| err(&e))?;
            let path = staging.write(SUMMARY_FILE, &bytes).map_err(|e| err(&e))?;
            Ok((Some(path), Vec::new()))
        }
        Piece::Returned(ret, name) => {
            let Some(bytes) = annotate::write(m.schema, ret, m.limits).map_err(|e| err(&e))? else {
                return Ok((None, Vec::new()));
            };
            let path = staging
                .write(&format!("{RETURNED_DIR}/{name}"), &bytes)
                .map_err(|e| err(&e))?;
            Ok((Some(path), Vec::new()))
        }
    }
}

fn json(checked: &Checked, a: &Assessment, written: &Written) -> Result<(), Failure> {
    let indicators: Vec<_> = a
        .rows
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "parent": r.parent,
                "name": r.indicator.full_name(),
                "value": r.value.as_ref().and_then(|v| v.number()),
                "text": r.text,
                "status": r.status,
                "department": r.department,
                "attribute": r.indicator.attribute,
                "domain": r.indicator.domain,
                "gap": r.gap,
                "gap_2025": r.gap_2025,
                "vs_baseline": r.vs_baseline,
                "previous": r.previous,
                "vs_previous": r.vs_previous,
                "missing_reason": r.missing_reason,
                "source": r.source,
            })
        })
        .collect();
    let mut doc = super::json::document(checked, indicators);
    doc.assessment = Some(json!({
        "groups": a.groups.iter().map(|g| json!({"id": g.id, "name": g.name, "domain": g.domain, "attribute": g.attribute, "status": g.status})).collect::<Vec<_>>(),
        "counts": a.all,
        "by_attribute": a.by_attribute,
        "by_domain": a.by_domain.iter().map(|(d, c)| json!({"domain": d, "counts": c})).collect::<Vec<_>>(),
        "binding_rate": a.binding_rate,
        "qualifies": a.qualifies,
        "projects": a.projects,
        "systems": a.systems,
        "total": a.total,
        "previous_period": a.previous_period,
    }));
    doc.outputs = Some(json!({
        "dir": written.out.display().to_string(),
        "files": written.files.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
        "returned": written.returned.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
    }));
    super::json::print(&doc)
}

fn human(a: &Assessment, written: &Written) -> String {
    let mut s = String::new();
    let binding = a.by_attribute.get("约束性").cloned().unwrap_or_default();
    let _ = writeln!(s, "\n评估（{}，按35项指标计）：", a.period.chinese());
    let _ = writeln!(
        s,
        "  达标 {} 项，未达标 {} 项，不适用 {} 项，缺数据 {} 项",
        a.all.met, a.all.unmet, a.all.not_applicable, a.all.no_data
    );
    let _ = writeln!(
        s,
        "  约束性指标达标率 {}（{}/{}）：{}",
        a.binding_rate
            .map(|r| format!("{r:.1}%"))
            .unwrap_or_else(|| "—".into()),
        binding.met,
        binding.total() - binding.not_applicable,
        if a.qualifies {
            "满足创建要求"
        } else {
            "尚不满足创建要求（须达到100%）"
        }
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
