//! An output folder that appears whole or not at all: everything is written into a sibling
//! temporary folder, which replaces the target by rename only once all of it is written.
//!
//! The rule behind every check here: `build` never deletes anything it did not write.
//! - An `--out` that is, contains or lies inside an input folder is refused: replacing it would
//!   move the returns away (or the next build would read last quarter's outputs as returns).
//! - An existing `--out` is replaced only when everything in it is something `build` writes
//!   (汇总表.xlsx, 评估报告.docx, 退回修改/*.xlsx); anything else there and the build refuses.
//! - One build per `--out` at a time: a lock file beside the folder (`.<name>.lock`) is held
//!   from the start of staging to the rename; a second build is refused, never mixed in. The
//!   holder removes it before letting go, and a build that locked a file already removed
//!   (its path now names another file or none) starts over, so removal never lets two in.
//! - What a killed build left beside the folder (its staging folder, or the previous output it
//!   had moved aside) is cleared or put back by the next build, under the same lock.

use super::WriteError;
use std::fs::File;
use std::path::{Path, PathBuf};

/// The files and folder `build` writes into `--out`: the only names it will ever replace.
pub const SUMMARY_FILE: &str = "汇总表.xlsx";
pub const REPORT_FILE: &str = "评估报告.docx";
/// A year's report: the 年度自评估报告 the county files.
pub const ANNUAL_REPORT_FILE: &str = "年度自评估报告.docx";
pub const RETURNED_DIR: &str = "退回修改";
const OWN_FILES: [&str; 3] = [SUMMARY_FILE, REPORT_FILE, ANNUAL_REPORT_FILE];

/// The report's file name for `period`.
pub fn report_file(period: crate::period::Period) -> &'static str {
    if period.is_annual() {
        ANNUAL_REPORT_FILE
    } else {
        REPORT_FILE
    }
}

pub struct Staging {
    pub dir: PathBuf,
    target: PathBuf,
    old: PathBuf,
    committed: bool,
    /// Held until the staging is dropped.
    _lock: Lock,
}

/// The lock file of one output folder, held; removed when dropped.
struct Lock {
    file: File,
    path: PathBuf,
}

impl Lock {
    fn take(path: &Path, target: &Path) -> Result<Lock, OutputError> {
        loop {
            let file = File::options()
                .create(true)
                .truncate(false)
                .write(true)
                .open(path)
                .map_err(io(path))?;
            match file.try_lock() {
                Ok(()) => {}
                Err(std::fs::TryLockError::WouldBlock) => {
                    return Err(OutputError::Busy(target.display().to_string()))
                }
                Err(std::fs::TryLockError::Error(e)) => return Err(io(path)(e).into()),
            }
            if same_file(&file, path) {
                return Ok(Lock {
                    file,
                    path: path.to_path_buf(),
                });
            }
        }
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
        let _ = self.file.unlock();
    }
}

/// Whether `path` still names the open `file` (another build may have removed it meanwhile).
#[cfg(unix)]
fn same_file(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_: &File, path: &Path) -> bool {
    // Windows does not let an open file be removed: the path is the file.
    path.exists()
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> WriteError + '_ {
    move |source| WriteError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// Why an output folder cannot be used. Each says what to do instead.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("输出文件夹 {out} 与填报表文件夹 {input} 相同或互相包含：写出时会移走或重复读取填报表。请用 --out 另选一个文件夹（例如 out/报告期）")]
    OverlapsInput { out: String, input: String },
    #[error("另一个 build 正在写入 {0}：请等它结束后再运行，或用 --out 另选一个文件夹")]
    Busy(String),
    #[error("输出文件夹 {out} 里有不是本工具写出的内容（{found}）：为免误删，没有覆盖。请用 --out 另选一个文件夹，或先把这些内容移走")]
    Foreign { out: String, found: String },
    #[error("{file} 正在 Excel、WPS 或 LibreOffice 中打开（输出文件夹 {out} 里有它的锁定文件 {lock}）：请先关闭这个文件再重新汇总；如已关闭，可删除这个锁定文件")]
    Open {
        out: String,
        file: String,
        lock: String,
    },
    #[error(transparent)]
    Write(#[from] WriteError),
}

/// The file an office program's lock file stands for: Excel and WPS write `~$name` (Excel
/// drops a long name's first characters), LibreOffice `.~lock.name#`.
fn locked_by(lock: &str) -> Option<String> {
    if let Some(inner) = lock
        .strip_prefix(".~lock.")
        .and_then(|n| n.strip_suffix('#'))
    {
        return Some(inner.to_string());
    }
    let rest = lock.strip_prefix("~$")?;
    Some(
        OWN_FILES
            .iter()
            .find(|own| own.ends_with(rest))
            .map_or_else(|| rest.to_string(), |own| own.to_string()),
    )
}

impl Staging {
    /// Starts a build into `target`, which must not overlap any of `inputs`.
    pub fn begin(target: &Path, inputs: &[PathBuf]) -> Result<Staging, OutputError> {
        for input in inputs {
            refuse_overlap(target, input)?;
        }
        let parent = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent).map_err(io(parent))?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "out".into());
        let lock_path = parent.join(format!(".{name}.lock"));
        let lock = Lock::take(&lock_path, target)?;
        let old = parent.join(format!(".{name}.old"));
        recover(parent, &name, target, &old)?;
        if let Some(found) = foreign_entry(target) {
            let out = target.display().to_string();
            let file_name = Path::new(&found)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            return Err(match locked_by(&file_name) {
                Some(file) => OutputError::Open {
                    out,
                    file,
                    lock: found,
                },
                None => OutputError::Foreign { out, found },
            });
        }
        let dir = parent.join(format!(".{name}.tmp-{}", std::process::id()));
        std::fs::create_dir(&dir).map_err(io(&dir))?;
        Ok(Staging {
            dir,
            target: target.to_path_buf(),
            old,
            committed: false,
            _lock: lock,
        })
    }

    /// The folder the outputs will be in once committed.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Writes one file into the staging folder.
    pub fn write(&self, relative: &str, bytes: &[u8]) -> Result<PathBuf, WriteError> {
        let path = self.dir.join(relative);
        if let Some(p) = path.parent() {
            std::fs::create_dir_all(p).map_err(io(p))?;
        }
        std::fs::write(&path, bytes).map_err(io(&path))?;
        Ok(self.target.join(relative))
    }

    /// Replaces the target with the staged folder.
    pub fn commit(mut self) -> Result<(), WriteError> {
        if self.target.exists() {
            std::fs::rename(&self.target, &self.old).map_err(io(&self.target))?;
        }
        if let Err(e) = std::fs::rename(&self.dir, &self.target) {
            // Put the previous output back rather than leave nothing.
            let _ = std::fs::rename(&self.old, &self.target);
            return Err(io(&self.target)(e));
        }
        let _ = std::fs::remove_dir_all(&self.old);
        self.committed = true;
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Clears what a killed build left beside `target` (we hold the lock: nothing else is running).
fn recover(parent: &Path, name: &str, target: &Path, old: &Path) -> Result<(), WriteError> {
    let stale = format!(".{name}.tmp-");
    if let Ok(entries) = std::fs::read_dir(parent) {
        for e in entries.flatten() {
            if e.file_name().to_string_lossy().starts_with(&stale) {
                let _ = std::fs::remove_dir_all(e.path());
            }
        }
    }
    if old.exists() {
        if target.exists() {
            // The build got as far as its rename: the old folder is only what it replaced.
            std::fs::remove_dir_all(old).map_err(io(old))?;
        } else {
            // Killed between the two renames: the previous output goes back where it was.
            std::fs::rename(old, target).map_err(io(target))?;
        }
    }
    Ok(())
}

/// The first thing in `target` that `build` did not write, if any.
fn foreign_entry(target: &Path) -> Option<String> {
    let meta = std::fs::symlink_metadata(target).ok()?;
    if !meta.is_dir() {
        return Some(target.display().to_string());
    }
    let Ok(entries) = std::fs::read_dir(target) else {
        return Some(target.display().to_string());
    };
    let mut names: Vec<(String, std::fs::FileType)> = entries
        .flatten()
        .filter_map(|e| {
            Some((
                e.file_name().to_string_lossy().into_owned(),
                e.file_type().ok()?,
            ))
        })
        .collect();
    names.sort_by(|a, b| a.0.cmp(&b.0));
    for (n, kind) in names {
        let own = if n == RETURNED_DIR {
            if let Some(lock) = office_lock_in(&target.join(&n)) {
                return Some(format!("{RETURNED_DIR}/{lock}"));
            }
            kind.is_dir() && only_workbooks(&target.join(&n))
        } else {
            kind.is_file() && OWN_FILES.contains(&n.as_str())
        };
        if !own {
            return Some(n);
        }
    }
    None
}

/// An office program's lock file in `dir` (a returned copy open in Excel), if any.
fn office_lock_in(dir: &Path) -> Option<String> {
    let entries = std::fs::read_dir(dir).ok()?;
    let mut locks: Vec<String> = entries
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| locked_by(n).is_some())
        .collect();
    locks.sort();
    locks.into_iter().next()
}

fn only_workbooks(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries.flatten().all(|e| {
            e.file_type().is_ok_and(|t| t.is_file())
                && e.file_name().to_string_lossy().ends_with(".xlsx")
        })
    })
}

/// `out` must be neither `input`, nor inside it, nor hold it.
fn refuse_overlap(out: &Path, input: &Path) -> Result<(), OutputError> {
    let (Some(o), Some(i)) = (resolved(out), resolved(input)) else {
        return Ok(());
    };
    if o.starts_with(&i) || i.starts_with(&o) {
        return Err(OutputError::OverlapsInput {
            out: out.display().to_string(),
            input: input.display().to_string(),
        });
    }
    Ok(())
}

/// `path` made absolute with its links resolved, for the part of it that exists.
fn resolved(path: &Path) -> Option<PathBuf> {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().ok()?.join(path)
    };
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(c) = existing.canonicalize() {
            let mut out = c;
            for part in rest.iter().rev() {
                match part {
                    std::path::Component::ParentDir => {
                        out.pop();
                    }
                    std::path::Component::Normal(p) => out.push(p),
                    _ => {}
                }
            }
            return Some(out);
        }
        rest.push(existing.components().next_back()?);
        existing = existing.parent()?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(files: &[&str]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for f in files {
            let p = dir.path().join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, b"x").unwrap();
        }
        dir
    }

    #[test]
    fn an_output_overlapping_an_input_is_refused() {
        let root = tree(&["returns/水务局.xlsx"]);
        let input = root.path().join("returns");
        for out in [
            input.clone(),
            root.path().to_path_buf(),
            input.join("out"),
            input.join("a/../b"),
        ] {
            let e = Staging::begin(&out, std::slice::from_ref(&input)).err();
            assert!(
                matches!(e, Some(OutputError::OverlapsInput { .. })),
                "{out:?}: {e:?}"
            );
        }
        assert!(root.path().join("returns/水务局.xlsx").exists());
        assert!(Staging::begin(&root.path().join("out"), &[input]).is_ok());
    }

    #[test]
    fn a_folder_with_foreign_files_is_not_replaced() {
        let root = tree(&["out/汇总表.xlsx", "out/退回修改/a.xlsx", "out/我的笔记.txt"]);
        let e = Staging::begin(&root.path().join("out"), &[]).err();
        assert!(matches!(e, Some(OutputError::Foreign { found, .. }) if found == "我的笔记.txt"));
        let root = tree(&[
            "out/汇总表.xlsx",
            "out/退回修改/a.xlsx",
            "out/退回修改/b.docx",
        ]);
        assert!(Staging::begin(&root.path().join("out"), &[]).is_err());
        let root = tree(&[
            "out/汇总表.xlsx",
            "out/评估报告.docx",
            "out/退回修改/a.xlsx",
        ]);
        let s = Staging::begin(&root.path().join("out"), &[]).unwrap();
        s.write("汇总表.xlsx", b"new").unwrap();
        s.commit().unwrap();
        let out = root.path().join("out");
        assert_eq!(std::fs::read(out.join("汇总表.xlsx")).unwrap(), b"new");
        assert!(!out.join("评估报告.docx").exists());
    }

    #[test]
    fn a_second_build_into_the_same_folder_is_refused_while_the_first_runs() {
        let root = tree(&[]);
        let out = root.path().join("out");
        let first = Staging::begin(&out, &[]).unwrap();
        first.write("汇总表.xlsx", b"first").unwrap();
        let second = Staging::begin(&out, &[]).err();
        assert!(matches!(second, Some(OutputError::Busy(_))), "{second:?}");
        // The first build's staging folder survived the attempt.
        first.commit().unwrap();
        assert_eq!(std::fs::read(out.join("汇总表.xlsx")).unwrap(), b"first");
        assert!(Staging::begin(&out, &[]).is_ok());
    }

    #[test]
    fn what_a_killed_build_left_is_recovered() {
        // Killed between the renames: the previous output is aside, the target gone.
        let root = tree(&[".out.old/汇总表.xlsx", ".out.tmp-99999/评估报告.docx"]);
        let out = root.path().join("out");
        let s = Staging::begin(&out, &[]).unwrap();
        assert!(out.join("汇总表.xlsx").exists(), "previous output restored");
        assert!(!root.path().join(".out.tmp-99999").exists());
        s.write("汇总表.xlsx", b"new").unwrap();
        s.commit().unwrap();
        assert_eq!(std::fs::read(out.join("汇总表.xlsx")).unwrap(), b"new");
        // Killed after the second rename: the old folder is only what was replaced.
        let root = tree(&[".out.old/汇总表.xlsx", "out/汇总表.xlsx"]);
        let out = root.path().join("out");
        Staging::begin(&out, &[]).unwrap().commit().unwrap();
        assert!(!root.path().join(".out.old").exists());
    }
}
