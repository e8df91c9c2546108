/**
 * The workbench's panels at 1280×720, 1440×900 and 1920×1080 under the layout audit
 * (e2e/layoutAudit.ts, as e2e/layout.spec.ts audits the other tabs): the Results tab's Evaluate
 * (confusion matrix, per-class report, a page of predictions, wrong ones only), Try it, Call,
 * Sample (name generator) and Decode (encoder–decoder), all answered by the worker with fresh
 * weights (nothing is trained here: e2e/workbench.spec.ts trains); the Runs tab with kept runs and
 * a storage message, the Train charts with two runs overlaid and the baselines, and the Train
 * panel's "More settings" open. The kept runs are put into the runs store through the test API.
 */
import { expect, test, type Page } from '@playwright/test';
import { Editor } from './editor.ts';
import { auditLayout } from './layoutAudit.ts';

const SIZES = [{ width: 1280, height: 720 }, { width: 1440, height: 900 }, { width: 1920, height: 1080 }];

async function clean(page: Page, what: string) {
  await page.waitForTimeout(250);
  const problems = await auditLayout(page);
  expect(problems, `${what} at ${page.viewportSize()!.width}×${page.viewportSize()!.height}`).toEqual([]);
}

/** Two kept runs (LSTM and SimpleRNN) with curves and baselines, both overlaid, and a storage message. */
async function keptRuns(page: Page) {
  await page.evaluate(() => {
    const u = window.__unroll!;
    const settings = u.store.getState().extras.training;
    const run = (id: string, name: string, rate: number) => {
      const batches = Array.from({ length: 200 }, (_, k) => ({ step: k + 1, x: (k + 1) / 100, loss: 1.1 * Math.exp(-k / rate) + 0.3, accuracy: 0.5 + 0.35 * (1 - Math.exp(-k / rate)) }));
      return {
        id, name, createdAt: '2026-12-02T01:00:00.000Z', updatedAt: '2026-12-02T01:01:00.000Z', status: 'done' as const, project: 'Sentiment',
        summary: { text: name, params: 2755, layers: 5 }, settings, dataset: { id: 'airline-sentiment', name: 'Airline tweets (synthetic)' },
        backend: 'wasm', loss: 'sparse_categorical_crossentropy',
        baseline: { chance: { accuracy: 1 / 3, loss: Math.log(3) }, majority: { label: 'negative', accuracy: 0.63, loss: 0.87 } },
        curves: { batches, epochs: [1, 2].map((e) => ({ epoch: e, loss: 0.8 / e, accuracy: 0.6 + 0.1 * e, val_loss: 0.85 / e, val_accuracy: 0.58 + 0.1 * e, seconds: 5 })), totalEpochs: 2 },
        test: { loss: 0.5913, accuracy: 0.791 }, seconds: 10.2, weightBytes: 11020, bytes: 52000,
      };
    };
    const a = run('run-a', 'Embedding → Bidirectional(LSTM 8) → Dense 3', 150);
    const b = run('run-b', 'Embedding → Bidirectional(SimpleRNN 8) → Dense 3', 90);
    u.runs!.setState({
      loaded: true, runs: [b, a], overlay: ['run-a', 'run-b'], curves: { 'run-a': a.curves, 'run-b': b.curves },
      usage: { bytes: 104000, limit: 200 * 1024 * 1024, runs: 2 },
      message: 'Browser storage is full: this run was kept without its weights. Delete old runs to keep weights again.',
    } as never);
  });
}

for (const size of SIZES) {
  test(`workbench layout at ${size.width}×${size.height}: Results, Runs, overlaid charts, more settings`, async ({ page }) => {
    test.setTimeout(240_000);
    await page.setViewportSize(size);
    const ed = new Editor(page);
    await ed.open();
    const tab = (name: string) => page.getByRole('tab', { name, exact: true }).first();
    const results = page.getByRole('region', { name: 'Results', exact: true });

    // Results → Evaluate: the whole test set with fresh weights.
    await tab('Results').click();
    await expect(results.getByRole('figure', { name: 'Confusion matrix' })).toBeVisible({ timeout: 60_000 });
    await expect(results.getByRole('table', { name: 'All predictions' }).locator('tbody tr').first()).toBeVisible();
    await clean(page, 'Results: Evaluate');
    await results.getByLabel('Wrong only').check();
    await clean(page, 'Results: Evaluate, wrong only');

    await results.getByRole('tab', { name: 'Try it' }).click();
    await results.getByLabel('Try it input').fill('@united my flight was GREAT, zzqxv! the crew was so kind and the seats were comfortable');
    await expect(results.getByLabel('Try it output').getByLabel('Class probabilities')).toBeVisible({ timeout: 30_000 });
    await clean(page, 'Results: Try it');

    await results.getByRole('tab', { name: 'Call' }).click();
    await results.getByRole('button', { name: 'Call on a test sample' }).click();
    await expect(results.getByLabel('Call result')).toBeVisible({ timeout: 30_000 });
    await clean(page, 'Results: Call');

    // Runs, and the Train charts with two runs and the baselines; More settings open.
    await keptRuns(page);
    await tab('Runs').click();
    await expect(page.getByRole('table', { name: 'Kept runs' }).locator('tbody tr')).toHaveCount(2);
    await clean(page, 'the Runs tab');
    await tab('Train').click();
    await expect(page.getByLabel('Chart legend')).toContainText('SimpleRNN');
    await page.locator('.train-advanced > summary').click();
    await page.getByLabel('Early stopping').check();
    await clean(page, 'the Train tab with two runs overlaid and More settings open');
    await page.getByLabel('Early stopping').uncheck();

    // Sample from the name generator; decode the encoder–decoder (fresh weights: what is drawn, not what it says).
    await ed.openTemplate('Name generator');
    await page.waitForSelector('html[data-ready="true"]');
    await tab('Results').click();
    await results.getByRole('tab', { name: 'Sample' }).click();
    await results.getByRole('button', { name: 'Sample', exact: true }).click();
    await expect(results.locator('ol.samples li')).toHaveCount(5, { timeout: 30_000 });
    await clean(page, 'Results: Sample');

    await ed.openTemplate('Encoder–decoder: reverse a sequence');
    await page.waitForSelector('html[data-ready="true"]');
    await tab('Results').click();
    await results.getByRole('tab', { name: 'Decode' }).click();
    await results.getByRole('button', { name: 'Decode a test example' }).click();
    await expect(results.getByLabel('Decoded').getByLabel('Greedy decoding')).toBeVisible({ timeout: 30_000 });
    await results.getByLabel('Examples to decode').fill('5');
    await results.getByRole('button', { name: 'Free-running accuracy' }).click();
    await expect(results.getByRole('table', { name: 'Free-running against teacher-forced accuracy' })).toBeVisible({ timeout: 60_000 });
    await clean(page, 'Results: Decode');

    // A tagger's tokens with true and predicted tags; a forecaster's predictions against the truth.
    await ed.openTemplate('Part-of-speech tagger');
    await page.waitForSelector('html[data-ready="true"]');
    await tab('Results').click();
    await expect(results.locator('.tag-row').first()).toBeVisible({ timeout: 60_000 });
    await clean(page, 'Results: Evaluate a tagger');
    await ed.openTemplate('Forecasting with a GRU');
    await page.waitForSelector('html[data-ready="true"]');
    await tab('Results').click();
    await expect(results.getByRole('figure', { name: 'Predictions against truth' })).toBeVisible({ timeout: 60_000 });
    await clean(page, 'Results: Evaluate a forecaster');
  });
}
