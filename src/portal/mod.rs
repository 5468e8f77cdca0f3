//! `serve`: the portal. Each reporting unit uploads its return through its own link and sees
//! its mistakes at once; the office sees every unit and builds the period.
//!
//! It calls the same stages as the command line — `validate::check_all` for an upload and for
//! the period's folder, `write::annotate` for a returned form, `write::form` for a blank one,
//! `cmd::build::build` for the build button — and keeps its files as [`store`] describes.

pub mod db;
pub mod links;
mod office_files;
mod pages;
mod routes;
mod state;
pub mod store;
pub mod workflow;

use crate::period::Period;
use crate::read::Limits;
use crate::schema::Schema;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// Extensions a return may come with (lower case).
pub const EXTENSIONS: &[&str] = &["xlsx", "xlsm", "xls", "et", "ods"];

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PortalError {
    #[error("无法读写 {path}：{source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("链接文件 {path} 无法读取：{detail}（可删除后用 links 重新生成全部链接）")]
    Links { path: String, detail: String },
    #[error("门户记录库 {path} 无法读写：{detail}")]
    Records { path: String, detail: String },
    #[error("无法取得随机数：{0}")]
    Random(String),
    #[error("无法在 {addr} 上启动门户：{}", listen_reason(source))]
    Listen {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },
    /// The period is locked, or the unit's return approved.
    #[error("{}", .0.why)]
    Closed(Refusal),
    #[error("门户启动失败：{0}")]
    Start(String),
    /// A unit's uploads of the period reached the quota: one unit cannot fill the disk.
    #[error("{unit}本期已上传 {count} 份文件（共 {mb} MB），达到上限")]
    Quota { unit: String, count: usize, mb: u64 },
}

/// Why the portal takes no upload from a unit now: a heading and the office's words why.
#[derive(Debug, Clone)]
pub struct Refusal {
    pub heading: &'static str,
    pub why: String,
}

/// Why an address cannot be listened on, in the office's words.
fn listen_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match e.kind() {
        ErrorKind::AddrInUse => {
            "这个端口已被占用（可能门户已经在运行，或别的程序用了它）。请先关闭已运行的门户，或用 --listen 换一个端口，如 --listen 0.0.0.0:8081".into()
        }
        ErrorKind::AddrNotAvailable => {
            "本机没有这个地址。请用本机的内网地址，或写 0.0.0.0 表示本机所有地址".into()
        }
        ErrorKind::PermissionDenied => {
            "没有权限使用这个端口（1024 以下的端口需要管理员权限）。请换一个 1024 以上的端口".into()
        }
        _ => format!("系统拒绝了（错误代码 {}）。请用 --listen 换一个地址或端口", e.raw_os_error().unwrap_or(0)),
    }
}

impl PortalError {
    pub fn io(path: &Path, source: std::io::Error) -> PortalError {
        PortalError::Io {
            path: path.display().to_string(),
            source,
        }
    }
}

/// How the portal is run.
#[derive(Debug, Clone)]
pub struct Config {
    pub data: PathBuf,
    pub period: Period,
    pub listen: SocketAddr,
    pub limits: Limits,
    /// The `--schema` folder: an office.toml and a report.j2 there replace the built-in.
    pub template_dir: Option<PathBuf>,
}

/// How long a client may take to send a request's headers, and how long one connection may
/// stay open at all: a client that trickles bytes is cut off instead of holding a task.
const HEADER_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);
const CONNECTION_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(300);
/// Open connections in all, and from one address: a flood from one client cannot take the
/// server from the others.
const MAX_CONNECTIONS: usize = 512;
const MAX_PER_ADDRESS: usize = 32;

/// Serves until the process is stopped (Ctrl-C). Prints the address it listens on first.
pub fn serve(schema: Schema, config: Config) -> Result<(), PortalError> {
    store::clear_temporaries(&config.data);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| PortalError::Start(e.to_string()))?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(config.listen)
            .await
            .map_err(|source| PortalError::Listen {
                addr: config.listen,
                source,
            })?;
        let addr = listener
            .local_addr()
            .map_err(|e| PortalError::Start(e.to_string()))?;
        let (app, notes) = routes::router(schema, &config)?;
        let mut started = format!(
            "门户已启动：http://{addr}/（报告期 {}；数据文件夹 {}；各单位的链接用 links 命令生成）",
            config.period,
            config.data.display()
        );
        if links::Links::load(&config.data).is_ok_and(|l| l.is_empty()) {
            // 0.0.0.0 is where the server listens, not an address a unit's PC can open.
            let base = if addr.ip().is_unspecified() {
                format!("http://本机内网地址:{}", addr.port())
            } else {
                format!("http://{addr}")
            };
            started.push_str(&format!(
                "\n提示：还没有为任何单位生成链接，各单位现在还无法上传。请另开一个窗口运行：eco-returns links --data {} --base {base}",
                config.data.display()
            ));
        }
        for note in notes {
            started.push_str(&format!("\n{note}"));
        }
        // One write: a reader that takes the first line and closes the pipe loses nothing
        // it needs, and a failed write is no panic.
        let _ = std::io::Write::write_all(&mut std::io::stderr(), format!("{started}\n").as_bytes());
        tokio::select! {
            _ = accept(listener, app) => Ok(()),
            _ = tokio::signal::ctrl_c() => Ok(()),
        }
    })
}

/// Accepts connections for ever, each on its own task, within the caps above.
async fn accept(listener: tokio::net::TcpListener, app: axum::Router) {
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex};
    let open: Arc<Mutex<HashMap<std::net::IpAddr, usize>>> = Arc::default();
    let slots = Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
    loop {
        let Ok(slot) = slots.clone().acquire_owned().await else {
            return;
        };
        let Ok((stream, peer)) = listener.accept().await else {
            continue;
        };
        let ip = peer.ip();
        {
            let mut open = open.lock().unwrap_or_else(|e| e.into_inner());
            let n = open.entry(ip).or_default();
            if *n >= MAX_PER_ADDRESS {
                continue; // dropping the stream closes it
            }
            *n += 1;
        }
        // The client's address rides on each request into the audit log.
        let client = routes::Client(ip.to_string());
        let service = hyper_util::service::TowerToHyperService::new(
            tower::ServiceBuilder::new()
                .map_request(move |mut r: axum::http::Request<hyper::body::Incoming>| {
                    r.extensions_mut().insert(client.clone());
                    r
                })
                .service(app.clone()),
        );
        let open = open.clone();
        tokio::spawn(async move {
            let io = hyper_util::rt::TokioIo::new(stream);
            // HTTP/1.1 only. HTTP/2 buys nothing for a form a browser posts once, and lets one
            // connection hold 200 bodies in flight. And hyper's own HTTP/1 connection starts
            // its header timer when it first waits for a request, from accept on and again
            // after every response; the version-sniffing `auto` builder read its first bytes
            // with no timer at all, so a silent socket lived for CONNECTION_TIMEOUT.
            let connection = hyper::server::conn::http1::Builder::new()
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT)
                .serve_connection(io, service);
            let _ = tokio::time::timeout(CONNECTION_TIMEOUT, connection).await;
            let mut open = open.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(n) = open.get_mut(&ip) {
                *n -= 1;
                if *n == 0 {
                    open.remove(&ip);
                }
            }
            drop(slot);
        });
    }
}
