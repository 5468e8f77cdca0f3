//! `serve --data DIR --period P [--listen ADDR]`: the portal (see [`crate::portal`]).

use super::{Failure, Outcome};
use crate::portal::{self, Config};
use crate::schema::Schema;

#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// 门户的数据文件夹：其中的 <报告期>/ 子文件夹就是 build 读取的本期填报表
    #[arg(long, value_name = "文件夹")]
    pub data: std::path::PathBuf,
    /// 报告期，如 2026Q3
    #[arg(long, value_name = "报告期")]
    pub period: crate::period::Period,
    /// 监听地址：默认只有本机能访问；放到内网上时写本机内网地址，如 0.0.0.0:8080
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "地址")]
    pub listen: std::net::SocketAddr,
    #[command(flatten)]
    pub limits: super::LimitArgs,
}

pub fn run(
    schema: Schema,
    args: &Args,
    template_dir: Option<&std::path::Path>,
) -> Result<Outcome, Failure> {
    let config = Config {
        data: args.data.clone(),
        period: args.period,
        listen: args.listen,
        limits: args.limits.limits(),
        template_dir: template_dir.map(std::path::Path::to_path_buf),
    };
    std::fs::create_dir_all(config.data.join(config.period.to_string()))
        .map_err(|e| format!("无法创建数据文件夹 {}：{e}", config.data.display()))?;
    portal::serve(schema, config)?;
    Ok(Outcome::Clean)
}
