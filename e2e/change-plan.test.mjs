// End-to-end journeys of the config editor (issue 15) against `serving-console demo --control`
// with a frozen clock: a config update builds and deploys in 20 s of emulated time, which the
// tests advance (`POST /__emulator/time`). The default seed's fraud-detector-prod serves
// fraud_xgb v7/v8 at 90/10; v9 fails to load (a seed hint). Every write is checked in the
// emulator's request record: one request per step, nothing before "Apply", nothing on conflict.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, startServer, screenshot, journey, server, browser, axe } from './lib.mjs';

const extra = [];
journey(['--freeze-time'], {
  setUp: async () => {
    browser.page.on('dialog', (d) => { if (d.type() === 'beforeunload') d.accept().catch(() => {}); });
  },
  tearDown: async () => { for (const b of extra) await b.close(); },
});

const NAME = 'fraud-detector-prod';
const EP = `/api/2.0/serving-endpoints/${NAME}`;

async function fresh() {
  await server.control('POST', 'reset');
  await server.control('DELETE', 'faults');
  await server.control('DELETE', 'requests');
}

async function advance(secs) {
  await server.control('POST', 'time', { advance_secs: secs });
}

/** Recorded requests other than GET (the writes). */
async function writes() {
  const all = await server.control('GET', 'requests');
  return all.filter((r) => r.method !== 'GET' && r.path.startsWith('/api/')).map((r) => `${r.method} ${r.path}`);
}

async function api(method, path, body, token = 'dapi-emulator-admin') {
  const r = await fetch(`${server.base}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await r.text();
  return { status: r.status, json: text ? JSON.parse(text) : null };
}

async function axeClean(page, where) {
  assert.deepEqual(await axe(page), [], `axe: ${where}`);
}

/** Open the editor from the endpoint page's Edit link. */
async function openEditor(page) {
  await page.goto(`${server.base}/endpoints/${NAME}`);
  await page.locator('a#endpoint-edit').click();
  await page.locator('#e0-traffic').waitFor();
}

async function review(page) {
  await page.locator('#review-plan').click();
  await page.getByTestId('plan').waitFor();
}

const steps = (page) => page.getByTestId('plan-step');
const rollout = (page) => page.getByTestId('rollout-state');

test('shift traffic 90/10 → 50/50: reviewed, applied once, followed until the new version serves', async () => {
  await fresh();
  const { page } = browser;
  await openEditor(page);
  await page.locator('#e0-traffic').fill('50');
  await page.locator('#e1-traffic').fill('50');
  await axeClean(page, 'editor');
  await screenshot(page, 'change-editor');
  await review(page);
  assert.equal(await steps(page).count(), 1);
  assert.equal(await steps(page).first().getAttribute('data-call'), 'config');
  assert.match(await page.getByTestId('plan-effect').textContent(), /^redeploys: a new config version \(13\), minutes$/);
  assert.deepEqual(await writes(), [], 'nothing written by reviewing');
  await axeClean(page, 'plan');
  await screenshot(page, 'change-plan');

  await page.locator('#plan-apply').click();
  await page.getByTestId('run-report').filter({ hasText: 'Applied: Served entities and traffic.' }).waitFor();
  await rollout(page).filter({ hasText: 'Rolling out config version 13; version 12 keeps serving' }).waitFor({ timeout: 15000 });
  await axeClean(page, 'apply');
  await advance(60);
  await rollout(page).filter({ hasText: 'Served: config version 13 is live' }).waitFor({ timeout: 20000 });
  await page.getByTestId('rollback').filter({ hasText: 'Roll back to version 12' }).waitFor();
  await screenshot(page, 'change-served');

  assert.deepEqual(await writes(), [`PUT ${EP}/config`], 'one request for one click');
  const ep = (await api('GET', EP)).json;
  assert.equal(ep.config.config_version, 13);
  const routes = Object.fromEntries(ep.config.traffic_config.routes.map((r) => [r.served_entity_name, r.traffic_percentage]));
  assert.deepEqual(routes, { 'fraud_xgb-7': 50, 'fraud_xgb-8': 50 });
  assert.deepEqual(browser.errors, []);
});

test('upgrade to v9 fails to load: the old config keeps serving, the failure is explained, roll back', async () => {
  await fresh();
  const { page } = browser;
  await openEditor(page);
  await page.locator('#e1-version').fill('9');
  assert.equal(await page.locator('#e1-name').inputValue(), 'fraud_xgb-9', 'named after model and version');
  await review(page);
  await page.locator('#plan-apply').click();
  await page.getByTestId('run-report').filter({ hasText: 'Applied: Served entities and traffic.' }).waitFor();
  await advance(60);
  const failed = rollout(page).filter({ hasText: 'The update to config version 13 failed; version 12 keeps serving, unchanged.' });
  await failed.waitFor({ timeout: 20000 });
  const failing = page.locator('[data-testid=rollout-entities] li[data-entity="fraud_xgb-9"]');
  await failing.getByTestId('server-logs-link').waitFor();
  assert.match(await failing.getByTestId('build-logs-link').getAttribute('href'), /\/endpoints\/fraud-detector-prod\/logs\?entity=fraud_xgb-9&kind=build/);
  await axeClean(page, 'failure view');
  await screenshot(page, 'change-failed');
  // The API agrees: version 12 still serves.
  assert.equal((await api('GET', EP)).json.config.config_version, 12);

  await page.getByTestId('rollback-failed').filter({ hasText: 'Roll back to version 12' }).first().click();
  await page.getByTestId('plan').waitFor();
  const st = steps(page);
  assert.equal(await st.count(), 1);
  assert.match(await st.first().textContent(), /fraud_xgb-9/);
  assert.deepEqual(await writes(), [`PUT ${EP}/config`], 'the roll back is only a plan until applied');
  await page.locator('#plan-apply').click();
  await page.getByTestId('run-report').filter({ hasText: 'Applied: Served entities and traffic.' }).waitFor();
  await advance(60);
  await rollout(page).filter({ hasText: /Served: config version \d+ is live/ }).waitFor({ timeout: 20000 });
  const ep = (await api('GET', EP)).json;
  assert.deepEqual(ep.config.served_entities.map((e) => `${e.name}:${e.entity_version}`).sort(), ['fraud_xgb-7:7', 'fraud_xgb-8:8']);
  assert.equal(ep.state.config_update, 'NOT_UPDATING');
  assert.deepEqual(await writes(), [`PUT ${EP}/config`, `PUT ${EP}/config`]);
});

test('tags and e-mails: two calls that apply at once, no redeploy', async () => {
  await fresh();
  const { page } = browser;
  await openEditor(page);
  await page.locator('#tag0-key').waitFor();
  assert.equal(await page.locator('#tag0-key').inputValue(), 'env');
  await page.locator('#tag0-value').fill('staging');
  await page.locator('#add-success-email').click();
  await page.locator('#ok1').fill('not an address');
  assert.match(await page.locator('#ok1-msg').textContent(), /is not an e-mail address/);
  assert.equal(await page.locator('#ok1').getAttribute('aria-invalid'), 'true');
  await page.locator('#ok1').fill('risk-ml-oncall@contoso.com');
  await review(page);
  assert.deepEqual(await steps(page).evaluateAll((els) => els.map((e) => e.dataset.call)), ['tags', 'notifications']);
  for (const e of await page.getByTestId('plan-effect').all()) assert.equal(await e.textContent(), 'applies at once');
  await page.locator('#plan-apply').click();
  await page.getByTestId('run-report').filter({ hasText: 'Applied: Tags, E-mail notifications.' }).waitFor();
  await page.getByTestId('run-confirm').filter({ hasText: 'The endpoint as re-read has every change of this plan.' }).waitFor({ timeout: 15000 });
  assert.equal(await rollout(page).count(), 0, 'nothing to follow: no redeploy');
  assert.deepEqual(await writes(), [`PATCH ${EP}/tags`, `PATCH ${EP}/notifications`]);
  const ep = (await api('GET', EP)).json;
  assert.equal(ep.config.config_version, 12);
  assert.equal(ep.tags.find((t) => t.key === 'env').value, 'staging');
  assert.deepEqual(ep.email_notifications.on_update_success, ['alice.chen@contoso.com', 'risk-ml-oncall@contoso.com']);
});

test('a change made through the API after the editor opened is a conflict: nothing is written', async () => {
  await fresh();
  const { page } = browser;
  await openEditor(page);
  await page.locator('#e0-traffic').fill('0');
  await page.locator('#e1-traffic').fill('100');
  await review(page);
  const r = await api('PATCH', `${EP}/tags`, { add_tags: [{ key: 'env', value: 'staging' }] });
  assert.equal(r.status, 200);
  await server.control('DELETE', 'requests');
  await page.locator('#plan-apply').click();
  const conflict = page.getByTestId('conflict');
  await conflict.waitFor();
  assert.match(await page.getByTestId('conflict-lines').textContent(), /tag env: prod → staging/);
  assert.deepEqual(await writes(), [], 'nothing written on a conflict');
  await axeClean(page, 'conflict');
  await screenshot(page, 'change-conflict');
  // Keep my edits on the current config: a new plan, their tag untouched.
  await page.locator('#conflict-keep').click();
  await page.getByTestId('plan').waitFor();
  assert.equal(await steps(page).count(), 1);
  assert.equal(await steps(page).first().getAttribute('data-call'), 'config');
  assert.deepEqual(await writes(), []);
  await page.locator('#plan-back').click();
  assert.equal(await page.locator('#e1-traffic').inputValue(), '100', 'my edit kept');
});

test('a Can Query user sees Edit disabled with the reason, and the editor read-only', async () => {
  await fresh();
  const quinn = await launch();
  extra.push(quinn);
  await quinn.context.setExtraHTTPHeaders({ Authorization: 'Bearer dapi-emulator-query' });
  const { page } = quinn;
  await page.goto(`${server.base}/endpoints/${NAME}`);
  const edit = page.locator('button#endpoint-edit');
  await edit.waitFor();
  assert.equal(await edit.getAttribute('aria-disabled'), 'true');
  assert.equal(await page.locator('#endpoint-edit-reason').textContent(), 'You need the Can Manage permission on this endpoint.');
  assert.equal(await page.getByTestId('shortcuts').count(), 0);
  await page.goto(`${server.base}/endpoints/${NAME}/edit`);
  await page.getByTestId('edit-read-only').waitFor();
  assert.equal(await page.locator('#e0-traffic').count(), 0);
  await axeClean(page, 'read-only');
  assert.deepEqual(await writes(), []);
});

test('a shortcut opens the prefilled plan and applies nothing', async () => {
  await fresh();
  const { page } = browser;
  await page.goto(`${server.base}/endpoints/${NAME}`);
  await page.getByRole('link', { name: 'Send all traffic to fraud_xgb-8' }).click();
  await page.getByTestId('plan').waitFor();
  assert.match(await page.getByTestId('plan-notes').textContent(), /send all traffic to fraud_xgb-8/);
  assert.match(await steps(page).first().textContent(), /90 %.*0 %/s);
  assert.deepEqual(await writes(), []);
});

test('--hostile: API values are text in the form and the plan', async () => {
  const hostile = await startServer(['--freeze-time', '--hostile']);
  const b = await launch();
  extra.push(b);
  const pwned = [];
  await b.context.exposeFunction('__pwned', (...a) => pwned.push(a.join(',')));
  try {
    const list = await (await fetch(`${hostile.base}/api/2.0/serving-endpoints`)).json();
    const ep = list.endpoints.find((e) => /^hostile-\d+$/.test(e.name) && (e.tags || []).length > 0);
    assert.ok(ep, 'a hostile endpoint with tags');
    const { page } = b;
    await page.goto(`${hostile.base}/endpoints/${ep.name}/edit`);
    await page.locator('#e0-traffic').waitFor();
    const full = (await (await fetch(`${hostile.base}/api/2.0/serving-endpoints/${ep.name}`)).json());
    const shown = await page.locator('[data-testid=tag-row] input').evaluateAll((els) => els.map((e) => e.value));
    for (const t of full.tags) assert.ok(shown.includes(t.key), `tag key shown as typed text: ${t.key.slice(0, 40)}`);
    // Edit one tag: the plan shows the hostile key as text.
    await page.locator('#tag0-value').fill('changed');
    await page.locator('#review-plan').click();
    const plan = page.getByTestId('plan');
    await plan.waitFor();
    const text = await plan.textContent();
    assert.ok(text.includes('changed'));
    const injected = await page.evaluate(() => document.querySelectorAll('main img, main script, main iframe, [onerror], [onclick], [onload]').length);
    assert.equal(injected, 0, 'no markup from API values');
    assert.deepEqual(pwned, [], 'nothing ran');
  } finally {
    await hostile.stop();
  }
});
