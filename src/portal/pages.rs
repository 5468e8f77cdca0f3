//! The portal's pages: server-rendered HTML from `templates/web/` (compiled into the binary),
//! with every text from a return or a file name escaped by minijinja's HTML auto-escaping.

use super::store::Upload;
use crate::validate::{Diagnostic, ReturnStatus, Severity};
use serde::Serialize;

pub const STYLE: &str = include_str!("../../templates/web/style.css");

const TEMPLATES: [(&str, &str); 6] = [
    ("log.html", include_str!("../../templates/web/log.html")),
    (
        "confirm.html",
        include_str!("../../templates/web/confirm.html"),
    ),
    (
        "layout.html",
        include_str!("../../templates/web/layout.html"),
    ),
    ("unit.html", include_str!("../../templates/web/unit.html")),
    (
        "office.html",
        include_str!("../../templates/web/office.html"),
    ),
    (
        "message.html",
        include_str!("../../templates/web/message.html"),
    ),
];

pub struct Pages {
    env: minijinja::Environment<'static>,
}

/// What every page shows in its frame.
#[derive(Debug, Clone, Serialize)]
pub struct Frame {
    pub county: String,
    pub period: String,
    pub period_cn: String,
}

/// One diagnostic as a row of the answer page.
#[derive(Debug, Clone, Serialize)]
pub struct DiagnosticRow {
    pub severity: &'static str,
    pub severity_class: &'static str,
    pub code: &'static str,
    pub location: String,
    pub value: String,
    pub message: String,
    /// Empty when the message says what to do itself.
    pub fix: &'static str,
}

impl From<&Diagnostic> for DiagnosticRow {
    fn from(d: &Diagnostic) -> Self {
        DiagnosticRow {
            severity: d.severity.label(),
            severity_class: match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            },
            code: d.code.id(),
            location: d.location(),
            value: d.value.clone().unwrap_or_default(),
            message: d.message.clone(),
            fix: d.fix().unwrap_or_default(),
        }
    }
}

/// The answer to one upload.
#[derive(Debug, Clone, Serialize)]
pub struct UploadResult {
    pub id: String,
    pub original: String,
    pub status: String,
    pub status_class: &'static str,
    /// Why it did not become the unit's current return (its current return is unchanged).
    pub not_adopted: Option<String>,
    pub returned: bool,
    /// Received after the 截止时间.
    pub late: bool,
    pub diagnostics: Vec<DiagnosticRow>,
}

/// The office's review as a page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct ReviewLine {
    /// 已审核 or 已退回.
    pub state: super::db::ReviewState,
    pub opinion: String,
    pub time: String,
}

impl ReviewLine {
    pub fn of(r: &super::db::Review) -> ReviewLine {
        ReviewLine {
            state: r.state,
            opinion: r.opinion.clone(),
            time: r.time.clone(),
        }
    }
}

/// What a unit's page says of the period's deadline and lock and of the office's review.
#[derive(Debug, Clone, Serialize)]
pub struct UnitWorkflow {
    /// `2026年10月15日 17:00`.
    pub deadline: Option<String>,
    pub past_deadline: bool,
    pub locked: bool,
    /// Who reviews and locks, as the messages name it.
    pub issuer: String,
    pub review: Option<ReviewLine>,
    /// The current upload the office sent back, for its returned form with the 意见.
    pub returned_id: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct UnitPage {
    #[serde(flatten)]
    pub frame: Frame,
    /// The page's own address (`/u/SECRET`), for its forms and links.
    pub base: String,
    pub unit: String,
    pub status: String,
    pub status_class: &'static str,
    pub last_time: Option<String>,
    pub result: Option<UploadResult>,
    pub uploads: Vec<Upload>,
    pub max_mb: u64,
    pub workflow: UnitWorkflow,
}

#[derive(Debug, Clone, Serialize)]
pub struct UnitRow {
    pub unit: String,
    pub status: String,
    pub status_class: &'static str,
    pub last_time: String,
    pub errors: usize,
    pub warnings: usize,
    pub files: Vec<String>,
    pub review: ReviewWord,
    /// SHA-256 of its one current return, which the review forms send back.
    pub sha256: String,
    pub opinion: String,
    /// The time of its current upload when that came after the 截止时间.
    pub late: Option<String>,
    /// Whether 审核通过 can be offered (a single current return without errors).
    pub can_approve: bool,
    /// Approved: no new upload, no review until 重新开放.
    pub approved: bool,
    /// Reviewed (approved or sent back): 重新开放 is offered.
    pub reopenable: bool,
    /// What the unit still owes, as the 催报通知 says it: 未报送, 填报表有错误 or 分局退回修改.
    pub owes: Option<&'static str>,
}

/// Where the office's review of a unit's current return stands, as the office page says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ReviewWord {
    /// No return to review.
    #[serde(rename = "")]
    Nothing,
    #[serde(rename = "待审核")]
    Waiting,
    #[serde(rename = "已审核")]
    Approved,
    /// Approved, and the file in the folder changed since (dropped there by hand).
    #[serde(rename = "已审核（审核后文件已更换）")]
    ApprovedThenChanged,
    #[serde(rename = "已退回")]
    Returned,
}

impl ReviewWord {
    pub fn approved(self) -> bool {
        matches!(self, ReviewWord::Approved | ReviewWord::ApprovedThenChanged)
    }

    /// Reviewed: 重新开放 undoes it.
    pub fn reviewed(self) -> bool {
        self.approved() || self == ReviewWord::Returned
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct OfficeCounts {
    pub accepted: usize,
    pub warnings: usize,
    pub rejected: usize,
    pub missing: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Built {
    pub message: String,
    pub files: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OfficePage {
    #[serde(flatten)]
    pub frame: Frame,
    pub base: String,
    pub units: Vec<UnitRow>,
    pub counts: OfficeCounts,
    pub missing: Vec<String>,
    pub others: Vec<String>,
    pub built: Option<Built>,
    /// `2026年10月15日 17:00`, and the value of the date-time field.
    pub deadline: Option<String>,
    pub deadline_input: String,
    pub locked: bool,
    /// What the office's last action did (or why it could not), shown at the top.
    pub notice: Option<Notice>,
    /// How many units the 催报通知 would name.
    pub to_urge: usize,
}

/// The answer to one of the office's actions.
#[derive(Debug, Clone, Serialize)]
pub struct Notice {
    pub text: String,
    pub ok: bool,
}

/// The 操作记录 page.
#[derive(Debug, Clone, Serialize)]
pub struct LogPage {
    #[serde(flatten)]
    pub frame: Frame,
    pub base: String,
    pub entries: Vec<super::db::LogEntry>,
    pub shown: usize,
}

/// A unit the period still lacks: 未报送 or 退回修改.
#[derive(Debug, Clone, Serialize)]
pub struct Lacking {
    pub unit: String,
    pub state: &'static str,
}

/// Asked before a build from part of the returns.
#[derive(Debug, Clone, Serialize)]
pub struct ConfirmPage {
    #[serde(flatten)]
    pub frame: Frame,
    pub base: String,
    pub incomplete: Vec<Lacking>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MessagePage {
    #[serde(flatten)]
    pub frame: Frame,
    pub heading: String,
    pub message: String,
}

/// The status word of a unit: 未报送 when it has no return.
pub fn status_word(status: Option<ReturnStatus>) -> (String, &'static str) {
    match status {
        None => ("未报送".into(), "none"),
        Some(ReturnStatus::Accepted) => ("通过".into(), "ok"),
        Some(ReturnStatus::Warnings) => ("有提示".into(), "warn"),
        Some(ReturnStatus::Rejected) => ("退回修改".into(), "bad"),
        Some(ReturnStatus::Superseded) => ("已被修改稿取代".into(), "none"),
    }
}

impl Pages {
    pub fn new() -> Result<Pages, minijinja::Error> {
        let mut env = minijinja::Environment::new();
        for (name, source) in TEMPLATES {
            env.add_template(name, source)?;
        }
        Ok(Pages { env })
    }

    pub fn render<T: Serialize>(&self, name: &str, page: &T) -> String {
        self.env
            .get_template(name)
            .and_then(|t| t.render(page))
            // The templates are compiled in and tested: a failure here is a bug, shown plainly.
            .unwrap_or_else(|e| format!("<!DOCTYPE html><p>页面生成失败：{e}</p>"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame() -> Frame {
        Frame {
            county: "土默特左旗".into(),
            period: "2026Q3".into(),
            period_cn: "2026年第三季度".into(),
        }
    }

    #[test]
    fn markup_from_a_return_is_shown_as_text() {
        let pages = Pages::new().unwrap();
        let d = Diagnostic::new(
            crate::validate::Code::ExpectedNumber,
            "指标 34 应填数值：<script>alert(1)</script>",
        )
        .value("<img src=x onerror=alert(2)>");
        let page = UnitPage {
            frame: frame(),
            base: "/u/abc".into(),
            unit: "宣传部".into(),
            status: "退回修改".into(),
            status_class: "bad",
            last_time: None,
            result: Some(UploadResult {
                id: "1".into(),
                original: "<b>x</b>.xlsx".into(),
                status: "退回修改".into(),
                status_class: "bad",
                not_adopted: None,
                returned: true,
                late: false,
                diagnostics: vec![DiagnosticRow::from(&d)],
            }),
            uploads: Vec::new(),
            max_mb: 50,
            workflow: UnitWorkflow {
                deadline: None,
                past_deadline: false,
                locked: false,
                issuer: "分局".into(),
                review: Some(ReviewLine {
                    state: crate::portal::db::ReviewState::Returned,
                    opinion: "<script>alert(3)</script>".into(),
                    time: "2026-10-01 10:00:00".into(),
                }),
                returned_id: None,
            },
        };
        let html = pages.render("unit.html", &page);
        assert!(!html.contains("<script>alert"), "{html}");
        assert!(
            html.contains("&lt;script&gt;alert(3)"),
            "the 意见 is shown as text"
        );
        assert!(!html.contains("<img src=x"));
        assert!(!html.contains("<b>x</b>"));
        assert!(html.contains("&lt;script&gt;"));
        assert!(html.contains("enctype=\"multipart/form-data\""));
    }
}
