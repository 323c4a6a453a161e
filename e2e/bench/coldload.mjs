// Benchmark of the cold and warm load of the console (budgets.md P3) in headless Chromium
// against `serving-console demo --generate 1000` (1,000 generated endpoints + the 17 seeded):
//   - cold: a fresh browser context (empty HTTP cache, no compiled-code cache) per run →
//     FCP (`paint` entries), LCP, and the app's `performance.mark('list:rendered')`
//   - bytes transferred before `list:rendered` (Resource Timing `transferSize`, which includes
//     headers, and `encodedBodySize`) and after it (the lazily loaded wasm chunks the console
//     prefetches 1 s after the list has rendered)
//   - warm: one context, first load fills the cache, then the same URL is loaded again per run
//     (assets are `immutable`; index.html and the API are revalidated / re-fetched)
// Usage: node e2e/bench/coldload.mjs [--runs 15] [--warmup 3] [--generate 1000] [--cpu 1]
// Results: printed as a table and written to bench-results/coldload.json.
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { chromium } from 'playwright-core';
import { startServer, ROOT } from '../lib.mjs';
import { median, pct } from './stats.mjs';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const runs = arg('--runs', 15);
const warmup = arg('--warmup', 3);
const generate = arg('--generate', 1000);
const cpu = arg('--cpu', 1);
const round = (x) => Math.round(x * 10) / 10;

// Same flags as e2e/lib.mjs launch() (playwright gives the browser a fresh temporary profile),
// but one browser and a new (incognito-like) context per cold run: each context has its own
// empty HTTP cache.
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const server = await startServer(['--freeze-time', '--generate', String(generate)]);
const url = `${server.base}/endpoints`;

// Installed before any page script: LCP observer (LCP entries are not readable after the fact
// unless buffered, which they are; the observer keeps the last one).
const initScript = () => {
  window.__lcp = 0;
  new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__lcp = e.startTime; })
    .observe({ type: 'largest-contentful-paint', buffered: true });
};

async function newPage(context) {
  const page = await context.newPage();
  await page.addInitScript(initScript);
  if (cpu > 1) {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: cpu });
  }
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  return { page, errors };
}

/** Load `url` in `page` and read paint entries, marks and resource timing. */
async function load(page, { waitPrefetch }) {
  await page.goto(url);
  await page.waitForFunction(() => performance.getEntriesByName('list:rendered').length > 0, null, { timeout: 60000 });
  if (waitPrefetch) {
    // The chunks are prefetched 1 s after list:rendered; wait until the resource list is quiet.
    let n = -1;
    for (let k = 0; k < 40; k++) {
      await page.waitForTimeout(250);
      const m = await page.evaluate(() => performance.getEntriesByType('resource').length);
      if (m === n && k >= 8) break;
      n = m;
    }
  }
  return page.evaluate(() => {
    const listRendered = performance.getEntriesByName('list:rendered')[0].startTime;
    const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN;
    const nav = performance.getEntriesByType('navigation')[0];
    const res = performance.getEntriesByType('resource').map((e) => ({
      name: new URL(e.name).pathname, start: e.startTime, end: e.responseEnd,
      transfer: e.transferSize, encoded: e.encodedBodySize, decoded: e.decodedBodySize,
    }));
    res.unshift({ name: 'document', start: 0, end: nav.responseEnd, transfer: nav.transferSize, encoded: nav.encodedBodySize, decoded: nav.decodedBodySize });
    return { fcp, lcp: window.__lcp, listRendered, res, dom: document.getElementsByTagName('*').length };
  });
}

const sum = (xs, k) => xs.reduce((a, e) => a + e[k], 0);
const out = { generate, runs, warmup, cpu, url, loadavg_before: os.loadavg().map(round), cold: [], warm: [], errors: [] };
try {
  // Warm the server (the generated list is built on first request) and the browser process.
  await fetch(`${server.base}/api/2.0/serving-endpoints`).then((r) => r.arrayBuffer());

  for (let i = 0; i < warmup + runs; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const { page, errors } = await newPage(context);
    const r = await load(page, { waitPrefetch: i === warmup }); // one run also records the prefetch
    out.errors.push(...errors);
    if (i >= warmup) {
      const before = r.res.filter((e) => e.end <= r.listRendered);
      const after = r.res.filter((e) => e.end > r.listRendered);
      const isApi = (e) => e.name.startsWith('/api/');
      out.cold.push({
        fcp: r.fcp, lcp: r.lcp, listRendered: r.listRendered, dom: r.dom,
        before: { requests: before.length, transfer: sum(before, 'transfer'), encoded: sum(before, 'encoded'), decoded: sum(before, 'decoded'),
          static_transfer: sum(before.filter((e) => !isApi(e)), 'transfer'), api_transfer: sum(before.filter(isApi), 'transfer') },
        after: { requests: after.length, transfer: sum(after, 'transfer'), encoded: sum(after, 'encoded'), decoded: sum(after, 'decoded'),
          wasm_requests: after.filter((e) => e.name.endsWith('.wasm')).length, wasm_transfer: sum(after.filter((e) => e.name.endsWith('.wasm')), 'transfer'),
          api_requests: after.filter(isApi).length },
        resources: i === warmup ? r.res : undefined,
      });
    }
    await context.close();
  }

  // Warm cache: one context; the first load (plus the chunk prefetch) fills the cache.
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const { page, errors } = await newPage(context);
  await load(page, { waitPrefetch: true });
  for (let i = 0; i < warmup + runs; i++) {
    await page.goto('about:blank');
    const r = await load(page, { waitPrefetch: false });
    if (i >= warmup) {
      const before = r.res.filter((e) => e.end <= r.listRendered);
      out.warm.push({
        fcp: r.fcp, lcp: r.lcp, listRendered: r.listRendered,
        before: { requests: before.length, transfer: sum(before, 'transfer'), fromCache: before.filter((e) => e.transfer === 0).length },
      });
    }
  }
  out.errors.push(...errors);
  await context.close();
} finally {
  await browser.close();
  await server.stop();
}
out.loadavg_after = os.loadavg().map(round);

const col = (xs, k) => xs.map((x) => x[k]);
const rows = [
  ['cold', out.cold],
  ['warm', out.warm],
].map(([kind, xs]) => ({
  kind,
  runs: xs.length,
  'FCP median ms': Math.round(median(col(xs, 'fcp'))),
  'FCP p95 ms': Math.round(pct(col(xs, 'fcp'), 95)),
  'LCP median ms': kind === 'cold' ? Math.round(median(col(xs, 'lcp'))) : '-',
  'list:rendered median ms': Math.round(median(col(xs, 'listRendered'))),
  'list:rendered p95 ms': Math.round(pct(col(xs, 'listRendered'), 95)),
  'requests before list:rendered': median(xs.map((x) => x.before.requests)),
  'bytes transferred before list:rendered': median(xs.map((x) => x.before.transfer)),
}));
console.table(rows);
const c = out.cold;
const bytes = {
  'before list:rendered: requests': median(c.map((x) => x.before.requests)),
  'before: transferSize (incl. headers)': median(c.map((x) => x.before.transfer)),
  'before: encodedBodySize': median(c.map((x) => x.before.encoded)),
  'before: decodedBodySize': median(c.map((x) => x.before.decoded)),
  'before: static files transferSize (html, js, css, wasm, favicon, config.json)': median(c.map((x) => x.before.static_transfer)),
  'before: API transferSize (scim/Me + the endpoints list)': median(c.map((x) => x.before.api_transfer)),
  'after list:rendered (one run, ~8 s): wasm chunks': c.find((x) => x.resources)?.after.wasm_requests,
  'after: wasm chunks transferSize': c.find((x) => x.resources)?.after.wasm_transfer,
  'after: API requests (list refinement, 5/s)': c.find((x) => x.resources)?.after.api_requests,
  'warm: resources from cache (transferSize 0) before list:rendered': median(out.warm.map((x) => x.before.fromCache)),
  'DOM elements at list:rendered': median(c.map((x) => x.dom)),
  'page errors': out.errors.length,
  'load average (1 min) before/after': `${out.loadavg_before[0]}/${out.loadavg_after[0]}`,
};
for (const [k, v] of Object.entries(bytes)) console.log(`${k}: ${v}`);
const api = c.find((x) => x.resources)?.resources.find((e) => e.name === '/api/2.0/serving-endpoints');
if (api) console.log(`list API response: ${api.encoded} bytes encoded, ${api.decoded} decoded`);
mkdirSync(path.join(ROOT, 'bench-results'), { recursive: true });
writeFileSync(path.join(ROOT, 'bench-results', 'coldload.json'), JSON.stringify({ date: new Date().toISOString(), rows, bytes, raw: out }, null, 2));
