/**
 * Layout at a laptop/projector size (1280×720), a common desktop (1440×900) and full HD
 * (1920×1080): every tab of the dock and every panel, opened as a person would, is checked from
 * bounding boxes (e2e/layoutAudit.ts): nothing cut off, outside the window or overlapping, charts
 * at least 240 px wide, nodes clear of the minimap and zoom buttons, node text ≥ ~11 px on screen.
 * A finished training run is put into the Train panel through the test API (its layout is what is
 * tested here; e2e/train.spec.ts trains for real).
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

/** A finished two-epoch run with test results and predictions, as the engine reports them. */
async function finishedRun(page: Page) {
  await page.evaluate(() => {
    const t = window.__unroll!.train!;
    const g = window.__unroll!.store.getState().graph;
    const batches = Array.from({ length: 400 }, (_, k) => {
      const epoch = k < 200 ? 1 : 2, batch = (k % 200) + 1;
      return { step: k + 1, epoch, batch, batches: 200, loss: 1.1 * Math.exp(-k / 150) + 0.2 * Math.random(), accuracy: 0.4 + 0.5 * (1 - Math.exp(-k / 120)) };
    });
    t.setState({
      status: 'done', run: 1, graph: g, settings: window.__unroll!.store.getState().extras.training,
      info: { type: 'start', epochs: 2, batches: 200, params: 2755, examples: { train: 1600, val: 533, test: 534 }, loss: 'sparse_categorical_crossentropy', masked: false, backend: { requested: 'auto', backend: 'wasm', reason: 'WebGL2 is software-rendered (SwiftShader)' } },
      backend: { requested: 'auto', backend: 'wasm', reason: 'WebGL2 is software-rendered (SwiftShader)' },
      progress: { epoch: 2, epochs: 2, batch: 200, batches: 200 }, msPerBatch: 23.4, batches,
      epochs: [
        { epoch: 1, loss: 0.9312, accuracy: 0.612, val_loss: 0.7711, val_accuracy: 0.702, seconds: 6.1 },
        { epoch: 2, loss: 0.5521, accuracy: 0.801, val_loss: 0.5811, val_accuracy: 0.789, seconds: 5.8 },
      ],
      test: { loss: 0.5913, accuracy: 0.791 }, seconds: 12.4, exportable: true,
      predictions: Array.from({ length: 8 }, (_, k) => ({ input: `@united the flight was delayed again from boston to chicago ${k}`, truth: 'negative', predicted: k % 3 ? 'negative' : 'neutral', correct: k % 3 !== 0 })),
    });
  });
}

for (const size of SIZES) {
  test(`layout at ${size.width}×${size.height}: every tab and panel fits, nothing overlaps`, async ({ page }) => {
    test.setTimeout(120_000);
    await page.setViewportSize(size);
    const ed = new Editor(page);
    await ed.open();
    await clean(page, 'the editor as it opens');
    const tab = (name: string) => page.getByRole('tab', { name, exact: false }).filter({ hasText: name }).first();

    // The inspector, opened by clicking a node.
    await ed.select('bidirectional');
    await expect(page.getByRole('complementary', { name: 'Inspector' })).toBeVisible();
    await clean(page, 'the inspector');
    await ed.select('input_layer');
    await clean(page, 'the inspector of the Input');
    await page.getByRole('button', { name: 'Close the inspector' }).click();
    await expect(page.getByRole('complementary', { name: 'Inspector' })).toHaveCount(0);

    // Summary (table and Keras text), Issues.
    await page.getByLabel('Show as Keras text').check();
    await clean(page, 'the Keras summary text');
    await page.getByLabel('Show as Keras text').uncheck();
    await expect(page.getByRole('table', { name: 'Model summary' }).locator('tfoot')).toBeInViewport();
    await tab('Issues').click();
    await clean(page, 'the Issues tab');

    // Data: the dataset's cards and charts.
    await tab('Data').click();
    await expect(page.locator('.data-grid')).toBeVisible({ timeout: 30_000 });
    await clean(page, 'the Data tab');

    // Train: before a run, and after one.
    await tab('Train').click();
    await expect(page.getByRole('group', { name: 'Run controls' })).toBeVisible();
    await clean(page, 'the Train tab');
    await finishedRun(page);
    await expect(page.getByRole('table', { name: 'Test predictions' })).toBeVisible();
    await clean(page, 'the Train tab after a run');
    await ed.select('dense');
    await clean(page, 'the Train tab with the inspector open');
    await page.keyboard.press('Escape');

    // Inside.
    await tab('Inside').click();
    await page.waitForTimeout(500);
    await clean(page, 'the Inside tab');

    // The resized dock: up to its largest, then down to its smallest.
    await tab('Summary').click();
    const handle = page.getByRole('separator', { name: 'Resize the bottom panel' });
    await handle.focus();
    await page.keyboard.press('Home');
    await clean(page, 'the tallest dock');
    await page.keyboard.press('End');
    await clean(page, 'the shortest dock');

    // Menus and dialogs.
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    await expect(page.getByRole('menu', { name: 'Export formats' })).toBeVisible();
    await clean(page, 'the Export menu');
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Gallery', exact: true }).click();
    await clean(page, 'the gallery');
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Keyboard shortcuts' }).click();
    await clean(page, 'the shortcuts help');
    await page.keyboard.press('Escape');
  });
}
