//! Wall time and peak memory per stage, printed to stderr when `ECO_RETURNS_TIMINGS` is set:
//! the benchmark uses it to tell reading from writing (BENCHMARKS.md).

use std::time::{Duration, Instant};

pub struct Stopwatch {
    on: bool,
    start: Instant,
    last: Instant,
    laps: Vec<(&'static str, Duration, Option<u64>)>,
}

impl Stopwatch {
    pub fn from_env() -> Self {
        let now = Instant::now();
        Stopwatch {
            on: std::env::var_os("ECO_RETURNS_TIMINGS").is_some(),
            start: now,
            last: now,
            laps: Vec::new(),
        }
    }

    /// Ends the stage called `name`, begun at the previous lap.
    pub fn lap(&mut self, name: &'static str) {
        if self.on {
            let now = Instant::now();
            self.laps.push((name, now - self.last, peak_rss_mb()));
            self.last = now;
        }
    }

    pub fn report(&self) {
        if !self.on {
            return;
        }
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        let stages: Vec<String> = self
            .laps
            .iter()
            .map(|(name, d, rss)| match rss {
                Some(mb) => format!("{name} {:.1} ms（峰值内存 {mb} MB）", ms(*d)),
                None => format!("{name} {:.1} ms", ms(*d)),
            })
            .collect();
        eprintln!(
            "耗时：{}；合计 {:.1} ms",
            stages.join("；"),
            ms(self.last - self.start)
        );
    }
}

/// The process's peak resident set so far (Linux), to see which stage sets it.
fn peak_rss_mb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024)
}
