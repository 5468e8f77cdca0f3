//! What kind of file this really is, before any spreadsheet reader touches it.
//!
//! calamine's errors say little about *why* a file cannot be opened (and its auto-open loses
//! even that), so the container is looked at first: magic bytes, encryption, and a capped
//! inflation of every zip entry, since the sizes in zip headers can lie.

use super::{Format, Limits, ReadError};
use std::io::{Cursor, Read};

const ZIP: &[u8] = b"PK\x03\x04";
const ZIP_EMPTY: &[u8] = b"PK\x05\x06";
const OLE: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// The container the bytes are in, whatever the extension says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Container {
    Zip,
    Ole,
    Other,
}

pub fn container(bytes: &[u8]) -> Container {
    if bytes.starts_with(ZIP) || bytes.starts_with(ZIP_EMPTY) {
        Container::Zip
    } else if bytes.starts_with(OLE) {
        Container::Ole
    } else {
        Container::Other
    }
}

/// An OOXML file saved with a password is an OLE container holding `EncryptedPackage`.
fn ole_is_encrypted_ooxml(bytes: &[u8]) -> bool {
    let needle: Vec<u8> = "EncryptedPackage"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    bytes.windows(needle.len()).any(|w| w == needle.as_slice())
}

/// The format to read `bytes` with, given the extension the file came with.
pub fn format_for(ext: Format, bytes: &[u8]) -> Result<Format, ReadError> {
    if bytes.is_empty() {
        return Err(ReadError::Empty);
    }
    match (ext, container(bytes)) {
        (Format::Xlsx | Format::Xlsb | Format::Ods, Container::Zip) => Ok(ext),
        (Format::Xls, Container::Ole) => {
            if ole_is_encrypted_ooxml(bytes) {
                Err(ReadError::Encrypted)
            } else {
                Ok(Format::Xls)
            }
        }
        (_, Container::Ole) if ole_is_encrypted_ooxml(bytes) => Err(ReadError::Encrypted),
        // Renamed files are common (WPS saves .xls content under .xlsx and the reverse):
        // read what the bytes are; the caller warns that the extension is wrong.
        (_, Container::Ole) => Ok(Format::Xls),
        (Format::Ods, _) | (_, Container::Zip) => Ok(if is_ods(bytes) {
            Format::Ods
        } else {
            Format::Xlsx
        }),
        (_, Container::Other) if looks_like_text(bytes) => Err(ReadError::NotSpreadsheet {
            detail: "文件内容是纯文本（可能是 CSV 或网页另存），不是 Excel/WPS 表格".into(),
        }),
        (_, Container::Other) => Err(ReadError::NotSpreadsheet {
            detail: "文件开头不是 Excel、WPS 或 ODS 表格的格式标记".into(),
        }),
    }
}

fn is_ods(bytes: &[u8]) -> bool {
    // The first entry of an ODF package is the uncompressed `mimetype`.
    let head = |range: std::ops::Range<usize>| bytes.get(range).unwrap_or_default();
    head(30..80).windows(8).any(|w| w == b"mimetype")
        && head(0..200.min(bytes.len()))
            .windows(11)
            .any(|w| w == b"opendocumen")
}

fn looks_like_text(bytes: &[u8]) -> bool {
    let head = bytes.get(..bytes.len().min(512)).unwrap_or_default();
    std::str::from_utf8(head).is_ok() && !head.contains(&0)
}

/// Inflates every entry with a byte cap, so a bomb is refused before calamine sees it.
pub fn check_zip(bytes: &[u8], limits: &Limits) -> Result<(), ReadError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| ReadError::Corrupt {
        detail: format!("压缩结构损坏（{e}），文件可能不完整"),
    })?;
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).map_err(|e| match e {
            zip::result::ZipError::UnsupportedArchive(m) if m.contains("assword") => {
                ReadError::Encrypted
            }
            e => ReadError::Corrupt {
                detail: format!("压缩结构损坏（{e}），文件可能不完整"),
            },
        })?;
        if entry.encrypted() {
            return Err(ReadError::Encrypted);
        }
        let name = entry
            .name()
            .map(|n| n.to_string())
            .unwrap_or_else(|_| format!("#{i}"));
        let compressed = entry.compressed_size().max(1);
        let cap = limits
            .max_entry_bytes
            .min(limits.max_inflated_bytes.saturating_sub(total));
        let inflated = std::io::copy(&mut (&mut entry).take(cap + 1), &mut std::io::sink())
            .map_err(|e| ReadError::Corrupt {
                detail: format!("压缩内容 {name} 无法解压（{e}），文件可能不完整"),
            })?;
        total += inflated;
        if inflated > cap {
            return Err(ReadError::Inflation {
                entry: name,
                limit: cap,
            });
        }
        if inflated > 1024 * 1024 && inflated / compressed > limits.max_ratio {
            return Err(ReadError::Ratio {
                entry: name,
                ratio: inflated / compressed,
                limit: limits.max_ratio,
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_containers() {
        assert_eq!(container(b"PK\x03\x04rest"), Container::Zip);
        assert_eq!(container(OLE), Container::Ole);
        assert_eq!(container(b"a,b,c\n"), Container::Other);
    }

    #[test]
    fn text_is_not_a_spreadsheet() {
        let e = format_for(Format::Xlsx, b"name,value\n1,2\n").unwrap_err();
        assert!(matches!(e, ReadError::NotSpreadsheet { .. }));
        assert!(matches!(
            format_for(Format::Xlsx, b"").unwrap_err(),
            ReadError::Empty
        ));
    }

    #[test]
    fn a_bad_zip_is_corrupt_not_a_panic() {
        let e = check_zip(b"PK\x03\x04garbage", &Limits::default()).unwrap_err();
        assert!(matches!(e, ReadError::Corrupt { .. }));
    }
}
