#!/usr/bin/env bash
# Instructions the core module (www/pkg) executes to type a file's windows, counted by
# valgrind in Node (a diagnostic for comparing builds, not a test):
#
#   bash scripts/wasm-instructions.sh [FILE] [PKG]
#
# FILE defaults to bench-data/100k/deals.csv, PKG to www/pkg. Runs
# scripts/typing-probe.mjs under callgrind twice, typing the windows once and six times (no
# report), and prints the difference over five: one typing of the file's windows, without
# Node's start-up, the tokenising or the compiling. V8 runs with its baseline compiler off,
# so every wasm function is the optimising compiler's code, as a hot one is in the browser.
# The count moves by ~0.2 % from run to run (the wall clock here by ±10 %): two builds
# compared this way differ by what their code does. It takes about a minute at 100k
# deals. Needs valgrind.
set -euo pipefail
cd "$(dirname "$0")/.."
file=${1:-bench-data/100k/deals.csv}
pkg=${2:-www/pkg}
command -v valgrind >/dev/null || { echo "wasm-instructions: needs valgrind" >&2; exit 1; }
[ -f "$file" ] || { echo "wasm-instructions: no $file (node scripts/bench.mjs generates bench-data/)" >&2; exit 1; }
count() {
  PKG=$pkg REPS=$1 REPORTS=0 valgrind --tool=callgrind --callgrind-out-file=/dev/null \
    --smc-check=all-non-file node --single-threaded --no-liftoff scripts/typing-probe.mjs "$file" 2>&1 |
    sed -n 's/.*Collected : //p'
}
once=$(count 1)
six=$(count 6)
echo "$file: $(( (six - once) / 5 )) instructions to type its windows ($pkg)"
