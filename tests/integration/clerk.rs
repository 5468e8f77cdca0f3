//! The clerk's mistakes caught before they cost a round trip (issue 23): a wrong period, a file
//! checked alone, usage errors in Chinese, outputs open in Excel.

use crate::support::{build_into, repo, run};

#[test]
fn a_period_no_return_carries_stops_check_and_build_before_anything_is_written() {
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("out");
    let r = build_into(&repo().join("samples/2026Q3"), "2026Q2", &out, &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("要汇总的是2026年第二季度（2026Q2）")
            && r.stderr.contains("是2026年第三季度（2026Q3）")
            && r.stderr.contains("请改用 --period 2026Q3"),
        "{}",
        r.stderr
    );
    assert_eq!(
        std::fs::read_dir(root.path()).unwrap().count(),
        0,
        "no output, no staging folder, no lock"
    );
    let r = run(["check", "samples/2026Q3", "--period", "2026Q2"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("请改用 --period 2026Q3"), "{}", r.stderr);
    // The right period, or none, goes ahead as before.
    let r = run(["check", "samples/2026Q3", "--period", "2026Q3"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
}

#[test]
fn a_file_checked_alone_says_nothing_of_the_units_it_was_not_given() {
    let r = run([
        "check",
        "samples/2026Q3/2026Q3_水务局_填报表.xlsx",
        "--format",
        "json",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let json = r.json();
    assert_eq!(json["missing_units"], serde_json::json!([]), "{json}");
    assert!(!json.to_string().contains("unit-not-returned"));
    let human = run(["check", "samples/2026Q3/2026Q3_水务局_填报表.xlsx"]);
    assert!(
        human.stdout.contains("只检查了所列的文件"),
        "{}",
        human.stdout
    );
    // A folder still counts them.
    let folder = run(["check", "samples/2026Q3", "--format", "json"]).json();
    assert_eq!(
        folder["missing_units"],
        serde_json::json!(["万家沟水库灌区管理处"])
    );
}

/// The ASCII words of `text` that are neither an option name, the program's or a verb's
/// name, a value to type, a file name, nor what the clerk typed (quoted “…”): what would be
/// English to the clerk.
fn english_words(text: &str) -> Vec<String> {
    let mut unquoted = String::new();
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '“' => quoted = true,
            '”' => quoted = false,
            _ if !quoted => unquoted.push(c),
            _ => {}
        }
    }
    let text = unquoted.as_str();
    const ALLOWED: [&str; 18] = [
        "eco", "returns", "template", "check", "build", "schema", "links", "serve", "help",
        "human", "json", "xlsx", "toml", "out", "office", "MB", "N", "Q",
    ];
    let mut words = Vec::new();
    let mut word = String::new();
    let mut after_dashes = false;
    let mut prev = ' ';
    for c in text.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_alphabetic() {
            if word.is_empty() {
                after_dashes = prev == '-';
            }
            word.push(c);
        } else if !word.is_empty() {
            if !after_dashes && !ALLOWED.contains(&word.as_str()) && c != '.' {
                words.push(std::mem::take(&mut word));
            }
            word.clear();
        }
        prev = c;
    }
    words
}

#[test]
fn every_usage_error_and_help_is_chinese_with_a_suggestion_where_one_fits() {
    let cases: [(&[&str], &str); 11] = [
        (&["biuld"], "您是否要输入 build？"),
        (
            &["build", "samples/2026Q3", "--peroid", "2026Q3"],
            "您是否要输入 --period？",
        ),
        (
            &["build", "samples/2026Q3"],
            "缺少必需的参数 --period <报告期>",
        ),
        (
            &["build", "samples/2026Q3", "--period", "2026Q5"],
            "无法识别报告期“2026Q5”",
        ),
        (&["check", "--format", "xml", "samples"], "可选 human、json"),
        (&[], "缺少命令"),
        (&["check"], "缺少必需的参数"),
        (
            &[
                "serve", "--period", "2026Q3", "--data", "x", "--listen", "nonsense",
            ],
            "格式不对",
        ),
        (&["check", "--threads", "abc", "samples"], "格式不对"),
        (
            &["template", "--period", "2026Q3", "--out", "x", "extra"],
            "不认识的选项或参数“extra”",
        ),
        (&["links"], "缺少必需的参数 --data <文件夹>"),
    ];
    for (args, expected) in cases {
        let r = run(args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(r.stderr.starts_with("错误："), "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains(expected), "{args:?}: {}", r.stderr);
        let english = english_words(&r.stderr);
        assert!(english.is_empty(), "{args:?}: {english:?} in {}", r.stderr);
        assert!(r.stdout.is_empty());
    }
    for args in [
        &["help", "build"][..],
        &["build", "--help"],
        &["--help"],
        &["help"],
        &["help", "serve"],
    ] {
        let r = run(args);
        assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
        assert!(r.stdout.contains("用法："), "{args:?}: {}", r.stdout);
        assert!(
            !r.stdout.contains(':') || !r.stdout.contains("选项:"),
            "{}",
            r.stdout
        );
        let english = english_words(&r.stdout);
        assert!(english.is_empty(), "{args:?}: {english:?} in {}", r.stdout);
    }
    assert_eq!(
        run(["help", "build"]).stdout,
        run(["build", "--help"]).stdout
    );
}

#[test]
fn an_output_open_in_excel_or_libreoffice_is_named_with_what_to_do() {
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("out");
    let samples = repo().join("samples/2026Q3");
    assert_eq!(build_into(&samples, "2026Q3", &out, &[]).code, 1);
    let copy = std::fs::read_dir(out.join("退回修改"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .file_name()
        .to_string_lossy()
        .into_owned();
    for (lock, file) in [
        ("~$汇总表.xlsx".to_string(), "汇总表.xlsx".to_string()),
        (
            ".~lock.评估报告.docx#".to_string(),
            "评估报告.docx".to_string(),
        ),
        (format!("退回修改/~${copy}"), copy.clone()),
    ] {
        let path = out.join(&lock);
        std::fs::write(&path, b"owner").unwrap();
        let r = build_into(&samples, "2026Q3", &out, &[]);
        assert_eq!(r.code, 2, "{lock}: {}", r.stderr);
        assert!(
            r.stderr
                .contains(&format!("{file} 正在 Excel、WPS 或 LibreOffice 中打开"))
                && r.stderr.contains("请先关闭这个文件"),
            "{lock}: {}",
            r.stderr
        );
        assert!(out.join("汇总表.xlsx").is_file(), "the old output is kept");
        std::fs::remove_file(&path).unwrap();
    }
    assert_eq!(
        build_into(&samples, "2026Q3", &out, &[]).code,
        1,
        "closed: it builds"
    );
}

#[test]
fn serve_says_what_to_do_without_links_and_on_a_taken_port() {
    use std::io::BufRead;
    let data = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_eco-returns"))
        .args([
            "serve",
            "--period",
            "2026Q3",
            "--listen",
            "127.0.0.1:0",
            "--data",
        ])
        .arg(data.path())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stderr.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let second = lines.next().unwrap().unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        first.starts_with("门户已启动：http://127.0.0.1:"),
        "{first}"
    );
    assert!(
        second.contains("还没有为任何单位生成链接") && second.contains("eco-returns links --data"),
        "{second}"
    );
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let r = run([
        "serve",
        "--period",
        "2026Q3",
        "--data",
        data.path().to_str().unwrap(),
        "--listen",
        &format!("127.0.0.1:{port}"),
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("这个端口已被占用"), "{}", r.stderr);
    assert!(!r.stderr.contains("Address already in use"), "{}", r.stderr);
}

#[test]
fn a_receipt_number_is_short_enough_to_read_out() {
    let s = crate::support::http::Server::start();
    let a = s.upload(
        &s.link("水务局"),
        "水务局.xlsx",
        &crate::support::http::sample("2026Q3_水务局_填报表.xlsx"),
    );
    let receipt = a.receipt().unwrap();
    assert!(receipt.len() <= 21, "{receipt}");
    assert!(
        receipt.chars().all(|c| c.is_ascii_digit() || c == '-'),
        "{receipt}"
    );
}

fn overview_top(xlsx: &std::path::Path) -> (String, String) {
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(xlsx).unwrap();
    let first = book.sheet_names()[0].clone();
    let sheet = book.worksheet_range(&first).unwrap();
    let cell = |r: u32| {
        sheet
            .get_value((r, 0))
            .map(|c| c.to_string())
            .unwrap_or_default()
    };
    (cell(0), cell(1))
}

#[test]
fn a_build_from_part_of_the_returns_is_marked_draft_and_a_complete_one_is_not() {
    let root = tempfile::tempdir().unwrap();
    let part = root.path().join("q3");
    assert_eq!(
        build_into(&repo().join("samples/2026Q3"), "2026Q3", &part, &[]).code,
        1
    );
    let text = crate::support::docx_text(&part.join("评估报告.docx"));
    assert!(
        text.contains("2026年第三季度达标情况评估报告（初稿）"),
        "{text}"
    );
    assert!(
        text.contains(
            "本报告为初稿：本期数据尚不完整（万家沟水库灌区管理处未报送；财政局的填报表退回修改"
        ),
        "{text}"
    );
    let (title, summary) = overview_top(&part.join("汇总表.xlsx"));
    assert!(title.ends_with("（初稿）"), "{title}");
    assert!(
        summary.starts_with("初稿：本期数据尚不完整（万家沟水库灌区管理处未报送"),
        "{summary}"
    );

    let whole = root.path().join("q2");
    assert_eq!(
        build_into(&repo().join("samples/2026Q2"), "2026Q2", &whole, &[]).code,
        0
    );
    let text = crate::support::docx_text(&whole.join("评估报告.docx"));
    assert!(!text.contains("初稿"), "{text}");
    let (title, summary) = overview_top(&whole.join("汇总表.xlsx"));
    assert!(
        !title.contains("初稿") && !summary.contains("初稿"),
        "{title} {summary}"
    );
    assert!(summary.starts_with("按35项指标计"), "{summary}");
}

#[test]
fn a_file_that_was_not_read_is_called_so_everywhere() {
    use calamine::Reader;
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("q3");
    build_into(&repo().join("samples/2026Q3"), "2026Q3", &out, &[]);
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(out.join("汇总表.xlsx")).unwrap();
    let sheet = book.worksheet_range("校验问题").unwrap();
    let row: Vec<String> = sheet
        .rows()
        .find(|r| r.iter().any(|c| c.to_string().ends_with("说明.txt")))
        .expect("说明.txt in 校验问题")
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert!(row.contains(&"未读取".to_string()), "{row:?}");
    assert!(!row.iter().any(|c| c.starts_with("通过")), "{row:?}");
    let human = run(["check", "samples/2026Q3"]);
    let row = human
        .stdout
        .lines()
        .find(|l| l.contains("说明.txt") && l.contains("未读取"));
    assert!(row.is_some(), "{}", human.stdout);
}
