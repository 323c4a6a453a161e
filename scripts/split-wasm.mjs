// Split the console's wasm into the first-screen module and lazily loaded chunks.
//
// Run by scripts/trunk-post-build.sh on release builds, in trunk's staging directory. Trunk has
// no step between `cargo build` and `wasm-bindgen`, which is where splitting must happen, so this
// redoes that part from cargo's output (built with `-Clink-args=--emit-relocs`, .cargo/config.toml)
// and replaces trunk's main .js/.wasm in place:
//   1. wasm-split-cli: code reachable only from a split point of src/chunks.rs moves to
//      split_<name>.wasm (+ chunk_<n>.wasm for code shared by several splits), loaded by a
//      generated __wasm_split.js the first time the split function is called;
//   2. wasm-bindgen --target web on the remaining main module (--keep-lld-exports: the chunks
//      import the memory, table and shared functions from it);
//   3. wasm-opt -Oz on every module;
//   4. content-hashed names for the chunks and the loader (immutable caching, nginx/serving-console
//      match `-<hex>.wasm|js`), trunk's names for the main .js/_bg.wasm (their hash already
//      changes with the code), and index.html's SRI `integrity` updated for the replaced files.
// Usage: node scripts/split-wasm.mjs <staging dir> <cargo wasm>
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const [staging, input] = process.argv.slice(2);
if (!staging || !input) {
  console.error('usage: split-wasm.mjs <staging dir> <cargo wasm>');
  process.exit(2);
}
const run = (cmd, args) => execFileSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'] });
const hex = (buf, n = 16) => createHash('sha256').update(buf).digest('hex').slice(0, n);
const sri = (buf) => 'sha384-' + createHash('sha384').update(buf).digest('base64');

// Trunk's main files: <stem>.js and <stem>_bg.wasm.
const files = readdirSync(staging);
const js = files.find((f) => /^serving-console-app-[0-9a-f]+\.js$/.test(f));
if (!js) throw new Error(`no serving-console-app-<hash>.js in ${staging}`);
const stem = js.slice(0, -3);
const mainWasm = `${stem}_bg.wasm`;

const work = mkdtempSync(path.join(tmpdir(), 'sc-split-'));
try {
  run('wasm-split-cli', [input, work, '--out-name', stem]);
  const bg = path.join(work, 'bg');
  run('wasm-bindgen', [
    '--target', 'web', '--keep-lld-exports', '--no-typescript',
    '--out-name', stem, '--out-dir', bg, path.join(work, `${stem}.wasm`),
  ]);
  const optimize = (f) =>
    run('wasm-opt', [
      '-Oz', '--strip-debug', '--strip-producers',
      '--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--enable-sign-ext',
      '--enable-mutable-globals', '--enable-reference-types', '--enable-multivalue',
      f, '-o', f,
    ]);

  // Chunks: optimise, name by content, point the loader at the new names.
  let loader = readFileSync(path.join(work, '__wasm_split.js'), 'utf8');
  const chunks = readdirSync(work).filter((f) => /^(split|chunk)_\w+\.wasm$/.test(f));
  if (chunks.length === 0) throw new Error('wasm-split-cli produced no chunks (no split points?)');
  for (const f of chunks) {
    const p = path.join(work, f);
    optimize(p);
    const named = `${f.slice(0, -5)}-${hex(readFileSync(p))}.wasm`;
    const ref = `"./${f}"`;
    if (!loader.includes(ref)) throw new Error(`__wasm_split.js does not load ${f}`);
    loader = loader.split(ref).join(`"./${named}"`);
    copyFileSync(p, path.join(staging, named));
  }
  const loaderName = `__wasm_split-${hex(loader)}.js`;
  writeFileSync(path.join(staging, loaderName), loader);

  // Main module: the JS imports the loader by its new name (the wasm's import module name, the
  // key of the imports object, stays "./__wasm_split.js").
  optimize(path.join(bg, `${stem}_bg.wasm`));
  let mainJs = readFileSync(path.join(bg, `${stem}.js`), 'utf8');
  const from = /from "\.\/__wasm_split\.js"/g;
  if (!from.test(mainJs)) throw new Error('main JS does not import ./__wasm_split.js');
  mainJs = mainJs.replace(from, `from "./${loaderName}"`);
  writeFileSync(path.join(staging, js), mainJs);
  copyFileSync(path.join(bg, `${stem}_bg.wasm`), path.join(staging, mainWasm));

  // index.html: the integrity of the two replaced files.
  const indexPath = path.join(staging, 'index.html');
  let index = readFileSync(indexPath, 'utf8');
  for (const f of [js, mainWasm]) {
    const re = new RegExp(`(href=["']?[^"' >]*${f.replace(/[.]/g, '\\.')}["']?[^>]*?integrity=["']?)sha384-[A-Za-z0-9+/=]+`);
    const re2 = new RegExp(`(integrity=["']?)sha384-[A-Za-z0-9+/=]+(["']?[^>]*?href=["']?[^"' >]*${f.replace(/[.]/g, '\\.')})`);
    const digest = sri(readFileSync(path.join(staging, f)));
    if (re.test(index)) index = index.replace(re, `$1${digest}`);
    else if (re2.test(index)) index = index.replace(re2, `$1${digest}$2`);
    else throw new Error(`index.html has no integrity for ${f}`);
  }
  writeFileSync(indexPath, index);
  console.log(`split-wasm: ${stem}: main + ${chunks.length} chunks, loader ${loaderName}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
