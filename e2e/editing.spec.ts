/** Editing habits: drag + undo/redo, copy/paste, delete, rename, auto-layout. */
import { expect, test } from '@playwright/test';
import { Editor } from './editor.ts';

test('a node drag is one undo step; undo and redo by keyboard and toolbar', async ({ page }) => {
  const ed = new Editor(page);
  await ed.open();
  const pos = () => ed.state<{ x: number; y: number }>("(s) => s.graph.nodes.find((n) => n.name === 'dense').position");
  const before = await pos();
  const head = await ed.center(ed.node('dense').locator('.node-head'));
  await ed.drag(head, { x: head.x + 60, y: head.y + 140 });
  const after = await pos();
  expect(after.y).toBeGreaterThan(before.y + 50);
  expect(await ed.state<number>('() => window.__unroll.store.temporal.getState().pastStates.length')).toBe(1);

  await page.keyboard.press('Control+z');
  expect(await pos()).toEqual(before);
  await page.keyboard.press('Control+Shift+z');
  expect(await pos()).toEqual(after);
  await page.getByRole('button', { name: 'Undo' }).click();
  expect(await pos()).toEqual(before);
  await page.getByRole('button', { name: 'Redo' }).click();
  expect(await pos()).toEqual(after);
  await page.keyboard.press('Control+y');
  expect(await pos()).toEqual(after);
});

test('copy, paste, duplicate and delete; names stay unique', async ({ page }) => {
  const ed = new Editor(page);
  await ed.open();
  await ed.select('dense');
  await page.keyboard.press('Control+c');
  await page.keyboard.press('Control+v');
  await expect(ed.node('dense_1')).toBeVisible();
  await page.keyboard.press('Control+v');
  await expect(ed.node('dense_2')).toBeVisible();
  await page.keyboard.press('Control+d');
  await expect(ed.node('dense_3')).toBeVisible();
  expect(await ed.nodeCount()).toBe(8);
  await page.keyboard.press('Delete');
  await expect(ed.node('dense_3')).toHaveCount(0);
  await page.keyboard.press('Control+z');
  await expect(ed.node('dense_3')).toBeVisible();

  // Box selection with shift-drag picks several nodes; Delete removes them and their wires in one step.
  await page.keyboard.press('Escape');
  const a = (await ed.node('dense_1').boundingBox())!;
  const b = (await ed.node('dense_3').boundingBox())!;
  await page.keyboard.down('Shift');
  await ed.drag({ x: Math.min(a.x, b.x) - 12, y: Math.min(a.y, b.y) - 12 }, { x: Math.max(a.x + a.width, b.x + b.width) + 12, y: Math.max(a.y + a.height, b.y + b.height) + 12 });
  await page.keyboard.up('Shift');
  expect((await ed.state<string[]>('(s) => s.selected')).length).toBeGreaterThanOrEqual(2);
  await page.getByRole('button', { name: 'Delete' }).click();
  await expect(ed.node('dense_1')).toHaveCount(0);
  await expect(ed.node('dense_3')).toHaveCount(0);
});

test('rename with F2 and with a double-click; a taken name is refused', async ({ page }) => {
  const ed = new Editor(page);
  await ed.open();
  await ed.select('dense');
  await page.keyboard.press('F2');
  const field = page.getByRole('textbox', { name: 'Rename dense' });
  await field.fill('embedding');
  await field.press('Enter');
  await expect(ed.node('dense').getByRole('alert')).toContainText('already called embedding');
  await field.fill('classifier');
  await field.press('Enter');
  await expect(ed.node('classifier')).toBeVisible();
  const name = ed.node('classifier').locator('.node-name');
  await ed.reveal(name);
  await name.dblclick();
  await page.getByRole('textbox', { name: 'Rename classifier' }).fill('head');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('table', { name: 'Model summary' })).toContainText('head');
});

test('auto-layout puts the chain back in order, left to right, as one undo step', async ({ page }) => {
  const ed = new Editor(page);
  await ed.open();
  const head = await ed.center(ed.node('input_layer').locator('.node-head'));
  const box = (await page.locator('.react-flow').boundingBox())!;
  await ed.drag(head, { x: box.x + box.width - 200, y: box.y + box.height - 60 });
  const xs = () => ed.state<number[]>("(s) => ['input_layer', 'embedding', 'bidirectional', 'dense', 'output'].map((n) => s.graph.nodes.find((m) => m.name === n).position.x)");
  const messy = await xs();
  expect(messy[0]).toBeGreaterThan(messy[1]);
  await page.getByRole('button', { name: 'Auto-layout' }).click();
  await expect.poll(async () => { const v = await xs(); return v.every((x, k) => k === 0 || x > v[k - 1]); }).toBe(true);
  await page.keyboard.press('Control+z');
  expect(await xs()).toEqual(messy);
});

test('keyboard navigation and the help overlay', async ({ page }) => {
  const ed = new Editor(page);
  await ed.open();
  await ed.clickPane();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('textbox', { name: 'Layer name' })).toHaveValue('input_layer');
  await ed.clickPane();
  await ed.select('embedding');
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('textbox', { name: 'Layer name' })).toHaveValue('bidirectional');
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help).toContainText('Undo');
  await page.keyboard.press('Escape');
  await expect(help).toHaveCount(0);
});
