#!/usr/bin/env bash
# Peak memory of `check` against the number of threads, on returns that are small on disk
# (6 MB) but large to read (36 MB of tiny shared strings each): the claims on the readers'
# memory budget (src/read/mod.rs) must keep the peak flat however many threads run.
#
#   bash bench/memory.sh          # 8 such returns; threads 1 2 8 16
set -euo pipefail
cd "$(dirname "$0")/.."
N="${N:-8}"
SIZE_MB="${SIZE_MB:-36}"
data="target/bench-data/memory-$N-$SIZE_MB"
cargo build --release --quiet --bin eco-returns
[ -d "$data" ] || python3 bench/sst_memory.py "$N" "$SIZE_MB" "$data"
printf '| threads | peak RSS MB | × 1 thread | wall s |\n|---|---|---|---|\n'
base=""
for t in 1 2 8 16; do
  /usr/bin/time -q -f "%M %e" -o target/bench-time \
    target/release/eco-returns check "$data" --threads "$t" --format json >/dev/null || true
  read -r kb wall < target/bench-time
  mb=$(( kb / 1024 ))
  [ -n "$base" ] || base=$mb
  printf '| %s | %s | %s | %s |\n' "$t" "$mb" "$(awk -v a="$mb" -v b="$base" 'BEGIN { printf "%.2f", a / b }')" "$wall"
done
