//! `build DIR --period P`: check the returns, consolidate and assess the accepted ones, and
//! write 汇总表.xlsx, 评估报告.docx and 退回修改/ into `--out`, whole or not at all.

use super::timing::Stopwatch;
use super::{check, Format, Outcome};
use crate::assess::{self, Assessment, Previous};
use crate::period::Period;
use crate::read::previous::read_previous;
use crate::read::Limits;
use crate::schema::Schema;
use crate::validate::{Checked, Code, Diagnostic, ReturnStatus};
use crate::write::report::{self, Template};
use crate::write::{annotate, output::Staging, summary};
use serde_json::json;
use std::fmt::Write as _;
use std::path::PathBuf;

pub const SUMMARY_FILE: &str = "汇总表.xlsx";
pub const REPORT_FILE: &str = "评估报告.docx";
pub const RETURNED_DIR: &str = "退回修改";

pub struct Args {
    pub dir: PathBuf,
    pub period: Period,
    pub out: Option<PathBuf>,
    pub previous: Option<PathBuf>,
    pub format: Format,
    pub limits: Limits,
    pub threads: usize,
    /// A CJK font for the report's chart.
    pub font: Option<PathBuf>,
    /// Where a `report.j2` replacing the built-in wording may be (the `--schema` folder).
    pub template_dir: Option<PathBuf>,
}

pub fn run(schema: &Schema, args: &Args, clock: &mut Stopwatch) -> Result<Outcome, String> {
    let previous = match &args.previous {
        Some(p) => read_previous(p)
            .map_err(|e| format!("错误：无法读取上期汇总表 {}：{e}", p.display()))?,
        None => Previous::default(),
    };
    let mut checked = check::check(
        schema,
        std::slice::from_ref(&args.dir),
        Some(args.period),
        &args.limits,
        args.threads,
    )?;
    clock.lap("读取校验");
    flag_large_changes(&mut checked, &previous);
    let assessment = assess::assess(schema, &checked, args.period, &previous);
    clock.lap("评估");
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("out").join(args.period.to_string()));
    let template =
        Template::load(args.template_dir.as_deref()).map_err(|e| format!("错误：{e}"))?;
    let report = report::write(
        schema,
        &checked,
        &assessment,
        &template,
        args.font.as_deref(),
    )
    .map_err(|e| format!("错误：{e}"))?;
    clock.lap("评估报告");
    for w in &report.warnings {
        eprintln!("提示：{w}");
    }
    let written = write_outputs(
        schema,
        &checked,
        &assessment,
        &report.bytes,
        &out,
        &args.limits,
        clock,
    )
    .map_err(|e| format!("错误：{e}"))?;
    match args.format {
        Format::Json => json(&checked, &assessment, &written)?,
        Format::Human => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            check::print_human(&checked, &mut out)
                .and_then(|_| {
                    std::io::Write::write_all(&mut out, human(&assessment, &written).as_bytes())
                })
                .map_err(|e| format!("错误：无法输出：{e}"))?;
        }
    }
    clock.lap("输出");
    clock.report();
    Ok(if checked.any_rejected() {
        Outcome::Rejected
    } else {
        Outcome::Clean
    })
}

/// A value that moved by more than 30 % of last period's (at least 1 unit) is worth a look.
fn flag_large_changes(checked: &mut Checked, previous: &Previous) {
    for ret in checked.returns.iter_mut() {
        let mut found = Vec::new();
        for e in &ret.entries {
            let (Some(now), Some((Some(before), before_text))) =
                (e.value.number(), previous.values.get(&e.indicator))
            else {
                continue;
            };
            if (now - before).abs() > 0.3 * before.abs().max(1.0) {
                let mut d = Diagnostic::new(
                    Code::LargeChange,
                    format!(
                        "指标 {} 本期值 {} 较上期 {} 变化较大：请核实数据，确认无误可忽略",
                        e.indicator, e.text, before_text
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
}

fn write_outputs(
    schema: &Schema,
    checked: &Checked,
    a: &Assessment,
    report: &[u8],
    out: &std::path::Path,
    limits: &Limits,
    clock: &mut Stopwatch,
) -> Result<Written, crate::write::WriteError> {
    let staging = Staging::begin(out)?;
    let mut files = vec![staging.write(SUMMARY_FILE, &summary::write(schema, checked, a)?)?];
    clock.lap("汇总表");
    files.push(staging.write(REPORT_FILE, report)?);
    let mut returned = Vec::new();
    for ret in checked
        .returns
        .iter()
        .filter(|r| r.status() == ReturnStatus::Rejected)
    {
        if let Some(bytes) = annotate::write(ret, limits)? {
            returned.push(staging.write(
                &format!("{RETURNED_DIR}/{}", annotate::file_name(ret)),
                &bytes,
            )?);
        }
    }
    files.extend(returned.iter().cloned());
    clock.lap("退回修改");
    staging.commit()?;
    Ok(Written {
        out: out.to_path_buf(),
        files,
        returned,
    })
}

fn json(checked: &Checked, a: &Assessment, written: &Written) -> Result<(), String> {
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
