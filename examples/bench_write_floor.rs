//! The floor for `build`'s writing: the content of one build's 汇总表 and report written plainly
//! with the same crates — every cell of every sheet as a bare value (no formats, merges, widths,
//! validation or chart), every paragraph of the report as one plain run (no fonts, numbering,
//! table or chart) — the workbook and the document on two threads, as `build` does. It reads a
//! build's output folder and prints the best of RUNS times, in ms, of the writing alone, then of
//! each part. Used by `bench/run.sh`; not part of the tool.
//!
//!     cargo run --release --example bench_write_floor -- OUT_DIR [RUNS]

use calamine::{open_workbook, Data, Reader, Xlsx};
use docx_rs::{Docx, Paragraph, Run};
use rust_xlsxwriter::{Workbook, XlsxError};
use std::io::{Cursor, Read};
use std::path::Path;
use std::time::{Duration, Instant};

// The tool's allocator, so that the floor differs from `build` only in what it writes.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

type Sheet = (String, Vec<(u32, u16, Data)>);

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = args
        .next()
        .ok_or("usage: bench_write_floor OUT_DIR [RUNS]")?;
    let runs: usize = args.next().map(|r| r.parse()).transpose()?.unwrap_or(5);
    let dir = Path::new(&dir);
    let sheets = cells(&dir.join("汇总表.xlsx"))?;
    let texts = texts(&dir.join("评估报告.docx"))?;
    // Best of RUNS for the whole, and for each part on its own thread.
    let (mut best, mut best_xlsx, mut best_docx) = (Duration::MAX, Duration::MAX, Duration::MAX);
    for _ in 0..runs {
        let start = Instant::now();
        let (xlsx, docx) = std::thread::scope(|s| {
            let xlsx = s.spawn(|| timed(|| workbook(&sheets)));
            let docx = timed(|| document(&texts));
            (xlsx.join(), docx)
        });
        let (xlsx, xlsx_time) = xlsx.map_err(|_| "the workbook thread panicked")?;
        let (docx, docx_time) = docx;
        std::hint::black_box((xlsx?.len(), docx?.len()));
        best = best.min(start.elapsed());
        best_xlsx = best_xlsx.min(xlsx_time);
        best_docx = best_docx.min(docx_time);
    }
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{:.1} (workbook {:.1}, document {:.1}; {} cells, {} paragraphs)",
        ms(best),
        ms(best_xlsx),
        ms(best_docx),
        sheets.iter().map(|(_, c)| c.len()).sum::<usize>(),
        texts.len()
    );
    Ok(())
}

fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let t = f();
    (t, start.elapsed())
}

fn cells(path: &Path) -> Result<Vec<Sheet>, Box<dyn std::error::Error>> {
    let mut book: Xlsx<_> = open_workbook(path)?;
    let mut sheets = Vec::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name)?;
        let (r0, c0) = range.start().unwrap_or((0, 0));
        let cells = range
            .used_cells()
            .map(|(r, c, d)| (r0 + r as u32, (c0 as usize + c) as u16, d.clone()))
            .collect();
        sheets.push((name, cells));
    }
    Ok(sheets)
}

/// The text of every paragraph of the report (table cells included), runs joined.
fn texts(path: &Path) -> Result<Vec<String>, Box<dyn std::error::Error>> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path)?)?;
    let mut xml = String::new();
    zip.by_name("word/document.xml")?.read_to_string(&mut xml)?;
    Ok(xml
        .split("</w:p>")
        .map(|p| {
            p.split("<w:t")
                .skip(1)
                .filter_map(|t| t.split_once('>')?.1.split("</w:t>").next())
                .collect::<String>()
        })
        .filter(|t| !t.is_empty())
        .collect())
}

fn workbook(sheets: &[Sheet]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    book.set_zip_compression_level(1);
    for (name, cells) in sheets {
        let ws = book.add_worksheet();
        ws.set_name(name)?;
        for (r, c, d) in cells {
            match d {
                Data::String(s) => ws.write_string(*r, *c, s).map(|_| ())?,
                Data::Float(f) => ws.write_number(*r, *c, *f).map(|_| ())?,
                Data::Int(i) => ws.write_number(*r, *c, *i as f64).map(|_| ())?,
                Data::Bool(b) => ws.write_boolean(*r, *c, *b).map(|_| ())?,
                Data::DateTime(t) => ws.write_number(*r, *c, t.as_f64()).map(|_| ())?,
                _ => {}
            }
        }
    }
    book.save_to_buffer()
}

fn document(texts: &[String]) -> Result<Vec<u8>, String> {
    let mut doc = Docx::new();
    for t in texts {
        doc = doc.add_paragraph(Paragraph::new().add_run(Run::new().add_text(t)));
    }
    let mut out = Cursor::new(Vec::new());
    doc.build().pack(&mut out).map_err(|e| e.to_string())?;
    Ok(out.into_inner())
}
