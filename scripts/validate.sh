#!/usr/bin/env bash
# Every kind of .docx and .xlsx the tool writes, checked against ECMA-376 with openxml-audit (a
# pure-Python validator from PyPI, installed here into target/validate-venv): the report and
# 汇总表 of the samples, of the malformed samples and of a build with --history, every returned
# copy and every blank form, and the portal's notices and workbooks.
# Any error fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
venv="target/validate-venv"
if [ ! -x "$venv/bin/openxml-audit" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet "openxml-audit==0.8.*"
fi
cargo build --release --quiet --bin eco-returns
bin=target/release/eco-returns
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bin" build samples/2026Q3 --period 2026Q3 --out "$work/q3" >/dev/null 2>&1 || [ $? -eq 1 ]
"$bin" build samples/malformed --period 2026Q3 --out "$work/malformed" >/dev/null 2>&1 || [ $? -eq 1 ]
"$bin" template --period 2026Q3 --out "$work/forms" >/dev/null 2>&1
# A year: its forms (with the 基本条件 sheet) and the 年度自评估报告 built from them, blank.
"$bin" template --period 2026 --out "$work/forms2026" >/dev/null 2>&1
"$bin" build "$work/forms2026" --period 2026 --out "$work/annual" >/dev/null 2>&1 || [ $? -eq 1 ]
# With --history: 趋势 sheet with its line charts, and the report's trend section and chart.
"$bin" build samples/2026Q2 --period 2026Q2 --out "$work/history/2026Q2" >/dev/null 2>&1 || [ $? -eq 1 ]
"$bin" build samples/2026Q3 --period 2026Q3 --out "$work/trend" --history "$work/history" >/dev/null 2>&1 || [ $? -eq 1 ]
# The shipped year after its four quarters: 趋势 with the year beside its quarters, 本期/本年
# 完成投资 columns, and the 年度自评估报告's trend table.
for q in 2026Q1 2026Q4; do
  "$bin" build "samples/$q" --period "$q" --out "$work/history/$q" >/dev/null 2>&1 || [ $? -eq 1 ]
done
"$bin" build samples/2026 --period 2026 --out "$work/year" --history "$work/history" >/dev/null 2>&1 || [ $? -eq 1 ]
# A report with the 公文's optional parts: the red 版头 (a 文号) and the 版记 (抄送).
mkdir -p "$work/office"
cp templates/schema.toml templates/units.toml templates/vocabulary.toml templates/indicators.toml templates/projects.toml "$work/office/"
cat > "$work/office/office.toml" <<'TOML'
issuer = "呼和浩特市生态环境局土默特左旗分局"
self_name = "我局"
recipient = "土默特左旗人民政府"
cc = ["旗发改委", "旗财政局"]
document_number = "土环分发〔2026〕15号"
classification = "内部"
contact = "联系人：张某，电话：0471-1234567"
TOML
"$bin" build samples/2026Q3 --period 2026Q3 --out "$work/filed" --schema "$work/office" >/dev/null 2>&1 || [ $? -eq 1 ]
files=("$work/filed/评估报告.docx" "$work/q3/汇总表.xlsx" "$work/q3/评估报告.docx" "$work/malformed/汇总表.xlsx"
       "$work/malformed/评估报告.docx" "$work/trend/汇总表.xlsx" "$work/trend/评估报告.docx")
files+=("$work/annual/年度自评估报告.docx" "$work/annual/汇总表.xlsx" "$work"/forms2026/*.xlsx)
files+=("$work/year/年度自评估报告.docx" "$work/year/汇总表.xlsx" "$work/history/2026Q4/汇总表.xlsx")
files+=("$work"/q3/退回修改/*.xlsx "$work"/malformed/退回修改/*.xlsx "$work"/forms/*.xlsx)
# The portal's documents: the link handout, 催报通知, 操作记录, the archive's 清单 and a
# returned form with the office's 意见.
python3 scripts/portal-outputs.py "$bin" samples/2026Q3 "$work/portal"
files+=("$work"/portal/*.docx "$work"/portal/*.xlsx "$work"/portal/handout/*)
failed=0
for f in "${files[@]}"; do
  errors=$("$venv/bin/openxml-audit" -m 0 -o json "$f" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["error_count"])')
  if [ "$errors" != "0" ]; then
    echo "openxml-audit: $errors errors in ${f#"$work"/}" >&2
    "$venv/bin/openxml-audit" -m 20 "$f" >&2 || true
    failed=1
  fi
done
echo "openxml-audit: ${#files[@]} files checked, $([ $failed = 0 ] && echo 0 || echo some) with errors"
exit $failed
