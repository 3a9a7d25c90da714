#!/usr/bin/env bash
# Builds the wasm module into www/pkg and the sample data into www/sample.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --target wasm32-unknown-unknown --lib
wasm-bindgen --target web --out-dir www/pkg target/wasm32-unknown-unknown/release/pelacak.wasm
cargo build --release --bin pelacak
target/release/pelacak sample --out www/sample
echo "build: www/pkg/pelacak_bg.wasm $(wc -c < www/pkg/pelacak_bg.wasm) bytes ($(gzip -c www/pkg/pelacak_bg.wasm | wc -c) gzipped)"
