//! The portal's state and what it does with it: the folder `build` reads and each file's
//! result, a unit's page and upload (kept, checked, made current only when it is that unit's
//! return for the period), the office's page and build. [`super::routes`] turns HTTP requests
//! into these calls and their results into responses.

use super::db::{Db, ReviewState};
use super::links::{Links, Role};
use super::pages::{
    self, Built, DiagnosticRow, Frame, MessagePage, OfficeCounts, OfficePage, Pages, ReviewWord,
    UnitPage, UnitRow, UploadResult,
};
use super::store::{Store, Upload, UploadOutcome};
use crate::inputs::Input;
use crate::read::Limits;
use crate::schema::Schema;
use crate::validate::{
    cross_check, validate_input, Checked, Code, Diagnostic, Return, ReturnStatus, Severity,
};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use std::io::Write as _;
use std::path::PathBuf;
use std::sync::Arc;

pub(super) struct Portal {
    pub(super) schema: Schema,
    pub(super) store: Store,
    pub(super) db: Db,
    /// The office settings (发文机关 …) for the messages and notices.
    pub(super) office: crate::office::Office,
    /// The `--schema` folder, where an office.toml and a report.j2 may replace the built-in.
    pub(super) template_dir: Option<PathBuf>,
    /// The period as records name it (`2026Q3`).
    pub(super) period_text: String,
    pub(super) limits: Limits,
    pub(super) pages: Pages,
    /// One build at a time, and the last one's result for the office page.
    pub(super) build: tokio::sync::Mutex<Option<Built>>,
    /// Checks, builds and page renders that read returns run a few at a time, in arrival
    /// order (tokio's semaphore is fair): a flood queues, it does not multiply the work.
    pub(super) work: tokio::sync::Semaphore,
    /// Each current file's own result, until the file changes (its time and size): a page
    /// reads only what changed, then runs the checks across returns on all of them.
    pub(super) seen: std::sync::Mutex<std::collections::HashMap<PathBuf, (FileVersion, Return)>>,
    /// Held from making an upload current to noting its result: two uploads of one unit at
    /// once must not note one's result under the other's file.
    pub(super) current: std::sync::Mutex<()>,
    /// Upload bytes held in memory by all requests together, in KiB: a budget for the whole
    /// server, so that many connections from many addresses, each holding a large body just
    /// short of its end, cannot take the machine's memory. A request that finds it spent is
    /// answered 503 at once (waiting could deadlock the senders that hold it).
    pub(super) bodies: Arc<tokio::sync::Semaphore>,
}

/// What tells that a file changed.
pub(super) type FileVersion = (Option<std::time::SystemTime>, u64);

pub(super) fn file_version(path: &std::path::Path) -> Option<FileVersion> {
    let m = std::fs::metadata(path).ok()?;
    Some((m.modified().ok(), m.len()))
}

/// Earlier uploads a unit's page lists (the newest; all are kept on disk).
const LISTED_UPLOADS: usize = 30;
/// What one unit may keep in one period: real units upload a handful of times; this stops a
/// leaked link (or a script) from filling the server's disk.
const MAX_UPLOADS_PER_UNIT: usize = 300;
const MAX_BYTES_PER_UNIT: u64 = 500 * crate::read::MB;

impl Portal {
    pub(super) fn frame(&self) -> Frame {
        Frame {
            county: self.schema.meta.county.clone(),
            period: self.store.period.to_string(),
            period_cn: self.store.period.chinese(),
        }
    }

    /// The role of a secret, read from the links file on every request so that a rotation
    /// with `links --rotate` takes effect without a restart.
    pub(super) fn role(&self, secret: &str) -> Option<Role> {
        Links::load(&self.store.data).ok()?.role_of(secret).cloned()
    }

    pub(super) fn unit(&self, secret: &str) -> Option<String> {
        match self.role(secret)? {
            Role::Unit(u) => Some(u),
            Role::Office => None,
        }
    }

    pub(super) fn is_office(&self, secret: &str) -> bool {
        self.role(secret) == Some(Role::Office)
    }

    pub(super) fn message(&self, status: StatusCode, heading: &str, message: &str) -> Response {
        let page = MessagePage {
            frame: self.frame(),
            heading: heading.into(),
            message: message.into(),
        };
        html(status, self.pages.render("message.html", &page))
    }

    pub(super) fn not_found(&self) -> Response {
        self.message(
            StatusCode::NOT_FOUND,
            "找不到该页面",
            "链接有误或已失效。请使用生态环境分局发给本单位的链接；如链接遗失，请联系分局重新生成。",
        )
    }

    /// Checks the folder `build` reads, as `build` will, reading again only the files that
    /// changed since the last look.
    pub(super) fn check_current(&self) -> Checked {
        let inputs = crate::inputs::collect(&[self.store.current_dir()]).unwrap_or_default();
        let returns = inputs
            .iter()
            .map(|input| {
                let Input::File(path) = input else {
                    return validate_input(input, &self.schema, &self.limits);
                };
                let now = file_version(path);
                let cached = self.seen().get(path).cloned();
                match cached {
                    Some((was, ret)) if Some(was) == now => ret,
                    _ => {
                        let ret = validate_input(input, &self.schema, &self.limits);
                        if let Some(now) = now {
                            self.seen().insert(path.clone(), (now, ret.clone()));
                        }
                        ret
                    }
                }
            })
            .collect();
        cross_check(returns, Some(self.store.period), &self.schema)
    }

    pub(super) fn seen(
        &self,
    ) -> std::sync::MutexGuard<'_, std::collections::HashMap<PathBuf, (FileVersion, Return)>> {
        self.seen.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(super) fn unit_page(
        &self,
        secret: &str,
        unit: &str,
        result: Option<UploadResult>,
    ) -> UnitPage {
        let uploads = self.db.uploads(&self.period_key(), unit, LISTED_UPLOADS);
        let checked = self.check_current();
        let current = worst(
            checked
                .returns
                .iter()
                .filter(|r| r.unit.as_deref() == Some(unit)),
        );
        let (status, status_class) = pages::status_word(current);
        UnitPage {
            frame: self.frame(),
            base: format!("/u/{secret}"),
            unit: unit.to_string(),
            status,
            status_class,
            last_time: uploads
                .iter()
                .find(|u| u.current)
                .map(|u| u.time.clone())
                .or_else(|| {
                    self.db
                        .latest_current(&self.period_key(), unit)
                        .map(|u| u.time)
                }),
            result,
            uploads,
            max_mb: self.limits.max_file_bytes / crate::read::MB,
            workflow: self.unit_workflow(unit),
        }
    }

    /// Keeps an upload, checks it, records the result and makes it the unit's current return
    /// — unless the period is locked or the unit's return has been approved, which refuses it.
    pub(super) fn accept(
        &self,
        unit: &str,
        original: &str,
        bytes: &[u8],
        client: &str,
    ) -> Result<UploadResult, super::PortalError> {
        use sha2::{Digest, Sha256};
        let sha256 = crate::text::hex(&Sha256::digest(bytes));
        if let Some(refusal) = self.closed_to(unit)? {
            self.log_refusal(unit, original, &sha256, client, &refusal.why);
            return Err(super::PortalError::Closed(refusal));
        }
        let (count, used) = self.store.usage(unit);
        if count >= MAX_UPLOADS_PER_UNIT || used + bytes.len() as u64 > MAX_BYTES_PER_UNIT {
            let quota = super::PortalError::Quota {
                unit: unit.to_string(),
                count,
                mb: used / crate::read::MB,
            };
            self.log_refusal(unit, original, &sha256, client, &quota.to_string());
            return Err(quota);
        }
        let mut upload = self.store.new_upload(original);
        upload.sha256 = sha256;
        upload.client = client.to_string();
        upload.late = super::workflow::came_after(self.deadline().as_deref(), &upload);
        let path = self.store.keep(unit, &upload, bytes)?;
        let (alone, ret) = self.answer(unit, &path);
        let status = ret.status();
        upload.status = UploadOutcome::of(status);
        upload.errors = ret.count(Severity::Error);
        upload.warnings = ret.count(Severity::Warning);
        // The returned form is made when first asked for (most rejected uploads are corrected
        // at once from the answer page): here only whether one can be made, from a readable
        // workbook.
        upload.returned = status == ReturnStatus::Rejected && ret.format.is_some();
        let _one_at_a_time = self.current.lock().unwrap_or_else(|e| e.into_inner());
        // Asked again under the lock the office's actions take: a lock or an approval that
        // came while this upload was being checked keeps it out of the folder.
        let not_adopted = self
            .closed_to(unit)?
            .map(|r| r.why)
            .or_else(|| self.why_not_current(unit, &upload, &ret));
        let current = not_adopted.is_none();
        upload.current = current;
        if !current {
            upload.status = UploadOutcome::NotAdopted;
        }
        self.db.receive(&self.period_key(), unit, &upload)?;
        if current {
            fault_point("after-record");
            if let Err(e) = self.store.place(unit, &upload, bytes) {
                // The record said current: it must not stay so, or the next start would put
                // this file over a later upload.
                self.db.abandon(&upload.id, &e.to_string())?;
                return Err(e);
            }
            if let Err(e) = self.db.placed(&upload.id) {
                // The file is in place; the next start only puts it there again.
                let _ = writeln!(std::io::stderr(), "上传已放入但未能记录：{e}");
            }
            // The current file is this upload: its result is known without reading it again.
            let path = self.store.current_path(unit, &upload);
            if let Some(now) = file_version(&path) {
                let mut as_current = alone;
                as_current.file = path.clone();
                self.seen().insert(path, (now, as_current));
            }
        }
        Ok(UploadResult {
            id: upload.id,
            original: upload.original,
            status: upload.status.word().to_string(),
            status_class: if current {
                pages::status_word(Some(status)).1
            } else {
                "bad"
            },
            not_adopted,
            returned: upload.returned,
            late: upload.late,
            diagnostics: ret.diagnostics.iter().map(DiagnosticRow::from).collect(),
        })
    }

    /// Puts again in the folder each unit's latest current upload whose file may not have
    /// reached it (the server was stopped between recording it and placing it). One that
    /// cannot be placed is recorded as not adopted, the unit's earlier return staying current;
    /// an older one that a later upload replaced is only marked settled. Returns what the
    /// office should know, in words.
    pub(super) fn recover(&self) -> Result<Vec<String>, super::PortalError> {
        let mut notes = Vec::new();
        for (period, unit, upload) in self.db.unplaced()? {
            if !self.db.is_latest_current(&period, &unit, &upload.id) {
                self.db.placed(&upload.id)?;
                continue;
            }
            let Some(p) = crate::period::Period::parse(&period) else {
                self.db.abandon(&upload.id, "报告期无法识别")?;
                continue;
            };
            let store = Store {
                data: self.store.data.clone(),
                period: p,
            };
            let path = store.upload_path(&unit, &upload);
            let placed = std::fs::read(&path)
                .map_err(|e| super::PortalError::io(&path, e))
                .and_then(|bytes| store.place(&unit, &upload, &bytes));
            match placed {
                Ok(()) => {
                    self.db.placed(&upload.id)?;
                    self.db.log(super::db::Action {
                        period: &period,
                        actor: "门户",
                        action: "恢复",
                        unit: &unit,
                        detail: format!(
                            "上次停止前已登记、未放入本期文件夹的上传（回执编号 {}）已放入",
                            upload.id
                        ),
                        client: "",
                    })?;
                    notes.push(format!(
                        "上次停止前{unit}已登记的上传（回执编号 {}）还没放入{period}文件夹，已放入",
                        upload.id
                    ));
                }
                Err(e) => {
                    self.db.abandon(&upload.id, &e.to_string())?;
                    notes.push(format!(
                        "上次停止前{unit}已登记的上传（回执编号 {}）无法放入{period}文件夹（{e}），已记为未采用，该单位原来的填报表仍有效",
                        upload.id
                    ));
                }
            }
        }
        Ok(notes)
    }

    /// Why an upload does not become the unit's current return, if it does not: only that
    /// unit's return for this period may replace what `build` reads (a PDF, a spreadsheet
    /// that is no return, another unit's or another period's return would push a good return
    /// out of the build).
    pub(super) fn why_not_current(
        &self,
        unit: &str,
        upload: &Upload,
        ret: &Return,
    ) -> Option<String> {
        if !upload.named_as_spreadsheet() || ret.format.is_none() {
            return Some(
                "这份文件不是可以读取的填报表（请上传从本页下载、填好的 .xlsx、.xls 或 .ods 文件）"
                    .into(),
            );
        }
        match ret.unit.as_deref() {
            None => return Some(
                "从这份文件中读不出填报单位，无法确认是本单位的填报表（请使用从本页下载的填报表）"
                    .into(),
            ),
            Some(other) if other != unit => {
                return Some(format!(
                    "这份填报表的填报单位是“{other}”，不是本单位（请上传本单位的填报表）"
                ))
            }
            Some(_) => {}
        }
        match ret.period {
            Some(p) if p != self.store.period => Some(format!(
                "这是{}的填报表，本期是{}（请下载本期的空白填报表重新填写）",
                p.chinese(),
                self.store.period.chinese()
            )),
            _ => None,
        }
    }

    /// An upload's result as its answer shows it (and as its returned form annotates it),
    /// with its own result alone for the cache.
    pub(super) fn answer(&self, unit: &str, path: &std::path::Path) -> (Return, Return) {
        let (alone, mut ret) = self.check_upload(path);
        if let Some(other) = ret.unit.clone().filter(|u| u != unit) {
            ret.diagnostics.insert(
                0,
                Diagnostic::new(
                    Code::UnitOtherLink,
                    format!("这份填报表的填报单位是“{other}”，却是通过“{unit}”的链接上传的"),
                )
                .value(other),
            );
        }
        (alone, ret)
    }

    /// The returned form of an upload, made on first request and kept beside it.
    /// With the office's 退回意见 of this upload, that comes first in its 修改说明 (made
    /// afresh: the 意见 may change).
    pub(super) fn returned_form(&self, unit: &str, upload: &Upload) -> Option<Vec<u8>> {
        let opinion = self.office_return_of(unit, upload);
        let kept = self.store.returned_path(unit, &upload.id);
        if opinion.is_none() {
            if let Ok(bytes) = std::fs::read(&kept) {
                return Some(bytes);
            }
        }
        let (_, mut ret) = self.answer(unit, &self.store.upload_path(unit, upload));
        if let Some(review) = &opinion {
            ret.diagnostics.insert(
                0,
                Diagnostic::new(
                    Code::OfficeReturned,
                    format!(
                        "{}于{}退回修改，意见：{}",
                        self.issuer(),
                        review.time,
                        review.opinion
                    ),
                ),
            );
            return crate::write::annotate::write(&self.schema, &ret, &self.limits).ok()?;
        }
        let bytes = crate::write::annotate::write(&self.schema, &ret, &self.limits).ok()??;
        super::store::write_synced(&kept, &bytes).ok()?;
        Some(bytes)
    }

    /// An upload's own result (as the cache keeps it), and with the checks across returns
    /// that apply to one return alone (its period), as its answer shows it.
    pub(super) fn check_upload(&self, path: &std::path::Path) -> (Return, Return) {
        let alone = validate_input(&Input::File(path.to_path_buf()), &self.schema, &self.limits);
        let checked = cross_check(vec![alone.clone()], Some(self.store.period), &self.schema);
        let answer = checked
            .returns
            .into_iter()
            .next()
            .unwrap_or_else(|| alone.clone());
        (alone, answer)
    }

    pub(super) fn office_page(
        &self,
        secret: &str,
        built: Option<Built>,
        notice: Option<pages::Notice>,
    ) -> OfficePage {
        let checked = self.check_current();
        let period = self.period_key();
        let mut counts = OfficeCounts::default();
        let mut missing = Vec::new();
        let deadline = self.deadline();
        let units: Vec<UnitRow> = self
            .by_unit(&checked)
            .into_iter()
            .map(|(u, own, status)| {
                match status {
                    None => {
                        counts.missing += 1;
                        missing.push(u.name.clone());
                    }
                    Some(ReturnStatus::Accepted) => counts.accepted += 1,
                    Some(ReturnStatus::Warnings) => counts.warnings += 1,
                    Some(ReturnStatus::Rejected) => counts.rejected += 1,
                    Some(ReturnStatus::Superseded) => {}
                }
                self.unit_row(u, &own, status, &period, deadline.as_deref())
            })
            .collect();
        let others = checked
            .returns
            .iter()
            .filter(|r| r.unit.is_none())
            .map(|r| name_of(&r.file))
            .collect();
        let state = self.db.period_state(&period);
        OfficePage {
            frame: self.frame(),
            base: format!("/o/{secret}"),
            to_urge: units.iter().filter(|u| u.owes.is_some()).count(),
            units,
            counts,
            missing,
            others,
            built,
            deadline: state
                .deadline
                .as_deref()
                .map(super::workflow::deadline_words),
            deadline_input: state
                .deadline
                .as_deref()
                .map(super::workflow::deadline_input)
                .unwrap_or_default(),
            locked: state.locked,
            notice,
        }
    }

    /// A unit's row of the office page: its status, review, lateness and what it owes.
    fn unit_row(
        &self,
        u: &crate::schema::Unit,
        own: &[&Return],
        status: Option<ReturnStatus>,
        period: &str,
        deadline: Option<&str>,
    ) -> UnitRow {
        let (word, status_class) = pages::status_word(status);
        let latest = self.db.latest_current(period, &u.name);
        let (review, opinion) = self.review_of(&u.name, own);
        let live: Vec<_> = own
            .iter()
            .filter(|r| r.status() != ReturnStatus::Superseded)
            .collect();
        let past_deadline = deadline.is_some_and(|d| super::store::now_text().as_str() > d);
        UnitRow {
            unit: u.name.clone(),
            status: word,
            status_class,
            last_time: latest
                .as_ref()
                .map(|x| x.time.clone())
                .unwrap_or_else(|| "—".into()),
            errors: own.iter().map(|r| r.count(Severity::Error)).sum(),
            warnings: own.iter().map(|r| r.count(Severity::Warning)).sum(),
            files: own.iter().map(|r| name_of(&r.file)).collect(),
            review,
            sha256: match live.as_slice() {
                [one] => one.sha256.clone(),
                _ => String::new(),
            },
            opinion,
            late: latest
                .filter(|x| {
                    super::workflow::came_after(deadline, x)
                        && own.iter().any(|r| r.sha256 == x.sha256)
                })
                .map(|x| x.time),
            owes: match status {
                None if past_deadline => Some("已过截止时间，仍未报送"),
                None => Some("未报送"),
                Some(ReturnStatus::Rejected) => Some("填报表有错误，待修改后重新上传"),
                _ if review == ReviewWord::Returned => Some("审核后退回修改，待重新上传"),
                _ => None,
            },
            approved: review.approved(),
            reopenable: review.reviewed(),
            can_approve: !review.approved()
                && live.len() == 1
                && live.iter().all(|r| r.count(Severity::Error) == 0),
        }
    }

    /// The office's review of a unit's current return(s), and its 意见. A review is of one
    /// file (its SHA-256): a file changed since is 待审核 again.
    fn review_of(&self, unit: &str, own: &[&Return]) -> (ReviewWord, String) {
        if own.is_empty() {
            return (ReviewWord::Nothing, String::new());
        }
        match self.db.review(&self.period_key(), unit) {
            Some(r) if own.iter().any(|x| x.sha256 == r.sha256) => match r.state {
                ReviewState::Approved => (ReviewWord::Approved, r.opinion),
                ReviewState::Returned => (ReviewWord::Returned, r.opinion),
            },
            Some(r) if r.state == ReviewState::Approved => {
                (ReviewWord::ApprovedThenChanged, r.opinion)
            }
            _ => (ReviewWord::Waiting, String::new()),
        }
    }

    /// What the period still lacks, unit by unit (未报送, 退回修改), as the confirmation page
    /// lists it before a build from part of the returns.
    pub(super) fn incomplete(&self) -> Vec<pages::Lacking> {
        let checked = self.check_current();
        self.by_unit(&checked)
            .into_iter()
            .filter_map(|(u, _, status)| {
                let returned = self
                    .db
                    .review(&self.period_key(), &u.name)
                    .is_some_and(|r| r.state == ReviewState::Returned);
                let state = match status {
                    None => "未报送",
                    Some(ReturnStatus::Rejected) => "退回修改",
                    Some(_) if returned => "分局退回修改",
                    Some(_) => return None,
                };
                Some(pages::Lacking {
                    unit: u.name.clone(),
                    state,
                })
            })
            .collect()
    }

    /// Each reporting unit with its returns in the folder and the worst status among them.
    fn by_unit<'c>(
        &'c self,
        checked: &'c Checked,
    ) -> Vec<(
        &'c crate::schema::Unit,
        Vec<&'c Return>,
        Option<ReturnStatus>,
    )> {
        self.schema
            .reporting_units()
            .into_iter()
            .map(|u| {
                let own: Vec<&Return> = checked
                    .returns
                    .iter()
                    .filter(|r| r.unit.as_deref() == Some(u.name.as_str()))
                    .collect();
                let status = worst(own.iter().copied());
                (u, own, status)
            })
            .collect()
    }

    pub(super) fn out_dir(&self) -> PathBuf {
        self.store
            .data
            .join("out")
            .join(self.store.period.to_string())
    }

    pub(super) fn run_build(&self, client: &str) -> Built {
        let args = crate::build::Args {
            dir: self.store.current_dir(),
            period: self.store.period,
            out: Some(self.out_dir()),
            previous: None,
            history: None,
            limits: self.limits,
            threads: 2,
            font: None,
            template_dir: self.template_dir.clone(),
            date: None,
            lateness: self.lateness(),
        };
        if let Err(e) = std::fs::create_dir_all(self.store.current_dir()) {
            return Built {
                message: format!("汇总失败：{e}"),
                files: Vec::new(),
            };
        }
        let mut clock = crate::timing::Stopwatch::from_env();
        // No upload changes the folder while the build reads it: replacing a unit's file of
        // one extension by one of another is two steps, and the build must see one of them.
        let _no_upload_meanwhile = self.current.lock().unwrap_or_else(|e| e.into_inner());
        let built = crate::build::build(&self.schema, &args, &mut clock, &|_, _| {});
        let _ = self.db.log(self.office_action(
            "汇总",
            "",
            &match &built {
                Ok(done) => format!(
                    "汇总 {} 份填报表，生成汇总表和评估报告",
                    done.checked.returns.len()
                ),
                Err(e) => format!("汇总失败：{e}"),
            },
            client,
        ));
        match built {
            Ok(done) => Built {
                message: format!(
                    "已汇总 {} 份填报表，生成以下文件（点击下载）：",
                    done.checked.returns.len()
                ),
                files: out_files(&self.out_dir()),
            },
            Err(e) => Built {
                message: format!("汇总失败：{e}"),
                files: Vec::new(),
            },
        }
    }
}

/// Tests stop the process here (as `kill -9` would) to show that the records and the folder
/// agree after a restart: only when ECO_RETURNS_TEST_FAULT names this point.
fn fault_point(name: &str) {
    if std::env::var("ECO_RETURNS_TEST_FAULT").is_ok_and(|v| v == name) {
        std::process::abort();
    }
}

/// The worst status among a unit's returns in use (none: 未报送); a superseded one is not.
pub(super) fn worst<'a>(returns: impl Iterator<Item = &'a Return>) -> Option<ReturnStatus> {
    returns
        .map(Return::status)
        .filter(|s| *s != ReturnStatus::Superseded)
        .max_by_key(|s| match s {
            ReturnStatus::Accepted => 0,
            ReturnStatus::Warnings => 1,
            ReturnStatus::Rejected | ReturnStatus::Superseded => 2,
        })
}

pub(super) fn name_of(p: &std::path::Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The build's outputs, as paths relative to the output folder.
pub(super) fn out_files(dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    for name in [
        crate::write::output::SUMMARY_FILE,
        crate::write::output::REPORT_FILE,
        crate::write::output::ANNUAL_REPORT_FILE,
    ] {
        if dir.join(name).is_file() {
            out.push(name.to_string());
        }
    }
    let returned = dir.join(crate::write::output::RETURNED_DIR);
    let mut copies: Vec<String> = std::fs::read_dir(&returned)
        .map(|d| {
            d.flatten()
                .map(|e| {
                    format!(
                        "{}/{}",
                        crate::write::output::RETURNED_DIR,
                        e.file_name().to_string_lossy()
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    copies.sort();
    out.extend(copies);
    out
}

pub(super) fn html(status: StatusCode, body: String) -> Response {
    (
        status,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response()
}
