#!/usr/bin/env bash
# Runs one fuzz target for a given time on the stable toolchain, seeded with the samples and
# the foreign corpus. Crashes land in fuzz/artifacts/TARGET/; keep each as a regression test.
#
#   scripts/fuzz.sh value 1800
#   scripts/fuzz.sh workbook 1800
#   scripts/fuzz.sh history 600
#   scripts/fuzz.sh trend 600
set -euo pipefail
cd "$(dirname "$0")/.."
target="${1:?target: value, workbook, history or trend}"
seconds="${2:-60}"
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
corpus="fuzz/corpus/$target"
mkdir -p "$corpus"
if [ "$target" = workbook ]; then
  find samples -type f \( -name '*.xls*' -o -name '*.ods' \) -exec cp {} "$corpus/" \; 2>/dev/null || true
  [ -d ../shared/corpus/foreign ] && cp ../shared/corpus/foreign/* "$corpus/" 2>/dev/null || true
elif [ "$target" = history ]; then
  # Real 汇总表 workbooks to mutate: the samples' Q2 build (written by the release binary).
  [ -f target/release/eco-returns ] || cargo build --release
  target/release/eco-returns build samples/2026Q2 --period 2026Q2 --out "$corpus/q2" >/dev/null 2>&1 || true
  [ -f "$corpus/q2/汇总表.xlsx" ] && mv "$corpus/q2/汇总表.xlsx" "$corpus/summary.xlsx"; rm -rf "$corpus/q2"
elif [ "$target" = trend ]; then
  printf '\x00\x00\x00\x00\x00\x00\x80\x56\x40\x00\x00\x00\x00\x00\x00\x4e\x40\x00\x00\x00\x00\x00\x40\x50\x40\x00\x00\x00\x00\x00\x00\x52\x40' > "$corpus/rising"
else
  printf '87.5%%' > "$corpus/percent"; printf '1,234.5' > "$corpus/thousands"; printf '155,7' > "$corpus/comma"
  printf '已建立' > "$corpus/word"; printf '25微克/立方米' > "$corpus/unit"; printf '８７．５％' > "$corpus/fullwidth"
fi
# Stable toolchain: no sanitizer (-s none); libFuzzer's coverage instrumentation still works.
# -fork/-ignore_*: keep going after a finding, so one run reports everything it found (each in
# fuzz/artifacts/TARGET/); set KEEP_GOING=0 to stop at the first.
extra=()
if [ "${KEEP_GOING:-1}" = 1 ]; then extra=(-fork=1 -ignore_crashes=1 -ignore_ooms=1 -ignore_timeouts=1); fi
cargo fuzz run -s none "$target" "$corpus" -- -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=30 \
  -max_len=1048576 -print_final_stats=1 "${extra[@]}"
