#!/usr/bin/env bash
# Every test, one step per concern; each step also runs alone:
#   bash scripts/test.sh fmt|clippy|native|wasm-node|wasm-chromium|e2e
set -euo pipefail
cd "$(dirname "$0")/.."
steps=("$@")
[ ${#steps[@]} -eq 0 ] && steps=(setup fmt clippy native wasm-node wasm-chromium e2e)

wasm_test() {
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
    cargo test --target wasm32-unknown-unknown --test wasm "$@"
}

for step in "${steps[@]}"; do
  echo "== $step"
  case $step in
    setup) bash scripts/setup.sh ;;
    fmt) cargo fmt --check ;;
    clippy)
      cargo clippy --all-targets -- -D warnings
      cargo clippy --lib --no-default-features -- -D warnings
      cargo clippy --target wasm32-unknown-unknown --lib --tests -- -D warnings ;;
    native) cargo test ;;
    wasm-node) wasm_test ;;
    wasm-chromium) CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_USE_BROWSER=1 wasm_test ;;
    e2e)
      bash scripts/build.sh
      node --test tests/e2e/ ;;
    *) echo "unknown step $step"; exit 2 ;;
  esac
done
