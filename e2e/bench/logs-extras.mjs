// Further figures of the log viewer (budgets.md P6) in headless Chromium against
// `serving-console demo --freeze-time --log-lines N` (the server log of fraud-detector-prod):
//   - per size (default 2,000 / 200,000 / 1,000,000 lines): navigation → `logs:first-screen`,
//     response bytes, rendered rows and DOM elements at the first screen and at the end,
//     JS heap (CDP, after GC) + wasm linear memory vs the raw text bytes, and whether the last
//     line can be reached (scrollTop = max; "Go to line" N; "Wrap lines" + scrollTop = max): the
//     row with `data-line` N must be rendered and inside the scroller's box)
//   - scroll smoothness (200,000 lines by default): 10 s of scripted `mouse.wheel` (600 px every
//     ~50 ms) then 5 scrollbar jumps (scrollTop set to 25 %, 90 %, 50 %, 10 %, 100 % of the range —
//     playwright's headless Chromium hides scrollbars, so the jump is the scroll a thumb drag
//     would cause); a rAF loop logs frame intervals → p95, share > 33 ms; PerformanceObserver
//     'longtask' and 'long-animation-frame' entries > 50 ms; the most rows seen in any frame
// Usage: node e2e/bench/logs-extras.mjs [--sizes 2000,200000,1000000] [--scroll-size 200000] [--scroll-runs 3]
// Results: printed and written to bench-results/logs-extras.json.
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { startServer, launch, ROOT } from '../lib.mjs';
import { median, pct } from './stats.mjs';

const argv = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const sizes = argv('--sizes', '2000,200000,1000000').split(',').map(Number);
const scrollSize = Number(argv('--scroll-size', 200000));
const scrollRuns = Number(argv('--scroll-runs', 3));
const round = (x) => Math.round(x * 10) / 10;

async function heap(cdp, page) {
  await cdp.send('HeapProfiler.collectGarbage');
  const { metrics } = await cdp.send('Performance.getMetrics');
  return {
    js_mb: round(metrics.find((m) => m.name === 'JSHeapUsedSize').value / 1e6),
    wasm_mb: round(await page.evaluate(() => (window.__wasm?.memory?.buffer?.byteLength ?? NaN) / 1e6)),
  };
}

async function scrollRun(page) {
  await page.evaluate(() => {
    const el = document.querySelector('[data-testid=log-scroller]');
    el.scrollTop = 0;
    const s = (window.__scroll = { long: [], loaf: [], frames: [], maxRows: 0 });
    s.obs = new PerformanceObserver((list) => { for (const e of list.getEntries()) s.long.push([e.startTime, e.duration]); });
    s.obs.observe({ type: 'longtask' });
    s.obs2 = new PerformanceObserver((list) => { for (const e of list.getEntries()) s.loaf.push([e.startTime, e.duration]); });
    s.obs2.observe({ type: 'long-animation-frame' });
    let last = performance.now();
    const tick = () => {
      const now = performance.now();
      s.frames.push([now, now - last]);
      last = now;
      s.maxRows = Math.max(s.maxRows, document.querySelectorAll('[data-testid=log-row]').length);
      if (!s.stop) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  const box = await page.getByTestId('log-scroller').boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const t0 = Date.now();
  let wheels = 0;
  while (Date.now() - t0 < 10000) {
    await page.mouse.wheel(0, 600);
    wheels++;
    await page.waitForTimeout(50);
  }
  await page.evaluate(() => { window.__scroll.jumpAt = performance.now(); });
  for (const f of [0.25, 0.9, 0.5, 0.1, 1.0]) {
    await page.evaluate((frac) => {
      const el = document.querySelector('[data-testid=log-scroller]');
      el.scrollTop = frac * (el.scrollHeight - el.clientHeight);
    }, f);
    await page.waitForTimeout(400);
  }
  return page.evaluate((w) => {
    const s = window.__scroll;
    s.stop = true;
    s.obs.disconnect();
    s.obs2.disconnect();
    // Split by phase: the wheel scroll, then the scrollbar jumps.
    const split = (xs) => [xs.filter((x) => x[0] < s.jumpAt).map((x) => x[1]), xs.filter((x) => x[0] >= s.jumpAt).map((x) => x[1])];
    const [frames, framesJ] = split(s.frames.slice(2));
    const [long, longJ] = split(s.long);
    const [loaf, loafJ] = split(s.loaf);
    return { wheels: w, long, loaf, frames, jumps: { long: longJ, loaf: loafJ, frames: framesJ }, maxRows: s.maxRows };
  }, wheels);
}

/** Run `act`, then report the highest rendered line and whether line `last` is fully in view. */
async function lastLine(page, last, act) {
  await act();
  await page.waitForFunction((l) => [...document.querySelectorAll('[data-testid=log-row]')].some((r) => Number(r.dataset.line) === l), last, { timeout: 5000 }).catch(() => {});
  await page.waitForTimeout(200);
  return page.evaluate((l) => {
    const el = document.querySelector('[data-testid=log-scroller]');
    const box = el.getBoundingClientRect();
    const rows = [...document.querySelectorAll('[data-testid=log-row]')];
    const row = rows.find((r) => Number(r.dataset.line) === l);
    const rb = row?.getBoundingClientRect();
    return {
      scroll_top: Math.round(el.scrollTop),
      scroll_height: el.scrollHeight,
      client_height: el.clientHeight,
      max_line_rendered: Math.max(...rows.map((r) => Number(r.dataset.line))),
      last_line_visible: !!rb && rb.top >= box.top - 1 && rb.bottom <= box.bottom + 1,
      rows: rows.length,
      dom: document.getElementsByTagName('*').length,
    };
  }, last);
}

async function measure(n) {
  const server = await startServer(['--freeze-time', '--log-lines', String(n)]);
  const b = await launch();
  const { page, context } = b;
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  await page.addInitScript(() => {
    addEventListener('TrunkApplicationStarted', (e) => { window.__wasm = e.detail.wasm; });
  });
  const url = `${server.base}/endpoints/fraud-detector-prod/logs?entity=fraud_xgb-7&kind=server&version=12`;
  const out = { lines: n, errors: b.errors };
  try {
    // The emulator builds the log on the first request and caches it.
    const raw = await fetch(`${server.base}/api/2.0/serving-endpoints/fraud-detector-prod/served-models/fraud_xgb-7/logs`).then((r) => r.json());
    out.raw_text_bytes = Buffer.byteLength(raw.logs ?? '', 'utf8');
    const t0 = Date.now();
    await page.goto(url);
    await page.waitForFunction(() => performance.getEntriesByName('logs:first-screen').length > 0, null, { timeout: 240000, polling: 250 });
    out.wall_to_first_screen_ms = Date.now() - t0;
    Object.assign(out, await page.evaluate(() => {
      const r = performance.getEntriesByType('resource').find((e) => /\/served-models\/[^/]+\/logs/.test(e.name));
      return {
        response_bytes: r?.encodedBodySize,
        response_end_ms: Math.round(r?.responseEnd),
        first_screen_ms: Math.round(performance.getEntriesByName('logs:first-screen')[0].startTime),
        indexed_ms: Math.round(performance.getEntriesByName('logs:indexed')[0]?.startTime),
        rows_first_screen: document.querySelectorAll('[data-testid=log-row]').length,
        dom_first_screen: document.getElementsByTagName('*').length,
        status_text: document.querySelector('[data-testid=log-lines]')?.textContent,
      };
    }));
    out.memory = await heap(cdp, page);

    // Reach the last line three ways: scroll to the bottom, "Go to line" N, and with "Wrap
    // lines" on scroll to the bottom.
    out.end_scroll = await lastLine(page, n, async () => {
      await page.evaluate(() => {
        const el = document.querySelector('[data-testid=log-scroller]');
        el.scrollTop = el.scrollHeight;
      });
    });
    out.end_goto = await lastLine(page, n, async () => {
      await page.getByTestId('log-goto').fill(String(n));
      await page.getByTestId('log-goto').press('Enter');
    });
    out.end_wrap = await lastLine(page, n, async () => {
      await page.getByTestId('log-wrap').check();
      await page.waitForTimeout(300);
      await page.evaluate(() => {
        const el = document.querySelector('[data-testid=log-scroller]');
        el.scrollTop = el.scrollHeight;
      });
    });
    await page.getByTestId('log-wrap').uncheck();
    await page.waitForTimeout(300);

    if (n === scrollSize) {
      // Baseline: rAF intervals of the same page for 5 s without scrolling (what the machine and
      // headless Chromium give when the page does nothing).
      out.idle_frames = await page.evaluate(() => new Promise((resolve) => {
        const f = [];
        let last = performance.now();
        const t0 = last;
        const tick = () => {
          const now = performance.now();
          f.push(now - last);
          last = now;
          if (now - t0 < 5000) requestAnimationFrame(tick); else resolve(f.slice(2));
        };
        requestAnimationFrame(tick);
      }));
      out.scroll = [];
      for (let i = 0; i < scrollRuns; i++) out.scroll.push(await scrollRun(page));
      out.dom_after_scroll = await page.evaluate(() => document.getElementsByTagName('*').length);
    }
    out.memory_end = await heap(cdp, page);
  } finally {
    await b.close();
    await server.stop();
  }
  return out;
}

const loadBefore = round(os.loadavg()[0]);
const results = [];
for (const n of sizes) {
  const r = await measure(n);
  results.push(r);
  console.log(`--- ${n} lines`);
  for (const [k, v] of Object.entries(r)) if (!['scroll', 'errors', 'idle_frames'].includes(k)) console.log(`${k}: ${JSON.stringify(v)}`);
  console.log(`page errors: ${r.errors.length}`);
  if (r.scroll) {
    const frames = r.scroll.flatMap((s) => s.frames);
    const long = r.scroll.flatMap((s) => s.long);
    const loaf = r.scroll.flatMap((s) => s.loaf);
    const idle = r.idle_frames;
    r.scroll_summary = {
      'idle page (no scrolling, 5 s): frame interval p95 ms': round(pct(idle, 95)),
      'idle page: share of frames > 17.5 ms %': round((100 * idle.filter((f) => f > 17.5).length) / idle.length),
      runs: r.scroll.length,
      '(the figures below are for the 10 s wheel scroll; "jumps:" for the 5 scrollbar jumps)': '',
      wheel_events_per_run: r.scroll.map((s) => s.wheels),
      frames: frames.length,
      'frame interval median ms': round(pct(frames, 50)),
      'frame interval p95 ms': round(pct(frames, 95)),
      'frame interval max ms': round(Math.max(...frames)),
      'share of frames > 33 ms %': round((100 * frames.filter((f) => f > 33).length) / frames.length),
      'share of frames > 17.5 ms %': round((100 * frames.filter((f) => f > 17.5).length) / frames.length),
      'long tasks > 50 ms': long.filter((d) => d > 50).length,
      'long tasks > 100 ms': long.filter((d) => d > 100).length,
      'longest task ms': Math.round(Math.max(0, ...long)),
      'LoAF > 50 ms': loaf.filter((d) => d > 50).length,
      'longest LoAF ms': Math.round(Math.max(0, ...loaf)),
      'max rows in a frame': Math.max(...r.scroll.map((s) => s.maxRows)),
      'jumps: frame interval p95 ms': round(pct(r.scroll.flatMap((s) => s.jumps.frames), 95)),
      'jumps: frames > 33 ms': r.scroll.flatMap((s) => s.jumps.frames).filter((f) => f > 33).length,
      'jumps: long tasks > 50 ms': r.scroll.flatMap((s) => s.jumps.long).filter((d) => d > 50).length,
      'jumps: LoAF > 50 ms': r.scroll.flatMap((s) => s.jumps.loaf).filter((d) => d > 50).length,
      'jumps: longest LoAF ms': Math.round(Math.max(0, ...r.scroll.flatMap((s) => s.jumps.loaf))),
    };
    for (const [k, v] of Object.entries(r.scroll_summary)) console.log(`scroll ${k}: ${v}`);
  }
}
console.log(`load average (1 min) before/after: ${loadBefore}/${round(os.loadavg()[0])}`);
mkdirSync(path.join(ROOT, 'bench-results'), { recursive: true });
writeFileSync(path.join(ROOT, 'bench-results', 'logs-extras.json'), JSON.stringify({ date: new Date().toISOString(), results }, null, 2));
