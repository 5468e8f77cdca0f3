//! The `schema` verb: the shipped schema against an independent copy of the plan's tables,
//! and one broken schema per lint rule.

use crate::support::{edit, fixture, line_of, run, schema_copy};
use eco_returns::text::key;
use serde_json::Value;
use std::collections::BTreeMap;

fn shipped() -> Value {
    let r = run(["schema", "--format", "json"]);
    assert_eq!(r.code, 0, "stderr: {}", r.stderr);
    r.json()
}

/// One line of 专栏1 as tab-separated cells, with the indicator number it belongs to.
struct PlanLine {
    cells: Vec<String>,
    group: String,
    key: String,
}

/// 专栏1 as the plan prints it: a row per line, merged cells left empty, page headers
/// repeated. Each line is attributed to the last indicator number (1–35) seen.
fn plan_lines() -> Vec<PlanLine> {
    let mut group = String::new();
    let mut out = Vec::new();
    for line in fixture("plan_zhuanlan1.txt").lines() {
        let cells: Vec<String> = line
            .split('\t')
            .map(|c| c.trim().to_string())
            .filter(|c| !c.is_empty())
            .collect();
        if cells.is_empty() || cells[0].starts_with("专栏1") || cells[0] == "领域" {
            continue;
        }
        if let Some(n) = cells.iter().find(|c| {
            c.parse::<u32>().is_ok_and(|n| (1..=35).contains(&n))
                && !c.contains('.')
                && c.len() <= 2
        }) {
            // Baselines such as "100" or "6" are numbers too: an id is the first small
            // integer that comes before the name (within the first three cells).
            let pos = cells.iter().position(|c| c == n).unwrap_or(99);
            if pos <= 2 {
                group = n.clone();
            }
        }
        let key = key(&line.replace("_{", "").replace('}', ""));
        out.push(PlanLine {
            cells,
            group: group.clone(),
            key,
        });
    }
    out
}

fn field<'a>(v: &'a Value, name: &str) -> &'a str {
    v[name].as_str().unwrap_or_default()
}

#[test]
fn every_indicator_row_matches_the_plan() {
    let json = shipped();
    let rows = json["indicators"].as_array().unwrap();
    assert_eq!(rows.len(), 44);
    let plan = plan_lines();
    for row in rows {
        let id = field(row, "id");
        let name_key = key(field(row, "name"));
        // A cell that is the name wins over a line that merely contains it (农药利用率 is
        // inside 三大粮食作物化肥农药利用率).
        let at = plan
            .iter()
            .position(|l| l.cells.iter().any(|c| key(c) == name_key))
            .or_else(|| plan.iter().position(|l| l.key.contains(&name_key)))
            .unwrap_or_else(|| panic!("{id}: name {} not in 专栏1", field(row, "name")));
        let line = &plan[at];
        let group = row["parent"].as_str().unwrap_or(id);
        assert_eq!(
            line.group, group,
            "{id}: found under indicator {}",
            line.group
        );

        // A merged cell is printed once, on the first line of the merge: look upwards
        // within the same indicator or, for an empty attribute, the same task.
        let carried = |pred: &dyn Fn(&str) -> bool| -> String {
            plan[..=at]
                .iter()
                .rev()
                .find_map(|l| l.cells.iter().find(|c| pred(c)).cloned())
                .unwrap_or_default()
        };
        let plan_unit = carried(&|c| c == "%" || c == "-" || c == "立方米/万元");
        assert_eq!(field(row, "plan_unit"), plan_unit, "{id}: plan unit");
        let attribute = carried(&|c| c == "约束性" || c == "参考性");
        assert_eq!(field(row, "attribute"), attribute, "{id}: attribute");

        // 指标可达性 is a verdict word; "/" only where the row has none (a baseline may be
        // "/" too, as on 21.3).
        let assessment = line
            .cells
            .iter()
            .find(|c| ["已达", "未达", "未达(难)"].contains(&c.as_str()))
            .cloned()
            .unwrap_or_else(|| "/".to_string());
        assert_eq!(
            field(row, "assessment_2021"),
            assessment,
            "{id}: 2021 assessment"
        );

        let baseline: String = key(field(row, "baseline")).chars().take(6).collect();
        assert!(
            line.key.contains(&baseline),
            "{id}: baseline {baseline} not on its line"
        );
    }
}

#[test]
fn units_of_reported_values_follow_product_rules() {
    let json = shipped();
    let by_id: BTreeMap<&str, &Value> = json["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (field(r, "id"), r))
        .collect();
    assert_eq!(field(by_id["7.2"], "unit"), "微克/立方米");
    assert_eq!(field(by_id["18"], "unit"), "立方米/万元");
    assert_eq!(field(by_id["7.1"], "unit"), "%");
    for qualitative in [
        "1", "2", "4", "6", "8.3", "11.2", "11.3", "13", "14", "15.1", "15.2", "31",
    ] {
        assert!(
            by_id[qualitative]["unit"].is_null(),
            "{qualitative} is qualitative"
        );
        assert_eq!(by_id[qualitative]["standard"]["kind"], "qualitative");
    }
    let superior: Vec<(&str, f64)> = ["7.1", "7.2", "18", "29"]
        .iter()
        .map(|id| {
            (
                *id,
                by_id[id]["standard"]["comparison"]["threshold"]
                    .as_f64()
                    .unwrap(),
            )
        })
        .collect();
    assert_eq!(
        superior,
        [("7.1", 83.0), ("7.2", 35.0), ("18", 156.9), ("29", 32.0)]
    );
    let not_applicable: Vec<&str> = by_id
        .iter()
        .filter(|(_, r)| r["not_applicable"] == true)
        .map(|(id, _)| *id)
        .collect();
    assert_eq!(not_applicable, ["11.3", "8.1", "8.3"]);
    assert_eq!(by_id["16"]["standard"]["kind"], "no_target");
    assert_eq!(by_id["17"]["target_period_ended"], true);
}

#[test]
fn every_department_matches_the_assignment_table() {
    let json = shipped();
    let mut expected = BTreeMap::new();
    for line in fixture("department_table.md")
        .lines()
        .skip(2)
        .filter(|l| l.starts_with('|'))
    {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        for id in cells[2].split(',') {
            expected.insert(id.trim().to_string(), cells[1].to_string());
        }
    }
    let got: BTreeMap<String, String> = json["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                field(r, "id").to_string(),
                field(r, "department").to_string(),
            )
        })
        .collect();
    assert_eq!(got, expected);
}

#[test]
fn every_project_matches_the_appendix_table() {
    let json = shipped();
    let projects = json["projects"].as_array().unwrap();
    let mut system = String::new();
    let mut seen = 0;
    for line in fixture("plan_fubiao.txt").lines() {
        for (numeral, name) in [
            ("一", "生态空间"),
            ("二", "生态经济"),
            ("三", "生态安全"),
            ("四", "生态生活"),
            ("五", "生态文化"),
            ("六", "生态制度"),
        ] {
            if line.starts_with(&format!("{numeral}、")) {
                system = name.to_string();
            }
        }
        let cells: Vec<&str> = line.split('\t').collect();
        let Ok(no) = cells[0].trim().parse::<u64>() else {
            continue;
        };
        seen += 1;
        let p = projects
            .iter()
            .find(|p| p["no"].as_u64() == Some(no))
            .unwrap_or_else(|| panic!("project {no} missing"));
        assert_eq!(key(field(p, "name")), key(cells[2]), "project {no}: name");
        assert_eq!(field(p, "system"), system, "project {no}: system");
        let investment = cells[5].trim().parse::<f64>().ok();
        assert_eq!(
            p["investment"].as_f64(),
            investment,
            "project {no}: investment"
        );
        let unit: String = cells[6].split_whitespace().collect();
        assert_eq!(field(p, "unit"), unit, "project {no}: unit");
        let attribute: String = cells[7].split_whitespace().collect();
        let supports: Vec<String> = attribute
            .strip_prefix("指标")
            .and_then(|rest| rest.strip_suffix("达标工程"))
            .map(|id| vec![id.to_string()])
            .unwrap_or_default();
        let got: Vec<String> = p["supports"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_string())
            .collect();
        assert_eq!(got, supports, "project {no}: supports");
    }
    assert_eq!(seen, 30);
    assert_eq!(projects.len(), 30);
    let p3 = projects.iter().find(|p| p["no"] == 3).unwrap();
    assert!(
        p3["investment"].is_null(),
        "project 3 has no investment in the plan"
    );
}

#[test]
fn lint_reports_the_plans_own_slips_and_nothing_else() {
    let json = shipped();
    let messages: Vec<&str> = json["lint"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert_eq!(messages.len(), 3, "{messages:#?}");
    assert!(messages.iter().any(|m| m.contains("生态经济体系投资小计")
        && m.contains("364504.00")
        && m.contains("237504.00")));
    assert!(messages
        .iter()
        .any(|m| m.contains("约束性指标数为 19") && m.contains("20")));
    assert!(messages
        .iter()
        .any(|m| m.contains("参考性指标数为 16") && m.contains("15")));
    assert_eq!(json["derived"]["met_2021"], 27);
    assert_eq!(json["derived"]["unmet_easy_2021"], 3);
    assert_eq!(json["derived"]["unmet_hard_2021"], 5);
}

#[test]
fn lint_is_silent_where_declared_and_derived_agree() {
    let dir = schema_copy();
    edit(
        dir.path(),
        "schema.toml",
        "subtotal = 364504.00",
        "subtotal = 237504.00",
    );
    edit(dir.path(), "schema.toml", "binding = 19", "binding = 20");
    edit(
        dir.path(),
        "schema.toml",
        "reference = 16",
        "reference = 15",
    );
    let r = run([
        "schema",
        "--format",
        "json",
        "--schema",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.json()["lint"].as_array().unwrap().len(), 0);
    let human = run(["schema", "--schema", dir.path().to_str().unwrap()]);
    assert!(human.stdout.contains("检查通过"), "{}", human.stdout);
}

#[test]
fn lint_warns_on_a_declared_count_that_differs() {
    let dir = schema_copy();
    edit(dir.path(), "schema.toml", "met_2021 = 27", "met_2021 = 26");
    let r = run([
        "schema",
        "--format",
        "json",
        "--schema",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0);
    let lint = r.json()["lint"].clone();
    assert!(lint.as_array().unwrap().iter().any(|f| f["message"]
        .as_str()
        .unwrap()
        .contains("2021年已达标指标数为 26，按条目计算为 27")));
}

/// Breaks one schema file and expects exit 2 naming the file, the line and the rule.
fn expect_lint_error(file: &str, from: &str, to: &str, needle: &str, code: &str) {
    let dir = schema_copy();
    edit(dir.path(), file, from, to);
    let line = line_of(dir.path(), file, needle);
    let r = run(["schema", "--schema", dir.path().to_str().unwrap()]);
    assert_eq!(r.code, 2, "stdout: {}\nstderr: {}", r.stdout, r.stderr);
    let location = format!("{}:{line}:", dir.path().join(file).display());
    assert!(
        r.stderr
            .lines()
            .any(|l| l.contains(&location) && l.contains(code)),
        "expected {location} … {code} in:\n{}",
        r.stderr
    );
}

#[test]
fn lint_rejects_a_duplicate_indicator_id() {
    expect_lint_error("indicators.toml", "id = \"35\"", "id = \"34\"", "id = \"34\"\ndomain = \"生态文化\"\ntask = \"（十）观念意识普及\"\nname = \"公众对生态文明建设的参与度\"", "S001");
}

#[test]
fn lint_rejects_an_unknown_department() {
    expect_lint_error(
        "indicators.toml",
        "department = \"财政局\"",
        "department = \"财务局\"",
        "department = \"财务局\"",
        "S002",
    );
}

#[test]
fn lint_rejects_a_project_unit_that_is_not_declared() {
    expect_lint_error(
        "projects.toml",
        "unit = \"组织部\"",
        "unit = \"宣传处\"",
        "unit = \"宣传处\"",
        "S002",
    );
}

#[test]
fn lint_rejects_a_standard_it_cannot_parse() {
    expect_lint_error(
        "indicators.toml",
        "standard = \"≥ 20\"",
        "standard = \"至少二十\"",
        "standard = \"至少二十\"",
        "S003",
    );
}

#[test]
fn lint_rejects_a_project_supporting_an_unknown_indicator() {
    expect_lint_error(
        "projects.toml",
        "supports = [\"17\"]",
        "supports = [\"36\"]",
        "supports = [\"36\"]",
        "S004",
    );
}

#[test]
fn lint_rejects_a_synonym_claimed_by_two_words() {
    expect_lint_error(
        "vocabulary.toml",
        "synonyms = [\"尚未建立\"]",
        "synonyms = [\"尚未建立\", \"已建成\"]",
        "\"已建成\"]",
        "S005",
    );
}

#[test]
fn lint_rejects_an_unknown_field_with_its_line() {
    let dir = schema_copy();
    edit(
        dir.path(),
        "projects.toml",
        "years = \"2022\"",
        "year = \"2022\"",
    );
    let r = run(["schema", "--schema", dir.path().to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("projects.toml:"), "{}", r.stderr);
    assert!(r.stderr.contains("year"), "{}", r.stderr);
}

#[test]
fn a_missing_schema_folder_is_exit_2() {
    let r = run(["schema", "--schema", "no/such/folder"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("无法读取指标体系文件"), "{}", r.stderr);
}

#[test]
fn human_summary_counts_what_the_entries_define() {
    let r = run(["schema"]);
    assert_eq!(r.code, 0);
    assert!(
        r.stdout
            .contains("指标 35 项（44 行）：约束性 20 项，参考性 15 项"),
        "{}",
        r.stdout
    );
    assert!(r
        .stdout
        .contains("重点工程 30 项，总投资 356387.32 万元（35.64 亿元）"));
    assert!(r.stdout.contains("报送单位 21 个"));
}
