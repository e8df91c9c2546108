/**
 * The Train panel, used like a person: the sentiment template on the synthetic airline tweets
 * trains one short epoch in a Web Worker (settings typed into the panel), the backend line names
 * the backend TF.js itself reports inside the worker, the loss chart fills, epoch results, test
 * accuracy and decoded predictions appear, and the trained model exports as model.json + .bin;
 * Stop stops a run; a diverging run (sgd, learning rate 10) shows the engine's NaN advice.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { Editor } from './editor.ts';

const shots = process.env.UNROLL_TRAIN_SHOTS; // a folder: write screenshots of the panel there

async function openTrain(page: Page) {
  await page.getByRole('tab', { name: 'Train' }).click();
  const panel = page.getByRole('region', { name: 'Train', exact: true });
  await expect(panel.getByRole('group', { name: 'Run controls' })).toBeVisible();
  return panel;
}

async function settings(page: Page, values: Record<string, string>) {
  const panel = page.getByRole('region', { name: 'Train', exact: true });
  for (const [label, value] of Object.entries(values)) {
    const field = panel.getByLabel(label, { exact: true });
    if (await field.evaluate((e) => e.tagName === 'SELECT')) await field.selectOption(value);
    else await field.fill(value);
  }
}

const runState = <T,>(page: Page, f: string) => page.evaluate(`(() => { const s = window.__unroll.train.getState(); return (${f})(s); })()`) as Promise<T>;

/** The backend TF.js reports in the training worker (its engine is a global of the worker). */
async function workerBackend(page: Page): Promise<string | null> {
  for (const w of page.workers()) {
    const name = await w.evaluate(() => (self as unknown as { _tfengine?: { backendName: string } })._tfengine?.backendName ?? null).catch(() => null);
    if (name) return name;
  }
  return null;
}

test('the sentiment template trains one epoch on airline tweets, shows charts, results and exports', async ({ page }) => {
  const ed = new Editor(page);
  await ed.open();
  const panel = await openTrain(page);
  await expect(panel.getByLabel('Dataset in use')).toContainText('Airline tweets');
  await settings(page, { Epochs: '1', 'Batch size': '32', Optimizer: 'adam', 'Learning rate': '0.01' });
  await expect.poll(() => ed.state<unknown>('(s) => s.extras.training')).toMatchObject({ epochs: 1, batch_size: 32, learning_rate: 0.01 });

  const t0 = Date.now();
  await panel.getByRole('button', { name: 'Train', exact: true }).click();
  const backendLine = panel.getByLabel('Backend in use');
  await expect(backendLine).toHaveAttribute('data-backend', /\w+/, { timeout: 30_000 });
  const shown = await backendLine.getAttribute('data-backend');
  // Not a silent fallback: the line shows what TF.js in the worker says it runs on.
  expect(await workerBackend(page)).toBe(shown);
  expect(await runState(page, '(s) => s.backend')).toMatchObject({ requested: 'auto', backend: shown });
  // 'auto' timed this model on wasm and cpu (this machine's WebGL2 is SwiftShader, never a
  // candidate), trains on the faster and says so with the numbers.
  const probe = await runState<{ backend: string; msPerBatch: number }[]>(page, '(s) => s.backend.probe');
  expect(probe.map((p) => p.backend).sort()).toEqual(['cpu', 'wasm']);
  expect(shown).toBe(probe.reduce((a, b) => (b.msPerBatch < a.msPerBatch ? b : a)).backend);
  await expect(backendLine).toHaveText(/^Backend: (wasm|cpu) \(fastest here: \w+ [\d.]+ ms, \w+ [\d.]+ ms per batch; WebGL is software-rendered\)$/);

  const loss = panel.getByRole('figure', { name: 'Loss chart' });
  await expect.poll(async () => Number(await loss.getAttribute('data-batch-points')), { timeout: 30_000 }).toBeGreaterThan(0);
  if (shots) await panel.screenshot({ path: `${shots}/train-running.png` });

  await expect(panel.getByRole('status', { name: 'Run status' })).toHaveText('Done', { timeout: 55_000 });
  const seconds = (Date.now() - t0) / 1000;
  test.info().annotations.push({ type: 'train seconds (click → done)', description: seconds.toFixed(1) });
  expect(seconds).toBeLessThan(45);
  await expect(loss.locator('[data-line="smooth"] path')).toBeVisible();
  expect(Number(await loss.getAttribute('data-epoch-points'))).toBe(1);
  // The headlines are the epoch's results (as in the epoch table), not the last batch smoothed.
  const epoch1 = await runState<{ loss: number; accuracy: number; val_loss: number; val_accuracy: number }>(page, '(s) => s.epochs[0]');
  await expect(loss.getByLabel('Loss at epoch 1', { exact: true })).toHaveText(epoch1.loss.toPrecision(4));
  await expect(loss.getByLabel('Validation loss at epoch 1')).toHaveText(`val ${epoch1.val_loss.toPrecision(4)}`);
  const accuracy = panel.getByRole('figure', { name: 'Accuracy chart' });
  await expect(accuracy.getByLabel('Accuracy at epoch 1', { exact: true })).toHaveText(`${(epoch1.accuracy * 100).toFixed(1)}%`);
  await expect(accuracy.getByLabel('Validation accuracy at epoch 1')).toHaveText(`val ${(epoch1.val_accuracy * 100).toFixed(1)}%`);
  await expect(panel.getByLabel('Milliseconds per batch')).toHaveText(/^\d+ ms\/batch$/);
  await expect(panel.getByRole('progressbar', { name: 'Training progress' })).toHaveAttribute('aria-valuenow', '100');

  const epochs = panel.getByRole('table', { name: 'Epoch results' });
  await expect(epochs.locator('tbody tr')).toHaveCount(1);
  await expect(epochs.locator('tbody tr td').first()).toHaveText('1');
  await expect(epochs.locator('tbody tr td').nth(4)).toHaveText(/^\d+\.\d%$/); // val_accuracy
  await expect(panel.getByLabel('Test accuracy')).toHaveText(/^\d+\.\d%$/);
  const testAccuracy = await runState<number>(page, '(s) => s.test.accuracy');
  expect(testAccuracy).toBeGreaterThan(0.3);
  const predictions = panel.getByRole('table', { name: 'Test predictions' });
  await expect(predictions.locator('tbody tr')).toHaveCount(8);
  // Decoded text (words, not ids) and class names.
  await expect(predictions.locator('tbody tr td').first()).toHaveText(/^[a-z@#']+( [a-z@#'!?.,]+)+/);
  await expect(predictions.locator('tbody tr').first().locator('td').nth(1)).toHaveText(/^(negative|neutral|positive)$/);
  if (shots) await panel.screenshot({ path: `${shots}/train-done.png` });

  // Export the trained model: model.json (stock TF.js classes, the graph's layer names) + weights.
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  const downloads = [page.waitForEvent('download'), page.waitForEvent('download', (d) => d.suggestedFilename().endsWith('.bin'))];
  await page.getByRole('menuitem', { name: /TF\.js model \(trained\)/ }).click();
  const [json, bin] = await Promise.all(downloads);
  expect(json.suggestedFilename()).toBe('model.json');
  expect(bin.suggestedFilename()).toBe('group1-shard1of1.bin');
  const model = JSON.parse(readFileSync((await json.path())!, 'utf8'));
  const layerNames: string[] = model.modelTopology.config.layers.map((l: { config: { name: string } }) => l.config.name);
  const graphNames = await ed.state<string[]>("(s) => s.graph.nodes.filter((n) => n.kind !== 'Output').map((n) => n.name)");
  expect(layerNames).toEqual(expect.arrayContaining(graphNames));
  expect(JSON.stringify(model.modelTopology)).not.toContain('"Unroll');
  expect(model.weightsManifest[0].paths).toEqual(['group1-shard1of1.bin']);
  const bytes = readFileSync((await bin.path())!).byteLength;
  const expected = model.weightsManifest[0].weights.reduce((n: number, w: { shape: number[] }) => n + 4 * w.shape.reduce((a, b) => a * b, 1), 0);
  expect(bytes).toBe(expected);
  await expect(page.getByRole('status').filter({ hasText: 'Exported the trained model' })).toBeVisible();
  if (shots) await page.screenshot({ path: `${shots}/train-app.png` });

  // Fresh weights: TF.js loads on the main thread only now; same layers, same weight layout.
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  const fresh = [page.waitForEvent('download'), page.waitForEvent('download', (d) => d.suggestedFilename().endsWith('.bin'))];
  await page.getByRole('menuitem', { name: /TF\.js model \(fresh weights\)/ }).click();
  const [freshJson, freshBin] = await Promise.all(fresh);
  const freshModel = JSON.parse(readFileSync((await freshJson.path())!, 'utf8'));
  expect(freshModel.modelTopology.config.layers.map((l: { config: { name: string } }) => l.config.name)).toEqual(layerNames);
  expect(readFileSync((await freshBin.path())!).byteLength).toBe(bytes);
});

test('Stop during a run stops it; the graph is untouched', async ({ page }) => {
  const ed = new Editor(page);
  await ed.open();
  const before = await ed.state<string>('(s) => JSON.stringify(s.graph)');
  const panel = await openTrain(page);
  // Batch size 1: an epoch of ~1,660 batches, so Stop lands inside the first epoch (at batch 16 the
  // fused path trains the 104 batches of an epoch in ~0.2 s, less than these checks take).
  await settings(page, { Epochs: '50', 'Batch size': '1' });
  await panel.getByRole('button', { name: 'Train', exact: true }).click();
  const loss = panel.getByRole('figure', { name: 'Loss chart' });
  await expect.poll(async () => Number(await loss.getAttribute('data-batch-points')), { timeout: 30_000 }).toBeGreaterThan(2);
  await expect(panel.getByRole('status', { name: 'Run status' })).toHaveText('Training');
  // No epoch has ended yet: the headline is the epoch's mean so far (Keras's progress bar).
  await expect(loss.getByLabel('Loss so far in epoch 1')).toHaveText(/^epoch 1 so far \d\.\d{3}/);
  await expect(loss.getByLabel('Loss at epoch 1', { exact: true })).toHaveCount(0);
  await panel.getByRole('button', { name: 'Stop training' }).click();
  await expect(panel.getByRole('status', { name: 'Run status' })).toHaveText('Stopped', { timeout: 10_000 });
  await expect(panel.getByText(/Stopped before epoch 1, batch \d+/)).toBeVisible();
  const points = await loss.getAttribute('data-batch-points');
  await page.waitForTimeout(800);
  expect(await loss.getAttribute('data-batch-points')).toBe(points);
  expect(await runState(page, '(s) => s.status')).toBe('stopped');
  await expect(panel.getByRole('button', { name: 'Train again' })).toBeEnabled();
  expect(await ed.state<string>('(s) => JSON.stringify(s.graph)')).toBe(before);
  // An edit after the run: the charts say they belong to the previous model.
  await page.evaluate(() => {
    const s = window.__unroll!.store.getState();
    s.setParams(s.graph.nodes.find((n) => n.kind === 'Dense')!.id, { activation: 'relu' });
  });
  await expect(panel.getByRole('status', { name: 'Charts are from the previous model' })).toContainText('Train again to use your edits');
});

test('a graph with errors does not train: the panel lists the issues to fix first', async ({ page }) => {
  const ed = new Editor(page);
  await ed.open();
  await page.evaluate(() => {
    const s = window.__unroll!.store.getState();
    const e = s.graph.edges.find((x) => s.graph.nodes.find((n) => n.id === x.target)!.kind === 'Bidirectional')!;
    s.removeEdges([e.id]);
  });
  const panel = await openTrain(page);
  const block = panel.getByRole('region', { name: 'Fix the issues first' });
  await expect(block).toBeVisible();
  await expect(block.getByRole('list', { name: 'Issues' }).getByRole('listitem').first()).toBeVisible();
  await expect(panel.getByRole('button', { name: 'Train', exact: true })).toBeDisabled();
  if (shots) await panel.screenshot({ path: `${shots}/train-issues.png` });
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(block).toHaveCount(0);
  await expect(panel.getByRole('button', { name: 'Train', exact: true })).toBeEnabled();
});

test('a diverging run (sgd, learning rate 10) shows the NaN message with its advice', async ({ page }) => {
  const ed = new Editor(page);
  await ed.open();
  await ed.openTemplate('Forecasting with a GRU');
  const before = await ed.state<string>('(s) => JSON.stringify(s.graph)');
  const panel = await openTrain(page);
  await settings(page, { Optimizer: 'sgd', 'Learning rate': '10', 'Batch size': '8', Epochs: '3' });
  await panel.getByRole('button', { name: 'Train', exact: true }).click();
  const error = panel.getByRole('alert', { name: 'Training error' });
  await expect(error).toContainText('The loss diverged', { timeout: 45_000 });
  await expect(error).toContainText(/loss became (NaN|infinite) at epoch \d+, batch \d+/);
  await expect(error).toContainText('Try a lower learning rate (now 10; try 1)');
  await expect(panel.getByRole('status', { name: 'Run status' })).toHaveText('Failed');
  if (shots) await panel.screenshot({ path: `${shots}/train-nan.png` });
  // The message stays when the user looks elsewhere and comes back.
  await page.getByRole('tab', { name: 'Summary' }).click();
  await page.getByRole('tab', { name: 'Train' }).click();
  await expect(panel.getByRole('alert', { name: 'Training error' })).toContainText('The loss diverged');
  expect(await ed.state<string>('(s) => JSON.stringify(s.graph)')).toBe(before);
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  await expect(page.getByRole('menuitem', { name: /TF\.js model \(trained\)/ })).toBeDisabled();
});
