//! Load for `bench/serve.sh`: uploads every return of DIR (named `NNNNN_<unit>.xlsx`, as
//! bench_gen writes them) through its unit's link with CLIENTS concurrent clients, then times
//! `eco-returns check FILE` as one process per file on the same files: the command-line
//! reference the portal's latencies are compared with. Prints one line of figures.
//!
//!   serve_load ADDR LINKS.json DIR CLIENTS BIN

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

fn upload(addr: &str, path: &str, name: &str, bytes: &[u8]) -> std::io::Result<u16> {
    let boundary = "----serve-load";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let mut s = TcpStream::connect(addr)?;
    s.set_read_timeout(Some(Duration::from_secs(120)))?;
    write!(
        s,
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )?;
    s.write_all(&body)?;
    let mut reader = BufReader::new(s);
    let mut status = String::new();
    reader.read_line(&mut status)?;
    let mut rest = Vec::new();
    reader.read_to_end(&mut rest)?;
    Ok(status
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0))
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(i).copied().unwrap_or(f64::NAN)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [addr, links, dir, clients, bin] = args.as_slice() else {
        return Err("usage: serve_load ADDR LINKS.json DIR CLIENTS BIN".into());
    };
    let clients: usize = clients.parse()?;
    let links: serde_json::Value = serde_json::from_slice(&std::fs::read(links)?)?;
    let path_of = |unit: &str| -> Option<String> {
        links.as_array()?.iter().find_map(|l| {
            (l["unit"].as_str() == Some(unit))
                .then(|| l["url"].as_str())
                .flatten()
                .and_then(|u| u.split_once("://"))
                .and_then(|(_, rest)| rest.find('/').map(|i| rest[i..].to_string()))
        })
    };
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(dir)?
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    let jobs: Vec<(String, String, Vec<u8>)> = files
        .iter()
        .filter_map(|f| {
            let name = f.file_name()?.to_string_lossy().into_owned();
            let unit = name
                .split_once('_')?
                .1
                .trim_end_matches(".xlsx")
                .to_string();
            Some((path_of(&unit)?, name, std::fs::read(f).ok()?))
        })
        .collect();
    let next = AtomicUsize::new(0);
    let latencies = Mutex::new(Vec::new());
    let failed = AtomicUsize::new(0);
    let start = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..clients {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some((path, name, bytes)) = jobs.get(i) else {
                    break;
                };
                let t = Instant::now();
                match upload(addr, path, name, bytes) {
                    Ok(200) => latencies
                        .lock()
                        .unwrap()
                        .push(t.elapsed().as_secs_f64() * 1000.0),
                    _ => {
                        failed.fetch_add(1, Ordering::Relaxed);
                    }
                }
            });
        }
    });
    let wall = start.elapsed().as_secs_f64();
    let mut lat = latencies.into_inner().unwrap();
    lat.sort_by(f64::total_cmp);
    let check = |f: &std::path::Path| -> f64 {
        let t = Instant::now();
        let _ = std::process::Command::new(bin)
            .args(["check", "--period", "2026Q3", "--format", "json"])
            .arg(f)
            .output();
        t.elapsed().as_secs_f64() * 1000.0
    };
    // The reference alone (one process at a time), and under the same load: CLIENTS processes
    // at once, as if the departments each ran `check` on their own file at the same moment.
    let mut reference: Vec<f64> = files.iter().map(|f| check(f)).collect();
    reference.sort_by(f64::total_cmp);
    let next = AtomicUsize::new(0);
    let loaded = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..clients {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(f) = files.get(i) else { break };
                let ms = check(f);
                loaded.lock().unwrap().push(ms);
            });
        }
    });
    let mut loaded = loaded.into_inner().unwrap();
    loaded.sort_by(f64::total_cmp);
    let (l50, l99) = (percentile(&loaded, 0.5), percentile(&loaded, 0.99));
    let (p50, p99) = (percentile(&lat, 0.5), percentile(&lat, 0.99));
    let (r50, r99) = (percentile(&reference, 0.5), percentile(&reference, 0.99));
    println!(
        "uploads {} answered {} failed {} clients {clients} wall_s {wall:.2} per_s {:.1} p50_ms {p50:.1} p99_ms {p99:.1} | check alone p50_ms {r50:.1} p99_ms {r99:.1}: p50_x {:.2} p99_x {:.2} | check x{clients} p50_ms {l50:.1} p99_ms {l99:.1}: p50_x {:.2} p99_x {:.2}",
        jobs.len(),
        lat.len(),
        failed.load(Ordering::Relaxed),
        lat.len() as f64 / wall,
        p50 / r50,
        p99 / r50,
        p50 / l50,
        p99 / l50,
    );
    Ok(())
}
