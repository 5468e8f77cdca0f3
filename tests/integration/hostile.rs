//! Hostile files made by the test itself: each is refused with its own diagnostic, within
//! bounded time and memory.

use crate::support::{minimal_xlsx, number_cell, text_cell, valid_return_rows};
use serde_json::Value;
use std::time::{Duration, Instant};

/// Deflate bits, packed LSB first; Huffman codes go in most-significant bit first.
struct Bits {
    out: Vec<u8>,
    acc: u64,
    n: u32,
}

impl Bits {
    fn put(&mut self, value: u64, count: u32) {
        self.acc |= value << self.n;
        self.n += count;
        while self.n >= 8 {
            self.out.push(self.acc as u8);
            self.acc >>= 8;
            self.n -= 8;
        }
    }

    fn code(&mut self, code: u32, len: u32) {
        let reversed = (0..len).fold(0u64, |r, i| (r << 1) | u64::from((code >> i) & 1));
        self.put(reversed, len);
    }
}

/// One fixed-Huffman deflate block: a zero byte, then `repeats` copies of (length 258,
/// distance 1): 13 bits for every 258 bytes, so 1.5 GB from about 9 MB.
fn zeros_deflated(repeats: u64) -> Vec<u8> {
    let mut b = Bits {
        out: Vec::new(),
        acc: 0,
        n: 0,
    };
    b.put(1, 1); // BFINAL
    b.put(1, 2); // BTYPE = fixed Huffman
    b.code(0x30, 8); // literal 0
    for _ in 0..repeats {
        b.code(0xC5, 8); // length code 285 = 258
        b.code(0, 5); // distance code 0 = 1
    }
    b.code(0, 7); // end of block
    b.put(0, 7);
    b.out
}

/// A zip with one deflated entry whose headers tell the truth about its size.
fn zip_with(name: &str, deflated: &[u8], inflated: u64) -> Vec<u8> {
    let n = name.len() as u16;
    let mut z = Vec::new();
    let le16 = |v: &mut Vec<u8>, x: u16| v.extend_from_slice(&x.to_le_bytes());
    let le32 = |v: &mut Vec<u8>, x: u32| v.extend_from_slice(&x.to_le_bytes());
    le32(&mut z, 0x0403_4b50);
    for x in [20u16, 0, 8, 0, 0x21] {
        le16(&mut z, x);
    }
    le32(&mut z, 0);
    le32(&mut z, deflated.len() as u32);
    le32(&mut z, inflated as u32);
    le16(&mut z, n);
    le16(&mut z, 0);
    z.extend_from_slice(name.as_bytes());
    z.extend_from_slice(deflated);
    let cd = z.len() as u32;
    le32(&mut z, 0x0201_4b50);
    for x in [20u16, 20, 0, 8, 0, 0x21] {
        le16(&mut z, x);
    }
    le32(&mut z, 0);
    le32(&mut z, deflated.len() as u32);
    le32(&mut z, inflated as u32);
    for x in [n, 0, 0, 0, 0] {
        le16(&mut z, x);
    }
    le32(&mut z, 0);
    le32(&mut z, 0);
    z.extend_from_slice(name.as_bytes());
    let cd_size = z.len() as u32 - cd;
    le32(&mut z, 0x0605_4b50);
    for x in [0u16, 0, 1, 1] {
        le16(&mut z, x);
    }
    le32(&mut z, cd_size);
    le32(&mut z, cd);
    le16(&mut z, 0);
    z
}

/// Runs `check` on one file under a virtual-memory cap; returns its JSON and the time taken.
fn check_bounded(path: &std::path::Path, memory_kb: u64, extra: &str) -> (i32, Value, Duration) {
    let script = format!(
        "ulimit -v {memory_kb}; exec '{}' check '{}' --format json {extra}",
        env!("CARGO_BIN_EXE_eco-returns"),
        path.display()
    );
    let start = Instant::now();
    let out = std::process::Command::new("sh")
        .args(["-c", &script])
        .output()
        .unwrap();
    let took = start.elapsed();
    let json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("no JSON; stderr: {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().unwrap_or(-1), json, took)
}

fn codes(json: &Value) -> Vec<String> {
    json["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_small_file_that_inflates_to_one_and_a_half_gigabytes_is_refused_in_seconds() {
    let dir = tempfile::tempdir().unwrap();
    let repeats = 1_500_000_000 / 258;
    let bomb = zip_with(
        "xl/worksheets/sheet1.xml",
        &zeros_deflated(repeats),
        1 + 258 * repeats,
    );
    assert!(bomb.len() < 10 << 20, "{} bytes", bomb.len());
    let path = dir.path().join("bomb.xlsx");
    std::fs::write(&path, &bomb).unwrap();
    // Well under 1 GB of address space for the whole process.
    let (code, json, took) = check_bounded(&path, 900_000, "");
    assert_eq!(code, 1);
    assert_eq!(codes(&json), ["file-inflation"]);
    assert!(took < Duration::from_secs(20), "{took:?}");
    // A lower limit from the command line refuses it sooner, naming the limit.
    let (_, json, _) = check_bounded(&path, 900_000, "--max-entry-mb 8");
    let message = json["files"][0]["diagnostics"][0]["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(message.contains(&(8u64 << 20).to_string()), "{message}");
}

#[test]
fn three_hundred_thousand_junk_rows_below_a_table_are_one_warning() {
    let dir = tempfile::tempdir().unwrap();
    let mut rows = valid_return_rows("2026Q3");
    for r in 10..300_010u32 {
        rows.push_str(&format!(
            "<row r=\"{r}\">{}{}</row>",
            text_cell(&format!("A{r}"), "备注"),
            number_cell(&format!("C{r}"), f64::from(r))
        ));
    }
    let path = dir.path().join("junk.xlsx");
    std::fs::write(&path, minimal_xlsx("A1:F300009", &rows)).unwrap();
    let (code, json, took) = check_bounded(&path, 2_000_000, "");
    assert!(took < Duration::from_secs(60), "{took:?}");
    assert_eq!(code, 0, "{}", json["files"][0]["diagnostics"]);
    let f = &json["files"][0];
    assert_eq!(codes(&json), ["rows-ignored"]);
    assert_eq!(f["diagnostics"][0]["rows"], 300_000);
    assert_eq!(f["diagnostics"][0]["cell"], "A10");
    assert_eq!(
        json["indicators"].as_array().unwrap().len(),
        2,
        "the table above is read"
    );
    assert_eq!(f["rows"]["read"], 300_002);
}

#[test]
fn too_many_cells_is_its_own_diagnostic() {
    let dir = tempfile::tempdir().unwrap();
    let mut rows = valid_return_rows("2026Q3");
    for r in 10..2_010u32 {
        rows.push_str(&format!(
            "<row r=\"{r}\">{}</row>",
            number_cell(&format!("B{r}"), 1.0)
        ));
    }
    let path = dir.path().join("cells.xlsx");
    std::fs::write(&path, minimal_xlsx("A1:B2009", &rows)).unwrap();
    let (code, json, _) = check_bounded(&path, 2_000_000, "--max-cells 1000");
    assert_eq!(code, 1);
    assert_eq!(codes(&json), ["sheet-too-large"]);
    let (_, json, _) = check_bounded(&path, 2_000_000, "--max-file-mb 0");
    assert_eq!(codes(&json), ["file-too-large"]);
}

#[test]
fn encrypted_truncated_empty_and_foreign_files_each_say_what_they_are() {
    let dir = crate::support::repo().join("samples/malformed");
    for (name, code) in [
        ("加密文件.xlsx", "file-encrypted"),
        ("截断文件.xlsx", "file-corrupt"),
        ("空文件.xlsx", "file-empty"),
        ("不是表格.xlsx", "not-spreadsheet"),
    ] {
        let (status, json, took) = check_bounded(&dir.join(name), 1_000_000, "");
        assert_eq!(status, 1, "{name}");
        assert_eq!(codes(&json), [code], "{name}");
        assert!(took < Duration::from_secs(10));
    }
}
