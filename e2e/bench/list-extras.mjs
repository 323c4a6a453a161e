// Further figures of the endpoints list (budgets.md P4) in headless Chromium against
// `serving-console demo --freeze-time --generate N`, for N = 1,000, 10,000 and 50,000:
//   - response → list:rendered: the list request's `responseEnd` (Resource Timing) to the app's
//     `performance.mark('list:rendered')` (JSON decode + first render of the list)
//   - sort: click on a column header → next paint (in-page: the click event to the first
//     animation frame after the header's `aria-sort` changed, plus a macrotask), over ≥ 10
//     clicks cycling through the five sortable columns, at 1× and 4× CDP CPU throttling (10k only
//     by default)
//   - JS heap after a forced GC (CDP HeapProfiler.collectGarbage, Performance.getMetrics
//     JSHeapUsedSize) and the wasm linear memory (`memory.buffer.byteLength` of the instance
//     that boot.js announces with the `TrunkApplicationStarted` event)
//   - DOM element count (document.getElementsByTagName('*')) after the list has rendered
// Usage: node e2e/bench/list-extras.mjs [--clicks 15] [--sizes 1000,10000,50000] [--sort-sizes 10000]
// Results: printed as a table and written to bench-results/list-extras.json.
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { startServer, launch, ROOT } from '../lib.mjs';
import { median, pct } from './stats.mjs';

const argv = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const clicks = Number(argv('--clicks', 15));
const sizes = argv('--sizes', '1000,10000,50000').split(',').map(Number);
const sortSizes = argv('--sort-sizes', '10000').split(',').map(Number);
const round = (x) => Math.round(x * 10) / 10;
const COLUMNS = ['Name', 'State', 'Task', 'Creator', 'Last updated'];

async function sortClicks(page, n) {
  const out = [];
  await page.evaluate(() => {
    window.__sort = [];
    if (window.__sortListener) return; // one listener per page, however often this is called
    window.__sortListener = true;
    const table = document.querySelector('table');
    document.addEventListener('click', (e) => {
      if (!e.target.closest?.('th button')) return;
      const t0 = performance.now();
      const mo = new MutationObserver((recs) => {
        if (!recs.some((r) => r.type === 'attributes' && r.attributeName === 'aria-sort')) return;
        mo.disconnect();
        const tMut = performance.now() - t0;
        requestAnimationFrame(() => setTimeout(() => window.__sort.push({ mutation: tMut, paint: performance.now() - t0 }), 0));
      });
      mo.observe(table, { subtree: true, attributes: true, attributeFilter: ['aria-sort'] });
    }, { capture: true });
  });
  for (let k = 0; k < n; k++) {
    const before = await page.evaluate(() => window.__sort.length);
    await page.getByRole('button', { name: COLUMNS[k % COLUMNS.length], exact: true }).click();
    await page.waitForFunction((m) => window.__sort.length > m, before, { timeout: 30000 });
    await page.waitForTimeout(150);
  }
  out.push(...(await page.evaluate(() => window.__sort)));
  return out;
}

async function measure(n) {
  const server = await startServer(['--freeze-time', '--generate', String(n)]);
  const b = await launch();
  const { page, context } = b;
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  await page.addInitScript(() => {
    addEventListener('TrunkApplicationStarted', (e) => { window.__wasm = e.detail.wasm; });
  });
  const out = { endpoints: n, response_to_rendered_ms: [], sort: {}, errors: b.errors };
  try {
    await fetch(`${server.base}/api/2.0/serving-endpoints`).then((r) => r.arrayBuffer());
    for (let i = 0; i < 4; i++) {
      await page.goto('about:blank');
      await page.goto(`${server.base}/endpoints`);
      await page.waitForFunction(() => performance.getEntriesByName('list:rendered').length > 0, null, { timeout: 120000 });
      const t = await page.evaluate(() => {
        const r = performance.getEntriesByType('resource').find((e) => new URL(e.name).pathname === '/api/2.0/serving-endpoints');
        return { rendered: performance.getEntriesByName('list:rendered')[0].startTime, responseEnd: r?.responseEnd, bytes: r?.encodedBodySize };
      });
      out.list_bytes = t.bytes;
      if (i > 0) out.response_to_rendered_ms.push(t.rendered - t.responseEnd);
    }
    // Let the chunk prefetch and the list refinement settle, then count and weigh.
    await page.waitForTimeout(3000);
    out.dom_elements = await page.evaluate(() => document.getElementsByTagName('*').length);
    out.rows = await page.evaluate(() => document.querySelectorAll('tbody tr').length);
    await cdp.send('HeapProfiler.collectGarbage');
    const { metrics } = await cdp.send('Performance.getMetrics');
    out.js_heap_mb = round(metrics.find((m) => m.name === 'JSHeapUsedSize').value / 1e6);
    out.wasm_memory_mb = round(await page.evaluate(() => (window.__wasm?.memory?.buffer?.byteLength ?? NaN) / 1e6));

    if (sortSizes.includes(n)) {
      for (const rate of [1, 4]) {
        await cdp.send('Emulation.setCPUThrottlingRate', { rate });
        await sortClicks(page, 2); // warm-up
        out.sort[`${rate}x`] = await sortClicks(page, clicks);
      }
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
      out.dom_elements_after_sort = await page.evaluate(() => document.getElementsByTagName('*').length);
      await cdp.send('HeapProfiler.collectGarbage');
      const m2 = (await cdp.send('Performance.getMetrics')).metrics;
      out.js_heap_after_sort_mb = round(m2.find((m) => m.name === 'JSHeapUsedSize').value / 1e6);
      out.wasm_memory_after_sort_mb = round(await page.evaluate(() => (window.__wasm?.memory?.buffer?.byteLength ?? NaN) / 1e6));
    }
  } finally {
    await b.close();
    await server.stop();
  }
  return out;
}

const loadBefore = round(os.loadavg()[0]);
const results = [];
for (const n of sizes) results.push(await measure(n));
const rows = results.map((r) => ({
  endpoints: r.endpoints,
  'list JSON MB': round(r.list_bytes / 1e6),
  'response→list:rendered median ms': Math.round(median(r.response_to_rendered_ms)),
  'DOM elements': r.dom_elements,
  'tbody rows': r.rows,
  'JS heap MB (after GC)': r.js_heap_mb,
  'wasm memory MB': r.wasm_memory_mb,
  ...(r.sort['1x'] ? {
    'sort→paint 1× median ms': round(median(r.sort['1x'].map((s) => s.paint))),
    'sort→paint 1× p95 ms': round(pct(r.sort['1x'].map((s) => s.paint), 95)),
    'sort→paint 4× median ms': round(median(r.sort['4x'].map((s) => s.paint))),
    'sort→paint 4× p95 ms': round(pct(r.sort['4x'].map((s) => s.paint), 95)),
    clicks: r.sort['1x'].length,
    'DOM after sorting': r.dom_elements_after_sort,
    'JS heap / wasm MB after sorting': `${r.js_heap_after_sort_mb} / ${r.wasm_memory_after_sort_mb}`,
  } : {}),
  'page errors': r.errors.length,
}));
for (const r of rows) {
  console.log('---');
  for (const [k, v] of Object.entries(r)) console.log(`${k}: ${v}`);
}
console.log(`load average (1 min) before/after: ${loadBefore}/${round(os.loadavg()[0])}`);
mkdirSync(path.join(ROOT, 'bench-results'), { recursive: true });
writeFileSync(path.join(ROOT, 'bench-results', 'list-extras.json'), JSON.stringify({ date: new Date().toISOString(), clicks, rows, raw: results }, null, 2));
