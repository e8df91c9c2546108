/**
 * Writes docs/screenshot.png: the default graph (sentiment template) as a learner first sees it.
 * Runs only when asked: `UNROLL_SCREENSHOT=1 npx playwright test e2e/screenshot.spec.ts`.
 */
import { fileURLToPath } from 'node:url';
import { test } from '@playwright/test';
import { Editor } from './editor.ts';

test.skip(!process.env.UNROLL_SCREENSHOT, 'set UNROLL_SCREENSHOT=1 to refresh docs/screenshot.png');
test.use({ viewport: { width: 1440, height: 860 }, deviceScaleFactor: 2 });

test('screenshot of the default graph', async ({ page }) => {
  const ed = new Editor(page);
  await ed.open();
  await page.waitForTimeout(400);
  await page.screenshot({ path: fileURLToPath(new URL('../docs/screenshot.png', import.meta.url)) });
});
