// Hostile input end to end: the emulator runs with `--hostile` (1,000+ payloads — script tags,
// event handlers, javascript:/data:/vbscript: URLs, SVG/MathML tricks, broken HTML, RTL and
// zero-width characters, 100 KB strings, terminal escapes, template strings, NUL bytes, a lone
// surrogate — in every field the console shows) and error bodies carry hostile text. A canary
// (`window.__pwned`, exposed to every page) counts executions; dialogs and CSP violations are
// recorded. Every page visited — list, each hostile endpoint's Overview, Logs (server and
// build), Permissions (with the save preview), Schema (tree expanded, request builder), error
// views — must run nothing, carry no `on*` attribute and no non-http(s) URL, show the hostile
// text literally, and stay usable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { ARTIFACTS, journey, server, browser } from './lib.mjs';

/** API text as the console shows it: bidi controls as visible symbols (model::format::api_text). */
const shown = (s) =>
  s.replace(/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g,
    (c) => `⟨U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}⟩`);


let corpus;
const hits = { pwned: [], dialogs: [], csp: [] };

journey(['--freeze-time', '--hostile'], { setUp: async () => {
  corpus = (await server.control('GET', 'hostile')).payloads;
  const { context, page } = browser;
  await context.exposeFunction('__pwned', (...args) => { hits.pwned.push(`${page.url()} ${args.join(',')}`); });
  await context.exposeFunction('__cspViolation', (d) => { hits.csp.push(d); });
  await context.addInitScript(() => {
    window.addEventListener('securitypolicyviolation', (e) => {
      window.__cspViolation(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`);
    }, true);
  });
  page.on('dialog', (d) => {
    // Leaving a page with an unsaved permissions draft asks first: that one is the console's own.
    if (d.type() === 'beforeunload') { d.accept().catch(() => {}); return; }
    hits.dialogs.push(`${d.type()}: ${d.message()}`);
    d.dismiss().catch(() => {});
  });
} });

/** A viewport screenshot (a full-page one of a 100 KB text is too large to capture). */
async function screenshot(page, name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
}

/** How far the page scrolls sideways (a 100 KB word must not push it). */
function overflowX(page) {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}


async function api(path) {
  const r = await fetch(`${server.base}/api/2.0/${path}`, { headers: { authorization: 'Bearer dapi-emulator-admin' } });
  assert.equal(r.status, 200, `${path}: ${r.status}`);
  return r.json();
}

/** Nothing ran, nothing unsafe is in the DOM. */
async function audit(page, where) {
  const bad = await page.evaluate(() => {
    const out = [];
    const urlAttrs = ['href', 'src', 'action', 'formaction', 'xlink:href', 'poster', 'data', 'background', 'ping', 'srcset'];
    const all = [document.documentElement, ...document.querySelectorAll('*')];
    for (const el of all) {
      for (const a of el.attributes) {
        const n = a.name.toLowerCase();
        if (n.startsWith('on')) out.push(`<${el.localName} ${n}>`);
        if (n === 'srcdoc') out.push(`<${el.localName} srcdoc>`);
        if (urlAttrs.includes(n)) {
          const v = a.value.replace(/[\u0000-\u0020\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/g, '');
          const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(v);
          if (scheme && !/^https?$/i.test(scheme[1])) out.push(`<${el.localName} ${n}="${a.value.slice(0, 60)}">`);
        }
      }
      if (['iframe', 'frame', 'object', 'embed', 'base', 'math', 'template'].includes(el.localName)) out.push(`<${el.localName}>`);
      if (el.localName === 'script' && !el.closest('head')) out.push('<script> in body');
      if (el.localName === 'meta' && el.getAttribute('http-equiv')) out.push('<meta http-equiv>');
    }
    return out;
  });
  assert.deepEqual(bad, [], `${where}: unsafe markup in the DOM`);
  assert.deepEqual(hits.pwned, [], `${where}: the canary ran`);
  assert.deepEqual(hits.dialogs, [], `${where}: a dialog opened`);
  assert.deepEqual(hits.csp, [], `${where}: CSP violations`);
  const fatal = browser.errors.filter((e) => /Content Security Policy|panicked|RuntimeError|unreachable/i.test(e));
  assert.deepEqual(fatal, [], `${where}: CSP errors or a crash`);
}

/** All text of the page, as the user sees it in text and form controls. */
function pageText(page) {
  return page.evaluate(() => {
    const parts = [document.body.textContent];
    for (const el of document.querySelectorAll('input, textarea')) parts.push(el.value);
    for (const el of document.querySelectorAll('[title]')) parts.push(el.getAttribute('title'));
    return parts.join('\n');
  });
}

async function fresh() {
  await server.control('POST', 'reset');
  await server.control('DELETE', 'faults');
}

test('the corpus is large and reaches the API', async () => {
  assert.ok(corpus.length >= 1000, `${corpus.length} payloads`);
  const list = await api('serving-endpoints');
  const hostile = list.endpoints.filter((e) => e.name.startsWith('hostile-'));
  assert.ok(hostile.length >= 40, `${hostile.length} hostile endpoints`);
});

test('list: hostile creators, tags and entities shown as text; search and the creator filter still work', async () => {
  await fresh();
  const { page } = browser;
  await page.goto(`${server.base}/endpoints?q=hostile`);
  const rows = page.getByTestId('endpoint-row');
  await rows.first().waitFor();
  await audit(page, 'list');
  const list = (await api('serving-endpoints')).endpoints;
  const byName = new Map(list.map((e) => [e.name, e]));
  const rendered = await page.locator('[data-testid=endpoint-row]').evaluateAll((trs) =>
    trs.map((tr) => ({ name: tr.querySelector('.cell-name')?.textContent, text: tr.textContent })));
  let checked = 0;
  for (const r of rendered) {
    const e = byName.get(r.name);
    if (!e || !/^hostile-\d+$/.test(e.name)) continue;
    assert.ok(r.text.includes(e.creator), `${e.name}: creator shown literally`);
    for (const t of e.tags || []) assert.ok(r.text.includes(shown(t.key)), `${e.name}: tag key shown literally`);
    checked += 1;
  }
  assert.ok(checked >= 10, `checked ${checked} rows`);
  await screenshot(page, 'hostile-list');

  // The 100 KB row does not push the page sideways; the search box stays on screen and works.
  await page.getByRole('searchbox', { name: 'Search' }).fill('hostile-long');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=endpoint-row]').length === 1);
  assert.equal(await overflowX(page), 0, 'the list does not scroll sideways');
  const box = await page.getByRole('searchbox', { name: 'Search' }).boundingBox();
  assert.ok(box && box.x >= 0 && box.x + box.width <= 1280, 'search box on screen');
  await audit(page, 'list (long)');

  // The creator filter offers hostile creators as options (labels clipped, values whole);
  // picking one filters to its endpoint.
  await page.getByRole('searchbox', { name: 'Search' }).fill('');
  const target = list.find((e) => /^hostile-\d+$/.test(e.name) && /^[\x20-\x7e]+$/.test(e.creator) && e.creator.includes('<'));
  const creator = page.locator('label.field:has(> .field__label:text-is("Creator")) select');
  const options = await creator.locator('option').evaluateAll((os) => os.map((o) => ({ value: o.value, label: o.textContent })));
  assert.ok(options.some((o) => o.value === target.creator), 'hostile creator offered');
  assert.ok(options.every((o) => [...o.label].length <= 81), 'option labels are clipped');
  const long = options.find((o) => o.value.length >= 100 * 1024);
  assert.ok(long && long.label.endsWith('…'), 'the 100 KB creator is offered, clipped');
  await creator.selectOption(target.creator);
  await page.waitForFunction((n) => [...document.querySelectorAll('[data-testid=endpoint-row] .cell-name')].map((c) => c.textContent).join() === n, target.name);
  await audit(page, 'list (creator filter)');
  assert.equal(await overflowX(page), 0, 'the creator filter does not push the list sideways');
});

test('every hostile endpoint: Overview shows its text literally and runs nothing', async () => {
  await fresh();
  const { page } = browser;
  const names = (await api('serving-endpoints')).endpoints.map((e) => e.name).filter((n) => n.startsWith('hostile-'));
  for (const name of names) {
    await page.goto(`${server.base}/endpoints/${name}`);
    await page.getByTestId('state-indicator').waitFor();
    await page.locator('.overview').waitFor();
    await audit(page, name);
    const e = await api(`serving-endpoints/${name}`);
    const text = await pageText(page);
    assert.ok(text.includes(e.creator), `${name}: creator literally`);
    for (const t of e.tags || []) assert.ok(text.includes(shown(t.key)), `${name}: tag ${JSON.stringify(t.key.slice(0, 40))} literally`);
    for (const c of [e.config, e.pending_config].filter(Boolean)) {
      for (const s of c.served_entities) assert.ok(text.includes(s.name), `${name}: entity ${JSON.stringify(s.name.slice(0, 40))} literally`);
    }
    if (name === 'hostile-long') {
      assert.equal(await overflowX(page), 0, 'hostile-long does not scroll sideways');
      await screenshot(page, 'hostile-long');
    }
  }
  // 100 KB unbroken strings do not push any tab sideways.
  for (const [tab, ready] of [['/logs', '[data-testid=log-pane], [data-testid=logs-none]'], ['/permissions', '[data-testid=perm-row]'],
    ['/schema', '[data-testid=schema-unavailable], [data-testid=schema-explorer], [data-testid=error-view]']]) {
    await page.goto(`${server.base}/endpoints/hostile-long${tab}`);
    await page.locator(ready).first().waitFor();
    await audit(page, `hostile-long${tab}`);
    assert.equal(await overflowX(page), 0, `hostile-long${tab} does not scroll sideways`);
  }

  // hostile-detail: pending config message, AI gateway fields, description.
  await page.goto(`${server.base}/endpoints/hostile-detail`);
  await page.locator('.overview').waitFor();
  const text = await pageText(page);
  for (const s of [
    'Container image creation failed: <img src=x onerror=__pwned()> </textarea><script>alert(1)</script> see build logs',
    '<img src=x onerror=__pwned()>.</style><script>__pwned()</script>.javascript:__pwned()_*',
    '10 calls/<b>minute</b> per <svg onload=__pwned()>',
    '<svg onload=__pwned()>',
  ]) assert.ok(text.includes(s), `hostile-detail shows ${JSON.stringify(s)} literally`);
  await screenshot(page, 'hostile-detail');

  // The actions menu opens over hostile content and closes again.
  await page.locator('[aria-haspopup=menu]').first().click();
  await page.getByRole('menu').waitFor();
  await audit(page, 'actions menu');
  await page.keyboard.press('Escape');
  await page.getByRole('menu').waitFor({ state: 'hidden' });

  // The tabs still switch.
  await page.getByRole('link', { name: 'Permissions' }).click();
  await page.getByTestId('perm-row').first().waitFor();
  await audit(page, 'tab switch');
});

test('logs: the whole corpus in the server log and terminal escapes in the build log stay text', async () => {
  await fresh();
  const { page } = browser;
  const e = await api('serving-endpoints/hostile-detail');
  const entity = e.config.served_entities[0].name;
  await page.goto(`${server.base}/endpoints/hostile-detail/logs?entity=${encodeURIComponent(entity)}&kind=server`);
  await page.getByTestId('log-row').first().waitFor();
  await audit(page, 'server logs');
  const count = Number((await page.getByTestId('log-lines').textContent()).split(' ')[0].replace(/,/g, ''));
  assert.ok(count >= corpus.length, `${count} lines for ${corpus.length} payloads`);
  const rows = (await page.getByTestId('log-row').allTextContents()).join('\n');
  assert.ok(rows.includes('<script>__pwned()</script>'), 'the first payload shown literally');

  // Search finds the payloads; jumping around renders more hostile rows, still inert.
  await page.getByTestId('log-search').fill('onerror');
  await page.locator('mark.log-match--current').waitFor();
  await page.getByTestId('log-search').press('Enter');
  await page.getByTestId('log-search').press('Enter');
  await audit(page, 'server logs (search)');
  await screenshot(page, 'hostile-logs');

  await page.locator('input[name=log-kind][value=build]').check();
  await page.waitForFunction(() => document.querySelector('[data-testid=log-pane]')?.textContent.includes('Build logs'));
  await page.getByTestId('log-row').first().waitFor();
  await audit(page, 'build logs');
  const build = (await page.getByTestId('log-row').allTextContents()).join('\n');
  assert.ok(/<script>__pwned\(\)<\/script>|onerror/.test(build), 'hostile build lines shown literally');
  // OSC 8 hyperlinks are not turned into links.
  assert.equal(await page.locator('[data-testid=log-pane] a[href*="pwned"]').count(), 0);
});

test('permissions: hostile principals and display names as text, also in the save preview', async () => {
  await fresh();
  const { page } = browser;
  await page.goto(`${server.base}/endpoints/hostile-detail/permissions`);
  await page.getByTestId('perm-row').first().waitFor();
  await audit(page, 'permissions');
  const e = await api('serving-endpoints/hostile-detail');
  const perms = await api(`permissions/serving-endpoints/${e.id}`);
  const text = await pageText(page);
  for (const a of perms.access_control_list) {
    const p = a.user_name || a.group_name || a.service_principal_name;
    assert.ok(text.includes(p), `principal ${JSON.stringify(p.slice(0, 40))} literally`);
    if (a.display_name) assert.ok(text.includes(a.display_name), `display name ${JSON.stringify(a.display_name.slice(0, 40))} literally`);
  }
  // Remove a hostile group and open the save preview.
  const group = perms.access_control_list.find((a) => a.group_name && a.group_name !== 'admins').group_name;
  const row = page.locator('[data-testid=perm-row]').filter({ hasText: group }).first();
  await row.getByRole('button', { name: /^Remove/ }).click();
  await page.locator('#perm-save').click();
  const dialog = page.locator('dialog#perm-preview');
  await dialog.waitFor({ state: 'visible' });
  assert.ok((await page.getByTestId('perm-preview-list').textContent()).includes(group), 'preview names the group literally');
  await audit(page, 'permissions preview');

  // A failed save with a hostile message: shown as text, the draft survives.
  await server.control('POST', 'faults', { method: '*', path: '/api/2.0/permissions/**', times: 1,
    fault: { kind: 'status', status: 400, error_code: 'INVALID_PARAMETER_VALUE', message: '<img src=x onerror=__pwned()> bad principal' } });
  await page.getByTestId('perm-confirm').click();
  const err = page.getByTestId('perm-save-error');
  await err.waitFor();
  assert.ok((await err.textContent()).includes('<img src=x onerror=__pwned()> bad principal'));
  await audit(page, 'permissions save error');
  await page.keyboard.press('Escape');
  assert.equal(await page.getByTestId('perm-savebar').count(), 1, 'the draft (removal) is still pending');
  assert.match(await page.getByTestId('perm-savebar').textContent(), /1/);
});

test('schema: hostile titles, descriptions, enums, property names and URLs stay text; the builder works', async () => {
  await fresh();
  const { page } = browser;
  await page.goto(`${server.base}/endpoints/hostile-detail/schema`);
  await page.getByTestId('schema-tab').waitFor();
  await page.getByTestId('schema-explorer').waitFor();
  await audit(page, 'schema');
  assert.ok((await page.getByTestId('schema-title').textContent()).includes('<img src=x onerror=__pwned()>'));
  assert.ok((await pageText(page)).includes('javascript:__pwned()//serving-endpoints/hostile-detail'), 'server URL as text');
  // Expand the tree a few levels: hostile property names and descriptions.
  for (let round = 0; round < 4; round += 1) {
    const closed = page.locator('[role=treeitem][aria-expanded=false]');
    const n = Math.min(await closed.count(), 6);
    for (let i = 0; i < n; i += 1) await closed.first().click();
  }
  await page.getByTestId('schema-row').first().click();
  await audit(page, 'schema (expanded)');
  const text = await pageText(page);
  const shown = corpus.filter((p) => p.length < 1024 && text.includes(p)).length;
  assert.ok(shown >= 5, `${shown} payloads shown literally in the schema tab`);
  await screenshot(page, 'hostile-schema');

  // The request builder: its example body is made of hostile column names; send it into a
  // hostile error: the error is text and the body survives.
  const body = page.getByTestId('schema-body');
  const example = await body.inputValue();
  assert.ok(example.includes('onerror'), 'the example body carries hostile property names');
  await server.control('POST', 'faults', { method: 'POST', path: '/serving-endpoints/**', times: 1,
    fault: { kind: 'status', status: 500, error_code: 'INTERNAL_ERROR', message: '</style><script>__pwned()</script> boom' } });
  const send = page.getByTestId('schema-send');
  assert.ok(await send.isEnabled(), `send enabled: ${await page.getByTestId('schema-body-status').textContent()}`);
  await send.click();
  await page.waitForFunction(() => document.querySelector('[data-testid=schema-result]')?.textContent.includes('boom'));
  assert.ok((await page.getByTestId('schema-result').textContent()).includes('</style><script>__pwned()</script> boom'));
  assert.equal(await body.inputValue(), example, 'the body survives the failed send');
  await audit(page, 'schema send');
});

test('error views: hostile Databricks messages and HTML 502 bodies are shown as text; Retry recovers', async () => {
  await fresh();
  const { page } = browser;
  const message = '<img src=x onerror=__pwned()><script>alert(1)</script>\u202e javascript:__pwned()';
  await server.control('POST', 'faults', { method: 'GET', path: '/api/2.0/serving-endpoints', fault: {
    kind: 'status', status: 500, error_code: '<b>INTERNAL</b>', message } });
  await page.goto(`${server.base}/endpoints`);
  const view = page.getByTestId('error-view');
  await view.waitFor();
  assert.ok((await view.textContent()).includes(message), 'the hostile message literally');
  await audit(page, 'list error');
  await server.control('DELETE', 'faults');
  await page.getByRole('button', { name: 'Retry' }).click();
  await page.getByTestId('endpoint-row').first().waitFor();

  const html = `<html><head><style>body{display:none}</style><meta http-equiv="refresh" content="0;url=javascript:__pwned()"></head><body><h1>502 Bad Gateway</h1><img src=x onerror=__pwned()><a href="javascript:__pwned()">x</a><script>__pwned()</script>${'W'.repeat(100 * 1024)}</body></html>`;
  for (const [path, tab] of [['/api/2.0/serving-endpoints/hostile-detail', ''],
    ['/api/2.0/serving-endpoints/hostile-detail/openapi', '/schema'],
    ['/api/2.0/serving-endpoints/hostile-detail/served-models/**', '/logs'],
    ['/api/2.0/permissions/serving-endpoints/*', '/permissions']]) {
    await server.control('DELETE', 'faults');
    await server.control('POST', 'faults', { method: 'GET', path, fault: { kind: 'html502', body: html } });
    await page.goto(`${server.base}/endpoints/hostile-detail${tab}`);
    await page.getByTestId('error-view').first().waitFor();
    await audit(page, `HTML 502 on ${path}`);
    assert.equal(await overflowX(page), 0, `${path}: the error page does not scroll sideways`);
    await server.control('DELETE', 'faults');
    await page.getByRole('button', { name: 'Retry' }).first().click();
    await page.getByTestId('error-view').first().waitFor({ state: 'detached' });
  }
  await audit(page, 'after retries');

  // Metrics: an inline error whose message is hostile and one 100 KB word.
  const long = `<img src=x onerror=__pwned()>${'W'.repeat(100 * 1024)}`;
  await server.control('POST', 'faults', { method: 'GET', path: '/api/2.0/serving-endpoints/hostile-detail/metrics',
    fault: { kind: 'status', status: 500, error_code: 'INTERNAL_ERROR', message: long } });
  await page.goto(`${server.base}/endpoints/hostile-detail`);
  const inline = page.locator('[data-testid=metrics] .inline-error');
  await inline.waitFor();
  assert.ok((await inline.textContent()).includes(long), 'the metrics error literally');
  assert.equal(await overflowX(page), 0, 'the metrics error does not push the page sideways');
  await audit(page, 'metrics error');
  await server.control('DELETE', 'faults');

  // Who am I: a hostile failure leaves the permissions page usable and says so.
  await server.control('POST', 'faults', { method: 'GET', path: '/api/2.0/preview/scim/v2/Me',
    fault: { kind: 'status', status: 500, error_code: 'INTERNAL_ERROR', message: '<img src=x onerror=__pwned()>' } });
  await page.goto(`${server.base}/endpoints/hostile-detail/permissions`);
  await page.getByTestId('perm-row').first().waitFor();
  await page.getByTestId('perm-me').filter({ hasText: 'could not be read' }).waitFor();
  await audit(page, 'me error');
  await server.control('DELETE', 'faults');
});
