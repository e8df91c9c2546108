/**
 * The built app's Content-Security-Policy (scripts/csp.ts): present as a <meta> tag before any
 * script and as a `vite preview` header; enforced (an injected inline script, an inline handler
 * and a data: script are refused; no 'unsafe-eval'); and never in the way: opening the app, the
 * built-in dataset, a CSV upload (its worker), training on the wasm and WebGL backends (the
 * training worker, TF.js's .wasm files), the Inside tab, saving a .keras archive and opening it
 * again (h5wasm), the SVG and PNG exports all run without one policy violation
 * (securitypolicyviolation events in the page and in its workers, and the console). The built
 * bundle holds no eval or Function call but three named library fallbacks.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { CSP_HEADER, CSP_META } from '../scripts/csp.ts';
import { TWEETS_CSV } from '../src/data/fixtures/tweetsSample.ts';
import { Editor, shortRun } from './editor.ts';

/** Collects every policy violation: events in the page, events in each worker, console reports. */
function watchViolations(page: Page): string[] {
  const seen: string[] = [];
  page.on('console', (m) => {
    if (/Content.Security.Policy|Refused to (load|execute|compile|create|evaluate|apply|connect|frame)/i.test(m.text())) seen.push(`console: ${m.text()}`);
  });
  page.on('worker', (w) => {
    void w.evaluate(() => {
      (self as unknown as { __csp: string[] }).__csp = [];
      self.addEventListener('securitypolicyviolation', (e) => (self as unknown as { __csp: string[] }).__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
    }).catch(() => {});
  });
  return seen;
}

const initScript = () => {
  (window as unknown as { __csp: string[] }).__csp = [];
  document.addEventListener('securitypolicyviolation', (e) => (window as unknown as { __csp: string[] }).__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
};

async function allViolations(page: Page, console: string[]): Promise<string[]> {
  const inPage = await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp);
  const inWorkers: string[] = [];
  for (const w of page.workers()) inWorkers.push(...((await w.evaluate(() => (self as unknown as { __csp?: string[] }).__csp ?? []).catch(() => [])) as string[]).map((v) => `worker ${w.url()}: ${v}`));
  return [...inPage, ...inWorkers, ...console];
}

test('the built app ships its policy: a <meta> before any script and a vite preview header, enforced', async ({ page, request }) => {
  const res = await request.get('/');
  expect(res.headers()['content-security-policy']).toBe(CSP_HEADER);
  const html = await res.text();
  const meta = html.indexOf('http-equiv="Content-Security-Policy"');
  expect(meta).toBeGreaterThan(0);
  expect(meta).toBeLessThan(html.indexOf('<script'));
  expect(html.indexOf('<meta charset')).toBeLessThan(meta);

  await page.addInitScript(initScript);
  await new Editor(page).open();
  expect(await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')).toBe(CSP_META);
  // No string becomes code: script-src has neither 'unsafe-eval' nor 'unsafe-inline'.
  expect(CSP_META).toContain("script-src 'self' 'wasm-unsafe-eval';");
  // Enforced (code run by page.evaluate itself is exempt from a page's policy, so the page is
  // made to do it): an inline script, an inline handler and a script from a data: URL never run.
  const ran = await page.evaluate(async () => {
    const w = window as unknown as { __ran: string[] };
    w.__ran = [];
    const inline = document.createElement('script');
    inline.textContent = 'window.__ran.push("inline script")';
    document.body.appendChild(inline);
    const button = document.createElement('button');
    button.setAttribute('onclick', 'window.__ran.push("inline handler")');
    document.body.appendChild(button);
    button.click();
    button.remove();
    const data = document.createElement('script');
    data.src = 'data:text/javascript,window.__ran.push("data: script")';
    await new Promise((r) => { data.onerror = r; data.onload = r; document.body.appendChild(data); });
    return w.__ran;
  });
  expect(ran).toEqual([]);
  // …and each refusal was reported, so the watcher in the next test would see one.
  await expect.poll(() => page.evaluate(() => (window as unknown as { __csp: string[] }).__csp.length)).toBeGreaterThanOrEqual(3);
});

test('nothing the app does violates the policy: data, CSV worker, training (wasm, WebGL), .keras save and open, exports', async ({ page }) => {
  test.setTimeout(300_000);
  const consoleViolations = watchViolations(page);
  await page.addInitScript(initScript);
  const ed = new Editor(page);
  await ed.open();

  // The built-in dataset (fetched from /datasets/) and a CSV upload (parsed in its worker).
  await page.getByRole('tab', { name: 'Data' }).click();
  const data = page.getByRole('region', { name: 'Data', exact: true });
  await expect(data.getByRole('list', { name: 'Split sizes' })).toBeVisible({ timeout: 60_000 });
  const csv = test.info().outputPath('tweets.csv');
  writeFileSync(csv, TWEETS_CSV);
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Upload CSV…' }).click();
  await (await chooser).setFiles(csv);
  await expect(data.getByLabel('Text column')).toHaveValue('text', { timeout: 30_000 });

  // Training: the wasm backend (its .wasm files), then WebGL.
  for (const backend of ['wasm', 'webgl'] as const) {
    await shortRun(page, backend);
    await page.getByRole('button', { name: /^Train( again)?$/ }).click();
    await expect.poll(() => page.evaluate(() => window.__unroll!.train!.getState().status), { timeout: 120_000 }).toBe('done');
  }

  // The views inside the trained model.
  await page.getByRole('tab', { name: 'Inside' }).click();
  await page.waitForTimeout(1500);

  // A .keras archive of the trained model, saved and opened again (h5wasm, fflate).
  await page.getByRole('button', { name: 'Export' }).click();
  const download = page.waitForEvent('download');
  await page.getByRole('menuitem', { name: /Keras 3 model with weights/ }).click();
  const file = test.info().outputPath('model.keras');
  await (await download).saveAs(file);
  expect(readFileSync(file).subarray(0, 2).toString()).toBe('PK');
  const chooser2 = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Open model…' }).click();
  await (await chooser2).setFiles(file);
  await expect(page.getByRole('status').filter({ hasText: /Opened model\.keras with its trained weights/ })).toBeVisible({ timeout: 60_000 });

  // The picture exports (canvas, data: and blob: URLs).
  for (const item of [/SVG picture/, /PNG picture/]) {
    await page.getByRole('button', { name: 'Export' }).click();
    const d = page.waitForEvent('download');
    await page.getByRole('menuitem', { name: item }).click();
    await d;
  }

  await page.waitForTimeout(500);
  expect(await allViolations(page, consoleViolations)).toEqual([]);
});

/**
 * The built bundle, libraries included: the only string-to-code calls in it are three library
 * fallbacks the app never reaches, each named here with the reason it is never run. Any other
 * (a new dependency, new code) fails this test; the policy would refuse it at run time anyway.
 */
const KNOWN_UNREACHED: readonly [RegExp, string][] = [
  [/self:Function\(`return this`\)\(\)/g, 'decimal.js (via TF.js) finds the global object this way only where `self` is undefined; a page and a worker have `self`'],
  [/try\{return Function\(``\),!0\}catch\{return!1\}/g, "zod 4's allowsEval probe, read only when its JIT is on; src/core/zod.ts sets jitless"],
  [/\(0,eval\)\(fs\.readFileSync\(/g, "tfjs-backend-wasm's Node.js worker_threads shim (inside its threaded worker's source text), used only in Node"],
];

test('the built bundle calls no eval or Function except three library fallbacks it never reaches', async ({ request }) => {
  const html = await (await request.get('/')).text();
  const entry = /<script type="module" crossorigin src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
  expect(entry).toBeTruthy();
  // Every chunk the entry reaches: static imports, dynamic imports and workers, by their file names.
  const seen = new Set<string>();
  const queue = [entry!];
  const found: string[] = [];
  const known = new Map<string, number>();
  while (queue.length) {
    const url = queue.pop()!;
    if (seen.has(url)) continue;
    seen.add(url);
    let text = await (await request.get(url)).text();
    for (const m of text.matchAll(/["'`(/]((?:\.\/|\/assets\/)?[\w.-]+\.js)["'`)]/g)) {
      const name = m[1].replace(/^\.\//, '').replace(/^\/assets\//, '');
      queue.push(`/assets/${name}`);
    }
    for (const [re, why] of KNOWN_UNREACHED) {
      const n = text.match(re)?.length ?? 0;
      if (n) known.set(why, (known.get(why) ?? 0) + n);
      text = text.replace(re, '');
    }
    for (const m of text.matchAll(/.{0,60}(?:(?<![\w$.])(?:new\s+)?Function\s*\(|(?<![\w$.])eval\s*\(|\(0,\s*eval\)).{0,60}/g)) found.push(`${url}: ${m[0]}`);
  }
  expect(seen.size).toBeGreaterThan(20);
  expect(found).toEqual([]);
  expect(known.size).toBeGreaterThan(0); // the allow-list is not stale: these are still the fallbacks in the bundle
});
