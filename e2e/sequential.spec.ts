/**
 * The lesson's own form (issue 10 item 9): a chain of layers is shown as the summary a
 * keras.Sequential prints and exported as a Sequential Python script; anything else says why not.
 */
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { Editor } from './editor.ts';

test('a chain offers the Sequential summary and Python code; a layer with return_state says why not', async ({ page }) => {
  const ed = new Editor(page);
  await ed.open();
  const dock = page.getByRole('region', { name: 'Model summary and issues' });
  const table = dock.getByRole('table', { name: 'Model summary' });
  await expect(table.getByRole('row', { name: /input_layer \(InputLayer\)/ })).toHaveCount(1);
  await expect(table.locator('thead th')).toHaveCount(4);
  const option = dock.getByRole('checkbox', { name: 'Show as a Sequential model' });
  await expect(option).toBeEnabled();
  await option.check();
  // What keras.Sequential prints: no InputLayer row, no Connected to column, the same totals.
  await expect(table.locator('thead th')).toHaveCount(3);
  await expect(table.getByRole('row', { name: /input_layer/ })).toHaveCount(0);
  await expect(table.getByRole('row', { name: 'bidirectional (Bidirectional)' })).toContainText('(None, 16)');
  await expect(table.locator('tfoot')).toContainText('Total params: 2,755');
  await dock.getByRole('checkbox', { name: 'Show as Keras text' }).check();
  await expect(dock.getByLabel('Keras summary text')).toContainText('Model: "sequential"');
  await expect(dock.getByLabel('Keras summary text')).not.toContainText('InputLayer');

  await page.getByRole('button', { name: 'Export' }).click();
  const download = page.waitForEvent('download');
  await page.getByRole('menuitem', { name: /Python, Sequential model/ }).click();
  const d = await download;
  const path = test.info().outputPath('sequential.py');
  await d.saveAs(path);
  const script = readFileSync(path, 'utf8');
  expect(script).toContain('    return keras.Sequential([\n        keras.Input(shape=(None,), dtype="int32", name="input_layer"),\n');
  expect(script).not.toContain('keras.Model(inputs=');

  // Not a chain any more: the option is off and says why; so does the export item.
  await page.evaluate(() => {
    const s = window.__unroll!.store.getState();
    const bi = s.graph.nodes.find((n) => n.name === 'bidirectional')!;
    s.setInnerParams(bi.id, 'layer', { return_state: true });
  });
  await dock.getByRole('checkbox', { name: 'Show as Keras text' }).uncheck();
  await expect(option).toBeDisabled();
  await expect(option).not.toBeChecked();
  await expect(option.locator('xpath=..')).toHaveAttribute('title', /Only a chain of layers is a Sequential model: bidirectional has 5 outputs/);
  await expect(table.locator('thead th')).toHaveCount(4);
  await page.getByRole('button', { name: 'Export' }).click();
  await expect(page.getByRole('menuitem', { name: /Python, Sequential model/ })).toBeDisabled();
});
