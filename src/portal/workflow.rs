//! The office's work around the returns: the period's 截止时间 and lock, its review of each
//! unit's current return (审核通过, 退回修改 with 意见, 重新开放), and what a unit's page shows
//! of them. Every change is one transaction of [`super::db`], logged with who and from where.

use super::db::{Action, Review, ReviewState};
use super::pages::{ReviewLine, UnitWorkflow};
use super::state::Portal;
use super::store::Upload;
use super::{PortalError, Refusal};
use crate::validate::{ReturnStatus, Severity};

/// The longest 退回意见 (it is shown on every page of the unit).
pub const OPINION_MAX: usize = 500;

/// What the office's 审核通过 or 退回修改 form asks.
#[derive(Debug, Clone)]
pub struct ReviewAsked {
    pub unit: String,
    pub verdict: ReviewState,
    pub opinion: String,
    /// SHA-256 of the file the page showed (empty from an older page: not compared).
    pub seen: String,
}

/// The unit's one current return: (file name, SHA-256, errors).
fn one_return_of(
    checked: &crate::validate::Checked,
    unit: &str,
) -> Result<(String, String, usize), String> {
    let own: Vec<_> = checked
        .returns
        .iter()
        .filter(|r| r.unit.as_deref() == Some(unit))
        .filter(|r| r.status() != ReturnStatus::Superseded)
        .collect();
    match own.as_slice() {
        [one] => Ok((
            super::state::name_of(&one.file),
            one.sha256.clone(),
            one.count(Severity::Error),
        )),
        [] => Err(format!("{unit}本期还没有报送填报表，无可审核")),
        more => Err(format!(
            "{unit}本期文件夹中有{}份填报表，请先删除多余的一份再审核",
            more.len()
        )),
    }
}

/// Who the log names for the office's actions.
pub const OFFICE_ACTOR: &str = "生态环境分局";

/// What the office asked for, in its own words when it cannot be done.
pub type Done = Result<String, String>;

impl Portal {
    /// The period as records name it (`2026Q3`).
    pub(super) fn period_key(&self) -> String {
        self.period_text.clone()
    }

    /// The office as units read it in messages (发文机关 of the office settings).
    pub(super) fn issuer(&self) -> &str {
        &self.office.issuer
    }

    pub(super) fn deadline(&self) -> Option<String> {
        self.db.period_state(&self.period_key()).deadline
    }

    /// Why an upload from `unit` is refused now: the period is locked, or its return has been
    /// approved. The records unreadable: an error, never "open".
    pub(super) fn closed_to(&self, unit: &str) -> Result<Option<Refusal>, PortalError> {
        let issuer = self.issuer();
        if self.db.try_period_state(&self.period_key())?.locked {
            return Ok(Some(Refusal {
                heading: "本期已锁定",
                why: format!(
                    "{}的填报已由{issuer}锁定，不再接收上传。如确需修改，请联系{issuer}解除锁定",
                    self.store.period.chinese()
                ),
            }));
        }
        let Some(review) = self.db.try_review(&self.period_key(), unit)? else {
            return Ok(None);
        };
        Ok((review.state == ReviewState::Approved).then(|| Refusal {
            heading: "本单位填报表已审核通过",
            why: format!(
                "本单位{}的填报表已于{}由{issuer}审核通过，不能再替换。如确需修改，请联系{issuer}重新开放",
                self.store.period.chinese(),
                review.time
            ),
        }))
    }

    /// A refused upload is not kept, but the log has it.
    pub(super) fn log_refusal(
        &self,
        unit: &str,
        original: &str,
        sha256: &str,
        client: &str,
        why: &str,
    ) {
        let logged = self.db.log(Action {
            period: &self.period_key(),
            actor: unit,
            action: "上传被拒",
            unit,
            detail: format!("{original}（SHA-256 {sha256}）：{why}"),
            client,
        });
        if let Err(e) = logged {
            let _ = std::io::Write::write_all(
                &mut std::io::stderr(),
                format!("操作记录未能写入：{e}\n").as_bytes(),
            );
        }
    }

    /// The office's 退回 of this upload, when that is what its review says.
    pub(super) fn office_return_of(&self, unit: &str, upload: &Upload) -> Option<Review> {
        self.db
            .review(&self.period_key(), unit)
            .filter(|r| r.state == ReviewState::Returned && r.sha256 == upload.sha256)
    }

    /// What the unit's page says of the deadline, the lock and the review.
    pub(super) fn unit_workflow(&self, unit: &str) -> UnitWorkflow {
        let state = self.db.period_state(&self.period_key());
        let review = self.db.review(&self.period_key(), unit);
        let returned_id = self
            .db
            .latest_current(&self.period_key(), unit)
            .filter(|u| self.office_return_of(unit, u).is_some())
            .map(|u| u.id);
        UnitWorkflow {
            deadline: state.deadline.as_deref().map(deadline_words),
            past_deadline: state
                .deadline
                .as_deref()
                .is_some_and(|d| super::store::now_text().as_str() > d),
            locked: state.locked,
            issuer: self.issuer().to_string(),
            review: review.map(|r| ReviewLine::of(&r)),
            returned_id,
        }
    }

    /// The deadline and the units whose current upload came after it, for the report.
    pub(super) fn lateness(&self) -> Option<crate::write::report::Lateness> {
        let deadline = self.deadline()?;
        let late = self
            .schema
            .reporting_units()
            .into_iter()
            .filter_map(|u| {
                let last = self.db.latest_current(&self.period_key(), &u.name)?;
                came_after(Some(&deadline), &last).then(|| (u.name.clone(), last.time))
            })
            .collect();
        Some(crate::write::report::Lateness {
            deadline: deadline_words(&deadline),
            late,
        })
    }

    /// Sets the period's 截止时间 from the office's form (empty clears it).
    pub(super) fn set_deadline(&self, text: &str, client: &str) -> Done {
        let deadline = parse_deadline(text)?;
        let detail = match &deadline {
            Some(d) => format!("截止时间设为{}", deadline_words(d)),
            None => "取消截止时间".to_string(),
        };
        self.db
            .set_deadline(
                deadline.as_deref(),
                self.office_action("设置截止时间", "", &detail, client),
            )
            .map_err(|e| e.to_string())?;
        Ok(match &deadline {
            Some(d) => format!(
                "截止时间已设为{}，各单位的页面上会显示。",
                deadline_words(d)
            ),
            None => "已取消截止时间。".to_string(),
        })
    }

    pub(super) fn set_locked(&self, locked: bool, client: &str) -> Done {
        let _no_upload_meanwhile = self.current.lock().unwrap_or_else(|e| e.into_inner());
        let (action, detail) = if locked {
            (
                "锁定本期",
                "本期已锁定：各单位的上传一律不再接收，汇总照常可用",
            )
        } else {
            ("解除锁定", "本期已解除锁定：各单位可以重新上传")
        };
        self.db
            .set_locked(locked, self.office_action(action, "", detail, client))
            .map_err(|e| e.to_string())?;
        Ok(format!("{detail}。"))
    }

    /// 审核通过 or 退回修改 (with its 意见) of the unit's current return — the file the office
    /// looked at (`seen`, its SHA-256 from the page): one that changed since is not reviewed.
    pub(super) fn review(&self, asked: &ReviewAsked, client: &str) -> Done {
        let unit = self
            .schema
            .reporting_units()
            .into_iter()
            .find(|u| u.name == asked.unit)
            .map(|u| u.name.clone())
            .ok_or_else(|| format!("单位“{}”不在报送单位名单中", asked.unit))?;
        let opinion = asked.opinion.trim();
        if asked.verdict == ReviewState::Returned && opinion.is_empty() {
            return Err(format!(
                "退回{unit}的填报表，请在“退回意见”中写明要修改什么"
            ));
        }
        if opinion.chars().count() > OPINION_MAX {
            return Err(format!("退回意见请控制在{OPINION_MAX}字以内"));
        }
        // Under the lock uploads take: the file reviewed is the file in the folder.
        let _no_upload_meanwhile = self.current.lock().unwrap_or_else(|e| e.into_inner());
        let checked = self.check_current();
        let (file, sha256, errors) = one_return_of(&checked, &unit)?;
        if !asked.seen.is_empty() && asked.seen != sha256 {
            return Err(format!(
                "{unit}在您打开本页之后又上传了新的填报表，请先查看新的一份再审核"
            ));
        }
        let (action, detail) = match asked.verdict {
            ReviewState::Approved if errors > 0 => {
                return Err(format!(
                    "{unit}的填报表有{errors}处错误，不能审核通过；请用“退回修改”写明意见"
                ))
            }
            ReviewState::Approved => (asked.verdict.action(), format!("{file}：审核通过")),
            ReviewState::Returned => (
                asked.verdict.action(),
                format!("{file}：退回修改，意见：{opinion}"),
            ),
        };
        let review = Review {
            state: asked.verdict,
            sha256,
            opinion: opinion.to_string(),
            time: super::store::now_text(),
        };
        self.db
            .set_review(&review, self.office_action(action, &unit, &detail, client))
            .map_err(|e| e.to_string())?;
        Ok(match asked.verdict {
            ReviewState::Approved => {
                format!("{unit}的填报表已审核通过；重新开放前，{unit}不能再替换它。")
            }
            ReviewState::Returned => {
                format!("{unit}的填报表已退回修改，意见已显示在{unit}的页面和退回修改的填报表中。")
            }
        })
    }

    pub(super) fn reopen(&self, unit: &str, client: &str) -> Done {
        if self.db.review(&self.period_key(), unit).is_none() {
            return Err(format!("{unit}的填报表没有审核记录，无需重新开放"));
        }
        let _no_upload_meanwhile = self.current.lock().unwrap_or_else(|e| e.into_inner());
        self.db
            .reopen(self.office_action("重新开放", unit, "撤销审核，单位可以重新上传", client))
            .map_err(|e| e.to_string())?;
        Ok(format!(
            "{unit}已重新开放，可以重新上传；它的当前填报表回到待审核。"
        ))
    }

    pub(super) fn office_action<'a>(
        &'a self,
        action: &'a str,
        unit: &'a str,
        detail: &str,
        client: &'a str,
    ) -> Action<'a> {
        Action {
            period: &self.period_text,
            actor: OFFICE_ACTOR,
            action,
            unit,
            detail: detail.to_string(),
            client,
        }
    }
}

/// Whether an upload came after `deadline`, the period's 截止时间 as it is now (the office may
/// move it: lateness is judged when read, not kept).
pub fn came_after(deadline: Option<&str>, u: &Upload) -> bool {
    deadline.is_some_and(|d| u.time.as_str() > d)
}

/// The office's 截止时间 as records keep it (`2026-10-15 17:00:00`, China Standard Time), from
/// what a form sends: `2026-10-15T17:00` (a browser's date-time field), `2026-10-15 17:00`, or
/// a date alone (the end of that day). Empty: no deadline.
pub fn parse_deadline(text: &str) -> Result<Option<String>, String> {
    let text = crate::text::nfkc(text.trim());
    if text.is_empty() {
        return Ok(None);
    }
    let wrong = || format!("截止时间“{text}”无法识别，请写成 2026-10-15 17:00");
    let (date, clock) = match text.split_once(['T', ' ']) {
        Some((d, c)) => (d, c.trim()),
        None => (text.as_str(), "23:59:59"),
    };
    let numbers = |s: &str, sep: char| -> Option<Vec<u32>> {
        s.split(sep).map(|p| p.parse::<u32>().ok()).collect()
    };
    let Some([y, m, day]) = numbers(date, '-').and_then(|d| <[u32; 3]>::try_from(d).ok()) else {
        return Err(wrong());
    };
    let (hour, minute, second) = match numbers(clock, ':').as_deref() {
        Some(&[h, mi]) => (h, mi, 0),
        Some(&[h, mi, s]) => (h, mi, s),
        _ => return Err(wrong()),
    };
    let days_in_month = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) => 29,
        2 => 28,
        _ => 0,
    };
    if !(2000..=2100).contains(&y)
        || day == 0
        || day > days_in_month
        || hour > 23
        || minute > 59
        || second > 59
    {
        return Err(wrong());
    }
    Ok(Some(format!(
        "{y:04}-{m:02}-{day:02} {hour:02}:{minute:02}:{second:02}"
    )))
}

/// `2026年10月15日 17:00`, as pages and notices write a deadline.
pub fn deadline_words(stored: &str) -> String {
    let (date, clock) = stored.split_once(' ').unwrap_or((stored, ""));
    let mut d = date.split('-').map(|p| p.trim_start_matches('0'));
    let (y, m, day) = (
        d.next().unwrap_or(""),
        d.next().unwrap_or(""),
        d.next().unwrap_or(""),
    );
    // A date alone was given as the end of that day: said as the date.
    let clock = if clock == "23:59:59" {
        ""
    } else {
        clock.strip_suffix(":00").unwrap_or(clock)
    };
    format!("{y}年{m}月{day}日 {clock}").trim_end().to_string()
}

/// The value a date-time field shows for a stored deadline (`2026-10-15T17:00`).
pub fn deadline_input(stored: &str) -> String {
    stored.get(..16).unwrap_or(stored).replacen(' ', "T", 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deadlines_are_read_as_a_browser_or_a_clerk_writes_them() {
        let d = parse_deadline("2026-10-15T17:00").unwrap().unwrap();
        assert_eq!(d, "2026-10-15 17:00:00");
        assert_eq!(deadline_words(&d), "2026年10月15日 17:00");
        assert_eq!(deadline_input(&d), "2026-10-15T17:00");
        assert_eq!(
            parse_deadline("２０２６-10-15 8:30").unwrap().as_deref(),
            Some("2026-10-15 08:30:00")
        );
        let day = parse_deadline("2026-10-15").unwrap().unwrap();
        assert_eq!(
            day, "2026-10-15 23:59:59",
            "a date alone: the end of that day"
        );
        assert_eq!(deadline_words(&day), "2026年10月15日", "said as the date");
        assert_eq!(parse_deadline("  ").unwrap(), None);
        for wrong in [
            "2026-02-30 10:00",
            "2026-10-15 25:00",
            "下周五",
            "2026/10/15 17:00",
        ] {
            let e = parse_deadline(wrong).unwrap_err();
            assert!(e.contains("无法识别"), "{wrong}: {e}");
        }
        // Records compare as text: a later time sorts after the deadline.
        assert!("2026-10-15 17:00:01" > d.as_str() && "2026-10-15 16:59:59" < d.as_str());
    }
}
