/**
 * The start page loads what its first paint needs and nothing more (README "Benchmarks",
 * `editor.initial_js_gzip_kb`): the lesson panel, the gallery with its templates, the dock's
 * Data/Train/Inside/Results/Runs panels, the training worker and the libraries only some views use
 * (TF.js, elkjs, h5wasm, fflate, papaparse, recharts) are fetched when first needed, never at
 * start; the gallery and the lesson still open on the first click, with their content. The JavaScript fetched until the editor is ready stays under a
 * budget (gzip -9, like the benchmark), so a new eager import cannot come back silently.
 */
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { expect, test } from '@playwright/test';
import { Editor } from './editor.ts';

/** Chunks (file-name stems in dist/assets) the start page must not fetch. */
const LATER = [
  'LessonPanel', 'steps', 'open', 'Formula', 'GalleryDialog', 'templates', 'Inspector', // the lesson, the gallery, the inspector (src/ui/App.tsx)
  'DataPanel', 'TrainPanel', 'InsidePanel', 'ResultsPanel', 'RunsPanel', 'UnrolledView', 'Experiment', // the dock's panels (BottomDock.tsx)
  'worker', 'csvWorker', 'elk.bundled', 'hdf5_hl', // the training and CSV workers, elkjs, h5wasm
  'catalog', // the dataset catalog (the data store loads it on first use)
  // Libraries, by the chunk names Rolldown gives them: TF.js and its wasm backend ('dist', 'Unique_impl',
  // 'wasmPaths'), fflate ('browser'), papaparse ('csv'); recharts is inside DataPanel's chunk.
  'dist', 'Unique_impl', 'wasmPaths', 'browser', 'csv',
];
/** gzip kB of the JavaScript fetched at start (214 kB when this was written; 358 kB before the split). */
const BUDGET_KB = 235;

const stem = (file: string) => file.replace(/-[\w-]{8}\.m?js$/, '');

test('the start page fetches none of the views loaded later; the gallery and the lesson open on the first click', async ({ page }) => {
  const fetched: string[] = [];
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname;
    if (/^\/assets\/.*\.m?js$/.test(path)) fetched.push(path.slice('/assets/'.length));
  });
  await new Editor(page).open();
  await expect(page.locator('.react-flow__node').first()).toBeVisible();
  await page.waitForLoadState('networkidle');
  const atStart = [...fetched];
  expect(atStart.filter((f) => LATER.includes(stem(f))), `fetched at start: ${atStart.join(' ')}`).toEqual([]);
  expect(page.workers(), 'no worker starts with the page').toHaveLength(0);
  const kb = atStart.reduce((s, f) => s + gzipSync(readFileSync(`dist/assets/${f}`), { level: 9 }).length, 0) / 1024;
  expect(kb, `${kb.toFixed(1)} kB gzip in ${atStart.length} files: ${atStart.join(' ')}`).toBeLessThan(BUDGET_KB);

  // The gallery: one click opens it with every template (its chunk and the templates' load then).
  await page.getByRole('button', { name: 'Gallery', exact: true }).click();
  const gallery = page.getByRole('dialog', { name: 'Gallery' });
  await expect(gallery.getByRole('button', { name: 'Template: Sentiment classifier', exact: true })).toBeVisible();
  expect(fetched.map(stem)).toEqual(expect.arrayContaining(['GalleryDialog', 'templates']));
  await page.keyboard.press('Escape');
  await expect(gallery).toHaveCount(0);

  // The lesson: one click on the toolbar's Lesson shows its first step.
  await page.getByRole('button', { name: 'Lesson', exact: true }).click();
  const panel = page.getByRole('region', { name: 'Lesson' });
  await expect(panel.getByRole('button', { name: /^Open step 1's model$/ })).toBeVisible();
  expect(fetched.map(stem)).toEqual(expect.arrayContaining(['LessonPanel', 'steps']));
  await panel.getByRole('button', { name: /^Open step 1's model$/ }).click();
  await expect.poll(() => page.evaluate(() => window.__unroll!.store.getState().name)).toBe('lesson-1-simple-rnn');
});
