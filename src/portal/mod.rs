//! `serve`: the portal. Each reporting unit uploads its return through its own link and sees
//! its mistakes at once; the office sees every unit and builds the period.
//!
//! It calls the same stages as the command line — `validate::check_all` for an upload and for
//! the period's folder, `write::annotate` for a returned form, `write::form` for a blank one,
//! `cmd::build::build` for the build button — and keeps its files as [`store`] describes.

pub mod links;
mod pages;
mod routes;
pub mod store;

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
    #[error("无法取得随机数：{0}")]
    Random(String),
    #[error("无法在 {addr} 上监听：{source}（端口可能已被占用，可用 --listen 换一个）")]
    Listen {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },
    #[error("门户启动失败：{0}")]
    Start(String),
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
}

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
        let app = routes::router(schema, &config).map_err(PortalError::Start)?;
        eprintln!(
            "门户已启动：http://{addr}/（报告期 {}；数据文件夹 {}；各单位的链接用 links 命令生成）",
            config.period,
            config.data.display()
        );
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .map_err(|e| PortalError::Start(e.to_string()))
    })
}
