/** On-node toggles change shapes downstream; return_state adds state handles that wire into another LSTM. */
import { expect, test } from '@playwright/test';
import { Editor } from './editor.ts';

test('return_sequences: the next layer\'s shape and error follow the toggle', async ({ page }) => {
  const ed = new Editor(page);
  await ed.open();
  await ed.loadChain([
    { kind: 'Input', params: { shape: [20, 4] } },
    { kind: 'LSTM', name: 'first', params: { units: 8 } },
    { kind: 'LSTM', name: 'second', params: { units: 4 } },
  ]);
  await expect(ed.outputShape('first')).toHaveText('(None, 8)');
  await expect(ed.node('second').getByRole('img', { name: '1 error' })).toBeVisible();
  await expect(ed.outputShape('second')).toHaveText('?');

  await page.getByRole('switch', { name: 'return_sequences of first' }).click();
  await expect(ed.outputShape('first')).toHaveText('(None, 20, 8)');
  await expect(page.locator('.edge-label').filter({ hasText: '(None, 20, 8)' })).toBeVisible();
  await expect(ed.outputShape('second')).toHaveText('(None, 4)');
  await expect(ed.node('second').getByRole('img', { name: /error/ })).toHaveCount(0);

  await page.getByRole('switch', { name: 'return_sequences of first' }).click();
  await expect(ed.node('second').getByRole('img', { name: '1 error' })).toBeVisible();
  await page.getByRole('tab', { name: /Issues/ }).click();
  const issue = page.getByRole('button', { name: /LSTM needs \(batch, time, features\)/ });
  await issue.click();
  await expect(page.getByRole('textbox', { name: 'Layer name' })).toHaveValue('second');
  // The fix is a button (in the Issues tab and in the inspector): one click, one undo step.
  const fix = page.getByRole('region', { name: 'Model summary and issues' }).getByRole('button', { name: 'Turn on return_sequences on first' });
  await expect(page.getByRole('complementary', { name: 'Inspector' }).getByRole('button', { name: 'Turn on return_sequences on first' })).toBeVisible();
  await fix.click();
  await expect(page.getByRole('switch', { name: 'return_sequences of first' })).toBeChecked();
  await expect(ed.node('second').getByRole('img', { name: /error/ })).toHaveCount(0);
  await expect(issue).toHaveCount(0);
  await page.keyboard.press('Control+z');
  await expect(page.getByRole('switch', { name: 'return_sequences of first' })).not.toBeChecked();
});

test('return_state: wire h and c into another LSTM\'s initial state; turning it off removes the wires (undoable)', async ({ page }) => {
  const ed = new Editor(page);
  await ed.open();
  await ed.loadChain([
    { kind: 'Input', params: { shape: [12, 3] } },
    { kind: 'LSTM', name: 'encoder', params: { units: 6 } },
    { kind: 'Input', name: 'decoder_in', params: { shape: [9, 3] }, link: false },
  ]);
  // A decoder with its own input, added from the palette next to decoder_in and wired to it.
  await ed.select('decoder_in');
  await page.getByRole('button', { name: 'Add LSTM', exact: true }).click();
  await expect(ed.node('lstm')).toBeVisible();
  await ed.fitAll();
  await expect(ed.handle('encoder', 'source', 'h')).toHaveCount(0);

  await page.getByRole('switch', { name: 'return_state of encoder' }).click();
  await expect(ed.handle('encoder', 'source', 'h')).toBeVisible();
  await expect(ed.handle('encoder', 'source', 'c')).toBeVisible();
  await expect(ed.outputShape('encoder', 'h')).toHaveText('(None, 6)');

  // An initial state must match the decoder's units (16 by default, the encoder has 6): that wire is refused.
  await ed.wire('encoder', 'h', 'lstm', 'h');
  await expect(page.getByRole('alert').filter({ hasText: 'must be (None, 16)' })).toBeVisible();
  await ed.select('lstm');
  const units = page.getByRole('complementary', { name: 'Inspector' }).getByLabel('units', { exact: true });
  await units.fill('6');
  await units.press('Enter');
  await ed.wire('encoder', 'h', 'lstm', 'h');
  await ed.wire('encoder', 'c', 'lstm', 'c');
  const stateWires = () => ed.state<number>("(s) => s.graph.edges.filter((e) => e.targetPort === 'h' || e.targetPort === 'c').length");
  expect(await stateWires()).toBe(2);
  await expect(ed.node('lstm').getByRole('img', { name: /error/ })).toHaveCount(0);

  await page.getByRole('switch', { name: 'return_state of encoder' }).click();
  await expect(ed.handle('encoder', 'source', 'h')).toHaveCount(0);
  expect(await stateWires()).toBe(0);
  await page.keyboard.press('Control+z');
  await expect(ed.handle('encoder', 'source', 'h')).toBeVisible();
  expect(await stateWires()).toBe(2);
});
