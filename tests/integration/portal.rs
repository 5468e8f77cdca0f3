//! The portal over HTTP: a real server on a loopback port, driven with plain HTTP/1.1 requests
//! (every route, the upload flows, the access rules, a file dropped by hand, the build).

use crate::support::http::{request, sample, Server};
use crate::support::{number_cell, one_sheet, text_cell, valid_return_rows};
use std::path::Path;

fn is_xlsx(bytes: &[u8]) -> bool {
    zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map(|mut z| z.by_name("xl/workbook.xml").is_ok())
        .unwrap_or(false)
}

fn files_under(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .map(|e| {
                    if e.path().is_dir() {
                        files_under(&e.path())
                    } else {
                        1
                    }
                })
                .sum()
        })
        .unwrap_or(0)
}

#[test]
fn a_unit_uploads_clean_tolerant_and_malformed_returns_and_sees_each_result() {
    let s = Server::start();
    let water = s.link("水务局");
    let page = s.get(&water);
    assert_eq!(page.status, 200);
    assert!(page.text().contains("<h1>水务局</h1>") && page.text().contains("未报送"));
    assert!(page
        .headers
        .to_lowercase()
        .contains("referrer-policy: no-referrer"));
    let style = s.get("/static/style.css");
    assert_eq!(style.status, 200);
    assert!(style.headers.contains("text/css") && style.text().contains("@media"));
    let form = s.get(&format!("{water}/form"));
    assert_eq!(form.status, 200);
    assert!(is_xlsx(&form.body), "the blank form is a workbook");
    assert!(
        form.headers.contains("filename*=UTF-8''"),
        "{}",
        form.headers
    );

    let clean = s.upload(&water, "水务局.xlsx", &sample("2026Q3_水务局_填报表.xlsx"));
    assert_eq!(clean.status, 200);
    assert!(
        clean.text().contains("<strong>通过</strong>：已收到"),
        "{}",
        clean.text()
    );
    assert!(
        s.data.join("2026Q3/水务局.xlsx").is_file(),
        "the current return for build"
    );

    let housing = s.link("住建局");
    let tolerant = s.upload(
        &housing,
        "住建局.xlsx",
        &sample("2026Q3_住建局_填报表.xlsx"),
    );
    assert!(
        tolerant.text().contains("<strong>有提示</strong>"),
        "{}",
        tolerant.text()
    );
    assert!(tolerant.text().contains("<td>提示</td>"));

    let finance = s.link("财政局");
    let bad = s.upload(
        &finance,
        "财政局.xlsx",
        &sample("2026Q3_财政局_填报表.xlsx"),
    );
    let text = bad.text();
    assert!(text.contains("<strong>退回修改</strong>"), "{text}");
    assert!(
        text.contains("逗号无法判断") && text.contains("指标填报!F6"),
        "{text}"
    );
    assert!(text.contains("修改办法"));
    assert!(
        !text.contains("value-separator"),
        "no code a unit cannot read"
    );
    let returned = text
        .split("href=\"")
        .map(|h| h.split('"').next().unwrap().replace("&#x2f;", "/"))
        .find(|h| h.contains("/returned/"))
        .expect("a link to the returned form");
    let copy = s.get(&returned);
    assert_eq!(copy.status, 200);
    assert!(is_xlsx(&copy.body));
    // The name the command line gives it too (one rule everywhere).
    let encoded: String = "2026Q3_财政局_退回修改.xlsx"
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'.' | b'_' | b'-' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    assert!(copy.headers.contains(&encoded), "{}", copy.headers);
    // The history lists both uploads of 水务局 after a second one; every upload is kept.
    s.upload(
        &water,
        "水务局（改）.xlsx",
        &sample("2026Q3_水务局_填报表.xlsx"),
    );
    let history = s.get(&water).text();
    assert_eq!(history.matches("/uploads/").count(), 2, "{history}");
    assert_eq!(
        files_under(&s.data.join("uploads/2026Q3/水务局")),
        2,
        "two uploads kept"
    );
    assert_eq!(s.records().uploads_of("水务局").len(), 2, "two records");
}

#[test]
fn links_open_only_what_they_are_for() {
    let s = Server::start();
    let water = s.link("水务局");
    let forest = s.link("林草局");
    s.upload(&forest, "林草局.xlsx", &sample("2026Q3_林草局_填报表.xlsx"));
    let forest_page = s.get(&forest).text();
    let upload_id = forest_page
        .split("/uploads/")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap()
        .to_string();
    let water_secret = water.trim_start_matches("/u/");
    let office_secret = s.link("office").trim_start_matches("/o/").to_string();
    // Another unit's upload through one's own link, the office page with a unit's secret, a
    // unit's page with the office's, a made-up secret and one differing in one character.
    let mut off_by_one = water_secret.to_string();
    let last = if off_by_one.ends_with('0') { "1" } else { "0" };
    off_by_one.replace_range(off_by_one.len() - 1.., last);
    for path in [
        format!("/u/{water_secret}/uploads/{upload_id}"),
        format!("/o/{water_secret}"),
        format!("/u/{office_secret}"),
        "/u/0123456789abcdef0123456789abcdef0123456789abcdef".to_string(),
        format!("/u/{off_by_one}"),
        "/o/".to_string(),
    ] {
        let a = s.get(&path);
        assert_eq!(a.status, 404, "{path}");
        assert!(!a.text().contains("林草局"), "{path} shows data");
    }
    // The address `serve` prints says where to go, and shows no data.
    let root = s.get("/");
    assert_eq!(root.status, 200);
    assert!(root.text().contains("专用链接"), "{}", root.text());
    assert!(!root.text().contains("林草局") && !root.text().contains("/u/"));
    assert_eq!(s.get(&format!("/o/{office_secret}")).status, 200);
}

#[test]
fn markup_in_a_value_and_a_file_name_is_shown_as_text() {
    let s = Server::start();
    let rows = valid_return_rows("2026Q3").replace(
        &number_cell("F5", 96.2),
        &text_cell("F5", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    );
    let a = s.upload(
        &s.link("宣传部"),
        "<img src=x onerror=alert(2)>.xlsx",
        &one_sheet("指标填报", rows).bytes(),
    );
    let text = a.text();
    assert!(text.contains("退回修改"), "{text}");
    assert!(!text.contains("<script>alert(1)"), "{text}");
    assert!(!text.contains("<img src=x"), "{text}");
    assert!(text.contains("&lt;script&gt;alert(1)"), "{text}");
}

#[test]
fn the_office_sees_every_unit_a_file_dropped_by_hand_and_builds_the_period() {
    let s = Server::start();
    let office = s.link("office");
    s.upload(
        &s.link("水务局"),
        "水务局.xlsx",
        &sample("2026Q3_水务局_填报表.xlsx"),
    );
    s.upload(
        &s.link("财政局"),
        "财政局.xlsx",
        &sample("2026Q3_财政局_填报表.xlsx"),
    );
    // The clerk drops 林草局's return into the folder by hand.
    std::fs::write(
        s.data.join("2026Q3/林草局 邮件附件.xlsx"),
        sample("2026Q3_林草局_填报表.xlsx"),
    )
    .unwrap();
    let page = s.get(&office).text();
    let row = |unit: &str| -> String {
        page.split("<tr class=")
            .find(|r| r.contains(&format!("<td>{unit}</td>")))
            .unwrap_or_else(|| panic!("no row for {unit}"))
            .to_string()
    };
    assert!(row("水务局").contains("<td>通过</td>"));
    assert!(row("财政局").contains("<td>退回修改</td>"));
    assert!(
        // 林草局 is still on last year's form (no 数据年份): accepted, with the notice.
        row("林草局").contains("<td>有提示</td>") && row("林草局").contains("林草局 邮件附件.xlsx")
    );
    assert!(row("组织部").contains("<td>未报送</td>"));
    assert!(page.contains("未报送（请催报）："));
    let current = page
        .split("href=\"")
        .map(|h| h.split('"').next().unwrap().replace("&#x2f;", "/"))
        .find(|h| h.contains("/current/") && h.contains("%E6%B0%B4"))
        .unwrap();
    assert!(is_xlsx(&s.get(&current).body));

    // Units are missing: the office is asked first, and nothing is built yet.
    let asked = s.post(&format!("{office}/build"));
    assert_eq!(asked.status, 200);
    let text = asked.text();
    assert!(
        text.contains("本期填报表还不齐") && text.contains("<td>组织部</td><td>未报送</td>"),
        "{text}"
    );
    assert!(
        text.contains("name=\"confirm\"") && !text.contains("已汇总"),
        "{text}"
    );
    assert!(
        !s.data.join("out/2026Q3/评估报告.docx").exists(),
        "nothing built before the answer"
    );
    let built = request(
        &s.addr,
        "POST",
        &format!("{office}/build"),
        Some(("application/x-www-form-urlencoded", b"confirm=1")),
    );
    assert_eq!(built.status, 200);
    let text = built.text();
    assert!(text.contains("已汇总"), "{text}");
    let downloads: Vec<String> = text
        .split("href=\"")
        .map(|h| h.split('"').next().unwrap().replace("&#x2f;", "/"))
        .filter(|h| h.contains("/out/"))
        .collect();
    assert!(downloads.len() >= 3, "{downloads:?}");
    for d in &downloads {
        let file = s.get(d);
        assert_eq!(file.status, 200, "{d}");
        let z = zip::ZipArchive::new(std::io::Cursor::new(file.body)).unwrap();
        assert!(z.len() > 3, "{d} is a real document");
    }
    assert_eq!(
        s.get(&format!("{office}/out/..%2F..%2Flinks.json")).status,
        404
    );
    assert_eq!(
        s.get(&format!("{office}/current/..%2Fportal%2Flinks.json"))
            .status,
        404
    );
}
