/**
 * The development server as a new user meets it: `npm start` on a fresh clone (an emptied
 * dependency cache, see playwright.config.ts), open the app, train the default model for one epoch.
 * The run must complete in the same page: before the fix, the TF.js wasm backend was discovered
 * only when the training worker imported it, and Vite re-optimised its dependencies and reloaded
 * the page, losing the run.
 */
import { expect, test } from '@playwright/test';
import { Editor } from '../editor.ts';

test.setTimeout(180_000);

test('npm start with a fresh dependency cache: the first Train click trains one epoch without a reload', async ({ page }) => {
  let navigations = 0;
  page.on('framenavigated', (f) => { if (f === page.mainFrame()) navigations++; });
  const ed = new Editor(page);
  await page.goto('/');
  await page.waitForSelector('html[data-ready="true"]', { timeout: 90_000 });
  expect(navigations).toBe(1);
  // A mark that a reload would wipe out.
  await page.evaluate(() => { (window as unknown as { __firstPage: boolean }).__firstPage = true; });

  await page.getByRole('tab', { name: 'Train' }).click();
  const panel = page.getByRole('region', { name: 'Train', exact: true });
  await expect(panel.getByLabel('Dataset in use')).toContainText('Airline tweets');
  await panel.getByLabel('Epochs', { exact: true }).fill('1');
  await panel.getByLabel('Batch size', { exact: true }).fill('64');
  await expect.poll(() => ed.state<unknown>('(s) => s.extras.training')).toMatchObject({ epochs: 1, batch_size: 64 });
  await panel.getByRole('button', { name: 'Train', exact: true }).click();

  await expect(panel.getByLabel('Backend in use')).toHaveAttribute('data-backend', /\w+/, { timeout: 90_000 });
  await expect(panel.getByRole('status', { name: 'Run status' })).toHaveText('Done', { timeout: 120_000 });
  await expect(panel.getByLabel('Test accuracy')).toHaveText(/^\d+\.\d%$/);
  expect(await page.evaluate(() => (window as unknown as { __firstPage?: boolean }).__firstPage)).toBe(true);
  expect(navigations).toBe(1);
});
