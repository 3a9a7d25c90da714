#!/usr/bin/env bash
# Compares the page's core module at a git revision with the working tree's
# (www/pkg, as `npm run build` or `npm run bench` left it), in the browser,
# the two swapped into www/pkg in turn: the machine's noise (±10 % from one
# spell to the next) falls on both sides alike, which a full run at each
# revision, minutes apart, does not give.
#
#   bash scripts/bench-ab.sh REV [ROUNDS]
#
# REV: a commit (the other side is the working tree's build). ROUNDS: how
# many times each side runs (default 2). BENCH_SIZES (default 1m,full) and
# BENCH_RUNS (default 5) as for scripts/bench.mjs. Prints, per side and
# round, the median run and its phases. Pelacak only; the JS API must be
# the same at both revisions (the bench's worker is the working tree's).
set -euo pipefail
cd "$(dirname "$0")/.."
rev=${1:?usage: bash scripts/bench-ab.sh REV [ROUNDS]}
rounds=${2:-2}
[ -f www/pkg/pelacak_core_bg.wasm ] || { echo "bench-ab: build first (npm run build)" >&2; exit 1; }
tmp=$(mktemp -d)
mkdir -p "$tmp/now" "$tmp/old"
cp www/pkg/pelacak_core.js www/pkg/pelacak_core_bg.wasm "$tmp/now/"
# However it ends, the working tree's module goes back into www/pkg.
restore() {
  cp "$tmp/now/pelacak_core.js" "$tmp/now/pelacak_core_bg.wasm" www/pkg/
  git worktree remove --force "$tmp/rev" 2>/dev/null || true
  rm -rf "$tmp"
}
trap restore EXIT
git worktree add -q --detach "$tmp/rev" "$rev"
# Its own target directory: neither build invalidates the other's cache.
root=$PWD
(cd "$tmp/rev" && cargo build --release --target wasm32-unknown-unknown --lib --no-default-features --target-dir "$root/target/ab")
wasm-bindgen --target web --remove-name-section --remove-producers-section \
  --out-dir "$tmp/old" --out-name pelacak_core target/ab/wasm32-unknown-unknown/release/pelacak.wasm
for round in $(seq "$rounds"); do
  for side in old now; do
    cp "$tmp/$side/pelacak_core.js" "$tmp/$side/pelacak_core_bg.wasm" www/pkg/
    label=$([ "$side" = old ] && echo "$rev" || echo "working tree")
    echo "== $label (round $round)"
    BENCH_ENGINES=pelacak BENCH_SIZES=${BENCH_SIZES:-1m,full} BENCH_RUNS=${BENCH_RUNS:-5} BENCH_NO_BUILD=1 \
      node scripts/bench.mjs | grep -E 'Pelacak \(wasm\)  runs|^load '
  done
done
