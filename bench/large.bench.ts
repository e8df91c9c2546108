/**
 * Large graphs in the production app (Chromium): a project of 1,000 / 3,000 / 10,000 nodes (chains
 * of ten layers, Input → … → Output, wired, in a grid) is put in the autosave and the page reloaded
 * — what a learner sees when such a file was open. Measured: time from navigation to an
 * interactive canvas, the longest main-thread task and the total of tasks over 50 ms until then
 * (Long Tasks API), and one parameter edit (store action to the next painted frame), median of 5.
 * The scaling exponent compares the open times at 10,000 and 1,000 nodes: 1 is linear, 2
 * quadratic (below 1 while the fixed cost of loading the page dominates).
 * Run: `npm run bench -- large` (or `npx tsx bench/large.bench.ts`).
 */
import { ensureBuild, launchChromium, preview } from './lib/browser.ts';
import { fact, median, metric } from './lib/report.ts';
import { newProject } from '../src/core/project.ts';
import { gridOfChains } from '../src/core/build.ts';
import { putInIndexedDb } from '../e2e/editor.ts';

const SIZES = (process.env.UNROLL_BENCH_LARGE ?? '1000,3000,10000').split(',').map(Number);
const EDITS = 5;


ensureBuild('app');
const server = await preview('app');
const browser = await launchChromium();
fact('chromium', browser.version());
const ready: Record<number, number> = {};
const base: number[] = [];
try {
  for (const n of SIZES) {
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await ctx.newPage();
    await page.goto(server.url);
    await page.waitForSelector('html[data-ready="true"]');
    base.push(await page.evaluate(() => performance.getEntriesByName('unroll:interactive')[0].startTime));
    const text = JSON.stringify(newProject(gridOfChains(n), `large-${n}`));
    await page.evaluate(() => window.__unroll!.flush());
    await page.waitForTimeout(400);
    await putInIndexedDb(page, 'unroll:autosave:v1', text);
    await page.addInitScript(() => {
      const w = window as unknown as { __long: number[] };
      w.__long = [];
      new PerformanceObserver((l) => { for (const e of l.getEntries()) w.__long.push(e.duration); }).observe({ type: 'longtask', buffered: true });
    });
    await page.reload();
    await page.waitForSelector('html[data-ready="true"]', { timeout: 600_000 });
    await page.waitForTimeout(1000);
    const r = await page.evaluate(() => ({
      ready: performance.getEntriesByName('unroll:interactive')[0].startTime,
      long: (window as unknown as { __long: number[] }).__long,
      nodes: window.__unroll!.store.getState().graph.nodes.length,
    }));
    if (r.nodes !== n) throw new Error(`opened ${r.nodes} nodes, expected ${n}`);
    ready[n] = r.ready;
    metric(`large.open.${n}_nodes.ready_ms`, r.ready, 'ms', { label: `reload with ${n.toLocaleString('en-US')} nodes autosaved: navigation to an interactive canvas` });
    metric(`large.open.${n}_nodes.longest_task_ms`, Math.max(0, ...r.long), 'ms', { target: '< 200', label: `longest main-thread task while opening ${n.toLocaleString('en-US')} nodes` });
    metric(`large.open.${n}_nodes.long_tasks_ms`, r.long.reduce((a, b) => a + b, 0), 'ms', { label: 'total of tasks over 50 ms while opening' });
    const edits: number[] = [];
    for (let k = 0; k < EDITS; k++) {
      edits.push(await page.evaluate((units) => new Promise<number>((done) => {
        const s = window.__unroll!.store;
        const id = s.getState().graph.nodes.find((x) => x.kind === 'Dense')!.id;
        const t0 = performance.now();
        s.getState().setParams(id, { units });
        requestAnimationFrame(() => setTimeout(() => done(performance.now() - t0), 0));
      }), 4 + k));
    }
    metric(`large.edit.${n}_nodes.median_ms`, median(edits), 'ms', { label: `one parameter edit re-inferred and re-rendered, ${n.toLocaleString('en-US')} nodes` });
    await ctx.close();
  }
  const lo = Math.min(...SIZES), hi = Math.max(...SIZES);
  if (hi > lo) {
    const b = Math.min(...base);
    metric('large.open.template_ready_ms', b, 'ms', { label: 'the same page opening the sentiment template (the baseline)' });
    metric('large.open.scaling_exponent', Math.log(ready[hi] / ready[lo]) / Math.log(hi / lo), '', { target: '≈ 1 (linear)', label: `open time growth from ${lo.toLocaleString('en-US')} to ${hi.toLocaleString('en-US')} nodes (2 = quadratic)` });
  }
} finally {
  await browser.close();
  server.stop();
}
