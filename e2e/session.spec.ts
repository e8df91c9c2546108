/**
 * Nothing saved can brick the app, and no work is lost: hostile autosaves (seeded in IndexedDB)
 * open an empty project with a message and stay downloadable; a start that died while opening is
 * not repeated; a render error stays in its region; an edit followed at once by a reload survives
 * (15 times); two tabs on one project warn and hand over; a full storage quota is reported; a
 * training run interrupted by a reload says so and trains again.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { Editor, putInIndexedDb } from './editor.ts';

const AUTOSAVE = 'unroll:autosave:v1';

async function readIndexedDb(page: Page, key: string): Promise<unknown> {
  return page.evaluate((k) => new Promise((res, rej) => {
    const r = indexedDB.open('keyval-store');
    r.onsuccess = () => {
      const q = r.result.transaction('keyval').objectStore('keyval').get(k);
      q.onsuccess = () => { r.result.close(); res(q.result); };
      q.onerror = () => rej(q.error);
    };
  }), key);
}

const project = (extra: Record<string, unknown> = {}) => ({
  format: 'unroll-project', version: 2, name: 'kept',
  graph: {
    nodes: [
      { id: 'a', kind: 'Input', name: 'input_layer', params: { shape: [8, 3] }, position: { x: 0, y: 0 } },
      { id: 'b', kind: 'LSTM', name: 'lstm', params: { units: 4 }, position: { x: 300, y: 0 } },
      { id: 'c', kind: 'Output', name: 'output', params: {}, position: { x: 600, y: 0 } },
    ],
    edges: [
      { id: 'e1', source: 'a', sourcePort: 'output', target: 'b', targetPort: 'input' },
      { id: 'e2', source: 'b', sourcePort: 'output', target: 'c', targetPort: 'input' },
    ],
  },
  ...extra,
});

test('hostile autosaves open an empty project with a message; the document stays downloadable; the next start is normal', async ({ page }) => {
  const ed = new Editor(page);
  const hostile = [
    '{"format": "unroll-project", "version": 2, "graph": {"nodes": [{"id": "a", "kind": "Dense", "name": "d", "params": {"constructor": null}, "position": {"x": 0, "y": 0}}], "edges": []}}',
    '[' .repeat(5000) + ']'.repeat(5000),
    JSON.stringify(project({ version: 99 })),
    'not json at all \u0000\u001b[31m',
  ];
  for (const text of hostile) {
    await ed.open();
    await ed.settle();
    await putInIndexedDb(page, AUTOSAVE, text);
    await page.reload();
    await page.waitForSelector('html[data-ready="true"]');
    const banner = page.locator('.session-banner.error');
    await expect(banner).toContainText('Your autosaved project was not opened');
    expect(await ed.state<number>('(s) => s.graph.nodes.length')).toBe(0);
    const [dl] = await Promise.all([page.waitForEvent('download'), banner.getByRole('button', { name: 'Download it' }).click()]);
    expect(readFileSync((await dl.path())!, 'utf8')).toBe(text);
    // The bad document no longer is the autosave: the next start is a normal one.
    await page.reload();
    await page.waitForSelector('html[data-ready="true"]');
    await expect(page.locator('.session-banner')).toHaveCount(0);
  }
});

test('a start that died while opening the autosave is not repeated; the project can be opened again from the banner', async ({ page }) => {
  const ed = new Editor(page);
  await ed.open();
  await ed.settle();
  await putInIndexedDb(page, AUTOSAVE, JSON.stringify(project()));
  // What a tab that froze or crashed while opening leaves behind.
  await page.evaluate(() => localStorage.setItem('unroll:boot', 'project'));
  await page.reload();
  await page.waitForSelector('html[data-ready="true"]');
  const banner = page.locator('.session-banner.error');
  await expect(banner).toContainText('the last start did not finish opening it');
  expect(await ed.state<number>('(s) => s.graph.nodes.length')).toBe(0);
  await banner.getByRole('button', { name: 'Try opening it again' }).click();
  await expect(ed.node('lstm')).toBeVisible();
});

test('a render error stays in its region: the rest of the editor works and the project is kept', async ({ page }) => {
  const ed = new Editor(page);
  await ed.open();
  const before = await ed.state<string>('(s) => JSON.stringify(s.graph)');
  // A view that makes the node component throw while rendering.
  await page.evaluate(() => {
    const s = window.__unroll!.store;
    const w = window as unknown as { __views: unknown };
    w.__views = s.getState().views;
    const id = s.getState().graph.nodes.find((n) => n.kind === 'LSTM' || n.kind === 'Bidirectional')!.id;
    const views = new Map(s.getState().views);
    views.set(id, { ...views.get(id)!, outputs: null as never });
    s.setState({ views });
  });
  await expect(page.locator('.region-error')).toContainText('The canvas could not be shown');
  await expect(page.getByRole('table', { name: 'Model summary' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Add LSTM', exact: true })).toBeVisible();
  expect(await ed.state<string>('(s) => JSON.stringify(s.graph)')).toBe(before);
  // Once what broke it is gone, "Try again" draws the canvas again.
  await page.evaluate(() => window.__unroll!.store.setState({ views: (window as unknown as { __views: never }).__views }));
  await page.locator('.region-error').getByRole('button', { name: 'Try again' }).click();
  await expect(page.locator('.region-error')).toHaveCount(0);
  await expect(page.locator('.react-flow__node').first()).toBeVisible();
});

test('an edit followed at once by a reload is kept (15 times)', async ({ page }) => {
  const ed = new Editor(page);
  await ed.open();
  for (let k = 0; k < 15; k++) {
    const units = 100 + k;
    await page.evaluate((u) => {
      const s = window.__unroll!.store.getState();
      const id = s.graph.nodes.find((n) => n.kind === 'Dense')!.id;
      s.setParams(id, { units: u });
    }, units);
    await page.reload();
    await page.waitForSelector('html[data-ready="true"]');
    expect(await ed.state<number>('(s) => s.graph.nodes.find((n) => n.kind === "Dense").params.units')).toBe(units);
  }
});

test('two tabs on one project: the second warns and does not autosave until it takes over; the first then stops', async ({ context }) => {
  const a = await context.newPage();
  const eda = new Editor(a);
  await eda.open();
  const b = await context.newPage();
  const edb = new Editor(b);
  await edb.open();
  const warn = b.locator('.session-banner.warning');
  await expect(warn).toContainText('open in another Unroll tab');
  await expect(a.locator('.session-banner')).toHaveCount(0);
  // An edit in the second tab is not written over the first tab's project.
  await b.evaluate(() => window.__unroll!.store.getState().setName('from-b'));
  await b.waitForTimeout(800);
  const saved = JSON.parse((await readIndexedDb(a, AUTOSAVE)) as string) as { name: string };
  expect(saved.name).not.toBe('from-b');
  await warn.getByRole('button', { name: 'Continue here' }).click();
  await expect(warn).toHaveCount(0);
  await expect.poll(async () => (JSON.parse((await readIndexedDb(b, AUTOSAVE)) as string) as { name: string }).name).toBe('from-b');
  await expect(a.locator('.session-banner.warning')).toContainText('You continued in another tab');
  await a.evaluate(() => window.__unroll!.store.getState().setName('from-a'));
  await a.waitForTimeout(800);
  expect((JSON.parse((await readIndexedDb(b, AUTOSAVE)) as string) as { name: string }).name).toBe('from-b');
});

test('a full storage quota is reported', async ({ page }) => {
  await page.addInitScript(() => {
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (value: unknown, key?: IDBValidKey) {
      if ((window as unknown as { __full?: boolean }).__full) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return put.call(this, value, key);
    };
  });
  const ed = new Editor(page);
  await ed.open();
  await page.evaluate(() => { (window as unknown as { __full: boolean }).__full = true; window.__unroll!.store.getState().setName('big'); });
  await expect(page.locator('.toast.error')).toContainText('Browser storage is full');
});

test('a training run interrupted by a reload says so and trains again', async ({ page }) => {
  test.setTimeout(120_000);
  const ed = new Editor(page);
  await ed.open();
  await page.getByRole('tab', { name: 'Train' }).click();
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect.poll(() => ed.state<string>('() => window.__unroll.train.getState().status'), { timeout: 60_000 }).toBe('running');
  await page.reload();
  await page.waitForSelector('html[data-ready="true"]');
  const banner = page.locator('.session-banner.info');
  await expect(banner).toContainText('A training run was interrupted');
  await banner.getByRole('button', { name: 'Train again' }).click();
  await expect.poll(() => ed.state<string>('() => window.__unroll.train.getState().status'), { timeout: 60_000 }).toMatch(/starting|running/);
  await page.evaluate(() => window.__unroll!.train!.getState().stop());
});
