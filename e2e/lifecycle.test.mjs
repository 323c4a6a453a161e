// End-to-end journeys of Stop / Start / Delete against `serving-console demo --control` with a
// frozen clock (update delay 20 s, so stopping takes 5 s of emulated time; the tests advance it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, screenshot, journey, server, browser, axe } from './lib.mjs';

journey();

async function fresh() {
  await server.control('POST', 'reset');
  await server.control('DELETE', 'faults');
  await server.control('DELETE', 'requests');
}

async function advance(secs) {
  await server.control('POST', 'time', { advance_secs: secs });
}

async function requests(method, suffix) {
  const all = await server.control('GET', 'requests');
  return all.filter((r) => r.method === method && r.path.endsWith(suffix));
}

async function apiStatus(name) {
  return (await fetch(`${server.base}/api/2.0/serving-endpoints/${name}`)).status;
}

/** The text of the element an element's aria-describedby points to. */
async function description(locator) {
  return locator.evaluate((el) => {
    const id = el.getAttribute('aria-describedby');
    return id ? document.getElementById(id)?.textContent ?? null : null;
  });
}

async function open(page, name) {
  await page.goto(`${server.base}/endpoints/${name}`);
  await page.getByTestId('state-indicator').waitFor();
  await page.locator('#endpoint-stop').waitFor();
}

const badge = (page) => page.getByTestId('state-indicator').locator('.badge__label');
const toast = (page, text) => page.locator('.toast', { hasText: text });

test('stop → Not ready (Stopped) → start → Ready, confirmed by the API each time', async () => {
  await fresh();
  const { page } = browser;
  await open(page, 'ltv-regressor');
  assert.equal(await badge(page).textContent(), 'Ready');
  const stop = page.getByRole('button', { name: 'Stop', exact: true });
  const start = page.getByRole('button', { name: 'Start', exact: true });
  assert.equal(await start.getAttribute('aria-disabled'), 'true');

  await stop.click();
  const dialog = page.getByRole('alertdialog', { name: 'Stop ltv-regressor?' });
  await dialog.waitFor();
  assert.match(await dialog.textContent(), /HTTP 400/);
  await screenshot(page, 'lifecycle-stop-dialog');
  await dialog.getByRole('button', { name: 'Stop endpoint' }).click();
  await dialog.waitFor({ state: 'hidden' });

  // Pending, and the header follows the API: stopping reads Not ready (Updating).
  await page.locator('#endpoint-stop', { hasText: 'Stopping…' }).waitFor();
  await badge(page).filter({ hasText: 'Not ready (Updating)' }).waitFor();
  assert.equal(await toast(page, 'Stopped').count(), 0, 'not optimistic: no outcome yet');
  await advance(5);
  await toast(page, 'Stopped ltv-regressor').waitFor({ timeout: 15000 });
  await badge(page).filter({ hasText: 'Not ready (Stopped)' }).waitFor();
  assert.equal(await stop.getAttribute('aria-disabled'), 'true');
  assert.equal(await description(stop), 'The endpoint is already stopped.');
  await screenshot(page, 'lifecycle-stopped');

  // Start: no confirmation, a new config version rolls out, then Ready.
  assert.equal(await start.getAttribute('aria-disabled'), null);
  await start.click();
  await page.locator('#endpoint-start', { hasText: 'Starting…' }).waitFor();
  await badge(page).filter({ hasText: 'Not ready (Updating)' }).waitFor({ timeout: 15000 });
  await advance(20);
  await toast(page, 'Started ltv-regressor; it is Ready.').waitFor({ timeout: 15000 });
  await badge(page).filter({ hasText: /^Ready$/ }).waitFor();

  assert.equal((await requests('POST', '/ltv-regressor/config:stop')).length, 1);
  assert.equal((await requests('POST', '/ltv-regressor/config:start')).length, 1);
});

test('a seeded failing start ends with an error toast carrying the message', async () => {
  await fresh();
  const { page } = browser;
  await open(page, 'forecast-batch-scorer');
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await page.locator('#endpoint-start', { hasText: 'Starting…' }).waitFor();
  await badge(page).filter({ hasText: 'Not ready (Updating)' }).waitFor({ timeout: 15000 });
  await advance(20);
  const t = page.locator('.toast--error', { hasText: 'Starting forecast-batch-scorer failed' });
  await t.waitFor({ timeout: 15000 });
  assert.match(await t.textContent(), /Container image creation failed/);
});

test('delete through the kebab menu, by keyboard: list without the row, toast, 404', async () => {
  await fresh();
  const { page } = browser;
  await open(page, 'legacy-iris-classifier');
  const kebab = page.getByRole('button', { name: 'More actions' });
  assert.equal(await kebab.getAttribute('aria-haspopup'), 'menu');
  await kebab.focus();
  await page.keyboard.press('Enter');
  const del = page.getByRole('menuitem', { name: 'Delete…' });
  await del.waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('role')), 'menuitem');
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('alertdialog', { name: 'Delete legacy-iris-classifier?' });
  await dialog.waitFor();
  const confirm = dialog.getByRole('button', { name: 'Delete endpoint' });
  assert.ok(await confirm.isDisabled(), 'gated by the typed name');
  await page.keyboard.type('legacy-iris-classifier');
  assert.ok(await confirm.isEnabled());
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/endpoints$/);
  await toast(page, 'Deleted legacy-iris-classifier.').waitFor();
  await page.getByTestId('endpoint-row').first().waitFor();
  assert.equal(await page.getByRole('link', { name: 'legacy-iris-classifier', exact: true }).count(), 0);
  assert.equal(await apiStatus('legacy-iris-classifier'), 404);
  assert.equal((await requests('DELETE', '/legacy-iris-classifier')).length, 1);
});

test('Escape (and Cancel) in the delete dialog delete nothing; focus returns to the menu button', async () => {
  await fresh();
  const { page } = browser;
  await open(page, 'fraud-detector-staging');
  const kebab = page.getByRole('button', { name: 'More actions' });
  await kebab.click();
  await page.getByRole('menuitem', { name: 'Delete…' }).click();
  const dialog = page.getByRole('alertdialog', { name: 'Delete fraud-detector-staging?' });
  await dialog.waitFor();
  await page.keyboard.type('fraud-detector-staging');
  // Tab stays inside the dialog.
  for (let i = 0; i < 4; i++) {
    await page.keyboard.press('Tab');
    assert.ok(await dialog.evaluate((d) => d.contains(document.activeElement)), 'focus trapped');
  }
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'endpoint-actions-button');
  await kebab.click();
  await page.getByRole('menuitem', { name: 'Delete…' }).click();
  await dialog.waitFor();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await dialog.waitFor({ state: 'hidden' });
  assert.equal((await requests('DELETE', '/fraud-detector-staging')).length, 0);
  assert.equal(await apiStatus('fraud-detector-staging'), 200);
});

test('as the CAN_QUERY user the buttons are disabled and say why', async () => {
  await fresh();
  const quinn = await launch();
  try {
    await quinn.context.setExtraHTTPHeaders({ Authorization: 'Bearer dapi-emulator-query' });
    const { page } = quinn;
    await open(page, 'fraud-detector-prod');
    const why = 'You need the Can Manage permission on this endpoint.';
    for (const label of ['Stop', 'Start']) {
      const b = page.getByRole('button', { name: label, exact: true });
      assert.equal(await b.getAttribute('aria-disabled'), 'true', label);
      assert.equal(await description(b), why, label);
    }
    // The reason shows on hover too, and clicking does nothing.
    const stop = page.getByRole('button', { name: 'Stop', exact: true });
    await stop.hover();
    await page.getByRole('tooltip', { name: why }).first().waitFor();
    await stop.click({ force: true }); // Playwright itself refuses aria-disabled targets
    assert.equal(await page.getByRole('alertdialog').count(), 0);
    await page.getByRole('button', { name: 'More actions' }).click();
    const del = page.getByRole('menuitem', { name: 'Delete…' });
    assert.equal(await del.getAttribute('aria-disabled'), 'true');
    assert.equal(await description(del), why);
    await screenshot(page, 'lifecycle-can-query');
    assert.equal((await requests('POST', '/config:stop')).length, 0);
  } finally {
    await quinn.close();
  }
});

test('an injected 503 on stop shows the error, and the emulator saw exactly one stop', async () => {
  await fresh();
  await server.control('POST', 'faults', {
    method: 'POST', path: '/api/2.0/serving-endpoints/*/config:stop',
    fault: { kind: 'status', status: 503, error_code: 'TEMPORARILY_UNAVAILABLE', message: 'Injected outage' },
  });
  const { page } = browser;
  await open(page, 'fraud-detector-prod');
  const stop = page.getByRole('button', { name: 'Stop', exact: true });
  await stop.click();
  const dialog = page.getByRole('alertdialog', { name: 'Stop fraud-detector-prod?' });
  await dialog.getByRole('button', { name: 'Stop endpoint' }).dblclick();
  const err = page.locator('.toast--error', { hasText: 'Could not stop fraud-detector-prod' });
  await err.waitFor();
  const t = await err.textContent();
  assert.match(t, /Injected outage/);
  assert.match(t, /HTTP 503, TEMPORARILY_UNAVAILABLE/);
  // Consistent: still Ready, Stop offered again; never retried.
  await page.locator('#endpoint-stop', { hasText: /^Stop$/ }).waitFor();
  assert.equal(await stop.getAttribute('aria-disabled'), null);
  assert.equal(await badge(page).textContent(), 'Ready');
  // The client retries (reads) before it reports an error, so once the error shows, any retry
  // would already be on record.
  assert.equal((await requests('POST', '/fraud-detector-prod/config:stop')).length, 1);
});

test('Copy name and Copy id (by keyboard) put them on the clipboard, with a toast', async () => {
  await fresh();
  const { page, context } = browser;
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.base });
  await open(page, 'fraud-detector-prod');
  const kebab = page.getByRole('button', { name: 'More actions' });
  await kebab.click();
  await page.getByRole('menuitem', { name: 'Copy name' }).click();
  await toast(page, 'Copied the name: fraud-detector-prod').waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), 'fraud-detector-prod');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'endpoint-actions-button');
  // ArrowUp opens the menu on its last item, Copy id.
  await page.keyboard.press('ArrowUp');
  await page.getByRole('menuitem', { name: 'Copy id' }).waitFor();
  await page.keyboard.press('Enter');
  const { id } = await (await fetch(`${server.base}/api/2.0/serving-endpoints/fraud-detector-prod`)).json();
  await toast(page, `Copied the id: ${id}`).waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), id);
  await context.clearPermissions();
});

test('axe-core finds no violations with the menu open and with each dialog open, light and dark', async () => {
  await fresh();
  const { page } = browser;
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    await open(page, 'fraud-detector-prod');
    await page.getByRole('button', { name: 'More actions' }).click();
    await page.getByRole('menu').waitFor();
    assert.deepEqual(await axe(page), [], `menu open (${scheme})`);
    await screenshot(page, `lifecycle-menu-${scheme}`);
    await page.getByRole('menuitem', { name: 'Delete…' }).click();
    const del = page.getByRole('alertdialog', { name: 'Delete fraud-detector-prod?' });
    await del.waitFor();
    await page.keyboard.type('fraud-detector-dev');
    assert.deepEqual(await axe(page), [], `delete dialog open (${scheme})`);
    await screenshot(page, `lifecycle-delete-${scheme}`);
    await page.keyboard.press('Escape');
    await del.waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    const stop = page.getByRole('alertdialog', { name: 'Stop fraud-detector-prod?' });
    await stop.waitFor();
    assert.deepEqual(await axe(page), [], `stop dialog open (${scheme})`);
    await page.keyboard.press('Escape');
    await stop.waitFor({ state: 'hidden' });
    // A disabled action with its tooltip showing.
    await page.goto(`${server.base}/endpoints/openai-gpt-4o-chat`);
    await page.locator('#endpoint-stop').hover();
    await page.getByRole('tooltip').first().waitFor();
    assert.deepEqual(await axe(page), [], `disabled reason shown (${scheme})`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
  assert.equal((await requests('DELETE', '/fraud-detector-prod')).length, 0);
});
