/**
 * Where Keras versions give one model two meanings (src/core/versions.ts), a graph read from an
 * older Keras keeps that Keras's meaning: a Keras 2 file's `hard_sigmoid` is read as
 * `hard_sigmoid_keras2` (clip(0.2x + 0.5, 0, 1)), and the nodes whose masking differs by version
 * carry `keras_semantics`. This lists where a graph's meaning differs from Keras 3's (for the
 * summary, the importer's note and the Keras 3 export, which refuses them) and converts a graph to
 * Keras 3's meanings, on request only (`--keras3` on the command line, "Use Keras 3 semantics" in
 * the app).
 *
 *   semanticDifferences(g)   // [{ node: 'add', what: 'output mask: AND of the masks present (Keras 3: …)' }, …]
 *   const { graph, changed } = toKeras3Semantics(g);   // changed: ['lstm_1 recurrent_activation', 'add output mask', …]
 */
import { KERAS2_HARD_SIGMOID } from '../params.ts';
import { inferGraph, type GraphInference } from '../infer.ts';
import type { Edge, Graph, GraphNode, Params } from '../types.ts';
import { nodeSemantics, SEMANTICS, SEMANTICS_PARAM, type KerasSemantics } from '../versions.ts';

export interface SemanticDifference {
  /** The layer's name. */
  readonly node: string;
  /** What differs, for a line: 'recurrent_activation hard_sigmoid = clip(0.2x + 0.5, 0, 1) (Keras 3: relu6(x + 3) / 6)'. */
  readonly what: string;
  /** The short form for a list of changes: 'recurrent_activation', 'output mask'. */
  readonly key: string;
}

function hardSigmoids(params: Params): string[] {
  const keys = Object.entries(params).filter(([k, v]) => k.endsWith('activation') && v === KERAS2_HARD_SIGMOID).map(([k]) => k);
  const inner = params.layer as { params?: Params } | undefined;
  if (inner && typeof inner === 'object' && inner.params) keys.push(...hardSigmoids(inner.params));
  return keys;
}

/**
 * Which mask sources (Embedding with mask_zero, Masking) each node's masked outputs descend from:
 * two masks from one source are the same mask, so AND and OR of them agree.
 */
function maskOrigins(graph: Graph, inf: GraphInference, into: ReadonlyMap<string, readonly Edge[]>): Map<string, Set<string>> {
  const origins = new Map<string, Set<string>>();
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  for (const id of inf.order) {
    const masked = (into.get(id) ?? []).filter((e) => inf.edgeTensor(e)?.masked);
    const set = new Set<string>();
    for (const e of masked) for (const o of origins.get(e.source) ?? [e.source]) set.add(o);
    if (!set.size && byId.get(id)) set.add(id);
    origins.set(id, set);
  }
  return origins;
}

/** Where a node following an older Keras computes something Keras 3 would not. */
function nodeDifferences(n: GraphNode, s: KerasSemantics, edges: readonly Edge[], inf: GraphInference, origins: () => Map<string, Set<string>>): SemanticDifference[] {
  const out: SemanticDifference[] = hardSigmoids(n.params).map((k) => ({
    node: n.name, key: k, what: `${k} hard_sigmoid = clip(0.2x + 0.5, 0, 1) (Keras 3: relu6(x + 3) / 6)`,
  }));
  if (s.id === 'keras3') return out;
  const ni = inf.node(n.id);
  if (!ni) return out;
  const at = (port: string) => {
    const e = edges.find((x) => x.targetPort === port);
    return e ? { tensor: inf.edgeTensor(e), source: e.source } : undefined;
  };
  const ins = ni.inputs.map((p) => at(p.name));
  const masked = ins.filter((x) => x?.tensor?.masked);
  if (n.kind === 'Add' || n.kind === 'Concatenate') {
    if (!masked.length) return out;
    const all = masked.length === ins.length;
    const sources = new Set(masked.flatMap((x) => [...(origins().get(x!.source) ?? [x!.source])]));
    const lastAxis = n.kind === 'Add' || n.params.axis === -1 || n.params.axis === (ins[0]?.tensor?.shape.length ?? 0) - 1;
    let differs: boolean;
    if (s.mergeMask === 'none') differs = n.kind === 'Concatenate' || all;
    else if (n.kind === 'Add') differs = !all || sources.size > 1;
    else differs = lastAxis && (!all || sources.size > 1);
    const k3 = n.kind === 'Add' ? 'the OR of the masks when every input has one, else none' : 'the OR of the masks, an unmasked input counting as all true';
    const mine = s.mergeMask === 'none' ? 'no mask' : 'the AND of the masks present';
    if (differs) out.push({ node: n.name, key: 'output mask', what: `output mask: ${mine} (Keras 3: ${k3})` });
    return out;
  }
  const rnn = n.kind === 'Bidirectional' || n.kind === 'SimpleRNN' || n.kind === 'LSTM' || n.kind === 'GRU';
  if (!rnn || !ins[0]?.tensor?.masked) return out;
  const withState = ins.slice(1).some((x) => x !== undefined);
  if (withState && s.initialStateMask) {
    out.push({ node: n.name, key: 'initial_state mask', what: 'called with initial_state, it still uses its input\'s mask (Keras 3: it gets none)' });
  }
  const inner = n.kind === 'Bidirectional' ? (n.params.layer as { params?: Params } | undefined)?.params : undefined;
  const seq = inner?.return_sequences === true;
  if (n.kind === 'Bidirectional' && seq && s.bidirectionalMasked === 'hold' && (!withState || s.initialStateMask)) {
    out.push({ node: n.name, key: 'masked steps', what: 'at masked steps it outputs the previous output (Keras 3: zeros)' });
  }
  return out;
}

/** Every place where the graph's meaning (kept from an older Keras) differs from Keras 3's. */
export function semanticDifferences(graph: Graph, inference?: GraphInference): SemanticDifference[] {
  let inf = inference;
  let into: Map<string, Edge[]> | undefined;
  let origins: Map<string, Set<string>> | undefined;
  const out: SemanticDifference[] = [];
  for (const n of graph.nodes) {
    const s = nodeSemantics(n.params);
    if (s.id === 'keras3' && !hardSigmoids(n.params).length) continue;
    inf ??= inferGraph(graph);
    if (!into) {
      into = new Map();
      for (const e of graph.edges) {
        const list = into.get(e.target);
        if (list) list.push(e);
        else into.set(e.target, [e]);
      }
    }
    const i = inf, byTarget = into;
    out.push(...nodeDifferences(n, s, byTarget.get(n.id) ?? [], i, () => (origins ??= maskOrigins(graph, i, byTarget))));
  }
  return out;
}

/** The Keras profiles the graph's nodes follow, other than Keras 3.4+ (for a line: "Keras 2.0–2.3 and TF.js"). */
export function olderSemantics(graph: Graph): KerasSemantics[] {
  const ids = new Set(graph.nodes.map((n) => nodeSemantics(n.params).id).filter((id) => id !== 'keras3'));
  if (!ids.size && graph.nodes.some((n) => hardSigmoids(n.params).length)) ids.add('keras2');
  return [...ids].map((id) => SEMANTICS[id]);
}

/** One line naming whose meaning is used and what differs from Keras 3, or null when nothing does. */
export function semanticsLine(graph: Graph, inference?: GraphInference): string | null {
  const diffs = semanticDifferences(graph, inference);
  if (!diffs.length) return null;
  const who = olderSemantics(graph).map((s) => s.label).join(', ') || 'Keras 2';
  const byNode = new Map<string, string[]>();
  for (const d of diffs) byNode.set(d.node, [...(byNode.get(d.node) ?? []), d.what]);
  return `${who} semantics: ${[...byNode].map(([n, w]) => `${n} ${w.join('; ')}`).join('; ')}`;
}

/** The layers (and parameters) that follow older meanings where they differ from Keras 3's. */
export function keras2Meanings(graph: Graph): string[] {
  return semanticDifferences(graph).map((d) => `${d.node} ${d.key}`);
}

/** What `toKeras3Semantics` changes, one line each: 'add output mask: the AND of … (Keras 3: …)'. */
function changes(graph: Graph): string[] {
  return semanticDifferences(graph).map((d) => `${d.node} ${d.what}`);
}

function convert(params: Params): Params {
  let out = params;
  for (const [k, v] of Object.entries(params)) {
    if (k.endsWith('activation') && v === KERAS2_HARD_SIGMOID) out = { ...out, [k]: 'hard_sigmoid' };
  }
  if (typeof out[SEMANTICS_PARAM] === 'string' && out[SEMANTICS_PARAM] !== 'keras3') out = { ...out, [SEMANTICS_PARAM]: 'keras3' };
  const inner = params.layer as { kind?: string; params?: Params } | undefined;
  if (inner && typeof inner === 'object' && inner.params) {
    const p = convert(inner.params);
    if (p !== inner.params) out = { ...out, layer: { ...inner, params: p } };
  }
  return out;
}

/**
 * The graph with Keras 3's meanings (hard_sigmoid = relu6(x + 3) / 6, Keras 3's masks), and what
 * changed (only what computes differently).
 */
export function toKeras3Semantics(graph: Graph): { graph: Graph; changed: string[] } {
  const changed = changes(graph);
  let touched = false;
  const nodes = graph.nodes.map((n) => {
    const p = convert(n.params);
    if (p === n.params) return n;
    touched = true;
    return { ...n, params: p };
  });
  return { graph: touched ? { ...graph, nodes } : graph, changed };
}
