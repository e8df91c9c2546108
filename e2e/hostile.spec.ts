/**
 * Hostile content stays text everywhere in the page: a project file whose file name, model name
 * and layer names are HTML and script, and a CSV whose header, cells and labels are, opened the way
 * a person opens them. The names show, character for character, on the canvas, in the inspector,
 * the summary, the toasts, the CSV table; the SVG export holds them as text; nothing runs (no
 * handler fires, no element, attribute or script comes from them).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { Editor } from './editor.ts';

const NAMES = {
  input_layer: '<img src=x onerror="window.__pwned=1">',
  embedding: '<script>window.__pwned=2</script>',
  bidirectional: '"><svg onload="window.__pwned=3"></svg>&amp;',
  dense: "';window.__pwned=4;//\u2028<b>bold</b>",
};
const MODEL = '<iframe srcdoc="<script>parent.__pwned=5</script>"></iframe>';
const FILE = '<img src=y onerror=window.__pwned=6>.unroll.json';

/** Nothing in the page came from the names: no handler attributes, frames, images or extra scripts; no flag set. */
async function nothingRan(page: Page) {
  const found = await page.evaluate(() => {
    const out: string[] = [];
    for (const el of document.querySelectorAll('*')) {
      for (const a of el.getAttributeNames()) if (/^on/i.test(a)) out.push(`${el.tagName} ${a}`);
    }
    for (const el of document.querySelectorAll('iframe, img[src="x"], img[src="y"]')) out.push(el.outerHTML.slice(0, 80));
    // The app's own <b> elements are fine; one holding "bold" would come from a name.
    for (const el of document.querySelectorAll('b')) if (el.textContent === 'bold') out.push(el.outerHTML);
    const scripts = [...document.scripts].filter((s) => !s.src).map((s) => s.textContent?.slice(0, 80));
    return { out, scripts, pwned: (window as unknown as { __pwned?: number }).__pwned ?? null };
  });
  expect(found).toEqual({ out: [], scripts: [], pwned: null });
}

test('names with HTML and script stay text: canvas, inspector, summary, toasts, CSV table, SVG export', async ({ page }) => {
  test.setTimeout(120_000);
  const ed = new Editor(page);
  await ed.open();
  // A project file made from the lesson's template, every name hostile.
  const project = JSON.parse(readFileSync(new URL('../templates/sentiment.json', import.meta.url), 'utf8'));
  project.name = MODEL;
  for (const n of project.graph.nodes) n.name = NAMES[n.name as keyof typeof NAMES] ?? n.name;
  const path = test.info().outputPath('hostile.json');
  writeFileSync(path, JSON.stringify(project));
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  await (await chooser).setFiles({ name: FILE, mimeType: 'application/json', buffer: readFileSync(path) });
  await expect(page.getByRole('status').filter({ hasText: `Opened ${FILE}` })).toBeVisible();
  expect(await ed.state<string>('(s) => s.name')).toBe(MODEL);

  // The canvas: each node shows its name as text.
  for (const name of Object.values(NAMES)) {
    const node = page.locator('.react-flow__node').filter({ hasText: name });
    await expect(node).toHaveCount(1);
    expect(await node.locator(`[data-name]`).first().getAttribute('data-name')).toBe(name);
  }
  // The inspector: the name field holds it.
  await page.locator('.react-flow__node').filter({ hasText: NAMES.bidirectional }).locator('.node-head').click();
  await expect(page.getByRole('complementary', { name: 'Inspector' }).getByRole('textbox', { name: 'Layer name' })).toHaveValue(NAMES.bidirectional);
  // The summary table.
  await page.getByRole('tab', { name: 'Summary' }).click();
  const summary = page.getByRole('table', { name: 'Model summary' });
  for (const name of Object.values(NAMES)) await expect(summary).toContainText(name);

  // A CSV whose header, texts and labels are markup: the first-rows table shows them as text.
  const csv = test.info().outputPath('hostile.csv');
  const cells = ['<img src=x onerror="window.__pwned=7">', '<script>window.__pwned=8</script>'];
  writeFileSync(csv, `"${cells[0].replace(/"/g, '""')}",label\n${Array.from({ length: 12 }, (_, k) => `"${cells[k % 2].replace(/"/g, '""')} ${k}",${cells[(k + 1) % 2].replace(/[",]/g, '')}`).join('\n')}\n`);
  await page.getByRole('tab', { name: 'Data' }).click();
  const upload = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Upload CSV…' }).click();
  await (await upload).setFiles(csv);
  const rows = page.getByRole('table', { name: 'First rows of the CSV' });
  await expect(rows).toContainText(cells[0], { timeout: 30_000 });
  await expect(rows).toContainText(`${cells[1]} 1`);

  // The SVG export: an XML parser reads the names back as text; no element or attribute comes from them.
  await page.getByRole('button', { name: 'Export' }).click();
  const download = page.waitForEvent('download');
  await page.getByRole('menuitem', { name: /SVG picture/ }).click();
  const svgPath = test.info().outputPath('model.svg');
  await (await download).saveAs(svgPath);
  const svg = readFileSync(svgPath, 'utf8');
  const parsed = await page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    const bad = [...doc.querySelectorAll('*')].flatMap((el) => [
      ...(['script', 'iframe', 'img', 'foreignObject', 'b'].includes(el.localName) ? [el.localName] : []),
      ...el.getAttributeNames().filter((a) => /^on/i.test(a) || /^(href|xlink:href)$/.test(a)),
    ]);
    return { error: doc.querySelector('parsererror')?.textContent ?? null, bad, text: [...doc.querySelectorAll('text, tspan, title')].map((t) => t.textContent) };
  }, svg);
  expect(parsed.error).toBeNull();
  expect(parsed.bad).toEqual([]);
  // Long names are cut on the picture; each shows from its start.
  for (const name of Object.values(NAMES)) expect(parsed.text.some((t) => t && (t === name || name.startsWith(t.replace(/…$/, ''))))).toBe(true);

  await nothingRan(page);
});
