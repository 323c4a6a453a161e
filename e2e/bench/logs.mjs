// Benchmark of the log viewer in headless Chromium against the emulator with a 200,000-line
// server log (`serving-console demo --log-lines 200000`: ~20 MB, 20–400 characters per line,
// ~5 % ANSI SGR, three 100 KB lines, a rare term in five lines):
//   - response → first screen: the logs request's `responseEnd` to the app's
//     `performance.mark('logs:first-screen')` (also `logs:indexed`), per fresh page load
//   - search for a rare term: Enter → first hit highlighted, and → the full match count
//   - rendered rows (and DOM elements) while scrolling: max over a scripted wheel scroll and
//     scrollbar jumps
//   - main-thread long tasks (PerformanceObserver 'longtask') while scrolling: count > 100 ms,
//     count > 50 ms, longest; frame intervals (rAF) p95
// Usage: node e2e/bench/logs.mjs [--runs 5] [--lines 200000] [--cpu 4]    (make bench-logs)
// Results: printed as a table and written to bench-results/logs.json.
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { startServer, launch, ROOT } from '../lib.mjs';
import { median, pct } from './stats.mjs';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const runs = arg('--runs', 5);
const lines = arg('--lines', 200000);
const cpu = arg('--cpu', 1);
const round = (x) => Math.round(x * 10) / 10;

const server = await startServer(['--freeze-time', '--log-lines', String(lines)]);
const b = await launch();
const { page } = b;
const url = `${server.base}/endpoints/fraud-detector-prod/logs?entity=fraud_xgb-7&kind=server&version=12`;
const out = { lines, runs, cpu, loadavg_before: os.loadavg().map((x) => round(x)), first_screen_ms: [], indexed_ms: [], bytes: 0, search_first_hit_ms: [], search_done_ms: [], matches: '', scroll: [] };

try {
  // Warm the emulator's generator (the first request builds and caches the log).
  await fetch(`${server.base}/api/2.0/serving-endpoints/fraud-detector-prod/served-models/fraud_xgb-7/logs`).then((r) => r.arrayBuffer());
  const cdp = await page.context().newCDPSession(page);
  if (cpu > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: cpu });

  for (let i = 0; i < runs + 1; i++) {
    await page.goto('about:blank');
    await page.goto(url);
    await page.waitForFunction(() => performance.getEntriesByName('logs:first-screen').length > 0, null, { timeout: 120000 });
    const t = await page.evaluate(() => {
      const r = performance.getEntriesByType('resource').find((e) => /\/served-models\/[^/]+\/logs/.test(e.name));
      return {
        responseEnd: r.responseEnd,
        bytes: r.encodedBodySize || r.transferSize,
        indexed: performance.getEntriesByName('logs:indexed')[0].startTime,
        firstScreen: performance.getEntriesByName('logs:first-screen')[0].startTime,
      };
    });
    if (i === 0) continue; // warm-up: HTTP cache, JIT
    out.first_screen_ms.push(t.firstScreen - t.responseEnd);
    out.indexed_ms.push(t.indexed - t.responseEnd);
    out.bytes = t.bytes;
  }

  // Search for a rare term: Enter → first highlighted hit, and → full count.
  for (let i = 0; i < runs; i++) {
    await page.getByTestId('log-search').fill('');
    await page.waitForFunction(() => document.querySelector('[data-testid=log-count]')?.dataset.state === 'idle');
    await page.evaluate(() => {
      window.__search = {};
      const input = document.querySelector('[data-testid=log-search]');
      const count = document.querySelector('[data-testid=log-count]');
      input.addEventListener('keydown', (e) => { if (e.key === 'Enter') window.__search.t0 = performance.now(); }, { capture: true, once: true });
      const mo = new MutationObserver(() => {
        const s = window.__search;
        if (s.t0 === undefined) return;
        if (s.hit === undefined && document.querySelector('mark.log-match--current')) s.hit = performance.now() - s.t0;
        if (count.dataset.state === 'done' && s.done === undefined) { s.done = performance.now() - s.t0; s.text = count.textContent; }
      });
      mo.observe(document.querySelector('[data-testid=log-viewer]'), { subtree: true, childList: true, attributes: true, characterData: true });
      window.__search.mo = mo;
    });
    await page.getByTestId('log-search').fill('device-side assert');
    await page.getByTestId('log-search').press('Enter');
    await page.waitForFunction(() => window.__search.done !== undefined && window.__search.hit !== undefined, null, { timeout: 60000 });
    const s = await page.evaluate(() => { window.__search.mo.disconnect(); return window.__search; });
    out.search_first_hit_ms.push(s.hit);
    out.search_done_ms.push(s.done);
    out.matches = s.text;
  }
  await page.getByTestId('log-search').fill('');

  // Scrolling: wheel scroll for ~6 s, then scrollbar jumps; count rows and long tasks.
  for (let i = 0; i < Math.max(1, Math.min(runs, 3)); i++) {
    await page.evaluate(() => {
      const el = document.querySelector('[data-testid=log-scroller]');
      el.scrollTop = 0;
      window.__scroll = { long: [], frames: [], maxRows: 0, maxDom: 0 };
      const s = window.__scroll;
      s.obs = new PerformanceObserver((list) => { for (const e of list.getEntries()) s.long.push(e.duration); });
      s.obs.observe({ type: 'longtask' });
      let last = performance.now();
      const tick = () => {
        const now = performance.now();
        s.frames.push(now - last);
        last = now;
        s.maxRows = Math.max(s.maxRows, document.querySelectorAll('[data-testid=log-row]').length);
        if (!s.stop) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    const box = await page.getByTestId('log-scroller').boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    for (let k = 0; k < 120; k++) {
      await page.mouse.wheel(0, 600);
      await page.waitForTimeout(50);
    }
    for (const f of [0.25, 0.9, 0.5, 0.1, 1.0]) {
      await page.evaluate((frac) => {
        const el = document.querySelector('[data-testid=log-scroller]');
        el.scrollTop = frac * (el.scrollHeight - el.clientHeight);
      }, f);
      await page.waitForTimeout(300);
    }
    const r = await page.evaluate(() => {
      const s = window.__scroll;
      s.stop = true;
      s.obs.disconnect();
      s.maxDom = document.getElementsByTagName('*').length;
      const first = document.querySelector('[data-testid=log-row]')?.dataset.line;
      return { long: s.long, frames: s.frames.slice(2), maxRows: s.maxRows, maxDom: s.maxDom, lastFirstLine: Number(first) };
    });
    out.scroll.push(r);
  }
} finally {
  await b.close();
  await server.stop();
}

const allLong = out.scroll.flatMap((s) => s.long);
const allFrames = out.scroll.flatMap((s) => s.frames);
const rows = [{
  lines: out.lines,
  MB: round(out.bytes / 1e6),
  cpu: `${cpu}×`,
  'response→first screen median ms': Math.round(median(out.first_screen_ms)),
  'response→first screen p95 ms': Math.round(pct(out.first_screen_ms, 95)),
  'response→indexed median ms': Math.round(median(out.indexed_ms)),
  'search first hit median ms': Math.round(median(out.search_first_hit_ms)),
  'search full count median ms': Math.round(median(out.search_done_ms)),
  'search full count p95 ms': Math.round(pct(out.search_done_ms, 95)),
  matches: out.matches,
  'max rows while scrolling': Math.max(...out.scroll.map((s) => s.maxRows)),
  'DOM elements': Math.max(...out.scroll.map((s) => s.maxDom)),
  'long tasks >100 ms while scrolling': allLong.filter((d) => d > 100).length,
  'long tasks >50 ms while scrolling': allLong.filter((d) => d > 50).length,
  'longest task while scrolling ms': Math.round(Math.max(0, ...allLong)),
  'frame interval p95 ms': round(pct(allFrames, 95)),
  'load average (1 min) before/after': `${out.loadavg_before[0]}/${round(os.loadavg()[0])}`,
}];
console.table(rows.map((r) => Object.fromEntries(Object.entries(r))));
for (const [k, v] of Object.entries(rows[0])) console.log(`${k}: ${v}`);
mkdirSync(path.join(ROOT, 'bench-results'), { recursive: true });
writeFileSync(path.join(ROOT, 'bench-results', 'logs.json'), JSON.stringify({ date: new Date().toISOString(), rows, raw: out }, null, 2));
