#!/usr/bin/env bash
# trunk post_build hook: split the wasm into the first-screen module and lazily loaded chunks
# (scripts/split-wasm.mjs, src/chunks.rs), then write .br (brotli -q 11) and .gz (gzip -9) beside the assets, served by
# nginx (brotli_static/gzip_static) and `serving-console` when the browser accepts them.
# config.json is left alone (operators edit it in place; a stale .gz would win) and so is
# index.html (tiny, and it differs per deployment). Release builds only.
set -euo pipefail
[ "${TRUNK_PROFILE:-release}" = "release" ] || exit 0
dir="${TRUNK_STAGING_DIR:?run by trunk}"
node scripts/split-wasm.mjs "$dir" \
  "${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/wasm-release/serving-console-app.wasm"
shopt -s nullglob
for f in "$dir"/*.wasm "$dir"/*.js "$dir"/*.css "$dir"/*.svg; do
  [ "$(stat -c%s "$f")" -ge 512 ] || continue
  gzip -9 -n -k -f "$f"
  if command -v brotli >/dev/null; then brotli -q 11 -k -f "$f"; fi
done
