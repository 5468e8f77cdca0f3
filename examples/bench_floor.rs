//! The floor for `check`: open every file with calamine and walk every cell, on the same
//! number of threads, doing nothing else. Used by `bench/run.sh`; not part of the tool.
//!
//!     cargo run --release --example bench_floor -- DIR THREADS

use calamine::{open_workbook_auto, Data, Reader};
use std::sync::atomic::{AtomicUsize, Ordering};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = args.next().ok_or("usage: bench_floor DIR THREADS")?;
    let threads: usize = args.next().map(|t| t.parse()).transpose()?.unwrap_or(2);
    let mut files: Vec<_> = std::fs::read_dir(&dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();
    let next = AtomicUsize::new(0);
    let cells = AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                while let Some(path) = files.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let Ok(mut book) = open_workbook_auto(path) else {
                        continue;
                    };
                    for (_, range) in book.worksheets() {
                        let n = range
                            .used_cells()
                            .filter(|(_, _, d)| !matches!(d, Data::Empty))
                            .count();
                        cells.fetch_add(n, Ordering::Relaxed);
                    }
                }
            });
        }
    });
    println!(
        "{} files, {} cells",
        files.len(),
        cells.load(Ordering::Relaxed)
    );
    Ok(())
}
