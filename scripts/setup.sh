#!/usr/bin/env bash
# Installs what a fresh machine lacks; every step is skipped when already done.
# NO_BROWSER=1 skips Chromium (for `npm start` on a machine without apt).
set -euo pipefail
cd "$(dirname "$0")/.."

rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown

# The CLI must equal the wasm-bindgen crate in Cargo.lock, byte for byte.
want=$(grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | sed -n 's/^version = "\(.*\)"$/\1/p')
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$want" ]; then
  echo "setup: installing wasm-bindgen-cli $want (have '${have:-none}')"
  # Not --locked: a locked dependency is missing from the registry mirror.
  cargo install wasm-bindgen-cli --version "$want"
fi

if [ "${NO_BROWSER:-0}" != 1 ] && { ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; }; then
  echo "setup: installing Debian's chromium and chromium-driver"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
fi

if [ ! -f node_modules/playwright-core/package.json ]; then
  npm ci --no-audit --no-fund
fi
