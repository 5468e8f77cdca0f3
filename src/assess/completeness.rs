//! Whether a build rests on every return of the period. One built from part of them (units
//! missing, returns rejected, rows without data) is a draft, and both outputs say so: a
//! 达标率 from 2 of 21 returns must never look final.

use super::Assessment;
use crate::validate::{Checked, ReturnStatus};

#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Completeness {
    /// Units that sent no return (未报送).
    pub missing: Vec<String>,
    /// Units whose return was rejected (退回修改), so that none of its rows counts.
    pub rejected: Vec<String>,
    /// Indicators without data (缺数据).
    pub no_data: u32,
}

impl Completeness {
    pub fn of(checked: &Checked, a: &Assessment) -> Completeness {
        let mut rejected: Vec<String> = checked
            .returns
            .iter()
            .filter(|r| r.status() == ReturnStatus::Rejected)
            .filter_map(|r| r.unit.clone())
            .filter(|u| {
                // A unit whose later copy was accepted is not lacking.
                !checked
                    .returns
                    .iter()
                    .any(|o| o.unit.as_deref() == Some(u.as_str()) && o.consolidates())
            })
            .collect();
        rejected.sort();
        rejected.dedup();
        Completeness {
            missing: checked.missing_units.clone(),
            rejected,
            no_data: a.all.no_data,
        }
    }

    pub fn is_complete(&self) -> bool {
        self.missing.is_empty() && self.rejected.is_empty() && self.no_data == 0
    }

    /// What is missing, as one sentence part: `万家沟水库灌区管理处未报送；财政局的填报表退回修改；1项指标缺数据`.
    pub fn lacking(&self) -> String {
        let mut parts = Vec::new();
        if !self.missing.is_empty() {
            parts.push(format!("{}未报送", self.missing.join("、")));
        }
        if !self.rejected.is_empty() {
            parts.push(format!("{}的填报表退回修改", self.rejected.join("、")));
        }
        if self.no_data > 0 {
            parts.push(format!("{}项指标暂无数据", self.no_data));
        }
        parts.join("；")
    }
}
