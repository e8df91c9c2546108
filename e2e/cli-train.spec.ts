/**
 * `npx unroll train` reproduces the editor: the sentiment model trained in the page on a
 * tweets-style CSV (uploaded in the Data tab, wasm backend, seed 42) and the same project trained by
 * the command line on the same file (wasm in Node) reach the same test loss and accuracy, to the
 * last digit, and the same validation curve.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { Editor } from './editor.ts';

test('the CLI reaches the editor\'s test accuracy and loss for the same CSV, seed and backend', async ({ page }) => {
  test.setTimeout(180_000);
  const csv = test.info().outputPath('tweets.csv');
  // The fixture generator runs in Node through tsx (the app's modules are not for the test runner's transform).
  const gen = spawnSync(process.execPath, ['--import', 'tsx', '-e', "import('./src/data/fixtures/tweetsCsv.ts').then((m) => process.stdout.write(m.tweetsCsv(1500, 3)))"], { encoding: 'utf8' });
  expect(gen.status, gen.stderr).toBe(0);
  writeFileSync(csv, gen.stdout);

  const ed = new Editor(page);
  await ed.open();
  await page.getByRole('tab', { name: 'Data' }).click();
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Upload CSV…' }).click();
  await (await chooser).setFiles(csv);
  const data = page.getByRole('region', { name: 'Data', exact: true });
  await expect(data.getByLabel('Confidence threshold')).toHaveValue('0.5');
  await expect(data.getByRole('list', { name: 'Split sizes' })).toContainText('train');

  await page.getByRole('tab', { name: 'Train' }).click();
  const panel = page.getByRole('region', { name: 'Train', exact: true });
  await panel.getByLabel('Epochs', { exact: true }).fill('2');
  await panel.getByLabel('Batch size', { exact: true }).fill('32');
  await panel.getByLabel('Learning rate', { exact: true }).fill('0.01');
  await panel.getByLabel('Backend', { exact: true }).selectOption('wasm');
  await expect(panel.getByLabel('Dataset in use')).toContainText('tweets.csv');
  await panel.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(panel.getByRole('status', { name: 'Run status' })).toHaveText('Done', { timeout: 120_000 });
  const editor = await page.evaluate(() => {
    const t = window.__unroll!.train!.getState();
    return { test: t.test, val: t.epochs.map((e) => e.val_accuracy), backend: t.backend?.backend };
  });
  expect(editor.backend).toBe('wasm');

  // The same project (graph and settings as the page has them) through the command line.
  const project = await page.evaluate(() => {
    const s = window.__unroll!.store.getState();
    return { format: 'unroll-project', version: 2, name: 'from-the-editor', graph: s.graph, training: s.extras.training, dataset: null };
  });
  const file = test.info().outputPath('project.json');
  writeFileSync(file, JSON.stringify(project));
  const r = spawnSync(process.execPath, ['bin/unroll.mjs', 'train', file, '--csv', csv, '--text', 'text', '--label', 'airline_sentiment',
    '--confidence', 'airline_sentiment_confidence:0.5', '--json'], { encoding: 'utf8', timeout: 150_000 });
  expect(r.status, r.stderr).toBe(0);
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  const last = lines.at(-1);
  expect(last.backend).toBe('wasm');
  test.info().annotations.push({ type: 'test accuracy (editor, CLI)', description: `${editor.test!.accuracy}, ${last.test.accuracy}` });
  expect(last.test).toEqual(editor.test);
  expect(last.test.accuracy).toBeGreaterThan(0.7); // it learned: well above the majority class
  expect(lines.slice(0, -1).map((l) => l.val_accuracy)).toEqual(editor.val);
});
