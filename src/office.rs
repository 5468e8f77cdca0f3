//! The office's settings as data (`templates/office.toml`, or `office.toml` in the `--schema`
//! folder): who issues the report, to whom, with which 文号 — the parts of a 公文 the plan does
//! not know. And the 成文日期: given, or a working day just after the quarter.

use crate::period::Period;
use serde::Deserialize;
use std::path::Path;

const BUILTIN: &str = include_str!("../templates/office.toml");
pub const FILE: &str = "office.toml";

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Office {
    /// 发文机关.
    pub issuer: String,
    /// How the text names the issuer itself (我局).
    pub self_name: String,
    /// 主送机关.
    #[serde(default)]
    pub recipient: String,
    /// 抄送机关: with any, the report ends with a 版记.
    #[serde(default)]
    pub cc: Vec<String>,
    /// 发文字号: with one, the report starts with a red 版头.
    #[serde(default)]
    pub document_number: String,
    /// 密级.
    #[serde(default)]
    pub classification: String,
    /// 附注 (contact person and telephone).
    #[serde(default)]
    pub contact: String,
    /// What the 年度自评估报告 says of the county's own work, written once by the office.
    #[serde(default)]
    pub annual: AnnualText,
}

/// The office's own paragraphs of the 年度自评估报告 (`[annual]` in office.toml): the report
/// never invents them; an empty one is left as a marked placeholder.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct AnnualText {
    /// 一、基本情况: the county, its area, population, economy, ecology.
    #[serde(default)]
    pub basic: String,
    /// 二、创建工作开展情况 — 组织领导, 规划实施, 资金投入, 宣传教育.
    #[serde(default)]
    pub leadership: String,
    #[serde(default)]
    pub planning: String,
    #[serde(default)]
    pub funding: String,
    #[serde(default)]
    pub publicity: String,
}

#[derive(Debug, thiserror::Error)]
pub enum OfficeError {
    #[error("无法读取办公室设置 {path}：{source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("办公室设置 {path} 格式错误：{message}")]
    Parse { path: String, message: String },
}

impl Office {
    /// `dir/office.toml` when there is one, else the built-in settings.
    pub fn load(dir: Option<&Path>) -> Result<Office, OfficeError> {
        let (path, text) = match dir.map(|d| d.join(FILE)).filter(|p| p.is_file()) {
            Some(p) => {
                let text = std::fs::read_to_string(&p).map_err(|source| OfficeError::Io {
                    path: p.display().to_string(),
                    source,
                })?;
                (p.display().to_string(), text)
            }
            None => (format!("内置 {FILE}"), BUILTIN.to_string()),
        };
        toml::from_str(&text).map_err(|e| OfficeError::Parse {
            path,
            message: e.message().to_string(),
        })
    }
}

/// A calendar day: the 成文日期.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Day {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Day {
    /// `2026年10月8日`, as a 公文 writes it (no leading zeros).
    pub fn chinese(self) -> String {
        format!("{}年{}月{}日", self.year, self.month, self.day)
    }

    /// `2026-10-08T00:00:00Z`, for the document's properties.
    pub fn iso(self) -> String {
        format!(
            "{:04}-{:02}-{:02}T00:00:00Z",
            self.year, self.month, self.day
        )
    }

    fn days(self) -> i64 {
        days_from_civil(self.year, self.month, self.day)
    }

    fn from_days(z: i64) -> Day {
        let (year, month, day) = civil_from_days(z);
        Day { year, month, day }
    }

    /// Today in China Standard Time: the date of a notice made now.
    pub fn today() -> Day {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or_default();
        Day::from_days((secs + 8 * 3600).div_euclid(86_400))
    }

    /// Monday = 0 … Sunday = 6.
    fn weekday(self) -> i64 {
        (self.days() + 3).rem_euclid(7) // 1970-01-01 was a Thursday
    }

    /// A day no office signs on: a weekend, 1 January, 1 May, or 1–7 October.
    fn is_holiday(self) -> bool {
        self.weekday() >= 5
            || (self.month, self.day) == (1, 1)
            || (self.month, self.day) == (5, 1)
            || (self.month == 10 && self.day <= 7)
    }

    /// The 成文日期 a build gives by default: the first working day after the quarter ends
    /// (never a weekend, 1 January, 1 May or 1–7 October), the same on every run.
    pub fn after(period: Period) -> Day {
        let (year, month) = match period.quarter {
            4.. => (i32::from(period.year) + 1, 1),
            q => (i32::from(period.year), u32::from(q) * 3 + 1),
        };
        let mut d = Day {
            year,
            month,
            day: 1,
        };
        while d.is_holiday() {
            d = Day::from_days(d.days() + 1);
        }
        d
    }
}

impl std::str::FromStr for Day {
    type Err = String;
    /// `2026-10-15`, `2026/10/15`, `2026.10.15` or `2026年10月15日`.
    fn from_str(s: &str) -> Result<Day, String> {
        let wrong = || format!("无法识别日期“{s}”，请写成 2026-10-15 或 2026年10月15日");
        let parts: Vec<&str> = s
            .trim()
            .trim_end_matches('日')
            .split(['-', '/', '.', '年', '月'])
            .collect();
        let [y, m, d] = parts.as_slice() else {
            return Err(wrong());
        };
        let (Ok(year), Ok(month), Ok(day)) = (y.parse::<i32>(), m.parse::<u32>(), d.parse::<u32>())
        else {
            return Err(wrong());
        };
        let date = Day { year, month, day };
        // A real day of a year this tool deals in: the round trip through days keeps it.
        if !(2000..=2100).contains(&year) || Day::from_days(date.days()) != date {
            return Err(wrong());
        }
        Ok(date)
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i32, m: u32, d: u32) -> i64 {
    let y = i64::from(y) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y as i32, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(year: u16, quarter: u8) -> Period {
        Period { year, quarter }
    }

    #[test]
    fn the_default_date_is_the_first_working_day_after_the_quarter() {
        // 2026-10-01 is National Day; the 8th is a Thursday.
        assert_eq!(Day::after(q(2026, 3)).chinese(), "2026年10月8日");
        // 2027-01-01 is a Friday and a holiday; the 2nd and 3rd a weekend.
        assert_eq!(Day::after(q(2026, 4)).chinese(), "2027年1月4日");
        assert_eq!(Day::after(q(2026, 1)).chinese(), "2026年4月1日");
        assert_eq!(Day::after(q(2026, 2)).chinese(), "2026年7月1日");
        // 2023-07-01 was a Saturday.
        assert_eq!(Day::after(q(2023, 2)).chinese(), "2023年7月3日");
        for year in 2021..2031 {
            for quarter in 1..=4 {
                let d = Day::after(q(year, quarter));
                assert!(!d.is_holiday(), "{d:?}");
            }
        }
    }

    #[test]
    fn dates_are_read_in_the_ways_people_write_them_and_only_real_ones() {
        let d = Day {
            year: 2026,
            month: 10,
            day: 15,
        };
        for s in ["2026-10-15", "2026/10/15", "2026.10.15", "2026年10月15日"] {
            assert_eq!(s.parse::<Day>(), Ok(d), "{s}");
        }
        for s in [
            "2026-02-30",
            "2026-13-01",
            "15.10.2026",
            "明天",
            "1999-01-01",
        ] {
            assert!(s.parse::<Day>().is_err(), "{s}");
        }
        assert_eq!(d.iso(), "2026-10-15T00:00:00Z");
    }

    #[test]
    fn the_builtin_settings_parse() {
        let o = Office::load(None).unwrap();
        assert_eq!(o.issuer, "呼和浩特市生态环境局土默特左旗分局");
        assert!(o.cc.is_empty() && o.document_number.is_empty());
    }
}
