// Benchmark of a 200-endpoint bulk stop (issue #18) in headless Chromium against the emulator
// (`--generate 200`, every stop answered after 150 ms by a latency fault): select all matching
// "gen-", Stop…, wait for the preview, run, wait for the summary; then from the emulator's
// record of requests: POSTs sent, total time (first start to last end), requests per second and
// the peak number in flight (overlapping intervals).
// Usage: node e2e/bench/fleet-bulk.mjs
import { startServer, launch } from '../lib.mjs';

const server = await startServer(['--freeze-time', '--generate', '200']);
const b = await launch();
try {
  const page = b.page;
  await server.control('POST', 'faults', { method: 'POST', path: '/api/2.0/serving-endpoints/*/config:stop', fault: { kind: 'latency', ms: 150 } });
  await page.goto(`${server.base}/endpoints?q=gen-`);
  await page.getByTestId('select-all').filter({ hasText: 'Select all 200 matching' }).waitFor({ timeout: 60000 });
  await page.getByTestId('select-all').click();
  await page.getByTestId('selected-count').filter({ hasText: '200 selected' }).waitFor();
  const t0 = Date.now();
  await page.getByRole('toolbar', { name: 'Bulk actions' }).getByRole('button', { name: 'Stop…' }).click();
  await page.waitForFunction(() => {
    const rows = [...document.querySelectorAll('[data-testid=bulk-preview-row]')];
    return rows.length === 200 && rows.every((r) => r.dataset.eligibility !== 'checking');
  }, null, { timeout: 600000 });
  const previewMs = Date.now() - t0;
  await server.control('DELETE', 'requests');
  await page.locator('#bulk-run').click();
  const headline = page.getByTestId('bulk-headline');
  await headline.filter({ hasText: /^Stop: \d+ done(, \d+ refused)?(, \d+ not attempted)?\.$/ }).waitFor({ timeout: 600000 });
  const text = await headline.textContent();
  const posts = (await server.control('GET', 'requests')).filter((r) => r.method === 'POST' && r.path.endsWith('/config:stop'));
  const start = Math.min(...posts.map((r) => r.started_ms));
  const end = Math.max(...posts.map((r) => r.ended_ms));
  const events = posts.flatMap((r) => [[r.started_ms, 1], [r.ended_ms, -1]]).sort((a, c) => a[0] - c[0] || a[1] - c[1]);
  let cur = 0;
  let peak = 0;
  for (const [, d] of events) { cur += d; peak = Math.max(peak, cur); }
  const load = (await import('node:os')).loadavg().map((x) => x.toFixed(2)).join(' ');
  console.log(JSON.stringify({ summary: text, preview_ms: previewMs, posts: posts.length, total_s: +((end - start) / 1000).toFixed(2),
    requests_per_s: +(posts.length / ((end - start) / 1000)).toFixed(2), peak_in_flight: peak, loadavg: load }));
} finally {
  await b.close();
  await server.stop();
}
