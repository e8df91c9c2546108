/** A wire that cannot work is refused while dragging, with the reason at the pointer. */
import { expect, test } from '@playwright/test';
import { Editor } from './editor.ts';

test('a refused connection shows its reason at the pointer and changes nothing', async ({ page }) => {
  const ed = new Editor(page);
  await ed.open();
  await ed.fitAll();
  const edges = await ed.edgeCount();
  // dense → embedding would close a loop.
  const from = await ed.center(ed.handle('dense', 'source', 'output'));
  const to = await ed.center(ed.handle('embedding', 'target', 'input'));
  await ed.drag(from, to, false);
  const reason = page.getByTestId('refuse-reason');
  await expect(reason).toBeVisible();
  await expect(reason).toContainText('loop');
  const box = (await reason.boundingBox())!;
  expect(Math.abs(box.x - to.x)).toBeLessThan(80);
  expect(Math.abs(box.y - to.y)).toBeLessThan(80);
  await page.mouse.up();
  await expect(reason).toHaveCount(0);
  expect(await ed.edgeCount()).toBe(edges);
  await expect(page.getByRole('alert').filter({ hasText: 'loop' })).toBeVisible();
});
