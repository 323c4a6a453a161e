#!/usr/bin/env bash
# Shipped bytes of dist/ (after `trunk build --release`): raw, gzip -9, brotli -q 11.
#
# P1 (budgets.md) counts what index.html loads before the first interaction: the files it
# references (stylesheets, boot.js, the main .js and _bg.wasm named by boot.js's data attributes)
# and the modules the main .js imports statically (the chunk loader __wasm_split-*.js). The
# detail page and the Logs/Permissions/Schema tabs are separate wasm chunks fetched on first use
# (src/chunks.rs, scripts/split-wasm.mjs): listed and summed below, outside the gate.
# Exits non-zero above the P1 hard gate (350 KiB brotli) or if the lazy chunks grow past their
# ratchet LAZY_GATE_BR.
set -euo pipefail
cd "$(dirname "$0")/.."
DIST=${1:-dist}
P1_BR=358400                          # 350 KiB, budgets.md P1 hard gate
P1_TARGET_BR=256000                   # 250 KiB, budgets.md P1 target
LAZY_GATE_BR=${LAZY_GATE_BR:-358400}  # ratchet on the lazily loaded chunks (all of them)
[ -f "$DIST/index.html" ] || { echo "no $DIST/index.html: run make build" >&2; exit 2; }

# Files index.html references (href, src, data-js, data-wasm), by base name.
mapfile -t first < <(
  grep -oE '(href|src|data-js|data-wasm)=("[^"]*"|[^ >]*)' "$DIST/index.html" |
    sed -E 's/^[a-z-]+=//; s/^"//; s/"$//; s#.*/##' | grep -E '\.(js|wasm|css)$' | sort -u
)
# ... and the modules those scripts import statically.
for f in "${first[@]}"; do
  case "$f" in *.js)
    while read -r m; do first+=("$m"); done < <(
      grep -oE 'from ?"\./[^"]+\.js"' "$DIST/$f" | sed -E 's/.*"\.\/([^"]+)"/\1/' | sort -u)
  esac
done
first+=(index.html)

declare -A seen=()
row() { # file → prints a table row, sets raw gz br
  raw=$(stat -c%s "$DIST/$1"); gz=$(gzip -9c "$DIST/$1" | wc -c); br=$(brotli -q 11 -c "$DIST/$1" | wc -c)
  printf '| %s | %d | %d | %d |\n' "$1" "$raw" "$gz" "$br"
}

echo "### Loaded before the first interaction (P1)"
printf '| file | raw | gzip | brotli |\n|---|---:|---:|---:|\n'
tot_raw=0; tot_gz=0; tot_br=0
for f in "${first[@]}"; do
  [ -z "${seen[$f]:-}" ] || continue
  seen[$f]=1
  [ -f "$DIST/$f" ] || { echo "index.html references $f, missing from $DIST" >&2; exit 2; }
  row "$f"; tot_raw=$((tot_raw+raw)); tot_gz=$((tot_gz+gz)); tot_br=$((tot_br+br))
done
printf '| **total** | **%d** | **%d** | **%d** |\n\n' "$tot_raw" "$tot_gz" "$tot_br"

echo "### Loaded on first use (detail page, Logs, Permissions, Schema chunks)"
printf '| file | raw | gzip | brotli |\n|---|---:|---:|---:|\n'
lazy_raw=0; lazy_gz=0; lazy_br=0
for f in "$DIST"/*.wasm "$DIST"/*.js; do
  f=${f#"$DIST"/}
  [ -e "$DIST/$f" ] && [ -z "${seen[$f]:-}" ] || continue
  row "$f"; lazy_raw=$((lazy_raw+raw)); lazy_gz=$((lazy_gz+gz)); lazy_br=$((lazy_br+br))
done
printf '| **total** | **%d** | **%d** | **%d** |\n\n' "$lazy_raw" "$lazy_gz" "$lazy_br"

status=0
if [ "$tot_br" -gt "$P1_BR" ]; then
  echo "P1 budget NOT met: $tot_br bytes brotli before the first interaction > $P1_BR" >&2
  status=1
elif [ "$tot_br" -gt "$P1_TARGET_BR" ]; then
  echo "P1 hard gate met ($tot_br bytes brotli <= $P1_BR); target $P1_TARGET_BR not yet"
else
  echo "P1 met: $tot_br bytes brotli <= target $P1_TARGET_BR"
fi
if [ "$lazy_br" -gt "$LAZY_GATE_BR" ]; then
  echo "lazy chunks ratchet exceeded: $lazy_br bytes brotli > $LAZY_GATE_BR" >&2
  status=1
fi
# P2: no size trap linked in (regex, chrono-tz, a second JSON library, an async runtime).
node scripts/size-traps.mjs || status=1
exit $status
