//! Writers: they lay out what the earlier stages decided. Each returns the file's bytes;
//! [`atomic`] puts bytes on disk so that a file is either whole or absent.

pub mod annotate;
pub mod form;
pub mod ledger;
pub mod output;
pub mod report;
mod style;
pub mod summary;
pub mod wording;

pub use style::column_width;

use std::path::Path;

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WriteError {
    #[error("无法生成表格：{0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    #[error("无法写入 {path}：{source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

/// Writes `bytes` to `path` through a temporary file in the same folder and a rename, so a
/// reader never sees half a file.
pub fn atomic(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    let io = |source| WriteError::Io {
        path: path.display().to_string(),
        source,
    };
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = std::fs::write(&tmp, bytes).and_then(|_| std::fs::rename(&tmp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(io)
}

/// A new workbook with the properties every one of ours carries: a fixed creation time, so the
/// same inputs give the same bytes, and the fastest zip level: ours are small files, and for the
/// county's 汇总表 level 1 against the default 6 costs 52 → 65 KB and saves a third of the
/// instructions spent writing it (BENCHMARKS.md).
pub fn workbook(title: &str) -> rust_xlsxwriter::Workbook {
    let epoch = rust_xlsxwriter::ExcelDateTime::from_ymd(2022, 6, 1).unwrap_or_else(|_| {
        // from_ymd only fails on an impossible date; 2022-06-01 is not one.
        rust_xlsxwriter::ExcelDateTime::from_serial_datetime(44713.0).unwrap_or_default()
    });
    let mut book = rust_xlsxwriter::Workbook::new();
    book.set_properties(
        &rust_xlsxwriter::DocProperties::new()
            .set_title(title)
            .set_author("土默特左旗生态环境分局")
            .set_creation_datetime(&epoch),
    );
    book.set_zip_compression_level(1);
    book
}
