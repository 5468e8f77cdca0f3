//! The office's workflow in the portal (issue 27): the deadline, review (审核通过, 退回修改
//! with 意见, 重新开放), the lock, the 催报通知, the archive, the link handout, the audit log
//! in the portal's SQLite records, and their agreement with the folder after a kill.

use crate::support::http::{multipart, sample, sha256_of, try_request, Server};
use crate::support::{docx_text, zip_parts, zip_text};
use std::path::Path;

const ISSUER: &str = "呼和浩特市生态环境局土默特左旗分局";

fn save(dir: &Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

/// The office page's answer to its last action.
fn notice_of(page: &str) -> String {
    page.split("role=\"status\">")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .unwrap_or("(no notice)")
        .to_string()
}

fn return_of(unit: &str) -> Vec<u8> {
    sample(&format!("2026Q3_{unit}_填报表.xlsx"))
}

#[test]
fn a_deadline_marks_late_uploads_and_a_wrong_one_is_refused_in_words() {
    let s = Server::start();
    let office = s.link("office");
    let wrong = s.post_form(&format!("{office}/deadline"), &[("deadline", "下周五")]);
    assert_eq!(wrong.status, 400);
    assert!(wrong.text().contains("无法识别"), "{}", wrong.text());
    let set = s.post_form(
        &format!("{office}/deadline"),
        &[("deadline", "2020-01-01T08:00")],
    );
    assert_eq!(set.status, 200);
    assert!(
        set.text().contains("截止时间已设为2020年1月1日 08:00"),
        "{}",
        set.text()
    );
    let water = s.link("水务局");
    let page = s.get(&water).text();
    assert!(
        page.contains("本期截止时间：<strong>2020年1月1日 08:00</strong>"),
        "{page}"
    );
    assert!(page.contains("已过截止时间"));
    let answer = s.upload(&water, "水务局.xlsx", &return_of("水务局"));
    assert_eq!(answer.status, 200);
    assert!(answer.text().contains("注明逾期"), "{}", answer.text());
    let ups = s.records().uploads_of("水务局");
    assert!(ups[0].late && ups[0].current);
    assert_eq!(
        ups[0].client, "127.0.0.1",
        "the client's address is recorded"
    );
    assert_eq!(ups[0].sha256, sha256_of(&s.data.join("2026Q3/水务局.xlsx")));
    let office_page = s.get(&office).text();
    assert!(
        office_page.contains("<span class=\"late\">逾期</span>"),
        "{office_page}"
    );
    // The report built from the portal says who was late.
    let built = s.post_form(&format!("{office}/build"), &[("confirm", "1")]);
    assert_eq!(built.status, 200);
    let report = docx_text(&s.data.join("out/2026Q3/评估报告.docx"));
    assert!(
        report.contains("逾期报送的有：水务局（"),
        "the report names late returns"
    );
    // The office moves the deadline later: lateness is judged against the deadline as it is.
    s.post_form(
        &format!("{office}/deadline"),
        &[("deadline", "2099-12-31 17:00")],
    );
    s.upload(&s.link("林草局"), "林草局.xlsx", &return_of("林草局"));
    assert!(!s.records().uploads_of("林草局")[0].late);
    assert!(
        !s.get(&office)
            .text()
            .contains("<span class=\"late\">逾期</span>"),
        "no upload is late against the new deadline"
    );
}

#[test]
fn the_office_approves_sends_back_with_its_opinion_and_reopens() {
    let s = Server::start();
    let (office, water, finance) = (s.link("office"), s.link("水务局"), s.link("财政局"));
    let tmp = tempfile::tempdir().unwrap();
    assert_eq!(
        s.upload(&water, "水务局.xlsx", &return_of("水务局")).status,
        200
    );
    assert_eq!(
        s.upload(&finance, "财政局.xlsx", &return_of("财政局"))
            .status,
        200
    );
    assert!(s.get(&office).text().contains("待审核"));

    let approve = |unit: &str| {
        s.post_form(
            &format!("{office}/review"),
            &[("unit", unit), ("action", "通过")],
        )
    };
    // A return with errors cannot be approved; sending back needs an opinion.
    let refused = approve("财政局");
    assert_eq!(refused.status, 400);
    assert!(
        refused.text().contains("不能审核通过"),
        "{}",
        refused.text()
    );
    let bare = s.post_form(
        &format!("{office}/review"),
        &[("unit", "水务局"), ("action", "退回"), ("opinion", " ")],
    );
    assert_eq!(bare.status, 400);
    assert!(bare.text().contains("请在“退回意见”中写明"));

    // A page older than the unit's last upload does not approve the file it never showed.
    let stale = s.post_form(
        &format!("{office}/review"),
        &[
            ("unit", "水务局"),
            ("action", "通过"),
            ("sha256", "0123abcd"),
        ],
    );
    assert_eq!(stale.status, 400);
    assert!(
        notice_of(&stale.text()).contains("又上传了新的填报表"),
        "{}",
        notice_of(&stale.text())
    );
    let long = "改".repeat(501);
    let too_long = s.post_form(
        &format!("{office}/review"),
        &[("unit", "水务局"), ("action", "退回"), ("opinion", &long)],
    );
    assert_eq!(too_long.status, 400);
    assert!(notice_of(&too_long.text()).contains("500字以内"));
    // 审核通过 fixes the return: the unit is told, and a new upload is refused.
    assert_eq!(approve("水务局").status, 200);
    assert!(s.get(&office).text().contains("已审核"));
    let page = s.get(&water).text();
    assert!(page.contains("审核通过，本期填报完成"), "{page}");
    assert!(
        !page.contains("enctype=\"multipart/form-data\""),
        "no upload form"
    );
    let again = s.upload(&water, "水务局 改.xlsx", &return_of("水务局"));
    assert_eq!(again.status, 409);
    assert!(
        again.text().contains("审核通过，不能再替换"),
        "{}",
        again.text()
    );
    assert!(again.text().contains(&format!("请联系{ISSUER}重新开放")));
    assert_eq!(
        s.records().uploads_of("水务局").len(),
        1,
        "a refused upload is not kept"
    );

    // 重新开放: the unit may upload again.
    let reopened = s.post_form(&format!("{office}/reopen"), &[("unit", "水务局")]);
    assert_eq!(reopened.status, 200, "{}", notice_of(&reopened.text()));
    assert_eq!(
        s.upload(&water, "水务局 改.xlsx", &return_of("水务局"))
            .status,
        200
    );

    // 退回修改 with an opinion: on the unit's page and first in its returned form.
    let opinion = "第19号工程的累计完成投资与财政拨付不符，请核对后重填";
    let back = s.post_form(
        &format!("{office}/review"),
        &[("unit", "财政局"), ("action", "退回"), ("opinion", opinion)],
    );
    assert_eq!(back.status, 200, "{}", back.text());
    let office_page = s.get(&office).text();
    assert!(office_page.contains("已退回") && office_page.contains(opinion));
    let page = s.get(&finance).text();
    assert!(page.contains(opinion), "{page}");
    let link = page
        .split("href=\"")
        .find(|h| h.contains("/returned/") && h.contains("修改说明中列有审核意见"))
        .map(|h| h.split('"').next().unwrap().replace("&#x2f;", "/"))
        .expect("a returned form with the opinion");
    let copy = s.get(&link);
    assert_eq!(copy.status, 200, "{link}: {}", copy.text());
    let copy = save(tmp.path(), "copy.xlsx", &copy.body);
    let strings = zip_text(&copy, "xl/sharedStrings.xml");
    assert!(strings.contains(opinion), "the 意见 is in 修改说明");
    // The corrected upload is taken as usual and waits for review again.
    assert_eq!(
        s.upload(&finance, "财政局.xlsx", &return_of("财政局"))
            .status,
        200
    );
    let row = s.get(&office).text();
    let finance_row = row
        .split("<tr")
        .find(|r| r.contains("<td>财政局</td>"))
        .unwrap();
    assert!(finance_row.contains("待审核"), "{finance_row}");

    let log: Vec<String> = s.records().log().into_iter().map(|(a, _, _)| a).collect();
    for action in ["上传", "审核通过", "上传被拒", "重新开放", "退回修改"] {
        assert!(log.iter().any(|a| a == action), "{action} in {log:?}");
    }
}

#[test]
fn a_locked_period_refuses_uploads_naming_the_office_and_still_builds() {
    let s = Server::start();
    let (office, water) = (s.link("office"), s.link("水务局"));
    assert_eq!(
        s.upload(&water, "水务局.xlsx", &return_of("水务局")).status,
        200
    );
    // A unit's link cannot post to the office's actions.
    let unit_secret = water.trim_start_matches("/u/");
    for action in ["lock", "unlock", "deadline", "review", "reopen"] {
        let as_office = s.post_form(
            &format!("/o/{unit_secret}/{action}"),
            &[("unit", "水务局"), ("action", "通过")],
        );
        assert_eq!(as_office.status, 404, "{action}");
        assert_eq!(
            s.post_form(&format!("{water}/{action}"), &[]).status,
            404,
            "{action}"
        );
    }
    let actions: Vec<String> = s.records().log().into_iter().map(|(a, _, _)| a).collect();
    assert_eq!(actions, ["生成链接", "上传"], "nothing changed");
    assert_eq!(s.post(&format!("{office}/lock")).status, 200);
    let refused = s.upload(&water, "水务局.xlsx", &return_of("水务局"));
    assert_eq!(refused.status, 409);
    let text = refused.text();
    assert!(text.contains(&format!("已由{ISSUER}锁定")), "{text}");
    assert!(s.get(&water).text().contains("锁定，不再接收上传"));
    let built = s.post_form(&format!("{office}/build"), &[("confirm", "1")]);
    assert_eq!(built.status, 200);
    assert!(
        built.text().contains("已汇总"),
        "the build works while locked"
    );
    assert_eq!(s.post(&format!("{office}/unlock")).status, 200);
    assert_eq!(
        s.upload(&water, "水务局.xlsx", &return_of("水务局")).status,
        200
    );
    let log: Vec<String> = s.records().log().into_iter().map(|(a, _, _)| a).collect();
    for action in ["锁定本期", "上传被拒", "汇总", "解除锁定"] {
        assert!(log.iter().any(|a| a == action), "{action} in {log:?}");
    }
    // 操作记录: the page and the workbook.
    let page = s.get(&format!("{office}/log")).text();
    assert!(
        page.contains("锁定本期") && page.contains("127.0.0.1"),
        "{page}"
    );
    assert_eq!(s.get(&format!("{water}/log")).status, 404);
    let tmp = tempfile::tempdir().unwrap();
    let book = save(
        tmp.path(),
        "log.xlsx",
        &s.get(&format!("{office}/log.xlsx")).body,
    );
    let strings = zip_text(&book, "xl/sharedStrings.xml");
    assert!(strings.contains("解除锁定") && strings.contains("上传被拒"));
}

#[test]
fn the_urge_notice_names_who_owes_and_the_archive_holds_every_return_as_sent() {
    let s = Server::start();
    let office = s.link("office");
    s.post_form(
        &format!("{office}/deadline"),
        &[("deadline", "2026-10-15T17:00")],
    );
    for unit in ["水务局", "财政局", "林草局"] {
        assert_eq!(
            s.upload(&s.link(unit), "x.xlsx", &return_of(unit)).status,
            200
        );
    }
    s.post_form(
        &format!("{office}/review"),
        &[
            ("unit", "林草局"),
            ("action", "退回"),
            ("opinion", "林草覆盖率请附统计依据"),
        ],
    );
    let tmp = tempfile::tempdir().unwrap();
    let urge = s.get(&format!("{office}/urge"));
    assert_eq!(urge.status, 200);
    let urge = save(tmp.path(), "urge.docx", &urge.body);
    let text = docx_text(&urge);
    assert!(text.contains("关于催报2026年第三季度"), "{text}");
    assert!(
        text.contains("截止时间为2026年10月15日 17:00，现已过截止时间"),
        "{text}"
    );
    assert!(text.contains("财政局：填报表有错误"), "{text}");
    assert!(text.contains("林草局：审核后退回修改"), "{text}");
    assert!(text.contains("发改委：已过截止时间，仍未报送"), "{text}");
    assert!(
        !text.contains("水务局"),
        "a unit whose return is in order is not chased"
    );
    assert!(text.contains(ISSUER), "signed by the office");

    let archive = s.get(&format!("{office}/archive"));
    assert_eq!(archive.status, 200);
    let zip = save(tmp.path(), "archive.zip", &archive.body);
    let parts = zip_parts(&zip);
    for unit in ["水务局", "财政局", "林草局"] {
        assert_eq!(
            parts[&format!("2026Q3/{unit}.xlsx")],
            return_of(unit),
            "{unit}: the file as the unit sent it"
        );
    }
    let list = save(tmp.path(), "list.xlsx", &parts["清单.xlsx"]);
    let strings = zip_text(&list, "xl/sharedStrings.xml");
    assert!(strings.contains(&sha256_of(&s.data.join("2026Q3/水务局.xlsx"))));
    assert!(strings.contains("退回修改") && strings.contains("林草覆盖率请附统计依据"));
    assert_eq!(
        s.get(&format!("{}/archive", s.link("水务局"))).status,
        404,
        "only the office downloads the archive"
    );
}

#[test]
fn a_kill_between_recording_an_upload_and_placing_it_is_repaired_on_restart() {
    let s = Server::start().restart_with(&[("ECO_RETURNS_TEST_FAULT", "after-record")]);
    let water = s.link("水务局");
    let (kind, body) = multipart("水务局.xlsx", &return_of("水务局"));
    let answer = try_request(&s.addr, "POST", &water, Some((&kind, &body)));
    assert!(
        answer.is_err() || answer.unwrap().status != 200,
        "no answer: the server died"
    );
    let file = s.data.join("2026Q3/水务局.xlsx");
    assert!(!file.exists(), "stopped before placing the file");
    let recorded = s.records().uploads_of("水务局");
    assert_eq!(recorded.len(), 1);
    assert!(recorded[0].current && !recorded[0].placed);
    assert_eq!(recorded[0].status, "通过", "recorded with its outcome");
    let s = s.restart();
    assert_eq!(
        sha256_of(&file),
        recorded[0].sha256,
        "put in place on restart"
    );
    let after = s.records().uploads_of("水务局");
    assert!(after[0].placed);
    assert!(s
        .records()
        .log()
        .iter()
        .any(|(a, u, _)| a == "恢复" && u == "水务局"));
    assert!(
        s.get(&water).text().contains(&recorded[0].id),
        "the unit sees its receipt"
    );
}

#[test]
fn upload_records_of_the_earlier_version_are_imported_on_first_start() {
    let mut s = Server::start();
    s.kill();
    for f in ["portal.db", "portal.db-wal", "portal.db-shm"] {
        let _ = std::fs::remove_file(s.data.join("portal").join(f));
    }
    let dir = s.data.join("uploads/2026Q3/水务局");
    std::fs::create_dir_all(&dir).unwrap();
    let id = "20261001-100000-00001";
    std::fs::write(dir.join(format!("{id}.xlsx")), return_of("水务局")).unwrap();
    std::fs::write(
        dir.join(format!("{id}.json")),
        format!(r#"{{"id":"{id}","time":"2026-10-01 10:00:00","original":"水务局三季度.xlsx","ext":"xlsx","status":"通过","errors":0,"warnings":0,"returned":false}}"#),
    )
    .unwrap();
    std::fs::create_dir_all(s.data.join("2026Q3")).unwrap();
    std::fs::write(s.data.join("2026Q3/水务局.xlsx"), return_of("水务局")).unwrap();
    let s = s.restart();
    let page = s.get(&s.link("水务局")).text();
    assert!(
        page.contains("水务局三季度.xlsx") && page.contains("2026-10-01 10:00:00"),
        "{page}"
    );
    let recorded = s.records().uploads_of("水务局");
    assert_eq!(recorded.len(), 1);
    assert_eq!(
        recorded[0].sha256,
        sha256_of(&dir.join(format!("{id}.xlsx")))
    );
    assert!(recorded[0].current && recorded[0].placed);
    // Imported once: a restart does not import again.
    let s = s.restart();
    assert_eq!(s.records().uploads_of("水务局").len(), 1);
    assert_eq!(
        s.records()
            .log()
            .iter()
            .filter(|(a, _, _)| a == "导入记录")
            .count(),
        1
    );
}

#[test]
fn links_hand_out_a_table_and_a_notice_with_a_qr_code_per_unit_when_they_are_made() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let links = |extra: &[&str]| {
        let mut args = vec![
            "links",
            "--format",
            "json",
            "--base",
            "http://10.0.0.5:8080",
        ];
        args.extend_from_slice(extra);
        let run = crate::support::run(
            args.iter()
                .map(|a| a.to_string())
                .chain(["--data".to_string(), data.display().to_string()]),
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
        run.json()
    };
    let first = tmp.path().join("分发1");
    let made = links(&["--out", &first.display().to_string()]);
    let made = made.as_array().unwrap();
    let table = zip_text(&first.join("链接分发表.xlsx"), "xl/sharedStrings.xml");
    let notices: Vec<_> = std::fs::read_dir(&first)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("通知_"))
        .collect();
    assert_eq!(
        notices.len(),
        made.len() - 1,
        "one notice per unit (not the office)"
    );
    for l in made {
        let url = l["url"].as_str().unwrap();
        let Some(unit) = l["unit"].as_str() else {
            assert!(
                !table.contains(url),
                "the office's own link is never handed out"
            );
            continue;
        };
        assert!(table.contains(url), "{url} in the table");
        {
            assert!(table.contains(unit));
            let notice = first.join(format!("通知_{unit}.docx"));
            let text = docx_text(&notice);
            assert!(text.contains(unit) && text.contains(url), "{unit}");
            assert!(text.contains("这个链接就是本单位的密码"), "{text}");
            let parts = zip_parts(&notice);
            assert!(
                parts.keys().any(|k| k.starts_with("word/media/")),
                "{unit}: the QR code is in the notice"
            );
        }
    }
    // No link made, nothing handed out; a rotation hands out that one link only.
    let second = tmp.path().join("分发2");
    links(&["--out", &second.display().to_string()]);
    assert!(!second.exists(), "no new link, no handout");
    let third = tmp.path().join("分发3");
    let rotated = links(&["--rotate", "水务局", "--out", &third.display().to_string()]);
    let new_url = rotated
        .as_array()
        .unwrap()
        .iter()
        .find_map(|l| (l["unit"] == "水务局").then(|| l["url"].as_str().unwrap().to_string()))
        .unwrap();
    let names: Vec<_> = std::fs::read_dir(&third)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(docx_text(&third.join("通知_水务局.docx")).contains(&new_url));
    let log = crate::support::http::Records::open(&data).log();
    let actions: Vec<&str> = log.iter().map(|(a, _, _)| a.as_str()).collect();
    assert_eq!(actions, ["生成链接", "更换链接"]);
    assert!(
        !log.iter()
            .any(|(_, _, d)| d.contains(&new_url[new_url.len() - 48..])),
        "no secret in the log"
    );
}
