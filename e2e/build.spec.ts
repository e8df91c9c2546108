/** A learner builds the seed's sentiment classifier from an empty canvas, with the mouse. */
import { expect, test } from '@playwright/test';
import { Editor } from './editor.ts';

test('drag layers from the palette, wire them, set parameters: the sentiment model', async ({ page }) => {
  const ed = new Editor(page);
  await ed.open();
  await page.getByRole('button', { name: 'Gallery', exact: true }).click();
  await page.getByRole('button', { name: 'Blank canvas' }).click();
  await expect(page.locator('.react-flow__node')).toHaveCount(0);

  const kinds = ['Input', 'Embedding', 'Bidirectional', 'Dense', 'Output'];
  for (const [k, kind] of kinds.entries()) await ed.dropFromPalette(kind, { x: 150 + (k % 2) * 400, y: 60 + Math.floor(k / 2) * 220 });
  await expect(page.locator('.react-flow__node')).toHaveCount(5);

  await ed.wire('embedding', 'output', 'bidirectional', 'input');
  await ed.wire('bidirectional', 'output', 'dense', 'input');
  await ed.wire('dense', 'output', 'output', 'input');
  expect(await ed.edgeCount()).toBe(3);

  // The default Input gives (None, None, 12) float32 values: Keras takes them as ids (cast inside the
  // Embedding), which gives a 4D tensor the Bidirectional LSTM cannot read; its issue says so.
  await ed.wire('input_layer', 'output', 'embedding', 'input');
  expect(await ed.edgeCount()).toBe(4);
  await expect(ed.outputShape('embedding')).toContainText('(None, None, 12, 16)');
  await expect(ed.node('bidirectional').getByRole('img', { name: '1 error' })).toBeVisible();

  await ed.select('input_layer');
  const inspector = page.getByRole('complementary', { name: 'Inspector' });
  await inspector.getByLabel('dtype', { exact: true }).selectOption('int32');
  await inspector.getByLabel('shape', { exact: true }).fill('None');
  await inspector.getByLabel('shape', { exact: true }).press('Enter');
  await expect(ed.outputShape('input_layer')).toContainText('(None, None)');
  expect(await ed.edgeCount()).toBe(4);

  await ed.select('embedding');
  await inspector.getByLabel('output_dim', { exact: true }).fill('2');
  await inspector.getByLabel('output_dim', { exact: true }).press('Enter');
  await page.getByRole('switch', { name: 'mask_zero of embedding' }).click();
  await ed.select('dense');
  await inspector.getByLabel('activation', { exact: true }).selectOption('softmax');

  await expect(ed.outputShape('embedding')).toContainText('(None, None, 2)');
  await expect(ed.outputShape('bidirectional')).toHaveText('(None, 16)');
  await expect(ed.outputShape('dense')).toHaveText('(None, 3)');
  const summary = page.getByRole('table', { name: 'Model summary' });
  await expect(summary).toContainText('Total params: 2,755');
  await expect(page.getByRole('tab', { name: /Issues/ })).toContainText('0');
});
