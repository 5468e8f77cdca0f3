//! An output folder that appears whole or not at all: everything is written into a sibling
//! temporary folder, which replaces the target by rename only once all of it is written.

use super::WriteError;
use std::path::{Path, PathBuf};

pub struct Staging {
    pub dir: PathBuf,
    target: PathBuf,
    committed: bool,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> WriteError + '_ {
    move |source| WriteError::Io {
        path: path.display().to_string(),
        source,
    }
}

impl Staging {
    pub fn begin(target: &Path) -> Result<Staging, WriteError> {
        let parent = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent).map_err(io(parent))?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "out".into());
        // A build killed mid-way leaves its staging folder behind; the next one clears it (one
        // build per output folder at a time).
        if let Ok(entries) = std::fs::read_dir(parent) {
            let stale = format!(".{name}.tmp-");
            for e in entries.flatten() {
                if e.file_name().to_string_lossy().starts_with(&stale) {
                    let _ = std::fs::remove_dir_all(e.path());
                }
            }
        }
        let dir = parent.join(format!(".{name}.tmp-{}", std::process::id()));
        std::fs::create_dir(&dir).map_err(io(&dir))?;
        Ok(Staging {
            dir,
            target: target.to_path_buf(),
            committed: false,
        })
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
        let old = self.dir.with_extension("old");
        if self.target.exists() {
            std::fs::rename(&self.target, &old).map_err(io(&self.target))?;
        }
        if let Err(e) = std::fs::rename(&self.dir, &self.target) {
            // Put the previous output back rather than leave nothing.
            let _ = std::fs::rename(&old, &self.target);
            return Err(io(&self.target)(e));
        }
        let _ = std::fs::remove_dir_all(&old);
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
