#!/usr/bin/env bash
# Benchmarks `check` and `build` against the floor (calamine walking every cell) and the
# baseline (pandas + openpyxl), side by side in one run. See BENCHMARKS.md.
#
#   bash bench/run.sh                 # N = 21 2100 21000, 3 runs each
#   SIZES="21" RUNS=1 bash bench/run.sh   # the smoke run
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES="${SIZES:-21 2100 21000}"
RUNS="${RUNS:-3}"
BASELINE_MAX="${BASELINE_MAX:-2100}"
THREADS="${THREADS:-$(nproc)}"
data="target/bench-data"
venv="target/bench-venv"

cargo build --release --quiet --bin eco-returns --example bench_gen --example bench_floor \
  --example bench_write_floor
bin=target/release/eco-returns
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet pandas openpyxl
fi

# measure LABEL CMD…: RUNS runs; prints "label min median maxrss_mb"
measure() {
  local label="$1"; shift
  local walls=() rss=0
  for _ in $(seq "$RUNS"); do
    local t0=$EPOCHREALTIME
    /usr/bin/time -q -f "%M" -o target/bench-time "$@" >/dev/null 2>&1 || true
    local t1=$EPOCHREALTIME
    read -r kb < target/bench-time
    walls+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')")
    [ "$kb" -gt "$rss" ] && rss="$kb"
  done
  local sorted; sorted=$(printf '%s\n' "${walls[@]}" | sort -g)
  local min; min=$(echo "$sorted" | head -1)
  local median; median=$(echo "$sorted" | sed -n "$(( (RUNS + 1) / 2 ))p")
  echo "$label $min $median $(( rss / 1024 ))"
}

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg); cores: $(nproc); threads: $THREADS; runs: $RUNS"
printf '| N | what | min s | median s | peak RSS MB | × floor | baseline × |\n|---|---|---|---|---|---|---|\n'
for n in $SIZES; do
  dir="$data/$n"
  if [ "$(ls "$dir" 2>/dev/null | wc -l)" != "$n" ]; then
    rm -rf "$dir"; target/release/examples/bench_gen "$n" "$dir" 2>/dev/null
  fi
  floor=$(measure floor target/release/examples/bench_floor "$dir" "$THREADS")
  check=$(measure check "$bin" check "$dir" --period 2026Q3 --format json --threads "$THREADS")
  build=$(measure build "$bin" build "$dir" --period 2026Q3 --out "target/bench-out/$n" --threads "$THREADS")
  base=""
  if [ "$n" -le "$BASELINE_MAX" ]; then
    base=$(measure baseline "$venv/bin/python" bench/baseline.py "$dir" "target/bench-out/baseline-$n.xlsx")
  fi
  fmin=$(echo "$floor" | cut -d' ' -f2)
  bmin=$(echo "$base" | cut -d' ' -f2)
  for line in "$floor" "$check" "$build" "$base"; do
    [ -n "$line" ] || continue
    read -r what min median rss <<< "$line"
    ratio=$(awk -v a="$min" -v b="$fmin" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "—" }')
    faster="—"
    if [ -n "$bmin" ] && [ "$what" != baseline ]; then
      faster=$(awk -v a="$bmin" -v b="$min" 'BEGIN { if (b > 0) printf "%.0f", a / b; else print "—" }')
    fi
    echo "| $n | $what | $min | $median | $rss | $ratio | $faster |"
  done
done

# Where build's time goes: the tool's own stage clock (ECO_RETURNS_TIMINGS), best of RUNS runs.
# At county scale also the write floor: the same 汇总表 and report content written plainly with
# the same crates (examples/bench_write_floor.rs); beyond that the 退回修改 copies dominate.
printf '\n| N | build: reading and checking ms | writing ms | writing ÷ reading | write floor ms | write floor ÷ reading |\n|---|---|---|---|---|---|\n'
for n in $SIZES; do
  best_read="" best_write=""
  for _ in $(seq "$RUNS"); do
    line=$(ECO_RETURNS_TIMINGS=1 "$bin" build "$data/$n" --period 2026Q3 --out "target/bench-out/$n" \
      --threads "$THREADS" 2>&1 >/dev/null | grep '^耗时' || true)
    r=$(echo "$line" | grep -o '读取校验 [0-9.]*' | cut -d' ' -f2)
    w=$(echo "$line" | grep -o '写出 [0-9.]*' | cut -d' ' -f2)
    [ -n "$r" ] && [ -n "$w" ] || continue
    if [ -z "$best_read" ] || awk -v a="$r" -v b="$w" -v c="$best_read" -v d="$best_write" 'BEGIN { exit !(a + b < c + d) }'; then
      best_read=$r best_write=$w
    fi
  done
  ratio=$(awk -v r="$best_read" -v w="$best_write" 'BEGIN { if (r > 0) printf "%.1f", w / r; else print "—" }')
  wfloor="—" wratio="—"
  if [ "$n" -le 100 ]; then
    wfloor=$(target/release/examples/bench_write_floor "target/bench-out/$n" "$RUNS" | cut -d' ' -f1)
    wratio=$(awk -v r="$best_read" -v w="$wfloor" 'BEGIN { if (r > 0) printf "%.1f", w / r; else print "—" }')
  fi
  echo "| $n | $best_read | $best_write | $ratio | $wfloor | $wratio |"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
