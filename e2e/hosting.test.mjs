// Hosting through a real nginx configured from deploy/nginx.conf, in front of
// `serving-console demo --strict-auth` (only the token nginx injects works): the full journey at
// the root and under /console/, 0 CSP violations, the security headers on every kind of
// response, no credential reachable from the page, the proxy allow-list, and token mode.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, chmodSync, writeFileSync, rmSync, statSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import http from 'node:http';
import net from 'node:net';
import zlib from 'node:zlib';
import AxeBuilder from '@axe-core/playwright';
import { ROOT, startServer, launch, screenshot, freePort } from './lib.mjs';
import { startNginx, raw, SECURITY_HEADERS, JS_MODULE } from './nginx.mjs';

const TOKEN = 'dapi-emulator-admin'; // only nginx knows it
const DIST = path.join(ROOT, 'dist');
const SUBPATH_DIST = path.join(ROOT, 'target', 'dist-console');

let server;
let root; // nginx at /
let sub; // nginx at /console/
let browser;

before(async () => {
  if (!existsSync(path.join(SUBPATH_DIST, 'index.html'))) {
    throw new Error(`${SUBPATH_DIST} missing: run \`make build-subpath\``);
  }
  server = await startServer(['--strict-auth', '--freeze-time']);
  root = await startNginx({ dist: DIST, upstream: server.base, token: TOKEN });
  sub = await startNginx({ dist: SUBPATH_DIST, base: '/console/', upstream: server.base, token: TOKEN });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await sub?.stop();
  await root?.stop();
  await server?.stop();
});

async function fresh() {
  await server.control('POST', 'reset');
  await server.control('DELETE', 'faults');
  await server.control('DELETE', 'requests');
}

function assertSecurityHeaders(headers, what) {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
    assert.equal(headers[name], value, `${name} on ${what}`);
  }
}

/** A fresh page that records CSP violations, console output, requests and every response. */
async function watchedPage() {
  const page = await browser.context.newPage();
  const seen = { violations: [], errors: [], console: [], requests: [], responses: [] };
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
  });
  page.on('pageerror', (e) => seen.errors.push(String(e)));
  page.on('console', (m) => {
    seen.console.push(m.text());
    if (m.type() === 'error') seen.errors.push(m.text());
  });
  page.on('request', (r) => seen.requests.push({ url: r.url(), method: r.method(), headers: r.headers() }));
  page.on('response', async (r) => {
    let body = Buffer.alloc(0);
    try {
      body = await r.body();
    } catch {}
    seen.responses.push({ url: r.url(), status: r.status(), headers: await r.allHeaders(), body });
  });
  seen.csp = async () => [...seen.violations, ...(await page.evaluate(() => window.__csp))];
  return { page, seen };
}

/** Everything the page can read that could hold a credential. */
async function storageDump(page) {
  const inPage = await page.evaluate(async () => ({
    local: { ...localStorage },
    session: { ...sessionStorage },
    cookie: document.cookie,
    url: location.href,
    idb: indexedDB.databases ? (await indexedDB.databases()).map((d) => d.name) : [],
    caches: 'caches' in self ? await caches.keys() : [],
  }));
  return JSON.stringify({ ...inPage, cookies: await page.context().cookies() });
}

function assertNoCredential(seen, dump, token) {
  assert.ok(!dump.includes(token), `token in storage/cookies/URL: ${dump}`);
  assert.ok(!/dapi[0-9a-f]{32}/.test(dump));
  for (const r of seen.responses) {
    assert.ok(!r.body.includes(token), `token in the body of ${r.url}`);
    const h = JSON.stringify(r.headers);
    assert.ok(!h.includes(token) && !/bearer /i.test(h), `credential in the headers of ${r.url}`);
    if (/\/(api|serving-endpoints)\//.test(new URL(r.url).pathname)) {
      assert.ok(!/bearer /i.test(r.body.toString('latin1')), `Bearer in ${r.url}`);
    }
  }
  for (const line of seen.console) assert.ok(!line.includes(token), `token logged: ${line}`);
}

/** List → search → detail → every tab → deep-link reload → back, all under `prefix`. */
async function journey(page, origin, prefix) {
  await page.goto(`${origin}${prefix}`);
  await page.waitForURL(new RegExp(`^${origin}${prefix}endpoints$`));
  const rows = page.getByTestId('endpoint-row');
  await rows.first().waitFor();
  assert.ok((await rows.count()) >= 10);
  await page.getByRole('searchbox', { name: 'Search' }).fill('fraud');
  await page.waitForURL(/q=fraud/);
  await page.getByRole('link', { name: 'fraud-detector-prod', exact: true }).click();
  await page.waitForURL(`${origin}${prefix}endpoints/fraud-detector-prod`);
  await page.getByTestId('state-indicator').waitFor();

  const tabs = page.getByRole('navigation', { name: 'Endpoint sections' }).getByRole('link');
  const count = await tabs.count();
  assert.ok(count >= 1);
  for (let i = 0; i < count; i++) {
    const tab = tabs.nth(i);
    const href = await tab.getAttribute('href');
    assert.ok(href.startsWith(`${prefix}endpoints/fraud-detector-prod`), `tab link ${href} carries the base`);
    await tab.click();
    // A tab may add its own query (e.g. the schema's path), so compare the path only.
    await page.waitForURL((u) => u.origin === origin && u.pathname === href);
    await assert.doesNotReject(tab.and(page.locator('[aria-current=page]')).waitFor());
    await page.waitForLoadState('networkidle');
  }
  // Reload the last tab's deep link: nginx answers index.html, the console routes to the tab.
  const last = await tabs.nth(count - 1).getAttribute('href');
  await page.reload();
  await page.getByTestId('state-indicator').waitFor();
  assert.equal(await tabs.nth(count - 1).getAttribute('aria-current'), 'page');
  assert.equal(new URL(page.url()).pathname, last);

  // Header links carry the base too.
  for (const href of await page.locator('header a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))) {
    assert.ok(href.startsWith(`${prefix}endpoints`), `header link ${href}`);
  }
  await page.goBack();
}

test('root: full journey through nginx, strict CSP with 0 violations, no credential in the page', async () => {
  await fresh();
  const { page, seen } = await watchedPage();
  await journey(page, root.url, '/');
  await screenshot(page, 'hosting-root');
  assert.deepEqual(await seen.csp(), [], 'CSP violations');
  assert.deepEqual(seen.errors, [], 'console errors');
  assertNoCredential(seen, await storageDump(page), TOKEN);

  // The browser sent no token; the emulator (strict auth) got one on every call: nginx's.
  const api = seen.requests.filter((r) => new URL(r.url).pathname.startsWith('/api/'));
  assert.ok(api.length >= 3);
  assert.ok(api.every((r) => !('authorization' in r.headers)), 'the browser holds no token');
  // Count the API answers the browser received (each came from the emulator through nginx); a
  // request the console aborted on navigation, or one still in flight, may never reach it.
  const answered = seen.responses.filter((r) => new URL(r.url).pathname.startsWith('/api/')).length;
  assert.ok(answered >= 3);
  const got = await server.control('GET', 'requests');
  assert.ok(got.length >= answered && got.every((r) => r.authorization_present && r.status !== 401),
    JSON.stringify(got.filter((r) => !r.authorization_present || r.status === 401)));
  const direct = await fetch(`${server.base}/api/2.0/serving-endpoints`);
  assert.equal(direct.status, 401, 'without nginx there is no token');

  // Negative control: the listener sees violations, and the CSP blocks an injected inline script.
  await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.__pwned = 1';
    document.body.append(s);
  });
  await page.waitForFunction(() => window.__csp.length > 0);
  assert.match((await seen.csp())[0], /^script-src/);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  await page.close();
});

test('sub-path /console/: links, API calls and deep-link reloads stay under the base', async () => {
  await fresh();
  const { page, seen } = await watchedPage();
  await journey(page, sub.url, '/console/');
  await screenshot(page, 'hosting-subpath');
  assert.deepEqual(await seen.csp(), [], 'CSP violations');
  assert.deepEqual(seen.errors, [], 'console errors');
  assertNoCredential(seen, await storageDump(page), TOKEN);
  const paths = seen.requests.map((r) => new URL(r.url).pathname);
  assert.ok(paths.some((p) => p.startsWith('/console/api/2.0/serving-endpoints')));
  assert.deepEqual(paths.filter((p) => !p.startsWith('/console/')), [], 'every request stays under /console/');
  assert.ok(paths.includes('/console/config.json'));

  // The base without its slash redirects; nothing is served outside the base.
  const bare = await raw(sub.port, 'GET', '/console');
  assert.equal(bare.status, 301);
  assert.equal(new URL(bare.headers.location, sub.url).pathname, '/console/');
  for (const p of ['/', '/endpoints', '/api/2.0/serving-endpoints']) {
    assert.equal((await raw(sub.port, 'GET', p)).status, 404, p);
  }
  await page.close();
});

test('security headers on index, assets, a 404 and API errors; caching; precompression', async () => {
  await fresh();
  const index = await raw(root.port, 'GET', '/');
  const html = index.body.toString();
  const wasm = html.match(/\/(serving-console-app-[0-9a-f]+_bg\.wasm)/)[1];
  const js = html.match(/\/(serving-console-app-[0-9a-f]+\.js)/)[1];
  const css = html.match(/\/(tokens-[0-9a-f]+\.css)/)[1];
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script in index.html');
  const cases = [
    ['/', 200, 'no-cache', /^text\/html/],
    ['/endpoints/fraud-detector-prod/logs', 200, 'no-cache', /^text\/html/],
    ['/config.json', 200, 'no-cache', /^application\/json/],
    ['/boot.js', 200, 'no-cache', /^application\/javascript/],
    [`/${wasm}`, 200, 'public, max-age=31536000, immutable', /^application\/wasm$/],
    [`/${js}`, 200, 'public, max-age=31536000, immutable', /^application\/javascript/],
    [`/${css}`, 200, 'public, max-age=31536000, immutable', /^text\/css/],
    ['/nope-0123456789abcdef.js', 404, 'no-cache', /^text\/html/],
    ['/api/2.0/serving-endpoints/does-not-exist', 404, 'no-store', /^application\/json/],
    ['/api/2.0/secrets/list', 403, 'no-store', /^application\/json/],
  ];
  for (const [p, status, cache, type] of cases) {
    const r = await raw(root.port, 'GET', p);
    assert.equal(r.status, status, p);
    assertSecurityHeaders(r.headers, p);
    assert.equal(r.headers['cache-control'], cache, `cache-control of ${p}`);
    assert.match(r.headers['content-type'], type, `content-type of ${p}`);
    assert.ok(!('set-cookie' in r.headers), p);
  }
  const apiError = JSON.parse((await raw(root.port, 'GET', '/api/2.0/serving-endpoints/does-not-exist')).body);
  assert.equal(apiError.error_code, 'RESOURCE_DOES_NOT_EXIST', 'workspace errors pass through');

  // Precompressed files are served as they are on disk.
  for (const [enc, ext] of [['br', '.br'], ['gzip', '.gz']]) {
    const r = await raw(root.port, 'GET', `/${wasm}`, { 'accept-encoding': enc });
    assert.equal(r.headers['content-encoding'], enc);
    assert.equal(r.body.length, statSync(path.join(DIST, wasm + ext)).size, `${enc} bytes`);
    assert.match(r.headers.vary ?? '', /accept-encoding/i);
    assert.equal(r.headers['content-type'], 'application/wasm');
  }
  const plain = await raw(root.port, 'GET', `/${wasm}`);
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.equal(plain.body.length, statSync(path.join(DIST, wasm)).size);
  // config.json is never precompressed (operators edit it in place).
  assert.ok(!existsSync(path.join(DIST, 'config.json.gz')) && !existsSync(path.join(DIST, 'config.json.br')));

  // An unreachable workspace: a Databricks-shaped 502 with the same headers.
  const dead = await startNginx({ dist: DIST, upstream: `http://127.0.0.1:${await freePort()}`, token: TOKEN });
  try {
    const r = await raw(dead.port, 'GET', '/api/2.0/serving-endpoints');
    assert.equal(r.status, 502);
    assert.equal(JSON.parse(r.body).error_code, 'TEMPORARILY_UNAVAILABLE');
    assert.match(r.headers['content-type'], /^application\/json/);
    assertSecurityHeaders(r.headers, '502');
  } finally {
    await dead.stop();
  }
});

test('API answers are compressed through nginx: the workspace\'s encoding passed on, plain JSON gzipped', async () => {
  await fresh();
  const list = '/api/2.0/serving-endpoints';
  const plain = await raw(root.port, 'GET', list);
  assert.equal(plain.status, 200);
  assert.equal(plain.headers['content-encoding'], undefined, 'no Accept-Encoding, no encoding');
  assert.ok(plain.body.length > 1024, `list is ${plain.body.length} B`);
  const endpoints = JSON.parse(plain.body).endpoints;
  assert.ok(endpoints.length > 0);
  // The workspace (the emulator) compresses; nginx passes its bytes on unchanged.
  for (const [ask, enc, decode] of [['gzip, deflate, br, zstd', 'br', zlib.brotliDecompressSync],
    ['gzip', 'gzip', zlib.gunzipSync]]) {
    const r = await raw(root.port, 'GET', list, { 'accept-encoding': ask });
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-encoding'], enc, ask);
    assert.match(r.headers.vary ?? '', /accept-encoding/i, ask);
    assert.match(r.headers['content-type'], /^application\/json/);
    assert.ok(r.body.length * 3 < plain.body.length, `${enc}: ${r.body.length} B of ${plain.body.length}`);
    assert.deepEqual(JSON.parse(decode(r.body)).endpoints, endpoints, `${enc} decodes to the same list`);
    assertSecurityHeaders(r.headers, `${enc} answer`);
  }
  // A small answer (an error under 1 KiB) is not compressed.
  const small = await raw(root.port, 'GET', `${list}/does-not-exist`, { 'accept-encoding': 'br, gzip' });
  assert.equal(small.status, 404);
  assert.equal(small.headers['content-encoding'], undefined);
  assert.equal(JSON.parse(small.body).error_code, 'RESOURCE_DOES_NOT_EXIST');

  // A workspace that never compresses: nginx gzips its JSON (and asks it for gzip/br only).
  const big = JSON.stringify({ endpoints: Array.from({ length: 200 }, (_, i) => ({ name: `ep-${i}`, state: { ready: 'READY' } })) });
  const asked = [];
  const upstream = http.createServer((req, res) => {
    asked.push(req.headers['accept-encoding']);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(big);
  });
  await new Promise((r) => upstream.listen(0, '127.0.0.1', r));
  const n = await startNginx({ dist: DIST, upstream: `http://127.0.0.1:${upstream.address().port}`, token: TOKEN });
  try {
    const r = await raw(n.port, 'GET', list, { 'accept-encoding': 'gzip, deflate, br, zstd' });
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-encoding'], 'gzip');
    assert.match(r.headers.vary ?? '', /accept-encoding/i);
    assert.equal(zlib.gunzipSync(r.body).toString(), big);
    assertSecurityHeaders(r.headers, 'gzipped answer');
    const p = await raw(n.port, 'GET', list);
    assert.equal(p.headers['content-encoding'], undefined);
    assert.equal(p.body.toString(), big);
    assert.deepEqual(asked, ['gzip, br', undefined]);
  } finally {
    await n.stop();
    await new Promise((r) => upstream.close(r));
  }
});

test('nginx forwards only the calls the console makes; nothing else reaches the workspace', async () => {
  await fresh();
  const refused = [
    ['GET', '/api/2.0/secrets/list'],
    ['GET', '/api/2.0/secrets/scopes/list'],
    ['POST', '/api/2.0/secrets/put'],
    ['GET', '/api/2.0/token/list'],
    ['POST', '/api/2.0/token/create'],
    ['GET', '/api/2.0/clusters/list'],
    ['GET', '/api/2.0/preview/scim/v2/Users'],
    ['GET', '/api/2.1/serving-endpoints'],
    ['GET', '/api/2.0/serving-endpoints/'],
    ['GET', '/api/2.0/serving-endpoints/../secrets/list'],
    ['GET', '/api/2.0/serving-endpoints/%2e%2e/secrets/list'],
    ['GET', '/api/2.0/serving-endpoints/%2E%2E/%2E%2E/token/list'],
    ['GET', '/api/2.0/serving-endpoints/..%2fsecrets%2flist'],
    ['GET', '/api/2.0/serving-endpoints/%252e%252e/secrets/list'],
    ['GET', '/api/2.0/serving-endpoints/a%5c..%5csecrets'],
    ['GET', '/api/2.0/serving-endpoints/fraud-detector-prod;x=1'],
    ['GET', '/api/2.0/serving-endpoints/x/served-models/y/../../../../secrets/list'],
    ['GET', '/serving-endpoints/x/invocations/../../../api/2.0/token/list'],
    ['POST', '/api/2.0/serving-endpoints'],
    ['PATCH', '/api/2.0/serving-endpoints/fraud-detector-prod/config'],
    ['PUT', '/api/2.0/serving-endpoints/fraud-detector-prod/tags'],
    ['PUT', '/api/2.0/serving-endpoints/fraud-detector-prod/rate-limits'],
    ['PATCH', '/api/2.0/serving-endpoints/fraud-detector-prod/telemetry-config'],
    ['POST', '/api/2.0/serving-endpoints/fraud-detector-prod'],
    ['GET', '/api/2.0/serving-endpoints/fraud-detector-prod/config:stop'],
    ['OPTIONS', '/api/2.0/serving-endpoints'],
    ['HEAD', '/api/2.0/serving-endpoints'],
    ['GET', '/serving-endpoints/fraud-detector-prod/invocations'],
    ['DELETE', '/api/2.0/permissions/serving-endpoints/abc'],
    ['GET', '/api/2.0/serving-endpoints/fraud%00'],
    ['GET', '/api/2.0/serving-endpoints%0A'],
    ['GET', '/api/2.0/serving-endpoints/fraud-detector-prod%0D%0A'],
  ];
  for (const [method, p] of refused) {
    const r = await raw(root.port, method, p);
    assert.ok(r.status === 403 || r.status === 400, `${method} ${p}: ${r.status}`);
    if (r.status === 403 && method !== 'HEAD') assert.equal(JSON.parse(r.body).error_code, 'PERMISSION_DENIED', p);
  }
  const stop = '/api/2.0/serving-endpoints/fraud-detector-prod/config:stop';
  for (const headers of [
    { 'sec-fetch-site': 'cross-site' },
    { 'sec-fetch-site': 'same-site' },
    { origin: 'https://evil.example' },
    { origin: 'null' },
    { 'x-http-method-override': 'DELETE' },
    { 'x-method-override': 'DELETE' },
  ]) {
    const r = await raw(root.port, 'POST', stop, { 'content-type': 'application/json', ...headers }, '{}');
    assert.equal(r.status, 403, JSON.stringify(headers));
  }
  assert.deepEqual(await server.control('GET', 'requests'), [], 'nothing reached the workspace');

  // Allowed calls go through as nginx's identity, whatever the browser claims to be.
  const me = await raw(root.port, 'GET', '/api/2.0/preview/scim/v2/Me', {
    authorization: 'Bearer dapi-emulator-view',
    cookie: 'session=browser',
  });
  assert.equal(me.status, 200);
  assert.equal(JSON.parse(me.body).userName, 'admin@example.com');
  const list = await raw(root.port, 'GET', '/api/2.0/serving-endpoints');
  assert.equal(list.status, 200);
  const sameOrigin = await raw(root.port, 'POST', stop,
    { 'content-type': 'application/json', origin: root.url, 'sec-fetch-site': 'same-origin' }, '{}');
  assert.notEqual(sameOrigin.status, 403, sameOrigin.body.toString());
  // A change the console makes (issue #15) goes through as well.
  const tags = '/api/2.0/serving-endpoints/fraud-detector-prod/tags';
  const patched = await raw(root.port, 'PATCH', tags,
    { 'content-type': 'application/json', origin: root.url, 'sec-fetch-site': 'same-origin' },
    '{"add_tags":[{"key":"via","value":"nginx"}]}');
  assert.equal(patched.status, 200, patched.body.toString());
  const got = (await server.control('GET', 'requests')).map((r) => `${r.method} ${r.path}`);
  assert.deepEqual(got, ['GET /api/2.0/preview/scim/v2/Me', 'GET /api/2.0/serving-endpoints', `POST ${stop}`,
    `PATCH ${tags}`]);
});

test('nginx drops the browser\'s credentials and the workspace\'s cookies, CORS and auth prompts', async () => {
  // An upstream that records what it receives and answers with headers nginx must not pass on.
  const seen = [];
  const echo = http.createServer((req, res) => {
    seen.push(req.headers);
    res.writeHead(200, {
      'content-type': 'application/json',
      'set-cookie': 'workspace-session=abc; HttpOnly',
      'www-authenticate': 'Basic realm="workspace"',
      'access-control-allow-origin': '*',
      'content-security-policy': 'default-src *',
      'x-request-id': 'req-123',
      // Headers a browser acts on that no deny-list named (issue 14): an allow-list drops them.
      location: 'https://evil.example/',
      refresh: '0; url=https://evil.example/',
      link: '<https://evil.example/x.js>; rel=preload; as=script',
      upgrade: 'h2c',
      'x-workspace-extra': 'not for the browser',
      etag: '"v1"',
    });
    res.end('{"ok":true}');
  });
  await new Promise((r) => echo.listen(0, '127.0.0.1', r));
  const n = await startNginx({ dist: DIST, upstream: `http://127.0.0.1:${echo.address().port}`, token: TOKEN });
  try {
    const r = await raw(n.port, 'POST', '/serving-endpoints/x/invocations?debug=1', {
      authorization: 'Bearer dapi-browser-token',
      cookie: 'session=browser-cookie',
      origin: n.url,
      referer: `${n.url}/endpoints/x`,
      'sec-fetch-site': 'same-origin',
      'content-type': 'application/json',
      accept: 'application/json',
      // Request headers no deny-list named (issue 14), and a duplicated, first-empty override.
      forwarded: 'for=1.2.3.4;host=evil.example',
      'proxy-authorization': 'Basic eDp5',
      'x-databricks-org-id': '1234',
      'x-forwarded-for': '1.2.3.4',
      'x-http-method-override': ['', 'DELETE'],
    }, '{"inputs":[1]}');
    assert.equal(r.status, 200);
    assert.equal(seen.length, 1);
    const h = seen[0];
    assert.equal(h.authorization, `Bearer ${TOKEN}`);
    // Exactly the allow-list (as `serving-console proxy`), plus nginx's own framing.
    assert.deepEqual(Object.keys(h).sort(), ['accept', 'authorization', 'content-length', 'content-type', 'host']);
    assert.equal(h['content-type'], 'application/json');
    assert.equal(h.host, `127.0.0.1:${echo.address().port}`);
    for (const dropped of ['set-cookie', 'www-authenticate', 'access-control-allow-origin', 'location', 'refresh',
      'link', 'upgrade', 'x-workspace-extra']) {
      assert.equal(r.headers[dropped], undefined, dropped);
    }
    assert.equal(r.headers['x-request-id'], 'req-123');
    assert.equal(r.headers.etag, '"v1"');
    assertSecurityHeaders(r.headers, 'forwarded answer');
  } finally {
    await n.stop();
    await new Promise((r) => echo.close(r));
  }
});

test('nginx answers only for its server_name: a DNS-rebinding request gets no answer', async () => {
  await fresh();
  const ep = '/api/2.0/serving-endpoints/fraud-detector-prod';
  const rebinding = (host) => raw(root.port, 'DELETE', ep, {
    host,
    origin: `http://${host}`,
    'sec-fetch-site': 'same-origin',
  });
  for (const host of [`evil.example:${root.port}`, 'evil.example', `localhost.evil.example:${root.port}`]) {
    await assert.rejects(rebinding(host), /socket hang up|ECONNRESET/, host);
  }
  // A request without a Host (HTTP/1.0) reaches no console either.
  await assert.rejects(new Promise((resolve, reject) => {
    const s = net.connect(root.port, '127.0.0.1', () => s.end(`GET ${ep} HTTP/1.0\r\n\r\n`));
    let got = '';
    s.on('data', (d) => (got += d));
    s.on('end', () => (got ? resolve(got) : reject(new Error('closed unanswered'))));
    s.on('error', reject);
  }), /closed unanswered|ECONNRESET/);
  assert.deepEqual(await server.control('GET', 'requests'), [], 'nothing reached the workspace');
  // The names it is rendered for still work (127.0.0.1 is the one the tests use; localhost too).
  const viaLocalhost = await raw(root.port, 'GET', ep, { host: `localhost:${root.port}` });
  assert.equal(viaLocalhost.status, 200, 'the endpoint is still there');
});

test('token mode: asks for a token in a dialog, keeps it in memory only, asks again on 401', async () => {
  await fresh();
  // The same build with config.json saying "auth": "token", behind nginx that adds no token.
  const dir = mkdtempSync(path.join(tmpdir(), 'sc-token-dist-'));
  chmodSync(dir, 0o755);
  cpSync(DIST, dir, { recursive: true });
  writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ auth: 'token', title: 'Token mode' }));
  const plain = await startNginx({ dist: dir, upstream: server.base, token: null });
  const good = 'dapi-emulator-creator';
  const { page, seen } = await watchedPage();
  try {
    await page.goto(`${plain.url}/endpoints`);
    const dialog = page.getByRole('dialog', { name: 'Personal access token' });
    await dialog.waitFor();
    await page.getByTestId('token-required').waitFor();
    const input = dialog.getByLabel('Token');
    assert.equal(await input.getAttribute('type'), 'password');
    await page.waitForFunction(() => document.activeElement?.id === 'token-input');
    const axe = await new AxeBuilder({ page }).analyze();
    assert.deepEqual(axe.violations.map((v) => v.id), [], 'axe on the token dialog');
    await screenshot(page, 'token-dialog');

    // Empty: a message beside the field, nothing sent.
    await dialog.getByRole('button', { name: 'Use token' }).click();
    assert.equal(await input.getAttribute('aria-invalid'), 'true');
    assert.match(await dialog.locator('#token-error').textContent(), /Enter a personal access token/);

    // Escape closes; the page offers the dialog again.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: 'Enter a token' }).click();
    await dialog.waitFor();

    // A wrong token: the workspace answers 401 and the console asks again, saying why.
    await input.fill('dapi-not-a-real-token');
    await input.press('Enter');
    await dialog.getByTestId('token-refused').waitFor();
    assert.equal(await input.inputValue(), '', 'the field starts empty again');

    // The right one: the list loads as that user.
    await input.fill(good);
    await dialog.getByRole('button', { name: 'Use token' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByTestId('endpoint-row').first().waitFor();
    await page.getByTestId('me').filter({ hasText: /alice|Alice/ }).waitFor();
    const api = seen.requests.filter((r) => new URL(r.url).pathname.startsWith('/api/'));
    assert.ok(api.some((r) => r.headers.authorization === `Bearer ${good}`));

    // Revoked meanwhile: the next 401 asks again; dismissed, a banner offers it.
    await server.control('POST', 'faults', {
      method: 'GET', path: '/api/2.0/serving-endpoints/*', times: 1,
      fault: { kind: 'status', status: 401, error_code: 'UNAUTHENTICATED', message: 'Invalid access token.' },
    });
    await page.getByTestId('endpoint-row').first().getByRole('link').first().click();
    await dialog.getByTestId('token-refused').waitFor();
    await page.keyboard.press('Escape');
    await page.getByTestId('token-banner').waitFor();

    // Never stored, never in a URL, never logged; gone after a reload.
    assertNoCredential(seen, await storageDump(page), good);
    assert.ok(seen.requests.every((r) => !r.url.includes(good)));
    assert.deepEqual(await seen.csp(), [], 'CSP violations');
    const before = seen.requests.length;
    await page.reload();
    await dialog.waitFor();
    assert.ok(seen.requests.slice(before).every((r) => !('authorization' in r.headers)));
  } finally {
    await page.close();
    await plain.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('deploy/render-nginx.sh refuses unsafe input and nginx accepts every rendering', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'sc-render-'));
  const { execFileSync } = await import('node:child_process');
  const render = (...args) => execFileSync('bash', [path.join(ROOT, 'deploy', 'render-nginx.sh'), ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
  const fails = (args, re) => assert.throws(() => render(...args), (e) => re.test(String(e.stderr)), args.join(' '));
  const tok = path.join(dir, 'token');
  writeFileSync(tok, 'dapi0123\n', { mode: 0o600 });
  const out = path.join(dir, 'out');
  const common = ['--token-file', tok, '--dist', DIST, '--out', out];
  try {
    fails(['--upstream', 'https://x.example/path', ...common], /upstream/);
    fails(['--upstream', 'https://x.example;evil', ...common], /upstream/);
    fails(['--upstream', 'https://x.example', ...common, '--base', '/a b/'], /base/);
    fails(['--upstream', 'https://x.example', ...common, '--base', '/console/'], /not built for base/);
    fails(['--upstream', 'https://x.example', ...common, '--server-name', '_'], /server-name/);
    fails(['--upstream', 'https://x.example', ...common, '--server-name', 'console.example *'], /server-name/);
    writeFileSync(tok, 'dapi";\nevil\n');
    fails(['--upstream', 'https://x.example', ...common], /unexpected characters/);
    writeFileSync(tok, 'dapi0123\n');
    render('--upstream', 'https://localhost', ...common);
    const conf = readFileSync(path.join(out, 'serving-console.conf'), 'utf8');
    assert.doesNotMatch(conf.replace(/^\s*#.*$/gm, ''), /@[A-Z_]{2,}@/);
    assert.ok(!conf.includes('dapi0123'), 'the token lives in token.conf only');
    assert.equal(statSync(path.join(out, 'token.conf')).mode & 0o777, 0o600);
    // nginx -t on the TLS rendering (a throwaway self-signed certificate).
    const cert = path.join(dir, 'c.pem');
    const key = path.join(dir, 'k.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-days', '1',
      '-keyout', key, '-out', cert], { stdio: 'ignore' });
    render('--upstream', 'https://localhost', ...common, '--listen', '127.0.0.1:8443 ssl', '--tls-cert', cert, '--tls-key', key);
    const tls = readFileSync(path.join(out, 'serving-console.conf'), 'utf8');
    assert.match(tls, /Strict-Transport-Security/);
    const main = path.join(dir, 'nginx.conf');
    const mod = '/usr/lib/nginx/modules/ngx_http_brotli_static_module.so';
    writeFileSync(main, `load_module ${JS_MODULE}; ${existsSync(mod) ? `load_module ${mod};` : ''}
pid ${dir}/pid; error_log ${dir}/e.log; events {}
http { include /etc/nginx/mime.types; include ${out}/serving-console.conf; }`);
    execFileSync('/usr/sbin/nginx', ['-t', '-q', '-p', dir, '-c', main, '-e', `${dir}/e.log`], { stdio: ['ignore', 'pipe', 'pipe'] });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
