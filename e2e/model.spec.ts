/** Export the model (Python, Keras JSON, PNG) and open a Keras / TF.js model file. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { Editor } from './editor.ts';

const fixture = (name: string) => fileURLToPath(new URL(`../src/core/keras/fixtures/${name}`, import.meta.url));

test('export Python, Keras JSON and PNG; open a TF.js model', async ({ page }) => {
  const ed = new Editor(page);
  await ed.open();
  for (const [item, file] of [['Python', 'sentiment.py'], ['Keras JSON', 'sentiment.keras.json'], ['PNG', 'sentiment.png']] as const) {
    await page.getByRole('button', { name: 'Export' }).click();
    const download = page.waitForEvent('download');
    await page.getByRole('menuitem', { name: item === 'Python' ? /^Python \(Keras/ : new RegExp(item) }).click();
    const d = await download;
    expect(d.suggestedFilename()).toBe(file);
    const path = test.info().outputPath(file);
    await d.saveAs(path);
    const bytes = readFileSync(path);
    if (item === 'Python') expect(bytes.toString()).toContain('Bidirectional');
    if (item === 'Keras JSON') expect(JSON.parse(bytes.toString()).class_name).toBeTruthy();
    if (item === 'PNG') expect(bytes.subarray(1, 4).toString()).toBe('PNG');
  }

  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Open model…' }).click();
  await (await chooser).setFiles(fixture('encoder-decoder.tfjs-model.json'));
  await expect(page.getByRole('status').filter({ hasText: 'Opened encoder-decoder.tfjs-model.json without weights' })).toBeVisible();
  expect(await ed.state<number>("(s) => s.graph.nodes.filter((n) => n.kind === 'LSTM').length")).toBe(2);
  await page.keyboard.press('Control+z');
  await expect(ed.node('bidirectional')).toBeVisible();
});
