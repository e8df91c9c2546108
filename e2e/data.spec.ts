/**
 * The Data panel, used like a person: upload a tweets CSV (quoted multi-line texts, emoji, &amp;,
 * confidences around 0.5), accept the suggested columns, read the counts, split sizes and decoded
 * examples, fit the model to the data; bad files get their messages and leave the graph alone;
 * a built-in dataset is fetched from /datasets/ and shows its sizes.
 */
import { writeFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { TWEETS_CSV } from '../src/data/fixtures/tweetsSample.ts';
import { Editor } from './editor.ts';

function csvFile(name: string, text: string): string {
  const path = test.info().outputPath(name);
  writeFileSync(path, text);
  return path;
}

async function openData(page: Page) {
  await page.getByRole('tab', { name: 'Data' }).click();
  return page.getByRole('region', { name: 'Data', exact: true });
}

async function upload(page: Page, path: string) {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Upload CSV…' }).click();
  await (await chooser).setFiles(path);
}

const graphText = (ed: Editor) => ed.state<string>('(s) => JSON.stringify(s.graph)');

test('upload a tweets CSV, see counts, split sizes and decoded rows, then fit the model to it', async ({ page }) => {
  const ed = new Editor(page);
  await ed.open();
  // Set-up: the lesson's model with a head that disagrees with the data (2 units, 3 classes).
  await page.evaluate(() => {
    const s = window.__unroll!.store.getState();
    s.setParams(s.graph.nodes.find((n) => n.kind === 'Dense')!.id, { units: 2 });
  });
  const panel = await openData(page);
  // The sentiment template's dataset is shown (and loaded) when the panel opens.
  await expect(panel.getByLabel('Dataset', { exact: true })).toHaveValue('airline-sentiment');
  await expect(panel.getByRole('list', { name: 'Split sizes' })).toBeVisible();

  await upload(page, csvFile('tweets.csv', TWEETS_CSV));
  await expect(panel.getByLabel('Text column')).toHaveValue('text');
  await expect(panel.getByLabel('Label column')).toHaveValue('airline_sentiment');
  await expect(panel.getByLabel('Confidence column')).toHaveValue('airline_sentiment_confidence');
  await expect(panel.getByLabel('Confidence threshold')).toHaveValue('0.5');
  await expect(panel.getByRole('table', { name: 'First rows of the CSV' })).toContainText('What @dhepburn said.');

  const counts = panel.getByRole('list', { name: 'Row counts' });
  for (const t of ['20 rows', '15 kept', '1 unlabelled', '4 at or below 0.5']) await expect(counts).toContainText(t);
  const sizes = panel.getByRole('list', { name: 'Split sizes' });
  for (const t of ['train 9', 'val 3', 'test 3']) await expect(sizes).toContainText(t);
  await expect(panel.getByRole('figure', { name: 'Label histogram' }).locator('.recharts-bar-rectangle').first()).toBeVisible();
  await expect(panel.getByRole('figure', { name: 'Confidence histogram' })).toBeVisible();
  const examples = panel.getByRole('table', { name: 'Decoded examples' });
  await expect(examples.locator('tbody tr')).toHaveCount(8);
  await expect(examples.locator('tbody tr').first()).toContainText(/^(virginamerica|united) .+(positive|negative|neutral)$/);

  // A stricter threshold refilters at once.
  await panel.getByLabel('Confidence threshold').fill('0.9');
  await expect(counts).toContainText('6 kept');
  await panel.getByLabel('Confidence threshold').fill('0.5');
  await expect(counts).toContainText('15 kept');

  // Binding: the disagreement names its node; clicking selects it; "Fit model to data" fixes it in one step.
  const problem = panel.getByRole('button', { name: /dense has 2 units but the labels have 3 classes/ });
  await problem.click();
  expect(await ed.state<string[]>('(s) => s.selected.map((id) => s.byId.get(id).name)')).toEqual(['dense']);
  await panel.getByRole('button', { name: 'Fit model to data' }).click();
  await expect(panel.getByRole('list', { name: 'Changes made' })).toContainText('dense: 3 units, softmax');
  await expect(panel.getByText('The model fits this dataset')).toBeVisible();
  expect(await ed.state<number>("(s) => s.graph.nodes.find((n) => n.kind === 'Dense').params.units")).toBe(3);
  await page.getByRole('tab', { name: 'Summary' }).click();
  await expect(page.getByRole('row', { name: 'dense (Dense)' })).toContainText('51');
  await page.keyboard.press('Control+z');
  await expect(page.getByRole('row', { name: 'dense (Dense)' })).toContainText('34');
});

test('an empty file, a CSV without the mapped column and a one-class label get clear messages; the graph is untouched', async ({ page }) => {
  const ed = new Editor(page);
  await ed.open();
  const before = await graphText(ed);
  const panel = await openData(page);
  const alert = panel.getByRole('alert');

  // Dropped on the panel.
  const dt = await page.evaluateHandle(() => {
    const d = new DataTransfer();
    d.items.add(new File([''], 'empty.csv', { type: 'text/csv' }));
    return d;
  });
  await panel.dispatchEvent('dragover', { dataTransfer: dt });
  await panel.dispatchEvent('drop', { dataTransfer: dt });
  await expect(alert).toHaveText('This file cannot be used: The file is empty: it contains no header row and no data.');

  await upload(page, csvFile('tweets.csv', TWEETS_CSV));
  await expect(panel.getByRole('list', { name: 'Row counts' })).toContainText('15 kept');
  await upload(page, csvFile('no-label.csv', 'id,text,note\n1,hello there,a\n2,good bye,b\n'));
  await expect(alert).toContainText('The label column "airline_sentiment" is not in the file. Available columns: id, text, note.');
  await expect(panel.getByLabel('Label column')).toHaveValue('airline_sentiment');
  await expect(panel.getByRole('button', { name: 'Fit model to data' })).toHaveCount(0);

  await panel.getByLabel('Label column').selectOption('note');
  await expect(alert).toContainText('Only 2 usable rows after filtering');
  await upload(page, csvFile('one-class.csv', 'text,label\nfine day,ok\ngood day,ok\nnice day,ok\nbad day,ok\nsad day,ok\n'));
  await expect(alert).toContainText('The label column "label" has only one class ("ok")');
  expect(await graphText(ed)).toBe(before);
});

test('a built-in dataset is fetched from /datasets/ and shows its sizes; the project records it', async ({ page }) => {
  const ed = new Editor(page);
  await ed.open();
  const panel = await openData(page);
  const fetched = page.waitForResponse((r) => r.url().endsWith('/datasets/first-names.json') && r.ok());
  await panel.getByLabel('Dataset', { exact: true }).selectOption({ label: 'First names: female or male — many-to-one' });
  await fetched;
  await expect.poll(() => page.evaluate(() => { const d = window.__unroll!.data!.getState(); return `${d.entry} ${d.status}`; })).toBe('first-names-gender ready');
  const sizes = await page.evaluate(() => window.__unroll!.data!.getState().overview!.sizes);
  expect(sizes.train).toBeGreaterThan(1000);
  const list = panel.getByRole('list', { name: 'Split sizes' });
  for (const k of ['train', 'val', 'test'] as const) await expect(list).toContainText(`${k} ${sizes[k].toLocaleString('en-US')}`);
  await expect(panel.getByRole('region', { name: 'About the dataset' })).toContainText('First names');
  await expect(panel.getByRole('figure', { name: 'Label histogram' })).toBeVisible();
  await expect(panel.getByRole('table', { name: 'Decoded examples' }).locator('tbody tr').first()).toContainText(/female|male/);
  expect(await ed.state<unknown>('(s) => s.extras.dataset')).toEqual({ id: 'first-names-gender', options: {} });
});

test('a CSV of text pairs maps a target sequence column: a sequence-to-sequence dataset', async ({ page }) => {
  const ed = new Editor(page);
  await ed.open();
  const panel = await openData(page);
  const rows = ['the cat,le chat', 'the dog,le chien', 'a cat,un chat', 'a dog,un chien', 'the bird,le oiseau', 'a bird,un oiseau', 'my cat,mon chat', 'my dog,mon chien'];
  await upload(page, csvFile('pairs.csv', `english,french\n${rows.join('\n')}\n`));
  await panel.getByLabel('Text column').selectOption('english');
  await panel.getByLabel('Target sequence column').selectOption('french');
  const sizes = panel.getByRole('list', { name: 'Split sizes' });
  for (const t of ['train 4', 'val 1', 'test 3']) await expect(sizes).toContainText(t);
  const first = panel.getByRole('table', { name: 'Decoded examples' }).locator('tbody tr').first();
  await expect(first).toContainText(/^(the|a|my) (cat|dog|bird)(le|un|mon) (chat|chien|oiseau) <end>$/);
});

test('an uploaded CSV is still there after a reload (kept in IndexedDB with its mapping)', async ({ page }) => {
  const ed = new Editor(page);
  await ed.open();
  const panel = await openData(page);
  await upload(page, csvFile('tweets.csv', TWEETS_CSV));
  await panel.getByLabel('Confidence threshold').fill('0.9');
  await expect(panel.getByRole('list', { name: 'Row counts' })).toContainText('6 kept');
  // Wait until both the project and the upload are stored, then reload.
  await page.evaluate(() => window.__unroll!.flush());
  await page.waitForFunction(() => new Promise<boolean>((done) => {
    const req = indexedDB.open('keyval-store');
    req.onsuccess = () => {
      const get = req.result.transaction('keyval').objectStore('keyval').get('unroll:csv');
      get.onsuccess = () => done((get.result as { mapping?: { threshold?: number } } | undefined)?.mapping?.threshold === 0.9);
      get.onerror = () => done(false);
    };
    req.onerror = () => done(false);
  }));
  await page.waitForTimeout(600);
  await page.reload();
  await page.waitForSelector('html[data-ready="true"]');
  const again = await openData(page);
  await expect(again.getByRole('list', { name: 'Row counts' })).toContainText('6 kept');
  await expect(again.getByLabel('Label column')).toHaveValue('airline_sentiment');
  await expect(again.getByRole('table', { name: 'Decoded examples' }).locator('tbody tr').first()).toBeVisible();
});
