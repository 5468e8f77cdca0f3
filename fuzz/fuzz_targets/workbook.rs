//! A whole return from arbitrary bytes, read as each format: never panics, and every row
//! it reads is accounted for.
#![no_main]

use eco_returns::read::{FileFormat, Limits};
use eco_returns::schema::Schema;
use eco_returns::validate::validate_bytes;
use libfuzzer_sys::fuzz_target;
use std::path::Path;
use std::sync::OnceLock;

fn schema() -> &'static Schema {
    static S: OnceLock<Schema> = OnceLock::new();
    S.get_or_init(|| Schema::builtin().expect("the built-in schema loads"))
}

fuzz_target!(|data: &[u8]| {
    // libFuzzer's hook aborts on any panic, before unwinding. The reader catches a panic
    // inside calamine and reports the file as corrupt; let it, so the fuzzer goes on to find
    // what escapes (anything else still aborts: libfuzzer-sys aborts on an escaped panic).
    static QUIET: std::sync::Once = std::sync::Once::new();
    QUIET.call_once(|| std::panic::set_hook(Box::new(|_| {})));
    // Small limits keep each run fast; the guards they exercise are the same.
    let limits = Limits { max_entry_bytes: 16 << 20, max_inflated_bytes: 32 << 20, max_cells: 200_000, ..Limits::default() };
    let ext = match data.first().map(|b| b % 4) {
        Some(0) => FileFormat::Xlsx,
        Some(1) => FileFormat::Xls,
        Some(2) => FileFormat::Ods,
        _ => FileFormat::Xlsb,
    };
    let r = validate_bytes(data, ext, Path::new("fuzz.xlsx"), schema(), &limits);
    assert_eq!(r.rows.read, r.rows.consolidated + r.rows.in_diagnostics);
});
