// Accessibility sweep (budgets.md X1, X2, X4): axe-core with 0 violations of any impact in
// every enumerated UI state, light and dark; keyboard-only journeys for every task with the
// WAI-ARIA patterns the console uses (menu button, tabs as links, schema tabs and tree, modal
// dialogs) and a visible focus indicator at each step; reflow at 320 CSS px and at 200 % zoom.
//
// Each axe state is a subtest named "axe: <state> (<theme>)", so the output lists every state.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, launch, journey, server, browser, axe } from './lib.mjs';

/** The rule tags of budgets.md X1. */
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];
const THEMES = ['light', 'dark'];

const states = [];

journey(['--freeze-time'], {
  tearDown: () => {
    if (states.length) console.log(`# axe-clean UI states (${states.length}): ${states.join('; ')}`);
  },
});

async function fresh(srv = server) {
  await srv.control('POST', 'reset');
  await srv.control('DELETE', 'faults');
  await srv.control('DELETE', 'requests');
}

/** Run axe in each theme as a named subtest; every violation (any impact) fails it. */
async function axeState(t, page, name, themes = THEMES) {
  for (const scheme of themes) {
    await page.emulateMedia({ colorScheme: scheme });
    const found = await axe(page, TAGS);
    await t.test(`axe: ${name} (${scheme})`, () => assert.deepEqual(found, []));
  }
  await page.emulateMedia({ colorScheme: 'light' });
  states.push(name);
}

const badge = (page) => page.getByTestId('state-indicator').locator('.badge__label');

async function openDetail(page, name, tab = '') {
  await page.goto(`${server.base}/endpoints/${name}${tab ? `/${tab}` : ''}`);
  await page.getByTestId('state-indicator').waitFor();
}

// ---------------------------------------------------------------------------------------------
// Keyboard helpers: every key press is followed by a check that the focused element shows a
// focus indicator (an outline of at least 2 px or a box-shadow, while it matches :focus-visible).

/** What has focus, and whether its focus is visible. */
async function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body || el === document.documentElement) return { none: true, desc: 'body' };
    const cs = getComputedStyle(el);
    const outline = cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2;
    const shadow = cs.boxShadow && cs.boxShadow !== 'none';
    const r = el.getBoundingClientRect();
    const name = (el.getAttribute('aria-label') || el.textContent || el.value || '').trim().replace(/\s+/g, ' ').slice(0, 50);
    return {
      none: false,
      id: el.id,
      tag: el.tagName.toLowerCase(),
      role: el.getAttribute('role'),
      row: el.closest('[data-principal]')?.dataset.principal ?? null,
      testid: el.dataset.testid ?? null,
      name,
      visible: el.matches(':focus-visible') && (outline || shadow) && r.width > 0 && r.height > 0,
      desc: `<${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.getAttribute('role') ? ` role=${el.getAttribute('role')}` : ''}> "${name}" outline=${cs.outlineStyle} ${cs.outlineWidth}`,
    };
  });
}

/** Press a key and assert the focused element shows its focus (focus moved by the page in a
 *  later task, e.g. after a re-render, is waited for). */
async function press(page, key) {
  await page.keyboard.press(key);
  await page.waitForFunction(() => document.activeElement && document.activeElement !== document.body, null, { timeout: 2000 }).catch(() => {});
  const f = await focused(page);
  assert.ok(!f.none, `after ${key}: something has focus (${f.desc})`);
  assert.ok(f.visible, `after ${key}: visible focus on ${f.desc}`);
  return f;
}

/** Tab (or Shift+Tab) until `match(focused)` holds; every stop shows its focus. */
async function tabTo(page, match, what, { back = false, max = 60 } = {}) {
  const seen = [];
  for (let i = 0; i < max; i++) {
    const f = await press(page, back ? 'Shift+Tab' : 'Tab');
    seen.push(f.desc);
    if (match(f)) return f;
  }
  assert.fail(`${what} not reached with ${back ? 'Shift+Tab' : 'Tab'}; stops: ${seen.join(' → ')}`);
}

const byName = (re) => (f) => re.test(f.name);
const byId = (id) => (f) => f.id === id;

/** Tab and Shift+Tab stay inside `dialog` for a full cycle. */
async function assertTrapped(page, dialog) {
  const count = await dialog.evaluate((d) => d.querySelectorAll('button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea, a[href], [tabindex]:not([tabindex="-1"])').length);
  for (const key of ['Tab', 'Shift+Tab']) {
    for (let i = 0; i < count + 2; i++) {
      await press(page, key);
      assert.ok(await dialog.evaluate((d) => d.contains(document.activeElement)), `${key} #${i + 1}: focus stays in the dialog`);
    }
  }
}

async function activeId(page) {
  return page.evaluate(() => document.activeElement?.id ?? '');
}

// ---------------------------------------------------------------------------------------------
// X1: axe in every state.

test('axe: list states (loading, error, 503, no match, filtered, toast, offline, token prompt)', async (t) => {
  await fresh();
  const { page, context } = browser;

  // Loading: the list request hangs.
  await server.control('POST', 'faults', { method: 'GET', path: '/api/2.0/serving-endpoints', times: 1, fault: { kind: 'hang' } });
  await page.goto(`${server.base}/endpoints`);
  await page.getByTestId('skeleton').waitFor();
  await axeState(t, page, 'list loading');

  // Error: an nginx-like HTML 502 (not retried).
  await fresh();
  await server.control('POST', 'faults', { method: 'GET', path: '/api/2.0/serving-endpoints', fault: { kind: 'html502' } });
  await page.goto(`${server.base}/endpoints`);
  await page.getByTestId('error-view').waitFor({ timeout: 20000 });
  await axeState(t, page, 'list error (HTML 502)');

  // Error: a 503 that never recovers (the retries run out).
  await fresh();
  await server.control('POST', 'faults', {
    method: 'GET', path: '/api/2.0/serving-endpoints',
    fault: { kind: 'status', status: 503, error_code: 'TEMPORARILY_UNAVAILABLE', message: 'Injected outage' },
  });
  await page.goto(`${server.base}/endpoints`);
  await page.getByTestId('error-view').waitFor({ timeout: 30000 });
  await axeState(t, page, 'list error (503 after retries)');

  // Loaded, with every seeded state badge (the refined "Not ready (Stopped)" included).
  await fresh();
  await page.goto(`${server.base}/endpoints`);
  await page.locator('[data-testid=endpoint-row] .badge__label', { hasText: 'Not ready (Stopped)' }).first().waitFor();
  await axeState(t, page, 'list loaded (every state badge)');

  // Filtered: a state filter and a search.
  await page.getByRole('combobox', { name: 'State' }).selectOption({ label: 'Ready (Updating)' });
  await page.getByTestId('count').filter({ hasText: / of / }).waitFor();
  await axeState(t, page, 'list filtered by state');
  await page.getByRole('combobox', { name: 'State' }).selectOption({ label: 'All states' });
  await page.getByRole('searchbox', { name: 'Search' }).fill('zzz-no-such-endpoint');
  await page.getByTestId('no-match').waitFor();
  await axeState(t, page, 'list with no match');

  // A toast (Copy name) on the detail page.
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.base });
  await openDetail(page, 'fraud-detector-prod');
  await page.getByRole('button', { name: 'More actions' }).click();
  await page.getByRole('menuitem', { name: 'Copy name' }).click();
  await page.locator('.toast', { hasText: 'Copied the name' }).waitFor();
  await axeState(t, page, 'toast visible');
  await context.clearPermissions();

  // Offline banner on the list.
  await page.goto(`${server.base}/endpoints`);
  await page.getByTestId('endpoint-row').first().waitFor();
  await context.setOffline(true);
  try {
    await page.getByTestId('offline-banner').waitFor();
    await axeState(t, page, 'offline banner (list)');
  } finally {
    await context.setOffline(false);
  }
  await page.getByTestId('offline-banner').waitFor({ state: 'detached' });

  // Token mode: config.json says "auth": "token"; the dialog asks first.
  const tok = await launch();
  try {
    await tok.page.route('**/config.json', (r) => r.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ auth: 'token' }) }));
    await tok.page.goto(`${server.base}/endpoints`);
    await tok.page.getByRole('dialog', { name: 'Personal access token' }).waitFor();
    await tok.page.getByTestId('token-required').waitFor();
    await axeState(t, tok.page, 'token prompt');
  } finally {
    await tok.close();
  }
});

test('axe: empty list and a list of 10,000 endpoints', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'sc-a11y-'));
  const seed = path.join(dir, 'empty.json');
  writeFileSync(seed, JSON.stringify({ endpoints: [] }));
  const empty = await startServer(['--freeze-time', '--seed', seed]);
  const big = await startServer(['--freeze-time', '--seed', seed, '--generate', '10000']);
  const { page } = browser;
  try {
    await page.goto(`${empty.base}/endpoints`);
    await page.getByTestId('empty-state').waitFor();
    await axeState(t, page, 'list empty');

    await page.goto(`${big.base}/endpoints`);
    await page.getByTestId('count').filter({ hasText: '10,000 endpoints' }).waitFor({ timeout: 30000 });
    await axeState(t, page, 'list of 10,000 endpoints');
    // Scrolled far down: still the same table semantics.
    await page.getByRole('region', { name: 'Serving endpoints table' }).evaluate((el) => { el.scrollTop = 200000; });
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=endpoint-row]')].some((r) => Number(r.getAttribute('aria-rowindex')) > 4000));
    await axeState(t, page, 'list of 10,000 endpoints, scrolled');
  } finally {
    await empty.stop();
    await big.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('axe: detail in each display state, every tab, menu and dialogs', async (t) => {
  await fresh();
  const { page } = browser;

  // Loading detail.
  await server.control('POST', 'faults', { method: 'GET', path: '/api/2.0/serving-endpoints/fraud-detector-prod', times: 1, fault: { kind: 'hang' } });
  await page.goto(`${server.base}/endpoints/fraud-detector-prod`);
  await page.getByTestId('skeleton').waitFor();
  await axeState(t, page, 'detail loading');
  await fresh();

  for (const [name, label] of [
    ['fraud-detector-prod', 'Ready'],
    ['churn-model', 'Ready (Updating)'],
    ['pricing-model', 'Ready (Update failed)'],
    ['recsys-ranker', 'Not ready (Updating)'],
    ['sentiment-bert-gpu', 'Not ready (Update failed)'],
    ['forecast-batch-scorer', 'Not ready (Stopped)'],
  ]) {
    await openDetail(page, name);
    assert.equal(await badge(page).textContent(), label, name);
    await axeState(t, page, `detail ${label} (${name}), Overview`);
  }

  await page.goto(`${server.base}/endpoints/no-such-endpoint`);
  await page.getByTestId('endpoint-not-found').waitFor();
  await axeState(t, page, 'detail not found');

  // Kebab menu open, then each dialog.
  await openDetail(page, 'fraud-detector-prod');
  await page.getByRole('button', { name: 'More actions' }).click();
  await page.getByRole('menu').waitFor();
  await axeState(t, page, 'kebab menu open');
  await page.getByRole('menuitem', { name: 'Delete…' }).click();
  const del = page.getByRole('alertdialog', { name: 'Delete fraud-detector-prod?' });
  await del.waitFor();
  await axeState(t, page, 'delete dialog (empty)');
  await page.keyboard.type('fraud-detector-dev');
  await page.getByTestId('delete-hint').filter({ hasText: 'not the endpoint' }).waitFor();
  await axeState(t, page, 'delete dialog (name does not match)');
  await page.keyboard.press('Escape');
  await del.waitFor({ state: 'hidden' });
  await page.getByRole('button', { name: 'Stop', exact: true }).click();
  const stop = page.getByRole('alertdialog', { name: 'Stop fraud-detector-prod?' });
  await stop.waitFor();
  await axeState(t, page, 'stop dialog');
  await page.keyboard.press('Escape');
  await stop.waitFor({ state: 'hidden' });

  // Logs: loaded, searching.
  await page.goto(`${server.base}/endpoints/pricing-model/logs?entity=pricing_model-4&kind=build&version=4`);
  await page.getByTestId('log-row').first().waitFor();
  await axeState(t, page, 'Logs tab (build log loaded)');
  await page.getByTestId('log-search').fill('error');
  await page.waitForFunction(() => document.querySelector('[data-testid=log-count]')?.dataset.state === 'done');
  await axeState(t, page, 'Logs tab (searching, matches highlighted)');
  await browser.context.setOffline(true);
  try {
    await page.getByTestId('offline-banner').waitFor();
    await axeState(t, page, 'offline banner (Logs tab)');
  } finally {
    await browser.context.setOffline(false);
  }

  // Permissions: read, editing, preview dialog, conflict dialog.
  await openDetail(page, 'fraud-detector-prod', 'permissions');
  await page.getByTestId('perm-row').first().waitFor();
  await axeState(t, page, 'Permissions tab');
  await page.locator('#perm-add-name').fill('zoe.new@contoso.com');
  await page.locator('form[data-testid=perm-add] button[type=submit]').click();
  await page.getByTestId('perm-savebar').waitFor();
  await axeState(t, page, 'Permissions tab (editing, unsaved addition)');
  await page.locator('#perm-add-name').fill('not-an-email');
  await page.locator('#perm-add-name').press('Enter');
  await page.getByTestId('perm-add-name-error').filter({ hasText: /e-mail/ }).waitFor();
  await axeState(t, page, 'Permissions tab (validation error)');
  // A removal too: saved with a PUT of the whole list, so a change meanwhile is a conflict.
  await page.locator('[data-testid=perm-row][data-principal="gina.rossi@contoso.com"][data-source=direct]')
    .getByRole('button', { name: 'Remove gina.rossi@contoso.com' }).click();
  await page.locator('#perm-save').click();
  await page.locator('dialog#perm-preview').waitFor({ state: 'visible' });
  await axeState(t, page, 'permissions preview (confirm) dialog');
  // Someone else changes the list meanwhile: the save is a conflict.
  const r = await fetch(`${server.base}/api/2.0/permissions/serving-endpoints/3f1b9c2e8d4a4f6b9e0c7a5d2b1e4f8a`, {
    method: 'PATCH',
    headers: { Authorization: 'Bearer dapi-emulator-creator', 'content-type': 'application/json' },
    body: JSON.stringify({ access_control_list: [{ user_name: 'bob.okafor@contoso.com', permission_level: 'CAN_VIEW' }] }),
  });
  assert.equal(r.status, 200);
  await page.getByTestId('perm-confirm').click();
  await page.locator('dialog#perm-conflict').waitFor({ state: 'visible' });
  await axeState(t, page, 'permissions conflict dialog');
  await page.keyboard.press('Escape');
  await page.locator('dialog#perm-conflict').waitFor({ state: 'hidden' });
  // Leaving with unsaved edits asks first.
  await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Serving endpoints' }).click();
  await page.locator('dialog#perm-leave').waitFor({ state: 'visible' });
  await axeState(t, page, 'permissions leave dialog');
  await page.getByTestId('perm-leave-confirm').click();
  await page.waitForURL(/\/endpoints$/);

  // Schema: explorer with a deeply expanded tree and details, and a stopped endpoint.
  await openDetail(page, 'fraud-detector-prod', 'schema');
  await page.getByTestId('schema-explorer').waitFor();
  await axeState(t, page, 'Schema tab');
  await page.getByRole('treeitem', { name: /dataframe_split/ }).click();
  await page.getByRole('treeitem', { name: /^data\s/ }).click();
  await page.getByRole('treeitem', { name: /\[items\]/ }).click();
  await page.getByRole('treeitem', { name: /\[10\] billing_address/ }).click();
  await page.getByTestId('schema-details').waitFor();
  await axeState(t, page, 'Schema tab (tree expanded four levels, details shown)');
  await openDetail(page, 'forecast-batch-scorer', 'schema');
  await page.getByTestId('schema-unavailable').waitFor();
  await axeState(t, page, 'Schema tab (stopped endpoint)');
});

// ---------------------------------------------------------------------------------------------
// X2: keyboard-only journeys.

test('keyboard: skip link, find an endpoint, open it, switch tabs (links with aria-current)', async () => {
  await fresh();
  const { page } = browser;
  await page.goto(`${server.base}/endpoints`);
  await page.getByTestId('endpoint-row').first().waitFor();

  // The first Tab stop is the skip link; it moves on to the content.
  let f = await press(page, 'Tab');
  assert.equal(f.name, 'Skip to content');
  await page.keyboard.press('Enter');
  f = await press(page, 'Tab');
  assert.ok(await page.evaluate(() => document.getElementById('main').contains(document.activeElement)), `after the skip link, Tab lands in main: ${f.desc}`);

  // Search by keyboard, then Tab to the row's link and open it.
  f = await tabTo(page, (x) => x.tag === 'input', 'the search box');
  assert.equal(await page.evaluate(() => document.activeElement.type), 'search');
  await page.keyboard.type('fraud-detector');
  await page.getByTestId('count').filter({ hasText: / of / }).waitFor();
  await tabTo(page, byName(/^fraud-detector-prod$/), 'the fraud-detector-prod link');
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/endpoints\/fraud-detector-prod$/);
  await page.getByTestId('state-indicator').waitFor();

  // Tabs are navigation links: Tab to "Logs", Enter; aria-current follows.
  const tab = (n) => page.getByRole('navigation', { name: 'Endpoint sections' }).getByRole('link', { name: n });
  assert.equal(await tab('Overview').getAttribute('aria-current'), 'page');
  await tabTo(page, byName(/^Logs$/), 'the Logs tab');
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/fraud-detector-prod\/logs/);
  await page.getByTestId('logs-tab').waitFor();
  assert.equal(await tab('Logs').getAttribute('aria-current'), 'page');
  assert.equal(await tab('Overview').getAttribute('aria-current'), null);
  f = await focused(page);
  assert.equal(f.name, 'Logs', 'focus stays on the tab link after switching');
  for (const [name, re, ready] of [['Permissions', /\/permissions$/, 'permissions'], ['Schema', /\/schema$/, 'schema-tab']]) {
    await tabTo(page, byName(new RegExp(`^${name}$`)), `the ${name} tab`);
    await page.keyboard.press('Enter');
    await page.waitForURL(re);
    await page.getByTestId(ready).waitFor();
    assert.equal(await tab(name).getAttribute('aria-current'), 'page');
  }
  // Back to Overview with Shift+Tab.
  await tabTo(page, byName(/^Overview$/), 'the Overview tab', { back: true });
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/fraud-detector-prod$/);
  assert.equal(await tab('Overview').getAttribute('aria-current'), 'page');
});

test('keyboard: stop and start through the dialog; Escape cancels; focus trapped and returned', async () => {
  await fresh();
  const { page } = browser;
  await openDetail(page, 'ltv-regressor');
  await page.locator('#endpoint-stop').waitFor();
  await tabTo(page, byId('endpoint-stop'), 'Stop');
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('alertdialog', { name: 'Stop ltv-regressor?' });
  await dialog.waitFor();
  assert.equal(await dialog.getAttribute('aria-modal'), 'true');
  await page.waitForFunction(() => document.activeElement?.id === 'stop-dialog-cancel');
  await assertTrapped(page, dialog);
  // Escape closes, nothing is stopped, focus is back on Stop.
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  assert.equal(await activeId(page), 'endpoint-stop');
  assert.ok((await focused(page)).visible, 'focus visible on Stop after Escape');
  // Space opens it again; Tab to "Stop endpoint", Enter.
  await page.keyboard.press('Space');
  await dialog.waitFor();
  await page.waitForFunction(() => document.activeElement?.id === 'stop-dialog-cancel');
  await tabTo(page, byId('stop-dialog-confirm'), 'Stop endpoint');
  await page.keyboard.press('Enter');
  await dialog.waitFor({ state: 'hidden' });
  assert.equal(await activeId(page), 'endpoint-stop', 'focus back on the trigger');
  await badge(page).filter({ hasText: 'Not ready (Updating)' }).waitFor({ timeout: 15000 });
  await server.control('POST', 'time', { advance_secs: 5 });
  await badge(page).filter({ hasText: 'Not ready (Stopped)' }).waitFor({ timeout: 15000 });
  // Start has no confirmation: Tab to it, Space.
  await tabTo(page, byId('endpoint-start'), 'Start');
  await page.keyboard.press('Space');
  await page.locator('#endpoint-start', { hasText: 'Starting…' }).waitFor();
  await badge(page).filter({ hasText: 'Not ready (Updating)' }).waitFor({ timeout: 15000 });
  await server.control('POST', 'time', { advance_secs: 20 });
  await badge(page).filter({ hasText: /^Ready$/ }).waitFor({ timeout: 15000 });
  const reqs = await server.control('GET', 'requests');
  assert.equal(reqs.filter((r) => r.method === 'POST' && r.path.endsWith('/ltv-regressor/config:stop')).length, 1);
  assert.equal(reqs.filter((r) => r.method === 'POST' && r.path.endsWith('/ltv-regressor/config:start')).length, 1);
});

test('keyboard: the menu button (APG) and delete through the typed-name dialog', async () => {
  await fresh();
  const { page } = browser;
  await openDetail(page, 'legacy-iris-classifier');
  const button = page.getByRole('button', { name: 'More actions' });
  await tabTo(page, byId('endpoint-actions-button'), 'More actions');
  assert.equal(await button.getAttribute('aria-haspopup'), 'menu');
  assert.equal(await button.getAttribute('aria-expanded'), 'false');
  const item = async () => (await focused(page)).name;
  const labels = await (async () => {
    await press(page, 'Enter');
    assert.equal(await button.getAttribute('aria-expanded'), 'true');
    return page.getByRole('menuitem').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
  })();
  assert.ok(labels.length >= 3, `menu items: ${labels}`);
  assert.equal(await item(), labels[0], 'Enter opens on the first item');
  await press(page, 'ArrowDown');
  assert.equal(await item(), labels[1]);
  await press(page, 'End');
  assert.equal(await item(), labels.at(-1));
  await press(page, 'ArrowDown');
  assert.equal(await item(), labels[0], 'ArrowDown wraps');
  await press(page, 'ArrowUp');
  assert.equal(await item(), labels.at(-1), 'ArrowUp wraps');
  await press(page, 'Home');
  assert.equal(await item(), labels[0]);
  await press(page, 'Escape');
  assert.equal(await activeId(page), 'endpoint-actions-button', 'Escape returns focus to the button');
  assert.equal(await button.getAttribute('aria-expanded'), 'false');
  assert.equal(await page.getByRole('menu').count(), 0);
  await press(page, 'ArrowUp');
  assert.equal(await item(), labels.at(-1), 'ArrowUp opens on the last item');
  await press(page, 'Escape');
  await press(page, 'Space');
  assert.equal(await item(), labels[0], 'Space opens on the first item');
  // Tab closes the menu.
  await press(page, 'Tab');
  assert.equal(await page.getByRole('menu').count(), 0, 'Tab closes the menu');
  await tabTo(page, byId('endpoint-actions-button'), 'More actions', { back: true });

  // Delete: ArrowDown to it, Enter; the dialog is trapped and needs the typed name.
  await press(page, 'ArrowDown');
  for (let i = 0; i < labels.length && (await item()) !== 'Delete…'; i++) await press(page, 'ArrowDown');
  assert.equal(await item(), 'Delete…');
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('alertdialog', { name: 'Delete legacy-iris-classifier?' });
  await dialog.waitFor();
  await page.waitForFunction(() => document.activeElement?.id === 'delete-confirm-input' || document.activeElement?.tagName === 'INPUT');
  assert.ok((await focused(page)).visible, 'the name field shows its focus');
  await assertTrapped(page, dialog);
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  assert.equal(await activeId(page), 'endpoint-actions-button', 'focus returns to the menu button');
  await page.keyboard.press('Enter');
  for (let i = 0; i < labels.length && (await item()) !== 'Delete…'; i++) await press(page, 'ArrowDown');
  await page.keyboard.press('Enter');
  await dialog.waitFor();
  await page.waitForFunction(() => document.activeElement?.tagName === 'INPUT');
  await page.keyboard.type('legacy-iris-classifier');
  await tabTo(page, (x) => x.name === 'Delete endpoint', 'Delete endpoint');
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/endpoints$/);
  await page.locator('.toast', { hasText: 'Deleted legacy-iris-classifier.' }).waitFor();
  const reqs = await server.control('GET', 'requests');
  assert.equal(reqs.filter((r) => r.method === 'DELETE' && r.path.endsWith('/legacy-iris-classifier')).length, 1);
});

test('keyboard: edit permissions and save through the preview dialog', async () => {
  await fresh();
  const { page } = browser;
  await openDetail(page, 'fraud-detector-prod', 'permissions');
  await page.getByTestId('perm-row').first().waitFor();
  await tabTo(page, byId('perm-add-kind'), 'the principal type');
  // A closed select changes with the arrow keys.
  await press(page, 'ArrowDown');
  assert.equal(await page.locator('#perm-add-kind').inputValue(), 'group');
  await press(page, 'ArrowUp');
  assert.equal(await page.locator('#perm-add-kind').inputValue(), 'user');
  await press(page, 'Tab');
  assert.equal(await activeId(page), 'perm-add-name');
  await page.keyboard.type('kim.keys@contoso.com');
  await press(page, 'Tab');
  assert.equal(await activeId(page), 'perm-add-level');
  await press(page, 'End');
  const level = await page.locator('#perm-add-level').inputValue();
  await tabTo(page, (x) => x.name === 'Add', 'Add');
  await page.keyboard.press('Enter');
  const added = page.locator('[data-testid=perm-row][data-principal="kim.keys@contoso.com"]');
  await added.waitFor();
  await page.waitForFunction(() => document.activeElement?.id === 'perm-add-name');
  assert.ok((await focused(page)).visible, 'focus back (visibly) in the name field for the next one');
  // Change an existing row's level with the keyboard too.
  const gina = page.locator('[data-testid=perm-row][data-principal="gina.rossi@contoso.com"][data-source=direct] select');
  const was = await gina.inputValue();
  await tabTo(page, (x) => x.tag === 'select' && x.row === 'gina.rossi@contoso.com', "gina's level", { back: true });
  const last = await gina.evaluate((el) => el.selectedIndex === el.options.length - 1);
  await press(page, last ? 'ArrowUp' : 'ArrowDown');
  const now = await gina.inputValue();
  assert.notEqual(now, was, 'the level changed by keyboard');
  await tabTo(page, byId('perm-save'), 'Save');
  await page.keyboard.press('Enter');
  const preview = page.locator('dialog#perm-preview');
  await preview.waitFor({ state: 'visible' });
  await page.waitForFunction(() => document.getElementById('perm-preview')?.contains(document.activeElement));
  await assertTrapped(page, preview);
  await page.keyboard.press('Escape');
  await preview.waitFor({ state: 'hidden' });
  assert.equal(await activeId(page), 'perm-save', 'focus returns to Save');
  await page.keyboard.press('Enter');
  await preview.waitFor({ state: 'visible' });
  await tabTo(page, byId('perm-confirm'), 'Confirm');
  await page.keyboard.press('Enter');
  await page.getByTestId('perm-savebar').waitFor({ state: 'detached' });
  const acl = await (await fetch(`${server.base}/api/2.0/permissions/serving-endpoints/3f1b9c2e8d4a4f6b9e0c7a5d2b1e4f8a`)).json();
  const kim = acl.access_control_list.find((e) => e.user_name === 'kim.keys@contoso.com');
  assert.equal(kim?.all_permissions?.[0]?.permission_level, level, 'saved with the level chosen by keyboard');
  const g = acl.access_control_list.find((e) => e.user_name === 'gina.rossi@contoso.com');
  assert.equal(g?.all_permissions?.find((p) => !p.inherited)?.permission_level, now, "gina's new level saved");
  const f = await focused(page);
  assert.ok(!f.none, `after saving, focus is somewhere useful: ${f.desc}`);
});

test('keyboard: search the logs, next and previous match', async () => {
  await fresh();
  const { page } = browser;
  await page.goto(`${server.base}/endpoints/pricing-model/logs?entity=pricing_model-4&kind=build&version=4`);
  await page.getByTestId('log-row').first().waitFor();
  await tabTo(page, (x) => x.testid === 'log-search', 'the log search', { max: 40 });
  await page.keyboard.type('error');
  await page.waitForFunction(() => document.querySelector('[data-testid=log-count]')?.dataset.state === 'done');
  assert.equal(await page.getByTestId('log-count').textContent(), '1 of 2 matches');
  await press(page, 'Enter');
  await page.waitForFunction(() => document.querySelector('[data-testid=log-count]').textContent === '2 of 2 matches');
  await press(page, 'Shift+Enter');
  await page.waitForFunction(() => document.querySelector('[data-testid=log-count]').textContent === '1 of 2 matches');
  // The log itself is a focusable scroll region.
  await tabTo(page, (x) => x.role === 'region', 'the log region');
});

test('keyboard: schema input-format tabs (APG tabs) and the tree', async () => {
  await fresh();
  const { page } = browser;
  await openDetail(page, 'fraud-detector-prod', 'schema');
  await page.getByTestId('schema-explorer').waitFor();
  await tabTo(page, (x) => x.role === 'tab', 'the input-format tabs');
  assert.equal(await activeId(page), 'schema-tab-0');
  assert.equal(await page.locator('#schema-tab-1').getAttribute('tabindex'), '-1', 'roving tabindex');
  await press(page, 'ArrowRight');
  assert.equal(await activeId(page), 'schema-tab-1');
  assert.equal(await page.locator('#schema-tab-1').getAttribute('aria-selected'), 'true');
  await press(page, 'Home');
  assert.equal(await activeId(page), 'schema-tab-0');
  await press(page, 'End');
  assert.equal(await activeId(page), 'schema-tab-1');
  await press(page, 'ArrowRight');
  assert.equal(await activeId(page), 'schema-tab-0', 'wraps');
  // Tab leaves the tablist (one stop), to the panel, then into the tree.
  await tabTo(page, (x) => x.role === 'treeitem', 'the tree');
  const root = await focused(page);
  const expanded = () => page.evaluate(() => document.activeElement.getAttribute('aria-expanded'));
  assert.equal(await expanded(), 'false');
  await press(page, 'ArrowRight');
  await page.waitForFunction(() => document.activeElement?.getAttribute('aria-expanded') === 'true');
  await press(page, 'ArrowDown');
  const child = await focused(page);
  assert.notEqual(child.id, root.id, 'ArrowDown moves to the first child');
  await press(page, 'ArrowLeft');
  assert.equal((await focused(page)).id, root.id, 'ArrowLeft goes to the parent');
  await press(page, 'ArrowLeft');
  assert.equal(await expanded(), 'false', 'ArrowLeft collapses');
  await press(page, 'Enter');
  assert.equal(await expanded(), 'true', 'Enter toggles');
});

// ---------------------------------------------------------------------------------------------
// X4: reflow at 320 CSS px and at 200 % zoom (1280 × 900 at 200 % = 640 × 450 CSS px).

test('reflow: 320 px and 200 % zoom, no page scroll sideways, key controls visible, badges with text', async (t) => {
  await fresh();
  const { page } = browser;
  const noSideScroll = async (what) => {
    const m = await page.evaluate(() => ({ sw: document.scrollingElement.scrollWidth, w: window.innerWidth }));
    assert.ok(m.sw <= m.w + 1, `${what}: page scrolls sideways (scrollWidth ${m.sw} > ${m.w})`);
  };
  const inView = async (locator, what) => {
    await locator.first().scrollIntoViewIfNeeded();
    const box = await locator.first().boundingBox();
    const w = await page.evaluate(() => window.innerWidth);
    assert.ok(box && box.width > 0 && box.x >= 0 && box.x + box.width <= w + 1, `${what} fully visible horizontally: ${JSON.stringify(box)} in ${w}`);
  };
  try {
    for (const [label, size] of [['320 px', { width: 320, height: 800 }], ['200 % zoom', { width: 640, height: 450 }]]) {
      await t.test(label, async () => {
        await page.setViewportSize(size);
        await page.goto(`${server.base}/endpoints`);
        await page.getByTestId('endpoint-row').first().waitFor();
        await noSideScroll(`${label} list`);
        await inView(page.getByRole('searchbox', { name: 'Search' }), 'search');
        await inView(page.getByRole('combobox', { name: 'State' }), 'state filter');
        const labels = await page.locator('[data-testid=endpoint-row] .badge__label').allTextContents();
        assert.ok(labels.length > 0 && labels.every((l) => l.trim().length > 0), 'every badge has text');
        for (const [tab, ready] of [['', 'state-indicator'], ['logs', 'logs-tab'], ['permissions', 'permissions'], ['schema', 'schema-tab']]) {
          await page.goto(`${server.base}/endpoints/fraud-detector-prod${tab ? `/${tab}` : ''}`);
          await page.getByTestId(ready).waitFor();
          if (tab === 'permissions') await page.getByTestId('perm-row').first().waitFor();
          if (tab === 'schema') await page.getByTestId('schema-explorer').waitFor();
          if (tab === 'logs') await page.getByTestId('log-pane').or(page.getByTestId('logs-none')).first().waitFor();
          await noSideScroll(`${label} ${tab || 'overview'}`);
          await inView(page.locator('#endpoint-stop'), 'Stop');
          await inView(page.locator('#endpoint-start'), 'Start');
          await inView(page.getByRole('button', { name: 'More actions' }), 'More actions');
          for (const n of ['Overview', 'Logs', 'Permissions', 'Schema']) {
            await inView(page.getByRole('navigation', { name: 'Endpoint sections' }).getByRole('link', { name: n }), `tab ${n}`);
          }
          assert.match(await badge(page).textContent(), /\w/, 'state badge has text');
        }
        // A dialog fits too.
        await page.getByRole('button', { name: 'Stop', exact: true }).click();
        const d = page.getByRole('alertdialog', { name: 'Stop fraud-detector-prod?' });
        await d.waitFor();
        await inView(d.getByRole('button', { name: 'Stop endpoint' }), 'Stop endpoint');
        await inView(d.getByRole('button', { name: 'Cancel' }), 'Cancel');
        await page.keyboard.press('Escape');
        await d.waitFor({ state: 'hidden' });
      });
    }
    // axe at 320 px on the list and detail.
    await page.setViewportSize({ width: 320, height: 800 });
    await page.goto(`${server.base}/endpoints`);
    await page.getByTestId('endpoint-row').first().waitFor();
    await axeState(t, page, 'list at 320 px', ['light']);
    for (const [tab, ready] of [['', 'state-indicator'], ['logs', 'log-row'], ['permissions', 'perm-row'], ['schema', 'schema-explorer']]) {
      await page.goto(`${server.base}/endpoints/${tab === 'logs' ? 'pricing-model' : 'fraud-detector-prod'}${tab ? `/${tab}` : ''}`);
      await page.getByTestId(ready).first().waitFor();
      await axeState(t, page, `detail ${tab || 'overview'} at 320 px`, ['light']);
    }
  } finally {
    await page.setViewportSize({ width: 1280, height: 900 });
  }
});
