// Benchmark of the Schema tab on a generated OpenAPI document (serving-console demo
// --schema-mb N: 4 served models × 2,000 columns, thousands of component schemas, $ref chains
// 40 deep with cycles, a 200-way oneOf), in headless Chromium against the emulator:
//   - time to interactive: navigation start → `schema:interactive` (the explorer mounted and
//     painted: document fetched, parsed, first tree rendered), and its parts (fetch, the rest)
//   - expand a node: key press → next paint, over a fixed walk of expansions (incl. 2,000-row
//     tuples and records), median / p95 / max
//   - search by property name: time inside the app (`schema:search` measure), median / max
//   - DOM elements after the walk and after "Expand all" (the tree is virtualised)
//   - JS heap (CDP, after GC) and wasm linear memory
// Usage: node e2e/bench/schema.mjs [--mb 10] [--runs 5]    (make bench-schema)
// Results: printed and written to bench-results/schema.json.
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { startServer, launch, ROOT } from '../lib.mjs';
import { median, pct } from './stats.mjs';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const mb = arg('--mb', 10);
const runs = arg('--runs', 5);
const r1 = (x) => Math.round(x * 10) / 10;

const server = await startServer(['--freeze-time', '--schema-mb', String(mb)]);
const b = await launch();
const { page, context } = b;
const cdp = await context.newCDPSession(page);
await cdp.send('Performance.enable');
await page.addInitScript(() => {
  addEventListener('TrunkApplicationStarted', (e) => { window.__wasm = e.detail.wasm; });
});
const out = { mb, runs, document_bytes: 0, tti_ms: [], fetch_ms: [], after_fetch_ms: [], expand_ms: [], search_ms: [] };
try {
  const url = `${server.base}/endpoints/schema-bench/schema`;
  for (let i = 0; i < runs + 1; i++) {
    await page.goto(url);
    await page.waitForFunction(() => performance.getEntriesByName('schema:interactive').length > 0, null, { timeout: 120000 });
    const t = await page.evaluate(() => {
      const m = performance.getEntriesByName('schema:interactive')[0].startTime;
      const r = performance.getEntriesByType('resource').find((e) => e.name.endsWith('/openapi'));
      return { m, fetchStart: r?.startTime ?? 0, fetchEnd: r?.responseEnd ?? 0, size: r?.decodedBodySize ?? 0 };
    });
    if (i === 0) { out.document_bytes = t.size; continue; } // the first run warms caches and the JIT
    out.tti_ms.push(t.m);
    out.fetch_ms.push(t.fetchEnd - t.fetchStart);
    out.after_fetch_ms.push(t.m - t.fetchEnd);
  }
  // Key press → next paint for each expansion.
  await page.evaluate(() => {
    window.__lat = [];
    document.addEventListener('keydown', () => {
      const t0 = performance.now();
      requestAnimationFrame(() => setTimeout(() => window.__lat.push(performance.now() - t0), 0));
    }, { capture: true });
  });
  const tabs = page.getByRole('tab');
  for (let t = 0; t < 4; t++) {
    await tabs.nth(t).click();
    await page.getByRole('treeitem').first().waitFor();
    const first = page.getByRole('treeitem').first();
    await first.focus();
    // Expand the first row, then walk down expanding each expandable row we reach.
    for (let k = 0; k < 12; k++) {
      const before = await page.evaluate(() => window.__lat.length);
      await page.keyboard.press('ArrowRight');
      await page.waitForFunction((n) => window.__lat.length > n, before);
      const before2 = await page.evaluate(() => window.__lat.length);
      await page.keyboard.press('ArrowDown');
      await page.waitForFunction((n) => window.__lat.length > n, before2);
    }
  }
  out.expand_ms = await page.evaluate(() => window.__lat);
  out.dom_after_walk = await page.evaluate(() => document.getElementsByTagName('*').length);
  // Expand all (5,000 rows open; only the visible ones are in the DOM).
  await page.getByRole('button', { name: 'Expand all' }).first().click();
  await page.waitForFunction(() => /\d{4,} rows|[5-9],?\d{3} rows/.test(document.body.textContent));
  out.dom_after_expand_all = await page.evaluate(() => document.getElementsByTagName('*').length);
  out.rows_after_expand_all = await page.evaluate(() => document.querySelector('[data-testid=schema-row-count]')?.textContent);
  // Search by property name (the app measures its own search).
  for (const q of ['feature_01999', 'mixin', 'extra', 'head', 'gamma', 'feature_00007', 'choice', 'zzz-none']) {
    await page.evaluate(() => performance.clearMeasures('schema:search'));
    await page.getByLabel('Search the schema').fill(q);
    await page.waitForFunction(() => performance.getEntriesByName('schema:search').length > 0, null, { timeout: 60000 });
    out.search_ms.push(await page.evaluate(() => performance.getEntriesByName('schema:search')[0].duration));
  }
  await cdp.send('HeapProfiler.collectGarbage');
  const metrics = (await cdp.send('Performance.getMetrics')).metrics;
  out.js_heap_mb = r1(metrics.find((m) => m.name === 'JSHeapUsedSize').value / 1e6);
  out.wasm_memory_mb = r1(await page.evaluate(() => (window.__wasm?.memory?.buffer?.byteLength ?? 0) / 1e6));
  out.page_errors = b.errors.length;
} finally {
  await b.close();
  await server.stop();
}
const row = {
  'document MB': r1(out.document_bytes / 1e6),
  'TTI median ms': Math.round(median(out.tti_ms)),
  'TTI p95 ms': Math.round(pct(out.tti_ms, 95)),
  'fetch median ms': Math.round(median(out.fetch_ms)),
  'parse+render median ms': Math.round(median(out.after_fetch_ms)),
  expansions: out.expand_ms.length,
  'expand median ms': r1(median(out.expand_ms)),
  'expand p95 ms': r1(pct(out.expand_ms, 95)),
  'expand max ms': r1(Math.max(...out.expand_ms)),
  'search median ms': r1(median(out.search_ms)),
  'search max ms': r1(Math.max(...out.search_ms)),
  'DOM after walk': out.dom_after_walk,
  'DOM after expand all': out.dom_after_expand_all,
  'JS heap MB': out.js_heap_mb,
  'wasm memory MB': out.wasm_memory_mb,
  'page errors': out.page_errors,
};
console.table([row]);
mkdirSync(path.join(ROOT, 'bench-results'), { recursive: true });
writeFileSync(path.join(ROOT, 'bench-results', 'schema.json'), JSON.stringify({ date: new Date().toISOString(), row, raw: out }, null, 2));
