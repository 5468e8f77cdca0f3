//! The HTTP harness for the portal's tests: `serve` started on a free port with its links,
//! raw HTTP/1.1 requests (so a test controls every byte), multipart bodies, the samples.

use super::repo;
use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub struct Server {
    child: Child,
    pub addr: String,
    pub data: PathBuf,
    /// Unit name (or "office") → its URL path (`/u/SECRET`).
    pub links: Vec<(String, String)>,
    dir: Option<tempfile::TempDir>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

impl Server {
    pub fn start() -> Server {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let out = Command::new(env!("CARGO_BIN_EXE_eco-returns"))
            .args(["links", "--format", "json", "--base", "http://x", "--data"])
            .arg(&data)
            .arg("--out")
            .arg(dir.path().join("handout"))
            .output()
            .unwrap();
        assert!(out.status.success());
        let json: Value = serde_json::from_slice(&out.stdout).unwrap();
        let links = json
            .as_array()
            .unwrap()
            .iter()
            .map(|l| {
                let who = l["unit"].as_str().unwrap_or("office").to_string();
                let path = l["url"]
                    .as_str()
                    .unwrap()
                    .trim_start_matches("http://x")
                    .to_string();
                (who, path)
            })
            .collect();
        Server::on(data, links, Some(dir), &[])
    }

    /// `kill -9`: the server gets no chance to finish anything.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// A new server on the same data, the old one killed first.
    pub fn restart(self) -> Server {
        self.restart_with(&[])
    }

    /// A new server on the same data with these environment variables, the old one killed.
    pub fn restart_with(mut self, env: &[(&str, &str)]) -> Server {
        self.kill();
        let dir = self.dir.take();
        Server::on(self.data.clone(), self.links.clone(), dir, env)
    }

    fn on(
        data: PathBuf,
        links: Vec<(String, String)>,
        dir: Option<tempfile::TempDir>,
        env: &[(&str, &str)],
    ) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_eco-returns"))
            .envs(env.iter().copied())
            .args([
                "serve",
                "--period",
                "2026Q3",
                "--listen",
                "127.0.0.1:0",
                "--data",
            ])
            .arg(&data)
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        stderr.read_line(&mut line).unwrap();
        // The rest of the server's log is read and dropped: a closed pipe would fail its writes.
        std::thread::spawn(move || std::io::copy(&mut stderr, &mut std::io::sink()));
        let addr = line
            .split("http://")
            .nth(1)
            .and_then(|s| s.split('/').next())
            .unwrap_or_else(|| panic!("no address in {line:?}"))
            .to_string();
        Server {
            child,
            addr,
            data,
            links,
            dir,
        }
    }

    /// The server's resident memory now and at its peak, in MB (Linux /proc).
    pub fn memory_mb(&self) -> (u64, u64) {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        let field = |name: &str| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(name))
                .and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok())
                .unwrap()
                / 1024
        };
        (field("VmRSS:"), field("VmHWM:"))
    }

    /// The portal's records (its SQLite database), read as the server left them.
    pub fn records(&self) -> Records {
        Records::open(&self.data)
    }

    pub fn link(&self, who: &str) -> String {
        self.links.iter().find(|(w, _)| w == who).unwrap().1.clone()
    }

    pub fn get(&self, path: &str) -> Answer {
        request(&self.addr, "GET", path, None)
    }

    pub fn upload(&self, path: &str, name: &str, bytes: &[u8]) -> Answer {
        let (kind, body) = multipart(name, bytes);
        request(&self.addr, "POST", path, Some((&kind, &body)))
    }

    /// A form post (`application/x-www-form-urlencoded`), as a browser sends one.
    pub fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Answer {
        let body: Vec<String> = fields
            .iter()
            .map(|(k, v)| format!("{}={}", form_encode(k), form_encode(v)))
            .collect();
        request(
            &self.addr,
            "POST",
            path,
            Some((
                "application/x-www-form-urlencoded",
                body.join("&").as_bytes(),
            )),
        )
    }

    pub fn post(&self, path: &str) -> Answer {
        request(
            &self.addr,
            "POST",
            path,
            Some(("application/x-www-form-urlencoded", b"")),
        )
    }
}

/// A form upload of one file: (content type, body).
pub fn multipart(name: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    {
        let boundary = "----eco-returns-test-boundary";
        let mut body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .into_bytes();
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let kind = format!("multipart/form-data; boundary={boundary}");
        (kind, body)
    }
}

pub struct Answer {
    pub status: u16,
    pub headers: String,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The 回执编号 of an upload's answer.
    pub fn receipt(&self) -> Option<String> {
        let text = self.text();
        let at = text.find("<span class=\"receipt\">")? + "<span class=\"receipt\">".len();
        Some(text[at..].split('<').next()?.to_string())
    }
}

pub fn request(addr: &str, method: &str, path: &str, body: Option<(&str, &[u8])>) -> Answer {
    try_request(addr, method, path, body).unwrap_or_else(|e| panic!("{method} {path}: {e}"))
}

/// [`request`] that reports a failed connection instead of panicking.
pub fn try_request(
    addr: &str,
    method: &str,
    path: &str,
    body: Option<(&str, &[u8])>,
) -> std::io::Result<Answer> {
    let s = TcpStream::connect(addr)?;
    exchange(s, addr, method, path, body)
}

/// One request on an open connection, answer read by its length.
pub fn exchange(
    mut s: TcpStream,
    addr: &str,
    method: &str,
    path: &str,
    body: Option<(&str, &[u8])>,
) -> std::io::Result<Answer> {
    s.set_read_timeout(Some(Duration::from_secs(60)))?;
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    if let Some((kind, b)) = body {
        head.push_str(&format!(
            "Content-Type: {kind}\r\nContent-Length: {}\r\n",
            b.len()
        ));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes())?;
    if let Some((_, b)) = body {
        s.write_all(b)?;
    }
    // Read the head, then the body by its length (chromedriver keeps the connection open).
    let mut reader = BufReader::new(s);
    let mut headers = String::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line == "\r\n" {
            break;
        }
        headers.push_str(&line);
    }
    let status = headers
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("no status in {headers:?}")))?;
    let lower = headers.to_lowercase();
    let length = lower
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse::<usize>().ok());
    let mut body = Vec::new();
    match length {
        Some(n) => {
            body.resize(n, 0);
            reader.read_exact(&mut body)?;
        }
        None => {
            reader.read_to_end(&mut body)?;
        }
    }
    if lower.contains("transfer-encoding: chunked") {
        body = dechunk(&body);
    }
    Ok(Answer {
        status,
        headers,
        body,
    })
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let line_end = b.windows(2).position(|w| w == b"\r\n").unwrap();
        let size =
            usize::from_str_radix(std::str::from_utf8(&b[..line_end]).unwrap().trim(), 16).unwrap();
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&b[line_end + 2..line_end + 2 + size]);
        b = &b[line_end + 2 + size + 2..];
    }
}

pub fn sample(name: &str) -> Vec<u8> {
    std::fs::read(repo().join("samples/2026Q3").join(name)).unwrap()
}

/// The portal's database, opened read-only beside a running (or killed) server.
pub struct Records(rusqlite::Connection);

/// An upload as the records keep it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub id: String,
    pub current: bool,
    pub placed: bool,
    pub sha256: String,
    pub status: String,
    pub late: bool,
    pub client: String,
}

impl Records {
    pub fn open(data: &std::path::Path) -> Records {
        let c = rusqlite::Connection::open_with_flags(
            data.join("portal/portal.db"),
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
        )
        .unwrap();
        Records(c)
    }

    /// The unit's uploads of 2026Q3, oldest first.
    pub fn uploads_of(&self, unit: &str) -> Vec<Recorded> {
        let mut q = self
            .0
            .prepare(
                "SELECT id, current, placed, sha256, status, late, client FROM uploads
                 WHERE period = '2026Q3' AND unit = ?1 ORDER BY id",
            )
            .unwrap();
        q.query_map([unit], |r| {
            Ok(Recorded {
                id: r.get(0)?,
                current: r.get::<_, i64>(1)? != 0,
                placed: r.get::<_, i64>(2)? != 0,
                sha256: r.get(3)?,
                status: r.get(4)?,
                late: r.get::<_, i64>(5)? != 0,
                client: r.get(6)?,
            })
        })
        .unwrap()
        .map(Result::unwrap)
        .collect()
    }

    /// The audit log's (action, unit, detail), oldest first.
    pub fn log(&self) -> Vec<(String, String, String)> {
        let mut q = self
            .0
            .prepare("SELECT action, unit, detail FROM log ORDER BY seq")
            .unwrap();
        q.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    }
}

/// SHA-256 of a file, as the records write it.
pub fn sha256_of(path: &std::path::Path) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(std::fs::read(path).unwrap())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn form_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            b' ' => "+".to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
