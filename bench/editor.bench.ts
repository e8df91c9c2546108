/**
 * The app in Chromium (production build, `vite preview`), not a test:
 * - frame time while dragging a node in a 300-node graph;
 * - time from navigation start to an interactive canvas, and the JavaScript loaded by then (gzip).
 * The main thread while the app trains is longtasks.bench.ts.
 *
 * Frame times are intervals between requestAnimationFrame timestamps during a scripted mouse drag,
 * with the frame-rate limit and vsync off so an interval is the real cost of a frame, not the 16.7 ms
 * vsync. Run: `npm run bench -- editor` (or `npx tsx bench/editor.bench.ts [--build]`).
 */
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import type { Page } from '@playwright/test';
import { addNode, connect, emptyGraph } from '../src/core/edit.ts';
import { newProject } from '../src/core/project.ts';
import type { Graph } from '../src/core/types.ts';
import { ensureBuild, launchChromium, preview } from './lib/browser.ts';
import { fact, median, metric, quantile } from './lib/report.ts';

const LOADS = 5;
/** Chains of 10 nodes in the drag graph (30 → 300 nodes). */
const CHAINS = Number(process.env.UNROLL_BENCH_CHAINS ?? 30);
/** The node dragged (in the middle of the graph). */
const TARGET = CHAINS >= 8 ? 'lstm_14' : 'lstm';

/** 30 chains of 10 layers (Input → Embedding → LSTM(seq) → GRU(seq) → Dropout → LSTM → Dense → Dropout → Dense → Output) in a grid. */
function bigGraph(): Graph {
  const kinds: [string, Record<string, unknown>][] = [
    ['Input', { shape: [null], dtype: 'int32' }], ['Embedding', { input_dim: 500, output_dim: 8, mask_zero: true }],
    ['LSTM', { units: 8, return_sequences: true }], ['GRU', { units: 8, return_sequences: true }], ['Dropout', {}],
    ['LSTM', { units: 8 }], ['Dense', { units: 8, activation: 'relu' }], ['Dropout', {}], ['Dense', { units: 3, activation: 'softmax' }], ['Output', {}],
  ];
  let g: Graph = emptyGraph;
  for (let c = 0; c < CHAINS; c++) {
    let prev: string | null = null;
    kinds.forEach(([kind, params], k) => {
      const r = addNode(g, { kind, params: params as never, position: { x: k * 320, y: c * 240 } });
      g = r.graph;
      if (prev) g = connect(g, { source: prev, sourcePort: 'output', target: r.node.id, targetPort: 'input' });
      prev = r.node.id;
    });
  }
  return g;
}

/**
 * Presses on a node with the mouse, then moves it once per animation frame (from inside the page, so
 * every frame carries one move) towards the middle of the canvas, and returns the intervals between
 * frames: each is the cost of one drag step (React, React Flow, style, layout, paint). Releases
 * with the mouse.
 */
async function dragFrames(page: Page, steps = 120): Promise<number[]> {
  const head = page.locator('.react-flow__node').filter({ has: page.locator(`[data-name="${TARGET}"]`) }).locator('.node-head');
  const b = (await head.boundingBox())!;
  const x = b.x + b.width / 2, y = b.y + b.height / 2;
  // Drag towards the middle of the canvas, so the measured frames are node moves, not React
  // Flow's auto-pan (which starts within 40 px of the canvas edge and moves the whole view).
  const pane = (await page.locator('.react-flow').boundingBox())!;
  const dir = x < pane.x + pane.width / 2 ? 1 : -1;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + 3, y + 3, { steps: 3 });
  // A string, not a function: tsx would wrap named inner functions in a helper the page lacks.
  const frames = await page.evaluate(`new Promise((done) => {
    const times = [];
    let k = 0;
    const tick = () => {
      times.push(performance.now());
      if (k === ${steps}) return done(times.slice(1).map((t, i) => t - times[i]));
      k++;
      window.dispatchEvent(new MouseEvent('mousemove', { clientX: ${x + 3} + ${2 * dir} * k, clientY: ${y + 3} + Math.sin(k / 10) * 40, buttons: 1, bubbles: true, view: window }));
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })`) as number[];
  await page.mouse.up();
  return frames;
}

/** The JavaScript files a page fetched before `mark` (same-origin, from dist/), raw and gzip bytes. */
async function jsBefore(page: Page, mark: string): Promise<{ files: number; raw: number; gzip: number }> {
  const urls = await page.evaluate((m) => {
    const t = performance.getEntriesByName(m)[0].startTime;
    return performance.getEntriesByType('resource').filter((r) => r.startTime <= t && /\.m?js(\?|$)/.test(r.name) && r.name.startsWith(location.origin)).map((r) => new URL(r.name).pathname);
  }, mark);
  const navJs = await page.evaluate(() => [...document.querySelectorAll('script[src]')].map((s) => new URL((s as HTMLScriptElement).src).pathname));
  let raw = 0, gzip = 0;
  const all = [...new Set([...navJs, ...urls])];
  for (const u of all) {
    const bytes = readFileSync(`dist${u}`);
    raw += bytes.length;
    gzip += gzipSync(bytes, { level: 9 }).length;
  }
  return { files: all.length, raw, gzip };
}

async function main() {
  ensureBuild('app');
  const server = await preview('app');
  const URL = server.url;
  try {
    const browser = await launchChromium(['--disable-frame-rate-limit', '--disable-gpu-vsync']);
    try {
      // 1. Navigation start → first nodes rendered and the canvas accepting input (performance mark).
      const loads: number[] = [];
      let js = { files: 0, raw: 0, gzip: 0 };
      for (let k = 0; k < LOADS; k++) {
        const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
        const page = await ctx.newPage();
        await page.goto(URL);
        await page.waitForSelector('html[data-ready="true"]');
        loads.push(await page.evaluate(() => performance.getEntriesByName('unroll:interactive')[0].startTime));
        if (k === 0) js = await jsBefore(page, 'unroll:interactive');
        await ctx.close();
      }

      // 2. Drag one node of a 300-node graph.
      const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      const page = await ctx.newPage();
      await page.goto(URL);
      await page.waitForSelector('html[data-ready="true"]');
      const project = newProject(bigGraph(), 'bench');
      await page.evaluate((p) => window.__unroll!.store.getState().load(p as never, { fresh: true }), project);
      await page.waitForFunction((n) => window.__unroll!.store.getState().graph.nodes.length === n && document.querySelectorAll('.react-flow__node').length > 0, CHAINS * 10); // only the visible nodes render
      await page.keyboard.press('f');
      await page.waitForTimeout(800);
      const rendered = await page.locator('.react-flow__node').count();
      const before = await page.evaluate((t) => window.__unroll!.store.getState().graph.nodes.find((n) => n.name === t)!.position.x, TARGET);
      await dragFrames(page); // warm-up
      // UNROLL_PROFILE=1 prints the functions that took the drag's time; UNROLL_TRACE=1 writes a
      // Chromium trace to /tmp/scratch/trace.json (both for finding what costs a frame).
      const cdp = process.env.UNROLL_PROFILE ? await ctx.newCDPSession(page) : null;
      if (cdp) { await cdp.send('Profiler.enable'); await cdp.send('Profiler.start'); }
      if (process.env.UNROLL_TRACE) await browser.startTracing(page, { path: '/tmp/scratch/trace.json', categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] });
      const frames = await dragFrames(page);
      if (process.env.UNROLL_TRACE) await browser.stopTracing();
      if (cdp) {
        const { profile } = await cdp.send('Profiler.stop');
        const self = new Map<string, number>();
        const dt = new Map<number, number>();
        profile.samples!.forEach((id, k) => dt.set(id, (dt.get(id) ?? 0) + (profile.timeDeltas![k] ?? 0)));
        for (const n of profile.nodes) {
          const key = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`;
          self.set(key, (self.get(key) ?? 0) + (dt.get(n.id) ?? 0) / 1000);
        }
        console.log([...self].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, v]) => `${v.toFixed(0).padStart(6)} ms  ${k}`).join('\n'));
      }
      const after = await page.evaluate((t) => window.__unroll!.store.getState().graph.nodes.find((n) => n.name === t)!.position.x, TARGET);
      if (after === before) throw new Error('the drag did not move the node');
      await ctx.close();

      console.log(`# ${rendered} nodes rendered, ${frames.length} frames during the drag; load runs: ${loads.map((v) => v.toFixed(0)).join(', ')} ms`);
      fact('chromium', `${browser.version()} (headless)`);
      metric(`editor.drag${CHAINS * 10}.median_ms`, median(frames), 'ms', { target: '< 16 ms', label: `frame time while dragging a node, ${CHAINS * 10}-node graph, median` });
      metric(`editor.drag${CHAINS * 10}.p95_ms`, quantile(frames, 0.95), 'ms', { target: '< 33 ms', label: `the same, p95` });
      metric('editor.load_to_interactive_ms', median(loads), 'ms', { target: '< 1000 ms', label: `navigation start to an interactive canvas, median of ${LOADS}` });
      metric('editor.initial_js_gzip_kb', js.gzip / 1024, 'kB', { label: `JavaScript loaded before the canvas is interactive (gzip -9, ${js.files} files)` });
      metric('editor.initial_js_raw_kb', js.raw / 1024, 'kB', { label: 'the same, uncompressed' });
    } finally {
      await browser.close();
    }
  } finally {
    server.stop();
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
