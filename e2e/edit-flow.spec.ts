/**
 * Editing without friction (issue 10): paste lands at the pointer or clear of the originals; "add
 * after the selected layer" goes into its wire; a wire onto a taken input says what it replaced
 * (undoable); a layer's kind changes in place; a default Bidirectional shows its initial-state
 * inputs only on demand; merge_mode None with return_state keeps labels on their own rows.
 */
import { expect, test, type Page } from '@playwright/test';
import { Editor } from './editor.ts';

const wires = (ed: Editor) => ed.state<string[]>(`(s) => s.graph.edges.map((e) => {
  const n = (id) => s.graph.nodes.find((x) => x.id === id).name;
  return n(e.source) + '.' + e.sourcePort + '→' + n(e.target) + '.' + e.targetPort;
})`);

const overlap = (a: { x: number; y: number; width: number; height: number }, b: typeof a) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

async function emptySpot(page: Page) {
  const box = (await page.locator('.react-flow').boundingBox())!;
  return { x: box.x + box.width * 0.35, y: box.y + box.height - 60 };
}

test('paste lands at the pointer (keyboard) or clear of the originals (toolbar)', async ({ page }) => {
  const ed = new Editor(page);
  await ed.open();
  await ed.select('embedding');
  await page.keyboard.press('Control+c');
  const spot = await emptySpot(page);
  await page.mouse.move(spot.x, spot.y);
  await page.keyboard.press('Control+v');
  const copy = ed.node('embedding_1');
  await expect(copy).toBeVisible();
  const b = (await copy.boundingBox())!;
  expect(Math.abs(b.x - spot.x)).toBeLessThan(3);
  expect(Math.abs(b.y - spot.y)).toBeLessThan(3);
  // The toolbar's Paste (the pointer is not over the canvas): below the originals, overlapping nothing.
  await page.getByRole('button', { name: 'Paste' }).click();
  const second = (await ed.node('embedding_2').boundingBox())!;
  for (const name of ['input_layer', 'embedding', 'bidirectional', 'embedding_1']) {
    const other = await ed.node(name).boundingBox();
    if (other) expect(overlap(second, other), name).toBe(false);
  }
});

test('a layer added after the selected one goes into its wire; the next layer keeps working', async ({ page }) => {
  const ed = new Editor(page);
  await ed.open();
  await ed.select('embedding');
  await page.getByRole('button', { name: 'Add LSTM', exact: true }).click();
  await expect(ed.node('lstm')).toBeVisible();
  const w = await wires(ed);
  expect(w).toContain('embedding.output→lstm.input');
  expect(w).toContain('lstm.output→bidirectional.input');
  expect(w).not.toContain('embedding.output→bidirectional.input');
  // Bidirectional needs a sequence: the new LSTM returns one.
  await expect(page.getByRole('switch', { name: 'return_sequences of lstm' })).toBeChecked();
  await expect(page.locator('.react-flow__node .badge.error')).toHaveCount(0);
  await page.keyboard.press('Control+z');
  expect(await wires(ed)).toContain('embedding.output→bidirectional.input');
  await expect(ed.node('lstm')).toHaveCount(0);
});

test('a wire onto a taken input says which wire it replaced; undo puts it back', async ({ page }) => {
  const ed = new Editor(page);
  await ed.open();
  // Set-up: a Dense(2) fed by the embedding, whose output can go into the Bidirectional instead.
  await page.evaluate(() => {
    const s = window.__unroll!.store.getState();
    const id = s.addNode('Dense', { x: 300, y: 420 });
    s.setParams(id, { units: 2 });
    const emb = s.graph.nodes.find((n) => n.name === 'embedding')!.id;
    window.__unroll!.store.getState().connect({ source: emb, sourcePort: 'output', target: id, targetPort: 'input' });
  });
  await ed.fitAll();
  await ed.wire('dense_1', 'output', 'bidirectional', 'input');
  const note = page.getByRole('status').filter({ hasText: 'Replaced the wire embedding → bidirectional.input' });
  await expect(note).toBeVisible();
  await expect(note).toContainText('Undo (Ctrl+Z) puts it back');
  expect(await wires(ed)).toContain('dense_1.output→bidirectional.input');
  await page.keyboard.press('Control+z');
  expect(await wires(ed)).toContain('embedding.output→bidirectional.input');
  await expect(note).toHaveCount(0);
});

test('change a layer\'s kind in place: LSTM → GRU → SimpleRNN keeps its name, units and wires', async ({ page }) => {
  const ed = new Editor(page);
  await ed.open();
  await ed.loadChain([
    { kind: 'Input', params: { shape: [20, 4] } },
    { kind: 'LSTM', name: 'encoder', params: { units: 24, return_sequences: true } },
    { kind: 'Dense', params: { units: 3 } },
  ]);
  await ed.select('encoder');
  const inspector = page.getByRole('complementary', { name: 'Inspector' });
  const kind = inspector.getByLabel('Layer kind');
  await kind.selectOption('GRU');
  await expect(ed.node('encoder').locator('.layer-node')).toHaveAttribute('data-kind', 'GRU');
  await expect(ed.node('encoder').locator('.chip')).toContainText('units 24');
  await expect(page.getByRole('switch', { name: 'return_sequences of encoder' })).toBeChecked();
  expect(await wires(ed)).toEqual(['input_layer.output→encoder.input', 'encoder.output→dense.input']);
  await expect(ed.outputShape('encoder')).toHaveText('(None, 20, 24)');
  await kind.selectOption('SimpleRNN');
  await expect(ed.node('encoder').locator('.layer-node')).toHaveAttribute('data-kind', 'SimpleRNN');
  await expect(inspector.getByLabel('units', { exact: true })).toHaveValue('24');
  await page.keyboard.press('Control+z');
  await page.keyboard.press('Control+z');
  await expect(ed.node('encoder').locator('.layer-node')).toHaveAttribute('data-kind', 'LSTM');
});

test('a default Bidirectional shows one input; its initial states appear on demand, and while a wire is dragged', async ({ page }) => {
  const ed = new Editor(page);
  await ed.open();
  const bi = ed.node('bidirectional');
  await expect(bi.locator('.react-flow__handle.target')).toHaveCount(1);
  await bi.getByRole('button', { name: 'Show the initial-state inputs of bidirectional' }).click();
  await expect(bi.locator('.react-flow__handle.target')).toHaveCount(5);
  await bi.getByRole('button', { name: 'Hide the initial-state inputs of bidirectional' }).click();
  await expect(bi.locator('.react-flow__handle.target')).toHaveCount(1);
  // Dragging a wire shows them (to drop it on one), and they go again when it is released.
  const from = await ed.center(ed.handle('embedding', 'source', 'output'));
  await ed.drag(from, { x: from.x + 40, y: from.y + 80 }, false);
  await expect(bi.locator('.react-flow__handle.target')).toHaveCount(5);
  await page.mouse.up();
  await expect(bi.locator('.react-flow__handle.target')).toHaveCount(1);
});

test('merge_mode None with return_state: every port label on its own row', async ({ page }) => {
  const ed = new Editor(page);
  await ed.open();
  await ed.loadChain([
    { kind: 'Input', params: { shape: [20, 4] } },
    { kind: 'Bidirectional', name: 'bi', params: { merge_mode: null, layer: { kind: 'LSTM', params: { units: 8, return_state: true } } } },
  ]);
  const bi = ed.node('bi');
  await bi.getByRole('button', { name: /Show the initial-state inputs/ }).click();
  const labels = await bi.locator('.port-label').evaluateAll((els) => els.map((e) => { const r = e.getBoundingClientRect(); return { top: r.top, bottom: r.bottom, text: e.textContent }; }));
  expect(labels.length).toBe(5 + 6);
  for (let i = 0; i < labels.length; i++) {
    for (let j = i + 1; j < labels.length; j++) {
      const a = labels[i], b = labels[j];
      expect(a.top < b.bottom - 1 && b.top < a.bottom - 1, `${a.text} and ${b.text} share a row`).toBe(false);
    }
  }
});
