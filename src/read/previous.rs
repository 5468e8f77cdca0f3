//! An earlier period, read back from the 汇总表 this tool wrote (its hidden `_data` sheet:
//! one row per indicator row, columns [`DATA_COLUMNS`], then one per reported project, id
//! `工程N`, its 累计完成 as the value and its state as the status).

use super::{open, CellValue, Limits, ReadError};
use crate::period::Period;
use crate::schema::{Accumulation, Frequency, Indicator};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The hidden sheet of 汇总表 with one machine-readable row per indicator.
pub const DATA_SHEET: &str = "_data";
/// Its columns, in order (`schema` since the history was added; older workbooks lack it).
pub const DATA_COLUMNS: [&str; 7] = [
    "id",
    "value",
    "text",
    "status",
    "period",
    "schema",
    "data_year",
];

#[derive(Debug, thiserror::Error)]
pub enum PreviousError {
    #[error("{0}")]
    Read(#[from] ReadError),
    #[error("{0} 不是本工具生成的汇总表（没有 _data 工作表），无法作为上期数据")]
    NotOurs(String),
}

/// The earlier periods a build compares with: `--previous`'s one, or every period of
/// `--history`, oldest first. Which of them a row is compared with depends on its 口径
/// ([`Previous::comparable`]).
#[derive(Debug, Clone, Default)]
pub struct Previous {
    pub earlier: Vec<Earlier>,
}

/// One earlier period's rows.
#[derive(Debug, Clone)]
pub struct Earlier {
    pub period: Option<Period>,
    pub rows: BTreeMap<String, SnapshotRow>,
    /// The projects reported then, by number (none in a workbook older than this record).
    pub projects: BTreeMap<u32, SnapshotProject>,
}

/// A project as an earlier period's build recorded it.
#[derive(Debug, Clone, PartialEq)]
pub struct SnapshotProject {
    /// 累计完成投资, 万元.
    pub completed: Option<f64>,
    /// 未开工, 在建, 已完工, 已暂停.
    pub status: String,
}

/// The id of a project's row in `_data`.
pub fn project_id(no: u32) -> String {
    format!("工程{no}")
}

/// What a row's value is compared with, by its 口径.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    /// A 时点 row: the last period on record before this one (`None`: a `--previous`
    /// workbook that does not say its period).
    LastPeriod(Option<Period>),
    /// A 累计 row: the same quarter of the year before (同比).
    SameQuarterLastYear(Period),
    /// An annual row: the value of the data year before.
    PreviousYear(u16),
}

impl Basis {
    /// `2026年第二季度`, `2025年第三季度（同比）`, `2024年度`.
    pub fn label(self) -> String {
        match self {
            Basis::SameQuarterLastYear(p) => format!("{}（同比）", p.chinese()),
            _ => self.when(),
        }
    }

    /// The earlier period itself, under a heading that already says 环比 or 同比.
    pub fn when(self) -> String {
        match self {
            Basis::LastPeriod(Some(p)) | Basis::SameQuarterLastYear(p) => p.chinese(),
            Basis::LastPeriod(None) => "上期".to_string(),
            Basis::PreviousYear(y) => format!("{y}年度"),
        }
    }

    /// A change against the year before (同比), not against the last period (环比).
    pub fn is_year_on_year(self) -> bool {
        !matches!(self, Basis::LastPeriod(_))
    }

    /// Its period comes after `other`'s (a period not named comes after none).
    pub fn is_after(self, other: Basis) -> bool {
        match (self.period(), other.period()) {
            (Some(a), Some(b)) => a.ordinal() > b.ordinal(),
            _ => false,
        }
    }

    fn period(self) -> Option<Period> {
        match self {
            Basis::LastPeriod(p) => p,
            Basis::SameQuarterLastYear(p) => Some(p),
            Basis::PreviousYear(y) => Some(Period::annual(y)),
        }
    }
}

/// The earlier value a row is compared with.
#[derive(Debug, Clone, Copy)]
pub struct Comparable<'a> {
    pub basis: Basis,
    pub row: &'a SnapshotRow,
}

impl Previous {
    pub fn new(earlier: Vec<Earlier>) -> Previous {
        Previous { earlier }
    }

    /// The latest earlier period on record.
    pub fn period(&self) -> Option<Period> {
        self.earlier.last().and_then(|e| e.period)
    }

    /// The earlier value `ind`'s value of `now` (of `data_year`, for an annual row) is
    /// comparable with: like with like, never an annual figure against a quarter's.
    pub fn comparable<'a>(
        &'a self,
        ind: &Indicator,
        now: Period,
        data_year: Option<u16>,
    ) -> Option<Comparable<'a>> {
        let found = |e: &'a Earlier| e.stated(&ind.id);
        match (ind.frequency, ind.accumulation) {
            (Frequency::Annual, _) => {
                let year = data_year?.checked_sub(1)?;
                // The latest statement of that year: a revised figure replaces the first.
                self.earlier.iter().rev().find_map(|e| {
                    let row = found(e)?;
                    (e.data_year(ind, row) == Some(year)).then_some(Comparable {
                        basis: Basis::PreviousYear(year),
                        row,
                    })
                })
            }
            // A year is compared with the year before (同比): its annual build, else its fourth
            // quarter, whose 累计 is the whole year and whose 时点 is the year's end.
            (Frequency::Quarterly, _) if now.is_annual() => {
                let e = self.year_end(now.year.checked_sub(1)?, |e| found(e).is_some())?;
                Some(Comparable {
                    basis: Basis::SameQuarterLastYear(e.period?),
                    row: found(e)?,
                })
            }
            (Frequency::Quarterly, Some(Accumulation::YearToDate)) => {
                self.same_quarter_last_year(ind, now)
            }
            (Frequency::Quarterly, _) => {
                let e = self
                    .earlier
                    .iter()
                    .rev()
                    .find(|e| e.period.is_none_or(|p| p < now))?;
                Some(Comparable {
                    basis: Basis::LastPeriod(e.period),
                    row: found(e)?,
                })
            }
        }
    }

    /// The same quarter of the year before (同比) for a 时点 row of a quarter, whose 口径
    /// comparison is with the last period (环比) and is shown beside this one. `None` for every
    /// other row: its [`Previous::comparable`] is already with the year before.
    pub fn year_ago<'a>(&'a self, ind: &Indicator, now: Period) -> Option<Comparable<'a>> {
        let point_in_time = ind.frequency == Frequency::Quarterly
            && ind.accumulation != Some(Accumulation::YearToDate);
        if !point_in_time || now.is_annual() {
            return None;
        }
        self.same_quarter_last_year(ind, now)
    }

    /// `ind`'s value in the quarter `now` of the year before, where history has it.
    fn same_quarter_last_year<'a>(
        &'a self,
        ind: &Indicator,
        now: Period,
    ) -> Option<Comparable<'a>> {
        let same = Period {
            year: now.year.checked_sub(1)?,
            quarter: now.quarter,
        };
        let e = self.earlier.iter().rev().find(|e| e.period == Some(same))?;
        Some(Comparable {
            basis: Basis::SameQuarterLastYear(same),
            row: e.stated(&ind.id)?,
        })
    }

    /// The projects of the build a period's project work is counted from: the year before for
    /// a year (its annual build, else its fourth quarter), the latest earlier period for a
    /// quarter. `None` when history holds no such build with projects in it.
    pub fn projects_before(
        &self,
        now: Period,
    ) -> Option<(Period, &BTreeMap<u32, SnapshotProject>)> {
        let with_projects = |e: &Earlier| !e.projects.is_empty();
        let e = if now.is_annual() {
            self.year_end(now.year.checked_sub(1)?, with_projects)?
        } else {
            self.earlier
                .iter()
                .rev()
                .filter(|e| with_projects(e))
                .find(|e| e.period.is_some_and(|p| p < now))?
        };
        Some((e.period?, &e.projects))
    }

    /// The build that closes `year` among those `usable`: its annual build, else its fourth
    /// quarter (whose 累计 is the whole year and whose 时点 is the year's end).
    fn year_end<'a>(
        &'a self,
        year: u16,
        usable: impl Fn(&'a Earlier) -> bool,
    ) -> Option<&'a Earlier> {
        [Period::annual(year), Period { year, quarter: 4 }]
            .into_iter()
            .find_map(|p| {
                self.earlier
                    .iter()
                    .rev()
                    .find(|e| e.period == Some(p) && usable(e))
            })
    }

    /// Earlier statements of an annual row's value for `data_year`: (period, row).
    pub fn same_year<'a>(
        &'a self,
        ind: &'a Indicator,
        data_year: u16,
    ) -> impl Iterator<Item = (Option<Period>, &'a SnapshotRow)> + 'a {
        self.earlier.iter().filter_map(move |e| {
            let row = e.rows.get(&ind.id)?;
            (ind.frequency == Frequency::Annual && e.data_year(ind, row) == Some(data_year))
                .then_some((e.period, row))
        })
    }
}

impl Earlier {
    /// The row `id` where it states something (a value, or words).
    fn stated(&self, id: &str) -> Option<&SnapshotRow> {
        self.rows
            .get(id)
            .filter(|r| r.value.is_some() || !r.text.is_empty())
    }

    /// The data year of an annual row: as recorded, or (a workbook written before data years
    /// were) the year before its period, as a return without one is read.
    pub fn data_year(&self, ind: &Indicator, row: &SnapshotRow) -> Option<u16> {
        row.data_year_in(ind, self.period)
    }
}

impl SnapshotRow {
    /// The data year of an annual row written in `period`: as recorded, or (a workbook written
    /// before data years were) the year before the period, as a return without one is read.
    pub fn data_year_in(&self, ind: &Indicator, period: Option<Period>) -> Option<u16> {
        if ind.frequency != Frequency::Annual {
            return None;
        }
        self.data_year
            .or_else(|| period.and_then(|p| p.year.checked_sub(1)))
    }
}

/// One indicator row of an earlier period.
#[derive(Debug, Clone, PartialEq)]
pub struct SnapshotRow {
    pub value: Option<f64>,
    pub text: String,
    pub status: String,
    /// The data year of an annual row, where the workbook records it.
    pub data_year: Option<u16>,
}

/// One earlier period as its 汇总表 holds it.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub file: PathBuf,
    /// When the file was written (the later of two builds of one period wins).
    pub written: Option<std::time::SystemTime>,
    pub period: Option<Period>,
    pub schema: Option<String>,
    pub rows: BTreeMap<String, SnapshotRow>,
    pub projects: BTreeMap<u32, SnapshotProject>,
    /// Rows whose value was no finite number within [`MAX_VALUE`] (a hand-edited or forged
    /// file), as `指标 7.1` or `工程3`: read as having no value, and named so the office knows.
    pub unusable: Vec<String>,
}

/// No indicator of the plan comes near this; a larger number in `_data` was not written by us.
pub const MAX_VALUE: f64 = 1e12;

impl Snapshot {
    /// As a comparison base sees it.
    pub fn earlier(&self) -> Earlier {
        Earlier {
            period: self.period,
            rows: self.rows.clone(),
            projects: self.projects.clone(),
        }
    }

    /// As `--previous` uses it.
    pub fn previous(&self) -> Previous {
        Previous::new(vec![self.earlier()])
    }
}

pub fn read_previous(path: &Path) -> Result<Previous, PreviousError> {
    Ok(read_snapshot(path)?.previous())
}

pub fn read_snapshot(path: &Path) -> Result<Snapshot, PreviousError> {
    let (_, book) = open(path, &Limits::default())?;
    let sheet = book
        .sheets
        .iter()
        .find(|s| s.name == DATA_SHEET)
        .ok_or_else(|| PreviousError::NotOurs(path.display().to_string()))?;
    let mut snapshot = Snapshot {
        file: path.to_path_buf(),
        written: std::fs::metadata(path).and_then(|m| m.modified()).ok(),
        period: None,
        schema: None,
        rows: BTreeMap::new(),
        projects: BTreeMap::new(),
        unusable: Vec::new(),
    };
    let mut rows: BTreeMap<u32, Vec<&super::Cell>> = Default::default();
    for c in &sheet.cells {
        rows.entry(c.row).or_default().push(c);
    }
    for cells in rows.values().skip(1) {
        let get = |col: u32| cells.iter().find(|c| c.col == col).map(|c| &c.value);
        let Some(CellValue::Text(id)) = get(0) else {
            continue;
        };
        let mut text = get(2).map(CellValue::display).unwrap_or_default();
        let project = id.strip_prefix("工程").and_then(|n| n.parse::<u32>().ok());
        let value = match get(1) {
            Some(CellValue::Number(n)) if n.is_finite() && n.abs() <= MAX_VALUE => Some(*n),
            Some(CellValue::Number(_)) => {
                snapshot.unusable.push(match project {
                    Some(_) => id.clone(),
                    None => format!("指标 {id}"),
                });
                text.clear(); // it shows the same forged number
                None
            }
            _ => None,
        };
        let status = get(3).map(CellValue::display).unwrap_or_default();
        if let Some(CellValue::Text(p)) = get(4) {
            snapshot.period = snapshot.period.or_else(|| Period::parse(p));
        }
        if let Some(CellValue::Text(v)) = get(5) {
            snapshot.schema = snapshot.schema.take().or_else(|| Some(v.clone()));
        }
        if let Some(no) = project {
            snapshot.projects.insert(
                no,
                SnapshotProject {
                    completed: value,
                    status,
                },
            );
            continue;
        }
        let data_year = match get(6) {
            Some(CellValue::Number(y)) if (2000.0..=2100.0).contains(y) => Some(*y as u16),
            _ => None,
        };
        snapshot.rows.insert(
            id.clone(),
            SnapshotRow {
                value,
                text,
                status,
                data_year,
            },
        );
    }
    Ok(snapshot)
}
