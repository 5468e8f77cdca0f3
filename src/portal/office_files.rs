//! What the office downloads from its page besides the build: the 催报通知, the 操作记录 as a
//! workbook, and the period's archive (every current return as the unit sent it, with a
//! 清单).

use super::db::LogEntry;
use super::state::{name_of, Portal};
use crate::write::ledger::{self, Ledger};
use crate::write::report::notice::{self, Owing};
use std::io::Write as _;

/// Log lines the page shows and the workbook holds (a period has a few hundred).
pub const LOG_SHOWN: usize = 200;
pub const LOG_KEPT_IN_WORKBOOK: usize = 100_000;

impl Portal {
    /// 催报通知.docx for every unit that still owes its return, as of now.
    pub(super) fn urge_notice(&self) -> Result<Vec<u8>, String> {
        let page = self.office_page("", None, None);
        let owing: Vec<Owing> = page
            .units
            .iter()
            .filter_map(|u| {
                Some(Owing {
                    unit: u.unit.clone(),
                    owes: u.owes?.to_string(),
                })
            })
            .collect();
        let passed = self
            .deadline()
            .is_some_and(|d| super::store::now_text() > d);
        notice::urge(
            &self.office,
            &self.schema.meta.county,
            self.store.period,
            page.deadline
                .as_deref()
                .map(|words| notice::Deadline { words, passed }),
            &owing,
            crate::office::Day::today(),
        )
        .map_err(|e| e.to_string())
    }

    pub(super) fn log_workbook(&self) -> Result<Vec<u8>, String> {
        let rows = self
            .db
            .latest_log(LOG_KEPT_IN_WORKBOOK)
            .into_iter()
            .map(log_row)
            .collect();
        ledger::write(&Ledger {
            title: &format!("{}指标填报门户操作记录", self.schema.meta.county),
            sheet: "操作记录",
            columns: &[
                ("序号", 7.0),
                ("时间", 20.0),
                ("报告期", 9.0),
                ("操作人", 16.0),
                ("操作", 12.0),
                ("单位", 14.0),
                ("内容", 70.0),
                ("来源地址", 18.0),
            ],
            rows,
        })
        .map_err(|e| e.to_string())
    }

    /// The period's archive: `<period>/<file>` for every current return, and 清单.xlsx.
    pub(super) fn archive(&self) -> Result<Vec<u8>, String> {
        let checked = self.check_current();
        let period = self.period_key();
        let mut rows = Vec::new();
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        // Stored, with a fixed time: the returns are compressed already, and the same folder
        // gives the same archive.
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored)
            .last_modified_time(zip::DateTime::default());
        let deadline = self.deadline();
        for ret in &checked.returns {
            let Ok(bytes) = std::fs::read(&ret.file) else {
                continue;
            };
            let name = name_of(&ret.file);
            zip.start_file(format!("{period}/{name}"), options)
                .and_then(|_| zip.write_all(&bytes).map_err(Into::into))
                .map_err(|e| e.to_string())?;
            let unit = ret
                .unit
                .clone()
                .unwrap_or_else(|| "（无法识别单位）".into());
            let received = self
                .db
                .uploads(&period, &unit, usize::MAX)
                .into_iter()
                .find(|u| u.current && u.sha256 == ret.sha256);
            let review = self
                .db
                .review(&period, &unit)
                .filter(|r| r.sha256 == ret.sha256);
            rows.push(vec![
                unit,
                name,
                ret.sha256.clone(),
                received
                    .as_ref()
                    .map(|u| u.time.clone())
                    .unwrap_or_else(|| "（手工放入文件夹）".into()),
                format!(
                    "{}{}",
                    ret.status().label(),
                    if received
                        .as_ref()
                        .is_some_and(|u| super::workflow::came_after(deadline.as_deref(), u))
                    {
                        "（逾期）"
                    } else {
                        ""
                    }
                ),
                match review {
                    Some(r) if r.opinion.is_empty() => format!("{}（{}）", state_word(&r), r.time),
                    Some(r) => format!("{}（{}）：{}", state_word(&r), r.time, r.opinion),
                    None => "待审核".into(),
                },
            ]);
        }
        let list = ledger::write(&Ledger {
            title: &format!("{}填报表归档清单", self.store.period.chinese()),
            sheet: "清单",
            columns: &[
                ("单位", 14.0),
                ("文件", 22.0),
                ("SHA-256", 68.0),
                ("上传时间", 20.0),
                ("校验结果", 12.0),
                ("审核", 40.0),
            ],
            rows,
        })
        .map_err(|e| e.to_string())?;
        zip.start_file("清单.xlsx", options)
            .and_then(|_| zip.write_all(&list).map_err(Into::into))
            .map_err(|e| e.to_string())?;
        zip.finish()
            .map(|c| c.into_inner())
            .map_err(|e| e.to_string())
    }

    pub(super) fn log_entries(&self) -> Vec<LogEntry> {
        self.db.latest_log(LOG_SHOWN)
    }
}

fn state_word(r: &super::db::Review) -> &'static str {
    r.state.action()
}

fn log_row(e: LogEntry) -> Vec<String> {
    vec![
        e.seq.to_string(),
        e.time,
        e.period,
        e.actor,
        e.action,
        e.unit,
        e.detail,
        e.client,
    ]
}
