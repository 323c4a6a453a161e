// The benchmark document of e2e/bench/schema.mjs loaded in Swagger UI (swagger-ui-dist) and
// Redoc (its standalone bundle), in the same headless Chromium, for the ratios in BENCHMARKS.md.
// Both come from the npm registry and are installed on demand outside the repository:
//   npm install --prefix /tmp/schema-vendor swagger-ui-dist@5 redoc@2.5
//   node e2e/bench/schema-compare.mjs [--mb 10] [--runs 2] [--vendor /tmp/schema-vendor]
// Measured per viewer: navigation start → rendered (Swagger UI: `onComplete` and the operation
// list in the DOM; Redoc: the `init` callback), expanding the first operation (Swagger UI: click
// → its request body shown), DOM elements, JS heap after GC. Results: bench-results/schema-compare.json.
import { createServer } from 'node:http';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { startServer, launch, ROOT } from '../lib.mjs';
import { median } from './stats.mjs';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const mb = Number(arg('--mb', 10));
const runs = Number(arg('--runs', 2));
const vendor = path.join(arg('--vendor', '/tmp/schema-vendor'), 'node_modules');
const EXPAND_CAP = 120000;

const emu = await startServer(['--freeze-time', '--schema-mb', String(mb)]);
const spec = await (await fetch(`${emu.base}/api/2.0/serving-endpoints/schema-bench/openapi`)).text();
await emu.stop();

const files = {
  '/spec.json': ['application/json', spec],
  '/swagger-ui-bundle.js': ['text/javascript', readFileSync(path.join(vendor, 'swagger-ui-dist/swagger-ui-bundle.js'))],
  '/swagger-ui.css': ['text/css', readFileSync(path.join(vendor, 'swagger-ui-dist/swagger-ui.css'))],
  '/redoc.standalone.js': ['text/javascript', readFileSync(path.join(vendor, 'redoc/bundles/redoc.standalone.js'))],
  '/swagger.html': ['text/html', `<!doctype html><html><head><meta charset="utf-8"><link rel="stylesheet" href="/swagger-ui.css"></head><body><div id="ui"></div>
<script src="/swagger-ui-bundle.js"></script><script>
SwaggerUIBundle({ url: '/spec.json', dom_id: '#ui', onComplete: () => performance.mark('viewer:complete') });
</script></body></html>`],
  '/redoc.html': ['text/html', `<!doctype html><html><head><meta charset="utf-8"></head><body><div id="ui"></div>
<script src="/redoc.standalone.js"></script><script>
Redoc.init('/spec.json', {}, document.getElementById('ui'), () => performance.mark('viewer:complete'));
</script></body></html>`],
};
const http = createServer((req, res) => {
  const f = files[req.url.split('?')[0]];
  if (!f) { res.writeHead(404); res.end(); return; }
  res.writeHead(200, { 'content-type': f[0] });
  res.end(f[1]);
});
await new Promise((r) => http.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${http.address().port}`;

const results = {};
const only = arg('--only', '');
for (const viewer of ['swagger', 'redoc'].filter((v) => !only || v === only)) {
  const out = { rendered_ms: [], expand_ms: [], dom: [], heap_mb: [] };
  for (let i = 0; i < runs; i++) {
    const b = await launch();
    const cdp = await b.context.newCDPSession(b.page);
    await cdp.send('Performance.enable');
    try {
      await b.page.goto(`${base}/${viewer}.html`, { timeout: 600000 });
      await b.page.waitForFunction(() => performance.getEntriesByName('viewer:complete').length > 0, null, { timeout: 600000, polling: 500 });
      if (viewer === 'swagger') await b.page.locator('.opblock-summary').first().waitFor({ timeout: 600000 });
      out.rendered_ms.push(await b.page.evaluate(() => performance.now()));
      out.dom.push(await b.page.evaluate(() => document.getElementsByTagName('*').length));
      out.text = await b.page.evaluate(() => document.body.innerText.slice(0, 300));
      out.errors = b.errors.slice(0, 5);
      await cdp.send('HeapProfiler.collectGarbage');
      const m = (await cdp.send('Performance.getMetrics')).metrics;
      out.heap_mb.push(Math.round(m.find((x) => x.name === 'JSHeapUsedSize').value / 1e6));
      if (viewer === 'swagger') {
        // Expanding one operation renders its request body; cap the wait (it may never end).
        const t0 = Date.now();
        try {
          await b.page.locator('.opblock-summary').first().click({ timeout: EXPAND_CAP, noWaitAfter: true });
          await b.page.locator('.opblock-body').first().waitFor({ timeout: EXPAND_CAP });
          await b.page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
          out.expand_ms.push(Date.now() - t0);
          out.dom_expanded = await b.page.evaluate(() => document.getElementsByTagName('*').length);
        } catch {
          out.expand_ms.push(Infinity);
        }
      }
    } finally {
      await b.close();
    }
  }
  results[viewer] = out;
}
http.close();
const rows = Object.entries(results).map(([viewer, r]) => ({
  viewer,
  'rendered median ms': Math.round(median(r.rendered_ms)),
  'expand first operation ms': r.expand_ms.length ? (Number.isFinite(median(r.expand_ms)) ? Math.round(median(r.expand_ms)) : `> ${EXPAND_CAP / 1000} s`) : '—',
  'DOM elements': median(r.dom),
  'JS heap MB': median(r.heap_mb),
}));
console.table(rows);
mkdirSync(path.join(ROOT, 'bench-results'), { recursive: true });
writeFileSync(path.join(ROOT, 'bench-results', 'schema-compare.json'), JSON.stringify({ date: new Date().toISOString(), mb, runs, rows, raw: results }, null, 2));
