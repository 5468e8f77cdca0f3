//! Which files a `check` or `build` reads: the files named, and every file under the folders
//! named, recursively, in a stable order. Office lock files (`~$…`) are ignored; everything
//! else is read or reported, never skipped silently.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("路径不存在：{0}")]
    Missing(String),
}

/// A file to read, or a folder that could not be listed (reported as a diagnostic).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Input {
    File(PathBuf),
    Unlistable {
        path: PathBuf,
        reason: String,
    },
    /// A symbolic link that leads out of the folder named: not followed, so a link to `/` or
    /// to the output folder cannot bring foreign files (or our own outputs) in as returns.
    OutsideLink {
        path: PathBuf,
        target: PathBuf,
    },
}

pub fn collect(paths: &[PathBuf]) -> Result<Vec<Input>, InputError> {
    let mut out = BTreeSet::new();
    for p in paths {
        let meta =
            std::fs::metadata(p).map_err(|_| InputError::Missing(p.display().to_string()))?;
        if meta.is_dir() {
            let mut visited = BTreeSet::new();
            let root = p.canonicalize().unwrap_or_else(|_| p.clone());
            walk(p, &root, &mut visited, &mut out);
        } else {
            out.insert(Input::File(p.clone()));
        }
    }
    Ok(out.into_iter().collect())
}

fn walk(dir: &Path, root: &Path, visited: &mut BTreeSet<PathBuf>, out: &mut BTreeSet<Input>) {
    // A symlink loop brings us back to a folder already seen: stop there.
    let Ok(canonical) = dir.canonicalize() else {
        return;
    };
    if !visited.insert(canonical) {
        return;
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            out.insert(Input::Unlistable {
                path: dir.to_path_buf(),
                reason: e.to_string(),
            });
            return;
        }
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with("~$") || name.starts_with(".~lock.") {
            continue;
        }
        // The entry's type comes with the listing; only a symlink needs a stat to follow it,
        // and it is followed only while it stays inside the folder named.
        let is_dir = match entry.file_type() {
            Ok(t) if !t.is_symlink() => t.is_dir(),
            _ => {
                if let Ok(target) = path.canonicalize() {
                    if !target.starts_with(root) {
                        out.insert(Input::OutsideLink { path, target });
                        continue;
                    }
                }
                std::fs::metadata(&path).is_ok_and(|m| m.is_dir())
            }
        };
        if is_dir {
            walk(&path, root, visited, out);
        } else {
            out.insert(Input::File(path));
        }
    }
}
