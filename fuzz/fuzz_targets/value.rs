//! The value parser: any text in a 本期值 cell, against every indicator, never panics, and
//! what it accepts as a number is finite and within the indicator's range.
#![no_main]

use eco_returns::read::{Cell, CellValue};
use eco_returns::schema::Schema;
use eco_returns::value::{read, split_number, Value};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn schema() -> &'static Schema {
    static S: OnceLock<Schema> = OnceLock::new();
    S.get_or_init(|| Schema::builtin().expect("the built-in schema loads"))
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = split_number(text);
    let s = schema();
    let cell = Cell { row: 5, col: 5, value: CellValue::Text(text.to_string()), percent: false };
    let remark = (data.len() % 2 == 0).then_some("理由");
    for ind in s.indicators() {
        for formats_known in [true, false] {
            let r = read(Some(&cell), ind, s, remark, formats_known);
            if let Some(Value::Number(n)) = r.value {
                assert!(n.is_finite(), "{text:?} → {n}");
                if ind.is_percent() {
                    assert!((-100.0..=100.0).contains(&n), "{text:?} → {n} for {}", ind.id);
                }
            }
        }
    }
    if let Some(first) = data.first() {
        let n = f64::from_le_bytes({
            let mut b = [0u8; 8];
            for (i, x) in data.iter().take(8).enumerate() {
                b[i] = *x;
            }
            b
        });
        let cell = Cell { row: 0, col: 0, value: CellValue::Number(n), percent: first % 2 == 0 };
        for ind in s.indicators() {
            let _ = read(Some(&cell), ind, s, None, true);
        }
    }
});
