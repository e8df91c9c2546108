/**
 * Writes the README's editor screenshots at 1440×900: docs/screenshot.png (the default graph as a
 * learner first sees it), docs/editing.png (an issue whose fix is a button, the inspector's layer
 * kind) and docs/training.png (the default model after a short run on its dataset).
 * Runs only when asked: `UNROLL_SCREENSHOT=1 npx playwright test e2e/screenshot.spec.ts`.
 */
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { Editor } from './editor.ts';

test.skip(!process.env.UNROLL_SCREENSHOT, 'set UNROLL_SCREENSHOT=1 to refresh the README screenshots in docs/');
test.use({ viewport: { width: 1440, height: 900 } });

const doc = (name: string) => fileURLToPath(new URL(`../docs/${name}`, import.meta.url));

test('screenshot of the default graph', async ({ page }) => {
  const ed = new Editor(page);
  await ed.open();
  await page.waitForTimeout(400);
  await page.screenshot({ path: doc('screenshot.png') });
});

test('screenshot of editing: an issue with its one-click fix, the layer kind in the inspector', async ({ page }) => {
  const ed = new Editor(page);
  await ed.open();
  await ed.loadChain([
    { kind: 'Input', params: { shape: [30, 8] } },
    { kind: 'LSTM', name: 'encoder', params: { units: 32 } },
    { kind: 'LSTM', name: 'second', params: { units: 16 } },
    { kind: 'Dense', params: { units: 3, activation: 'softmax' } },
  ]);
  await ed.select('encoder');
  await page.getByRole('tab', { name: /Issues/ }).click();
  await expect(page.getByRole('region', { name: 'Model summary and issues' }).getByRole('button', { name: 'Turn on return_sequences on encoder' })).toBeVisible();
  await page.waitForTimeout(400);
  await page.screenshot({ path: doc('editing.png') });
});

test('screenshot of a finished training run', async ({ page }) => {
  test.setTimeout(240_000);
  const ed = new Editor(page);
  await ed.open();
  await page.getByRole('tab', { name: 'Train' }).click();
  const panel = page.getByRole('region', { name: 'Train', exact: true });
  await panel.getByLabel('Epochs', { exact: true }).fill('4');
  await panel.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(panel.getByRole('status', { name: 'Run status' })).toHaveText('Done', { timeout: 200_000 });
  await page.waitForTimeout(600);
  await page.screenshot({ path: doc('training.png') });
});
