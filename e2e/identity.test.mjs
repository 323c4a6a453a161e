// Operators as themselves (issue 16): `serving-console proxy` in oauth mode in front of
// `serving-console demo --workspaces 2`. Two browser contexts sign in as two different emulator
// users through the workspace's own sign-in page and each sees their own "who am I" and
// permissions; the workspace switcher leads to the other workspace's own sign-in; access tokens
// expire upstream and are refreshed by the proxy; sign-out forgets the session; axe-core finds
// nothing on the sign-in page and the header with the switcher.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, startServer, launch, freePort, axe, screenshot } from './lib.mjs';

const SERVER = path.join(ROOT, 'target', 'debug', 'serving-console');
let emulator; // demo --workspaces 2
let proxy; // { base, stop }
let alice; // browser contexts
let vera;
let dir;

async function startProxy(file, key) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const proc = spawn(SERVER, ['proxy', '--workspaces-file', file, '--cookie-key-file', key,
    '--dist', path.join(ROOT, 'dist'), '--addr', `127.0.0.1:${port}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  proc.stdout.on('data', (d) => (log += d));
  proc.stderr.on('data', (d) => (log += d));
  const deadline = Date.now() + 20000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`proxy exited early (${proc.exitCode}):\n${log}`);
    try {
      const r = await fetch(`${base}/config.json`);
      if (r.ok) break;
    } catch {}
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`proxy not up in 20 s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    base,
    log: () => log,
    async stop() {
      proc.kill('SIGTERM');
      await new Promise((r) => (proc.exitCode !== null ? r() : proc.once('exit', r)));
    },
  };
}

/** The endpoint names `token` may list in workspace `ws` (straight from the emulator). */
async function namesFor(ws, token) {
  const r = await fetch(`${emulator.base}/w/${ws}/api/2.0/serving-endpoints`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return (await r.json()).endpoints.map((e) => e.name);
}

before(async () => {
  // 30 s tokens: inside the proxy's one-minute margin, so it refreshes before every call.
  emulator = await startServer(['--workspaces', '2', '--strict-auth', '--freeze-time', '--token-ttl-secs', '30']);
  dir = mkdtempSync(path.join(tmpdir(), 'sc-identity-'));
  const key = path.join(dir, 'cookie.key');
  writeFileSync(key, Buffer.alloc(32, 7).toString('base64'));
  chmodSync(key, 0o600);
  const file = path.join(dir, 'workspaces.toml');
  writeFileSync(file, ['dev', 'staging'].map((id) => `[[workspace]]
id = "${id}"
name = "${id === 'dev' ? 'Development' : 'Staging'}"
host = "${emulator.base}/w/${id}"
sign_in = "oauth"
client_id = "serving-console"
`).join('\n'));
  proxy = await startProxy(file, key);
  alice = await launch();
  vera = await launch();
});

after(async () => {
  await alice?.close();
  await vera?.close();
  await proxy?.stop();
  await emulator?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Open the console at `path`, get sent to the workspace's sign-in page, pick `who`. */
async function signIn(page, path, ws, who) {
  await page.goto(`${proxy.base}${path}`);
  await page.waitForURL((u) => u.pathname === `/w/${ws}/oidc/v1/authorize`);
  assert.equal(new URL(page.url()).origin, emulator.base, 'the workspace signs the user in');
  await page.getByRole('button', { name: new RegExp(`^Sign in as ${who}`) }).click();
  await page.waitForURL((u) => u.origin === proxy.base && u.pathname === path);
}

test('two operators sign in through one proxy and each acts as themselves', async () => {
  const [aliceNames, veraNames] = [await namesFor('dev', 'dapi-emulator-creator'), await namesFor('dev', 'dapi-emulator-view')];
  const onlyAlice = aliceNames.find((n) => !veraNames.includes(n));
  const both = aliceNames.find((n) => veraNames.includes(n));
  assert.ok(onlyAlice && both, `${aliceNames} / ${veraNames}`);

  // The sign-in page is the workspace's; axe-core finds nothing on it.
  await alice.page.goto(`${proxy.base}/w/dev/endpoints`);
  await alice.page.waitForURL((u) => u.pathname === '/w/dev/oidc/v1/authorize');
  assert.deepEqual(await axe(alice.page), []);

  await signIn(alice.page, '/w/dev/endpoints', 'dev', 'Alice Chen');
  await signIn(vera.page, '/w/dev/endpoints', 'dev', 'Vera View');
  for (const [b, name, sees, hidden] of [[alice, 'Alice Chen', onlyAlice, null], [vera, 'Vera View', both, onlyAlice]]) {
    await b.page.getByRole('link', { name: sees, exact: true }).waitFor();
    assert.match(await b.page.getByTestId('me').textContent(), new RegExp(name));
    if (hidden) assert.equal(await b.page.getByRole('link', { name: hidden, exact: true }).count(), 0);
  }
  // No token in the page's reach: cookies are HttpOnly and hold only sealed data.
  const cookies = await alice.context.cookies(proxy.base);
  const session = cookies.find((c) => c.name === 'sc_ws_dev');
  assert.ok(session && session.httpOnly && session.sameSite === 'Strict', JSON.stringify(cookies));
  assert.equal(await alice.page.evaluate(() => document.cookie), '');
  await screenshot(alice.page, 'identity-alice-dev');
});

test('the switcher leads to the other workspace, which needs its own sign-in', async () => {
  const { page } = alice;
  const switcher = page.getByRole('navigation', { name: 'Workspaces' });
  assert.equal(await switcher.getByRole('link', { name: 'Development' }).getAttribute('aria-current'), 'page');
  assert.deepEqual(await axe(page), []);
  await switcher.getByRole('link', { name: 'Staging' }).click();
  await page.waitForURL((u) => u.pathname === '/w/staging/oidc/v1/authorize');
  await page.getByRole('button', { name: /^Sign in as Quinn Query/ }).click();
  await page.waitForURL((u) => u.origin === proxy.base && u.pathname === '/w/staging/endpoints');
  await page.getByTestId('me').getByText('Quinn Query').waitFor();
  // Back in dev she is still Alice: one session per workspace.
  await page.getByRole('navigation', { name: 'Workspaces' }).getByRole('link', { name: 'Development' }).click();
  await page.waitForURL((u) => u.pathname === '/w/dev/endpoints');
  await page.getByTestId('me').getByText('Alice Chen').waitFor();
});

test('expired access tokens are refreshed by the proxy, unseen by the user', async () => {
  // The emulated clock jumps past every token's life: the proxy renews with the refresh token.
  await fetch(`${emulator.base}/w/dev/__emulator/time`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ advance_secs: 120 }),
  });
  const { page } = vera;
  await page.reload();
  await page.getByTestId('me').getByText('Vera View').waitFor();
  assert.equal(new URL(page.url()).pathname, '/w/dev/endpoints');
});

test('sign-out forgets the session: the next visit signs in again', async () => {
  const { page, context } = vera;
  await page.getByRole('button', { name: 'Sign out of Development' }).click();
  await page.waitForURL((u) => u.pathname === '/w/dev/oidc/v1/authorize');
  const r = await context.request.get(`${proxy.base}/w/dev/api/2.0/preview/scim/v2/Me`);
  assert.equal(r.status(), 401);
  // Alice, in her own browser, is unaffected.
  const me = await alice.context.request.get(`${proxy.base}/w/dev/api/2.0/preview/scim/v2/Me`);
  assert.equal((await me.json()).userName, 'alice.chen@contoso.com');
});

test('a 401 from the proxy sends the user to sign in, and back to the page they were on', async () => {
  const { page, context } = alice;
  await page.goto(`${proxy.base}/w/dev/endpoints`);
  const row = page.locator('[data-testid=endpoint-row] a').first();
  await row.waitFor();
  const name = (await row.textContent()).trim();
  await context.clearCookies(); // the session is gone (as after it expired)
  await row.click();
  await page.waitForURL((u) => u.pathname === '/w/dev/oidc/v1/authorize');
  await page.getByRole('button', { name: /^Sign in as Alice Chen/ }).click();
  await page.waitForURL((u) => u.origin === proxy.base && u.pathname.startsWith(`/w/dev/endpoints/${name}`));
  await page.getByRole('heading', { level: 1, name }).waitFor();
});

test('make run: demo --workspaces 2 opens the first workspace and switches to the other', async () => {
  // The emulator itself, without the proxy (no sign-in: the demo acts as the admin).
  const demo = await startServer(['--workspaces', '2', '--freeze-time']);
  const b = await launch();
  try {
    const { page } = b;
    await page.goto(`${demo.base}/`);
    await page.waitForURL((u) => u.pathname === '/w/dev/endpoints');
    const rows = page.locator('[data-testid=endpoint-row]');
    await rows.first().waitFor();
    const dev = await rows.count();
    await page.getByRole('navigation', { name: 'Workspaces' }).getByRole('link', { name: 'staging' }).click();
    await page.waitForURL((u) => u.pathname === '/w/staging/endpoints');
    await rows.first().waitFor();
    const staging = await rows.count();
    assert.ok(staging > 0 && staging < dev, `dev ${dev}, staging ${staging}: each workspace lists its own`);
    assert.equal(await page.getByRole('button', { name: /^Sign out/ }).count(), 0);
  } finally {
    await b.close();
    await demo.stop();
  }
});
