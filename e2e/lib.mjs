// Shared helpers for the end-to-end journeys: start the real server (emulator + built console)
// on a free loopback port, launch Debian's Chromium through playwright-core, talk to the
// emulator's control API, run axe-core. A test file calls `journey([...server args])` once at
// its top and then uses the `server` and `browser` it exports (node --test runs each file in a
// process of its own).
import { before, after } from 'node:test';
import AxeBuilder from '@axe-core/playwright';
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const ARTIFACTS = path.join(ROOT, 'e2e', 'artifacts');
const SERVER = path.join(ROOT, 'target', 'debug', 'serving-console');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export async function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Start `serving-console demo --control` with extra args; resolves when healthy. */
export async function startServer(extra = []) {
  if (!existsSync(SERVER)) throw new Error(`${SERVER} missing: run \`make server\` first`);
  if (!existsSync(path.join(ROOT, 'dist', 'index.html'))) throw new Error('dist/ missing: run `make build` first');
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const proc = spawn(SERVER, ['demo', '--addr', `127.0.0.1:${port}`, '--dist', path.join(ROOT, 'dist'), '--control', ...extra], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  proc.stdout.on('data', (d) => (log += d));
  proc.stderr.on('data', (d) => (log += d));
  const deadline = Date.now() + 20000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`server exited early (${proc.exitCode}):\n${log}`);
    try {
      const r = await fetch(`${base}/__emulator/health`);
      if (r.ok) break;
    } catch {}
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`server not healthy in 20 s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    base,
    proc,
    log: () => log,
    async control(method, p, body) {
      const r = await fetch(`${base}/__emulator/${p}`, {
        method,
        headers: body ? { 'content-type': 'application/json' } : {},
        body: body ? JSON.stringify(body) : undefined,
      });
      if (!r.ok) throw new Error(`control ${method} ${p}: ${r.status} ${await r.text()}`);
      const t = await r.text();
      return t ? JSON.parse(t) : null;
    },
    async stop() {
      proc.kill('SIGTERM');
      await new Promise((r) => (proc.exitCode !== null ? r() : proc.once('exit', r)));
    },
  };
}

/** A fresh persistent Chromium context (fresh profile dir); returns { context, page, close }. */
export async function launch() {
  const dir = mkdtempSync(path.join(tmpdir(), 'sc-e2e-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] || (await context.newPage());
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  return {
    context,
    page,
    errors,
    async close() {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page, name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** The server of this file's journey (set by `journey`, before the first test). */
export let server;
/** The browser of this file's journey: `{ context, page, errors, close }`. */
export let browser;

/**
 * Start the server (`serving-console demo --control` with `args`) and a browser before the
 * file's tests, close both after them. `setUp()` runs once both are there, `tearDown()` before
 * they are closed.
 */
export function journey(args = ['--freeze-time'], { setUp, tearDown } = {}) {
  before(async () => {
    server = await startServer(args);
    browser = await launch();
    await setUp?.();
  });
  after(async () => {
    await tearDown?.();
    await browser?.close();
    await server?.stop();
  });
}

/** axe-core on the page: each violation as `id (impact): targets` (none: `[]`). */
export async function axe(page, tags) {
  const builder = new AxeBuilder({ page });
  const r = await (tags ? builder.withTags(tags) : builder).analyze();
  return r.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}
