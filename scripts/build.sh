#!/usr/bin/env bash
# Builds the wasm module into www/pkg, the sample data into www/sample and
# copies the charting library into www/vendor.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --target wasm32-unknown-unknown --lib
# Debug names and the producers note are not needed to run the module.
wasm-bindgen --target web --remove-name-section --remove-producers-section --out-dir www/pkg target/wasm32-unknown-unknown/release/pelacak.wasm
cargo build --release --bin pelacak
target/release/pelacak sample --out www/sample
# The charting library, served from the site itself (never from a CDN).
[ -f node_modules/@observablehq/plot/package.json ] || npm ci --no-audit --no-fund
mkdir -p www/vendor
cp node_modules/d3/dist/d3.min.js node_modules/@observablehq/plot/dist/plot.umd.min.js www/vendor/
cp node_modules/d3/LICENSE www/vendor/d3.LICENSE
cp node_modules/@observablehq/plot/LICENSE www/vendor/plot.LICENSE
echo "build: www/pkg/pelacak_bg.wasm $(wc -c < www/pkg/pelacak_bg.wasm) bytes ($(gzip -c www/pkg/pelacak_bg.wasm | wc -c) gzipped)"
