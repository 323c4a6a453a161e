// End-to-end journeys of fleet operations (issue #18) against `serving-console demo --control
// --generate 1000` (frozen clock): select 20 of 1,000 endpoints, preview, stop the eligible
// ones with some refused by the API, and check each row's result against the emulator's record
// of requests (exactly one POST per eligible endpoint, none for the others); a bulk tag
// confirmed by a re-read; the command palette to an endpoint's Logs; axe-core clean (light and
// dark) in every new state. Deterministic: every wait is for a state, never a fixed time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { journey, server, browser, axe, screenshot } from './lib.mjs';

journey(['--freeze-time', '--generate', '1000']);

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

async function fresh() {
  await server.control('POST', 'reset');
  await server.control('DELETE', 'faults');
  await server.control('DELETE', 'requests');
}

async function axeClean(t, page, name) {
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    const found = await axe(page, TAGS);
    await t.test(`axe: ${name} (${scheme})`, () => assert.deepEqual(found, []));
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

async function mutations() {
  const all = await server.control('GET', 'requests');
  return all.filter((r) => r.method !== 'GET' && r.path.startsWith('/api/'));
}

const api = (p) => fetch(`${server.base}/api/2.0/serving-endpoints${p}`).then((r) => r.json());

async function openList(page, q = '') {
  await page.goto(`${server.base}/endpoints${q}`);
  await page.getByTestId('endpoint-row').first().waitFor();
}

async function search(page, text) {
  await page.getByRole('searchbox', { name: 'Search' }).fill(text);
}

/** Tick the first `n` rows shown: click the first, Shift-click the n-th. */
async function tickRange(page, n) {
  const boxes = page.locator('[data-testid=endpoint-row] input[type=checkbox]');
  await boxes.nth(n - 1).waitFor();
  await boxes.first().click();
  await boxes.nth(n - 1).click({ modifiers: ['Shift'] });
}

const selected = (page) => page.getByTestId('selected-count');

async function previewRows(dialog) {
  await dialog.locator('[data-testid=bulk-preview-row]').first().waitFor();
  // Every row decided (no "checking" left).
  await dialog.page().waitForFunction(() => {
    const rows = [...document.querySelectorAll('[data-testid=bulk-preview-row]')];
    return rows.length > 0 && rows.every((r) => r.dataset.eligibility !== 'checking');
  });
  return dialog.locator('[data-testid=bulk-preview-row]').evaluateAll((rows) =>
    rows.map((r) => ({ name: r.cells[0].textContent, state: r.dataset.eligibility, why: r.cells[1].textContent })));
}

async function resultRows(page) {
  return page.locator('[data-testid=bulk-result-row]').evaluateAll((rows) =>
    rows.map((r) => ({ name: r.cells[0].textContent, result: r.dataset.result, text: r.cells[1].textContent })));
}

test('select 20 of 1,000, preview, stop the eligible ones with some refused: one POST each, results per row', async (t) => {
  await fresh();
  const { page } = browser;
  await openList(page);
  await page.getByTestId('count').filter({ hasText: /^1,0\d\d endpoints$/ }).waitFor();

  // 10 of the gen-0000x, then 10 of the gen-0001x: the selection survives the new filter.
  await search(page, 'gen-0000');
  await page.getByTestId('select-all').filter({ hasText: 'Select all 10 matching' }).waitFor();
  await tickRange(page, 10);
  await selected(page).filter({ hasText: '10 selected' }).waitFor();
  await search(page, 'gen-0001');
  await page.getByTestId('select-all').filter({ hasText: 'Select all 10 matching' }).waitFor();
  await tickRange(page, 10);
  await selected(page).filter({ hasText: '20 selected' }).waitFor();
  await axeClean(t, page, 'list with 20 selected and the action bar');

  await page.getByRole('toolbar', { name: 'Bulk actions' }).getByRole('button', { name: 'Stop…' }).click();
  const dialog = page.getByRole('dialog', { name: /^Stop — 20 selected endpoints/ });
  await dialog.waitFor();
  const preview = await previewRows(dialog);
  assert.equal(preview.length, 20);
  const eligible = preview.filter((r) => r.state === 'runs').map((r) => r.name);
  const blocked = preview.filter((r) => r.state === 'blocked');
  assert.ok(eligible.length >= 4, `eligible: ${eligible}`);
  assert.ok(blocked.length >= 1, 'some cannot be stopped');
  for (const b of blocked) assert.notEqual(b.why.trim(), '', `${b.name} says why`);
  // The preview agrees with the API for each endpoint.
  for (const r of preview) {
    const d = await api(`/${r.name}`);
    const custom = (d.config?.served_entities ?? []).length > 0 && d.config.served_entities.every((e) => e.entity_name);
    const settled = d.state?.config_update !== 'IN_PROGRESS';
    if (r.state === 'runs') assert.ok(custom && settled && !d.route_optimized, `${r.name} runs: ${JSON.stringify(d.state)}`);
    if (!custom) assert.equal(r.state, 'blocked', `${r.name} is not a custom model`);
  }
  assert.match(await dialog.getByTestId('bulk-counts').textContent(), new RegExp(`^${eligible.length} will run, ${blocked.length} cannot\\.$`));
  await axeClean(t, page, 'bulk stop preview dialog');
  await screenshot(page, 'fleet-stop-preview');

  // The API refuses two of them when they are sent.
  const [forbidden, conflict] = eligible;
  await server.control('POST', 'faults', { method: 'POST', path: `/api/2.0/serving-endpoints/${forbidden}/config:stop`, times: 1,
    fault: { kind: 'status', status: 403, error_code: 'PERMISSION_DENIED', message: `User does not have CAN_MANAGE on ${forbidden}.` } });
  await server.control('POST', 'faults', { method: 'POST', path: `/api/2.0/serving-endpoints/${conflict}/config:stop`, times: 1,
    fault: { kind: 'status', status: 409, error_code: 'RESOURCE_CONFLICT', message: `Endpoint ${conflict} is being updated.` } });
  assert.deepEqual(await mutations(), [], 'nothing sent before the confirmation');

  await dialog.getByRole('button', { name: `Stop on ${eligible.length} endpoints` }).click();
  await dialog.waitFor({ state: 'hidden' });
  const headline = page.getByTestId('bulk-headline');
  await headline.filter({ hasText: `Stop: ${eligible.length - 2} done, 2 refused, ${blocked.length} not attempted.` }).waitFor();

  const rows = await resultRows(page);
  assert.equal(rows.length, 20);
  const byName = Object.fromEntries(rows.map((r) => [r.name, r]));
  assert.equal(byName[forbidden].result, 'refused');
  assert.equal(byName[forbidden].text, `Refused (403 PERMISSION_DENIED): User does not have CAN_MANAGE on ${forbidden}.`);
  assert.equal(byName[conflict].text, `Refused (409 RESOURCE_CONFLICT): Endpoint ${conflict} is being updated.`);
  for (const n of eligible.slice(2)) assert.equal(byName[n].result, 'done', n);
  for (const b of blocked) {
    assert.equal(byName[b.name].result, 'not-attempted', b.name);
    assert.equal(byName[b.name].text, `Not attempted: ${b.why}`);
  }

  // The emulator's record: exactly one POST per eligible endpoint, nothing else.
  const sent = (await mutations()).map((r) => `${r.method} ${r.path}`).sort();
  assert.deepEqual(sent, eligible.map((n) => `POST /api/2.0/serving-endpoints/${n}/config:stop`).sort());
  // Done ones are stopping per the API.
  for (const n of eligible.slice(2)) {
    const d = await api(`/${n}`);
    assert.equal(d.state.config_update, 'IN_PROGRESS', `${n} is stopping`);
  }
  await axeClean(t, page, 'bulk run results');
  await screenshot(page, 'fleet-stop-results');

  // The summary survives navigating away and back.
  await page.getByRole('link', { name: eligible[2], exact: true }).first().click();
  await page.getByTestId('state-indicator').waitFor();
  await page.goBack();
  await headline.filter({ hasText: `Stop: ${eligible.length - 2} done, 2 refused` }).waitFor();
  await page.getByRole('button', { name: 'Dismiss' }).click();
  await headline.waitFor({ state: 'detached' });
});

test('bulk tag: preview, add owner=ml-platform, one PATCH each, confirmed by a re-read', async (t) => {
  await fresh();
  const { page } = browser;
  await openList(page, '?q=gen-0002');
  await page.getByTestId('select-all').filter({ hasText: 'Select all 10 matching' }).waitFor();
  await tickRange(page, 5);
  await selected(page).filter({ hasText: '5 selected' }).waitFor();
  await page.getByRole('toolbar', { name: 'Bulk actions' }).getByRole('button', { name: 'Add tag…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add tag' });
  await dialog.getByLabel('Tag key').fill('owner');
  await dialog.getByLabel('Tag value (optional)').fill('ml-platform');
  await axeClean(t, page, 'bulk tag parameters');
  await dialog.getByRole('button', { name: 'Check endpoints' }).click();
  const preview = await previewRows(page.getByRole('dialog', { name: /^Add tag owner=ml-platform — 5 selected/ }));
  const eligible = preview.filter((r) => r.state === 'runs').map((r) => r.name);
  assert.ok(eligible.length >= 1);
  await page.getByRole('button', { name: new RegExp(`^Add tag owner=ml-platform on ${eligible.length} endpoints?$`) }).click();
  await page.getByTestId('bulk-headline').filter({ hasText: `Add tag owner=ml-platform: ${eligible.length} done` }).waitFor();
  const sent = (await mutations()).map((r) => `${r.method} ${r.path}`).sort();
  assert.deepEqual(sent, eligible.map((n) => `PATCH /api/2.0/serving-endpoints/${n}/tags`).sort());
  for (const n of eligible) {
    const d = await api(`/${n}`);
    assert.ok(d.tags.some((x) => x.key === 'owner' && x.value === 'ml-platform'), n);
  }
  // The list was re-read: the new tag shows in the rows.
  await page.locator('[data-testid=endpoint-row] .tag', { hasText: 'owner: ml-platform' }).first().waitFor();
});

test('palette: Ctrl-K, type, Enter opens the endpoint Logs tab', async (t) => {
  await fresh();
  const { page } = browser;
  await openList(page);
  const list = await api('');
  const target = list.endpoints.map((e) => e.name).find((n) => n.startsWith('gen-00042-'));
  assert.ok(target);
  await page.keyboard.press('Control+k');
  const input = page.getByRole('combobox', { name: 'Endpoint, tab or action' });
  await input.waitFor();
  await page.getByTestId('palette-status').filter({ hasText: /shown/ }).waitFor();
  await axeClean(t, page, 'command palette open');
  await input.fill('gen-00042 logs');
  const first = page.locator('#palette-opt-0');
  await first.filter({ hasText: `${target} › Logs` }).waitFor();
  assert.equal(await input.getAttribute('aria-activedescendant'), 'palette-opt-0');
  await axeClean(t, page, 'command palette with matches');
  await page.keyboard.press('Enter');
  await page.waitForURL(`${server.base}/endpoints/${target}/logs`);
  await page.getByTestId('log-pane').waitFor();
});
