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

/// `bytes` as one fixed-Huffman block of literals (a valid, uncompressed-sized deflate stream).
fn literals_deflated(bytes: &[u8]) -> Vec<u8> {
    let mut b = Bits {
        out: Vec::new(),
        acc: 0,
        n: 0,
    };
    b.put(1, 1);
    b.put(1, 2);
    for &x in bytes {
        if x < 144 {
            b.code(0x30 + u32::from(x), 8);
        } else {
            b.code(0x190 + u32::from(x) - 144, 9);
        }
    }
    b.code(0, 7);
    b.put(0, 7);
    b.out
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &x in bytes {
        crc ^= u32::from(x);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// An entry of [`zip_of`]: name, deflated data, the size its headers declare, its CRC.
struct Entry<'a> {
    name: &'a str,
    deflated: Vec<u8>,
    declared: u64,
    crc: u32,
}

/// A zip of deflated entries whose headers say what each entry declares.
fn zip_of(entries: &[Entry]) -> Vec<u8> {
    let mut z = Vec::new();
    let mut central = Vec::new();
    let le16 = |v: &mut Vec<u8>, x: u16| v.extend_from_slice(&x.to_le_bytes());
    let le32 = |v: &mut Vec<u8>, x: u32| v.extend_from_slice(&x.to_le_bytes());
    for e in entries {
        let offset = z.len() as u32;
        let n = e.name.len() as u16;
        le32(&mut z, 0x0403_4b50);
        for x in [20u16, 0, 8, 0, 0x21] {
            le16(&mut z, x);
        }
        le32(&mut z, e.crc);
        le32(&mut z, e.deflated.len() as u32);
        le32(&mut z, e.declared as u32);
        le16(&mut z, n);
        le16(&mut z, 0);
        z.extend_from_slice(e.name.as_bytes());
        z.extend_from_slice(&e.deflated);
        le32(&mut central, 0x0201_4b50);
        for x in [20u16, 20, 0, 8, 0, 0x21] {
            le16(&mut central, x);
        }
        le32(&mut central, e.crc);
        le32(&mut central, e.deflated.len() as u32);
        le32(&mut central, e.declared as u32);
        for x in [n, 0, 0, 0, 0] {
            le16(&mut central, x);
        }
        le32(&mut central, 0);
        le32(&mut central, offset);
        central.extend_from_slice(e.name.as_bytes());
    }
    let cd = z.len() as u32;
    z.extend_from_slice(&central);
    le32(&mut z, 0x0605_4b50);
    for x in [0u16, 0, entries.len() as u16, entries.len() as u16] {
        le16(&mut z, x);
    }
    le32(&mut z, central.len() as u32);
    le32(&mut z, cd);
    le16(&mut z, 0);
    z
}

fn zip_with(name: &str, deflated: &[u8], inflated: u64) -> Vec<u8> {
    zip_of(&[Entry {
        name,
        deflated: deflated.to_vec(),
        declared: inflated,
        crc: 0,
    }])
}

/// Runs `check` on one file under a virtual-memory cap; returns its JSON and the time taken.
fn check_bounded(path: &std::path::Path, memory_kb: u64, extra: &str) -> (i32, Value, Duration) {
    let mut args = vec![path.to_str().unwrap(), "--format", "json"];
    args.extend(extra.split_whitespace());
    let start = Instant::now();
    let r = crate::support::check_capped(memory_kb, &args);
    let took = start.elapsed();
    (r.code, r.json(), took)
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
fn an_entry_that_understates_its_size_is_cut_short_and_reported_corrupt() {
    use std::io::Read;
    // A valid return whose sheet is replaced by 1.5 GB of zeros declared as 100 bytes.
    let valid = minimal_xlsx("A1:H6", &valid_return_rows("2026Q3"));
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(valid)).unwrap();
    let mut parts: Vec<(String, Vec<u8>)> = Vec::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let mut data = Vec::new();
        f.read_to_end(&mut data).unwrap();
        parts.push((f.name().unwrap().to_string(), data));
    }
    let mut entries: Vec<Entry> = parts
        .iter()
        .filter(|(n, _)| n != "xl/worksheets/sheet1.xml")
        .map(|(n, d)| Entry {
            name: n,
            deflated: literals_deflated(d),
            declared: d.len() as u64,
            crc: crc32(d),
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    // The same construction with the honest sheet is a valid return: the refusal below is
    // the lie's doing, not the hand-made zip's.
    let sheet = &parts
        .iter()
        .find(|(n, _)| n == "xl/worksheets/sheet1.xml")
        .unwrap()
        .1;
    let honest: Vec<Entry> = entries
        .iter()
        .map(|e| Entry {
            name: e.name,
            deflated: e.deflated.clone(),
            declared: e.declared,
            crc: e.crc,
        })
        .chain(std::iter::once(Entry {
            name: "xl/worksheets/sheet1.xml",
            deflated: literals_deflated(sheet),
            declared: sheet.len() as u64,
            crc: crc32(sheet),
        }))
        .collect();
    std::fs::write(dir.path().join("honest.xlsx"), zip_of(&honest)).unwrap();
    let (code, json, _) = check_bounded(&dir.path().join("honest.xlsx"), 900_000, "");
    assert_eq!(code, 0, "{json}");
    entries.push(Entry {
        name: "xl/worksheets/sheet1.xml",
        deflated: zeros_deflated(1_500_000_000 / 258),
        declared: 100,
        crc: 0,
    });
    let path = dir.path().join("liar.xlsx");
    std::fs::write(&path, zip_of(&entries)).unwrap();
    let (code, json, took) = check_bounded(&path, 900_000, "");
    assert_eq!(code, 1);
    assert_eq!(codes(&json), ["file-corrupt"]);
    assert!(
        took < Duration::from_secs(10),
        "{took:?}: nothing was inflated past the declared size"
    );
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
