/**
 * No recursion depth limit: an 8,000-layer chain (longer than the ~5,400 layers that used to overflow the call
 * stack in summary, export and layout) goes through inference, the summary, Keras JSON out and
 * back in, Python/TF.js/SVG code, the project file and the layouts. The iterative walk visits in
 * exactly the order of the recursive one.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toPython } from './codegen/python.ts';
import { toSvg } from './codegen/svg.ts';
import { toTfjs } from './codegen/tfjs.ts';
import { depthsFromSources } from './depth.ts';
import { inferGraph } from './infer.ts';
import { toKerasModel } from './keras/export.ts';
import { importKerasModel } from './keras/import.ts';
import { newProject, parseProject, serializeProject } from './project.ts';
import { formatSummary, summarize } from './summary.ts';
import type { Graph, GraphNode } from './types.ts';
import { depthFirst } from './walk.ts';
import { quickLayout } from '../store/layout.ts';

/** Input → n Dense → Output, built directly (linear time). */
export function longChain(n: number): Graph {
  const nodes: GraphNode[] = [{ id: 'n0', kind: 'Input', name: 'input_layer', params: { shape: [null, 3] }, position: { x: 0, y: 0 } }];
  const edges = [];
  for (let k = 1; k <= n; k++) {
    nodes.push({ id: `n${k}`, kind: 'Dense', name: k === 1 ? 'dense' : `dense_${k - 1}`, params: { units: 3 }, position: { x: k * 260, y: 0 } });
    edges.push({ id: `e${k}`, source: `n${k - 1}`, sourcePort: 'output', target: `n${k}`, targetPort: 'input' });
  }
  nodes.push({ id: 'out', kind: 'Output', name: 'output', params: {}, position: { x: (n + 1) * 260, y: 0 } });
  edges.push({ id: 'eo', source: `n${n}`, sourcePort: 'output', target: 'out', targetPort: 'input' });
  return { nodes, edges };
}

describe('an 8,000-layer chain', () => {
  const N = 8_000;
  const g = longChain(N);
  const inf = inferGraph(g);

  it('infers, summarises and prints', () => {
    expect(inf.issues.filter((i) => i.severity === 'error')).toEqual([]);
    const s = summarize(g, inf);
    expect(s.rows).toHaveLength(N + 1);
    expect(s.total).toBe(N * 12);
    const text = formatSummary(s);
    expect(text).toContain(`Total params: ${(N * 12).toLocaleString('en-US')}`);
  });

  it('goes to Keras JSON and back, and to Python, TF.js and SVG', () => {
    const k = toKerasModel(g);
    if (!k.ok) throw new Error(k.error);
    const back = importKerasModel(k.text);
    if (!back.ok) throw new Error(back.error);
    expect(back.graph.nodes.filter((n) => n.kind === 'Dense')).toHaveLength(N);
    for (const r of [toPython(g), toTfjs(g)]) {
      if (!r.ok) throw new Error(r.error);
      expect(r.code).toContain(`dense_${N - 1}`);
    }
    expect(toSvg(g, inf).match(/<g class="node"/g)).toHaveLength(N + 2);
  });

  it('saves and opens as a project file; lays out in columns', () => {
    const r = parseProject(serializeProject(newProject(g, 'long')));
    if (!r.ok) throw new Error(r.error);
    expect(r.project.graph.nodes).toHaveLength(N + 2);
    const depth = depthsFromSources(g);
    expect(depth.get('out')).toBe(N + 1);
    const pos = quickLayout(g, {});
    expect(pos.get('out')!.x).toBeGreaterThan(pos.get(`n${N}`)!.x);
  });
});

describe('depthFirst', () => {
  it('visits in the order of the recursive walk (random graphs, cycles included)', () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 30 }).chain((n) => fc.tuple(fc.constant(n), fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: 3 * n }), fc.array(fc.nat(n - 1), { minLength: 1, maxLength: 4 }))),
      ([, edges, roots]) => {
        const next = (k: number) => edges.filter(([a]) => a === k).map(([, b]) => b);
        const pre: number[] = [], post: number[] = [];
        const seen = new Set<number>();
        const visit = (k: number) => {
          if (seen.has(k)) return;
          seen.add(k);
          pre.push(k);
          for (const c of next(k)) visit(c);
          post.push(k);
        };
        for (const r of roots) visit(r);
        expect(depthFirst(roots, next)).toEqual({ pre, post });
      },
    ), { numRuns: 500 });
  });
});
