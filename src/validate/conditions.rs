//! 基本条件自查 in an annual return: the answering unit's 是/否 for each condition of the
//! schema, read from its `基本条件` sheet. A condition not met is an error until the return
//! says why (then the report states it as answered).

use super::{CellRef, Code, ConditionAnswer, Diagnostic, Return};
use crate::read::{CellValue, Sheet};
use crate::schema::conditions::SHEET as CONDITION_SHEET;
use crate::schema::{Answer, Schema};

/// The answers of `ret` (already identified) from `sheet`, the book's 基本条件 if it has one.
pub(super) fn check(sheet: Option<&Sheet>, schema: &Schema, ret: &mut Return) {
    let (Some(unit), Some(period)) = (ret.unit.clone(), ret.period) else {
        return;
    };
    let conditions: Vec<_> = schema.conditions_of(&unit).collect();
    if !period.is_annual() || conditions.is_empty() {
        return;
    }
    let Some(sheet) = sheet else {
        ret.diagnostics.push(Diagnostic::new(
            Code::ConditionUnanswered,
            format!("没有找到“{CONDITION_SHEET}”工作表：{unit}的年度填报表须逐项填写基本条件自查"),
        ));
        return;
    };
    let text_at = |row: u32, col: u32| -> Option<String> {
        sheet
            .cells
            .iter()
            .find(|c| c.row == row && c.col == col)
            .map(|c| match &c.value {
                CellValue::Number(n) => crate::text::format_number(*n),
                v => v.display(),
            })
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    };
    for cond in conditions {
        let row = sheet
            .cells
            .iter()
            .filter(|c| c.col == 0)
            .find(|c| text_at(c.row, 0).as_deref() == Some(cond.id.as_str()))
            .map(|c| c.row);
        let Some(row) = row else {
            ret.diagnostics.push(
                Diagnostic::new(
                    Code::ConditionUnanswered,
                    format!(
                        "基本条件 {}“{}”不在表中：请使用本年度下发的年度填报表",
                        cond.id, cond.text
                    ),
                )
                .on_sheet(&sheet.name),
            );
            ret.conditions.push(ConditionAnswer {
                id: cond.id.clone(),
                answer: None,
                note: String::new(),
            });
            continue;
        };
        let at = CellRef::new(row, 2);
        let given = text_at(row, 2);
        let answer = given.as_deref().and_then(Answer::read);
        let note = text_at(row, 3).unwrap_or_default();
        match answer {
            None => ret.diagnostics.push(
                Diagnostic::new(
                    Code::ConditionUnanswered,
                    format!("基本条件 {}“{}”的自查结论{}：请选择“是”或“否”", cond.id, cond.text,
                        given.as_deref().map_or("没有填写".to_string(), |g| format!("“{g}”无法识别"))),
                )
                .at_cell(&sheet.name, at)
                .value(given.clone().unwrap_or_default()),
            ),
            Some(a) if a != cond.meets && note.is_empty() => ret.diagnostics.push(
                Diagnostic::new(
                    Code::ConditionFailed,
                    format!("基本条件 {}“{}”自查结论为“{}”，不符合该条件：请在“说明”中写明情况和整改措施", cond.id, cond.text, a.word()),
                )
                .at_cell(&sheet.name, at)
                .value(a.word()),
            ),
            Some(a) if a != cond.meets => ret.diagnostics.push(
                Diagnostic::new(
                    Code::ConditionExplained,
                    format!("基本条件 {}“{}”自查结论为“{}”，不符合该条件（已说明：{note}）", cond.id, cond.text, a.word()),
                )
                .at_cell(&sheet.name, at)
                .value(a.word()),
            ),
            Some(_) => {}
        }
        ret.conditions.push(ConditionAnswer {
            id: cond.id.clone(),
            answer,
            note,
        });
    }
}
