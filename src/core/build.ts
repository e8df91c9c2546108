/**
 * Small builders for graphs in code: templates, tests and importers use them.
 *
 *   const g = chain([{ kind: 'Input', params: { shape: [10, 2] } }, { kind: 'SimpleRNN', params: { units: 32 } }]);
 */
import { addNode, connect, emptyGraph } from './edit.ts';
import type { Graph, GraphNode, Params } from './types.ts';

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
