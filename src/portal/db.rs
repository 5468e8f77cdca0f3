//! The portal's records in one SQLite database, `DIR/portal/portal.db`: every upload, the
//! office's review of each unit's current return, each period's deadline and lock, and the
//! audit log of every action.
//!
//! The files stay where [`super::store`] puts them (`DIR/<period>/` is what `build` reads). An
//! upload that becomes current is committed first with `placed = 0`, then its file is put in
//! the folder and the row marked placed: a server killed in between finds the row on its next
//! start and puts the file again ([`Db::unplaced`]), so the records and the folder agree.

use super::store::{Upload, UploadOutcome};
use super::PortalError;
use rusqlite::{params, Connection, OptionalExtension};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

pub fn file(data: &Path) -> PathBuf {
    data.join("portal").join("portal.db")
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS uploads (
    id TEXT PRIMARY KEY,
    period TEXT NOT NULL,
    unit TEXT NOT NULL,
    time TEXT NOT NULL,
    original TEXT NOT NULL,
    ext TEXT NOT NULL,
    status TEXT NOT NULL,
    errors INTEGER NOT NULL,
    warnings INTEGER NOT NULL,
    returned INTEGER NOT NULL,
    current INTEGER NOT NULL,
    placed INTEGER NOT NULL DEFAULT 1,
    sha256 TEXT NOT NULL DEFAULT '',
    client TEXT NOT NULL DEFAULT '',
    late INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS uploads_of_unit ON uploads (period, unit, id);
CREATE TABLE IF NOT EXISTS periods (
    period TEXT PRIMARY KEY,
    deadline TEXT,
    locked INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS reviews (
    period TEXT NOT NULL,
    unit TEXT NOT NULL,
    state TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    opinion TEXT NOT NULL,
    time TEXT NOT NULL,
    PRIMARY KEY (period, unit)
);
CREATE TABLE IF NOT EXISTS log (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    time TEXT NOT NULL,
    period TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    unit TEXT NOT NULL,
    detail TEXT NOT NULL,
    client TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
";

/// The office's verdict on a unit's current return.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum ReviewState {
    #[serde(rename = "已审核")]
    Approved,
    #[serde(rename = "已退回")]
    Returned,
}

impl ReviewState {
    /// The office's act that made it, as the log and the archive's 清单 name it.
    pub fn action(self) -> &'static str {
        match self {
            ReviewState::Approved => "审核通过",
            ReviewState::Returned => "退回修改",
        }
    }

    fn word(self) -> &'static str {
        match self {
            ReviewState::Approved => "已审核",
            ReviewState::Returned => "已退回",
        }
    }

    fn from_word(w: &str) -> Option<ReviewState> {
        match w {
            "已审核" => Some(ReviewState::Approved),
            "已退回" => Some(ReviewState::Returned),
            _ => None,
        }
    }
}

/// A review as recorded: for the file with this SHA-256 (another file is not reviewed yet).
#[derive(Debug, Clone, PartialEq)]
pub struct Review {
    pub state: ReviewState,
    pub sha256: String,
    pub opinion: String,
    pub time: String,
}

/// A period's deadline (`2026-10-15 17:00:00`, China Standard Time) and lock.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PeriodState {
    pub deadline: Option<String>,
    pub locked: bool,
}

/// One line of the audit log.
#[derive(Debug, Clone, serde::Serialize)]
pub struct LogEntry {
    pub seq: i64,
    pub time: String,
    pub period: String,
    /// 生态环境分局, a unit's name, or 命令行.
    pub actor: String,
    pub action: String,
    pub unit: String,
    pub detail: String,
    pub client: String,
}

/// What a new log line says (its sequence number and time are the database's and the clock's).
#[derive(Debug, Clone, Default)]
pub struct Action<'a> {
    pub period: &'a str,
    pub actor: &'a str,
    pub action: &'a str,
    pub unit: &'a str,
    pub detail: String,
    pub client: &'a str,
}

/// What the first start imported: the records, and each record file that could not be
/// imported whole (unreadable, or its upload's file missing), in words.
#[derive(Debug, Default)]
pub struct Imported {
    pub records: usize,
    pub problems: Vec<String>,
}

pub struct Db {
    path: PathBuf,
    conn: Mutex<Connection>,
}

impl Db {
    /// Opens (or creates) the database, and on its first start imports the upload records
    /// the earlier versions kept as `<id>.json` beside each upload.
    pub fn open(data: &Path) -> Result<Db, PortalError> {
        let path = file(data);
        let dir = path.parent().unwrap_or(data);
        std::fs::create_dir_all(dir).map_err(|e| PortalError::io(dir, e))?;
        let conn = Connection::open(&path).map_err(|e| db_error(&path, e))?;
        let db = Db {
            path: path.clone(),
            conn: Mutex::new(conn),
        };
        db.with(|c| {
            // WAL: the command line (`links`) reads and writes beside a running server; FULL:
            // a commit is on disk before the receipt is shown. The command line (`links`) may write while
            // the server runs: it waits for the lock instead of failing.
            c.busy_timeout(std::time::Duration::from_secs(10))?;
            c.pragma_update(None, "journal_mode", "WAL")?;
            c.pragma_update(None, "synchronous", "FULL")?;
            c.execute_batch(SCHEMA)
        })?;
        Ok(db)
    }

    fn with<T>(
        &self,
        f: impl FnOnce(&mut Connection) -> rusqlite::Result<T>,
    ) -> Result<T, PortalError> {
        let mut conn = self.conn.lock().unwrap_or_else(|e| e.into_inner());
        f(&mut conn).map_err(|e| db_error(&self.path, e))
    }

    /// Imports `uploads/<period>/<unit>/<id>.json` once (the first start of this version),
    /// each with its file's SHA-256. Returns how many records were imported.
    pub fn import_json(&self, data: &Path) -> Result<Imported, PortalError> {
        let done = self.with(|c| {
            c.query_row(
                "SELECT value FROM meta WHERE key = 'imported_json'",
                [],
                |r| r.get::<_, String>(0),
            )
            .optional()
        })?;
        if done.is_some() {
            return Ok(Imported::default());
        }
        let (found, problems) = old_records(&data.join("uploads"));
        self.with(|c| {
            let tx = c.transaction()?;
            let mut n = 0;
            for (period, unit, upload) in &found {
                n += insert(&tx, period, unit, upload, true)?;
            }
            tx.execute(
                "INSERT INTO meta (key, value) VALUES ('imported_json', ?1)",
                params![n.to_string()],
            )?;
            if n > 0 || !problems.is_empty() {
                let mut detail = format!("导入早期版本保存的上传记录 {n} 条");
                if !problems.is_empty() {
                    detail.push_str(&format!("；{}", problems.join("；")));
                }
                log_in(
                    &tx,
                    &Action {
                        actor: "门户",
                        action: "导入记录",
                        detail,
                        ..Action::default()
                    },
                )?;
            }
            tx.commit()?;
            Ok(Imported {
                records: n,
                problems,
            })
        })
    }

    /// Records an upload. One that becomes current is recorded unplaced (its file not yet in
    /// the folder), and a 退回 of the unit's earlier return is settled by it: the office
    /// reviews the new one.
    pub fn receive(&self, period: &str, unit: &str, u: &Upload) -> Result<(), PortalError> {
        self.with(|c| {
            let tx = c.transaction()?;
            insert(&tx, period, unit, u, !u.current)?;
            if u.current {
                tx.execute(
                    "DELETE FROM reviews WHERE period = ?1 AND unit = ?2 AND state = '已退回'",
                    params![period, unit],
                )?;
            }
            log_in(
                &tx,
                &Action {
                    period,
                    actor: unit,
                    action: "上传",
                    unit,
                    detail: upload_detail(u),
                    client: &u.client,
                },
            )?;
            tx.commit()
        })
    }

    /// The upload's file is in the folder. Committed without waiting for the disk: lost in a
    /// power cut, it only makes the next start put the same file in place again; the next
    /// synced commit carries it anyway.
    pub fn placed(&self, id: &str) -> Result<(), PortalError> {
        self.with(|c| {
            c.pragma_update(None, "synchronous", "NORMAL")?;
            let done = c.execute("UPDATE uploads SET placed = 1 WHERE id = ?1", params![id]);
            c.pragma_update(None, "synchronous", "FULL")?;
            done
        })
        .map(|_| ())
    }

    /// The upload did not become current after all (its file could not be put in the folder):
    /// the record says so, the unit's earlier return stays the current one.
    pub fn abandon(&self, id: &str, why: &str) -> Result<(), PortalError> {
        self.with(|c| {
            let tx = c.transaction()?;
            tx.execute(
                "UPDATE uploads SET current = 0, placed = 1, status = '未采用' WHERE id = ?1",
                params![id],
            )?;
            let (period, unit): (String, String) = tx.query_row(
                "SELECT period, unit FROM uploads WHERE id = ?1",
                params![id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            log_in(
                &tx,
                &Action {
                    period: &period,
                    actor: "门户",
                    action: "未能放入",
                    unit: &unit,
                    detail: format!("回执编号 {id} 的文件未能放入本期文件夹，未采用：{why}"),
                    client: "",
                },
            )?;
            tx.commit()
        })
    }

    /// Whether this upload is the unit's latest current one (a later upload may have been
    /// placed after it).
    pub fn is_latest_current(&self, period: &str, unit: &str, id: &str) -> bool {
        self.latest_current(period, unit)
            .is_some_and(|u| u.id == id)
    }

    /// Uploads recorded as current whose file may not have reached the folder (the server
    /// stopped in between), with their period and unit.
    pub fn unplaced(&self) -> Result<Vec<(String, String, Upload)>, PortalError> {
        self.with(|c| {
            let mut q = c.prepare(&format!(
                "SELECT period, unit, {COLUMNS} FROM uploads WHERE current = 1 AND placed = 0 ORDER BY rowid"
            ))?;
            let rows = q.query_map([], |r| Ok((r.get(0)?, r.get(1)?, upload_at(r, 2)?)))?;
            rows.collect()
        })
    }

    /// The unit's uploads of the period, newest first, at most `max`.
    pub fn uploads(&self, period: &str, unit: &str, max: usize) -> Vec<Upload> {
        self.with(|c| {
            let mut q = c.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM uploads WHERE period = ?1 AND unit = ?2 ORDER BY rowid DESC LIMIT ?3"
            ))?;
            let rows = q.query_map(params![period, unit, max.min(i64::MAX as usize) as i64], |r| {
                upload_at(r, 0)
            })?;
            rows.collect()
        })
        .unwrap_or_default()
    }

    pub fn upload(&self, period: &str, unit: &str, id: &str) -> Option<Upload> {
        self.with(|c| {
            c.query_row(
                &format!(
                    "SELECT {COLUMNS} FROM uploads WHERE period = ?1 AND unit = ?2 AND id = ?3"
                ),
                params![period, unit, id],
                |r| upload_at(r, 0),
            )
            .optional()
        })
        .ok()
        .flatten()
    }

    /// The unit's latest upload that became its current return.
    pub fn latest_current(&self, period: &str, unit: &str) -> Option<Upload> {
        self.with(|c| {
            c.query_row(
                &format!(
                    "SELECT {COLUMNS} FROM uploads WHERE period = ?1 AND unit = ?2 AND current = 1 ORDER BY rowid DESC LIMIT 1"
                ),
                params![period, unit],
                |r| upload_at(r, 0),
            )
            .optional()
        })
        .ok()
        .flatten()
    }

    /// The period's deadline and lock; a failure to read them is an error, never "unlocked".
    pub fn try_period_state(&self, period: &str) -> Result<PeriodState, PortalError> {
        self.with(|c| {
            c.query_row(
                "SELECT deadline, locked FROM periods WHERE period = ?1",
                params![period],
                |r| {
                    Ok(PeriodState {
                        deadline: r.get(0)?,
                        locked: r.get::<_, i64>(1)? != 0,
                    })
                },
            )
            .optional()
        })
        .map(Option::unwrap_or_default)
    }

    /// As [`Db::try_period_state`], for what pages show (a failure shows as no deadline).
    pub fn period_state(&self, period: &str) -> PeriodState {
        self.try_period_state(period).unwrap_or_default()
    }

    /// Sets (or with `None` clears) the period's deadline, and logs it.
    pub fn set_deadline(&self, deadline: Option<&str>, what: Action) -> Result<(), PortalError> {
        self.with(|c| {
            let tx = c.transaction()?;
            tx.execute(
                "INSERT INTO periods (period, deadline) VALUES (?1, ?2)
                 ON CONFLICT (period) DO UPDATE SET deadline = excluded.deadline",
                params![what.period, deadline],
            )?;
            log_in(&tx, &what)?;
            tx.commit()
        })
    }

    pub fn set_locked(&self, locked: bool, what: Action) -> Result<(), PortalError> {
        self.with(|c| {
            let tx = c.transaction()?;
            tx.execute(
                "INSERT INTO periods (period, locked) VALUES (?1, ?2)
                 ON CONFLICT (period) DO UPDATE SET locked = excluded.locked",
                params![what.period, locked as i64],
            )?;
            log_in(&tx, &what)?;
            tx.commit()
        })
    }

    /// The office's review of the unit's return; a failure to read it is an error.
    pub fn try_review(&self, period: &str, unit: &str) -> Result<Option<Review>, PortalError> {
        let row = self.with(|c| {
            c.query_row(
                "SELECT state, sha256, opinion, time FROM reviews WHERE period = ?1 AND unit = ?2",
                params![period, unit],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                    ))
                },
            )
            .optional()
        })?;
        Ok(row.and_then(|(state, sha256, opinion, time)| {
            Some(Review {
                state: ReviewState::from_word(&state)?,
                sha256,
                opinion,
                time,
            })
        }))
    }

    /// As [`Db::try_review`], for what pages show.
    pub fn review(&self, period: &str, unit: &str) -> Option<Review> {
        self.try_review(period, unit).ok().flatten()
    }

    /// Records the office's review of the file `review.sha256` (replacing an earlier one).
    pub fn set_review(&self, review: &Review, what: Action) -> Result<(), PortalError> {
        self.with(|c| {
            let tx = c.transaction()?;
            tx.execute(
                "INSERT OR REPLACE INTO reviews (period, unit, state, sha256, opinion, time)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    what.period,
                    what.unit,
                    review.state.word(),
                    review.sha256,
                    review.opinion,
                    review.time
                ],
            )?;
            log_in(&tx, &what)?;
            tx.commit()
        })
    }

    /// 重新开放: the unit's return is not reviewed any more, and it may upload again.
    pub fn reopen(&self, what: Action) -> Result<(), PortalError> {
        self.with(|c| {
            let tx = c.transaction()?;
            tx.execute(
                "DELETE FROM reviews WHERE period = ?1 AND unit = ?2",
                params![what.period, what.unit],
            )?;
            log_in(&tx, &what)?;
            tx.commit()
        })
    }

    pub fn log(&self, what: Action) -> Result<(), PortalError> {
        self.with(|c| log_in(c, &what))
    }

    /// The latest `max` log lines, newest first.
    pub fn latest_log(&self, max: usize) -> Vec<LogEntry> {
        self.with(|c| {
            let mut q = c.prepare_cached(
                "SELECT seq, time, period, actor, action, unit, detail, client FROM log
                 ORDER BY seq DESC LIMIT ?1",
            )?;
            let rows = q.query_map(params![max.min(i64::MAX as usize) as i64], |r| {
                Ok(LogEntry {
                    seq: r.get(0)?,
                    time: r.get(1)?,
                    period: r.get(2)?,
                    actor: r.get(3)?,
                    action: r.get(4)?,
                    unit: r.get(5)?,
                    detail: r.get(6)?,
                    client: r.get(7)?,
                })
            })?;
            rows.collect()
        })
        .unwrap_or_default()
    }
}

const COLUMNS: &str =
    "id, time, original, ext, status, errors, warnings, returned, current, sha256, client, late";

fn upload_at(r: &rusqlite::Row, at: usize) -> rusqlite::Result<Upload> {
    let status: String = r.get(at + 4)?;
    Ok(Upload {
        id: r.get(at)?,
        time: r.get(at + 1)?,
        original: r.get(at + 2)?,
        ext: r.get(at + 3)?,
        status: UploadOutcome::from_word(&status).unwrap_or(UploadOutcome::NotAdopted),
        errors: r.get::<_, i64>(at + 5)? as usize,
        warnings: r.get::<_, i64>(at + 6)? as usize,
        returned: r.get::<_, i64>(at + 7)? != 0,
        current: r.get::<_, i64>(at + 8)? != 0,
        sha256: r.get(at + 9)?,
        client: r.get(at + 10)?,
        late: r.get::<_, i64>(at + 11)? != 0,
    })
}

/// Inserts an upload (an id already recorded is left as it is); 1 when it was new.
fn insert(
    c: &Connection,
    period: &str,
    unit: &str,
    u: &Upload,
    placed: bool,
) -> rusqlite::Result<usize> {
    c.execute(
        "INSERT OR IGNORE INTO uploads
         (id, period, unit, time, original, ext, status, errors, warnings, returned, current,
          placed, sha256, client, late)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
        params![
            u.id,
            period,
            unit,
            u.time,
            u.original,
            u.ext,
            u.status.word(),
            u.errors as i64,
            u.warnings as i64,
            u.returned as i64,
            u.current as i64,
            placed as i64,
            u.sha256,
            u.client,
            u.late as i64,
        ],
    )
}

fn log_in(c: &Connection, what: &Action) -> rusqlite::Result<()> {
    c.execute(
        "INSERT INTO log (time, period, actor, action, unit, detail, client)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            super::store::now_text(),
            what.period,
            what.actor,
            what.action,
            what.unit,
            what.detail,
            what.client
        ],
    )
    .map(|_| ())
}

/// How the log describes an upload: the file, its SHA-256 and what became of it.
fn upload_detail(u: &Upload) -> String {
    let mut s = format!(
        "{}（回执编号 {}，SHA-256 {}）：{}",
        u.original,
        u.id,
        u.sha256,
        u.status.word()
    );
    if u.errors + u.warnings > 0 {
        s.push_str(&format!("，错误 {} 处、提示 {} 处", u.errors, u.warnings));
    }
    if u.late {
        s.push_str("，逾期");
    }
    s
}

/// The JSON records of the earlier versions: (period, unit, upload), each with its file's
/// SHA-256; and what could not be read, in words.
fn old_records(uploads: &Path) -> (Vec<(String, String, Upload)>, Vec<String>) {
    use sha2::{Digest, Sha256};
    let mut found = Vec::new();
    let mut problems = Vec::new();
    for period in sorted_dirs(uploads) {
        for unit in sorted_dirs(&period) {
            let Ok(entries) = std::fs::read_dir(&unit) else {
                continue;
            };
            let mut names: Vec<PathBuf> = entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "json"))
                .collect();
            names.sort();
            for json in names {
                let where_ = format!("{}/{}/{}", name(&period), name(&unit), name(&json));
                let Some(mut u) = std::fs::read(&json)
                    .ok()
                    .and_then(|b| serde_json::from_slice::<Upload>(&b).ok())
                else {
                    problems.push(format!("记录 {where_} 无法读取，未导入（文件仍在原处）"));
                    continue;
                };
                match std::fs::read(unit.join(format!("{}.{}", u.id, u.ext))) {
                    Ok(bytes) => u.sha256 = crate::text::hex(&Sha256::digest(&bytes)),
                    Err(_) => problems.push(format!(
                        "记录 {where_} 对应的上传文件不在，已导入但没有 SHA-256"
                    )),
                }
                found.push((name(&period), name(&unit), u));
            }
        }
    }
    (found, problems)
}

fn sorted_dirs(dir: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.path())
        .collect();
    dirs.sort();
    dirs
}

fn name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn db_error(path: &Path, e: rusqlite::Error) -> PortalError {
    PortalError::Records {
        path: path.display().to_string(),
        detail: e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn upload(id: &str) -> Upload {
        Upload {
            id: id.into(),
            time: "2026-10-01 10:00:00".into(),
            original: "水务局.xlsx".into(),
            ext: "xlsx".into(),
            status: UploadOutcome::Accepted,
            errors: 0,
            warnings: 0,
            returned: false,
            current: true,
            sha256: "ab".into(),
            client: "10.0.0.1".into(),
            late: false,
        }
    }

    #[test]
    fn an_upload_that_could_not_be_placed_stops_being_current_and_the_latest_is_by_arrival() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(dir.path()).unwrap();
        // Ids sort by time; arrival (insertion, under the upload lock) decides what is latest.
        db.receive("2026Q3", "水务局", &upload("20261001-100000-00002"))
            .unwrap();
        db.receive("2026Q3", "水务局", &upload("20261001-100000-00001"))
            .unwrap();
        assert!(db.is_latest_current("2026Q3", "水务局", "20261001-100000-00001"));
        assert_eq!(db.unplaced().unwrap().len(), 2);
        db.abandon("20261001-100000-00001", "磁盘已满").unwrap();
        assert!(db.is_latest_current("2026Q3", "水务局", "20261001-100000-00002"));
        let abandoned = db
            .upload("2026Q3", "水务局", "20261001-100000-00001")
            .unwrap();
        assert!(!abandoned.current);
        assert_eq!(abandoned.status, UploadOutcome::NotAdopted);
        assert_eq!(db.unplaced().unwrap().len(), 1);
        let log = db.latest_log(10);
        assert!(log
            .iter()
            .any(|e| e.action == "未能放入" && e.detail.contains("磁盘已满")));
    }
}
