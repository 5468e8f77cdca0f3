//! 报告期: a quarter of a year, written `2026Q3`, or a whole year (年度, the annual
//! self-assessment), written `2026` — each read in the ways people write it.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Period {
    pub year: u16,
    /// 1–4, or [`Period::YEAR`] for the whole year, which sorts after its fourth quarter (the
    /// year closes with it).
    pub quarter: u8,
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_annual() {
            write!(f, "{}", self.year)
        } else {
            write!(f, "{}Q{}", self.year, self.quarter)
        }
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
    /// The `quarter` of a whole year.
    pub const YEAR: u8 = 5;

    /// The whole year `year` (年度).
    pub fn annual(year: u16) -> Period {
        Period {
            year,
            quarter: Period::YEAR,
        }
    }

    pub fn is_annual(self) -> bool {
        self.quarter == Period::YEAR
    }

    /// The quarter a period ends with: itself, or the fourth of its year.
    pub fn last_quarter(self) -> Period {
        Period {
            year: self.year,
            quarter: self.quarter.min(4),
        }
    }

    /// Quarters since year 0: consecutive quarters are consecutive numbers. A year is placed
    /// at its fourth quarter.
    pub fn ordinal(self) -> i64 {
        i64::from(self.year) * 4 + i64::from(self.quarter.min(4)) - 1
    }

    /// The quarter of an [`ordinal`](Period::ordinal); `None` outside the years a `u16` holds.
    pub fn from_ordinal(i: i64) -> Option<Period> {
        let year = u16::try_from(i.div_euclid(4)).ok()?;
        let quarter = u8::try_from(i.rem_euclid(4) + 1).ok()?;
        Some(Period { year, quarter })
    }

    /// Reads `2026Q3`, `2026-Q3`, `2026 Q3`, `2026年第三季度`, `2026年第3季度`, `2026年3季度`,
    /// and the year `2026`, `2026年`, `2026年度`.
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
        if matches!(s.get(4..)?, "" | "年" | "年度") {
            return Some(Period::annual(year));
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

    /// The quarter before this one; the year before a year.
    pub fn previous(self) -> Period {
        if self.is_annual() {
            Period::annual(self.year - 1)
        } else if self.quarter == 1 {
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

    /// `2026年第三季度`, `2026年度`.
    pub fn chinese(self) -> String {
        if self.is_annual() {
            return format!("{}年度", self.year);
        }
        let q = ["一", "二", "三", "四"]
            .get((self.quarter as usize).saturating_sub(1))
            .unwrap_or(&"?");
        format!("{}年第{}季度", self.year, q)
    }
}

impl std::str::FromStr for Period {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Period::parse(s).ok_or_else(|| {
            format!("无法识别报告期“{s}”，请写成 2026Q3 或 2026年第三季度（年度写 2026）")
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_year_is_read_as_people_write_it_and_closes_after_its_fourth_quarter() {
        for text in ["2026", "2026年", "2026年度", "２０２６年度", " 2026 "] {
            assert_eq!(Period::parse(text), Some(Period::annual(2026)), "{text}");
        }
        let year = Period::annual(2026);
        assert_eq!(year.to_string(), "2026");
        assert_eq!(year.chinese(), "2026年度");
        assert_eq!(Period::parse(&year.to_string()), Some(year), "round trip");
        let q4 = Period::parse("2026Q4").unwrap();
        assert!(q4 < year && year < Period::parse("2027Q1").unwrap());
        assert_eq!(year.last_quarter(), q4);
        assert_eq!(year.ordinal(), q4.ordinal());
        assert_eq!(year.previous(), Period::annual(2025));
        assert_eq!(year.stage_year(), 2030);
        assert_eq!(Period::parse("2026年第五季度"), None);
        assert_eq!(Period::parse("20261"), None);
    }

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
