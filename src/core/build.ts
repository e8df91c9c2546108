/**
 * Small builders for graphs in code: templates, tests and importers use them.
 *
 *   const g = chain([{ kind: 'Input', params: { shape: [10, 2] } }, { kind: 'SimpleRNN', params: { units: 32 } }]);
 */
import { addNode, connect, emptyGraph } from './edit.ts';
import type { Edge, Graph, GraphNode, Params } from './types.ts';

export interface LayerSpec {
  readonly kind: string;
  readonly params?: Params;
  readonly name?: string;
}

/**
 * A chain of layers, each fed by the previous one's main output, laid out left to right. An Output
 * node is appended unless the last spec is one or `output` is false.
 */
export function chain(specs: readonly LayerSpec[], opts: { output?: boolean | Params } = {}): Graph {
  let g: Graph = emptyGraph;
  let prev: GraphNode | undefined;
  const all = [...specs];
  if (opts.output !== false && all[all.length - 1]?.kind !== 'Output') {
    all.push({ kind: 'Output', params: typeof opts.output === 'object' ? opts.output : undefined });
  }
  all.forEach((s, k) => {
    const r = addNode(g, { kind: s.kind, params: s.params, name: s.name, position: { x: k * 260, y: 0 } });
    g = r.graph;
    if (prev) g = connect(g, { source: prev.id, sourcePort: firstOutput(prev), target: r.node.id, targetPort: firstInput(r.node) });
    prev = r.node;
  });
  return g;
}

function firstOutput(n: GraphNode): string {
  return n.kind === 'Bidirectional' && n.params.merge_mode === null ? 'output_forward' : 'output';
}

function firstInput(n: GraphNode): string {
  return n.kind === 'Concatenate' || n.kind === 'Add' ? 'input_0' : 'input';
}

export function nodeByName(g: Graph, name: string): GraphNode {
  const n = g.nodes.find((x) => x.name === name);
  if (!n) throw new Error(`no node ${name}`);
  return n;
}

/**
 * A large graph of `n` nodes built in linear time (benchmarks, large-graph tests): chains of 10
 * (Input, Embedding, LSTM, GRU, Dropout, LSTM, Dense, Dropout, Dense, Output), wired, 20 chains a row.
 */
export function gridOfChains(n: number): Graph {
  const kinds: [string, Record<string, unknown>][] = [
    ['Input', { shape: [null], dtype: 'int32' }], ['Embedding', { input_dim: 500, output_dim: 8, mask_zero: true }],
    ['LSTM', { units: 8, return_sequences: true }], ['GRU', { units: 8, return_sequences: true }], ['Dropout', {}],
    ['LSTM', { units: 8 }], ['Dense', { units: 8, activation: 'relu' }], ['Dropout', {}], ['Dense', { units: 3, activation: 'softmax' }], ['Output', {}],
  ];
  const nodes: GraphNode[] = [];
  const edges: Edge[] = [];
  for (let i = 0; i < n; i++) {
    const c = Math.floor(i / kinds.length), k = i % kinds.length;
    const [kind, params] = kinds[k];
    nodes.push({ id: `n${i}`, kind, name: `${kind.toLowerCase()}_${i}`, params: params as GraphNode['params'], position: { x: k * 320 + (c % 20) * 3400, y: Math.floor(c / 20) * 260 } });
    if (k > 0) edges.push({ id: `e${i}`, source: `n${i - 1}`, sourcePort: 'output', target: `n${i}`, targetPort: 'input' });
  }
  return { nodes, edges };
}
