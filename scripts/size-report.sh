#!/usr/bin/env bash
# Shipped bytes of dist/ (after `trunk build --release`): raw, gzip -9, brotli -q 11, per kind.
# Exits non-zero when everything index.html loads exceeds the P1 hard gate (350 KB brotli).
set -euo pipefail
cd "$(dirname "$0")/.."
DIST=${1:-dist}
GATE_BR=${GATE_BR:-358400}   # 350 KiB
[ -f "$DIST/index.html" ] || { echo "no $DIST/index.html: run make build" >&2; exit 2; }
tot_raw=0; tot_gz=0; tot_br=0
printf '| file | raw | gzip | brotli |\n|---|---:|---:|---:|\n'
for kind in wasm js css html; do
  for f in "$DIST"/*."$kind"; do
    [ -e "$f" ] || continue
    raw=$(stat -c%s "$f"); gz=$(gzip -9c "$f" | wc -c); br=$(brotli -q 11 -c "$f" | wc -c)
    tot_raw=$((tot_raw+raw)); tot_gz=$((tot_gz+gz)); tot_br=$((tot_br+br))
    printf '| %s | %d | %d | %d |\n' "${f#"$DIST"/}" "$raw" "$gz" "$br"
  done
done
printf '| **total** | **%d** | **%d** | **%d** |\n' "$tot_raw" "$tot_gz" "$tot_br"
if [ "$tot_br" -gt "$GATE_BR" ]; then
  echo "size gate: $tot_br bytes brotli > $GATE_BR (P1 hard gate)" >&2
  exit 1
fi
