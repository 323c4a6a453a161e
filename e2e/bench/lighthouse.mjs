// Lighthouse scores of the console's cold load (budgets.md P3) against
// `serving-console demo --freeze-time --generate 1000`, desktop preset and mobile default
// (simulated slow 4G + 4× CPU), with Debian's Chromium. Lighthouse is not a project dependency:
//   npm install --prefix /tmp/lhbench lighthouse@12.2.3
//   node e2e/bench/lighthouse.mjs [--runs 3] [--lighthouse /tmp/lhbench]
// Results: printed and written to bench-results/lighthouse.json (median over the runs).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { writeFileSync, mkdirSync, readFileSync, rmSync, mkdtempSync } from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { startServer, ROOT } from '../lib.mjs';
import { median } from './stats.mjs';

const run = promisify(execFile);
const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const runs = Number(arg('--runs', 3));
const bin = path.join(arg('--lighthouse', '/tmp/lhbench'), 'node_modules', '.bin', 'lighthouse');
const round = (x) => Math.round(x * 10) / 10;

const server = await startServer(['--freeze-time', '--generate', '1000']);
const url = `${server.base}/endpoints`;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'sc-lh-'));
const out = { url, runs, desktop: [], mobile: [] };
try {
  await fetch(`${server.base}/api/2.0/serving-endpoints`).then((r) => r.arrayBuffer());
  for (const form of ['desktop', 'mobile']) {
    for (let i = 0; i < runs; i++) {
      const file = path.join(tmp, `${form}-${i}.json`);
      await run(bin, [url, ...(form === 'desktop' ? ['--preset=desktop'] : []),
        '--only-categories=performance,accessibility,best-practices', '--output=json', `--output-path=${file}`, '--quiet',
        '--chrome-flags=--headless --no-sandbox --disable-gpu --disable-background-networking'],
      { env: { ...process.env, CHROME_PATH: process.env.CHROMIUM_PATH || '/usr/bin/chromium' }, maxBuffer: 1 << 26 });
      const lhr = JSON.parse(readFileSync(file, 'utf8'));
      const a = (id) => lhr.audits[id]?.numericValue;
      out[form].push({
        performance: Math.round(lhr.categories.performance.score * 100),
        accessibility: Math.round(lhr.categories.accessibility.score * 100),
        best_practices: Math.round(lhr.categories['best-practices'].score * 100),
        fcp_ms: Math.round(a('first-contentful-paint')),
        lcp_ms: Math.round(a('largest-contentful-paint')),
        tbt_ms: Math.round(a('total-blocking-time')),
        cls: round(a('cumulative-layout-shift') * 1000) / 1000,
        speed_index_ms: Math.round(a('speed-index')),
        failed: Object.values(lhr.audits).filter((x) => x.score !== null && x.score < 1 && ['binary', 'numeric'].includes(x.scoreDisplayMode)).map((x) => x.id),
      });
    }
  }
} finally {
  await server.stop();
  rmSync(tmp, { recursive: true, force: true });
}
const rows = ['desktop', 'mobile'].map((form) => {
  const xs = out[form];
  const m = (k) => median(xs.map((x) => x[k]));
  return { form, runs: xs.length, performance: m('performance'), accessibility: m('accessibility'), 'best practices': m('best_practices'),
    'FCP ms': m('fcp_ms'), 'LCP ms': m('lcp_ms'), 'TBT ms': m('tbt_ms'), CLS: m('cls'), 'Speed Index ms': m('speed_index_ms') };
});
console.table(rows);
for (const form of ['desktop', 'mobile']) console.log(`${form}: audits below full score (last run): ${out[form].at(-1)?.failed.join(', ')}`);
mkdirSync(path.join(ROOT, 'bench-results'), { recursive: true });
writeFileSync(path.join(ROOT, 'bench-results', 'lighthouse.json'), JSON.stringify({ date: new Date().toISOString(), rows, raw: out }, null, 2));
