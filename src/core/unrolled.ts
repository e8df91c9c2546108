/**
 * A recurrent node unrolled in time, as data: its cell(s) repeated over the T steps of one example,
 * the shared W, U, b, where h₀ comes from, which steps' outputs leave the layer, which steps are
 * padding (shaded, and skipped when a mask reaches the layer), and the order each chain reads the
 * steps in (go_backwards and Bidirectional's backward chain run right to left). The unrolled view
 * (src/ui/inside) draws exactly this; it computes nothing itself.
 *
 *   const spec = recurrentSpecOf(graph, inference, nodeId);      // cells, weights by gate
 *   const view = unrollNode(graph, inference, nodeId, steps);    // steps: tokens + padding flags
 */
import type { GraphInference } from './infer.ts';
import { resolveNode } from './infer.ts';
import type { CellSpec, RecurrentSpec } from './layers/cell.ts';
import { getLayer } from './registry.ts';
import { callMasked } from './layers/recurrent.ts';
import type { Edge, Graph, GraphNode } from './types.ts';

/** The cells of a recurrent node, or null for other kinds or while its input size is unknown. */
export function recurrentSpecOf(graph: Graph, inference: GraphInference, nodeId: string): RecurrentSpec | null {
  const node = graph.nodes.find((n) => n.id === nodeId);
  if (!node) return null;
  const def = getLayer(node.kind);
  if (!def?.recurrent) return null;
  const inf = inference.node(nodeId);
  const edge = graph.edges.find((e) => e.target === nodeId && e.targetPort === inf?.inputs[0]?.name);
  const x = edge ? inference.edgeTensor(edge) : null;
  const features = x?.shape.length === 3 ? x.shape[2] : null;
  if (features === null || features === undefined) return null;
  try {
    return def.recurrent(resolveNode(node).params, features);
  } catch {
    return null;
  }
}

/** True for nodes whose kind has cells inside (the unrolled view and probes apply). */
export function isRecurrent(node: Pick<GraphNode, 'kind'>): boolean {
  return getLayer(node.kind)?.recurrent !== undefined;
}

/**
 * The Input node whose time axis this node's main input carries, or null: follows first inputs
 * upstream while every tensor is a sequence of the same length (Embedding, stacked RNNs with
 * return_sequences, TimeDistributed, Dense on the last axis, Masking, Dropout…). A RepeatVector
 * (rank-2 input) or anything that changes the length breaks the chain: its steps have no tokens.
 */
export function timeSource(graph: Graph, inference: GraphInference, nodeId: string): string | null {
  const into = new Map<string, Edge>();
  for (const e of graph.edges) into.set(`${e.target}\u0000${e.targetPort}`, e);
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  let id = nodeId;
  let steps: number | null | undefined;
  for (let guard = 0; guard <= graph.nodes.length; guard++) {
    const node = byId.get(id);
    const inf = inference.node(id);
    if (!node || !inf) return null;
    if (node.kind === 'Input') {
      const t = inf.outputTensors[0];
      if (!t || t.shape.length < 2) return null;
      return steps === undefined || t.shape[1] === steps ? id : null;
    }
    const port = inf.inputs[0]?.name;
    const e = port ? into.get(`${id}\u0000${port}`) : undefined;
    const t = e ? inference.edgeTensor(e) : null;
    if (!e || !t) return null;
    // An Input feeds int token ids (rank 2) or float rows (rank 3); layers in between keep rank 3.
    const src = byId.get(e.source);
    if (t.shape.length !== 3 && !(src?.kind === 'Input' && t.shape.length === 2)) return null;
    if (steps !== undefined && t.shape[1] !== steps) return null;
    steps = t.shape[1];
    id = e.source;
  }
  return null;
}

/** One input position of the example shown: its token text and whether it is padding. */
export interface StepInput {
  readonly token: string;
  readonly padding: boolean;
}

export type H0Source =
  | { readonly kind: 'zeros' }
  | { readonly kind: 'wired'; readonly ports: readonly { readonly state: string; readonly from: string }[] };

/** One chain of cells (one direction). */
export interface UnrolledChain {
  readonly cell: CellSpec;
  /** Input positions in the order the cell reads them. */
  readonly order: readonly number[];
  readonly h0: H0Source;
  /** Positions whose output leaves the layer (every step with return_sequences, else the last read). */
  readonly emits: readonly number[];
  /** The position whose state is the final state (return_state outputs it). */
  readonly last: number;
  /** Output port names of the final states (empty without return_state). */
  readonly stateOutputs: readonly { readonly state: string; readonly port: string }[];
}

export interface UnrolledView {
  readonly nodeId: string;
  readonly name: string;
  readonly kerasClass: string;
  readonly T: number;
  readonly steps: readonly StepInput[];
  /** Padding positions: skipped (a mask reaches the layer: the state carries over), or processed like data. */
  readonly padding: 'none' | 'skipped' | 'processed';
  readonly chains: readonly UnrolledChain[];
  readonly merge: RecurrentSpec['merge'] | undefined;
  readonly returnSequences: boolean;
  readonly returnState: boolean;
  /** The layer's parameter count (all chains). */
  readonly params: number;
  /** Where the output sequence's positions point when the layer reads backwards (Keras returns it reversed). */
  readonly reversedOutput: boolean;
  /** Sentences that explain the picture (facts of this configuration). */
  readonly notes: readonly string[];
}

/**
 * Describes the unrolled picture of a recurrent node over `steps` (one per input position), or
 * null when the node is not recurrent or its input size is still unknown.
 */
export function unrollNode(graph: Graph, inference: GraphInference, nodeId: string, steps: readonly StepInput[]): UnrolledView | null {
  const spec = recurrentSpecOf(graph, inference, nodeId);
  const node = graph.nodes.find((n) => n.id === nodeId);
  const inf = inference.node(nodeId);
  if (!spec || !node || !inf) return null;
  const T = steps.length;
  const edgeInto = (port: string) => graph.edges.find((e) => e.target === nodeId && e.targetPort === port);
  // Whether the cell uses its input's mask: not a Keras 3 layer called with initial_state (versions.ts).
  const tensors = inf.inputs.map((p) => {
    const e = edgeInto(p.name);
    return e ? inference.edgeTensor(e) ?? undefined : undefined;
  });
  const masked = callMasked(node.params, tensors);
  const maskNotPassed = !masked && tensors[0]?.masked === true;
  const anyPadding = steps.some((s) => s.padding);
  const padding: UnrolledView['padding'] = !anyPadding ? 'none' : masked ? 'skipped' : 'processed';
  const real = (t: number) => !(padding === 'skipped' && steps[t].padding);
  const names = new Map(graph.nodes.map((n) => [n.id, n.name]));

  const chains = spec.cells.map((cell, k): UnrolledChain => {
    const forward = Array.from({ length: T }, (_, t) => t);
    const order = cell.goBackwards ? forward.reverse() : forward;
    const wired = spec.initialStatePorts[k].map((port, s) => {
      const e = edgeInto(port);
      return e ? { state: cell.states[s], from: `${names.get(e.source) ?? e.source}.${e.sourcePort}` } : null;
    });
    const h0: H0Source = wired.every((w) => w !== null) && wired.length
      ? { kind: 'wired', ports: wired as { state: string; from: string }[] } : { kind: 'zeros' };
    // The last step read that is real carries the final state (masked steps after it only carry it on).
    const readReal = order.filter(real);
    const last = readReal.length ? readReal[readReal.length - 1] : order[order.length - 1] ?? 0;
    const emits = cell.returnSequences ? order.slice() : T ? [last] : [];
    return {
      cell, order, h0, emits, last,
      stateOutputs: spec.stateOutputPorts[k].map((port, s) => ({ state: cell.states[s], port })),
    };
  });

  const first = spec.cells[0];
  const notes: string[] = [];
  notes.push(spec.cells.length > 1
    ? `Each direction has one ${first.kind} cell with its own weights (${first.params.toLocaleString('en-US')} parameters each), applied at each of the ${T} steps: the weights are shared across time.`
    : `One ${first.kind} cell with one set of weights (${spec.params.toLocaleString('en-US')} parameters) is applied at each of the ${T} steps: the weights are shared across time.`);
  if (padding === 'skipped') notes.push('Padded steps are masked: the cell is skipped there and the state is carried over unchanged.');
  if (padding === 'processed') {
    notes.push(maskNotPassed
      ? 'Called with initial_state, this layer gets no mask in Keras 3 (only Keras 2 passed it on), so the padded steps are processed like real data.'
      : 'No mask reaches this layer, so the padded steps are processed like real data (set mask_zero on the Embedding, or add a Masking layer, to skip them).');
  }
  for (const c of chains) {
    if (c.cell.goBackwards && spec.cells.length === 1) notes.push('go_backwards: the cell reads the sequence from the last step to the first' + (c.cell.returnSequences ? ', and the returned sequence is in that reversed order (Keras).' : '.'));
  }
  if (spec.cells.length === 2) {
    notes.push(`Bidirectional: a forward chain and a backward chain with their own weights; their outputs are ${spec.merge === null ? 'returned separately (merge_mode=None)' : `merged by ${spec.merge}`}.`);
  }
  if (first.returnSequences) notes.push('return_sequences: the output at every step leaves the layer.');
  else notes.push('Only the output of the last step leaves the layer (return_sequences is off).');
  if (first.returnState) notes.push(`return_state: the final ${first.states.join(' and ')} leave the layer as extra outputs.`);
  const anyWired = chains.some((c) => c.h0.kind === 'wired');
  notes.push(anyWired ? 'h₀ comes from the wired initial_state.' : 'h₀ is zeros (no initial_state is wired).');

  return {
    nodeId, name: node.name, kerasClass: getLayer(node.kind)!.kerasClass, T, steps, padding, chains, merge: spec.merge,
    returnSequences: first.returnSequences, returnState: first.returnState, params: spec.params,
    reversedOutput: spec.cells.length === 1 && first.goBackwards && first.returnSequences, notes,
  };
}
