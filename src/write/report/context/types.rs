//! What the report template sees, typed. `templates/report.j2` names these fields (the office
//! edits it), so a field's name is part of that contract: rename one only with the template.

use crate::assess::{Counts, SystemTotal};
use serde::Serialize;

/// Everything the report template sees, and what the report's data tables are made of.
#[derive(Debug, Serialize)]
pub struct ReportContext {
    /// A build from part of the period's returns: what is missing (`财政局的填报表退回修改；…`).
    /// The title then carries （初稿） and the first paragraph says the figures will change.
    pub draft: Option<String>,
    pub county: String,
    /// `2026Q3`.
    pub period: String,
    /// `2026年第三季度`.
    pub period_cn: String,
    /// The 成文日期 (`2026年10月8日`).
    pub issued: String,
    /// Who issues the report, and to whom (office.toml).
    pub office: OfficeLine,
    /// The title of 附件 (the full indicator table), for the 附件说明.
    pub attachment: String,
    pub counts: CountsLine,
    pub binding: CountsLine,
    pub reference: CountsLine,
    /// Why the binding count departs from the plan's declared one (`规划文本为19项；…`).
    pub binding_note: Option<String>,
    /// `85.0%`, or `—` without any binding indicator assessed.
    pub binding_rate: String,
    /// Binding indicators whose conclusion rests on a value 待核实.
    pub binding_unverified: usize,
    pub qualifies: bool,
    pub domains: Vec<DomainLine>,
    pub unmet: Vec<UnmetIndicator>,
    pub no_data: Vec<NoDataIndicator>,
    /// Indicators whose target needs a word of explanation.
    pub notes: Vec<String>,
    pub projects: ProjectsSection,
    pub returns: ReturnsSection,
    pub suggestions: Vec<String>,
    /// With `--history` and more than one quarter on record.
    pub trend: Option<TrendSection>,
    pub warning: WarningSection,
    /// The office's own paragraphs of a year's report, each a list of paragraphs (empty: the
    /// template marks it to be written).
    pub annual: AnnualSection,
    /// 基本条件自查 of a year's report: each condition and its answer.
    pub conditions: Vec<ConditionLine>,
}

/// 预警: the rows by signal, the 黄 ones with their reasons, and each department's rows.
#[derive(Debug, Serialize)]
pub struct WarningSection {
    pub red: usize,
    pub yellow: usize,
    pub green: usize,
    /// The 黄 rows with their reasons, but for those 黄 only for want of data (the report
    /// lists those where it says what has no data): `no_data` counts them.
    pub yellow_rows: Vec<WarningLine>,
    pub no_data: usize,
    /// Met rows whose 2025 plan target was not reached (named apart, with that target).
    pub missed_2025: Vec<WarningLine>,
    pub departments: Vec<DepartmentSignals>,
}

#[derive(Debug, Serialize)]
pub struct WarningLine {
    pub id: String,
    pub name: String,
    pub department: String,
    /// The reasons, joined with ；.
    pub reasons: String,
}

/// One department's rows by signal: the 督办 list.
#[derive(Debug, Serialize)]
pub struct DepartmentSignals {
    pub department: String,
    pub red: usize,
    pub yellow: usize,
    pub green: usize,
    /// `3、17` — the ids of its 红 rows, and of its 黄 rows.
    pub red_rows: String,
    pub yellow_rows: String,
}

#[derive(Debug, Serialize)]
pub struct OfficeLine {
    /// 发文机关.
    pub issuer: String,
    /// How the text names the issuer (我局).
    pub self_name: String,
    /// 主送机关 (may be empty).
    pub recipient: String,
    /// 附注 (may be empty).
    pub contact: String,
}

#[derive(Debug, Serialize)]
pub struct CountsLine {
    pub met: u32,
    pub unmet: u32,
    /// Resting on an expired superior target (left out of the 达标率).
    pub pending: u32,
    pub not_applicable: u32,
    pub no_data: u32,
    pub total: u32,
}

impl From<&Counts> for CountsLine {
    fn from(c: &Counts) -> CountsLine {
        CountsLine {
            met: c.met,
            unmet: c.unmet,
            pending: c.pending,
            not_applicable: c.not_applicable,
            no_data: c.no_data,
            total: c.total(),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct DomainLine {
    pub name: String,
    #[serde(flatten)]
    pub counts: CountsLine,
    /// `12 集中式饮用水水源地水质优良比例`, for each unmet indicator of the domain.
    pub unmet_names: Vec<String>,
}

/// An unmet indicator (all its rows), who answers for it and the projects meant to fix it.
#[derive(Debug, Serialize)]
pub struct UnmetIndicator {
    pub id: String,
    pub name: String,
    /// 约束性 or 参考性.
    pub attribute: &'static str,
    /// The responsible units, joined with 、.
    pub department: String,
    pub rows: Vec<UnmetRow>,
    /// Its conclusion rests on a value 待核实.
    pub unverified: bool,
    pub projects: Vec<SupportingProject>,
}

/// One unmet row of an indicator, as the report states it.
#[derive(Debug, Serialize)]
pub struct UnmetRow {
    /// `优良天数比例（7.1）` for a sub-row, empty otherwise.
    pub label: String,
    pub value: String,
    /// How the value moved against the last period (环比) and the year before (同比), where
    /// history has them: `较2026年第二季度（环比）上升1.2个百分点`.
    pub changes: Option<String>,
    /// Why the value is 待核实.
    pub unverified: Option<String>,
    pub standard: String,
    pub gap: Option<String>,
    /// The gap is a state (仍为劣Ⅴ类水体), written as it is, not as 尚差….
    pub gap_is_state: bool,
    pub stage_year: u16,
    pub stage_target: String,
    pub stage_gap: Option<String>,
    pub target_2025_outcome: Option<String>,
    pub target_2025: String,
    pub gap_2025: Option<String>,
    pub baseline: String,
}

/// Where a 达标工程 stands this period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProjectState {
    Done,
    Open,
    NoData,
}

#[derive(Debug, Serialize)]
pub struct SupportingProject {
    pub no: u32,
    pub name: String,
    /// The responsible unit.
    pub unit: String,
    /// `在建，形象进度60%`, or why there is no progress.
    pub progress: String,
    pub state: ProjectState,
}

#[derive(Debug, Serialize)]
pub struct NoDataIndicator {
    pub id: String,
    pub name: String,
    pub department: String,
    pub reason: &'static str,
}

#[derive(Debug, Serialize)]
pub struct ProjectsSection {
    pub total: ProjectTotal,
    pub systems: Vec<ProjectTotal>,
    pub behind: Vec<LateProject>,
    /// 实施年限 ended, not 已完工.
    pub overdue: Vec<LateProject>,
    /// Under 表3: systems whose 累计完成 includes a project without planned investment.
    pub footnotes: Vec<String>,
    pub no_data: Vec<ProjectWithoutData>,
    /// What the projects did since the build their work is counted from (the year before for
    /// a year, the last period for a quarter); `None` when history has no such build.
    pub since: Option<ProjectsSince>,
}

#[derive(Debug, Serialize)]
pub struct ProjectsSince {
    /// The earlier build: `2025年度`, `2026年第二季度`; `None` in a year's build without one,
    /// where the figures are the 本年完成投资 the units wrote.
    pub period: Option<String>,
    /// 万元 invested since, over `compared` projects.
    pub invested: String,
    pub compared: u32,
    /// Reported now but not then (`3号“…”`): what they did since is not known.
    pub not_compared: Vec<String>,
    /// 已完工 now, unfinished then.
    pub finished: Vec<ProjectName>,
    /// 累计完成 lower than then (`5号“…”减少12万元`): a correction the office should check.
    pub decreased: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct ProjectName {
    pub no: u32,
    pub name: String,
    pub unit: String,
}

/// A row of the 重点工程 table: one system, or all of them.
#[derive(Debug, Serialize)]
pub struct ProjectTotal {
    pub system: String,
    pub projects: u32,
    /// 万元, written as the report writes amounts.
    pub investment: String,
    /// With `*` where it includes a project the plan gives no 总投资 (see the footnote).
    pub completed: String,
    pub reported: u32,
    pub done: u32,
    pub building: u32,
    pub paused: u32,
    pub not_started: u32,
}

impl From<&SystemTotal> for ProjectTotal {
    fn from(t: &SystemTotal) -> ProjectTotal {
        ProjectTotal {
            system: t.system.clone(),
            projects: t.projects,
            investment: crate::write::wording::n2(t.investment),
            completed: format!(
                "{}{}",
                crate::write::wording::n2(t.completed),
                if t.unplanned.is_empty() { "" } else { "*" }
            ),
            reported: t.reported,
            done: t.done,
            building: t.building,
            paused: t.paused,
            not_started: t.not_started,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct LateProject {
    pub no: u32,
    pub name: String,
    pub unit: String,
    pub years: String,
    pub situation: String,
}

#[derive(Debug, Serialize)]
pub struct ProjectWithoutData {
    pub no: u32,
    pub name: String,
    pub unit: String,
    pub reason: &'static str,
}

#[derive(Debug, Serialize)]
pub struct ReturnsSection {
    pub expected: usize,
    pub received: usize,
    pub accepted: usize,
    pub with_warnings: usize,
    pub rejected: usize,
    /// The first rejected returns, with their errors; `rejected_more` counts the rest.
    pub rejected_list: Vec<RejectedReturn>,
    pub rejected_more: usize,
    pub missing: Vec<String>,
    /// The portal's 截止时间, when the build came from it with one set.
    pub deadline: Option<String>,
    /// Returns received after it.
    pub late: Vec<LateReturn>,
    pub units: Vec<UnitReturn>,
}

#[derive(Debug, Serialize)]
pub struct LateReturn {
    pub unit: String,
    /// `2026-10-16 09:12:40`.
    pub time: String,
}

#[derive(Debug, Serialize)]
pub struct RejectedReturn {
    /// The unit, or the file's name when the unit could not be told.
    pub unit: String,
    pub reasons: Vec<String>,
}

/// A row of the 报送情况 table.
#[derive(Debug, Serialize)]
pub struct UnitReturn {
    pub unit: String,
    pub state: String,
    pub errors: usize,
    pub warnings: usize,
}

#[derive(Debug, Serialize)]
pub struct TrendSection {
    /// `2026年第一季度` …: every quarter from the first on record.
    pub quarters: Vec<String>,
    pub rows: Vec<TrendLine>,
    pub projections: Vec<TrendProjection>,
    pub stage_year: u16,
    /// How many of the quarters have a 汇总表.
    pub points: usize,
}

/// An unmet or 待核实 row across the quarters (`—` where a quarter has none).
#[derive(Debug, Serialize)]
pub struct TrendLine {
    pub id: String,
    pub name: String,
    pub values: Vec<String>,
    pub status: String,
}

/// What the least-squares line says of one unmet numeric row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProjectionKind {
    Reaches,
    Away,
    Few,
    /// Within rounding over the rest of the stage.
    Flat,
    /// Toward the target, but not reaching it within this century.
    Slow,
}

#[derive(Debug, Serialize)]
pub struct TrendProjection {
    pub id: String,
    pub name: String,
    pub kind: ProjectionKind,
    /// The quarter it reaches the target (`reaches`), or its number of points (`few`).
    pub period: String,
    pub target: String,
    /// Change per quarter, with its unit and how exact it is (`约5个百分点`, `不到0.01个百分点`).
    pub slope: Option<String>,
    /// 上升 or 下降.
    pub direction: Option<&'static str>,
    /// 每季度, or 每年 for an annual row (its points are data years).
    pub per: &'static str,
    /// How many points the line rests on, and what they are (个季度, 个年度).
    pub points: usize,
    pub point_word: &'static str,
}

#[derive(Debug, Default, Serialize)]
pub struct AnnualSection {
    pub basic: Vec<String>,
    pub leadership: Vec<String>,
    pub planning: Vec<String>,
    pub funding: Vec<String>,
    pub publicity: Vec<String>,
}

impl AnnualSection {
    /// The office's text, one paragraph a line.
    pub fn of(text: &crate::office::AnnualText) -> AnnualSection {
        let paragraphs = |s: &str| -> Vec<String> {
            s.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect()
        };
        AnnualSection {
            basic: paragraphs(&text.basic),
            leadership: paragraphs(&text.leadership),
            planning: paragraphs(&text.planning),
            funding: paragraphs(&text.funding),
            publicity: paragraphs(&text.publicity),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct ConditionLine {
    pub text: String,
    pub answer: String,
}
