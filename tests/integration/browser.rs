//! The portal in a real browser: headless Chromium driven over WebDriver by chromedriver
//! (Debian's `chromium` and `chromium-driver`, which `scripts/test.sh` installs). The WebDriver
//! calls are plain JSON over HTTP on loopback, made with the same small client as the portal
//! tests, so no browser-automation crate is built. Screenshots go to target/screenshots/.

use crate::support::http::{request, sample, try_request, Server};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Driver {
    child: Child,
    addr: String,
    session: String,
    _profile: tempfile::TempDir,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = request(
            &self.addr,
            "DELETE",
            &format!("/session/{}", self.session),
            None,
        );
        let _ = self.child.kill();
        let _ = self.child.wait();
        // A Chromium whose chromedriver died is not ended by it: end it by its profile folder.
        let _ = Command::new("pkill")
            .arg("-f")
            .arg(self._profile.path())
            .status();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn call(addr: &str, method: &str, path: &str, body: Option<Value>) -> Value {
    let bytes = body.map(|b| b.to_string().into_bytes());
    let a = request(
        addr,
        method,
        path,
        bytes.as_deref().map(|b| ("application/json", b)),
    );
    serde_json::from_slice(&a.body).unwrap_or_else(|_| panic!("{method} {path}: {}", a.text()))
}

impl Driver {
    fn start() -> Driver {
        let port = free_port();
        let child = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver (Debian's chromium-driver; scripts/test.sh installs it)");
        let addr = format!("127.0.0.1:{port}");
        let start = Instant::now();
        while std::net::TcpStream::connect(&addr).is_err() {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "chromedriver did not start"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        let profile = tempfile::tempdir().unwrap();
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                         "--no-first-run", "--disable-background-networking",
                         "--disable-component-update", "--disable-sync",
                         "--window-size=1100,1500",
                         format!("--user-data-dir={}", profile.path().display())]
            }
        }}});
        let answer = call(&addr, "POST", "/session", Some(caps));
        let session = answer["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {answer}"))
            .to_string();
        Driver {
            child,
            addr,
            session,
            _profile: profile,
        }
    }

    fn cmd(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        call(
            &self.addr,
            method,
            &format!("/session/{}{path}", self.session),
            body,
        )["value"]
            .clone()
    }

    fn open(&self, url: &str) {
        self.cmd("POST", "/url", Some(json!({ "url": url })));
    }

    fn element(&self, css: &str) -> String {
        let v = self.cmd(
            "POST",
            "/element",
            Some(json!({"using": "css selector", "value": css})),
        );
        v.as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("no element {css}: {v}"))
            .to_string()
    }

    /// The page's text; empty while it cannot be had (during a navigation the body may be
    /// gone or the driver may drop the connection), so that callers poll.
    fn text(&self) -> String {
        let session = format!("/session/{}", self.session);
        let lenient = |method: &str, path: String, body: Option<Value>| -> Option<Value> {
            let bytes = body.map(|b| b.to_string().into_bytes());
            let kind = bytes.as_deref().map(|b| ("application/json", b));
            let answer = try_request(&self.addr, method, &path, kind).ok()?;
            let v: Value = serde_json::from_slice(&answer.body).ok()?;
            let v = v.get("value")?.clone();
            v.get("error").is_none().then_some(v)
        };
        let find = json!({"using": "css selector", "value": "body"});
        let Some(body) = lenient("POST", format!("{session}/element"), Some(find)) else {
            return String::new();
        };
        let Some(id) = body.as_object().and_then(|o| o.values().next()?.as_str()) else {
            return String::new();
        };
        lenient("GET", format!("{session}/element/{id}/text"), None)
            .and_then(|t| t.as_str().map(str::to_string))
            .unwrap_or_default()
    }

    /// The page's text once `ready` holds of it, or as it is after 30 s.
    fn text_when(&self, ready: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let text = self.text();
            if ready(&text) || start.elapsed() > Duration::from_secs(30) {
                return text;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// Chooses `path` in the page's file input and submits, as a person would; the answer page's
    /// text.
    fn upload(&self, path: &Path) -> String {
        let input = self.element("input[type=file]");
        self.cmd(
            "POST",
            &format!("/element/{input}/value"),
            Some(json!({"text": path.display().to_string()})),
        );
        let button = self.element("button[type=submit]");
        self.cmd("POST", &format!("/element/{button}/click"), Some(json!({})));
        self.text_when(|t| t.contains("本次上传"))
    }

    fn screenshot(&self, name: &str) -> PathBuf {
        let b64 = self.cmd("GET", "/screenshot", None);
        let png = base64(b64.as_str().unwrap());
        let dir = crate::support::repo().join("target/screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, &png).unwrap();
        path
    }
}

fn base64(s: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        _ => 63,
    };
    let clean: Vec<u8> = s.bytes().filter(|c| !b"=\r\n".contains(c)).collect();
    let mut out = Vec::new();
    for chunk in clean.chunks(4) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &c)| n | u32::from(value(c)) << (18 - 6 * i));
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..chunk.len() - 1]);
    }
    out
}

fn is_png(path: &Path) -> bool {
    std::fs::read(path).is_ok_and(|b| b.starts_with(b"\x89PNG"))
}

#[test]
fn a_unit_uploads_in_chromium_reads_its_mistakes_and_the_office_sees_the_status() {
    let server = Server::start();
    let driver = Driver::start();
    let base = format!("http://{}", server.addr);
    let finance = format!("{base}{}", server.link("财政局"));
    driver.open(&finance);
    assert!(driver
        .text_when(|t| t.contains("财政局"))
        .contains("财政局"));
    assert!(is_png(&driver.screenshot("portal-unit.png")));
    // Choose the return in the file input and submit, as a person would.
    let file = tempfile::tempdir().unwrap();
    let path = file.path().join("财政局填报表.xlsx");
    std::fs::write(&path, sample("2026Q3_财政局_填报表.xlsx")).unwrap();
    let answer = driver.upload(&path);
    assert!(answer.contains("本次上传"), "no answer page: {answer}");
    assert!(answer.contains("退回修改"), "{answer}");
    assert!(
        answer.contains("逗号无法判断") && answer.contains("指标填报!F6"),
        "{answer}"
    );
    assert!(answer.contains("下载退回修改的填报表"));
    assert!(is_png(&driver.screenshot("portal-answer.png")));
    driver.open(&format!("{base}{}", server.link("office")));
    let office = driver.text_when(|t| t.contains("财政局"));
    let line = office
        .lines()
        .find(|l| l.starts_with("财政局"))
        .unwrap_or_else(|| panic!("{office}"));
    assert!(line.contains("退回修改"), "{line}");
    assert!(office.contains("未报送（请催报）"));
    assert!(is_png(&driver.screenshot("portal-office.png")));
    // The build button asks first (units are missing), with a second button; no JavaScript.
    let build = driver.element("form[action$='/build'] button");
    driver.cmd("POST", &format!("/element/{build}/click"), Some(json!({})));
    let asked = driver.text_when(|t| t.contains("本期填报表还不齐"));
    assert!(asked.contains("仍然汇总（生成初稿）"), "{asked}");
    assert!(is_png(&driver.screenshot("portal-confirm.png")));
    let again = driver.element("form[action$='/build'] button");
    driver.cmd("POST", &format!("/element/{again}/click"), Some(json!({})));
    let built = driver.text_when(|t| t.contains("已汇总"));
    assert!(built.contains("评估报告.docx"), "{built}");
    assert!(is_png(&driver.screenshot("portal-built.png")));
}

#[test]
fn a_word_file_uploaded_in_chromium_is_not_adopted_and_the_root_says_where_to_go() {
    let server = Server::start();
    let driver = Driver::start();
    let base = format!("http://{}", server.addr);
    driver.open(&format!("{base}/"));
    let root = driver.text_when(|t| t.contains("专用链接"));
    assert!(root.contains("指标填报门户"), "{root}");
    assert!(is_png(&driver.screenshot("portal-root.png")));
    driver.open(&format!("{base}{}", server.link("水务局")));
    driver.text_when(|t| t.contains("水务局"));
    let file = tempfile::tempdir().unwrap();
    let path = file.path().join("工作总结.docx");
    std::fs::write(&path, b"PK\x03\x04 not a return").unwrap();
    let answer = driver.upload(&path);
    assert!(
        answer.contains("未采用") && answer.contains("不是可以读取的填报表"),
        "{answer}"
    );
    assert!(answer.contains("当前状态：未报送"), "{answer}");
    assert!(is_png(&driver.screenshot("portal-not-adopted.png")));
}

impl Driver {
    /// Clicks the button of the form `css` selects and waits for the page that answers.
    fn submit(&self, css: &str, ready: impl Fn(&str) -> bool) -> String {
        let button = self.element(&format!("{css} button"));
        self.cmd("POST", &format!("/element/{button}/click"), Some(json!({})));
        self.text_when(ready)
    }

    fn type_into(&self, css: &str, text: &str) {
        let field = self.element(css);
        self.cmd(
            "POST",
            &format!("/element/{field}/value"),
            Some(json!({ "text": text })),
        );
    }
}

/// One full round of the office's work, as its clerk and a unit's clerk click through it:
/// deadline, upload, 退回修改 with 意见, corrected upload, 审核通过, 锁定, build.
#[test]
fn the_office_runs_a_round_in_chromium_from_deadline_to_build() {
    let server = Server::start();
    let driver = Driver::start();
    let base = format!("http://{}", server.addr);
    let office = format!("{base}{}", server.link("office"));
    let water = format!("{base}{}", server.link("水务局"));
    driver.open(&office);
    driver.text_when(|t| t.contains("报送情况"));
    // The browser's date-time picker, set as a person's pick would set it.
    driver.cmd(
        "POST",
        "/execute/sync",
        Some(json!({
            "script": "document.querySelector('input[name=deadline]').value = '2026-12-31T17:00';",
            "args": []
        })),
    );
    let set = driver.submit("form[action$='/deadline']", |t| {
        t.contains("截止时间已设为")
    });
    assert!(set.contains("截止时间：2026年12月31日 17:00"), "{set}");
    assert!(is_png(&driver.screenshot("portal-round-1-deadline.png")));

    driver.open(&water);
    let page = driver.text_when(|t| t.contains("水务局"));
    assert!(
        page.contains("本期截止时间：2026年12月31日 17:00"),
        "{page}"
    );
    let file = tempfile::tempdir().unwrap();
    let path = file.path().join("水务局填报表.xlsx");
    std::fs::write(&path, sample("2026Q3_水务局_填报表.xlsx")).unwrap();
    assert!(driver.upload(&path).contains("已收到"));

    driver.open(&office);
    driver.text_when(|t| t.contains("待审核"));
    let opinion = "第18项用水量请按水资源公报口径重填";
    let send_back = "form[action$='/review']:has(input[name=unit][value='水务局']):has(textarea)";
    driver.type_into(&format!("{send_back} textarea"), opinion);
    let sent = driver.submit(send_back, |t| t.contains("已退回修改"));
    assert!(sent.contains(opinion), "{sent}");
    assert!(is_png(&driver.screenshot("portal-round-2-returned.png")));

    driver.open(&water);
    let page = driver.text_when(|t| t.contains("已退回修改"));
    assert!(page.contains(opinion), "{page}");
    assert!(page.contains("下载退回修改的填报表（修改说明中列有审核意见）"));
    assert!(is_png(
        &driver.screenshot("portal-round-3-unit-returned.png")
    ));
    assert!(
        driver.upload(&path).contains("已收到"),
        "the corrected return is taken"
    );

    driver.open(&office);
    driver.text_when(|t| t.contains("待审核"));
    let approve =
        "form[action$='/review']:has(input[name=unit][value='水务局']):has(input[value='通过'])";
    let approved = driver.submit(approve, |t| t.contains("已审核通过"));
    assert!(approved.contains("重新开放"), "{approved}");
    let locked = driver.submit("form[action$='/lock']", |t| t.contains("本期已锁定"));
    assert!(locked.contains("已锁定，不接收上传"), "{locked}");
    assert!(is_png(&driver.screenshot("portal-round-4-locked.png")));

    driver.open(&water);
    let page = driver.text_when(|t| t.contains("锁定"));
    assert!(page.contains("不再接收上传"), "{page}");
    assert!(
        !page.contains("上传填报表"),
        "no upload form while locked: {page}"
    );
    assert!(is_png(&driver.screenshot("portal-round-5-unit-locked.png")));

    driver.open(&office);
    driver.text_when(|t| t.contains("报送情况"));
    driver.submit("form[action$='/build']", |t| t.contains("本期填报表还不齐"));
    let built = driver.submit("form[action$='/build']", |t| t.contains("已汇总"));
    assert!(built.contains("评估报告.docx"), "{built}");
    driver.open(&format!("{office}/log"));
    let log = driver.text_when(|t| t.contains("操作记录"));
    for action in [
        "设置截止时间",
        "上传",
        "退回修改",
        "审核通过",
        "锁定本期",
        "汇总",
    ] {
        assert!(log.contains(action), "{action}: {log}");
    }
    assert!(is_png(&driver.screenshot("portal-round-6-log.png")));
}
