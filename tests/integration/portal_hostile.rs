//! The portal under a crash and an attacker: every case bounded in count and time, loopback
//! only (other clients come from other 127.x addresses so that per-address caps apply as they
//! would on the intranet).

use crate::support::http::{
    exchange, multipart, request, sample, sha256_of, try_request, Answer, Records, Server,
};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::sync::{Arc, Barrier, Mutex};
use std::time::{Duration, Instant};

/// A connection to `to` from the loopback address `from` (127.x.y.z).
fn connect_from(from: &str, to: &str) -> TcpStream {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()
        .unwrap();
    let stream = rt.block_on(async {
        let socket = tokio::net::TcpSocket::new_v4().unwrap();
        socket
            .bind(format!("{from}:0").parse::<SocketAddr>().unwrap())
            .unwrap();
        socket.connect(to.parse().unwrap()).await
    });
    let std = stream.unwrap().into_std().unwrap();
    std.set_nonblocking(false).unwrap();
    std
}

fn all_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        if e.path().is_dir() {
            all_files(&e.path(), out);
        } else {
            out.push(e.path());
        }
    }
}

fn upload_from(s: &Server, from: &str, path: &str, name: &str, bytes: &[u8]) -> Answer {
    let (kind, body) = multipart(name, bytes);
    exchange(
        connect_from(from, &s.addr),
        &s.addr,
        "POST",
        path,
        Some((&kind, &body)),
    )
    .unwrap()
}

#[test]
fn after_kill_9_every_answered_upload_is_on_disk_whole_and_the_server_restarts() {
    let s = Server::start();
    let units = ["水务局", "林草局", "住建局", "发改委"];
    let files: Vec<(String, Vec<u8>, String)> = units
        .iter()
        .map(|u| {
            let name = format!("2026Q3_{u}_填报表.xlsx");
            (u.to_string(), sample(&name), s.link(u))
        })
        .collect();
    let answered: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
    let addr = s.addr.clone();
    let threads: Vec<_> = files
        .into_iter()
        .map(|(unit, bytes, link)| {
            let answered = answered.clone();
            let addr = addr.clone();
            std::thread::spawn(move || {
                for i in 0..40 {
                    let (kind, body) = multipart(&format!("{unit}-{i}.xlsx"), &bytes);
                    match try_request(&addr, "POST", &link, Some((&kind, &body))) {
                        Ok(a) if a.status == 200 => {
                            let id = a.receipt().expect("a receipt");
                            answered.lock().unwrap().push((unit.clone(), id));
                        }
                        _ => break,
                    }
                }
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(600));
    let mut s = s;
    s.kill();
    for t in threads {
        t.join().unwrap();
    }
    let answered = answered.lock().unwrap().clone();
    assert!(
        !answered.is_empty(),
        "some uploads were answered before the kill"
    );
    for (unit, id) in &answered {
        let kept = s.data.join(format!("uploads/2026Q3/{unit}/{id}.xlsx"));
        let expected = sample(&format!("2026Q3_{unit}_填报表.xlsx"));
        assert_eq!(std::fs::read(&kept).unwrap(), expected, "{unit} {id}");
    }
    let records = Records::open(&s.data);
    for (unit, id) in &answered {
        assert!(
            records.uploads_of(unit).iter().any(|u| &u.id == id),
            "{unit} {id}: an answered upload is recorded"
        );
    }
    drop(records);
    // What build would read is whole: every current return is one of the uploads.
    for name in std::fs::read_dir(s.data.join("2026Q3")).unwrap() {
        let name = name.unwrap().file_name().to_string_lossy().into_owned();
        if name.starts_with("~$") {
            continue; // a temporary the kill left: `build` skips it, the restart clears it
        }
        let unit = name.trim_end_matches(".xlsx");
        let expected = sample(&format!("2026Q3_{unit}_填报表.xlsx"));
        assert_eq!(
            std::fs::read(s.data.join("2026Q3").join(&name)).unwrap(),
            expected
        );
    }
    let s = s.restart();
    assert_eq!(s.get(&s.link("office")).status, 200);
    // The records and the folder agree: each unit's latest current upload is its file.
    let records = s.records();
    for unit in units {
        let ups = records.uploads_of(unit);
        assert!(
            ups.iter().all(|u| u.placed),
            "{unit}: every current upload placed"
        );
        if let Some(last) = ups.iter().rev().find(|u| u.current) {
            let file = s.data.join("2026Q3").join(format!("{unit}.xlsx"));
            assert_eq!(sha256_of(&file), last.sha256, "{unit}");
        }
    }
    let mut left = Vec::new();
    all_files(&s.data, &mut left);
    assert!(
        !left
            .iter()
            .any(|p| p.to_string_lossy().contains("~$portal-")),
        "temporaries cleared on start: {left:?}"
    );
    let history = s.get(&s.link("水务局")).text();
    let kept = answered.iter().filter(|(u, _)| u == "水务局").count();
    // The page lists the newest 30.
    assert!(history.matches("/uploads/").count() >= kept.min(30));
}

#[test]
fn a_60_mb_body_is_refused_unread_and_the_server_stays_up() {
    let s = Server::start();
    let link = s.link("水务局");
    let mut c = TcpStream::connect(&s.addr).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let head = format!(
        "POST {link} HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: {}\r\n\r\n",
        60 * 1024 * 1024
    );
    c.write_all(head.as_bytes()).unwrap();
    c.write_all(&[b'x'; 64 * 1024]).unwrap();
    let start = Instant::now();
    let mut answer = vec![0u8; 4096];
    let n = c.read(&mut answer).unwrap();
    let answer = String::from_utf8_lossy(&answer[..n]);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "answered before the body came"
    );
    assert_eq!(s.get(&link).status, 200, "still serving");
}

#[test]
fn slow_clients_do_not_hold_up_a_normal_upload() {
    let s = Server::start();
    // 100 clients, each from its own address, send half a request line and then trickle.
    let mut slow: Vec<TcpStream> = (0..100)
        .map(|i| {
            let mut c = connect_from(&format!("127.0.{}.{}", 1 + i / 200, 2 + i % 200), &s.addr);
            c.write_all(b"GET /u/").unwrap();
            c
        })
        .collect();
    for c in &mut slow {
        let _ = c.write_all(b"0");
    }
    let start = Instant::now();
    let a = s.upload(
        &s.link("水务局"),
        "水务局.xlsx",
        &sample("2026Q3_水务局_填报表.xlsx"),
    );
    let took = start.elapsed();
    assert_eq!(a.status, 200);
    assert!(
        took < Duration::from_secs(3),
        "a normal upload took {took:?}"
    );
    drop(slow);
}

#[test]
fn hostile_paths_methods_and_names_are_refused_and_reach_no_file() {
    let s = Server::start();
    let link = s.link("水务局");
    let raw = |line: &str| -> String {
        let mut c = TcpStream::connect(&s.addr).unwrap();
        c.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        c.write_all(format!("{line}\r\nHost: x\r\nConnection: close\r\n\r\n").as_bytes())
            .unwrap();
        let mut out = Vec::new();
        let _ = c.read_to_end(&mut out);
        String::from_utf8_lossy(&out).into_owned()
    };
    let long = format!("GET /u/{} HTTP/1.1", "a".repeat(5000));
    for line in [
        "GET /../../etc/passwd HTTP/1.1",
        "GET /%2e%2e/%2e%2e/etc/passwd HTTP/1.1",
        "GET /static/..%2F..%2FCargo.toml HTTP/1.1",
        long.as_str(),
        &format!("BREW {link} HTTP/1.1"),
        &format!("DELETE {link} HTTP/1.1"),
        &format!("PUT {link}/form HTTP/1.1"),
    ] {
        let answer = raw(line);
        let status: u16 = answer
            .split(' ')
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        assert!(
            status == 0 || (400..500).contains(&status),
            "{line}: {status}"
        );
        assert!(
            !answer.contains("root:") && !answer.contains("[package]"),
            "{line}"
        );
    }
    // A file name that climbs: kept under its receipt number, nowhere else.
    let a = s.upload(&link, "../../x.xlsx", &sample("2026Q3_水务局_填报表.xlsx"));
    assert_eq!(a.status, 200);
    let mut files = Vec::new();
    all_files(s.data.parent().unwrap(), &mut files);
    assert!(
        !files.iter().any(|p| p.file_name().unwrap() == "x.xlsx"),
        "{files:?}"
    );
}

#[test]
fn two_uploads_of_one_unit_at_the_same_instant_are_both_kept_and_one_is_current() {
    let s = Arc::new(Server::start());
    let link = s.link("水务局");
    let blank = s.get(&format!("{link}/form")).body;
    let filled = sample("2026Q3_水务局_填报表.xlsx");
    let barrier = Arc::new(Barrier::new(2));
    let handles: Vec<_> = [("空白.xlsx", blank.clone()), ("填好.xlsx", filled.clone())]
        .into_iter()
        .map(|(name, bytes)| {
            let (s, link, barrier) = (s.clone(), link.clone(), barrier.clone());
            std::thread::spawn(move || {
                barrier.wait();
                s.upload(&link, name, &bytes).status
            })
        })
        .collect();
    for h in handles {
        assert_eq!(h.join().unwrap(), 200);
    }
    let history = s.get(&link).text();
    assert_eq!(history.matches("/uploads/").count(), 2, "both kept");
    let current = std::fs::read(s.data.join("2026Q3/水务局.xlsx")).unwrap();
    assert!(current == blank || current == filled, "one of them whole");
    let office = s.get(&s.link("office")).text();
    let row = office
        .split("<tr class=")
        .find(|r| r.contains("<td>水务局</td>"))
        .unwrap();
    let expected = if current == filled {
        "<td>通过</td>"
    } else {
        "<td>退回修改</td>"
    };
    assert!(
        row.contains(expected),
        "the office page agrees with the folder: {row}"
    );
}

#[test]
fn a_request_flood_from_one_client_does_not_starve_another() {
    let s = Arc::new(Server::start());
    let office = s.link("office");
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    // 64 connections from one address asking for the office page (the heaviest page) in a loop.
    let flood: Vec<_> = (0..64)
        .map(|_| {
            let (s, office, stop) = (s.clone(), office.clone(), stop.clone());
            std::thread::spawn(move || {
                let mut refused = 0;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    let c = connect_from("127.0.9.9", &s.addr);
                    if exchange(c, &s.addr, "GET", &office, None).is_err() {
                        refused += 1;
                        std::thread::sleep(Duration::from_millis(20));
                    }
                }
                refused
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(500));
    let start = Instant::now();
    let a = upload_from(
        &s,
        "127.0.5.5",
        &s.link("水务局"),
        "水务局.xlsx",
        &sample("2026Q3_水务局_填报表.xlsx"),
    );
    let took = start.elapsed();
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let refused: usize = flood.into_iter().map(|t| t.join().unwrap()).sum();
    assert_eq!(a.status, 200);
    assert!(
        took < Duration::from_secs(5),
        "the upload took {took:?} under the flood"
    );
    assert!(refused > 0, "the flood was capped");
}

#[test]
fn an_upload_that_is_not_the_units_return_for_the_period_never_displaces_its_current_one() {
    let s = Server::start();
    let link = s.link("水务局");
    let good = sample("2026Q3_水务局_填报表.xlsx");
    assert!(s
        .upload(&link, "水务局.xlsx", &good)
        .text()
        .contains("通过"));
    let last_q =
        std::fs::read(crate::support::repo().join("samples/2026Q2/2026Q2_水务局_填报表.xlsx"))
            .unwrap();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "水务局.xlsx",
            b"\x8d\x01random bytes, not a workbook".repeat(40),
            "不是可以读取的填报表",
        ),
        (
            "水务局.xlsx",
            b"%PDF-1.7\n1 0 obj <<>> endobj\n".repeat(40),
            "不是可以读取的填报表",
        ),
        (
            "报告.docx",
            b"PK\x03\x04 a word file".to_vec(),
            "不是可以读取的填报表",
        ),
        ("水务局.xlsx", last_q, "这是2026年第二季度的填报表"),
        (
            "水务局.xlsx",
            sample("2026Q3_林草局_填报表.xlsx"),
            "填报单位是“林草局”",
        ),
    ];
    for (name, bytes, why) in cases {
        let a = s.upload(&link, name, &bytes);
        let text = a.text();
        assert_eq!(a.status, 200);
        assert!(
            text.contains("未采用") && text.contains(why),
            "{why}: {text}"
        );
        assert!(text.contains("当前填报表仍是"), "{text}");
        assert!(a.receipt().is_some(), "kept with a receipt");
    }
    let current = s.data.join("2026Q3");
    let names: Vec<String> = std::fs::read_dir(&current)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with("~$"))
        .collect();
    assert_eq!(names, vec!["水务局.xlsx".to_string()]);
    assert_eq!(
        std::fs::read(current.join("水务局.xlsx")).unwrap(),
        good,
        "the good return is untouched"
    );
    let office = s.get(&s.link("office")).text();
    let row = office
        .split("<tr")
        .find(|r| r.contains("<td>水务局</td>"))
        .unwrap();
    assert!(row.contains("<td>通过</td>"), "{row}");
    // Every upload is still in the unit's record, marked 未采用.
    let page = s.get(&link).text();
    assert_eq!(page.matches("<td>未采用</td>").count(), 5, "{page}");
}

#[test]
fn http2_is_not_spoken_even_with_prior_knowledge() {
    let s = Server::start();
    let mut c = connect_from("127.0.7.1", &s.addr);
    c.set_read_timeout(Some(Duration::from_secs(15))).unwrap();
    c.write_all(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x00\x04\x00\x00\x00\x00\x00")
        .unwrap();
    let mut answer = Vec::new();
    let _ = c.read_to_end(&mut answer);
    // An HTTP/2 server answers the preface with a SETTINGS frame (type 4 in byte 3).
    assert!(
        answer.is_empty() || answer.starts_with(b"HTTP/1.1 4"),
        "answered {:?}",
        String::from_utf8_lossy(&answer[..answer.len().min(40)])
    );
    assert_eq!(s.get(&s.link("水务局")).status, 200);
}

#[test]
fn a_socket_that_sends_nothing_is_closed_within_the_header_timeout() {
    let s = Server::start();
    // The per-address cap, filled with silent sockets.
    let mut silent: Vec<TcpStream> = (0..32)
        .map(|_| connect_from("127.0.8.1", &s.addr))
        .collect();
    // And one that sent a whole request and then stays, idle, on keep-alive.
    let mut idle = connect_from("127.0.8.1", &s.addr);
    let link = s.link("水务局");
    idle.write_all(format!("GET {link} HTTP/1.1\r\nHost: x\r\n\r\n").as_bytes())
        .unwrap();
    let started = Instant::now();
    for c in silent.iter_mut().chain(std::iter::once(&mut idle)) {
        c.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        let mut sink = Vec::new();
        let _ = c.read_to_end(&mut sink);
    }
    let took = started.elapsed();
    assert!(
        took < Duration::from_secs(15),
        "silent sockets lived {took:?}"
    );
    // The address is served again.
    let c = connect_from("127.0.8.1", &s.addr);
    assert_eq!(
        exchange(c, &s.addr, "GET", &link, None).unwrap().status,
        200
    );
}

#[test]
fn bodies_in_flight_from_many_addresses_stay_within_one_budget() {
    let s = Arc::new(Server::start());
    let link = s.link("水务局");
    let (before, _) = s.memory_mb();
    // 16 clients from 16 addresses, each sending a 40 MB upload and holding its last bytes: 640
    // MB in flight unless the server bounds what it holds.
    const SIZE: usize = 40 * 1024 * 1024;
    let barrier = Arc::new(Barrier::new(17));
    let clients: Vec<_> = (0..16)
        .map(|i| {
            let (s, link, barrier) = (s.clone(), link.clone(), barrier.clone());
            std::thread::spawn(move || {
                let mut c = connect_from(&format!("127.0.6.{}", i + 1), &s.addr);
                let (kind, body) = crate::support::http::multipart("水务局.xlsx", &vec![b'x'; SIZE]);
                let head = format!(
                    "POST {link} HTTP/1.1\r\nHost: x\r\nContent-Type: {kind}\r\nContent-Length: {}\r\n\r\n",
                    body.len()
                );
                let sent = c.write_all(head.as_bytes()).and_then(|_| c.write_all(&body[..body.len() - 100]));
                barrier.wait(); // every client holds its body (or was refused)
                barrier.wait(); // the memory has been measured
                let mut answer = Vec::new();
                if sent.is_ok() {
                    let _ = c.write_all(&body[body.len() - 100..]);
                }
                c.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
                let _ = c.read_to_end(&mut answer);
                String::from_utf8_lossy(&answer).into_owned()
            })
        })
        .collect();
    barrier.wait();
    std::thread::sleep(Duration::from_millis(500));
    let (held, peak) = s.memory_mb();
    barrier.wait();
    let answers: Vec<String> = clients.into_iter().map(|t| t.join().unwrap()).collect();
    let busy = answers
        .iter()
        .filter(|a| a.starts_with("HTTP/1.1 503"))
        .count();
    assert!(
        peak < before + 400,
        "16 × 40 MB in flight: {before} MB before, {held} MB held, {peak} MB peak"
    );
    assert!(busy >= 6, "the budget answered {busy} of 16 with 503");
    assert!(
        answers.iter().all(|a| a.starts_with("HTTP/1.1 ")),
        "every client was answered"
    );
    eprintln!("bodies in flight: {before} MB before, {held} MB held, {peak} MB peak, {busy} busy");
    assert_eq!(s.get(&link).status, 200, "still serving");
}

#[test]
fn a_build_while_a_unit_switches_formats_sees_exactly_one_of_its_files() {
    let s = Arc::new(Server::start());
    let good = sample("2026Q3_水务局_填报表.xlsx");
    assert_eq!(
        s.upload(&s.link("水务局"), "水务局.xlsx", &good).status,
        200
    );
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let uploader = {
        let (s, stop, good) = (s.clone(), stop.clone(), good.clone());
        std::thread::spawn(move || {
            let link = s.link("水务局");
            let mut n = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                // The same workbook under two extensions: two current names in turn.
                let name = if n % 2 == 0 {
                    "水务局.xlsx"
                } else {
                    "水务局.xlsm"
                };
                assert_eq!(s.upload(&link, name, &good).status, 200);
                n += 1;
            }
            n
        })
    };
    let office = s.link("office");
    let mut seen = Vec::new();
    for _ in 0..60 {
        let page = request(
            &s.addr,
            "POST",
            &format!("{office}/build"),
            Some(("application/x-www-form-urlencoded", b"confirm=1")),
        )
        .text();
        let n = page
            .split("已汇总 ")
            .nth(1)
            .and_then(|t| t.split(' ').next())
            .map(str::to_string);
        seen.push(n.unwrap_or_else(|| page.chars().take(300).collect()));
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let uploads = uploader.join().unwrap();
    assert!(uploads >= 10, "only {uploads} uploads during the builds");
    assert!(
        seen.iter().all(|n| n == "1"),
        "returns each build saw: {seen:?}"
    );
}

#[test]
fn a_units_uploads_stop_at_its_quota_and_a_failed_save_names_no_server_path() {
    let s = Server::start();
    let link = s.link("文体旅游广电局");
    let junk = b"not a workbook".repeat(10);
    let mut refused = None;
    for i in 0..305 {
        let (kind, body) = crate::support::http::multipart(&format!("{i}.pdf"), &junk);
        let a = try_request(&s.addr, "POST", &link, Some((&kind, &body)))
            .unwrap_or_else(|e| panic!("upload {i}: {e}"));
        if a.status != 200 {
            refused = Some((i, a));
            break;
        }
    }
    let (at, a) = refused.expect("the quota stops a unit's uploads");
    assert_eq!(at, 300, "300 uploads kept, the 301st refused");
    assert_eq!(a.status, 507);
    assert!(a.text().contains("达到上限"), "{}", a.text());
    // Another unit is not affected.
    let other = s.upload(
        &s.link("水务局"),
        "水务局.xlsx",
        &sample("2026Q3_水务局_填报表.xlsx"),
    );
    assert_eq!(other.status, 200);

    // A unit whose records cannot be written (its folder is a file here).
    let blocked = s.data.join("uploads/2026Q3/林草局");
    std::fs::create_dir_all(blocked.parent().unwrap()).unwrap();
    std::fs::write(&blocked, b"in the way").unwrap();
    let a = s.upload(
        &s.link("林草局"),
        "林草局.xlsx",
        &sample("2026Q3_林草局_填报表.xlsx"),
    );
    assert_eq!(a.status, 500);
    let text = a.text();
    assert!(text.contains("没有保存成功"), "{text}");
    let data = s.data.to_string_lossy().into_owned();
    assert!(
        !text.contains(&data) && !text.contains("uploads/"),
        "{text}"
    );
}
