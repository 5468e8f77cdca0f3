//! Benchmark data: N returns in our own schema, deterministic, with the drift real returns
//! have and a few malformed ones. Used by `bench/run.sh`; not part of the tool.
//!
//!     cargo run --release --example bench_gen -- 2100 target/bench-data/2100

use eco_returns::schema::{Schema, Standard};
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use std::path::Path;

use eco_returns::write::form::{project_columns, INDICATOR_HEADER as HEADER};

fn value_for(ind: &eco_returns::schema::Indicator, i: usize) -> (String, String) {
    if ind.not_applicable {
        return ("不适用".into(), "全旗暂不涉及".into());
    }
    match &ind.standard {
        Standard::Qualitative => (ind.met.first().cloned().unwrap_or_default(), String::new()),
        Standard::Numeric { comparison } => {
            let base = comparison.threshold.max(1.0);
            let wiggle = ((i * 7 + ind.id.len()) % 10) as f64 / 10.0;
            let v = if ind.is_percent() {
                (base + wiggle).min(100.0)
            } else {
                base * 0.97 + wiggle
            };
            (format!("{v:.1}"), String::new())
        }
        Standard::NoTarget => ("96".into(), String::new()),
    }
}

fn write_return(schema: &Schema, i: usize, unit: &str, path: &Path) -> Result<(), XlsxError> {
    let mut book = Workbook::new();
    let variant = i % 7;
    let malformed_comma = i % 50 == 49;
    let no_period = i % 83 == 82;
    let indicators: Vec<_> = schema.indicators_of(unit).collect();
    let bold = Format::new().set_bold();
    if !indicators.is_empty() {
        let ws = book.add_worksheet();
        ws.set_name(if variant == 5 {
            "Sheet1"
        } else {
            "指标填报"
        })?;
        ws.write_string(0, 0, &schema.meta.title)?;
        let top = if variant == 1 { 3 } else { 0 };
        if variant == 1 {
            ws.write_string(1 + top, 0, format!("填报单位：{unit}"))?;
            if !no_period {
                ws.write_string(1 + top, 3, "报告期：2026年第三季度")?;
            }
        } else {
            ws.write_string(1 + top, 0, "填报单位")?;
            ws.write_string(1 + top, 1, unit)?;
            if !no_period {
                ws.write_string(1 + top, 3, "报告期")?;
                ws.write_string(1 + top, 4, "2026Q3")?;
            }
        }
        let header_row = 4 + top;
        let mut order: Vec<usize> = (0..8).collect();
        if variant == 2 {
            order.swap(1, 5);
        }
        let extra = u16::from(variant == 4);
        for (c, &h) in order.iter().enumerate() {
            ws.write_string_with_format(header_row, c as u16 + extra, HEADER[h], &bold)?;
        }
        if extra == 1 {
            ws.write_string(header_row, 0, "核对")?;
        }
        for (k, ind) in indicators.iter().enumerate() {
            let r = header_row + 1 + k as u32;
            let (mut v, remark) = value_for(ind, i + k);
            if malformed_comma && k == 0 && !ind.standard.is_qualitative() && !ind.not_applicable {
                v = v.replace('.', ",");
            }
            let id = if variant == 6 {
                ind.id.replace('.', "-")
            } else {
                ind.id.clone()
            };
            let cells = [
                id,
                ind.full_name(),
                ind.measure_unit.clone().unwrap_or_default(),
                ind.attribute.label().to_string(),
                ind.standard_label(),
                v.clone(),
                "统计".into(),
                remark,
            ];
            for (c, &h) in order.iter().enumerate() {
                let col = c as u16 + extra;
                match (h, v.parse::<f64>()) {
                    (5, Ok(n)) if variant != 3 => ws.write_number(r, col, n)?,
                    (5, Ok(_)) if ind.is_percent() => ws.write_string(r, col, format!("{v}%"))?,
                    _ => ws.write_string(r, col, &cells[h])?,
                };
            }
        }
    }
    let projects: Vec<_> = schema.projects_of(unit).collect();
    if !projects.is_empty() {
        let ws = book.add_worksheet();
        ws.set_name("重点工程进度")?;
        ws.write_string(1, 0, "填报单位")?;
        ws.write_string(1, 1, unit)?;
        ws.write_string(1, 3, "报告期")?;
        ws.write_string(1, 4, "2026Q3")?;
        let quarter = eco_returns::period::Period::parse("2026Q3").expect("a quarter");
        for (c, (h, ..)) in project_columns(quarter).iter().enumerate() {
            ws.write_string(4, c as u16, *h)?;
        }
        for (k, p) in projects.iter().enumerate() {
            let r = 5 + k as u32;
            ws.write_number(r, 0, f64::from(p.no))?;
            ws.write_string(r, 1, &p.name)?;
            ws.write_number(r, 2, p.investment.unwrap_or(0.0))?;
            ws.write_number(r, 3, p.investment.unwrap_or(100.0) * 0.5)?;
            ws.write_number(r, 4, 50.0)?;
            ws.write_string(r, 5, "在建")?;
        }
    }
    if variant == 4 {
        book.add_worksheet()
            .set_name("说明")?
            .write_string(0, 0, "本表已审核")?;
    }
    book.save(path)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().ok_or("usage: bench_gen N DIR")?.parse()?;
    let dir = std::path::PathBuf::from(args.next().ok_or("usage: bench_gen N DIR")?);
    std::fs::create_dir_all(&dir)?;
    let schema = Schema::builtin()?;
    let units: Vec<String> = schema
        .reporting_units()
        .iter()
        .map(|u| u.name.clone())
        .collect();
    for i in 0..n {
        let unit = &units[i % units.len()];
        write_return(&schema, i, unit, &dir.join(format!("{i:05}_{unit}.xlsx")))?;
    }
    eprintln!("{n} returns in {}", dir.display());
    Ok(())
}
