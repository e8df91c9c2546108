/**
 * Looking at the model (issue 10): the inspector opens when asked, not over new layers; a fit keeps
 * node text readable and a second one shows the whole model; the layers out of view are pointed
 * at; node text has its own size control; the bottom dock is resized by its edge and remembers it.
 */
import { expect, test, type Page } from '@playwright/test';
import { Editor } from './editor.ts';

const canvasBox = async (page: Page) => (await page.locator('.react-flow').boundingBox())!;

/** The smallest node text on screen (CSS px × zoom), over the nodes in view. */
const smallestNodeText = (page: Page) => page.evaluate(() => {
  const zoom = Number(/matrix\(([^,]+)/.exec(getComputedStyle(document.querySelector('.react-flow__viewport')!).transform)?.[1] ?? 1);
  let min = Infinity;
  for (const t of document.querySelectorAll('.react-flow__node *')) {
    if (![...t.childNodes].some((c) => c.nodeType === 3 && c.textContent!.trim())) continue;
    min = Math.min(min, parseFloat(getComputedStyle(t).fontSize) * zoom);
  }
  return min;
});

test.use({ viewport: { width: 1280, height: 720 } });

test('adding a layer keeps the canvas as it is; clicking a node opens the inspector, which closes with the selection', async ({ page }) => {
  const ed = new Editor(page);
  await ed.open();
  const inspector = page.getByRole('complementary', { name: 'Inspector' });
  const before = await canvasBox(page);
  await page.getByRole('button', { name: 'Add LSTM', exact: true }).click();
  await expect(ed.node('lstm')).toBeVisible();
  expect(await ed.state<string[]>('(s) => s.selected.map((id) => s.graph.nodes.find((n) => n.id === id).name)')).toEqual(['lstm']);
  await expect(inspector).toHaveCount(0);
  expect((await canvasBox(page)).width).toBe(before.width);
  await expect(ed.node('lstm')).toBeInViewport({ ratio: 1 });

  await ed.select('embedding');
  await expect(inspector).toBeVisible();
  await expect(inspector.getByRole('textbox', { name: 'Layer name' })).toHaveValue('embedding');
  expect((await canvasBox(page)).width).toBe(before.width - 320);
  // The clicked layer stays in view beside the inspector.
  const node = (await ed.node('embedding').boundingBox())!;
  const box = await canvasBox(page);
  expect(node.x + node.width).toBeLessThanOrEqual(box.x + box.width);
  // Another layer added while the inspector is open: the inspector shows it, the canvas keeps its width.
  await page.getByRole('button', { name: 'Add Dense', exact: true }).click();
  await expect(inspector.getByRole('textbox', { name: 'Layer name' })).toHaveValue('dense_1');
  expect((await canvasBox(page)).width).toBe(before.width - 320);
  // The toolbar button and I toggle it; clearing the selection closes it.
  await page.getByRole('button', { name: 'Inspector', exact: true }).click();
  await expect(inspector).toHaveCount(0);
  await page.keyboard.press('i');
  await expect(inspector).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(inspector).toHaveCount(0);
  await ed.select('dense');
  await page.getByRole('button', { name: 'Close the inspector' }).click();
  await expect(inspector).toHaveCount(0);
  expect((await canvasBox(page)).width).toBe(before.width);
});

test('fit keeps node text readable and points at the layers out of view; fit again shows the whole model', async ({ page }) => {
  const ed = new Editor(page);
  await ed.open();
  expect(await smallestNodeText(page)).toBeGreaterThanOrEqual(10.9);
  // The lesson's model is wider than this canvas at a readable zoom: the rest is pointed at.
  expect(await ed.allInView()).toBe(false);
  const hint = page.getByRole('button', { name: /\d more layers? →/ });
  await expect(hint).toBeVisible();
  await page.keyboard.press('f');
  await page.waitForTimeout(400);
  expect(await ed.allInView()).toBe(true);
  await expect(hint).toHaveCount(0);
  expect(await smallestNodeText(page)).toBeLessThan(10.9);
  await page.keyboard.press('f');
  await page.waitForTimeout(400);
  expect(await smallestNodeText(page)).toBeGreaterThanOrEqual(10.9);
  await hint.click();
  await page.waitForTimeout(400);
  expect(await ed.allInView()).toBe(true);
});

test('auto-layout refits the view in the canvas left by the inspector and the bottom panel', async ({ page }) => {
  const ed = new Editor(page);
  await ed.open();
  await ed.select('embedding');
  await expect(page.getByRole('complementary', { name: 'Inspector' })).toBeVisible();
  await page.getByRole('tab', { name: 'Train' }).click();
  // Scatter the layers far out of view, then lay them out again.
  await page.evaluate(() => {
    const s = window.__unroll!.store.getState();
    s.moveNodes(new Map(s.graph.nodes.map((n, k) => [n.id, { x: 3000 + k * 700, y: (k % 2) * 1500 - 900 }])));
  });
  // The view follows the scattered layers, far from where the layout puts them.
  await page.getByRole('button', { name: 'Fit view' }).click();
  await page.waitForTimeout(400);
  const scattered = (await ed.node('input_layer').boundingBox())!;
  await page.getByRole('button', { name: 'Auto-layout' }).click();
  await page.waitForTimeout(700);
  const pane = await canvasBox(page);
  const inspector = (await page.getByRole('complementary', { name: 'Inspector' }).boundingBox())!;
  const dock = (await page.getByRole('region', { name: 'Model summary and issues' }).boundingBox())!;
  // The first layer is in the canvas, clear of both panels, and readable; the rest are in view or pointed at.
  const first = (await ed.node('input_layer').boundingBox())!;
  expect(Math.abs(first.x - scattered.x) + Math.abs(first.y - scattered.y)).toBeGreaterThan(20);
  expect(first.x).toBeGreaterThanOrEqual(pane.x);
  expect(first.y).toBeGreaterThanOrEqual(pane.y);
  expect(first.x + first.width).toBeLessThanOrEqual(Math.min(pane.x + pane.width, inspector.x));
  expect(first.y + first.height).toBeLessThanOrEqual(Math.min(pane.y + pane.height, dock.y));
  expect(await smallestNodeText(page)).toBeGreaterThanOrEqual(10.9);
  if (!(await ed.allInView())) await expect(page.getByRole('button', { name: /\d more layers? →/ })).toBeVisible();
});

test('node text size: larger text, nodes spaced out when they would overlap (one undo step), remembered after a reload', async ({ page }) => {
  const ed = new Editor(page);
  await ed.open();
  const name = page.locator('[data-name="embedding"] .node-name');
  const px = async () => parseFloat(await name.evaluate((e) => getComputedStyle(e).fontSize));
  const base = await px();
  const positions = await ed.state<string>('(s) => JSON.stringify(s.graph.nodes.map((n) => n.position))');
  for (let k = 0; k < 3; k++) await page.getByRole('button', { name: 'Larger node text' }).click();
  await expect(page.locator('.canvas')).toHaveAttribute('data-text-scale', '1.75');
  expect(await px()).toBeCloseTo(base * 1.75, 1);
  const overlaps = () => page.evaluate(() => {
    const r = [...document.querySelectorAll('.react-flow__node')].map((n) => n.getBoundingClientRect());
    return r.some((a, i) => r.some((b, j) => j > i && a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom));
  });
  await expect.poll(overlaps, { timeout: 10_000 }).toBe(false);
  await expect(page.getByRole('status').filter({ hasText: 'Text size 175%' })).toBeVisible();
  expect(await smallestNodeText(page)).toBeGreaterThanOrEqual(10.9);
  // The spacing-out is one undo step: undo puts the layers back where they were.
  await page.keyboard.press('Control+z');
  await expect.poll(() => ed.state<string>('(s) => JSON.stringify(s.graph.nodes.map((n) => n.position))')).toBe(positions);
  await page.reload();
  await page.waitForSelector('html[data-ready="true"]');
  await expect(page.locator('.canvas')).toHaveAttribute('data-text-scale', '1.75');
  for (let k = 0; k < 3; k++) await page.getByRole('button', { name: 'Smaller node text' }).click();
  await expect(page.locator('.canvas')).toHaveAttribute('data-text-scale', '1');
  expect(await px()).toBeCloseTo(base, 1);
});

test('the bottom dock is resized by dragging its top edge; each tab keeps its height, also after a reload', async ({ page }) => {
  const ed = new Editor(page);
  await ed.open();
  const dock = page.getByRole('region', { name: 'Model summary and issues' });
  const handle = page.getByRole('separator', { name: 'Resize the bottom panel' });
  const h0 = (await dock.boundingBox())!.height;
  const c0 = (await canvasBox(page)).height;
  const hb = (await handle.boundingBox())!;
  await ed.drag({ x: hb.x + hb.width / 2, y: hb.y + hb.height / 2 }, { x: hb.x + hb.width / 2, y: hb.y + hb.height / 2 - 200 });
  const h1 = (await dock.boundingBox())!.height;
  expect(h1).toBeGreaterThan(h0 + 180);
  expect((await canvasBox(page)).height).toBeLessThan(c0 - 180);
  await expect(page.getByRole('table', { name: 'Model summary' }).locator('tfoot')).toBeInViewport();
  // Train has its own height; Summary keeps the one just set.
  await page.getByRole('tab', { name: 'Train' }).click();
  await expect(dock).toHaveAttribute('data-tab', 'train');
  const ht = (await dock.boundingBox())!.height;
  expect(Math.abs(ht - h1)).toBeGreaterThan(20);
  await page.getByRole('tab', { name: 'Summary' }).click();
  expect((await dock.boundingBox())!.height).toBeCloseTo(h1, 0);
  // Never taller than the window allows: the canvas keeps 160 px.
  await handle.focus();
  await page.keyboard.press('Home');
  expect((await canvasBox(page)).height).toBeGreaterThanOrEqual(159);
  await page.keyboard.press('ArrowDown');
  const h2 = (await dock.boundingBox())!.height;
  await page.reload();
  await page.waitForSelector('html[data-ready="true"]');
  expect((await dock.boundingBox())!.height).toBeCloseTo(h2, 0);
});
