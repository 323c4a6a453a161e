// End-to-end journeys of the Logs tab against the emulator: open the build logs of a failed
// entity from the detail page's next step, search, download, follow new lines as the emulator
// writes them (the emulated clock advanced through the control API), a deep link to a line,
// hostile log content shown as text, keyboard use, and axe-core (light and dark).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { screenshot, journey, server, browser, axe } from './lib.mjs';

journey();

async function fresh() {
  await server.control('POST', 'reset');
  await server.control('DELETE', 'faults');
  await browser.page.emulateMedia({ colorScheme: 'light' });
}

const api = (p) => `${server.base}/api/2.0/serving-endpoints/${p}`;

/** Is the row of 1-based `line` fully inside the log's scroll area? */
async function rowInView(page, line) {
  return page.evaluate((n) => {
    const row = document.querySelector(`[data-testid=log-row][data-line="${n}"]`);
    const box = document.querySelector('[data-testid=log-scroller]');
    if (!row || !box) return false;
    const r = row.getBoundingClientRect();
    const s = box.getBoundingClientRect();
    return r.top >= s.top - 1 && r.bottom <= s.bottom + 1;
  }, line);
}

/** Wait until the page's URL (also changed by history.replaceState) matches `re`. */
async function urlMatches(page, re) {
  await page.waitForFunction((src) => new RegExp(src).test(location.href), re.source);
}

async function searchDone(page) {
  await page.waitForFunction(() => document.querySelector('[data-testid=log-count]')?.dataset.state === 'done');
  return page.getByTestId('log-count').textContent();
}

test('the failed build: from the state indicator to the failing line, search, download', async () => {
  await fresh();
  const { page } = browser;
  await page.goto(`${server.base}/endpoints/pricing-model`);
  const next = page.getByTestId('next-step-link');
  await next.waitFor();
  assert.equal(await next.textContent(), 'See the build logs of pricing_model-4.');
  await next.click();
  await urlMatches(page, /\/endpoints\/pricing-model\/logs\?entity=pricing_model-4&kind=build&version=4$/);
  await page.getByTestId('log-row').first().waitFor();
  assert.match(await page.getByTestId('log-pane').textContent(), /Build logs of pricing_model-4, config version 4/);
  assert.match(await page.getByTestId('log-notice').textContent(), /The build failed/);
  assert.equal(await page.getByTestId('log-version').inputValue(), '4');
  assert.equal(await page.locator('input[name=log-kind][value=build]').isChecked(), true);

  // The failing lines are on screen, coloured as errors (and saying so in their text).
  const errRows = page.locator('[data-testid=log-row].log-row--error');
  assert.ok((await errRows.count()) >= 2, 'error rows shown');
  const firstErr = Number(await errRows.first().getAttribute('data-line'));
  assert.ok(await rowInView(page, firstErr), 'the first error line is in view');
  assert.match(await errRows.first().textContent(), /ERROR: Could not find a version/);
  assert.deepEqual(await axe(page), [], 'axe: build log (light)');
  await screenshot(page, 'logs-build-failed');

  // Search: highlight, count, next/previous, in the URL.
  await page.getByTestId('log-search').fill('error');
  assert.equal(await searchDone(page), '1 of 2 matches');
  assert.match(page.url(), /q=error/);
  assert.equal(await page.locator('mark.log-match--current').count(), 1);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.waitForFunction(() => document.querySelector('[data-testid=log-count]').textContent === '2 of 2 matches');
  await page.getByTestId('log-search').press('Shift+Enter');
  await page.waitForFunction(() => document.querySelector('[data-testid=log-count]').textContent === '1 of 2 matches');
  assert.deepEqual(await axe(page), [], 'axe: searching');

  // Download gives the log, byte for byte as the API returned it.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('log-download').click()]);
  assert.equal(download.suggestedFilename(), 'pricing-model_pricing_model-4_build_v4.log');
  const saved = readFileSync(await download.path(), 'utf8');
  const apiText = (await (await fetch(api('pricing-model/served-models/pricing_model-4/build-logs'))).json()).logs;
  assert.equal(saved, apiText);

  // Copy puts the log's text on the clipboard.
  await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.base });
  await page.getByRole('button', { name: 'Copy', exact: true }).click();
  await page.getByText(/Copied \d+ lines to the clipboard/).waitFor();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(copied, apiText, 'a build log without escape sequences copies as it is');

  // The server log of the same entity: explained, with the way back.
  await page.locator('input[name=log-kind][value=server]').check();
  await page.getByTestId('log-empty').waitFor();
  assert.match(await page.getByTestId('log-empty').textContent(), /image build failed/);
  assert.match(page.url(), /kind=server/);
  await page.getByTestId('log-empty-build-link').click();
  await page.getByTestId('log-row').first().waitFor();
  assert.match(page.url(), /kind=build/);
});

test('follow shows the new lines as the emulator writes them, and pauses when scrolled up', async () => {
  await fresh();
  const { page } = browser;
  await page.goto(`${server.base}/endpoints/fraud-detector-prod/logs?entity=fraud_xgb-7&kind=server`);
  await page.getByTestId('log-row').first().waitFor();
  const countLines = async () => Number((await page.getByTestId('log-lines').textContent()).split(' ')[0].replace(/,/g, ''));
  const before = await countLines();
  assert.ok(before > 100, `a serving entity has a log (${before} lines)`);
  await page.getByTestId('log-follow').check();
  // Following: the view goes to the end.
  await page.waitForFunction((n) => !!document.querySelector(`[data-testid=log-row][data-line="${n}"]`), before);
  const lastBefore = await page.locator(`[data-testid=log-row][data-line="${before}"]`).textContent();

  // The emulator writes new lines as its clock advances.
  await server.control('POST', 'time', { advance_secs: 60 });
  await page.waitForFunction((n) => {
    const t = document.querySelector('[data-testid=log-lines]')?.textContent ?? '';
    return Number(t.split(' ')[0].replace(/,/g, '')) > n;
  }, before, { timeout: 15000 });
  const after = await countLines();
  // Only the new lines were appended: the old last line keeps its number and text.
  await page.locator(`[data-testid=log-row][data-line="${after}"]`).waitFor();
  assert.ok(await rowInView(page, after), 'the newest line is in view');
  const apiLines = (await (await fetch(api('fraud-detector-prod/served-models/fraud_xgb-7/logs'))).json()).logs.trimEnd().split('\n');
  const newest = await page.locator(`[data-testid=log-row][data-line="${after}"] .log-row__text`).textContent();
  assert.equal(newest.replace(/\s+$/, ''), apiLines.at(-1).replace(/\u001b\[[0-9;]*m/g, '').replace(/\s+$/, ''));
  await page.getByTestId('log-scroller').evaluate((el) => { el.scrollTop = 0; });
  await page.getByTestId('log-jump-latest').waitFor();
  assert.ok(await rowInView(page, 1) || !(await rowInView(page, after)), 'scrolled up');
  await server.control('POST', 'time', { advance_secs: 40 });
  await page.waitForFunction(() => /new\)/.test(document.querySelector('[data-testid=log-jump-latest]')?.textContent ?? ''), null, { timeout: 15000 });
  assert.ok(!(await rowInView(page, await countLines())), 'paused: stays where the user scrolled');
  await page.getByTestId('log-jump-latest').click();
  await page.waitForFunction(() => !document.querySelector('[data-testid=log-jump-latest]'));
  assert.ok(await rowInView(page, await countLines()), 'jumped to the latest');
  assert.ok(lastBefore.length > 0);
});

test('a deep link to a line scrolls to it and marks it; reload keeps every choice', async () => {
  await fresh();
  const { page } = browser;
  await page.goto(`${server.base}/endpoints/fraud-detector-prod/logs?entity=fraud_xgb-7&kind=server&q=scored#L120`);
  await page.locator('[data-testid=log-row][data-line="120"].log-row--target').waitFor();
  assert.ok(await rowInView(page, 120), 'line 120 is in view');
  assert.equal(await page.getByTestId('log-search').inputValue(), 'scored');
  await page.reload();
  await page.locator('[data-testid=log-row][data-line="120"].log-row--target').waitFor();
  assert.ok(await rowInView(page, 120));
  // Clicking a line number links it.
  await page.locator('[data-testid=log-row][data-line="125"] .log-row__num').click();
  await urlMatches(page, /#L125$/);
  await page.locator('[data-testid=log-row][data-line="125"].log-row--target').waitFor();
  // Go to line, keyboard only, with validation beside the field.
  await page.getByTestId('log-goto').fill('999999');
  await page.getByTestId('log-goto').press('Enter');
  const err = page.locator('#log-goto-error');
  await err.waitFor();
  assert.equal(await page.getByTestId('log-goto').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.getByTestId('log-goto').getAttribute('aria-describedby'), 'log-goto-error');
  await page.getByTestId('log-goto').fill('300');
  await page.getByTestId('log-goto').press('Enter');
  await page.locator('[data-testid=log-row][data-line="300"].log-row--target').waitFor();
  assert.ok(await rowInView(page, 300));
  await urlMatches(page, /#L300$/);
});

test('hostile log lines are text; other states; axe clean in dark mode', async () => {
  await fresh();
  const { page } = browser;
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto(`${server.base}/endpoints/fraud-detector-prod/logs?entity=fraud_xgb-7&kind=server`);
  await page.getByTestId('log-row').first().waitFor();
  await page.getByTestId('log-search').fill('<script>');
  await page.getByTestId('log-search').press('Enter');
  const count = await searchDone(page);
  assert.match(count, /of \d+ matches/);
  const row = page.locator('[data-testid=log-row]:has(mark.log-match--current)');
  assert.match(await row.textContent(), /<img src=x onerror=alert\(1\)><script>window.__pwned=1<\/script>/);
  assert.equal(await page.locator('[data-testid=log-viewer] script, [data-testid=log-viewer] img').count(), 0);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  // A terminal escape trick: the OSC title and hyperlink are dropped, the text shows.
  await page.getByTestId('log-search').fill('click-me');
  await page.getByTestId('log-search').press('Enter');
  await searchDone(page);
  const trick = await page.locator('[data-testid=log-row]:has(mark.log-match--current)').textContent();
  assert.match(trick, /client id click-me done/);
  assert.doesNotMatch(trick, /\u001b|owned|evil\.example/);
  assert.deepEqual(await axe(page), [], 'axe: server log with ANSI and highlights (dark)');
  await screenshot(page, 'logs-server-dark');

  // Wrap toggles.
  await page.getByTestId('log-wrap').check();
  await page.locator('[data-testid=log-viewer].log-viewer--wrap').waitFor();
  assert.deepEqual(await axe(page), [], 'axe: wrapped (dark)');

  // A stopped endpoint's server log ends with the shutdown, with the notice.
  await page.goto(`${server.base}/endpoints/forecast-batch-scorer/logs`);
  await page.getByTestId('log-notice').waitFor();
  assert.match(await page.getByTestId('log-notice').textContent(), /stopped/);
  // An endpoint serving only external models has no logs, and says so.
  await page.goto(`${server.base}/endpoints/openai-gpt-4o-chat/logs`);
  await page.getByTestId('logs-none').waitFor();
  assert.deepEqual(await axe(page), [], 'axe: no logs (dark)');
  // An API error shows the error view with Retry.
  assert.deepEqual(browser.errors, [], 'no page errors');
  await server.control('POST', 'faults', { method: 'GET', path: '/api/2.0/serving-endpoints/*/served-models/*/logs', fault: { kind: 'status', status: 500, error_code: 'INTERNAL_ERROR', message: 'Injected' } });
  await page.goto(`${server.base}/endpoints/fraud-detector-prod/logs?kind=server`);
  await page.locator('[data-testid=log-pane] [data-testid=error-view]').waitFor();
  assert.match(await page.locator('[data-testid=log-pane] [data-testid=error-view]').textContent(), /INTERNAL_ERROR/);
  await server.control('DELETE', 'faults');
  const errors = browser.errors.splice(0).filter((e) => !/Failed to load resource: .* 500/.test(e));
  assert.deepEqual(errors, [], 'no page errors besides the injected 500');
});

test('a deploying entity: still building, then its build log grows while followed', async () => {
  await fresh();
  const { page } = browser;
  await page.goto(`${server.base}/endpoints/churn-model/logs`);
  await page.getByTestId('log-pane').waitFor();
  // The defaults are pinned into the URL: the view stays on this log when the build finishes.
  await urlMatches(page, /\/logs\?entity=churn_lgbm-5&kind=build&version=5$/);
  assert.equal(await page.locator('input[name=log-kind][value=build]').isChecked(), true, 'the deploying entity’s build log');
  assert.equal(await page.getByTestId('log-follow').isChecked(), true, 'follows while building');
  await page.getByTestId('log-row').first().waitFor();
  const lines = async () => Number((await page.getByTestId('log-lines').textContent()).split(' ')[0].replace(/,/g, ''));
  const n0 = await lines();
  assert.match(await page.getByTestId('log-notice').textContent(), /Still building/);
  await server.control('POST', 'time', { advance_secs: 30 });
  // Followed: the last line, written after the clock moved, shows up at the end.
  await page.getByText('Container image built successfully').waitFor({ timeout: 15000 });
  const n1 = await lines();
  assert.ok(n1 > n0, `${n1} > ${n0}`);
  assert.ok(await rowInView(page, n1), 'the newest line is in view');
  assert.match(page.url(), /kind=build/, 'still the build log after the deployment finished');
});
