//! `serve --data DIR --period P [--listen ADDR]`: the portal (see [`crate::portal`]).

use super::{Failure, Outcome};
use crate::portal::{self, Config};
use crate::schema::Schema;

pub fn run(schema: Schema, config: Config) -> Result<Outcome, Failure> {
    std::fs::create_dir_all(config.data.join(config.period.to_string()))
        .map_err(|e| format!("无法创建数据文件夹 {}：{e}", config.data.display()))?;
    portal::serve(schema, config)?;
    Ok(Outcome::Clean)
}
