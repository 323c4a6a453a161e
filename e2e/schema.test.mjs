// End-to-end journeys of the Schema tab against the emulator: open the schema of a READY
// endpoint, switch the input format, send the example and see predictions, break the JSON and
// see the error at the field, every seeded example is accepted by the emulator, a stopped
// endpoint and one without a signature explain why, view-only users cannot send, deep links
// survive a reload, and axe-core finds nothing (light and dark).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { screenshot, journey, server, browser, axe } from './lib.mjs';

journey();

async function fresh() {
  await server.control('POST', 'reset');
  await server.control('DELETE', 'faults');
  await browser.context.setExtraHTTPHeaders({});
  await browser.page.emulateMedia({ colorScheme: 'light' });
}

async function openSchema(page, name, query = '') {
  await page.goto(`${server.base}/endpoints/${name}/schema${query}`);
  await page.getByTestId('schema-tab').waitFor();
}

const status = (page) => page.getByTestId('schema-body-status');

test('open the schema of a READY endpoint, switch format, send the example, see predictions', async () => {
  await fresh();
  const { page } = browser;
  await openSchema(page, 'fraud-detector-prod');
  await page.getByTestId('schema-explorer').waitFor();
  assert.equal(await page.getByTestId('schema-title').textContent(), 'fraud-detector-prod');
  assert.match(await page.getByTestId('schema-server').first().textContent(), /\/serving-endpoints\/fraud-detector-prod$/);
  const ops = await page.getByTestId('schema-op').allTextContents();
  assert.deepEqual(ops.map((o) => o.trim()), [
    'POST /served-models/fraud_xgb-7/invocations',
    'POST /served-models/fraud_xgb-8/invocations',
  ]);

  // Input formats as tabs; keyboard switches them.
  const tabs = page.getByRole('tab');
  assert.deepEqual(await tabs.allTextContents(), ['dataframe_split', 'dataframe_records']);
  await tabs.first().focus();
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => document.activeElement?.id === 'schema-tab-1');
  assert.equal(await tabs.nth(1).getAttribute('aria-selected'), 'true');
  await page.getByRole('treeitem', { name: /^▸?\s*dataframe_records/ }).waitFor();
  assert.match(page.url(), /variant=dataframe_records/);
  await page.waitForFunction(() => document.querySelector('[data-testid=schema-body]').value.includes('"dataframe_records"'));
  await page.keyboard.press('ArrowLeft');
  await page.waitForFunction(() => document.querySelector('[data-testid=schema-body]').value.includes('"dataframe_split"'));

  // The tree shows the tuple columns with their types.
  await page.getByRole('treeitem', { name: /dataframe_split/ }).click();
  await page.getByRole('treeitem', { name: /^data\s/ }).click();
  await page.getByRole('treeitem', { name: /\[items\]/ }).click();
  const amount = page.getByRole('treeitem', { name: /\[1\] amount/ });
  await amount.waitFor();
  assert.match(await amount.textContent(), /number \(double\)/);
  const addr = page.getByRole('treeitem', { name: /\[10\] billing_address/ });
  assert.match(await addr.textContent(), /object/);

  // Send the example as it is: status, latency, predictions shaped by the signature.
  assert.equal(await status(page).textContent(), 'Valid for dataframe_split.');
  await page.getByTestId('schema-send').click();
  const line = page.getByTestId('schema-result-line');
  await line.waitFor();
  assert.match(await line.textContent(), /^HTTP 200 OK · \d+ ms$/);
  const response = JSON.parse(await page.getByTestId('schema-response').textContent());
  assert.equal(response.predictions.length, 2);
  assert.equal(typeof response.predictions[0].is_fraud, 'boolean');
  assert.equal(typeof response.predictions[0].fraud_probability, 'number');
  const posts = (await server.control('GET', 'requests')).filter((r) => r.method === 'POST');
  assert.equal(posts.length, 1);
  assert.equal(posts[0].path, '/serving-endpoints/fraud-detector-prod/served-models/fraud_xgb-7/invocations');
  await screenshot(page, 'schema-sent');
  assert.deepEqual(await axe(page), [], 'axe with a tree expanded and a response shown');
});

test('break the JSON and see the error at the field; the server agrees', async () => {
  await fresh();
  const { page } = browser;
  await openSchema(page, 'churn-model');
  const body = page.getByTestId('schema-body');
  await body.waitFor();
  const example = await body.inputValue();
  // Not JSON at all.
  await body.fill('{"dataframe_split": ');
  await page.waitForFunction(() => document.querySelector('[data-testid=schema-body-status]').textContent.startsWith('Not valid JSON'));
  assert.equal(await body.getAttribute('aria-invalid'), 'true');
  assert.match(await page.getByTestId('schema-send-reason').textContent(), /Fix the JSON/);
  // A wrong type in a column: the problem names the field, Show selects it.
  await body.fill(example.replace(/\[3, 10\.4/, '["three", 10.4'));
  const problem = page.getByTestId('schema-problem').filter({ hasText: 'dataframe_split.data[0][0]' });
  await problem.waitFor();
  assert.match(await problem.textContent(), /Expected integer, got string "three"/);
  await problem.getByRole('button', { name: 'Show' }).click();
  const selected = await page.evaluate(() => {
    const t = document.querySelector('[data-testid=schema-body]');
    return document.activeElement === t ? t.value.slice(t.selectionStart, t.selectionEnd) : null;
  });
  assert.equal(selected, '"three"');
  await screenshot(page, 'schema-invalid');
  assert.deepEqual(await axe(page), [], 'axe with problems listed');
  // Sending anyway: the emulator refuses it with its own reason.
  await page.getByTestId('schema-send').click();
  await page.getByTestId('schema-result-line').waitFor();
  assert.match(await page.getByTestId('schema-result-line').textContent(), /^HTTP 400 Bad Request/);
  assert.match(await page.getByTestId('schema-response').textContent(), /tenure_months/);
  // Reset brings the example back.
  await page.getByRole('button', { name: 'Reset to the example' }).click();
  assert.equal(await body.inputValue(), example);
  assert.equal(await status(page).textContent(), 'Valid for dataframe_split.');
});

test('every seeded input format: the example validates and the emulator accepts it', async () => {
  await fresh();
  const { page } = browser;
  const checked = [];
  for (const name of ['fraud-detector-prod', 'churn-model', 'pricing-model', 'ltv-regressor', 'legacy-iris-classifier', 'support-agent', 'fraud-detector-staging']) {
    await openSchema(page, name);
    await page.getByTestId('schema-explorer').waitFor();
    const ops = await page.getByTestId('schema-op').count();
    for (let o = 0; o < ops; o++) {
      await page.getByTestId('schema-op').nth(o).click();
      const n = await page.getByRole('tab').count();
      for (let i = 0; i < n; i++) {
        await page.getByRole('tab').nth(i).click();
        const label = await page.getByRole('tab').nth(i).textContent();
        await page.waitForFunction((l) => document.querySelector('[data-testid=schema-body-status]')?.textContent === `Valid for ${l}.`, label);
        const before = await page.getByTestId('schema-result-line').count() ? await page.getByTestId('schema-result-line').textContent() : '';
        await page.getByTestId('schema-send').click();
        await page.waitForFunction(() => document.querySelector('[data-testid=schema-send]').textContent === 'Send request'
          && document.querySelector('[data-testid=schema-result-line]'));
        const text = await page.getByTestId('schema-result-line').textContent();
        assert.match(text, /^HTTP 200 OK/, `${name} op ${o} ${label}: ${text} ${await page.getByTestId('schema-response').textContent()}`);
        assert.ok(JSON.parse(await page.getByTestId('schema-response').textContent()).predictions, `${name} ${label}`);
        checked.push(`${name}#${o}/${label}`);
        void before;
      }
    }
  }
  assert.ok(checked.length >= 16, checked.join(', '));
});

test('a stopped endpoint and one without a signature explain why', async () => {
  await fresh();
  const { page } = browser;
  await openSchema(page, 'forecast-batch-scorer');
  await page.getByTestId('schema-unavailable').waitFor();
  assert.match(await page.getByTestId('schema-unavailable-reason').textContent(), /stopped/);
  await page.getByRole('link', { name: 'See the logs' }).waitFor();
  const got = (await server.control('GET', 'requests')).filter((r) => r.path.endsWith('/openapi'));
  assert.equal(got.length, 0, 'no schema request for a stopped endpoint');
  await screenshot(page, 'schema-stopped');
  assert.deepEqual(await axe(page), []);

  await openSchema(page, 'realtime-risk-features');
  await page.getByTestId('schema-unavailable').waitFor();
  assert.match(await page.getByTestId('schema-unavailable').textContent(), /no model signature/);
});

test('a view-only user reads the schema but cannot send', async () => {
  await fresh();
  const { page, context } = browser;
  await context.setExtraHTTPHeaders({ Authorization: 'Bearer dapi-emulator-view' });
  await openSchema(page, 'churn-model');
  await page.getByTestId('schema-send').waitFor();
  assert.equal(await page.getByTestId('schema-send').getAttribute('aria-disabled'), 'true');
  assert.match(await page.getByTestId('schema-send-reason').textContent(), /Can Query/);
  await page.getByTestId('schema-send').dispatchEvent('click');
  const posts = (await server.control('GET', 'requests')).filter((r) => r.method === 'POST');
  assert.equal(posts.length, 0);
});

test('search, deep link through a reload, keyboard in the tree, axe light and dark', async () => {
  await fresh();
  const { page } = browser;
  await openSchema(page, 'ltv-regressor');
  await page.getByTestId('schema-explorer').waitFor();
  await page.getByLabel('Search the schema').fill('city');
  const hit = page.getByTestId('schema-hit').first();
  await hit.waitFor();
  assert.match(await hit.textContent(), /customer › address › city/);
  await hit.click();
  const city = page.getByRole('treeitem', { name: /^\s*city/ });
  await city.waitFor();
  assert.equal(await city.getAttribute('aria-selected'), 'true');
  await page.waitForFunction(() => document.activeElement?.getAttribute('role') === 'treeitem');
  assert.match(page.url(), /node=/);
  // Reload: the same node is selected and focused.
  await page.reload();
  await page.getByRole('treeitem', { name: /^\s*city/ }).waitFor();
  assert.equal(await page.getByRole('treeitem', { name: /^\s*city/ }).getAttribute('aria-selected'), 'true');
  await page.getByTestId('schema-details').waitFor();
  // Keyboard: up goes to the previous row, left to the parent.
  await page.waitForFunction(() => document.activeElement?.getAttribute('role') === 'treeitem');
  await page.keyboard.press('ArrowLeft');
  await page.waitForFunction(() => /address/.test(document.activeElement?.textContent || ''));
  await page.keyboard.press('ArrowLeft');
  await page.waitForFunction(() => ![...document.querySelectorAll('[role=treeitem]')].some((r) => r.textContent.startsWith('city')));
  // The copy snippets open and carry no token but $DATABRICKS_TOKEN.
  await page.getByText('Copy as curl, Python or Databricks SDK').click();
  const curl = await page.getByTestId('snippet-curl').textContent();
  assert.match(curl, /\$DATABRICKS_TOKEN/);
  assert.doesNotMatch(curl, /dapi-/);
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    assert.deepEqual(await axe(page), [], `axe (${scheme})`);
  }
  await screenshot(page, 'schema-dark');
  await page.emulateMedia({ colorScheme: 'light' });
  assert.deepEqual(browser.errors.filter((e) => !/Failed to load resource/.test(e)), []);
});
