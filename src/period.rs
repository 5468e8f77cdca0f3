//! 报告期: a quarter of a year, written `2026Q3` and read in the ways people write it.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Period {
    pub year: u16,
    pub quarter: u8,
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}Q{}", self.year, self.quarter)
    }
}

impl serde::Serialize for Period {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// How many quarters back history reaches (five years, this one included): the trend shows
/// no more, so an old 汇总表 in the history folder cannot stretch it across decades.
pub const HISTORY_QUARTERS: i64 = 20;

impl Period {
    /// Quarters since year 0: consecutive quarters are consecutive numbers.
    pub fn ordinal(self) -> i64 {
        i64::from(self.year) * 4 + i64::from(self.quarter) - 1
    }

    /// The quarter of an [`ordinal`](Period::ordinal); `None` outside the years a `u16` holds.
    pub fn from_ordinal(i: i64) -> Option<Period> {
        let year = u16::try_from(i.div_euclid(4)).ok()?;
        let quarter = u8::try_from(i.rem_euclid(4) + 1).ok()?;
        Some(Period { year, quarter })
    }

    /// Reads `2026Q3`, `2026-Q3`, `2026 Q3`, `2026年第三季度`, `2026年第3季度`, `2026年3季度`.
    pub fn parse(text: &str) -> Option<Period> {
        let s: String = crate::text::nfkc(text)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_uppercase();
        let year: u16 = s.get(..4)?.parse().ok()?;
        if !(2000..=2100).contains(&year) {
            return None;
        }
        let rest = s[4..].trim_start_matches(['年', '-', '_', '/']);
        let quarter = if let Some(q) = rest.strip_prefix('Q') {
            q.parse::<u8>().ok()?
        } else {
            let q = rest
                .strip_prefix('第')
                .unwrap_or(rest)
                .strip_suffix("季度")?;
            match q {
                "1" | "一" => 1,
                "2" | "二" => 2,
                "3" | "三" => 3,
                "4" | "四" => 4,
                _ => return None,
            }
        };
        (1..=4)
            .contains(&quarter)
            .then_some(Period { year, quarter })
    }

    /// The quarter before this one.
    pub fn previous(self) -> Period {
        if self.quarter == 1 {
            Period {
                year: self.year - 1,
                quarter: 4,
            }
        } else {
            Period {
                year: self.year,
                quarter: self.quarter - 1,
            }
        }
    }

    /// The plan stage this quarter falls in, named by its target year: 2022–2025 work
    /// towards the 2025 targets, 2026–2030 towards the 2030 ones.
    pub fn stage_year(self) -> u16 {
        if self.year <= 2025 {
            2025
        } else {
            2030
        }
    }

    /// `2026年第三季度`.
    pub fn chinese(self) -> String {
        let q = ["一", "二", "三", "四"]
            .get((self.quarter as usize).saturating_sub(1))
            .unwrap_or(&"?");
        format!("{}年第{}季度", self.year, q)
    }
}

impl std::str::FromStr for Period {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Period::parse(s)
            .ok_or_else(|| format!("无法识别报告期“{s}”，请写成 2026Q3 或 2026年第三季度"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_2025_targets_hold_through_2025q4_and_the_2030_ones_from_2026q1() {
        let stage = |year, quarter| Period { year, quarter }.stage_year();
        assert_eq!(stage(2023, 1), 2025);
        assert_eq!(stage(2025, 4), 2025);
        assert_eq!(stage(2026, 1), 2030);
        assert_eq!(stage(2030, 4), 2030);
    }

    #[test]
    fn every_notation_of_the_contract() {
        let q3 = Period {
            year: 2026,
            quarter: 3,
        };
        for s in [
            "2026Q3",
            "2026q3",
            "2026-Q3",
            "2026 Q3",
            "2026年第三季度",
            "2026年第3季度",
            "2026年3季度",
            "２０２６Ｑ３",
            "2026年三季度",
        ] {
            assert_eq!(Period::parse(s), Some(q3), "{s}");
        }
        for s in [
            "2026",
            "2026Q5",
            "2026年第五季度",
            "Q3",
            "46000",
            "2026-09-30",
            "20263",
        ] {
            assert_eq!(Period::parse(s), None, "{s}");
        }
        assert_eq!(q3.to_string(), "2026Q3");
        assert_eq!(q3.chinese(), "2026年第三季度");
        assert_eq!(
            Period {
                year: 2026,
                quarter: 1
            }
            .previous(),
            Period {
                year: 2025,
                quarter: 4
            }
        );
    }
}
