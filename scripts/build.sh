#!/usr/bin/env bash
# Builds the wasm module into www/pkg, the sample data into www/sample and
# copies the charting library into www/vendor.
set -euo pipefail
cd "$(dirname "$0")/.."
# Two modules: the full one (with the .xlsx reader) and the core one the page
# starts with, about a quarter smaller; the worker loads the full one when a
# spreadsheet arrives. The core build has its own target dir so neither
# build invalidates the other's cache.
cargo build --release --target wasm32-unknown-unknown --lib
CARGO_TARGET_DIR=target/core cargo build --release --target wasm32-unknown-unknown --lib --no-default-features
# Debug names and the producers note are not needed to run the module.
wasm-bindgen --target web --remove-name-section --remove-producers-section --out-dir www/pkg target/wasm32-unknown-unknown/release/pelacak.wasm
wasm-bindgen --target web --remove-name-section --remove-producers-section --out-dir www/pkg --out-name pelacak_core target/core/wasm32-unknown-unknown/release/pelacak.wasm
cargo build --release --bin pelacak
target/release/pelacak sample --out www/sample
# The charting library, served from the site itself (never from a CDN).
[ -f node_modules/@observablehq/plot/package.json ] || npm ci --no-audit --no-fund
mkdir -p www/vendor
cp node_modules/d3/dist/d3.min.js node_modules/@observablehq/plot/dist/plot.umd.min.js www/vendor/
cp node_modules/d3/LICENSE www/vendor/d3.LICENSE
cp node_modules/@observablehq/plot/LICENSE www/vendor/plot.LICENSE
for m in pelacak_core pelacak; do
  echo "build: www/pkg/${m}_bg.wasm $(wc -c < www/pkg/${m}_bg.wasm) bytes ($(gzip -c www/pkg/${m}_bg.wasm | wc -c) gzipped)"
done
