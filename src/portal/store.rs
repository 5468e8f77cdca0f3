//! Where uploads live.
//!
//! - `DIR/<period>/` holds each unit's current return, `<unit>.<ext>`: the folder `build`
//!   reads, so the command line and the portal share one truth; a file the office drops there
//!   by hand counts as submitted too.
//! - `DIR/uploads/<period>/<unit>/<id>.<ext>` keeps every upload, never overwritten or
//!   deleted, and once asked for its returned form `<id>_退回修改.xlsx`. `build DIR/<period>`
//!   never reads there. Each upload's record (time, name, result, SHA-256) is in
//!   [`super::db`]; the earlier versions' `<id>.json` beside it is imported from.
//!
//! Every file is written to a temporary name in its folder, synced, renamed into place and its
//! folder synced, before the page says it was received: a crash leaves the old file or the
//! new one, never a part of one, and a temporary name `build` skips (it starts with `~$`).

use super::PortalError;
use crate::period::Period;
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// One upload as the history keeps it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Upload {
    /// `20261130-205901-12301`: sorts by time, unique within the process and across restarts
    /// (the millisecond and a counter).
    pub id: String,
    /// China Standard Time, as the office reads it.
    pub time: String,
    /// The file name the unit's browser sent, for display only.
    pub original: String,
    /// The stored file's extension (lower case), or [`NOT_A_SPREADSHEET`].
    pub ext: String,
    pub status: UploadOutcome,
    pub errors: usize,
    pub warnings: usize,
    pub returned: bool,
    /// Whether it became the unit's current return (only that unit's return for the period
    /// does; records written before this field was kept were all current).
    #[serde(default = "kept_as_current")]
    pub current: bool,
    /// SHA-256 of the bytes received.
    #[serde(default)]
    pub sha256: String,
    /// The address it came from, as the server saw it.
    #[serde(default)]
    pub client: String,
    /// Received after the period's 截止时间.
    #[serde(default)]
    pub late: bool,
}

fn kept_as_current() -> bool {
    true
}

pub struct Store {
    pub data: PathBuf,
    pub period: Period,
}

static SEQUENCE: AtomicU64 = AtomicU64::new(0);

impl Store {
    /// The folder `build` reads.
    pub fn current_dir(&self) -> PathBuf {
        self.data.join(self.period.to_string())
    }

    fn history_dir(&self, unit: &str) -> PathBuf {
        self.data
            .join("uploads")
            .join(self.period.to_string())
            .join(unit)
    }

    /// A new upload's id and time.
    pub fn new_upload(&self, original: &str) -> Upload {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        let n = SEQUENCE.fetch_add(1, Ordering::Relaxed);
        let (date, clock) = china_time(now.as_secs());
        Upload {
            // Short enough to read out on the phone, still unique: the millisecond and the
            // process's counter (a restart takes longer than a millisecond).
            id: format!(
                "{}-{}-{:03}{:02}",
                date.replace('-', ""),
                clock.replace(':', ""),
                now.subsec_millis(),
                n % 100
            ),
            time: format!("{date} {clock}"),
            original: crate::text::without_bidi(original).into_owned(),
            ext: extension(original),
            status: UploadOutcome::Pending,
            errors: 0,
            warnings: 0,
            returned: false,
            current: false,
            sha256: String::new(),
            client: String::new(),
            late: false,
        }
    }

    /// Where the upload's own bytes are kept.
    pub fn upload_path(&self, unit: &str, u: &Upload) -> PathBuf {
        self.history_dir(unit).join(format!("{}.{}", u.id, u.ext))
    }

    /// The unit's current return when `u` is it.
    pub fn current_path(&self, unit: &str, u: &Upload) -> PathBuf {
        self.current_dir().join(format!("{unit}.{}", u.ext))
    }

    pub fn returned_path(&self, unit: &str, id: &str) -> PathBuf {
        self.history_dir(unit).join(format!("{id}_退回修改.xlsx"))
    }

    /// Keeps the upload's bytes in the history (before it is checked: nothing is lost).
    pub fn keep(&self, unit: &str, u: &Upload, bytes: &[u8]) -> Result<PathBuf, PortalError> {
        let path = self.upload_path(unit, u);
        write_synced(&path, bytes)?;
        Ok(path)
    }

    /// Makes the upload the unit's current return: the latest upload is the one `build`
    /// reads.
    pub fn place(&self, unit: &str, u: &Upload, bytes: &[u8]) -> Result<(), PortalError> {
        let current = self.current_dir();
        write_synced(&self.current_path(unit, u), bytes)?;
        // The portal's earlier current file of this unit under another extension goes: it
        // wrote that name itself, and two returns of one unit would conflict in `build`.
        for ext in crate::portal::EXTENSIONS {
            if *ext != u.ext {
                let old = current.join(format!("{unit}.{ext}"));
                if old.is_file() {
                    std::fs::remove_file(&old).map_err(|e| PortalError::io(&old, e))?;
                }
            }
        }
        Ok(())
    }

    /// How many uploads the unit has kept this period, and their bytes.
    pub fn usage(&self, unit: &str) -> (usize, u64) {
        let Ok(entries) = std::fs::read_dir(self.history_dir(unit)) else {
            return (0, 0);
        };
        entries
            .flatten()
            .filter(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                !name.ends_with(".json") && !name.starts_with("~$") && !name.contains("_退回修改")
            })
            .fold((0, 0), |(n, bytes), e| {
                (n + 1, bytes + e.metadata().map(|m| m.len()).unwrap_or(0))
            })
    }

    /// The files of the current folder, by name, sorted.
    pub fn current_files(&self) -> Vec<String> {
        let Ok(entries) = std::fs::read_dir(self.current_dir()) else {
            return Vec::new();
        };
        let mut names: Vec<String> = entries
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| !n.starts_with("~$") && !n.starts_with('.'))
            .collect();
        names.sort();
        names
    }
}

/// The extension an upload whose name is no spreadsheet's is kept under.
pub const NOT_A_SPREADSHEET: &str = "bin";

impl Upload {
    /// Whether its name was a spreadsheet's (.xlsx, .xls, .ods …).
    pub fn named_as_spreadsheet(&self) -> bool {
        self.ext != NOT_A_SPREADSHEET
    }
}

/// What became of an upload, as its record keeps it and the unit's page lists it. Stored as
/// the word shown (the records written before this type are read as they are).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum UploadOutcome {
    /// Being checked (a record is never written in this state).
    #[serde(rename = "")]
    Pending,
    #[serde(rename = "通过")]
    Accepted,
    #[serde(rename = "有提示")]
    Warnings,
    #[serde(rename = "退回修改")]
    Rejected,
    #[serde(rename = "已被修改稿取代")]
    Superseded,
    /// Kept, but not the unit's return for the period: its current return is unchanged.
    #[serde(rename = "未采用")]
    NotAdopted,
}

impl UploadOutcome {
    pub fn of(status: crate::validate::ReturnStatus) -> UploadOutcome {
        use crate::validate::ReturnStatus;
        match status {
            ReturnStatus::Accepted => UploadOutcome::Accepted,
            ReturnStatus::Warnings => UploadOutcome::Warnings,
            ReturnStatus::Rejected => UploadOutcome::Rejected,
            ReturnStatus::Superseded => UploadOutcome::Superseded,
        }
    }

    /// The outcome a word names (as the records store it).
    pub fn from_word(w: &str) -> Option<UploadOutcome> {
        [
            UploadOutcome::Pending,
            UploadOutcome::Accepted,
            UploadOutcome::Warnings,
            UploadOutcome::Rejected,
            UploadOutcome::Superseded,
            UploadOutcome::NotAdopted,
        ]
        .into_iter()
        .find(|o| o.word() == w)
    }

    /// The word the pages show.
    pub fn word(self) -> &'static str {
        match self {
            UploadOutcome::Pending => "",
            UploadOutcome::Accepted => "通过",
            UploadOutcome::Warnings => "有提示",
            UploadOutcome::Rejected => "退回修改",
            UploadOutcome::Superseded => "已被修改稿取代",
            UploadOutcome::NotAdopted => "未采用",
        }
    }
}

/// The extension an upload is kept under: its own when it names a spreadsheet, else
/// [`NOT_A_SPREADSHEET`].
fn extension(original: &str) -> String {
    let ext = Path::new(original)
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    if crate::portal::EXTENSIONS.contains(&ext.as_str()) {
        ext
    } else {
        NOT_A_SPREADSHEET.into()
    }
}

/// Writes `bytes` to `path` whole: a temporary file in the same folder, synced, renamed, and
/// the folder synced, so that after a crash the path holds the old bytes or the new ones.
pub fn write_synced(path: &Path, bytes: &[u8]) -> Result<(), PortalError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| PortalError::io(dir, e))?;
    let n = SEQUENCE.fetch_add(1, Ordering::Relaxed);
    // `~$` names are Office lock files to `check` and `build`: never read as a return.
    let tmp = dir.join(format!("~$portal-{}-{n}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)?;
        sync_dir(dir)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(|e| PortalError::io(path, e))
}

#[cfg(unix)]
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_: &Path) -> std::io::Result<()> {
    // Windows cannot open a folder to sync it; its renames are journaled by NTFS.
    Ok(())
}

/// Removes the temporary files a killed server left in `dir` (names it alone writes).
pub fn clear_temporaries(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with("~$portal-") && name.ends_with(".tmp") {
            let _ = std::fs::remove_file(e.path());
        } else if e.file_type().is_ok_and(|t| t.is_dir()) {
            clear_temporaries(&e.path());
        }
    }
}

/// Now, `2026-11-30 20:59:01` in China Standard Time: how records and the log write a time.
pub fn now_text() -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let (date, clock) = china_time(now.as_secs());
    format!("{date} {clock}")
}

/// (`2026-11-30`, `20:59:01`) in China Standard Time (UTC+8, no daylight saving).
fn china_time(unix_secs: u64) -> (String, String) {
    let secs = unix_secs + 8 * 3600;
    let days = (secs / 86_400) as i64;
    let rest = secs % 86_400;
    let (y, m, d) = crate::read::civil_from_days(days);
    (
        format!("{y:04}-{m:02}-{d:02}"),
        format!(
            "{:02}:{:02}:{:02}",
            rest / 3600,
            rest % 3600 / 60,
            rest % 60
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_written_before_the_outcome_was_typed_read_as_they_were() {
        let old = r#"{"id":"20261130-205901-123456789-1","time":"2026-11-30 20:59:01",
            "original":"水务局.xlsx","ext":"xlsx","status":"退回修改","errors":1,"warnings":0,
            "returned":true}"#;
        let u: Upload = serde_json::from_str(old).unwrap();
        assert_eq!(u.status, UploadOutcome::Rejected);
        assert!(u.current, "every record before the field was current");
        let again: Upload = serde_json::from_str(&serde_json::to_string(&u).unwrap()).unwrap();
        assert_eq!(again.status.word(), "退回修改");
    }

    #[test]
    fn times_are_china_standard_time() {
        // 2026-11-30 12:59:01 UTC is 20:59:01 in Beijing.
        assert_eq!(
            china_time(1_796_043_541),
            ("2026-11-30".to_string(), "20:59:01".to_string())
        );
    }

    #[test]
    fn an_upload_is_kept_and_becomes_current_and_the_older_extension_goes() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store {
            data: dir.path().to_path_buf(),
            period: Period::parse("2026Q3").unwrap(),
        };
        let first = store.new_upload("水务局.xls");
        store.keep("水务局", &first, b"one").unwrap();
        store.place("水务局", &first, b"one").unwrap();
        let second = store.new_upload("../../水务局 改.XLSX");
        assert_eq!(second.ext, "xlsx");
        store.keep("水务局", &second, b"two").unwrap();
        store.place("水务局", &second, b"two").unwrap();
        assert_eq!(store.current_files(), vec!["水务局.xlsx".to_string()]);
        assert_eq!(
            std::fs::read(store.upload_path("水务局", &first)).unwrap(),
            b"one"
        );
        assert!(!store.new_upload("a.exe").named_as_spreadsheet());
    }
}
