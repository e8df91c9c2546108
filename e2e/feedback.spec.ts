/**
 * Inputs and feedback a learner meets in the first hour (issue 10): the Input's shape typed the
 * ways people write it, with its message inside the inspector; messages that go once the problem
 * is fixed and never carry into a new project; histogram axes that keep their numbers; the data
 * panel's words (token ids vs plain values, the CSV's vocabulary size).
 */
import { writeFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { TWEETS_CSV } from '../src/data/fixtures/tweetsSample.ts';
import { Editor } from './editor.ts';
import { auditLayout } from './layoutAudit.ts';

test.use({ viewport: { width: 1280, height: 720 } });

const inputShape = (ed: Editor) => ed.state<unknown>("(s) => s.graph.nodes.find((n) => n.kind === 'Input').params.shape");

test('the Input shape field reads 10, 2 / (10, 2) / 10 2 / None, 12 and says inside the inspector what it cannot read', async ({ page }) => {
  const ed = new Editor(page);
  await ed.open();
  await ed.select('input_layer');
  const inspector = page.getByRole('complementary', { name: 'Inspector' });
  const field = inspector.getByLabel('shape', { exact: true });
  const cases: [string, (number | null)[]][] = [['10, 2', [10, 2]], ['(10, 2)', [10, 2]], ['10 2', [10, 2]], ['None, 12', [null, 12]], ['[None]', [null]]];
  for (const [typed, shape] of cases) {
    await field.fill(typed);
    await field.press('Enter');
    await expect.poll(() => inputShape(ed), typed).toEqual(shape);
    await expect(inspector.getByRole('alert')).toHaveCount(0);
  }
  await expect(ed.node('input_layer').locator('.chip').first()).toHaveText('shape (None,)');
  await field.fill('10, two');
  const error = inspector.getByRole('alert');
  await expect(error).toHaveText('shape: "two" is not a size: use whole numbers or None, e.g. 10, 2 or None, 12');
  // The message is inside the inspector, readable, not cut off.
  const box = (await inspector.boundingBox())!, msg = (await error.boundingBox())!;
  expect(msg.x).toBeGreaterThanOrEqual(box.x);
  expect(msg.x + msg.width).toBeLessThanOrEqual(box.x + box.width);
  expect(await auditLayout(page)).toEqual([]);
  await field.press('Enter');
  expect(await inputShape(ed)).toEqual([null]); // nothing committed
  await field.fill('0, 2');
  await expect(error).toContainText('whole number ≥ 1 or None');
});

async function refusedWire(page: Page, ed: Editor) {
  // dense → embedding would close a loop: refused, with a message.
  await ed.fitAll();
  await ed.wire('dense', 'output', 'embedding', 'input');
  const toast = page.locator('.toast').filter({ hasText: 'loop' });
  await expect(toast).toBeVisible();
  return toast;
}

test('a message about a refused wire goes at the next edit, and none carries over into a new project', async ({ page }) => {
  const ed = new Editor(page);
  await ed.open();
  let toast = await refusedWire(page, ed);
  // Any edit (here: a toggle on a node) makes it stale: it goes at once, not 12 s later.
  await page.getByRole('switch', { name: 'mask_zero of embedding' }).click();
  await expect(toast).toHaveCount(0);
  toast = await refusedWire(page, ed);
  await page.keyboard.press('Control+z');
  await expect(toast).toHaveCount(0);
  // A new project from a template starts without the old one's messages.
  toast = await refusedWire(page, ed);
  await ed.openTemplate('Forecasting with a GRU');
  await expect(page.locator('.toast')).toHaveCount(0);
});

/** A CSV the size of the lesson's real file (14,640 tweets): the sample's rows repeated, ids made unique. */
function bigCsv(): string {
  const [head, ...rows] = TWEETS_CSV.replace(/^\uFEFF/, '').split('\r\n').filter(Boolean);
  const body = rows.filter((r) => /^\d{18},/.test(r) && !r.includes('"'));
  const out = [head];
  for (let k = 0; out.length <= 14_640; k++) out.push(body[k % body.length].replace(/^\d{18}/, String(570000000000000000 + k)));
  return out.join('\n');
}

async function upload(page: Page, name: string, text: string) {
  const path = test.info().outputPath(name);
  writeFileSync(path, text);
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Upload CSV…' }).click();
  await (await chooser).setFiles(path);
}

test('histogram axes keep their numbers (a 14,640-row CSV); a numeric series is not "decoded from token ids"', async ({ page }) => {
  const ed = new Editor(page);
  await ed.open();
  await page.getByRole('tab', { name: 'Data' }).click();
  const panel = page.getByRole('region', { name: 'Data', exact: true });
  await upload(page, 'tweets-14640.csv', bigCsv());
  const labels = panel.getByRole('figure', { name: 'Label histogram' });
  await expect(labels.locator('.recharts-bar-rectangle').first()).toBeVisible({ timeout: 30_000 });
  await expect(panel.getByRole('list', { name: 'Row counts' })).toContainText('14,640 rows');
  // The top of the axis is a five-digit count, drawn whole.
  await expect(labels.locator('.recharts-yAxis-tick-labels text').last()).toHaveText(/^\d{1,2},\d{3}$/);
  expect(await auditLayout(page)).toEqual([]);
  await expect(panel.getByRole('region', { name: 'Examples' })).toContainText('decoded from token ids');

  await ed.openTemplate('Forecasting with a GRU');
  await page.getByRole('tab', { name: 'Data' }).click();
  const examples = panel.getByRole('region', { name: 'Examples' });
  await expect(examples).toBeVisible({ timeout: 30_000 });
  await expect(examples).not.toContainText('token');
  await expect(examples.getByRole('columnheader').first()).toHaveText('Input (values)');
});

test('an uploaded CSV shows its vocabulary size', async ({ page }) => {
  const ed = new Editor(page);
  await ed.open();
  await page.getByRole('tab', { name: 'Data' }).click();
  await upload(page, 'tweets.csv', TWEETS_CSV);
  const vocab = page.getByLabel('Vocabulary size');
  await expect(vocab).toHaveText(/^Vocabulary: \d+ tokens, including the padding id 0 and \[UNK\]$/);
  const n = Number((await vocab.textContent())!.match(/\d+/)![0]);
  expect(n).toBe(await page.evaluate(() => window.__unroll!.data!.getState().dataset!.inputs.vocabulary!.length));
  // max_tokens below what the texts hold: the cap is said.
  await page.getByLabel('max_tokens').fill('20');
  await page.getByLabel('max_tokens').press('Tab');
  await expect(vocab).toHaveText('Vocabulary: 20 tokens (capped by max_tokens 20), including the padding id 0 and [UNK]');
});
