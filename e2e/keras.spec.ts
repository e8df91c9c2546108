/**
 * Real Keras files in the app: open a .keras with its weights (picker), drop a TF.js model.json with
 * its two shards, keep the weights over a reload (IndexedDB), train from them (the worker reports
 * which layers took them), and save a Keras 3 .keras that opens again. The files come from the
 * numpy/h5py oracle (src/tf/weights/oracle/keras_files.py) and from `unroll export keras-file`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { unzipSync } from 'fflate';
import { Editor } from './editor.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
let dir = '';

test.beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'unroll-e2e-keras-'));
  execFileSync('/usr/bin/python3', [join(root, 'src/tf/weights/oracle/keras_files.py'), dir]);
  // The lesson's sentiment model as a .keras with seeded weights: it fits the airline-tweets dataset.
  execFileSync(process.execPath, [join(root, 'bin/unroll.mjs'), 'export', 'keras-file', join(root, 'templates/sentiment.json'), '-o', join(dir, 'sentiment.keras'), '--seed', '7']);
});

async function dropFiles(page: Page, files: { name: string; bytes: number[] }[]) {
  await page.evaluate((files) => {
    const dt = new DataTransfer();
    for (const f of files) dt.items.add(new File([new Uint8Array(f.bytes)], f.name));
    const target = document.querySelector('.react-flow__pane')!;
    for (const type of ['dragenter', 'dragover', 'drop']) target.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, files);
}

const weightsState = <T,>(page: Page, f: string) => page.evaluate(`(() => { const s = window.__unroll.weights.getState(); return (${f})(s); })()`) as Promise<T>;

test('open a .keras with its weights, keep them over a reload, train from them, save a .keras', async ({ page }) => {
  test.setTimeout(120_000);
  const ed = new Editor(page);
  await ed.open();
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Open model…' }).click();
  await (await chooser).setFiles(join(dir, 'sentiment.keras'));
  await expect(page.getByRole('status').filter({ hasText: 'Opened sentiment.keras with its trained weights (Keras 3.16.0)' })).toBeVisible();
  await expect(page.getByRole('note').filter({ hasText: 'Weights: sentiment.keras' })).toBeVisible();
  expect(await weightsState<string[]>(page, '(s) => Object.keys(s.weights.layers)')).toEqual(['embedding', 'bidirectional', 'dense']);

  // A reload keeps the model and its weights (IndexedDB next to the autosave).
  await page.evaluate(() => window.__unroll!.flush());
  await page.waitForTimeout(300);
  await page.reload();
  await page.waitForSelector('html[data-ready="true"]');
  await expect(page.getByRole('note').filter({ hasText: 'Weights: sentiment.keras' })).toBeVisible();
  const embedding = await weightsState<number[]>(page, '(s) => Array.from(s.weights.layers.embedding[0].data.slice(0, 5))');
  expect(embedding.some((v) => v !== 0)).toBe(true);

  // A run starts from them: the worker says which layers took the loaded weights.
  await page.evaluate(() => {
    const { store, train } = window.__unroll!;
    const s = store.getState();
    s.setDataset({ id: 'airline-sentiment', options: { size: 120 } });
    train!.getState().start({ graph: store.getState().graph, training: { ...s.extras.training, epochs: 1, batch_size: 64, backend: 'cpu' }, dataset: { id: 'airline-sentiment', options: { size: 120 } } });
  });
  await expect.poll(() => page.evaluate(() => window.__unroll!.train!.getState().status), { timeout: 90_000 }).toBe('done');
  expect(await page.evaluate(() => (window.__unroll!.train!.getState().info as unknown as { initialWeights: { applied: string[] } }).initialWeights.applied)).toEqual(['embedding', 'bidirectional', 'dense']);

  // Save as .keras with the trained weights: Keras 3's layout.
  await page.getByRole('button', { name: 'Export' }).click();
  const download = page.waitForEvent('download');
  await page.getByRole('menuitem', { name: /Keras 3 model with weights/ }).click();
  const d = await download;
  expect(d.suggestedFilename()).toMatch(/\.keras$/);
  const path = test.info().outputPath('saved.keras');
  await d.saveAs(path);
  const entries = unzipSync(new Uint8Array(readFileSync(path)));
  expect(Object.keys(entries).sort()).toEqual(['config.json', 'metadata.json', 'model.weights.h5']);
  expect(JSON.parse(new TextDecoder().decode(entries['config.json'])).class_name).toBe('Functional');
  const h5 = execFileSync('/usr/bin/python3', ['-c', [
    'import h5py, io, sys, zipfile',
    'z = zipfile.ZipFile(sys.argv[1]); f = h5py.File(io.BytesIO(z.read("model.weights.h5")), "r")',
    'print(sorted(k for k in f["layers"]), f["layers/bidirectional/forward_layer/cell/vars/0"].shape)',
  ].join('\n'), path], { encoding: 'utf8' });
  expect(h5.trim()).toBe("['bidirectional', 'dense', 'embedding', 'input_layer'] (2, 32)");
});

test('drop a TF.js model.json with its two shards; a broken file leaves the model as it was', async ({ page }) => {
  const ed = new Editor(page);
  await ed.open();
  const before = await ed.state<string>('(s) => JSON.stringify(s.graph)');
  await dropFiles(page, [{ name: 'broken.keras', bytes: [...readFileSync(join(dir, 'lstm_mask.keras')).subarray(0, 200)] }]);
  await expect(page.getByRole('alert').filter({ hasText: 'broken.keras is a damaged zip archive' })).toContainText('The current model is unchanged');
  expect(await ed.state<string>('(s) => JSON.stringify(s.graph)')).toBe(before);

  await dropFiles(page, ['model.json', 'group1-shard1of2.bin', 'group1-shard2of2.bin'].map((n) => ({ name: n, bytes: [...readFileSync(join(dir, 'tfjs', n))] })));
  await expect(page.getByRole('status').filter({ hasText: 'Opened model.json, group1-shard1of2.bin, group1-shard2of2.bin with its trained weights' })).toBeVisible();
  await expect(ed.node('lstm')).toBeVisible();
  expect(await weightsState<string[]>(page, '(s) => Object.keys(s.weights.layers)')).toEqual(['lstm', 'dense']);
  // Opening a project file afterwards forgets them.
  await page.getByRole('button', { name: 'Forget the loaded weights' }).click();
  expect(await weightsState<unknown>(page, '(s) => s.weights')).toBeNull();
});
