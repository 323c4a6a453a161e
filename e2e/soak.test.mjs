// Soak under faults (issue #9; budgets.md R1, R2, R4–R7, P8): the emulator fails about 20 % of
// the API reads (503, 429 with Retry-After, HTML 502, 4 s latency, a few hangs) while the console
// polls every second (config.json served with short intervals), an endpoint is stopped, the tab
// is hidden and the browser goes offline. From the emulator's record of every request and the
// browser's own: at most one request in flight per poller, no poll before a Retry-After has
// passed, the tab's rate limit held, exactly one Stop sent, nothing sent while hidden or offline
// and polling resumed after, the offline banner, no page error or panic, nothing typed lost.
// The figures are printed (BENCHMARKS.md, "Soak"). SOAK_SECS lengthens the faulty phases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { screenshot, journey, server, browser } from './lib.mjs';

const PHASE_MS = Number(process.env.SOAK_SECS || 20) * 1000;
const TIMEOUT_MS = 5000;
const RETRY_AFTER_S = 2;

journey();

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const GET = { method: 'GET', path: '/api/2.0/**' };
const FAULTS = [
  { ...GET, probability: 0.06, fault: { kind: 'status', status: 503, error_code: 'TEMPORARILY_UNAVAILABLE', message: 'Soak: unavailable' } },
  { ...GET, probability: 0.05, fault: { kind: 'status', status: 429, error_code: 'REQUEST_LIMIT_EXCEEDED', message: 'Soak: slow down', retry_after: String(RETRY_AFTER_S) } },
  { ...GET, probability: 0.04, fault: { kind: 'html502' } },
  { ...GET, probability: 0.04, fault: { kind: 'latency', ms: 4000 } },
  { ...GET, probability: 0.02, times: 3, fault: { kind: 'hang' } },
];

/** Make the page hidden or visible again (document.visibilityState + visibilitychange). */
async function setHidden(page, hidden) {
  await page.evaluate((h) => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (h ? 'hidden' : 'visible') });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => h });
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
}

/** When the client stopped waiting for a request: its end, or its timeout for one it gave up on. */
function clientEnd(r, now) {
  const end = r.ended_ms ?? now;
  return r.status === 499 || r.status === null ? Math.min(end, r.started_ms + TIMEOUT_MS + 250) : end;
}

/** The most requests in flight at once on one path. */
function maxInFlight(reqs, now) {
  const events = reqs.flatMap((r) => [[r.started_ms, 1], [clientEnd(r, now), -1]]);
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let cur = 0;
  let max = 0;
  for (const [, d] of events) max = Math.max(max, (cur += d));
  return max;
}

/** The most requests started within any window of `ms`. */
function maxInWindow(times, ms) {
  const t = [...times].sort((a, b) => a - b);
  let max = 0;
  for (let i = 0, j = 0; i < t.length; i++) {
    while (t[i] - t[j] >= ms) j++;
    max = Math.max(max, i - j + 1);
  }
  return max;
}

test('20 % faults: one request per poller, Retry-After honoured, rate-limited, one Stop, paused hidden and offline', async () => {
  await server.control('POST', 'reset');
  await server.control('DELETE', 'faults');
  await server.control('DELETE', 'requests');
  const { page, context, errors } = browser;
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  await page.route('**/config.json', (route) =>
    route.fulfill({
      json: { title: 'Serving Console', api_base: '', auth: 'proxy', list_poll_ms: 1000, detail_poll_ms: 1000, request_timeout_ms: TIMEOUT_MS },
    }),
  );
  const seen = []; // [time, url] of every API request the page made
  page.on('request', (r) => { if (new URL(r.url()).pathname.startsWith('/api/')) seen.push([Date.now(), r.url()]); });
  const sentBetween = (a, b) => seen.filter(([t]) => t >= a && t < b).map(([, u]) => u);
  try {
    // A clean first screen, then the faults.
    await page.goto(`${server.base}/endpoints`);
    await page.locator('td.cell-name a').first().waitFor();
    for (const f of FAULTS) await server.control('POST', 'faults', f);
    const search = page.getByRole('searchbox');
    await search.fill('regressor');
    await sleep(PHASE_MS);
    assert.equal(await search.inputValue(), 'regressor', 'what was typed survives the failing refreshes');
    await page.getByRole('link', { name: 'ltv-regressor' }).waitFor();

    // The detail page under faults, and a Stop.
    await page.getByRole('link', { name: 'ltv-regressor' }).click();
    await page.getByTestId('state-indicator').waitFor();
    const stop = page.getByRole('button', { name: 'Stop', exact: true });
    await page.waitForFunction(() => document.querySelector('#endpoint-stop')?.getAttribute('aria-disabled') === null);
    await stop.click();
    const dialog = page.getByRole('alertdialog', { name: 'Stop ltv-regressor?' });
    await dialog.getByRole('button', { name: 'Stop endpoint' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await server.control('POST', 'time', { advance_secs: 10 });
    await page.locator('.toast', { hasText: 'Stopped ltv-regressor' }).waitFor({ timeout: 30000 });
    await sleep(PHASE_MS / 2);
    await screenshot(page, 'soak-detail');

    // Hidden. Faults off first, so no retry of a failed read is pending.
    await server.control('DELETE', 'faults');
    await sleep(TIMEOUT_MS + 500);
    // Headless Chromium keeps every page "visible" whatever is in front, so the page is told it
    // is hidden the way the browser tells it: visibilityState, then a visibilitychange event.
    await setHidden(page, true);
    await sleep(1000);
    const hiddenFrom = Date.now();
    await sleep(6000);
    const hiddenTo = Date.now();
    await setHidden(page, false);
    const visibleAt = Date.now();
    for (let i = 0; i < 30 && sentBetween(visibleAt, Infinity).length === 0; i++) await sleep(100);
    const resumedIn = (seen.find(([t]) => t >= visibleAt)?.[0] ?? Infinity) - visibleAt;

    // Offline: the banner, nothing sent, a refresh when back.
    await context.setOffline(true);
    await page.getByTestId('offline-banner').waitFor({ timeout: 2000 });
    assert.equal(await page.getByTestId('offline-banner').getAttribute('role'), 'status');
    await sleep(2000);
    const offFrom = Date.now();
    await sleep(4000);
    const offTo = Date.now();
    await context.setOffline(false);
    const onlineAt = Date.now();
    await page.getByTestId('offline-banner').waitFor({ state: 'hidden', timeout: 5000 });
    for (let i = 0; i < 50 && sentBetween(onlineAt, Infinity).length === 0; i++) await sleep(100);
    const refreshedIn = (seen.find(([t]) => t >= onlineAt)?.[0] ?? Infinity) - onlineAt;

    const now = Date.now();
    const log = await server.control('GET', 'requests');
    const faults = log.filter((r) => [429, 502, 503].includes(r.status));
    const api = log.filter((r) => r.path.startsWith('/api/'));
    const byPath = new Map();
    for (const r of api.filter((r) => r.method === 'GET')) byPath.set(r.path, [...(byPath.get(r.path) ?? []), r]);

    const inflight = [...byPath].map(([p, rs]) => [p, maxInFlight(rs, now)]);
    const tooLate = [];
    for (const [p, rs] of byPath) {
      rs.forEach((r, i) => {
        if (r.status !== 429 || i + 1 >= rs.length) return;
        const gap = rs[i + 1].started_ms - r.ended_ms;
        if (gap < RETRY_AFTER_S * 1000 - 50) tooLate.push(`${p}: next after ${gap} ms`);
      });
    }
    const perSecond = maxInWindow(api.map((r) => r.started_ms), 1000);
    const perTenSeconds = maxInWindow(api.map((r) => r.started_ms), 10_000);
    const stops = log.filter((r) => r.method === 'POST' && r.path.endsWith('/config:stop'));
    const figures = {
      api_requests: api.length,
      faulted: faults.length,
      faulted_share: +(faults.length / api.length).toFixed(3),
      hung_or_aborted: api.filter((r) => r.status === 499 || r.status === null).length,
      max_in_flight_per_path: Math.max(...inflight.map(([, n]) => n)),
      max_per_1s: perSecond,
      max_per_10s: perTenSeconds,
      resumed_after_visible_ms: resumedIn,
      refreshed_after_online_ms: refreshedIn,
    };
    console.log(`soak figures: ${JSON.stringify(figures)}`);

    assert.ok(faults.length >= 5, `faults were injected: ${faults.length}`);
    assert.deepEqual(inflight.filter(([, n]) => n > 1), [], 'at most one request in flight per path');
    assert.deepEqual(tooLate, [], 'no request before Retry-After passed');
    assert.ok(perSecond <= 15, `≤ 10 burst + 5/s in any second: ${perSecond}`);
    assert.ok(perTenSeconds <= 60, `≤ 5/s sustained + 10 burst over 10 s: ${perTenSeconds}`);
    assert.equal(stops.length, 1, 'exactly one Stop sent');
    assert.deepEqual(sentBetween(hiddenFrom, hiddenTo), [], 'nothing sent while hidden');
    assert.ok(resumedIn <= 3000, `polling resumed when visible (${resumedIn} ms)`);
    assert.deepEqual(sentBetween(offFrom, offTo), [], 'nothing sent while offline');
    assert.ok(refreshedIn <= 5000, `refreshed after coming back online (${refreshedIn} ms)`);
    assert.deepEqual(pageErrors, [], 'no uncaught error in the page');
    const fatal = errors.filter((e) => /panicked|RuntimeError|unreachable/i.test(e));
    assert.deepEqual(fatal, [], 'no panic or wasm trap');
  } finally {
    await page.unroute('**/config.json');
    await server.control('DELETE', 'faults');
  }
});
