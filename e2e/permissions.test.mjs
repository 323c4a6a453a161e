// End-to-end journeys of the Permissions tab against the emulator: add a user as Can Query and
// see it after a reload, change and remove it (PATCH, PATCH, PUT); a Can Query user gets a
// read-only view; a change made through the API between load and save is a conflict and the
// console writes nothing; removing your own Can Manage asks twice; unsaved edits survive a tab
// switch and leaving asks first; axe-core clean (light and dark).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, screenshot, journey, server, browser, axe } from './lib.mjs';

const FRAUD = { name: 'fraud-detector-prod', id: '3f1b9c2e8d4a4f6b9e0c7a5d2b1e4f8a' };
const DOC = { name: 'doc-summarizer-v2', id: 'd0c5a1b2c3d44e5f8a9b0c1d2e3f4a50' };

const extra = [];

journey(['--freeze-time'], {
  tearDown: async () => {
    for (const b of extra) await b.close();
  },
});

async function fresh() {
  await server.control('POST', 'reset');
  await server.control('DELETE', 'faults');
}

/** A browser acting as the principal of `token` (separate profile and context). */
async function as(token) {
  const b = await launch();
  extra.push(b);
  await b.context.setExtraHTTPHeaders({ Authorization: `Bearer ${token}` });
  return b;
}

async function api(method, path, token = 'dapi-emulator-admin', body) {
  const r = await fetch(`${server.base}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await r.text();
  return { status: r.status, json: text ? JSON.parse(text) : null };
}

/** Direct grants of an endpoint as { "user:x": "CAN_VIEW", … }. */
async function directGrants(id) {
  const r = await api('GET', `/api/2.0/permissions/serving-endpoints/${id}`);
  assert.equal(r.status, 200);
  const out = {};
  for (const e of r.json.access_control_list) {
    const who = e.user_name ? `user:${e.user_name}` : e.group_name ? `group:${e.group_name}` : `sp:${e.service_principal_name}`;
    for (const p of e.all_permissions) if (!p.inherited) out[who] = p.permission_level;
  }
  return out;
}

async function writes() {
  const log = await server.control('GET', 'requests');
  return log.filter((r) => (r.method === 'PUT' || r.method === 'PATCH') && r.path.startsWith('/api/2.0/permissions/'));
}

async function axeBothThemes(page, what) {
  await page.emulateMedia({ colorScheme: 'light' });
  assert.deepEqual(await axe(page), [], `${what} (light)`);
  await page.emulateMedia({ colorScheme: 'dark' });
  assert.deepEqual(await axe(page), [], `${what} (dark)`);
  await page.emulateMedia({ colorScheme: 'light' });
}

async function openTab(page, ep) {
  await page.goto(`${server.base}/endpoints/${ep.name}/permissions`);
  await page.getByTestId('perm-row').first().waitFor();
}

const row = (page, principal, source = 'direct') =>
  page.locator(`[data-testid=perm-row][data-principal="${principal}"][data-source=${source}]`);

async function saveWithPreview(page, expectedItems) {
  await page.locator('#perm-save').click();
  const dialog = page.locator('dialog#perm-preview');
  await dialog.waitFor({ state: 'visible' });
  if (expectedItems) {
    assert.deepEqual(await page.getByTestId('perm-preview-list').locator('li').allTextContents(), expectedItems);
  }
  await page.getByTestId('perm-confirm').click();
}

async function saved(page) {
  await page.getByTestId('perm-savebar').waitFor({ state: 'detached' });
}

test('add a user as Can Query, see it after reload, change it, remove it', async () => {
  await fresh();
  const { page } = browser;
  const seeded = await directGrants(FRAUD.id);
  await openTab(page, FRAUD);
  assert.match(await page.getByTestId('perm-me').textContent(), /Can Manage/);

  await page.locator('#perm-add-kind').selectOption('user');
  await page.locator('#perm-add-name').fill('zoe.new@contoso.com');
  await page.locator('#perm-add-level').selectOption('CAN_QUERY');
  await page.locator('form[data-testid=perm-add] button[type=submit]').click();
  await row(page, 'zoe.new@contoso.com').waitFor();
  assert.match(await row(page, 'zoe.new@contoso.com').textContent(), /New, not saved/);
  assert.deepEqual(await writes(), [], 'nothing written before Save');
  await axeBothThemes(page, 'editor with an unsaved addition');
  await page.locator('#perm-save').click();
  await page.locator('dialog#perm-preview').waitFor({ state: 'visible' });
  await axeBothThemes(page, 'preview dialog');
  await screenshot(page, 'permissions-preview');
  assert.deepEqual(await page.getByTestId('perm-preview-list').locator('li').allTextContents(), [
    'Add user zoe.new@contoso.com as Can Query',
  ]);
  await page.getByTestId('perm-confirm').click();
  await saved(page);
  assert.deepEqual(await directGrants(FRAUD.id), { ...seeded, 'user:zoe.new@contoso.com': 'CAN_QUERY' });
  assert.deepEqual((await writes()).map((w) => w.method), ['PATCH']);

  await page.reload();
  await row(page, 'zoe.new@contoso.com').waitFor();
  assert.doesNotMatch(await row(page, 'zoe.new@contoso.com').textContent(), /not saved/);
  assert.equal(await row(page, 'zoe.new@contoso.com').locator('select').inputValue(), 'CAN_QUERY');

  await row(page, 'zoe.new@contoso.com').locator('select').selectOption('CAN_VIEW');
  await saveWithPreview(page, ['Change user zoe.new@contoso.com from Can Query to Can View']);
  await saved(page);
  assert.deepEqual(await directGrants(FRAUD.id), { ...seeded, 'user:zoe.new@contoso.com': 'CAN_VIEW' });

  await row(page, 'zoe.new@contoso.com').getByRole('button', { name: 'Remove zoe.new@contoso.com' }).click();
  await saveWithPreview(page, ['Remove user zoe.new@contoso.com (was Can View)']);
  await saved(page);
  assert.deepEqual(await directGrants(FRAUD.id), seeded, 'only zoe removed, nothing else dropped');
  assert.deepEqual((await writes()).map((w) => w.method), ['PATCH', 'PATCH', 'PUT']);
  // The inherited admins grant is still there and was never written as a direct one.
  await row(page, 'admins', 'inherited').waitFor();
  assert.equal(await row(page, 'admins', 'direct').count(), 0);
  assert.deepEqual(browser.errors, []);
});

test('a Can Query user sees a read-only view with the reason', async () => {
  await fresh();
  const quinn = await as('dapi-emulator-query');
  await openTab(quinn.page, FRAUD);
  const note = quinn.page.getByTestId('perm-readonly');
  await note.waitFor();
  assert.match(await note.textContent(), /Can Query.*not change them/);
  assert.match(await quinn.page.getByTestId('perm-me').textContent(), /Quinn Query.*Can Query/);
  assert.match(await row(quinn.page, 'risk-analysts').textContent(), /\(your group\)/);
  assert.equal(await quinn.page.locator('[data-testid=perm-row] select').count(), 0);
  assert.equal(await quinn.page.locator('[data-testid=perm-row] button').count(), 0);
  assert.equal(await quinn.page.getByTestId('perm-add').count(), 0);
  await axeBothThemes(quinn.page, 'read-only view');
  await screenshot(quinn.page, 'permissions-read-only');
  assert.deepEqual(quinn.errors, []);
});

test('a change made through the API between load and save is a conflict; nothing is written', async () => {
  await fresh();
  const { page } = browser;
  await openTab(page, FRAUD);
  await row(page, 'gina.rossi@contoso.com').getByRole('button', { name: 'Remove gina.rossi@contoso.com' }).click();
  // Someone else grants bob meanwhile.
  const r = await api('PATCH', `/api/2.0/permissions/serving-endpoints/${FRAUD.id}`, 'dapi-emulator-creator', {
    access_control_list: [{ user_name: 'bob.okafor@contoso.com', permission_level: 'CAN_VIEW' }],
  });
  assert.equal(r.status, 200);
  const before = await directGrants(FRAUD.id);
  await server.control('DELETE', 'requests');

  await saveWithPreview(page, ['Remove user gina.rossi@contoso.com (was Can View)']);
  const conflict = page.locator('dialog#perm-conflict');
  await conflict.waitFor({ state: 'visible' });
  const text = await conflict.textContent();
  assert.match(text, /Nothing was saved/);
  assert.match(text, /user bob\.okafor@contoso\.com/);
  assert.deepEqual(await writes(), [], 'the conflict wrote nothing');
  assert.deepEqual(await directGrants(FRAUD.id), before);
  await axeBothThemes(page, 'conflict dialog');
  await screenshot(page, 'permissions-conflict');

  // Keep the edits on the current list and save again: gina goes, bob stays.
  await page.getByTestId('perm-conflict-rebase').click();
  await conflict.waitFor({ state: 'hidden' });
  await saveWithPreview(page);
  await saved(page);
  const after = await directGrants(FRAUD.id);
  const want = { ...before };
  delete want['user:gina.rossi@contoso.com'];
  assert.deepEqual(after, want);
  assert.equal(after['user:bob.okafor@contoso.com'], 'CAN_VIEW');
});

test('removing your own Can Manage asks twice (alice, direct grant only)', async () => {
  await fresh();
  const alice = await as('dapi-emulator-creator');
  const { page } = alice;
  await openTab(page, DOC);
  await page.getByTestId('perm-me').filter({ hasText: 'Alice Chen' }).waitFor();
  await row(page, 'alice.chen@contoso.com').getByRole('button', { name: 'Remove alice.chen@contoso.com' }).click();
  await page.locator('#perm-save').click();
  const preview = page.locator('dialog#perm-preview');
  await preview.waitFor({ state: 'visible' });
  assert.match(await preview.textContent(), /your own Can Manage/);
  await page.getByTestId('perm-confirm').click();
  const lock = page.locator('dialog#perm-lockout');
  await lock.waitFor({ state: 'visible' });
  assert.equal(await lock.getAttribute('role'), 'alertdialog');
  assert.match(await lock.textContent(), /no access to doc-summarizer-v2/);
  assert.deepEqual(await writes(), [], 'the first confirmation alone writes nothing');
  await axeBothThemes(page, 'lockout dialog');
  // Escape cancels: still nothing written, the edit is kept.
  await page.keyboard.press('Escape');
  await lock.waitFor({ state: 'hidden' });
  assert.deepEqual(await writes(), []);
  assert.equal((await directGrants(DOC.id))['user:alice.chen@contoso.com'], 'CAN_MANAGE');
  await page.getByTestId('perm-savebar').waitFor();
  // Both confirmations: written.
  await page.locator('#perm-save').click();
  await preview.waitFor({ state: 'visible' });
  await page.getByTestId('perm-confirm').click();
  await lock.waitFor({ state: 'visible' });
  await page.getByTestId('perm-lockout-confirm').click();
  await page.waitForFunction(() => !document.querySelector('[data-testid=perm-savebar]'));
  assert.deepEqual((await writes()).map((w) => w.method), ['PUT']);
  assert.equal((await directGrants(DOC.id))['user:alice.chen@contoso.com'], undefined);
  const r = await api('GET', `/api/2.0/serving-endpoints/${DOC.name}`, 'dapi-emulator-creator');
  assert.equal(r.status, 403, 'alice really lost her access');
});

test('unsaved edits survive a tab switch; leaving asks first (in-app and on reload)', async () => {
  await fresh();
  const { page } = browser;
  await openTab(page, FRAUD);
  await page.locator('#perm-add-kind').selectOption('group');
  await page.locator('#perm-add-name').fill('data-science');
  await page.locator('form[data-testid=perm-add] button[type=submit]').click();
  await row(page, 'data-science').waitFor();

  // Keyboard: the validation message is beside the field and announced through aria-describedby.
  await page.locator('#perm-add-kind').selectOption('user');
  await page.locator('#perm-add-name').fill('not-an-email');
  await page.locator('#perm-add-name').press('Enter');
  const err = page.getByTestId('perm-add-name-error');
  assert.match(await err.textContent(), /e-mail/);
  assert.equal(await page.locator('#perm-add-name').getAttribute('aria-invalid'), 'true');

  await page.getByRole('link', { name: 'Overview' }).click();
  await page.waitForURL(/fraud-detector-prod$/);
  await page.getByRole('link', { name: 'Permissions' }).click();
  await row(page, 'data-science').waitFor();
  assert.match(await row(page, 'data-science').textContent(), /New, not saved/);

  await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Serving endpoints' }).click();
  const leave = page.locator('dialog#perm-leave');
  await leave.waitFor({ state: 'visible' });
  assert.match(page.url(), /\/permissions$/);
  await axeBothThemes(page, 'leave dialog');
  await page.getByRole('button', { name: 'Stay' }).click();
  await leave.waitFor({ state: 'hidden' });

  // Leaving for real discards (after asking).
  await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Serving endpoints' }).click();
  await leave.waitFor({ state: 'visible' });
  await page.getByTestId('perm-leave-confirm').click();
  await page.waitForURL(/\/endpoints$/);
  await page.goto(`${server.base}/endpoints/${FRAUD.name}/permissions`);
  await row(page, 'admins', 'inherited').waitFor();
  assert.equal(await row(page, 'data-science').count(), 0);

  // Reloading with unsaved edits: the browser asks first (beforeunload).
  await page.locator('#perm-add-kind').selectOption('group');
  await page.locator('#perm-add-name').fill('data-science');
  await page.locator('form[data-testid=perm-add] button[type=submit]').click();
  await row(page, 'data-science').waitFor();
  const asked = new Promise((resolve) => page.once('dialog', async (d) => { resolve(d.type()); await d.accept(); }));
  await page.reload();
  // (If the page did not ask, the reload has already happened: do not wait for a prompt forever.)
  assert.equal(await Promise.race([asked, new Promise((r) => setTimeout(() => r('no prompt'), 5000))]), 'beforeunload');
  await row(page, 'admins', 'inherited').waitFor();
  assert.deepEqual(await writes(), [], 'nothing was ever written');
});
