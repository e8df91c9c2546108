/**
 * A large autosaved graph (3,000 wired layers) opens after a reload with only what is in view in
 * the page: a few dozen node components, a windowed summary table; zoomed out, one overview
 * canvas draws the graph instead of thousands of nodes, and zooming in brings the nodes back.
 * Speed is measured by `npm run bench -- large`, not here.
 */
import { expect, test } from '@playwright/test';
import { gridOfChains } from '../src/core/build.ts';
import { newProject } from '../src/core/project.ts';
import { Editor, putInIndexedDb } from './editor.ts';

const N = 3000;

test('3,000 layers: opens, culls, windows the summary, overview when zoomed out', async ({ page }) => {
  test.setTimeout(120_000);
  const ed = new Editor(page);
  await ed.open();
  await ed.settle();
  const text = JSON.stringify(newProject(gridOfChains(N), 'large'));
  await putInIndexedDb(page, 'unroll:autosave:v1', text);
  await page.reload();
  await page.waitForSelector('html[data-ready="true"]', { timeout: 90_000 });
  expect(await page.evaluate(() => window.__unroll!.store.getState().graph.nodes.length)).toBe(N);
  // Only the nodes in view are mounted.
  const mounted = await page.locator('.react-flow__node').count();
  expect(mounted).toBeGreaterThan(0);
  expect(mounted).toBeLessThan(200);
  await expect(page.locator('[data-name="input_0"]')).toBeVisible();
  // The summary lists every layer (aria-rowcount) but renders a window of rows.
  const table = page.getByRole('table', { name: 'Model summary' });
  await expect(table).toHaveAttribute('aria-rowcount', String(N + 2));
  expect(await table.locator('tbody tr:not([aria-hidden])').count()).toBeLessThan(200);
  await page.locator('.dock-body').evaluate((el) => { el.scrollTop = el.scrollHeight; });
  await expect(table.locator('tbody tr:not([aria-hidden])').last()).toHaveAttribute('aria-label', /^dense_2998 /);
  // Fit everything in view: the overview canvas replaces the nodes.
  await page.locator('.react-flow__pane').click({ position: { x: 10, y: 10 } });
  await page.keyboard.press('f');
  await expect(page.locator('canvas.overview')).toBeVisible();
  await expect(page.locator('.react-flow__node')).toHaveCount(0);
  // Zoom in again: real nodes, no overview.
  await page.evaluate(() => {
    const s = window.__unroll!.store.getState();
    s.select([s.graph.nodes[0].id]);
  });
  await page.getByRole('button', { name: 'Zoom In' }).click();
  for (let k = 0; k < 8 && (await page.locator('canvas.overview').count()); k++) await page.getByRole('button', { name: 'Zoom In' }).click();
  await expect(page.locator('canvas.overview')).toHaveCount(0);
  expect(await page.locator('.react-flow__node').count()).toBeGreaterThan(0);
});
