// budgets.md P2 "No size traps", checked on what ships rather than on the dependency tree:
// leptos_config depends on `regex` (default features) for server-side settings, but none of its
// code is linked into the console. This reads the name section of cargo's wasm (before
// wasm-opt strips it) and fails if any function of a trap crate made it in: regex, a chrono
// time-zone database, a second JSON library, an async runtime. It also prints the code bytes per
// crate (the "what dominates" table of BENCHMARKS.md).
// Usage: node scripts/size-traps.mjs [path/to/serving-console-app.wasm]
import { readFileSync } from 'node:fs';

const file = process.argv[2] || 'target/wasm32-unknown-unknown/wasm-release/serving-console-app.wasm';
const buf = readFileSync(file);
let pos = 8;
const leb = () => {
  let r = 0;
  let shift = 0;
  for (;;) {
    const b = buf[pos++];
    r += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (b < 0x80) return r;
  }
};
let imports = 0;
const bodies = [];
const names = new Map();
while (pos < buf.length) {
  const id = buf[pos++];
  const size = leb();
  const end = pos + size;
  if (id === 2) {
    const n = leb();
    for (let i = 0; i < n; i++) {
      pos += leb(); // module
      pos += leb(); // field
      const kind = buf[pos++];
      if (kind === 0) { leb(); imports++; }
      else if (kind === 1) { pos++; const fl = leb(); leb(); if (fl & 1) leb(); }
      else if (kind === 2) { const fl = leb(); leb(); if (fl & 1) leb(); }
      else if (kind === 3) pos += 2;
      else if (kind === 4) { pos++; leb(); }
    }
  } else if (id === 10) {
    const n = leb();
    for (let i = 0; i < n; i++) { const l = leb(); bodies.push(l); pos += l; }
  } else if (id === 0) {
    const nl = leb();
    const name = buf.toString('utf8', pos, pos + nl);
    pos += nl;
    if (name === 'name') {
      while (pos < end) {
        const sub = buf[pos++];
        const sl = leb();
        const se = pos + sl;
        if (sub === 1) {
          const n = leb();
          for (let i = 0; i < n; i++) {
            const idx = leb();
            const l = leb();
            names.set(idx, buf.toString('utf8', pos, pos + l));
            pos += l;
          }
        }
        pos = se;
      }
    }
  }
  pos = end;
}
if (names.size === 0) {
  console.error(`${file}: no name section (build it with cargo, not trunk's output)`);
  process.exit(2);
}

// Readable path of a legacy-mangled name: `_ZN5alloc3vec3Vec...17h…E` → `alloc::vec::Vec…`,
// with `$LT$`, `..`, `$u20$` and friends decoded.
function readable(raw) {
  let n = raw;
  const m = n.match(/^_ZN(.*)E$/);
  if (m) {
    const parts = [];
    let rest = m[1];
    while (rest.length) {
      const len = rest.match(/^\d+/);
      if (!len) break;
      const l = Number(len[0]);
      parts.push(rest.slice(len[0].length, len[0].length + l));
      rest = rest.slice(len[0].length + l);
    }
    n = parts.filter((p) => !/^h[0-9a-f]{16}$/.test(p)).join('::');
  }
  return n.replace(/\$LT\$/g, '<').replace(/\$GT\$/g, '>').replace(/\$u20\$/g, ' ').replace(/\$RF\$/g, '&')
    .replace(/\$C\$/g, ',').replace(/\$u7b\$/g, '{').replace(/\$u7d\$/g, '}').replace(/\.\./g, '::').replace(/^_</, '<');
}

// The crate a function belongs to: the first path, or for `<T as Trait>::f` the trait's crate
// (generic code instantiated for the console's own types counts as the framework's).
function crateOf(raw) {
  const n = readable(raw);
  const asTrait = n.match(/^<[^>]*? as ([A-Za-z_][A-Za-z0-9_]*)::/);
  if (asTrait) return asTrait[1];
  const path = n.match(/^<?&?(?:mut )?([A-Za-z_][A-Za-z0-9_]*)::/);
  if (path) return path[1];
  if (n.startsWith('_R')) return '(v0-mangled std)';
  return '(other)';
}

const TRAP = /(^|[<\s(&,])(regex|regex_automata|regex_syntax|chrono_tz|tokio|async_std|smol|simd_json|sonic_rs|miniserde)::/;
const byCrate = new Map();
const traps = new Map();
let total = 0;
bodies.forEach((size, i) => {
  const raw = names.get(i + imports) ?? '';
  const crate = crateOf(raw);
  byCrate.set(crate, (byCrate.get(crate) ?? 0) + size);
  const t = readable(raw).match(TRAP);
  if (t) traps.set(t[2], (traps.get(t[2]) ?? 0) + size);
  total += size;
});
const rows = [...byCrate].sort((a, b) => b[1] - a[1]);
console.log(`code bytes by crate (${file}, before wasm-opt and splitting):`);
for (const [c, n] of rows.slice(0, 12)) console.log(`  ${String(n).padStart(8)}  ${(100 * n / total).toFixed(1).padStart(5)} %  ${c}`);
const found = [...traps];
if (found.length) {
  console.error(`P2 size traps linked into the console: ${found.map(([c, n]) => `${c} (${n} B)`).join(', ')}`);
  process.exit(1);
}
console.log('P2: no size trap (regex, chrono-tz, a second JSON library, an async runtime) is linked in');
