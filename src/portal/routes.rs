//! The portal's routes. A secret in the path decides everything a request may see: a unit's
//! secret opens that unit's page and files, the office's every unit and the build; anything
//! else is 404 with no data. Paths from requests never reach the file system: a file is served
//! only when its name equals one the server listed itself.

use super::db::ReviewState;
use super::pages::{self, Pages};
use super::state::{html, out_files, Portal};
use super::store::{Store, Upload};
use super::Config;
use crate::schema::Schema;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::io::Write as _;
use std::sync::Arc;
use std::time::Duration;

/// The budget above: four uploads of the largest size at once, hundreds of real returns.
const BODY_BUDGET_KIB: usize = 200 * 1024;

type Shared = Arc<Portal>;

/// Blocking tasks at once: one per core of the machines the county runs this on, and two more
/// so that a slow disk does not idle the cores.
const WORKERS: usize = 8;

/// The client's address, put on each request by the connection that carries it.
#[derive(Debug, Clone)]
pub struct Client(pub String);

/// The router, and what its start did that the office should know (records imported,
/// uploads put in place after a stop).
pub fn router(
    schema: Schema,
    config: &Config,
) -> Result<(Router, Vec<String>), super::PortalError> {
    let mut notes = Vec::new();
    let db = super::db::Db::open(&config.data)?;
    let imported = db.import_json(&config.data)?;
    if imported.records > 0 {
        notes.push(format!("已导入早期版本的上传记录 {} 条", imported.records));
    }
    notes.extend(imported.problems);
    let office = crate::office::Office::load(config.template_dir.as_deref())
        .map_err(|e| super::PortalError::Start(e.to_string()))?;
    let portal = Arc::new(Portal {
        schema,
        store: Store {
            data: config.data.clone(),
            period: config.period,
        },
        db,
        office,
        template_dir: config.template_dir.clone(),
        period_text: config.period.to_string(),
        limits: config.limits,
        pages: Pages::new().map_err(|e| super::PortalError::Start(e.to_string()))?,
        build: tokio::sync::Mutex::new(None),
        work: tokio::sync::Semaphore::new(WORKERS),
        seen: std::sync::Mutex::default(),
        current: std::sync::Mutex::new(()),
        bodies: Arc::new(tokio::sync::Semaphore::new(BODY_BUDGET_KIB)),
    });
    notes.extend(portal.recover()?);
    let body_limit = usize::try_from(config.limits.max_file_bytes)
        .unwrap_or(usize::MAX)
        .saturating_add(64 * 1024);
    let router = Router::new()
        .route("/", get(welcome))
        .route("/static/style.css", get(style))
        .route("/u/{secret}", get(unit_page).post(unit_upload))
        .route("/u/{secret}/form", get(unit_form))
        .route("/u/{secret}/returned/{id}", get(unit_returned))
        .route("/u/{secret}/uploads/{id}", get(unit_file))
        .route("/o/{secret}", get(office_page).post(office_page))
        .route("/o/{secret}/build", axum::routing::post(office_build))
        .route("/o/{secret}/current/{name}", get(office_current))
        .route("/o/{secret}/out/{*name}", get(office_out))
        // deadline, review, reopen, lock, unlock: the office's changes to the period.
        .route("/o/{secret}/{action}", axum::routing::post(office_change))
        .route("/o/{secret}/urge", get(office_urge))
        .route("/o/{secret}/archive", get(office_archive))
        .route("/o/{secret}/log", get(office_log))
        .route("/o/{secret}/log.xlsx", get(office_log_workbook))
        .fallback(not_found)
        .layer(axum::middleware::from_fn_with_state(
            (portal.clone(), body_limit),
            refuse_declared_oversize,
        ))
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(120),
        ))
        // The secret is in every URL: no page may hand it on in a Referer.
        .layer(tower_http::set_header::SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(tower_http::set_header::SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .with_state(portal);
    Ok((router, notes))
}

/// A file to download, named per RFC 6266/5987 (an ASCII fallback and the UTF-8 name).
fn download(name: &str, bytes: Vec<u8>) -> Response {
    let ext = name.rsplit('.').next().unwrap_or("").to_lowercase();
    let kind = match ext.as_str() {
        "xlsx" | "xlsm" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xls" | "et" => "application/vnd.ms-excel",
        "ods" => "application/vnd.oasis.opendocument.spreadsheet",
        _ => "application/octet-stream",
    };
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "._-".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"._-".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    let disposition = format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}");
    let mut response = Response::new(Body::from(bytes));
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// A body that declares more than the limit is refused before a byte of it is read; one that
/// does not declare its length is cut off at the limit as it streams in (DefaultBodyLimit).
async fn refuse_declared_oversize(
    State((p, limit)): State<(Shared, usize)>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        let mut answer = upload_failed(&p, StatusCode::PAYLOAD_TOO_LARGE);
        // The rest of the body is never read: the connection closes after this answer.
        answer
            .headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
        return answer;
    }
    next.run(request).await
}

/// Runs `f` on the blocking pool once one of the [`WORKERS`] permits is free.
async fn blocking<T: Send + 'static>(
    p: &Portal,
    f: impl FnOnce() -> T + Send + 'static,
) -> Option<T> {
    let _permit = p.work.acquire().await.ok()?;
    tokio::task::spawn_blocking(f).await.ok()
}

async fn style() -> Response {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        pages::STYLE,
    )
        .into_response()
}

async fn not_found(State(p): State<Shared>) -> Response {
    p.not_found()
}

/// The address `serve` prints: it says where the unit's own page is.
async fn welcome(State(p): State<Shared>) -> Response {
    p.message(
        StatusCode::OK,
        "指标填报门户",
        "这里是国家生态文明建设示范旗指标填报门户。各单位请用生态环境分局发给本单位的专用链接打开本单位的填报页面（链接末尾是一长串字母和数字，它就是本单位的密码）；链接遗失的，请联系生态环境分局重新生成。",
    )
}

async fn unit_page(State(p): State<Shared>, Path(secret): Path<String>) -> Response {
    let Some(unit) = p.unit(&secret) else {
        return p.not_found();
    };
    let q = p.clone();
    match blocking(&p, move || {
        q.pages
            .render("unit.html", &q.unit_page(&secret, &unit, None))
    })
    .await
    {
        Some(body) => html(StatusCode::OK, body),
        None => p.message(StatusCode::INTERNAL_SERVER_ERROR, "出错了", "请稍后重试。"),
    }
}

async fn unit_upload(
    State(p): State<Shared>,
    Path(secret): Path<String>,
    client: Option<axum::Extension<Client>>,
    headers: axum::http::HeaderMap,
    mut multipart: Multipart,
) -> Response {
    let client = client.map(|c| c.0 .0).unwrap_or_default();
    let Some(unit) = p.unit(&secret) else {
        return p.not_found();
    };
    let mut file: Option<(String, Vec<u8>)> = None;
    // A declared length is taken from the budget whole and allocated once, so that what the
    // budget counts is what the allocator holds (a buffer that doubles frees and takes more).
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<usize>().ok())
        .unwrap_or(0);
    let mut held = Vec::new();
    let mut reserved = Vec::new();
    if declared > BODY_BUDGET_KIB * 1024 {
        // Larger than the whole budget: it would be busy for ever, so it is too large.
        return upload_failed(&p, StatusCode::PAYLOAD_TOO_LARGE);
    }
    if declared > 0 {
        let kib = u32::try_from(declared.div_ceil(1024)).unwrap_or(u32::MAX);
        match p.bodies.clone().try_acquire_many_owned(kib) {
            Ok(permit) => held.push(permit),
            Err(_) => return server_busy(&p),
        }
        reserved = Vec::with_capacity(declared);
    }
    loop {
        match multipart.next_field().await {
            Ok(Some(mut field)) if field.name() == Some("file") && file.is_none() => {
                let name = field.file_name().unwrap_or("填报表.xlsx").to_string();
                let mut bytes = std::mem::take(&mut reserved);
                loop {
                    match field.chunk().await {
                        Ok(Some(chunk)) => {
                            if !grow_within(&p.bodies, &mut bytes, &mut held, &chunk) {
                                return server_busy(&p);
                            }
                        }
                        Ok(None) => break,
                        Err(e) => return upload_failed(&p, e.status()),
                    }
                }
                file = Some((name, bytes));
            }
            Ok(Some(_)) => {}
            Ok(None) => break,
            Err(e) => return upload_failed(&p, e.status()),
        }
    }
    let Some((original, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        return p.message(
            StatusCode::BAD_REQUEST,
            "没有收到文件",
            "请先点“选择文件”选好填报表，再点“上传”。",
        );
    };
    let q = p.clone();
    let answer = blocking(&p, move || {
        let result = q.accept(&unit, &original, &bytes, &client)?;
        drop((bytes, held));
        Ok::<_, super::PortalError>(
            q.pages
                .render("unit.html", &q.unit_page(&secret, &unit, Some(result))),
        )
    })
    .await;
    match answer {
        Some(Ok(body)) => html(StatusCode::OK, body),
        Some(Err(e)) => not_saved(&p, &e),
        None => p.message(
            StatusCode::INTERNAL_SERVER_ERROR,
            "出错了",
            "请稍后重新上传。",
        ),
    }
}

/// Appends `chunk` to `bytes`, first taking from `budget` what the buffer grows by (its
/// capacity, not its length: that is what the allocator holds). `false`: the budget is spent.
fn grow_within(
    budget: &Arc<tokio::sync::Semaphore>,
    bytes: &mut Vec<u8>,
    held: &mut Vec<tokio::sync::OwnedSemaphorePermit>,
    chunk: &[u8],
) -> bool {
    let needed = bytes.len() + chunk.len();
    if needed > bytes.capacity() {
        let capacity = needed.max(bytes.capacity() * 2).max(64 * 1024);
        let kib = (capacity - bytes.capacity()).div_ceil(1024);
        let Ok(permit) = budget
            .clone()
            .try_acquire_many_owned(u32::try_from(kib).unwrap_or(u32::MAX))
        else {
            return false;
        };
        held.push(permit);
        bytes.reserve_exact(capacity - bytes.len());
    }
    bytes.extend_from_slice(chunk);
    true
}

/// The answer to an upload that could not be kept. The unit is told what it can do; where
/// and why the server failed goes to the server's log only (a path on the server is not the
/// unit's business).
fn not_saved(p: &Portal, e: &super::PortalError) -> Response {
    if let super::PortalError::Closed(refusal) = e {
        return p.message(
            StatusCode::CONFLICT,
            refusal.heading,
            &format!("{}。", refusal.why),
        );
    }
    // The server's log; a closed stderr must not turn into a panic (eprintln! would).
    let _ = writeln!(std::io::stderr(), "上传未能保存：{e}");
    let full = matches!(e, super::PortalError::Io { source, .. }
        if source.raw_os_error() == Some(28) || source.kind() == std::io::ErrorKind::StorageFull);
    let (status, message) = match e {
        super::PortalError::Quota { .. } => (
            StatusCode::INSUFFICIENT_STORAGE,
            format!("{e}，不能再上传。如确需重新报送，请联系生态环境分局。"),
        ),
        _ if full => (
            StatusCode::INSUFFICIENT_STORAGE,
            "服务器存储空间已满，这份文件没有保存。请联系生态环境分局清理空间后重新上传。".into(),
        ),
        _ => (
            StatusCode::INTERNAL_SERVER_ERROR,
            "服务器未能保存这份文件，请稍后重新上传；如仍不成功，请联系生态环境分局。".into(),
        ),
    };
    p.message(status, "没有保存成功", &message)
}

fn server_busy(p: &Portal) -> Response {
    p.message(
        StatusCode::SERVICE_UNAVAILABLE,
        "服务器正忙",
        "同时上传的文件太多，服务器暂时收不下这份文件。请过几分钟重新上传。",
    )
}

fn upload_failed(p: &Portal, status: StatusCode) -> Response {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        let mb = p.limits.max_file_bytes / crate::read::MB;
        return p.message(
            status,
            "文件太大",
            &format!("单个文件不能超过 {mb} MB。填报表通常不到 1 MB，请确认选对了文件。"),
        );
    }
    p.message(
        StatusCode::BAD_REQUEST,
        "上传没有完成",
        "文件没有完整传到服务器（网络中断或表单有误），请重新上传。",
    )
}

async fn unit_form(State(p): State<Shared>, Path(secret): Path<String>) -> Response {
    let Some(unit) = p.unit(&secret) else {
        return p.not_found();
    };
    let period = p.store.period;
    let bytes = crate::write::form::write(&p.schema, &unit, period, crate::write::form::CONTACT);
    match bytes {
        Ok(b) => download(&crate::write::form::file_name(&unit, period), b),
        Err(e) => p.message(
            StatusCode::INTERNAL_SERVER_ERROR,
            "生成填报表失败",
            &e.to_string(),
        ),
    }
}

/// Only ids the unit's own history lists are served.
fn own_upload(p: &Portal, unit: &str, id: &str) -> Option<Upload> {
    p.db.upload(&p.period_key(), unit, id)
}

async fn unit_returned(
    State(p): State<Shared>,
    Path((secret, id)): Path<(String, String)>,
) -> Response {
    let Some(unit) = p.unit(&secret) else {
        return p.not_found();
    };
    let Some(upload) =
        own_upload(&p, &unit, &id).filter(|u| u.returned || p.office_return_of(&unit, u).is_some())
    else {
        return p.not_found();
    };
    let name = crate::write::annotate::returned_name(p.store.period, &unit);
    let q = p.clone();
    match blocking(&p, move || q.returned_form(&unit, &upload)).await {
        Some(Some(b)) => download(&name, b),
        _ => p.not_found(),
    }
}

async fn unit_file(
    State(p): State<Shared>,
    Path((secret, id)): Path<(String, String)>,
) -> Response {
    let Some(unit) = p.unit(&secret) else {
        return p.not_found();
    };
    let Some(upload) = own_upload(&p, &unit, &id) else {
        return p.not_found();
    };
    match std::fs::read(p.store.upload_path(&unit, &upload)) {
        Ok(b) => download(&upload.original, b),
        Err(_) => p.not_found(),
    }
}

async fn office_page(State(p): State<Shared>, Path(secret): Path<String>) -> Response {
    if !p.is_office(&secret) {
        return p.not_found();
    }
    let built = p.build.lock().await.clone();
    let q = p.clone();
    match blocking(&p, move || {
        q.pages
            .render("office.html", &q.office_page(&secret, built, None))
    })
    .await
    {
        Some(body) => html(StatusCode::OK, body),
        None => p.message(StatusCode::INTERNAL_SERVER_ERROR, "出错了", "请稍后重试。"),
    }
}

/// The build button's form: `confirm` once the office has seen what is missing.
#[derive(Debug, Default, serde::Deserialize)]
struct BuildForm {
    #[serde(default)]
    confirm: Option<String>,
}

async fn office_build(
    State(p): State<Shared>,
    Path(secret): Path<String>,
    client: Option<axum::Extension<Client>>,
    form: Result<axum::extract::Form<BuildForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    if !p.is_office(&secret) {
        return p.not_found();
    }
    let confirmed = form.is_ok_and(|f| f.confirm.is_some());
    if !confirmed {
        let q = p.clone();
        let secret = secret.clone();
        let page = blocking(&p, move || {
            let incomplete = q.incomplete();
            (!incomplete.is_empty()).then(|| {
                q.pages.render(
                    "confirm.html",
                    &pages::ConfirmPage {
                        frame: q.frame(),
                        base: format!("/o/{secret}"),
                        incomplete,
                    },
                )
            })
        })
        .await;
        if let Some(Some(body)) = page {
            return html(StatusCode::OK, body);
        }
    }
    let mut last = p.build.lock().await;
    let q = p.clone();
    let client = client.map(|c| c.0 .0).unwrap_or_default();
    let Some(built) = blocking(&p, move || q.run_build(&client)).await else {
        return p.message(
            StatusCode::INTERNAL_SERVER_ERROR,
            "汇总失败",
            "请稍后重试。",
        );
    };
    *last = Some(built.clone());
    drop(last);
    let q = p.clone();
    match blocking(&p, move || {
        q.pages
            .render("office.html", &q.office_page(&secret, Some(built), None))
    })
    .await
    {
        Some(body) => html(StatusCode::OK, body),
        None => p.message(StatusCode::INTERNAL_SERVER_ERROR, "出错了", "请稍后重试。"),
    }
}

async fn office_current(
    State(p): State<Shared>,
    Path((secret, name)): Path<(String, String)>,
) -> Response {
    if !p.is_office(&secret) || !p.store.current_files().contains(&name) {
        return p.not_found();
    }
    match std::fs::read(p.store.current_dir().join(&name)) {
        Ok(b) => download(&name, b),
        Err(_) => p.not_found(),
    }
}

async fn office_out(
    State(p): State<Shared>,
    Path((secret, name)): Path<(String, String)>,
) -> Response {
    let dir = p.out_dir();
    if !p.is_office(&secret) || !out_files(&dir).contains(&name) {
        return p.not_found();
    }
    let file = name.rsplit('/').next().unwrap_or(&name).to_string();
    match std::fs::read(dir.join(&name)) {
        Ok(b) => download(&file, b),
        Err(_) => p.not_found(),
    }
}

/// The office's forms: a field each action reads what it needs from.
#[derive(Debug, Default, serde::Deserialize)]
struct OfficeForm {
    #[serde(default)]
    deadline: String,
    #[serde(default)]
    unit: String,
    /// 通过 or 退回.
    #[serde(default)]
    action: String,
    #[serde(default)]
    opinion: String,
    /// SHA-256 of the file the office page showed for the unit.
    #[serde(default)]
    sha256: String,
}

type FormResult = Result<axum::extract::Form<OfficeForm>, axum::extract::rejection::FormRejection>;

/// Runs an office action and answers with the office page, its result at the top. A unit's
/// link (or any other) gets 404: only the office's link changes the period.
async fn office_action(
    p: Shared,
    secret: String,
    client: Option<axum::Extension<Client>>,
    form: FormResult,
    act: impl FnOnce(&Portal, &OfficeForm, &str) -> super::workflow::Done + Send + 'static,
) -> Response {
    if !p.is_office(&secret) {
        return p.not_found();
    }
    let client = client.map(|c| c.0 .0).unwrap_or_default();
    let form = form.map(|f| f.0).unwrap_or_default();
    let built = p.build.lock().await.clone();
    let q = p.clone();
    let answer = blocking(&p, move || {
        let done = act(&q, &form, &client);
        let status = if done.is_ok() {
            StatusCode::OK
        } else {
            StatusCode::BAD_REQUEST
        };
        let notice = match done {
            Ok(text) => pages::Notice { text, ok: true },
            Err(text) => pages::Notice { text, ok: false },
        };
        (
            status,
            q.pages
                .render("office.html", &q.office_page(&secret, built, Some(notice))),
        )
    })
    .await;
    match answer {
        Some((status, body)) => html(status, body),
        None => p.message(StatusCode::INTERNAL_SERVER_ERROR, "出错了", "请稍后重试。"),
    }
}

/// One of the office's changes to the period, by the last segment of its form's address.
async fn office_change(
    State(p): State<Shared>,
    Path((secret, action)): Path<(String, String)>,
    client: Option<axum::Extension<Client>>,
    form: FormResult,
) -> Response {
    if !["deadline", "review", "reopen", "lock", "unlock"].contains(&action.as_str()) {
        return p.not_found();
    }
    office_action(p, secret, client, form, move |q, f, c| {
        match action.as_str() {
            "deadline" => q.set_deadline(&f.deadline, c),
            "review" => review(q, f, c),
            "reopen" => q.reopen(&f.unit, c),
            "lock" => q.set_locked(true, c),
            _ => q.set_locked(false, c),
        }
    })
    .await
}

/// 审核通过 or 退回修改, as the form says.
fn review(q: &Portal, f: &OfficeForm, client: &str) -> super::workflow::Done {
    let verdict = match f.action.as_str() {
        "通过" => ReviewState::Approved,
        "退回" => ReviewState::Returned,
        _ => return Err("请点“审核通过”或“退回修改”".into()),
    };
    let asked = super::workflow::ReviewAsked {
        unit: f.unit.clone(),
        verdict,
        opinion: f.opinion.clone(),
        seen: f.sha256.clone(),
    };
    q.review(&asked, client)
}

/// A file the office downloads, made on request.
async fn office_download(
    p: Shared,
    secret: String,
    name: String,
    make: impl FnOnce(&Portal) -> Result<Vec<u8>, String> + Send + 'static,
) -> Response {
    if !p.is_office(&secret) {
        return p.not_found();
    }
    let q = p.clone();
    match blocking(&p, move || make(&q)).await {
        Some(Ok(bytes)) => download(&name, bytes),
        Some(Err(e)) => p.message(StatusCode::INTERNAL_SERVER_ERROR, "生成文件失败", &e),
        None => p.message(StatusCode::INTERNAL_SERVER_ERROR, "出错了", "请稍后重试。"),
    }
}

async fn office_urge(State(p): State<Shared>, Path(secret): Path<String>) -> Response {
    let name = format!("催报通知（{}）.docx", p.store.period.chinese());
    office_download(p, secret, name, Portal::urge_notice).await
}

async fn office_archive(State(p): State<Shared>, Path(secret): Path<String>) -> Response {
    let name = format!("{}填报表归档.zip", p.store.period.chinese());
    office_download(p, secret, name, Portal::archive).await
}

async fn office_log_workbook(State(p): State<Shared>, Path(secret): Path<String>) -> Response {
    office_download(p, secret, "操作记录.xlsx".into(), Portal::log_workbook).await
}

async fn office_log(State(p): State<Shared>, Path(secret): Path<String>) -> Response {
    if !p.is_office(&secret) {
        return p.not_found();
    }
    let entries = p.log_entries();
    let page = pages::LogPage {
        frame: p.frame(),
        base: format!("/o/{secret}"),
        shown: entries.len(),
        entries,
    };
    html(StatusCode::OK, p.pages.render("log.html", &page))
}
