//! The 重点工程进度 sheet: each row a project of the unit, with investment, progress and a
//! status that agree with each other.

use super::identify::{self, normalise_id};
use super::CellRef;
use super::{Code, Diagnostic, ProjectEntry, ProjectStatus, Return, Source};
use crate::read::layout::Column;
use crate::read::{CellValue, Row, Table};
use crate::schema::{Project, Schema};
use crate::text::format_number;
use std::collections::BTreeSet;

fn status_of(text: &str) -> Option<ProjectStatus> {
    let k = crate::text::key(text);
    let status = match k.as_str() {
        "未开工" | "未开始" | "尚未开工" => ProjectStatus::NotStarted,
        "在建" | "施工中" | "在建中" | "正在建设" | "建设中" => {
            ProjectStatus::Building
        }
        "已完工" | "完工" | "已竣工" | "竣工" | "已完成" => ProjectStatus::Done,
        "已暂停" | "暂停" | "停工" | "已停工" => ProjectStatus::Paused,
        _ => return None,
    };
    Some(status)
}

/// A cell that should hold a number and does not: the text it shows.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct NotANumber(String);

/// A number of 万元 or a percentage, from a cell: `85`, `85%`, a percent-formatted 0.85.
fn number_of(row: &Row, c: Column, percent: bool) -> Result<Option<f64>, NotANumber> {
    let Some(cell) = row.get(c) else {
        return Ok(None);
    };
    match &cell.value {
        CellValue::Number(n) if !n.is_finite() => Err(NotANumber(n.to_string())),
        CellValue::Number(n) if percent && cell.percent => {
            Ok(Some((n * 100.0 * 1e10).round() / 1e10))
        }
        CellValue::Number(n) => Ok(Some(*n)),
        CellValue::Text(s) => {
            let s = crate::text::nfkc(s);
            match crate::value::split_number(&s) {
                Some(Ok((n, suffix)))
                    if suffix.is_empty()
                        || (percent && suffix == "%")
                        || (!percent && suffix == "万元") =>
                {
                    Ok(Some(n))
                }
                _ => Err(NotANumber(s)),
            }
        }
        other => Err(NotANumber(other.display())),
    }
}

pub(super) fn check_projects(table: &Table, schema: &Schema, unit: &str, ret: &mut Return) {
    let sheet = table.sheet.as_str();
    let mut seen = BTreeSet::new();
    let mut junk = 0u32;
    let mut first_junk = None;
    for row in table.rows.iter().filter(|r| !r.is_blank()) {
        let id = row.get(Column::Id).and_then(normalise_id);
        let name = row.get(Column::ProjectName).map(|c| c.value.display());
        let has_data = [Column::Completed, Column::Progress, Column::Status]
            .iter()
            .any(|c| row.get(*c).is_some());
        let (r0, c0) = row.first_cell();
        let project = match identify::project(schema, id.as_deref(), name.as_deref()) {
            Ok(p) => p,
            Err(_) if !has_data && id.is_none() => {
                junk += 1;
                first_junk.get_or_insert((r0, c0));
                continue;
            }
            Err(why) => {
                ret.rows.read += 1;
                ret.rows.in_diagnostics += 1;
                ret.diagnostics.push(
                    Diagnostic::new(
                        Code::UnknownProject,
                        format!("第 {} 行无法识别：{why}", row.row + 1),
                    )
                    .at(sheet, r0, c0)
                    .value(name.or(id).unwrap_or_default())
                    .rows(1),
                );
                continue;
            }
        };
        ret.rows.read += 1;
        ret.sent.push(super::SentRow::of(
            super::RowKey::Project(project.no),
            sheet,
            row,
            &[
                Column::Completed,
                Column::YearInvestment,
                Column::Progress,
                Column::Status,
                Column::Problem,
            ],
        ));
        let col = |c: Column| table.columns.get(&c).copied().unwrap_or(c0);
        let duplicate = !seen.insert(project.no);
        let source = Source {
            sheet: sheet.to_string(),
            cell: CellRef::new(row.row, col(Column::Progress)),
        };
        let annual = ret.period.is_some_and(|p| p.is_annual());
        let (mut problems, entry) = check_row(project, row, (duplicate, annual), unit, source);
        let mut problems: Vec<Diagnostic> = problems
            .drain(..)
            .map(|(c, d)| d.at(sheet, row.row, col(c)))
            .collect();
        // Row accounting in one place: a row with a blocking finding is in the diagnostics,
        // named once; otherwise it is consolidated when complete.
        let blocking = problems
            .iter()
            .any(|d| d.severity == super::Severity::Error || d.code == Code::ProjectNotAssigned);
        if blocking {
            ret.rows.in_diagnostics += 1;
            if let Some(first) = problems.first_mut() {
                first.rows = 1;
            }
        }
        ret.diagnostics.extend(problems);
        if let Some(entry) = entry.filter(|_| !blocking) {
            ret.rows.consolidated += 1;
            ret.projects.push(entry);
        }
    }
    missing_and_junk(table, schema, unit, &seen, junk, first_junk, ret);
}

/// The unit's projects its table lacks, and the rows below it that name no project.
fn missing_and_junk(
    table: &Table,
    schema: &Schema,
    unit: &str,
    seen: &BTreeSet<u32>,
    junk: u32,
    first_junk: Option<(u32, u32)>,
    ret: &mut Return,
) {
    let sheet = table.sheet.as_str();
    for p in schema.projects_of(unit) {
        if !seen.contains(&p.no) {
            ret.diagnostics.push(
                Diagnostic::new(
                    Code::ProjectMissing,
                    format!("缺少工程 {} {}：请补上这一行并填写进度", p.no, p.name),
                )
                .at(sheet, table.header_row, 0),
            );
        }
    }
    if let Some((r, c)) = first_junk {
        ret.rows.read += junk;
        ret.rows.in_diagnostics += junk;
        ret.diagnostics.push(
            Diagnostic::new(
                Code::JunkRows,
                format!(
                    "工程进度表中有 {junk} 行无法识别为工程（从第 {} 行起），未计入汇总",
                    r + 1
                ),
            )
            .at(sheet, r, c)
            .rows(junk),
        );
    }
}

/// What one identified project row says: its findings (by the column they concern) and, when
/// its three numbers are all there, its entry (located by the caller).
fn check_row(
    project: &Project,
    row: &Row,
    (duplicate, annual): (bool, bool),
    unit: &str,
    source: Source,
) -> (Vec<(Column, Diagnostic)>, Option<ProjectEntry>) {
    let mut problems: Vec<(Column, Diagnostic)> = Vec::new();
    if duplicate {
        problems.push((
            Column::Id,
            Diagnostic::new(
                Code::DuplicateProject,
                format!("工程 {} {} 在表中出现了两次", project.no, project.name),
            ),
        ));
    } else if project.unit != unit {
        problems.push((
            Column::Id,
            Diagnostic::new(
                Code::ProjectNotAssigned,
                format!(
                    "工程 {} {} 的责任单位是{}，本单位填报的进度不计入汇总",
                    project.no, project.name, project.unit
                ),
            ),
        ));
    }
    let completed = number_of(row, Column::Completed, false);
    // A quarter's form has no such column; one a unit added is not read, nor held against it.
    let this_year = if annual {
        number_of(row, Column::YearInvestment, false)
    } else {
        Ok(None)
    };
    let progress = number_of(row, Column::Progress, true);
    let status_text = row.get(Column::Status).map(|c| c.value.display());
    let status = status_text.as_deref().and_then(status_of);
    problems.extend(
        completed_findings(project, &completed)
            .into_iter()
            .map(|d| (Column::Completed, d)),
    );
    problems.extend(
        year_findings(project, &this_year, &completed)
            .into_iter()
            .map(|d| (Column::YearInvestment, d)),
    );
    problems.extend(
        progress_findings(project, &progress)
            .into_iter()
            .map(|d| (Column::Progress, d)),
    );
    problems.extend(
        status_findings(project, status, status_text, &progress)
            .into_iter()
            .map(|d| (Column::Status, d)),
    );
    let entry = match (completed, progress, status) {
        (Ok(Some(completed)), Ok(Some(progress)), Some(status)) => Some(ProjectEntry {
            no: project.no,
            completed,
            this_year: this_year
                .ok()
                .flatten()
                .filter(|v| (0.0..=completed + 1e-6).contains(v)),
            progress,
            status,
            problem: row.get(Column::Problem).map(|c| c.value.display()),
            source,
        }),
        _ => None,
    };
    (problems, entry)
}

fn completed_findings(
    project: &Project,
    completed: &Result<Option<f64>, NotANumber>,
) -> Vec<Diagnostic> {
    let number = |message: String| Diagnostic::new(Code::ProjectNumber, message);
    match completed {
        Err(NotANumber(v)) => vec![number(format!(
            "工程 {} 的累计完成投资“{v}”不是数值：请填写万元数",
            project.no
        ))
        .value(v.clone())],
        Ok(None) => vec![number(format!(
            "工程 {} 的累计完成投资没有填写",
            project.no
        ))],
        Ok(Some(c)) => {
            let mut out = Vec::new();
            if let Some(total) = project.investment.filter(|t| c > &(t + 1e-6)) {
                out.push(
                    Diagnostic::new(
                        Code::CompletedAboveTotal,
                        format!(
                            "工程 {} 累计完成投资 {} 万元，超过总投资 {} 万元",
                            project.no,
                            format_number(*c),
                            format_number(total)
                        ),
                    )
                    .value(format_number(*c)),
                );
            }
            if *c < 0.0 {
                out.push(
                    number(format!("工程 {} 累计完成投资不能为负数", project.no))
                        .value(format_number(*c)),
                );
            }
            out
        }
    }
}

/// 本年完成投资 (optional): a number of 万元, at most the 累计完成 it is part of.
fn year_findings(
    project: &Project,
    this_year: &Result<Option<f64>, NotANumber>,
    completed: &Result<Option<f64>, NotANumber>,
) -> Vec<Diagnostic> {
    match (this_year, completed) {
        (Err(NotANumber(v)), _) => vec![Diagnostic::new(
            Code::ProjectNumber,
            format!(
                "工程 {} 的本年完成投资“{v}”不是数值：请填写万元数",
                project.no
            ),
        )
        .value(v.clone())],
        (Ok(Some(y)), _) if *y < 0.0 => vec![Diagnostic::new(
            Code::ProjectNumber,
            format!("工程 {} 本年完成投资不能为负数", project.no),
        )
        .value(format_number(*y))],
        (Ok(Some(y)), Ok(Some(c))) if *y > c + 1e-6 => vec![Diagnostic::new(
            Code::YearAboveCompleted,
            format!(
                "工程 {} 本年完成投资 {} 万元，超过累计完成投资 {} 万元",
                project.no,
                format_number(*y),
                format_number(*c)
            ),
        )
        .value(format_number(*y))],
        _ => Vec::new(),
    }
}

fn progress_findings(
    project: &Project,
    progress: &Result<Option<f64>, NotANumber>,
) -> Vec<Diagnostic> {
    match progress {
        Err(NotANumber(v)) => vec![Diagnostic::new(
            Code::ProjectNumber,
            format!(
                "工程 {} 的形象进度“{v}”不是数值：请填写 0–100 的数",
                project.no
            ),
        )
        .value(v.clone())],
        Ok(None) => vec![Diagnostic::new(
            Code::ProjectNumber,
            format!("工程 {} 的形象进度没有填写", project.no),
        )],
        Ok(Some(p)) if !(0.0..=100.0).contains(p) => vec![Diagnostic::new(
            Code::ProgressOutOfRange,
            format!(
                "工程 {} 的形象进度 {} 超出 0–100",
                project.no,
                format_number(*p)
            ),
        )
        .value(format_number(*p))],
        Ok(Some(_)) => Vec::new(),
    }
}

fn status_findings(
    project: &Project,
    status: Option<ProjectStatus>,
    status_text: Option<String>,
    progress: &Result<Option<f64>, NotANumber>,
) -> Vec<Diagnostic> {
    let Some(s) = status else {
        let shown = status_text.unwrap_or_default();
        let msg = if shown.is_empty() {
            format!(
                "工程 {} 的状态没有填写：请选择 未开工/在建/已完工/已暂停",
                project.no
            )
        } else {
            format!(
                "工程 {} 的状态“{shown}”不是 未开工/在建/已完工/已暂停 之一",
                project.no
            )
        };
        return vec![Diagnostic::new(Code::StatusUnknown, msg).value(shown)];
    };
    let Ok(Some(p)) = progress else {
        return Vec::new();
    };
    let contradicts = match s {
        ProjectStatus::Done => *p < 100.0,
        ProjectStatus::NotStarted => *p > 0.0,
        _ => false,
    };
    if !contradicts {
        return Vec::new();
    }
    vec![Diagnostic::new(
        Code::StatusContradicts,
        format!(
            "工程 {} 状态为“{}”，形象进度却是 {}%",
            project.no,
            s.label(),
            format_number(*p)
        ),
    )
    .value(s.label())]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_and_synonyms() {
        assert_eq!(status_of("在建"), Some(ProjectStatus::Building));
        assert_eq!(status_of(" 已竣工 "), Some(ProjectStatus::Done));
        assert_eq!(status_of("停工"), Some(ProjectStatus::Paused));
        assert_eq!(status_of("差不多了"), None);
    }
}
