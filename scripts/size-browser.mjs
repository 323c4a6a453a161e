// budgets.md P1, counted the way the browser counts: load the built console in Chromium, served by
// `serving-console demo` (default seed) with the HTTP cache disabled (CDP
// `Network.setCacheDisabled`), and sum the brotli size of every console file Chromium requested
// before the endpoints list shows its first rows. What was fetched is taken from the browser's
// network events (CDP), not from the page's own Resource Timing and not from parsing index.html,
// so a file loaded by any means — a static import, a dynamic import, a wasm chunk, a fetch from
// boot.js — is counted; each file's brotli size is computed from the body the browser received
// (`brotli -q 11`, as the rest of scripts/size-report.sh).
//
// "First rows shown": a row of the endpoints table, visible, holding the name of an endpoint
// this script read from the API itself. Requests the browser started before that moment count
// (a request started in the few milliseconds between the rows appearing and this script seeing
// them would be counted too: the error is on the safe side).
//
// Usage: node scripts/size-browser.mjs [DIST] [--server target/debug/serving-console]
//        [--list FILE]   write the counted file names (one a line) to FILE
// Prints a markdown table; exit 0 (the gate is applied by scripts/size-report.sh, which reads
// the total from the last line, `P1_BROWSER_BR=<bytes>`); exit 2 if the measurement fails.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  if (i < 0) return dflt;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
};
const SERVER = path.resolve(ROOT, opt('--server', 'target/debug/serving-console'));
const LIST = opt('--list', null);
const DIST = path.resolve(ROOT, args[0] || 'dist');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const TIMEOUT_MS = 60000;

const fail = (msg) => {
  console.error(`size-browser: ${msg}`);
  process.exit(2);
};
if (!existsSync(path.join(DIST, 'index.html'))) fail(`no ${DIST}/index.html: run make build`);
if (!existsSync(SERVER)) fail(`${SERVER} missing: run make server`);
// playwright-core is installed in e2e/node_modules by scripts/setup.sh.
const { chromium } = createRequire(path.join(ROOT, 'e2e', 'package.json'))('playwright-core');

const freePort = () =>
  new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const server = spawn(SERVER, ['demo', '--addr', `127.0.0.1:${port}`, '--dist', DIST], {
  stdio: ['ignore', 'ignore', 'pipe'],
});
let serverLog = '';
server.stderr.on('data', (d) => (serverLog += d));
const profile = mkdtempSync(path.join(tmpdir(), 'sc-size-'));
let browser;

async function measure() {
  const deadline = Date.now() + 20000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`server exited (${server.exitCode}): ${serverLog}`);
    try {
      if ((await fetch(`${base}/__emulator/health`)).ok) break;
    } catch {}
    if (Date.now() > deadline) throw new Error(`server not healthy in 20 s: ${serverLog}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  // A name the list must show (read here, not from the console).
  const list = await (await fetch(`${base}/api/2.0/serving-endpoints`)).json();
  const names = (list.endpoints ?? []).map((e) => e.name).filter(Boolean);
  if (!names.length) throw new Error('the emulator lists no endpoints');

  browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = browser.pages()[0] || (await browser.newPage());
  const cdp = await browser.newCDPSession(page);
  const requests = new Map(); // requestId → { url, status, done, wire }
  let rowsShown = false;
  cdp.on('Network.requestWillBeSent', (e) => {
    if (rowsShown || requests.has(e.requestId)) return;
    requests.set(e.requestId, { url: e.request.url, status: 0, done: false, wire: 0, failed: false });
  });
  cdp.on('Network.responseReceived', (e) => {
    const r = requests.get(e.requestId);
    if (r) r.status = e.response.status;
  });
  cdp.on('Network.loadingFinished', (e) => {
    const r = requests.get(e.requestId);
    if (r) Object.assign(r, { done: true, wire: e.encodedDataLength });
  });
  cdp.on('Network.loadingFailed', (e) => {
    const r = requests.get(e.requestId);
    if (r) Object.assign(r, { done: true, failed: true });
  });
  await cdp.send('Network.enable', { maxTotalBufferSize: 200e6, maxResourceBufferSize: 100e6 });
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });

  await page.goto(`${base}/`);
  const row = page.locator('[data-testid=endpoint-row]', { hasText: new RegExp(names.map(escape).join('|')) });
  await row.first().waitFor({ state: 'visible', timeout: TIMEOUT_MS });
  rowsShown = true;

  // Wait for the counted requests to finish, then read their bodies.
  const until = Date.now() + TIMEOUT_MS;
  while ([...requests.values()].some((r) => !r.done)) {
    if (Date.now() > until) throw new Error('requests did not finish');
    await new Promise((r) => setTimeout(r, 50));
  }
  const files = [];
  const others = [];
  for (const [id, r] of requests) {
    const u = new URL(r.url);
    const api = /^\/(api|serving-endpoints|__emulator)(\/|$)/.test(u.pathname);
    if (u.origin !== base || api) {
      others.push(r);
      continue;
    }
    if (r.failed) throw new Error(`${u.pathname} failed to load`);
    const { body, base64Encoded } = await cdp.send('Network.getResponseBody', { requestId: id });
    const bytes = Buffer.from(body, base64Encoded ? 'base64' : 'utf8');
    const br = spawnSync('brotli', ['-q', '11', '-c'], { input: bytes, maxBuffer: 1 << 30 });
    if (br.status !== 0) throw new Error(`brotli failed: ${br.stderr}`);
    files.push({ path: u.pathname, status: r.status, raw: bytes.length, br: br.stdout.length, wire: r.wire });
  }
  return { files, others };
}

function escape(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

let result;
try {
  result = await measure();
} catch (e) {
  fail(String(e?.stack || e));
} finally {
  await browser?.close().catch(() => {});
  server.kill('SIGTERM');
  rmSync(profile, { recursive: true, force: true });
}

const { files, others } = result;
console.log('### Fetched by Chromium before the endpoints list shows its first rows (P1)');
console.log('(`serving-console demo`, default seed, HTTP cache disabled; brotli -q 11 of each body received)\n');
console.log('| file | status | raw | brotli | on the wire |\n|---|---:|---:|---:|---:|');
let raw = 0;
let br = 0;
let wire = 0;
for (const f of files) {
  console.log(`| ${f.path} | ${f.status} | ${f.raw} | ${f.br} | ${f.wire} |`);
  raw += f.raw;
  br += f.br;
  wire += f.wire;
}
console.log(`| **total (${files.length} files)** | | **${raw}** | **${br}** | **${wire}** |\n`);
console.log(`Also requested (API, not counted): ${others.map((r) => new URL(r.url).pathname).join(', ') || 'none'}\n`);
if (LIST) {
  const names = files.map((f) => (f.path.endsWith('/') || !path.basename(f.path).includes('.') ? 'index.html' : path.basename(f.path)));
  writeFileSync(LIST, `${[...new Set(names)].join('\n')}\n`);
}
console.log(`P1_BROWSER_BR=${br}`);
