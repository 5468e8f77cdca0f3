#!/usr/bin/env bash
# A/B of `build` between two binaries, same inputs, runs interleaved: the shipped 2026Q3 with
# 2026Q1–Q2 as history (each binary's own builds), and 2100 generated returns. See BENCHMARKS.md.
#
#   OLD=path/to/old/eco-returns bash bench/ab.sh      # NEW defaults to this checkout's release build
#   RUNS=15 BIG_RUNS=7 (defaults)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin eco-returns --example bench_gen
S="$PWD/samples"
declare -A BIN=([old]="${OLD:?set OLD to the binary to compare with}" [new]="${NEW:-$PWD/target/release/eco-returns}")
gen="$PWD/target/release/examples/bench_gen"
work="target/bench-ab"
rm -rf "$work"; mkdir -p "$work"; cd "$work"
for v in old new; do
  rm -rf "h-$v"; for q in 2026Q1 2026Q2; do "${BIN[$v]}" build $S/$q --period $q --out "h-$v/$q" >/dev/null 2>&1 || true; done
done
"$gen" 2100 big 2>/dev/null
run() { # cmd...
  local t0=$EPOCHREALTIME; /usr/bin/time -q -f "%M" -o rss "$@" >/dev/null 2>&1 || true; local t1=$EPOCHREALTIME
  echo "- $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.4f", b-a}') $(cat rss)"
}
for i in $(seq "${RUNS:-15}"); do
  for v in old new; do
    echo "samples-history $v $(run "${BIN[$v]}" build $S/2026Q3 --period 2026Q3 --out "o-$v-$i" --history "h-$v" | cut -d' ' -f2-)"
  done
done > small.txt
for i in $(seq "${BIG_RUNS:-7}"); do
  for v in old new; do
    echo "2100-returns $v $(run "${BIN[$v]}" build big --period 2026Q3 --out "b-$v-$i" | cut -d' ' -f2-)"
  done
done > big.txt
python3 - <<'PY'
import statistics as st
for f in ["small.txt","big.txt"]:
    rows=[l.split() for l in open(f)]
    by={}
    for label,v,t,kb in rows: by.setdefault((label,v),[]).append((float(t),int(kb)))
    label=rows[0][0]
    o=by[(label,"old")]; n=by[(label,"new")]
    mo=st.median(t for t,_ in o); mn=st.median(t for t,_ in n)
    ro=max(k for _,k in o)/1024; rn=max(k for _,k in n)/1024
    print(f"{label}: runs {len(o)} each; median old {mo:.3f}s new {mn:.3f}s ratio {mn/mo:.2f}; peak RSS old {ro:.1f} MB new {rn:.1f} MB ratio {rn/ro:.2f}")
PY
