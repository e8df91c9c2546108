/**
 * The training workbench, used like a person: train two runs (Bidirectional LSTM, then SimpleRNN),
 * overlay them on the charts with the baselines, open the confusion matrix, list the wrong
 * predictions, try a typed sentence (its tokens and [UNK]s), reload and find the runs; sample from
 * the name generator at two temperatures; decode the encoder–decoder free-running (greedy and beam)
 * next to teacher forcing; call a hand-built graph that was never trained.
 */
import { expect, test, type Page } from '@playwright/test';
import { Editor } from './editor.ts';

async function tab(page: Page, name: string) {
  await page.getByRole('tab', { name, exact: true }).click();
}

async function train(page: Page, values: Record<string, string>) {
  await tab(page, 'Train');
  const panel = page.getByRole('region', { name: 'Train', exact: true });
  for (const [label, value] of Object.entries(values)) {
    const field = panel.getByLabel(label, { exact: true });
    if (await field.evaluate((e) => e.tagName === 'SELECT')) await field.selectOption(value);
    else await field.fill(value);
  }
  const run = await page.evaluate(() => window.__unroll!.train!.getState().run);
  await panel.getByRole('button', { name: /^Train( again)?$/ }).click();
  await expect.poll(() => page.evaluate(() => window.__unroll!.train!.getState().run), { timeout: 10_000 }).toBe(run + 1);
  await expect(panel.getByRole('status', { name: 'Run status' })).toHaveText('Done', { timeout: 90_000 });
}

const results = (page: Page) => page.getByRole('region', { name: 'Results', exact: true });

test('two runs overlaid, the confusion matrix, the wrong predictions, a typed sentence, the runs after a reload, restore, delete', async ({ page }) => {
  test.setTimeout(200_000);
  const ed = new Editor(page);
  await ed.open();
  await train(page, { Epochs: '1', 'Batch size': '64', 'Learning rate': '0.01' });
  // The second run: SimpleRNN instead of LSTM inside the Bidirectional.
  await page.evaluate(() => {
    const s = window.__unroll!.store.getState();
    s.setParams(s.graph.nodes.find((n) => n.kind === 'Bidirectional')!.id, { layer: { kind: 'SimpleRNN', params: { units: 8 } } });
  });
  await train(page, { Epochs: '1' });

  // Runs: both kept; tick both to draw them on the charts.
  await tab(page, 'Runs');
  const runs = page.getByRole('table', { name: 'Kept runs' });
  await expect(runs.locator('tbody tr')).toHaveCount(2);
  const names = await runs.locator('tbody tr .run-name').allTextContents();
  expect(names[0]).toContain('SimpleRNN');
  expect(names[1]).toContain('LSTM');
  for (const n of names) await page.getByRole('checkbox', { name: `Show ${n} on the charts` }).check();
  await tab(page, 'Train');
  const legend = page.getByLabel('Chart legend');
  for (const n of names) await expect(legend).toContainText(n);
  await expect(legend).toContainText('baselines');
  // Each kept run's stored per-batch curve and validation epochs, and the baselines, drawn on the loss chart.
  const loss = page.getByRole('figure', { name: 'Loss chart' });
  const kept = await page.evaluate(() => {
    const st = window.__unroll!.runs!.getState();
    return st.overlay.map((id) => ({ id, batches: st.curves[id]!.batches.length, epochs: st.curves[id]!.epochs.length }));
  });
  expect(kept).toHaveLength(2);
  for (const k of kept) {
    expect(k.batches).toBeGreaterThan(0);
    await expect(loss.locator(`[data-line="run-${k.id}"]`)).toHaveAttribute('data-points', String(k.batches));
    await expect(loss.locator(`[data-line="run-${k.id}-val"]`)).toHaveAttribute('data-points', String(k.epochs));
  }
  await expect(loss.locator('[data-line="baseline-0"]')).toHaveAttribute('data-points', '2');

  // Results → Evaluate: the whole test set, a confusion matrix, every prediction.
  await tab(page, 'Results');
  const r = results(page);
  const matrix = r.getByRole('figure', { name: 'Confusion matrix' });
  await expect(matrix).toBeVisible({ timeout: 30_000 });
  await expect(r.getByLabel('Weights used')).toHaveAttribute('data-weights', 'trained');
  const ev = await page.evaluate(() => window.__unroll!.results!.getState().evaluate.result!);
  const trainTest = await page.evaluate(() => window.__unroll!.train!.getState().test!);
  expect(ev.accuracy).toBe(trainTest.accuracy);
  expect(ev.confusion!.flat().reduce((a, b) => a + b, 0)).toBe(ev.rows.length);
  await expect(r.getByRole('table', { name: 'Per-class precision, recall and F1' })).toContainText('macro avg');
  const table = r.getByRole('table', { name: 'All predictions' });
  await expect(table.locator('tbody tr')).toHaveCount(Math.min(50, ev.rows.length));
  await expect(r.getByLabel('Rows shown')).toHaveText(`${ev.rows.length.toLocaleString('en-US')} of ${ev.rows.length.toLocaleString('en-US')}`);
  // Only the wrong ones.
  await r.getByLabel('Wrong only').check();
  const wrong = ev.rows.filter((x) => x.correct === false).length;
  await expect(r.getByLabel('Rows shown')).toHaveText(`${wrong.toLocaleString('en-US')} of ${ev.rows.length.toLocaleString('en-US')}`);
  const shown = await table.locator('tbody tr').count();
  expect(shown).toBe(Math.min(50, wrong));
  expect(await table.locator('tbody tr.wrong').count()).toBe(shown);
  // Sorting by probability (first click: highest first) puts the most confident mistakes first.
  await table.getByRole('button', { name: 'p', exact: true }).click();
  await expect(table.getByRole('button', { name: 'p ▼' })).toBeVisible();
  const probs = (await table.locator('tbody tr td:last-child').allTextContents()).map(Number);
  expect(probs).toEqual([...probs].sort((a, b) => b - a));
  // A confusion cell lists its predictions.
  await r.getByLabel('Wrong only').uncheck();
  const cell = matrix.getByRole('button', { name: /^true \w+, predicted \w+: [1-9]\d*$/ }).first();
  const [, truth, predicted, count] = /^true (\w+), predicted (\w+): (\d+)$/.exec((await cell.getAttribute('aria-label'))!)!;
  await cell.click();
  await expect(r.getByRole('button', { name: 'Clear the class filter' })).toContainText(`true ${truth} → predicted ${predicted}`);
  await expect(r.getByLabel('Rows shown')).toHaveText(new RegExp(`^${count} of `));

  // Try it: a typed sentence, its tokens with [UNK], the class probabilities as you type.
  await r.getByRole('tab', { name: 'Try it' }).click();
  await r.getByLabel('Try it input').fill('@united my flight was GREAT, zzqxv!');
  const out = r.getByLabel('Try it output');
  await expect(out.getByLabel('Tokens')).toContainText('[UNK]');
  await expect(out.getByLabel('Tokens').locator('.token')).toHaveCount(6);
  await expect(out.getByLabel('Class probabilities').locator('li')).toHaveCount(3);

  // Reload: the runs are still there, with their results.
  await page.evaluate(() => window.__unroll!.flush());
  await page.reload();
  await page.waitForSelector('html[data-ready="true"]');
  await tab(page, 'Runs');
  await expect(page.getByRole('table', { name: 'Kept runs' }).locator('tbody tr')).toHaveCount(2);
  await expect(page.getByRole('table', { name: 'Kept runs' })).toContainText(names[0]);
  await expect(page.getByRole('table', { name: 'Kept runs' }).locator('tbody tr').first()).toContainText('done');

  // Restore the LSTM run: its graph and weights come back; Evaluate answers with them and scores its test accuracy.
  const lstm = await page.evaluate((n) => window.__unroll!.runs!.getState().runs.find((x) => x.name === n)!.test!, names[1]);
  await page.getByRole('button', { name: `Restore ${names[1]}` }).click();
  await expect.poll(() => page.evaluate(() => window.__unroll!.store.getState().graph.nodes.find((n) => n.kind === 'Bidirectional')!.params.layer), { timeout: 10_000 })
    .toMatchObject({ kind: 'LSTM' });
  await tab(page, 'Results');
  await expect(r.getByLabel('Weights used')).toHaveAttribute('data-weights', 'loaded', { timeout: 60_000 });
  await expect(r.getByRole('figure', { name: 'Confusion matrix' })).toBeVisible();
  expect(await page.evaluate(() => window.__unroll!.results!.getState().evaluate.result!.accuracy)).toBe(lstm.accuracy);

  // Delete the SimpleRNN run: gone, and still gone after a reload.
  await tab(page, 'Runs');
  await page.getByRole('button', { name: `Delete ${names[0]}` }).click();
  await expect(page.getByRole('table', { name: 'Kept runs' }).locator('tbody tr')).toHaveCount(1);
  await page.reload();
  await page.waitForSelector('html[data-ready="true"]');
  await tab(page, 'Runs');
  await expect(page.getByRole('table', { name: 'Kept runs' }).locator('tbody tr')).toHaveCount(1);
  await expect(page.getByRole('table', { name: 'Kept runs' })).toContainText(names[1]);
});

test('sample from the name generator at two temperatures', async ({ page }) => {
  test.setTimeout(120_000);
  const ed = new Editor(page);
  await ed.open();
  await ed.openTemplate('Name generator');
  await page.waitForSelector('html[data-ready="true"]');
  await train(page, { Epochs: '1', 'Batch size': '128' });
  await tab(page, 'Results');
  const r = results(page);
  await r.getByRole('tab', { name: 'Sample' }).click();
  await r.getByLabel('Prompt', { exact: true }).fill('ma');
  const samples = async (t: string) => {
    await r.getByLabel('Temperature', { exact: true }).fill(t);
    await r.getByRole('button', { name: 'Sample', exact: true }).click();
    const list = r.getByRole('list', { name: `Samples at temperature ${Number(t)}` });
    await expect(list.locator('li')).toHaveCount(5, { timeout: 30_000 });
    return list.locator('.sample-text').allTextContents();
  };
  const greedy = await samples('0');
  expect(new Set(greedy).size).toBe(1); // temperature 0: always the most likely letter
  expect(greedy[0]).toMatch(/^ma[a-z' -]*$/);
  const hot = await samples('1.5');
  expect(hot.every((s) => s.startsWith('ma'))).toBe(true);
  expect(new Set(hot).size).toBeGreaterThan(1);
  // The same seed draws the same names again.
  expect(await samples('1.5')).toEqual(hot);
});

test('decode the encoder–decoder free-running, greedy and beam, next to teacher forcing', async ({ page }) => {
  test.setTimeout(120_000);
  const ed = new Editor(page);
  await ed.open();
  await ed.openTemplate('Encoder–decoder: reverse a sequence');
  await page.waitForSelector('html[data-ready="true"]');
  await train(page, { Epochs: '2', 'Batch size': '32', 'Learning rate': '0.01' });
  await tab(page, 'Results');
  const r = results(page);
  await r.getByRole('tab', { name: 'Decode' }).click();
  await r.getByLabel('Beam width').selectOption('3');
  await r.getByRole('button', { name: 'Decode a test example' }).click();
  const decoded = r.getByLabel('Decoded');
  await expect(decoded.getByLabel('Greedy decoding')).toBeVisible({ timeout: 30_000 });
  await expect(decoded.getByLabel('Beam 3')).toBeVisible();
  await expect(decoded).toContainText('encoder.h (64)');
  await expect(decoded.getByLabel('Truth')).toHaveText(/<end>$/);
  await expect(decoded.getByLabel('Teacher-forced')).toBeVisible();
  await r.getByLabel('Source to decode').fill('abc');
  await r.getByRole('button', { name: 'Decode the typed source' }).click();
  await expect(decoded.getByLabel('Tokens')).toContainText('a');
  await r.getByLabel('Examples to decode').fill('20');
  await r.getByRole('button', { name: 'Free-running accuracy' }).click();
  const acc = r.getByRole('table', { name: 'Free-running against teacher-forced accuracy' });
  await expect(acc).toContainText('free-running, greedy', { timeout: 60_000 });
  await expect(acc).toContainText('free-running, beam 3');
  await expect(acc).toContainText('teacher-forced');
});

test('call a hand-built graph that was never trained, as the lesson calls rnn_model(inputs)', async ({ page }) => {
  const ed = new Editor(page);
  await ed.open();
  await page.getByRole('button', { name: 'Gallery', exact: true }).click();
  await page.getByRole('button', { name: 'Blank canvas' }).click();
  await page.evaluate(() => {
    const s = window.__unroll!.store.getState();
    s.load({
      name: 'rnn_model', graph: {
        nodes: [
          { id: 'n1', kind: 'Input', name: 'input_layer', params: { shape: [10, 2], dtype: 'float32', batch_size: null }, position: { x: 0, y: 0 } },
          { id: 'n2', kind: 'SimpleRNN', name: 'simple_rnn', params: { units: 32 }, position: { x: 260, y: 0 } },
          { id: 'n3', kind: 'Output', name: 'output', params: { loss: 'none' }, position: { x: 520, y: 0 } },
        ],
        edges: [
          { id: 'e1', source: 'n1', sourcePort: 'output', target: 'n2', targetPort: 'input' },
          { id: 'e2', source: 'n2', sourcePort: 'output', target: 'n3', targetPort: 'input' },
        ],
      },
    });
  });
  await tab(page, 'Results');
  const r = results(page);
  await r.getByRole('button', { name: 'Call on random input' }).click();
  const out = r.getByLabel('Output output');
  await expect(out).toContainText('shape=(1, 32), dtype=float32', { timeout: 30_000 });
  await expect(r.getByLabel('Call result')).toContainText('shape=(1, 10, 2)');
  await expect(r.getByLabel('Weights used')).toHaveAttribute('data-weights', 'fresh');
});
