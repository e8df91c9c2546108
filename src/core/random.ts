/**
 * Seeded random graphs for property tests and fidelity tests: `randomValidGraph(seed)` builds a
 * graph the core infers without errors (chains with branches, merges, return_state wired into
 * initial states, masks, several outputs); `randomEdit` applies one random edit of any kind,
 * valid or not.
 */
import { mulberry32 } from './rng.ts';
import { addNode, connect, removeEdges, removeNodes, rename, setParams } from './edit.ts';
import { Inferencer } from './infer.ts';
import { LAYERS } from './registry.ts';
import type { TensorInfo } from './shape.ts';
import type { Graph, GraphNode, Params } from './types.ts';

export { mulberry32 };

interface Ctx {
  rand: () => number;
  g: Graph;
  x: { node: GraphNode; port: string; t: TensorInfo };
  /** Recurrent nodes with return_state, for wiring initial states. */
  states: { node: GraphNode; kind: string; units: number }[];
  inf: Inferencer;
  col: number;
}

const int = (r: () => number, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
const RNN = ['SimpleRNN', 'LSTM', 'GRU'] as const;

function add(c: Ctx, kind: string, params: Params, port = 'input'): GraphNode {
  const r = addNode(c.g, { kind, params, position: { x: ++c.col * 220, y: Math.floor(c.rand() * 3) * 140 } });
  c.g = connect(r.graph, { source: c.x.node.id, sourcePort: c.x.port, target: r.node.id, targetPort: port });
  return r.node;
}

function advance(c: Ctx, node: GraphNode, port = 'output'): void {
  const t = c.inf.run(c.g).tensor(node.id, port);
  if (!t) throw new Error(`random graph: ${node.name}.${port} has no shape`);
  c.x = { node, port, t };
}

function rnnParams(c: Ctx, seq: boolean): Params {
  const kind = pick(c.rand, RNN);
  const p: Record<string, unknown> = { units: int(c.rand, 1, 6), return_sequences: seq, return_state: c.rand() < 0.3 };
  if (kind === 'GRU' && c.rand() < 0.3) p.reset_after = false;
  if (c.rand() < 0.2) p.use_bias = false;
  if (c.rand() < 0.15) p.go_backwards = true;
  return { kind, p } as unknown as Params;
}

function stepSequence(c: Ctx): void {
  const r = c.rand();
  const seq = c.rand() < 0.6;
  if (r < 0.35) {
    const { kind, p } = rnnParams(c, seq) as unknown as { kind: string; p: Params };
    // Sometimes start from the states of an earlier layer of the same kind and size.
    const donor = c.states.find((s) => s.kind === kind && s.units === p.units);
    const node = add(c, kind, p);
    if (donor && c.rand() < 0.7) {
      const names = kind === 'LSTM' ? ['h', 'c'] : ['h'];
      for (const s of names) c.g = connect(c.g, { source: donor.node.id, sourcePort: s, target: node.id, targetPort: s });
    }
    if (p.return_state) c.states.push({ node, kind, units: p.units as number });
    advance(c, node);
  } else if (r < 0.5) {
    const { kind, p } = rnnParams(c, seq) as unknown as { kind: string; p: Params };
    const merge = pick(c.rand, ['concat', 'sum', 'mul', 'ave', 'concat', null] as const);
    const node = add(c, 'Bidirectional', { layer: { kind, params: p }, merge_mode: merge });
    advance(c, node, merge === null ? pick(c.rand, ['output_forward', 'output_backward']) : 'output');
  } else if (r < 0.6) {
    advance(c, add(c, 'Dense', { units: int(c.rand, 1, 6), activation: pick(c.rand, ['linear', 'tanh', 'relu']) }));
  } else if (r < 0.68) {
    advance(c, add(c, 'TimeDistributed', { layer: { kind: 'Dense', params: { units: int(c.rand, 1, 6) } } }));
  } else if (r < 0.74) {
    advance(c, add(c, 'Dropout', { rate: 0.1 }));
  } else if (r < 0.78) {
    advance(c, add(c, 'Activation', { activation: 'tanh' }));
  } else if (r < 0.82 && !c.x.t.masked) {
    advance(c, add(c, 'Masking', { mask_value: 0 }));
  } else if (r < 0.88) {
    advance(c, add(c, 'GlobalAveragePooling1D', {}));
  } else {
    merge(c);
  }
}

function stepVector(c: Ctx): void {
  const r = c.rand();
  if (r < 0.35) advance(c, add(c, 'RepeatVector', { n: int(c.rand, 1, 5) }));
  else if (r < 0.65) advance(c, add(c, 'Dense', { units: int(c.rand, 1, 6), activation: pick(c.rand, ['linear', 'relu', 'sigmoid']) }));
  else if (r < 0.75) advance(c, add(c, 'Dropout', { rate: 0.2 }));
  else if (r < 0.82) advance(c, add(c, 'Flatten', {}));
  else merge(c);
}

/** Two Dense branches of the same width on the current tensor, joined by Add or Concatenate. */
function merge(c: Ctx): void {
  const units = int(c.rand, 1, 5);
  const start = c.x;
  const a = add(c, 'Dense', { units });
  c.x = start;
  const b = add(c, 'Dense', { units, activation: 'tanh' });
  const kind = c.rand() < 0.5 ? 'Add' : 'Concatenate';
  const m = addNode(c.g, { kind, params: {}, position: { x: ++c.col * 220, y: 0 } });
  c.g = m.graph;
  c.g = connect(c.g, { source: a.id, sourcePort: 'output', target: m.node.id, targetPort: 'input_0' });
  c.g = connect(c.g, { source: b.id, sourcePort: 'output', target: m.node.id, targetPort: 'input_1' });
  advance(c, m.node);
}

export interface RandomGraphOptions {
  /** Layers after the input (roughly). */
  readonly steps?: number;
}

/** A random graph with no errors (warnings allowed). Same seed, same graph. */
export function randomValidGraph(seed: number, opts: RandomGraphOptions = {}): Graph {
  const rand = mulberry32(seed);
  const tokens = rand() < 0.4;
  const T = rand() < 0.5 ? null : int(rand, 2, 7);
  const input = addNode({ nodes: [], edges: [] }, {
    kind: 'Input', position: { x: 0, y: 0 },
    params: tokens ? { shape: [T], dtype: 'int32' } : { shape: [T, int(rand, 1, 5)], dtype: 'float32' },
  });
  const c: Ctx = { rand, g: input.graph, x: undefined as never, states: [], inf: new Inferencer(), col: 0 };
  advance(c, input.node);
  if (tokens) advance(c, add(c, 'Embedding', { input_dim: int(rand, 5, 30), output_dim: int(rand, 1, 6), mask_zero: rand() < 0.5 }));
  const steps = opts.steps ?? int(rand, 1, 6);
  for (let k = 0; k < steps; k++) {
    if (c.x.t.shape.length === 3) stepSequence(c);
    else if (c.x.t.shape.length === 2 && c.x.t.shape[1] !== null) stepVector(c);
    else break;
  }
  const out = addNode(c.g, { kind: 'Output', params: { loss: 'mean_squared_error' }, position: { x: ++c.col * 220, y: 0 } });
  c.g = connect(out.graph, { source: c.x.node.id, sourcePort: c.x.port, target: out.node.id, targetPort: 'input' });
  // Sometimes also expose a state as a second output (encoder states as model outputs).
  if (c.states.length && rand() < 0.3) {
    const s = c.states[0];
    const o2 = addNode(c.g, { kind: 'Output', params: { loss: 'mean_squared_error' }, position: { x: ++c.col * 220, y: 300 } });
    c.g = connect(o2.graph, { source: s.node.id, sourcePort: 'h', target: o2.node.id, targetPort: 'input' });
  }
  return c.g;
}

/** One random edit of any kind (add, remove, wire, unwire, change a parameter to any value, rename). */
export function randomEdit(g: Graph, rand: () => number): Graph {
  const r = rand();
  const n = g.nodes.length ? pick(rand, g.nodes) : undefined;
  if (r < 0.2 || !n) {
    return addNode(g, { kind: pick(rand, LAYERS).kind, position: { x: rand() * 1000, y: rand() * 600 } }).graph;
  }
  if (r < 0.3) return removeNodes(g, [n.id]);
  if (r < 0.5) {
    const m = pick(rand, g.nodes);
    const ports = ['input', 'output', 'h', 'c', 'input_0', 'input_1', 'forward_h', 'output_forward', 'nope'];
    return connect(g, { source: n.id, sourcePort: pick(rand, ports), target: m.id, targetPort: pick(rand, ports) });
  }
  if (r < 0.6 && g.edges.length) return removeEdges(g, [pick(rand, g.edges).id]);
  if (r < 0.9) {
    const keys = Object.keys(n.params);
    const values = [0, -1, 1, 3, 16, 2.5, null, true, false, 'concat', 'LSTM', [null, 3], [], 'bogus', { kind: 'GRU', params: {} }, { kind: 'Nope', params: {} }];
    const key = keys.length && rand() < 0.8 ? pick(rand, keys) : 'units';
    return setParams(g, n.id, { [key]: pick(rand, values) as Params[string] });
  }
  return rename(g, n.id, pick(rand, ['x', 'lstm', '1bad', 'dense', 'a b', n.name]));
}
