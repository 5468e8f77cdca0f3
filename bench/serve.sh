#!/usr/bin/env bash
# The portal under deadline load: 20 clients upload N distinct returns (bench_gen's, 20 per unit
# at N = 420) through the units' links; the median and 99th-percentile upload latency are
# compared with one `eco-returns check FILE` process on the same files, timed in the same run
# (examples/serve_load.rs). Peak RSS of the server from /proc. See BENCHMARKS.md.
#
#   bash bench/serve.sh                      # N = 420 and 2100, 3 runs each
#   SIZES=420 RUNS=1 bash bench/serve.sh     # smoke run
#   BIN=../old/target/release/eco-returns SIZES=420 RUNS=1 bash bench/serve.sh   # another build
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES="${SIZES:-420 2100}"
RUNS="${RUNS:-3}"
CLIENTS="${CLIENTS:-20}"
cargo build --release --quiet --bin eco-returns --example bench_gen --example serve_load
# BIN: another build of the server to compare with, in the same run (an A/B).
bin="${BIN:-target/release/eco-returns}"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg); cores: $(nproc); clients: $CLIENTS; runs: $RUNS"
for n in $SIZES; do
  returns="target/bench-data/serve-returns-$n"
  [ "$(ls "$returns" 2>/dev/null | wc -l)" = "$n" ] || { rm -rf "$returns"; target/release/examples/bench_gen "$n" "$returns" 2>/dev/null; }
  for run in $(seq "$RUNS"); do
    data=$(mktemp -d)
    "$bin" links --data "$data" --out "$data/handout" --format json > "$data.links.json"
    "$bin" serve --data "$data" --period 2026Q3 --listen 127.0.0.1:0 2> "$data.log" &
    pid=$!
    for _ in $(seq 100); do grep -q "http://" "$data.log" && break; sleep 0.1; done
    addr=$(grep -o 'http://[0-9.:]*' "$data.log" | head -1 | sed 's|http://||')
    line=$(target/release/examples/serve_load "$addr" "$data.links.json" "$returns" "$CLIENTS" "$bin")
    rss=$(awk '/VmHWM/ { print int($2 / 1024) }' "/proc/$pid/status")
    kill "$pid"; wait "$pid" 2>/dev/null || true
    kept=$(find "$data/uploads" -name '*.xlsx' ! -name '*_退回修改.xlsx' | wc -l)
    echo "N=$n run=$run $line server_peak_rss_mb $rss kept $kept"
    rm -rf "$data" "$data.links.json" "$data.log"
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
