// The console's lazily loaded parts (src/chunks.rs, scripts/split-wasm.mjs): the first screen
// fetches only the first-screen module (budgets.md P1); the detail page and its tabs come from
// their own wasm chunks, fetched in the background once the list has rendered; a chunk that
// cannot be fetched shows a clear error with Retry, and Retry recovers without a reload.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { screenshot, journey, server, browser } from './lib.mjs';

journey();

const wasmName = (url) => new URL(url).pathname.split('/').pop();

test('the list works with no chunk at all; the detail chunks follow in the background', async () => {
  const { page } = browser;
  const chunk = /\/(split|chunk)_\w+-[0-9a-f]+\.wasm$/;
  const fetched = [];
  const onRequest = (r) => { if (r.url().endsWith('.wasm')) fetched.push(wasmName(r.url())); };
  const block = (route) => route.abort('internetdisconnected');
  page.on('request', onRequest);
  try {
    // Every lazily loaded chunk unreachable: the first screen needs none of them.
    await page.route(chunk, block);
    await page.goto(`${server.base}/endpoints`);
    await page.waitForFunction(() => performance.getEntriesByName('list:rendered').length > 0);
    const rows = page.locator('td.cell-name a');
    const all = await rows.count();
    assert.ok(all > 5, `rows shown: ${all}`);
    await page.getByRole('searchbox').fill('forecast');
    await page.waitForFunction((n) => document.querySelectorAll('td.cell-name a').length < n, all);
    const main = fetched.filter((f) => !chunk.test(`/${f}`));
    assert.equal(main.length, 1, `one first-screen module: ${main}`);
    assert.match(main[0], /^serving-console-app-[0-9a-f]+_bg\.wasm$/);
    await page.unroute(chunk, block);

    // Reachable again: with the page idle, the detail page and every tab are prefetched...
    await page.goto(`${server.base}/endpoints`);
    for (const c of ['split_detail', 'split_logs', 'split_permissions', 'split_schema']) {
      await page.waitForFunction(
        (c) => performance.getEntriesByType('resource').some((e) => e.name.includes(`/${c}-`)),
        c,
      );
    }
    // ... so opening an endpoint and its Schema tab fetches no further wasm.
    const before = fetched.length;
    await page.locator('td.cell-name a').first().click();
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Schema' }).click();
    await page.getByTestId('schema-tab').waitFor();
    assert.deepEqual(fetched.slice(before), [], 'no wasm fetched on navigation');
  } finally {
    page.off('request', onRequest);
    await page.unroute(chunk, block);
  }
});

test('a tab whose code cannot be fetched says so, and Retry loads it', async () => {
  const { page } = browser;
  const list = await (await fetch(`${server.base}/api/2.0/serving-endpoints`)).json();
  const name = list.endpoints[0].name;
  // The network drops every request for the Logs chunk.
  const block = (route) => route.abort('internetdisconnected');
  await page.route(/\/split_logs-[0-9a-f]+\.wasm$/, block);
  try {
    await page.goto(`${server.base}/endpoints/${encodeURIComponent(name)}/logs`);
    const alert = page.getByTestId('chunk-error');
    await alert.waitFor();
    assert.equal(await alert.getAttribute('role'), 'alert');
    assert.match(await alert.textContent(), /could not be loaded/);
    // The rest of the page still works: the header and the other tabs.
    await page.getByRole('heading', { level: 1 }).waitFor();
    await screenshot(page, 'chunk-error');
  } finally {
    await page.unroute(/\/split_logs-[0-9a-f]+\.wasm$/, block);
  }
  await page.getByTestId('chunk-error').getByRole('button', { name: 'Retry' }).click();
  await page.getByTestId('logs-tab').waitFor();
  assert.equal(await page.getByTestId('chunk-error').count(), 0);
});
