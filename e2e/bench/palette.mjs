// Benchmark of the command palette (issue #18) in headless Chromium against the emulator with
// 10,000 generated endpoints (40,002 palette entries): keystroke → next paint in the palette's
// input, median and p95, measured in the page like bench/list.mjs (keydown to the first animation
// frame after the handlers ran, plus a macrotask: the paint happens between them).
// Usage: node e2e/bench/palette.mjs [--endpoints 10000]
import { startServer, launch } from '../lib.mjs';
import { median, pct } from './stats.mjs';

const i = process.argv.indexOf('--endpoints');
const n = i > 0 ? Number(process.argv[i + 1]) : 10000;
const server = await startServer(['--freeze-time', '--generate', String(n)]);
const b = await launch();
try {
  const page = b.page;
  await page.goto(`${server.base}/endpoints`);
  await page.waitForFunction(() => performance.getEntriesByName('list:rendered').length > 0, null, { timeout: 60000 });
  await page.keyboard.press('Control+k');
  const input = page.getByRole('combobox', { name: 'Endpoint, tab or action' });
  await input.waitFor();
  await page.getByTestId('palette-status').filter({ hasText: /shown/ }).waitFor({ timeout: 60000 });
  await page.evaluate(() => {
    window.__lat = [];
    document.getElementById('palette-input').addEventListener('keydown', () => {
      const t0 = performance.now();
      requestAnimationFrame(() => setTimeout(() => window.__lat.push(performance.now() - t0), 0));
    }, { capture: true });
  });
  for (const word of ['gen-04242', 'fraud xgb logs', 'ltv', 'permissions', 'zzq']) {
    for (const ch of word) {
      await page.keyboard.press(ch === '-' ? 'Minus' : ch === ' ' ? 'Space' : ch);
      await page.waitForTimeout(80);
    }
    for (let k = 0; k < word.length; k++) {
      await page.keyboard.press('Backspace');
      await page.waitForTimeout(80);
    }
  }
  const lat = await page.evaluate(() => window.__lat);
  const load = (await import('node:os')).loadavg().map((x) => x.toFixed(2)).join(' ');
  console.log(JSON.stringify({ endpoints: n, keystrokes: lat.length, median_ms: +median(lat).toFixed(1), p95_ms: +pct(lat, 95).toFixed(1), max_ms: +Math.max(...lat).toFixed(1), loadavg: load }));
} finally {
  await b.close();
  await server.stop();
}
