//! A small harness: run the binary, capture what it printed and how it exited.

pub mod http;

use std::path::{Path, PathBuf};
use std::process::Command;

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }
}

pub fn run<I, S>(args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    run_with_env(&[], args)
}

/// `run` with extra environment variables.
pub fn run_with_env<I, S>(env: &[(&str, &str)], args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let out = Command::new(env!("CARGO_BIN_EXE_eco-returns"))
        .args(args)
        .envs(env.iter().copied())
        .current_dir(repo())
        .output()
        .expect("the binary runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `build DIR --period P --out OUT EXTRA…`, run.
pub fn build_into(dir: &Path, period: &str, out: &Path, extra: &[&str]) -> Run {
    let mut args: Vec<&std::ffi::OsStr> = vec![
        "build".as_ref(),
        dir.as_os_str(),
        "--period".as_ref(),
        period.as_ref(),
        "--out".as_ref(),
        out.as_os_str(),
    ];
    args.extend(extra.iter().map(std::ffi::OsStr::new));
    run(args)
}

/// A zip of `(name, text)` entries, deflated, as a spreadsheet writer would make it.
pub fn zip_entries(files: Vec<(String, String)>) -> Vec<u8> {
    use std::io::Write;
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut out);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, body) in files {
            z.start_file(name, opts).expect("zip entry");
            z.write_all(body.as_bytes()).expect("zip write");
        }
        z.finish().expect("zip finish");
    }
    out.into_inner()
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The hidden entries of `dir`: a build's staging or backup folders left behind.
pub fn hidden_entries(dir: &Path) -> Vec<std::ffi::OsString> {
    std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("entry").file_name())
        .filter(|n| n.to_string_lossy().starts_with('.'))
        .collect()
}

pub fn fixture(name: &str) -> String {
    std::fs::read_to_string(repo().join("tests/fixtures").join(name)).expect("fixture exists")
}

/// A copy of the shipped schema files in a scratch folder, for tests that break one of them.
pub fn schema_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for name in eco_returns::schema::FILES {
        std::fs::copy(repo().join("templates").join(name), dir.path().join(name)).expect("copy");
    }
    dir
}

/// Replaces the first occurrence of `from` in `dir/file` (the test fails if there is none).
pub fn edit(dir: &Path, file: &str, from: &str, to: &str) {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.contains(from), "{file} does not contain {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).expect("write");
}

/// The 1-based line of the first occurrence of `needle` in `dir/file`.
pub fn line_of(dir: &Path, file: &str, needle: &str) -> usize {
    let text = std::fs::read_to_string(dir.join(file)).expect("read");
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in {file}"));
    text[..at].matches('\n').count() + 1
}

/// A minimal .xlsx (one sheet named `Sheet1`) with `sheet_data` as the `<sheetData>` body
/// and `dimension` as its claimed extent, built by hand as a hostile sender would.
pub fn minimal_xlsx(dimension: &str, sheet_data: &str) -> Vec<u8> {
    let files = [
        ("[Content_Types].xml", r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.to_string()),
        ("_rels/.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_string()),
        ("xl/workbook.xml", r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#.to_string()),
        ("xl/_rels/workbook.xml.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.to_string()),
        ("xl/worksheets/sheet1.xml", format!(r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="{dimension}"/><sheetData>{sheet_data}</sheetData></worksheet>"#)),
    ];
    zip_entries(files.into_iter().map(|(n, b)| (n.to_string(), b)).collect())
}

/// An inline-string cell for [`minimal_xlsx`].
pub fn text_cell(r: &str, s: &str) -> String {
    format!(r#"<c r="{r}" t="inlineStr"><is><t>{s}</t></is></c>"#)
}

/// A number cell for [`minimal_xlsx`].
pub fn number_cell(r: &str, n: f64) -> String {
    format!(r#"<c r="{r}"><v>{n}</v></c>"#)
}

/// Rows of a valid return of 宣传部 (indicators 34 and 35, annual: with the 数据年份 of the
/// year before the period, in a column of its own at the right) for [`minimal_xlsx`].
pub fn valid_return_rows(period: &str) -> String {
    let year = period
        .get(..4)
        .and_then(|y| y.parse::<f64>().ok())
        .map_or(2025.0, |y| y - 1.0);
    format!(
        "<row r=\"1\">{}</row><row r=\"2\">{}{}{}{}</row><row r=\"4\">{}{}{}{}{}</row><row r=\"5\">{}{}{}{}</row><row r=\"6\">{}{}{}{}</row>",
        text_cell("A1", "土默特左旗国家生态文明建设示范旗指标季度填报表"),
        text_cell("A2", "填报单位"),
        text_cell("B2", "宣传部"),
        text_cell("D2", "报告期"),
        text_cell("E2", period),
        text_cell("A4", "序号"),
        text_cell("B4", "指标名称"),
        text_cell("F4", "本期值"),
        text_cell("H4", "备注"),
        text_cell("J4", "数据年份"),
        text_cell("A5", "34"),
        text_cell("B5", "公众对生态文明建设的满意度"),
        number_cell("F5", 96.2),
        number_cell("J5", year),
        text_cell("A6", "35"),
        text_cell("B6", "公众对生态文明建设的参与度"),
        number_cell("F6", 86.1),
        number_cell("J6", year),
    )
}

/// An .xlsx of several sheets, each `(name, sheetData body)`, with `workbook_pr` inside the
/// workbook's `<workbookPr …/>` (e.g. `date1904="1"`) and, when given, `shared_strings` as the
/// whole `xl/sharedStrings.xml` and `styles` as `xl/styles.xml`.
pub struct Xlsx<'a> {
    pub sheets: Vec<(&'a str, String)>,
    pub workbook_pr: &'a str,
    pub shared_strings: Option<String>,
    pub styles: Option<&'a str>,
}

impl Xlsx<'_> {
    pub fn bytes(&self) -> Vec<u8> {
        let esc = |s: &str| {
            s.replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('"', "&quot;")
        };
        let mut files: Vec<(String, String)> = Vec::new();
        let mut overrides = String::new();
        let mut sheets = String::new();
        let mut rels = String::new();
        for (i, (name, data)) in self.sheets.iter().enumerate() {
            let n = i + 1;
            overrides.push_str(&format!(r#"<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#));
            sheets.push_str(&format!(
                r#"<sheet name="{}" sheetId="{n}" r:id="rId{n}"/>"#,
                esc(name)
            ));
            rels.push_str(&format!(r#"<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{n}.xml"/>"#));
            files.push((
                format!("xl/worksheets/sheet{n}.xml"),
                format!(r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{data}</sheetData></worksheet>"#),
            ));
        }
        let extra_rel = |id: &str, kind: &str, target: &str| {
            format!(
                r#"<Relationship Id="{id}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/{kind}" Target="{target}"/>"#
            )
        };
        if let Some(sst) = &self.shared_strings {
            overrides.push_str(r#"<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>"#);
            rels.push_str(&extra_rel("rIdS", "sharedStrings", "sharedStrings.xml"));
            files.push(("xl/sharedStrings.xml".into(), sst.clone()));
        }
        if let Some(styles) = self.styles {
            overrides.push_str(r#"<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>"#);
            rels.push_str(&extra_rel("rIdT", "styles", "styles.xml"));
            files.push(("xl/styles.xml".into(), styles.to_string()));
        }
        files.push(("[Content_Types].xml".into(), format!(r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>{overrides}</Types>"#)));
        files.push(("_rels/.rels".into(), r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.into()));
        files.push(("xl/workbook.xml".into(), format!(r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><workbookPr {}/><sheets>{sheets}</sheets></workbook>"#, self.workbook_pr)));
        files.push(("xl/_rels/workbook.xml.rels".into(), format!(r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>"#)));
        zip_entries(files)
    }
}

/// One sheet of rows, as [`Xlsx`] takes them.
pub fn one_sheet(name: &str, rows: String) -> Xlsx<'_> {
    Xlsx {
        sheets: vec![(name, rows)],
        workbook_pr: "",
        shared_strings: None,
        styles: None,
    }
}

/// 宣传部's return for `period` in `dir`, with 34 and 35 and their data years.
pub fn xuanchuan(dir: &Path, period: &str, (v34, y34): (f64, f64), (v35, y35): (f64, f64)) {
    std::fs::create_dir_all(dir).unwrap();
    let year = period[..4].parse::<f64>().unwrap() - 1.0;
    let rows = valid_return_rows(period)
        .replace(&number_cell("F5", 96.2), &number_cell("F5", v34))
        .replace(&number_cell("F6", 86.1), &number_cell("F6", v35))
        .replace(&number_cell("J5", year), &number_cell("J5", y34))
        .replace(&number_cell("J6", year), &number_cell("J6", y35));
    std::fs::write(dir.join("宣传部.xlsx"), one_sheet("指标填报", rows).bytes()).unwrap();
}

/// Rows of a return of 宣传部 that is rejected: indicator 34 holds words, not a number.
pub fn rejected_return_rows(period: &str) -> String {
    valid_return_rows(period).replace(&number_cell("F5", 96.2), &text_cell("F5", "很满意"))
}

/// Copies the shipped returns of `period` into `to`.
pub fn copy_samples(period: &str, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(repo().join("samples").join(period)).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, to.join(p.file_name().unwrap())).unwrap();
    }
}

/// Every entry of a zip package (.xlsx, .docx), by name.
pub fn zip_parts(path: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut z = zip::ZipArchive::new(std::fs::File::open(path).expect("open")).expect("a zip");
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).expect("an entry");
            let mut b = Vec::new();
            std::io::Read::read_to_end(&mut f, &mut b).expect("read");
            (f.name().unwrap_or_default().to_string(), b)
        })
        .collect()
}

/// The text entries of a package, by name (binary ones, images, are left out).
pub fn zip_texts(path: &Path) -> std::collections::BTreeMap<String, String> {
    zip_parts(path)
        .into_iter()
        .filter_map(|(name, b)| String::from_utf8(b).ok().map(|s| (name, s)))
        .collect()
}

/// One text entry of a package (the test fails without it).
pub fn zip_text(path: &Path, name: &str) -> String {
    zip_texts(path)
        .remove(name)
        .unwrap_or_else(|| panic!("{name} not in {}", path.display()))
}

/// The text of a .docx body: every `<w:t>` (not `<w:tbl>`, `<w:tc>` …), joined.
pub fn docx_text(path: &Path) -> String {
    zip_text(path, "word/document.xml")
        .split("<w:t")
        .skip(1)
        .filter(|t| t.starts_with('>') || t.starts_with(' '))
        .filter_map(|t| t.split_once('>').map(|(_, rest)| rest))
        .map(|t| t.split("</w:t>").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("")
}

/// `build` as a test writes it, typed:
/// `Build::new(dir, "2026Q3").args(["--history", h]).into(&out)` gives a [`Built`] whose
/// indicator rows, diagnostics, 指标总览 rows and report text are read back for the asserts.
pub struct Build {
    dir: PathBuf,
    period: String,
    args: Vec<String>,
}

impl Build {
    pub fn new(dir: &Path, period: &str) -> Build {
        Build {
            dir: dir.to_path_buf(),
            period: period.to_string(),
            args: Vec::new(),
        }
    }

    pub fn args<S: AsRef<str>>(mut self, args: impl IntoIterator<Item = S>) -> Build {
        self.args
            .extend(args.into_iter().map(|a| a.as_ref().to_string()));
        self
    }

    /// Runs into `out`; the build must exit 0 or 1 (some returns rejected).
    pub fn into(self, out: &Path) -> Built {
        let mut extra: Vec<&str> = vec!["--format", "json"];
        extra.extend(self.args.iter().map(String::as_str));
        let r = build_into(&self.dir, &self.period, out, &extra);
        assert!(r.code == 0 || r.code == 1, "{}: {}", self.period, r.stderr);
        Built {
            code: r.code,
            json: r.json(),
            out: out.to_path_buf(),
        }
    }
}

pub struct Built {
    pub code: i32,
    pub json: serde_json::Value,
    pub out: PathBuf,
}

/// One row of `build --format json`'s `indicators`, as the contract types it.
#[derive(Debug, serde::Deserialize)]
pub struct IndicatorRow {
    pub id: String,
    pub status: String,
    pub value: Option<f64>,
    pub text: Option<String>,
    pub data_year: Option<u16>,
    pub compared_with: Option<String>,
    pub previous: Option<String>,
    pub vs_previous: Option<f64>,
    pub department: String,
}

/// One diagnostic of a file in the JSON.
#[derive(Debug, serde::Deserialize)]
pub struct DiagnosticRow {
    pub code: String,
    pub severity: String,
    pub cell: Option<String>,
    pub indicator: Option<String>,
    pub message: String,
}

/// A row of 指标总览, read by its column headings.
pub struct OverviewRow {
    header: Vec<String>,
    cells: Vec<calamine::Data>,
}

impl OverviewRow {
    /// The cell under the heading `name` (the test fails without such a column).
    pub fn get(&self, name: &str) -> &calamine::Data {
        let i = self
            .header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name} in {:?}", self.header));
        &self.cells[i]
    }

    pub fn text(&self, name: &str) -> String {
        self.get(name).to_string()
    }
}

impl Built {
    pub fn indicator(&self, id: &str) -> IndicatorRow {
        let row = self.json["indicators"]
            .as_array()
            .expect("indicators")
            .iter()
            .find(|i| i["id"] == id)
            .unwrap_or_else(|| panic!("no indicator {id}"));
        serde_json::from_value(row.clone()).expect("an indicator row of the contract")
    }

    /// Every diagnostic of the files with this code.
    pub fn diagnostics(&self, code: &str) -> Vec<DiagnosticRow> {
        self.json["files"]
            .as_array()
            .expect("files")
            .iter()
            .flat_map(|f| f["diagnostics"].as_array().cloned().unwrap_or_default())
            .filter(|d| d["code"] == code)
            .map(|d| serde_json::from_value(d).expect("a diagnostic of the contract"))
            .collect()
    }

    /// The text of the report: a quarter's 评估报告, or a year's 年度自评估报告.
    pub fn report(&self) -> String {
        let year = self.out.join("年度自评估报告.docx");
        if year.exists() {
            return docx_text(&year);
        }
        docx_text(&self.out.join("评估报告.docx"))
    }

    pub fn workbook(&self) -> PathBuf {
        self.out.join("汇总表.xlsx")
    }

    /// The 指标总览 row of indicator `id`.
    pub fn overview(&self, id: &str) -> OverviewRow {
        use calamine::Reader;
        let mut book = calamine::open_workbook_auto(self.workbook()).expect("汇总表");
        let sheet = book.worksheet_range("指标总览").expect("指标总览");
        let rows: Vec<Vec<calamine::Data>> = sheet.rows().map(|r| r.to_vec()).collect();
        let header = rows[2].iter().map(|c| c.to_string()).collect();
        let cells = rows
            .into_iter()
            .find(|r| r.get(1) == Some(&calamine::Data::String(id.into())))
            .unwrap_or_else(|| panic!("no 指标总览 row {id}"));
        OverviewRow { header, cells }
    }
}

/// `check ARGS` under a virtual-memory cap of `memory_kb` (`ulimit -v`): what a hostile file
/// must not get past.
pub fn check_capped(memory_kb: u64, args: &[&str]) -> Run {
    let quoted: Vec<String> = args
        .iter()
        .map(|a| format!("'{}'", a.replace('\'', "'\\''")))
        .collect();
    let script = format!(
        "ulimit -v {memory_kb}; exec '{}' check {}",
        env!("CARGO_BIN_EXE_eco-returns"),
        quoted.join(" ")
    );
    let out = Command::new("sh")
        .args(["-c", &script])
        .current_dir(repo())
        .output()
        .expect("sh runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}
