// README screenshots (`make screenshots`; not part of `make test`): each screen in light and dark
// at 1280 × 800, from the emulator's default seed with a frozen clock, into docs/screenshots/.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { startServer, launch, ROOT } from './lib.mjs';

const OUT = path.join(ROOT, 'docs', 'screenshots');
mkdirSync(OUT, { recursive: true });

const server = await startServer(['--freeze-time']);
const browser = await launch();
const { page } = browser;
const saved = [];

/** Scroll the page so the tab links are at the top (the tab's content fills the shot). */
async function toTabs() {
  await page.evaluate(() => document.querySelector('.tabs')?.scrollIntoView({ block: 'start' }));
}

async function shot(name, scheme) {
  await page.mouse.move(0, 0);
  // Fonts and layout settled (no fixed sleep: wait for the fonts and two animation frames).
  await page.evaluate(() => document.fonts.ready.then(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))));
  const file = path.join(OUT, `${name}-${scheme}.png`);
  await page.screenshot({ path: file });
  saved.push(path.relative(ROOT, file));
}

async function detail(name, tab = '') {
  await page.goto(`${server.base}/endpoints/${name}${tab}`);
  await page.getByTestId('state-indicator').waitFor();
}

try {
  await page.setViewportSize({ width: 1280, height: 800 });
  for (const scheme of ['light', 'dark']) {
    await server.control('POST', 'reset');
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });

    await page.goto(`${server.base}/endpoints`);
    await page.locator('[data-testid=endpoint-row] .badge__label', { hasText: 'Not ready (Stopped)' }).first().waitFor();
    await shot('list', scheme);

    await detail('fraud-detector-prod');
    await page.getByTestId('entities-table').waitFor();
    await shot('overview', scheme);

    await detail('pricing-model', '/logs?entity=pricing_model-4&kind=build&version=4');
    await page.getByTestId('log-row').first().waitFor();
    await page.getByTestId('log-search').fill('error');
    await page.waitForFunction(() => document.querySelector('[data-testid=log-count]')?.dataset.state === 'done');
    await page.getByTestId('log-search').blur();
    await toTabs();
    await shot('logs', scheme);

    await detail('fraud-detector-prod', '/permissions');
    await page.getByTestId('perm-row').first().waitFor();
    await shot('permissions', scheme);

    await detail('fraud-detector-prod', '/schema');
    await page.getByTestId('schema-explorer').waitFor();
    await page.getByRole('treeitem', { name: /dataframe_split/ }).click();
    await page.getByRole('treeitem', { name: /^data\s/ }).click();
    await page.getByRole('treeitem', { name: /\[items\]/ }).click();
    await page.getByRole('treeitem', { name: /\[1\] amount/ }).click();
    await page.getByTestId('schema-details').waitFor();
    await page.getByText('Request body', { exact: true }).first().evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await shot('schema', scheme);

    await detail('fraud-detector-prod');
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await page.getByRole('alertdialog', { name: 'Stop fraud-detector-prod?' }).waitFor();
    await shot('stop-dialog', scheme);
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: 'More actions' }).click();
    await page.getByRole('menuitem', { name: 'Delete…' }).click();
    await page.getByRole('alertdialog', { name: 'Delete fraud-detector-prod?' }).waitFor();
    await page.keyboard.type('fraud-detector-prod');
    await shot('delete-dialog', scheme);
    await page.keyboard.press('Escape');
  }
  console.log(`saved ${saved.length} screenshots:\n  ${saved.join('\n  ')}`);
} finally {
  await browser.close();
  await server.stop();
}
