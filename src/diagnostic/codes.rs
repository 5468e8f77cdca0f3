//! The catalogue of diagnostic codes. Codes are stable: tools and people refer to them.
//! `docs/diagnostics.md` is rendered from this table (a test keeps the two equal).

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
}

macro_rules! codes {
    ($( $variant:ident = $code:literal, $sev:ident, $meaning:literal, $fix:literal; )*) => {
        /// A diagnostic code: what went wrong, its severity, and how to fix it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code { $( $variant, )* }

        impl Code {
            pub const ALL: &'static [Code] = &[ $( Code::$variant, )* ];

            pub fn id(self) -> &'static str {
                match self { $( Code::$variant => $code, )* }
            }

            pub fn severity(self) -> Severity {
                match self { $( Code::$variant => Severity::$sev, )* }
            }

            /// What the code means, in Chinese.
            pub fn meaning(self) -> &'static str {
                match self { $( Code::$variant => $meaning, )* }
            }

            /// What the unit should do about it, in Chinese.
            pub fn fix(self) -> &'static str {
                match self { $( Code::$variant => $fix, )* }
            }
        }
    };
}

codes! {
    FileUnreadable = "file-unreadable", Error, "文件无法读取（权限或磁盘问题）", "确认文件存在且可以打开，重新拷贝后再检查";
    FileEmpty = "file-empty", Error, "文件是空的（0 字节）", "请填报单位重新发送完整的填报表";
    FileTooLarge = "file-too-large", Error, "文件大小超过读取上限", "确认是否发错了文件；填报表通常不超过 1 MB";
    LinkOutside = "link-outside", Warning, "文件夹中的链接（快捷方式）指向本文件夹以外（未读取）", "把要报送的填报表本身复制进本期文件夹，不要放链接";
    NotAReturn = "file-skipped", Warning, "文件夹中有不是表格的文件（未读取）", "确认该文件不是填报表；如是，请另存为 .xlsx 后重新发送";
    NotSpreadsheet = "not-spreadsheet", Error, "不是 Excel、WPS 或 ODS 表格文件", "请用 Excel 或 WPS 打开填报表后另存为 .xlsx 再发送";
    Encrypted = "file-encrypted", Error, "文件设置了打开密码", "请填报单位取消密码（文件→信息→保护工作簿）后重新发送";
    Corrupt = "file-corrupt", Error, "文件已损坏或不完整", "请填报单位重新保存并发送；邮件附件请确认已完整下载";
    ZipBomb = "file-inflation", Error, "文件解压后体积异常巨大，拒绝读取", "请勿转发此文件；请填报单位用模板重新填写";
    TooManyCells = "sheet-too-large", Error, "工作表的非空单元格数量超过读取上限", "删除表格下方和右侧多余的内容后重新发送";
    ExtensionMismatch = "extension-mismatch", Warning, "文件扩展名与实际格式不符（已按实际格式读取）", "请用 Excel 或 WPS 另存为 .xlsx，不要直接改扩展名";
    NoTable = "table-missing", Error, "既没有找到指标填报表，也没有找到重点工程进度表", "请使用下发的填报表模板，保留“序号、指标名称、本期值”等表头";
    IndicatorTableMissing = "indicator-table-missing", Error, "本单位负责填报指标，但没有找到指标填报表", "请在“指标填报”工作表中填写本单位负责的指标";
    ProjectTableMissing = "project-table-missing", Error, "本单位负责重点工程，但没有找到重点工程进度表", "请在“重点工程进度”工作表中填写本单位负责的工程";
    UnitMissing = "unit-missing", Error, "没有填写填报单位", "在“填报单位”后填写本单位名称（如：水务局）";
    UnitUnknown = "unit-unknown", Error, "填报单位不在指标体系的单位名单中", "按下发模板填写单位全称或简称（如：住建局）";
    UnitOtherLink = "unit-other-link", Error, "通过本单位的链接上传了其他单位的填报表", "请上传本单位的填报表；其他单位的表请由该单位用自己的链接上传";
    OfficeReturned = "office-returned", Error, "生态环境分局审核后退回修改", "按分局的退回意见修改后，从本单位的链接重新上传";
    UnitInconsistent = "unit-inconsistent", Error, "同一文件中不同工作表的填报单位不一致", "确认本文件属于哪个单位，改正另一处的填报单位";
    PeriodMissing = "period-missing", Error, "没有填写报告期", "在“报告期”后填写报告期，如 2026Q3 或 2026年第三季度";
    PeriodUnparseable = "period-unparseable", Error, "报告期无法识别（日期不是报告期）", "报告期请写成 2026Q3 或 2026年第三季度，不要填写日期";
    AnnualFromQ4 = "annual-from-q4", Warning, "没有报送年度填报表，按本单位第四季度填报表汇总全年", "如有年度数据，请报送年度填报表；使用第四季度表时，年度指标的数据年份应为本年度";
    ConditionUnanswered = "condition-unanswered", Error, "年度填报表的基本条件自查没有逐项作答", "在“基本条件”工作表的“自查结论”中逐项选择“是”或“否”（请使用本年度下发的年度填报表）";
    ConditionFailed = "condition-failed", Error, "基本条件自查结论为不符合，且没有说明", "核实该项结论；确不符合的，在“说明”中写明情况和整改措施";
    ConditionExplained = "condition-explained", Warning, "基本条件自查结论为不符合（已说明）", "无需修改；分局将在自评估报告中如实反映";
    PeriodOther = "period-other", Error, "报告期与本次汇总的报告期不一致", "确认是否发错了季度的填报表；如是，请发送本期的填报表";
    FormOtherSchema = "form-other-version", Warning, "填报表模板来自其他报告期或其他版本的指标体系", "请使用本期下发的填报表模板";
    DuplicateIdentical = "duplicate-identical", Warning, "同一单位同一报告期报送了内容相同的两份文件（只计一次）", "无需处理；可删除重复的文件";
    Superseded = "return-superseded", Warning, "同一单位本期报送了修改稿，这一份较早，已被取代（不计入汇总）", "无需处理；可删除被取代的文件";
    DuplicateConflicting = "duplicate-conflicting", Error, "同一单位同一报告期报送了内容不同的两份文件", "请与填报单位确认以哪一份为准，删除另一份后重新汇总";
    UnknownIndicator = "indicator-unknown", Error, "无法识别的指标（序号和名称都对不上）", "按模板填写序号（如 7.1）和指标名称，不要自行增加指标行";
    IndicatorNotAssigned = "indicator-not-assigned", Warning, "本单位填报了不由本单位负责的指标（不计入汇总）", "删除该行，或确认负责单位后由负责单位填报";
    IndicatorConflict = "indicator-conflict", Warning, "非负责单位填报的数值与负责单位不同", "请核实数据，由负责单位确认最终数值";
    DuplicateIndicator = "indicator-duplicate", Error, "同一指标在表中出现了两次", "删除重复的一行，只保留正确的数值";
    IndicatorMissing = "indicator-missing", Error, "本单位负责的指标没有出现在表中", "在表中补上该指标的一行并填写本期值";
    ValueEmpty = "value-empty", Error, "本期值为空", "填写本期值；不涉及的指标填“不适用”并在备注中说明理由（仅限允许的指标）";
    ExpectedNumber = "value-not-number", Error, "该指标应填数值，但填写的是文字", "填写数值（如 87.5），不要填写文字说明；说明请写在备注栏";
    ExpectedWord = "value-not-word", Error, "该指标应填文字（定性指标），但填写的是数值", "从下拉列表中选择规定的文字（如：已建立）";
    WrongMeasureUnit = "value-unit", Error, "数值后面的单位与该指标的单位不符", "按指标的单位填写数值，只填数字即可";
    PercentOutOfRange = "value-percent-range", Error, "百分比超出 0–100 的范围", "百分比指标填写 0 到 100 之间的数（如 87.5 表示 87.5%）";
    LooksLikeFraction = "value-fraction", Warning, "百分比指标填写了 0 到 1 之间的小数，可能把 87.5% 写成了 0.875", "如果本意是百分比，请改为 87.5 这样的写法；若数值确实如此，可忽略";
    FractionScaled = "value-fraction-scaled", Warning, "该文件格式看不到单元格格式，0 到 1 之间的小数已按百分比读取（×100）", "请核对该数值；建议另存为 .xlsx 后重新发送";
    AmbiguousSeparator = "value-separator", Error, "数值中的逗号无法判断是千位分隔符还是小数点", "去掉逗号，小数点请用“.”（如 155.7）";
    WordNotAllowed = "value-word", Error, "填写的文字不在该指标允许的范围内", "从下拉列表中选择规定的文字";
    CellError = "value-error", Error, "单元格是公式错误（如 #DIV/0!）", "检查公式，或直接填写数值";
    NotFinite = "value-not-finite", Error, "单元格存的不是有效数值（NaN 或无穷大），多由其他软件导出时出错", "在该单元格重新输入数值（只填数字）后保存";
    TextTooLong = "text-too-long", Warning, "单元格文字超过 Excel 单元格上限 32767 字（已截断，只读取前 32767 字）", "把过长的说明缩短，或另附文件说明";
    DateInValue = "value-date", Error, "本期值是一个日期", "填写数值；该单元格被设成了日期格式，请改为常规格式";
    NotApplicableNotAllowed = "na-not-allowed", Error, "该指标不允许填“不适用”", "填写本期值；只有名称后带*的指标可以填“不适用”";
    NotApplicableNoReason = "na-no-reason", Error, "填了“不适用”但备注中没有写明理由", "在备注栏写明不适用的理由（如：全旗无黑臭水体）";
    ColumnRepeated = "column-repeated", Error, "表头中同一栏出现了两次（如两列“本期值”，或并排的第二张表），两列填的内容不同，无法判断以哪一列为准", "只保留一列“本期值”（或一张表），删去另一列后重新报送";
    JunkRows = "rows-ignored", Warning, "表格下方有无法识别的内容（不计入汇总）", "确认这些内容不是漏填的数据；如是说明文字可以忽略";
    UnknownProject = "project-unknown", Error, "无法识别的重点工程（序号和名称都对不上）", "按模板填写工程序号和工程名称";
    ProjectNotAssigned = "project-not-assigned", Warning, "本单位填报了不由本单位负责的工程（不计入汇总）", "删除该行，或由工程的责任单位填报";
    DuplicateProject = "project-duplicate", Error, "同一工程在表中出现了两次", "删除重复的一行";
    ProjectMissing = "project-missing", Error, "本单位负责的重点工程没有出现在表中", "补上该工程的一行并填写进度";
    ProjectNumber = "project-number", Error, "工程的投资或进度不是有效的数值", "累计完成投资填万元数，形象进度填 0–100 的数";
    CompletedAboveTotal = "project-over-investment", Error, "累计完成投资超过了总投资", "核对累计完成投资（单位：万元）";
    YearAboveCompleted = "project-year-over-completed", Error, "本年完成投资超过了累计完成投资", "本年完成投资是累计完成投资中本年度完成的部分，不能超过累计完成投资";
    ProgressOutOfRange = "project-progress-range", Error, "形象进度超出 0–100 的范围", "形象进度填写 0 到 100 之间的数";
    StatusUnknown = "project-status", Error, "工程状态不是 未开工/在建/已完工/已暂停 之一", "从下拉列表中选择工程状态";
    StatusContradicts = "project-status-progress", Error, "工程状态与形象进度矛盾", "已完工的工程形象进度应为 100，未开工的应为 0；请改正其一";
    UnitNotReturned = "unit-not-returned", Warning, "指标体系中的单位本期没有报送（未报送）", "请催报该单位";
    LargeChange = "value-large-change", Warning, "本期值与上期相比变化很大", "请核实数据是否填错，确认无误可忽略";
    DataYearAssumed = "data-year-assumed", Warning, "年度指标没有填写数据年份，已按报告期的上一年度读取", "在“数据年份”栏填写每个年度指标数值所属的年份（如 2025）；请使用本期下发的填报表";
    DataYearInvalid = "data-year-invalid", Error, "数据年份无法识别，或是尚未结束的年度", "数据年份填写四位年份（如 2025）：一至三季度不晚于上一年，四季度不晚于当年";
    DataYearOld = "data-year-old", Warning, "年度指标的数据年份早于报告期的上一年度，数据可能已过时", "如已有更新年度的数据，请改填最新年度的数值和年份；确无更新数据可忽略";
    DataYearRestated = "data-year-restated", Warning, "同一年度的数值与以前各期报送的不同", "核实哪个数值正确；如是修订后的数据，请在备注中说明修订原因";
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Warning => "提示",
        }
    }
}

/// The catalogue as Markdown, for `docs/diagnostics.md`.
pub fn catalogue_markdown() -> String {
    let mut s = String::from(
        "# 诊断代码一览\n\n`check` 和 `build` 给出的每条诊断都带有以下代码之一。\
         “错误”使该份填报表被退回；“提示”不退回，只提醒核实。\n\n\
         本文件由代码中的目录生成（`src/diagnostic/codes.rs`），测试保证两者一致。\n\n\
         | 代码 | 级别 | 含义 | 如何修改 |\n| --- | --- | --- | --- |\n",
    );
    for c in Code::ALL {
        s.push_str(&format!(
            "| `{}` | {} | {} | {} |\n",
            c.id(),
            c.severity().label(),
            c.meaning(),
            c.fix()
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn codes_are_unique() {
        let ids: BTreeSet<&str> = Code::ALL.iter().map(|c| c.id()).collect();
        assert_eq!(ids.len(), Code::ALL.len());
    }

    #[test]
    fn the_catalogue_in_docs_is_current() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/diagnostics.md");
        let expected = catalogue_markdown();
        if std::env::var_os("UPDATE_DOCS").is_some() {
            std::fs::write(path, &expected).unwrap();
        }
        let actual = std::fs::read_to_string(path).unwrap_or_default();
        assert_eq!(
            actual, expected,
            "run `UPDATE_DOCS=1 cargo test` to refresh docs/diagnostics.md"
        );
    }
}
