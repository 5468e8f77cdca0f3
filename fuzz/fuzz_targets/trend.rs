//! The trend's arithmetic: any values, target and quarters give a line that is finite or none,
//! and a projection that never panics (no overflow) and never names a quarter before the next
//! one or past 2100.
#![no_main]

use eco_returns::assess::trend::{fit_values, heading};
use eco_returns::assess::Projection;
use eco_returns::period::Period;
use eco_returns::schema::{Comparison, Op};
use libfuzzer_sys::fuzz_target;

fn f64_at(data: &[u8], i: usize) -> Option<f64> {
    let b: [u8; 8] = data.get(i * 8..i * 8 + 8)?.try_into().ok()?;
    Some(f64::from_le_bytes(b))
}

fuzz_target!(|data: &[u8]| {
    let Some((&head, rest)) = data.split_first() else { return };
    let op = [Op::AtLeast, Op::Above, Op::AtMost, Op::Below, Op::Equal][usize::from(head % 5)];
    let threshold = f64_at(rest, 0).unwrap_or(90.0);
    let values: Vec<Option<f64>> = (1..=24)
        .map_while(|i| f64_at(rest, i))
        .map(|v| (!v.is_nan()).then_some(v))
        .collect();
    let now = Period { year: 2000 + u16::from(head / 5) % 101, quarter: 1 + head % 4 };
    let first = Period { year: now.year.saturating_sub(5).max(2000), quarter: 1 };
    let Some(line) = fit_values(&values) else { return };
    assert!(line.0.is_finite() && line.1.is_finite(), "{line:?}");
    let last = values.iter().rev().flatten().next().copied().unwrap_or(0.0);
    match heading(line, last, Comparison { op, threshold }, first, now, now.stage_year()) {
        Projection::Reaches(p) => assert!(p > now && p.year <= 2100, "{p:?} from {now:?}"),
        Projection::MovingAway(m) | Projection::TooSlow(m) => assert!(m.is_finite()),
        _ => {}
    }
});
