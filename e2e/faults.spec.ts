/**
 * Training faults in the browser, each a message with the editor still usable and a new run
 * possible without a reload: a lost WebGL context (WEBGL_lose_context), a terminated worker, a
 * model too large to build; and ten trainings in a row leave the worker's tensor count and the
 * page's JS heap where they were.
 */
import { expect, test, type Page } from '@playwright/test';
import { Editor, shortRun } from './editor.ts';

const status = (page: Page) => page.evaluate(() => window.__unroll!.train!.getState().status);

const small = shortRun;

async function trainAndWait(page: Page, until: RegExp) {
  await page.getByRole('button', { name: /^Train( again)?$/ }).click();
  await expect.poll(() => status(page), { timeout: 90_000 }).toMatch(until);
}

/** The editor still takes edits: add a layer, undo it. */
async function editorWorks(page: Page) {
  const ed = new Editor(page);
  const n = await ed.state<number>('(s) => s.graph.nodes.length');
  await page.getByRole('button', { name: 'Add Dense', exact: true }).click();
  await expect.poll(() => ed.state<number>('(s) => s.graph.nodes.length')).toBe(n + 1);
  await page.keyboard.press('Control+z');
  await expect.poll(() => ed.state<number>('(s) => s.graph.nodes.length')).toBe(n);
}

test('a lost WebGL context ends the run with a message; training again works', async ({ page }) => {
  test.setTimeout(180_000);
  await new Editor(page).open();
  await small(page, 'webgl');
  await page.evaluate(() => window.__unroll!.store.getState().setTraining({ epochs: 50 }));
  await trainAndWait(page, /running/);
  const worker = page.workers().find((w) => w.url().includes('worker'))!;
  expect(await worker.evaluate(() => (self as unknown as { __unrollTf: { getBackend(): string } }).__unrollTf.getBackend())).toBe('webgl');
  await worker.evaluate(() => {
    const tf = (self as unknown as { __unrollTf: { backend(): { gpgpu: { gl: WebGL2RenderingContext } } } }).__unrollTf;
    tf.backend().gpgpu.gl.getExtension('WEBGL_lose_context')!.loseContext();
  });
  await expect(page.getByRole('alert', { name: 'Training error' })).toContainText('WebGL context was lost', { timeout: 60_000 });
  expect(await status(page)).toBe('error');
  await editorWorks(page);
  await page.evaluate(() => window.__unroll!.store.getState().setTraining({ backend: 'wasm', epochs: 1 }));
  await trainAndWait(page, /done/);
});

test('a terminated worker ends the run with a message; training again works', async ({ page }) => {
  test.setTimeout(180_000);
  await page.addInitScript(() => {
    const W = window.Worker;
    const made: Worker[] = [];
    (window as unknown as { __workers: Worker[] }).__workers = made;
    window.Worker = class extends W {
      constructor(url: string | URL, o?: WorkerOptions) {
        super(url, o);
        made.push(this);
      }
    };
  });
  await new Editor(page).open();
  await small(page);
  await page.evaluate(() => window.__unroll!.store.getState().setTraining({ epochs: 50 }));
  await trainAndWait(page, /running/);
  await page.evaluate(() => (window as unknown as { __workers: Worker[] }).__workers.forEach((w) => w.terminate()));
  await expect(page.getByRole('alert', { name: 'Training error' })).toContainText('stopped responding', { timeout: 60_000 });
  await editorWorks(page);
  await page.evaluate(() => window.__unroll!.store.getState().setTraining({ epochs: 1 }));
  await trainAndWait(page, /done/);
});

test('a model too large to build is refused with its size; the lesson model then trains', async ({ page }) => {
  test.setTimeout(120_000);
  const ed = new Editor(page);
  await ed.open();
  await small(page);
  await page.evaluate(() => {
    const s = window.__unroll!.store.getState();
    const id = s.graph.nodes.find((n) => n.kind === 'Embedding')!.id;
    s.setParams(id, { input_dim: 1_000_000_000, output_dim: 164 });
  });
  await page.getByRole('button', { name: /^Train( again)?$/ }).click();
  await expect(page.getByRole('alert', { name: 'Training error' })).toContainText(/cannot be built here: its weights need 6\d\d\.\d\d GB/, { timeout: 60_000 });
  await page.keyboard.press('Control+z');
  await trainAndWait(page, /done/);
  await editorWorks(page);
});

test('ten trainings in a row: the worker\'s tensor count and the page\'s JS heap return to their baseline', async ({ page }) => {
  test.setTimeout(300_000);
  await new Editor(page).open();
  await small(page);
  const cdp = await page.context().newCDPSession(page);
  const heap = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    return (await cdp.send('Runtime.getHeapUsage')).usedSize;
  };
  const tensors: number[] = [];
  const heaps: number[] = [];
  for (let k = 0; k < 10; k++) {
    await trainAndWait(page, /done/);
    const worker = page.workers().find((w) => w.url().includes('worker'))!;
    tensors.push(await worker.evaluate(() => (self as unknown as { __unrollTf: { memory(): { numTensors: number } } }).__unrollTf.memory().numTensors));
    heaps.push(await heap());
  }
  expect(tensors, tensors.join(',')).toEqual(tensors.map(() => tensors[0]));
  // The heap after the tenth run is within 3 MB of the heap after the second (the first loads the panel and the worker client).
  expect(heaps[9] - heaps[1], heaps.map((h) => (h / 2 ** 20).toFixed(1)).join(', ')).toBeLessThan(3 * 2 ** 20);
});
