/**
 * Core benchmarks: shape inference of a 2,000-node graph (target < 20 ms) and an edit of one node in
 * a 200-node graph, re-inferred incrementally (target < 2 ms). Run: npm run bench.
 */
import { performance } from 'node:perf_hooks';
import { setParams } from '../src/core/edit.ts';
import { Inferencer, inferGraph } from '../src/core/infer.ts';
import { randomValidGraph } from '../src/core/random.ts';
import { formatSummary, summarize } from '../src/core/summary.ts';
import type { Graph } from '../src/core/types.ts';

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

function stats(samples: number[]): { median: number; p95: number } {
  const s = [...samples].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], p95: s[Math.floor(s.length * 0.95)] };
}

function line(name: string, value: number, unit: string, target: string) {
  console.log(`${name} ${value.toFixed(3)} ${unit} (${target})`);
}

const big = bigGraph(2000);
for (let k = 0; k < 20; k++) inferGraph(big); // warm up the JIT
const full: number[] = [];
for (let k = 0; k < 50; k++) {
  const t0 = performance.now();
  inferGraph(big);
  full.push(performance.now() - t0);
}
const f = stats(full);
line(`core.infer.${big.nodes.length}_nodes.median_ms`, f.median, 'ms', 'target < 20');
line(`core.infer.${big.nodes.length}_nodes.p95_ms`, f.p95, 'ms', 'target < 20');

const mid = bigGraph(200);
const target = mid.nodes.find((n) => n.kind === 'Dense' || n.kind === 'LSTM' || n.kind === 'GRU')!;
const inc = new Inferencer();
let g = mid;
inc.run(g);
const edits: number[] = [];
for (let k = 0; k < 400; k++) {
  g = setParams(g, target.id, { units: 2 + (k % 2) });
  const t0 = performance.now();
  inc.run(g);
  edits.push(performance.now() - t0);
}
const e = stats(edits.slice(50));
line(`core.edit.${mid.nodes.length}_nodes.median_ms`, e.median, 'ms', 'target < 2');
line(`core.edit.${mid.nodes.length}_nodes.p95_ms`, e.p95, 'ms', 'target < 2');

const sums: number[] = [];
const inf = inferGraph(mid);
for (let k = 0; k < 50; k++) {
  const t0 = performance.now();
  formatSummary(summarize(mid, inf));
  sums.push(performance.now() - t0);
}
line(`core.summary.${mid.nodes.length}_nodes.median_ms`, stats(sums).median, 'ms', 'informational');
