// Overview: metrics sparklines and the events timeline, against the emulator.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { screenshot, journey, server, browser, axe } from './lib.mjs';

journey(['--freeze-time'], {
  // Poll the detail every second in this test (the shipped default is 30 s).
  setUp: () => browser.page.route('**/config.json', (route) =>
    route.fulfill({ contentType: 'application/json', body: JSON.stringify({ detail_poll_ms: 1000 }) })),
});

const reqRate = async (page) => {
  const label = await page.locator('[data-testid=sparkline] svg[aria-label^="Requests per second"]').getAttribute('aria-label');
  const m = /now ([\d.]+) req\/s/.exec(label);
  return m ? Number(m[1]) : NaN;
};

test('stopping an endpoint shows events and the request rate falls to zero', async () => {
  await server.control('POST', 'reset');
  const { page } = browser;
  await page.goto(`${server.base}/endpoints/fraud-detector-prod`);
  await page.getByTestId('metrics').waitFor();
  await page.waitForFunction(() => /now [1-9][\d.]* req\/s/.test(
    document.querySelector('[data-testid=sparkline] svg[aria-label^="Requests per second"]')?.getAttribute('aria-label') ?? ''));
  assert.ok((await reqRate(page)) > 0, 'a ready endpoint serves requests');
  assert.deepEqual(await axe(page), []);

  const r = await fetch(`${server.base}/api/2.0/serving-endpoints/fraud-detector-prod/config:stop`, { method: 'POST' });
  assert.equal(r.status, 200, await r.text());
  await server.control('POST', 'time', { advance_secs: 120 });

  const events = page.getByTestId('event');
  await page.getByTestId('event').filter({ hasText: 'Not ready (Stopped)' }).first().waitFor({ timeout: 20000 });
  assert.ok((await events.count()) >= 2, 'state and entity changes are listed');
  assert.match(await events.first().textContent(), /Stopped|Not ready/);
  await page.waitForFunction(() => /now 0(\.0+)? req\/s/.test(
    document.querySelector('[data-testid=sparkline] svg[aria-label^="Requests per second"]')?.getAttribute('aria-label') ?? ''), null, { timeout: 20000 });
  assert.equal(await reqRate(page), 0);
  assert.match(await page.getByTestId('events-live').textContent(), /\S/, 'the change is announced politely');
  await screenshot(page, 'overview-stopped');
  assert.deepEqual(await axe(page), []);
});
