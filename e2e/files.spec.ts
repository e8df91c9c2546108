/** Save, open (picker and drop), refuse files that are not projects, and survive a reload. */
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { Editor } from './editor.ts';

async function dropFile(page: Page, name: string, text: string) {
  await page.evaluate(([name, text]) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], name, { type: 'application/json' }));
    const target = document.querySelector('.react-flow__pane')!;
    for (const type of ['dragenter', 'dragover', 'drop']) target.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, [name, text]);
}

test('save a project file, change the graph, open the file again', async ({ page }) => {
  const ed = new Editor(page);
  await ed.open();
  await page.getByRole('textbox', { name: 'Project name' }).fill('my model');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Save' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('my_model.unroll.json');
  const path = test.info().outputPath('saved.unroll.json');
  await file.saveAs(path);

  await ed.select('dense');
  await page.keyboard.press('Delete');
  await expect(ed.node('dense')).toHaveCount(0);

  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  await (await chooser).setFiles(path);
  await expect(ed.node('dense')).toBeVisible();
  expect(await ed.nodeCount()).toBe(5);
  expect(await ed.edgeCount()).toBe(4);
  await expect(page.getByRole('status').filter({ hasText: 'Opened saved.unroll.json' })).toBeVisible();

  // Dropping the same file on the canvas opens it too.
  await ed.select('dense');
  await page.keyboard.press('Delete');
  await dropFile(page, 'dropped.unroll.json', readFileSync(path, 'utf8'));
  await expect(ed.node('dense')).toBeVisible();
});

test('a file that is not a project is refused with a message; the graph is untouched', async ({ page }) => {
  const ed = new Editor(page);
  await ed.open();
  const before = await ed.state<string>('(s) => JSON.stringify(s.graph)');
  await dropFile(page, 'notes.json', '{"hello": 1}');
  await expect(page.getByRole('alert').filter({ hasText: 'notes.json was not opened' })).toContainText('format');
  await dropFile(page, 'broken.unroll.json', '{"format": "unroll-project", "version": 2, "graph": {"nodes": [{"id": "a"}], "edges": []}}');
  await expect(page.getByRole('alert').filter({ hasText: 'broken.unroll.json' })).toContainText('graph.nodes[0]');
  await dropFile(page, 'garbage.json', 'not json at all');
  await expect(page.getByRole('alert').filter({ hasText: 'garbage.json' })).toContainText('not valid JSON');
  expect(await ed.state<string>('(s) => JSON.stringify(s.graph)')).toBe(before);
});

test('reload the page: the graph is intact (autosave to IndexedDB)', async ({ page }) => {
  const ed = new Editor(page);
  await ed.open();
  await ed.select('bidirectional');
  await page.getByRole('switch', { name: 'return_sequences of bidirectional' }).click();
  await page.getByRole('combobox', { name: 'Wrapped layer of bidirectional' }).selectOption('GRU');
  await ed.select('dense');
  await page.keyboard.press('F2');
  await page.getByRole('textbox', { name: 'Rename dense' }).fill('scores');
  await page.keyboard.press('Enter');
  const before = await ed.state<string>('(s) => JSON.stringify(s.graph)');
  await page.waitForTimeout(600);
  await page.reload();
  await page.waitForSelector('html[data-ready="true"]');
  await expect(ed.node('scores')).toBeVisible();
  expect(await ed.state<string>('(s) => JSON.stringify(s.graph)')).toBe(before);
  await expect(page.getByRole('combobox', { name: 'Wrapped layer of bidirectional' })).toHaveValue('GRU');
  await expect(ed.outputShape('bidirectional')).toHaveText(/^\(None, None, 16\)/);
});
