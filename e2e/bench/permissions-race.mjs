// Two writers, one ACL (budgets R3): two Chromium profiles — the workspace admin and alice
// (Can Manage by direct grant) — edit the permissions of fraud-detector-prod at the same time
// through the console, over N seeded trials.
//
// Each trial: reset the emulator; both open the Permissions tab; each makes 1–3 random edits
// (additions from its own pool of users; level changes and removals from a pool both share, so
// they collide); both open the preview and press "Save changes" within 0–40 ms of each other
// (random order); the outcome of each save is read from the page (saved / conflict shown /
// error); both then switch to Overview and back (a fresh read, which checks that what they saved
// still holds and says so if not); the final ACL is read through the API.
//
// Counted per edit of a writer whose save reported success:
//   held            – the final ACL has it;
//   reported        – it does not, and the writer's page says so (someone else changed it);
//   SILENT LOST     – it does not and nobody was told (must be 0).
// Also: phantom writes (an edit of a writer who was shown a conflict or an error found in the
// final ACL while nobody else saved it: must be 0) and collateral changes (a grant neither
// writer saved an edit to that differs from the seed: must be 0).
//
// Usage: node e2e/bench/permissions-race.mjs [--trials 100] [--seed 1]   (after make build server)
// Results: printed, and written to bench-results/permissions-race.json.
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { startServer, launch, ROOT } from '../lib.mjs';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const TRIALS = arg('trials', 100);
const SEED = arg('seed', 1);

const EP = { name: 'fraud-detector-prod', id: '3f1b9c2e8d4a4f6b9e0c7a5d2b1e4f8a' };
const LEVELS = ['CAN_MANAGE', 'CAN_QUERY', 'CAN_VIEW'];
const SHARED = [
  { key: 'group:risk-analysts', kind: 'group', name: 'risk-analysts' },
  { key: 'sp:6d1f0a3e-9c2b-4e8d-a7f5-3b2c1d0e9f8a', kind: 'service-principal', name: '6d1f0a3e-9c2b-4e8d-a7f5-3b2c1d0e9f8a' },
  { key: 'user:gina.rossi@contoso.com', kind: 'user', name: 'gina.rossi@contoso.com' },
  { key: 'user:vera.view@contoso.com', kind: 'user', name: 'vera.view@contoso.com' },
  { key: 'user:henry.adams@contoso.com', kind: 'user', name: 'henry.adams@contoso.com' },
];
const own = (w) => [1, 2, 3, 4].map((i) => ({ key: `user:${w}${i}@race.test`, kind: 'user', name: `${w}${i}@race.test` }));

function mulberry32(a) {
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rng = mulberry32(SEED);
const pick = (xs) => xs[Math.floor(rng() * xs.length)];

const server = await startServer(['--freeze-time']);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function api(method, p, body) {
  const r = await fetch(`${server.base}${p}`, {
    method,
    headers: { Authorization: 'Bearer dapi-emulator-admin', ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return r.json();
}

async function directGrants() {
  const acl = await api('GET', `/api/2.0/permissions/serving-endpoints/${EP.id}`);
  const out = {};
  for (const e of acl.access_control_list) {
    const who = e.user_name ? `user:${e.user_name}` : e.group_name ? `group:${e.group_name}` : `sp:${e.service_principal_name}`;
    for (const p of e.all_permissions) if (!p.inherited) out[who] = p.permission_level;
  }
  return out;
}

/** Random edits against `base`: { key → level | null (removed) } plus the steps to make them. */
function script(base, pool) {
  const n = 1 + Math.floor(rng() * 3);
  const ops = [];
  const used = new Set();
  while (ops.length < n) {
    const r = rng();
    if (r < 0.4) {
      const p = pick(pool);
      if (used.has(p.key)) continue;
      used.add(p.key);
      ops.push({ op: 'add', p, level: pick(LEVELS) });
    } else {
      const p = pick(SHARED);
      if (used.has(p.key)) continue;
      used.add(p.key);
      if (r < 0.75) {
        const level = pick(LEVELS.filter((l) => l !== base[p.key]));
        ops.push({ op: 'change', p, level });
      } else {
        ops.push({ op: 'remove', p });
      }
    }
  }
  const intent = {};
  for (const o of ops) intent[o.p.key] = o.op === 'remove' ? null : o.level;
  return { ops, intent };
}

async function openTab(page) {
  await page.goto(`${server.base}/endpoints/${EP.name}/permissions`);
  await page.locator('[data-testid=perm-row][data-source=inherited]').first().waitFor();
}

async function perform(page, ops) {
  for (const o of ops) {
    const row = page.locator(`[data-testid=perm-row][data-principal="${o.p.name}"][data-source=direct]`);
    if (o.op === 'add') {
      await page.locator('#perm-add-kind').selectOption(o.p.kind);
      await page.locator('#perm-add-name').fill(o.p.name);
      await page.locator('#perm-add-level').selectOption(o.level);
      await page.locator('form[data-testid=perm-add] button[type=submit]').click();
      await row.waitFor();
    } else if (o.op === 'change') {
      await row.locator('select').selectOption(o.level);
    } else {
      await row.getByRole('button', { name: `Remove ${o.p.name}` }).click();
      await row.getByRole('button', { name: `Keep ${o.p.name}` }).waitFor();
    }
  }
  await page.locator('#perm-save').click();
  await page.locator('dialog#perm-preview').waitFor({ state: 'visible' });
}

async function outcome(page) {
  const h = await page.waitForFunction(() => {
    if (document.querySelector('dialog#perm-conflict')?.open) return 'conflict';
    if (document.querySelector('[data-testid=perm-save-error]')) return 'error';
    if (document.querySelector('[data-testid=perm-blocked]')) return 'blocked';
    if (!document.querySelector('[data-testid=perm-savebar]')) return 'saved';
    return null;
  }, null, { timeout: 20000, polling: 10 });
  return h.jsonValue();
}

/** Switch to Overview and back (a fresh read); the principals the page says were changed. */
async function recheck(page) {
  if (await page.locator('dialog#perm-conflict[open]').count()) {
    await page.keyboard.press('Escape');
    await page.locator('dialog#perm-conflict').waitFor({ state: 'hidden' });
  }
  await page.getByRole('link', { name: 'Overview' }).click();
  await page.waitForURL(new RegExp(`${EP.name}$`));
  await page.getByRole('link', { name: 'Permissions' }).click();
  await page.locator('[data-testid=perm-row][data-source=inherited]').first().waitFor();
  // The check runs when the read lands; give the notice a moment to render if it is coming.
  await page.waitForTimeout(150);
  const items = await page.locator('[data-testid=perm-overwritten] li').allTextContents();
  return items.map((t) => {
    const who = t.split(':')[0];
    if (who.startsWith('user ')) return `user:${who.slice(5)}`;
    if (who.startsWith('group ')) return `group:${who.slice(6)}`;
    return `sp:${who.replace('service principal ', '')}`;
  });
}

const writers = [
  { label: 'admin', token: 'dapi-emulator-admin', pool: own('a') },
  { label: 'alice', token: 'dapi-emulator-creator', pool: own('b') },
];
for (const w of writers) {
  w.browser = await launch();
  await w.browser.context.setExtraHTTPHeaders({ Authorization: `Bearer ${w.token}` });
  w.page = w.browser.page;
}

const totals = { trials: 0, saves_ok: 0, conflicts_shown: 0, errors: 0, blocked: 0, edits_saved: 0, held: 0, reported_after_save: 0, silent_lost: 0, phantom_writes: 0, collateral_changes: 0 };
const incidents = [];
const started = Date.now();
try {
  for (let t = 0; t < TRIALS; t++) {
    await server.control('POST', 'reset');
    await Promise.all(writers.map((w) => openTab(w.page)));
    const base = await directGrants();
    for (const w of writers) w.plan = script(base, w.pool);
    await Promise.all(writers.map((w) => perform(w.page, w.plan.ops)));
    const order = rng() < 0.5 ? [0, 1] : [1, 0];
    const gap = Math.floor(rng() * 40);
    await Promise.all(order.map((i, k) => sleep(k * gap).then(() => writers[i].page.getByTestId('perm-confirm').click())));
    for (const w of writers) w.result = await outcome(w.page);
    for (const w of writers) w.reported = await recheck(w.page);
    const final = await directGrants();

    totals.trials++;
    const savedBy = {};
    for (const w of writers) {
      if (w.result === 'saved') {
        totals.saves_ok++;
        for (const k of Object.keys(w.plan.intent)) (savedBy[k] ||= []).push(w.plan.intent[k]);
      } else if (w.result === 'conflict') totals.conflicts_shown++;
      else if (w.result === 'error') totals.errors++;
      else totals.blocked++;
    }
    for (const w of writers) {
      for (const [k, want] of Object.entries(w.plan.intent)) {
        const have = final[k] ?? null;
        if (w.result === 'saved') {
          totals.edits_saved++;
          if (have === want) totals.held++;
          else if (w.reported.includes(k)) totals.reported_after_save++;
          else {
            totals.silent_lost++;
            incidents.push({ trial: t, kind: 'silent_lost', writer: w.label, principal: k, want, have, a: writers[0].plan.ops, b: writers[1].plan.ops });
          }
        } else if (have === want && have !== (base[k] ?? null) && !(savedBy[k] || []).includes(want)) {
          totals.phantom_writes++;
          incidents.push({ trial: t, kind: 'phantom', writer: w.label, principal: k, want, have });
        }
      }
    }
    for (const k of new Set([...Object.keys(base), ...Object.keys(final)])) {
      if (!savedBy[k] && (final[k] ?? null) !== (base[k] ?? null)) {
        totals.collateral_changes++;
        incidents.push({ trial: t, kind: 'collateral', principal: k, base: base[k] ?? null, final: final[k] ?? null });
      }
    }
    if ((t + 1) % 10 === 0) process.stderr.write(`  ${t + 1}/${TRIALS} trials\n`);
  }
} finally {
  for (const w of writers) await w.browser.close();
  await server.stop();
}
const seconds = Math.round((Date.now() - started) / 1000);
console.table([totals]);
if (incidents.length) console.log(JSON.stringify(incidents, null, 2));
console.log(`${TRIALS} trials (seed ${SEED}) in ${seconds} s: ${totals.silent_lost} silent lost edits, ${totals.phantom_writes} phantom writes, ${totals.collateral_changes} collateral changes`);
mkdirSync(path.join(ROOT, 'bench-results'), { recursive: true });
writeFileSync(path.join(ROOT, 'bench-results', 'permissions-race.json'), JSON.stringify({ date: new Date().toISOString(), trials: TRIALS, seed: SEED, seconds, totals, incidents }, null, 2));
process.exitCode = totals.silent_lost || totals.phantom_writes || totals.collateral_changes ? 1 : 0;
