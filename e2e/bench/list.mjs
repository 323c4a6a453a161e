// Benchmark of the endpoints list in headless Chromium against the emulator:
//   - time from navigation start to `list:rendered` (performance mark set by the app)
//   - filter keystroke → next paint, median and p95 over ≥ 20 keystrokes
//   - DOM element count with N endpoints (must not grow with N)
// Usage: node e2e/bench/list.mjs [--runs 7]    (make bench)
// Results: printed as a table and written to bench-results/list.json.
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { startServer, launch, ROOT } from '../lib.mjs';
import { median, pct } from './stats.mjs';

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 7;

async function measure(n) {
  const server = await startServer(['--freeze-time', '--generate', String(n)]);
  const b = await launch();
  const out = { endpoints: n, render_ms: [], keystroke_ms: [], dom_elements: [] };
  try {
    for (let i = 0; i < runs + 1; i++) {
      await b.page.goto(`${server.base}/endpoints`);
      await b.page.waitForFunction(() => performance.getEntriesByName('list:rendered').length > 0, null, { timeout: 60000 });
      const t = await b.page.evaluate(() => performance.getEntriesByName('list:rendered')[0].startTime);
      if (i > 0) out.render_ms.push(t); // first run warms the HTTP cache and the JIT
      out.dom_elements.push(await b.page.evaluate(() => document.getElementsByTagName('*').length));
    }
    // Keystroke → next paint, measured in the page: keydown time to the first animation frame
    // after the input handler ran, plus a macrotask (the paint happens between them).
    await b.page.evaluate(() => {
      window.__lat = [];
      const input = document.querySelector('input[type=search]');
      input.addEventListener('keydown', () => {
        const t0 = performance.now();
        requestAnimationFrame(() => setTimeout(() => window.__lat.push(performance.now() - t0), 0));
      }, { capture: true });
    });
    const box = b.page.getByRole('searchbox', { name: 'Search' });
    await box.click();
    for (const word of ['fraud', 'churn', 'gen-0042', 'xgb', 'zz']) {
      for (const ch of word) {
        await b.page.keyboard.press(ch === '-' ? 'Minus' : ch);
        await b.page.waitForTimeout(60);
      }
      for (let k = 0; k < word.length; k++) {
        await b.page.keyboard.press('Backspace');
        await b.page.waitForTimeout(60);
      }
    }
    out.keystroke_ms = await b.page.evaluate(() => window.__lat);
  } finally {
    await b.close();
    await server.stop();
  }
  return out;
}

const results = [];
for (const n of [1000, 10000]) results.push(await measure(n));
const rows = results.map((r) => ({
  endpoints: r.endpoints,
  'list:rendered median ms': Math.round(median(r.render_ms)),
  'list:rendered p95 ms': Math.round(pct(r.render_ms, 95)),
  keystrokes: r.keystroke_ms.length,
  'keystroke→paint median ms': +median(r.keystroke_ms).toFixed(1),
  'keystroke→paint p95 ms': +pct(r.keystroke_ms, 95).toFixed(1),
  'DOM elements': median(r.dom_elements),
}));
console.table(rows);
mkdirSync(path.join(ROOT, 'bench-results'), { recursive: true });
writeFileSync(path.join(ROOT, 'bench-results', 'list.json'), JSON.stringify({ date: new Date().toISOString(), runs, rows, raw: results }, null, 2));
