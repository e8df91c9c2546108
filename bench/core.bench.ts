/**
 * Core benchmarks: shape inference of 200- and 2,000-node graphs (target < 20 ms for 2,000), an
 * edit of one node in a 200-node graph re-inferred incrementally (target < 2 ms), and the Keras
 * summary of the 200-node graph. Run: npm run bench -- core.
 */
import { performance } from 'node:perf_hooks';
import { setParams } from '../src/core/edit.ts';
import { Inferencer, inferGraph } from '../src/core/infer.ts';
import { randomValidGraph } from '../src/core/random.ts';
import { formatSummary, summarize } from '../src/core/summary.ts';
import type { Graph } from '../src/core/types.ts';
import { median, metric, quantile } from './lib/report.ts';

/** Many random valid graphs side by side, with unique ids and names, until `n` nodes. */
function bigGraph(n: number): Graph {
  const nodes: Graph['nodes'][number][] = [];
  const edges: Graph['edges'][number][] = [];
  for (let seed = 1; nodes.length < n; seed++) {
    const g = randomValidGraph(seed, { steps: 6 });
    const p = `g${seed}_`;
    for (const x of g.nodes) nodes.push({ ...x, id: p + x.id, name: p + x.name });
    for (const e of g.edges) edges.push({ ...e, id: p + e.id, source: p + e.source, target: p + e.target });
  }
  return { nodes, edges };
}

/** Median and p95 of `runs` timings of `f` after `warmup` untimed calls (JIT). */
function time(f: () => void, runs: number, warmup: number): { median: number; p95: number } {
  for (let k = 0; k < warmup; k++) f();
  const xs: number[] = [];
  for (let k = 0; k < runs; k++) {
    const t0 = performance.now();
    f();
    xs.push(performance.now() - t0);
  }
  return { median: median(xs), p95: quantile(xs, 0.95) };
}

const mid = bigGraph(200);
const big = bigGraph(2000);
for (const g of [mid, big]) {
  const n = g.nodes.length;
  const t = time(() => inferGraph(g), 50, 20);
  const target = n >= 2000 ? '< 20 ms' : undefined;
  metric(`core.infer.${n}_nodes.median_ms`, t.median, 'ms', { target, label: `shape inference, ${n} nodes, median` });
  metric(`core.infer.${n}_nodes.p95_ms`, t.p95, 'ms', { target, label: `shape inference, ${n} nodes, p95` });
}

// One parameter edit, re-inferred incrementally (what the editor does on every change).
const edited = mid.nodes.find((n) => n.kind === 'Dense' || n.kind === 'LSTM' || n.kind === 'GRU')!;
const inc = new Inferencer();
let g = mid;
inc.run(g);
let k = 0;
const e = time(() => {
  g = setParams(g, edited.id, { units: 2 + (k++ % 2) });
  inc.run(g);
}, 350, 50);
metric(`core.edit.${mid.nodes.length}_nodes.median_ms`, e.median, 'ms', { target: '< 2 ms', label: `one-node edit re-inferred, ${mid.nodes.length} nodes, median` });
metric(`core.edit.${mid.nodes.length}_nodes.p95_ms`, e.p95, 'ms', { target: '< 2 ms', label: `one-node edit re-inferred, ${mid.nodes.length} nodes, p95` });

const inf = inferGraph(mid);
const s = time(() => formatSummary(summarize(mid, inf)), 50, 5);
metric(`core.summary.${mid.nodes.length}_nodes.median_ms`, s.median, 'ms', { label: `Keras summary, ${mid.nodes.length} nodes, median` });
