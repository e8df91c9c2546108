/**
 * Trained weights as pure data (contract 2): a `WeightSet` holds, per layer name, the layer's
 * variables in Keras's `layer.weights` order — `{ path, shape, data }` with the values in row-major
 * (C) order as numpy and h5py keep them — and where they came from. It crosses postMessage and
 * IndexedDB as it is (structured clone keeps Float32Arrays). No TF.js here: src/tf/weights/ reads
 * and writes files and applies a WeightSet to a compiled model or takes one from it.
 *
 *   const specs = weightSpecs(graph);                 // what each layer needs: paths and shapes
 *   const m = matchWeights(graph, ws);                // per node: 'ok' | 'missing' | 'mismatch'
 *   if (m.problems.length) …                          // one line each, naming layer and variable
 *
 * Layer variables and their order come from each layer definition's `weights` hook
 * (src/core/layers/define.ts): Dense kernel, bias; Embedding embeddings; SimpleRNN/LSTM/GRU
 * kernel, recurrent_kernel, bias (LSTM gates i, f, c, o; GRU z, r, h; GRU reset_after bias (2, 3u));
 * Bidirectional the forward layer's then the backward layer's; TimeDistributed the inner Dense's.
 */
import { inferGraph, resolveNode, type GraphInference } from './infer.ts';
import { getLayer } from './registry.ts';
import type { WeightSpec } from './layers/define.ts';
import type { Edge, Graph, GraphNode } from './types.ts';

export type { WeightSpec } from './layers/define.ts';

/** One variable of a layer. */
export interface WeightVariable {
  /** Keras 3's variable path: 'lstm/lstm_cell/kernel', 'bidirectional/forward_gru/gru_cell/bias', 'dense/kernel'. */
  readonly path: string;
  readonly shape: readonly number[];
  /** Row-major values; length = product of `shape`. */
  readonly data: Float32Array;
}

/** The kind of file (or run) a WeightSet came from. */
export type WeightFormat =
  | 'keras'        // Keras 3 .keras archive (model.weights.h5)
  | 'h5'           // Keras 2 (or Keras 3 legacy) full-model .h5: model_config + model_weights
  | 'weights.h5'   // weights only: Keras 3 `.weights.h5` or Keras 2 `save_weights` HDF5
  | 'tfjs'         // TF.js model.json + .bin shards
  | 'browser';     // trained in the browser (the training worker)

export interface WeightSource {
  readonly format: WeightFormat;
  /** File name(s) as the user gave them. */
  readonly file?: string;
  /** The Keras version that wrote the file: '3.6.0', '2.1.6', 'tfjs-layers 4.22.0' (when the file says). */
  readonly kerasVersion?: string;
  /** The backend named in the file (Keras 2 h5 `backend` attribute, TF.js `generatedBy`). */
  readonly backend?: string;
  /** ISO date, when known (file metadata, or the moment a browser run ended). */
  readonly savedAt?: string;
}

export interface WeightSet {
  /** By layer name (the node's name), each layer's variables in Keras's `layer.weights` order. */
  readonly layers: { readonly [layer: string]: readonly WeightVariable[] };
  readonly source: WeightSource;
}

/** What one layer node needs. */
export interface LayerWeightSpec {
  readonly nodeId: string;
  /** The layer (node) name. */
  readonly layer: string;
  readonly kind: string;
  /** Variables with their full Keras paths (`<layer>/<path>`), in Keras's order. */
  readonly vars: readonly WeightSpec[];
}

/** Product of the sizes. */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Keras's shape notation for messages: (16, 64). */
export function shapeText(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

/** The input tensors of every node, aligned with its input ports. */
function inputsOf(graph: Graph, inf: GraphInference) {
  const into = new Map<string, Edge[]>();
  for (const e of graph.edges) into.set(e.target, [...(into.get(e.target) ?? []), e]);
  return (n: GraphNode) => {
    const ports = inf.node(n.id)?.inputs ?? [];
    const edges = into.get(n.id) ?? [];
    return ports.map((p) => {
      const e = edges.find((x) => x.targetPort === p.name);
      return e ? inf.edgeTensor(e) ?? undefined : undefined;
    });
  };
}

/**
 * The variables every layer node needs, in graph order (nodes whose kind has weights; a node whose
 * input shape is unknown gets no entry). Paths are full Keras paths: `<node name>/<spec path>`.
 */
export function weightSpecs(graph: Graph, inference: GraphInference = inferGraph(graph)): LayerWeightSpec[] {
  const inputs = inputsOf(graph, inference);
  const out: LayerWeightSpec[] = [];
  for (const n of graph.nodes) {
    const def = getLayer(n.kind);
    if (!def?.weights) continue;
    const r = resolveNode(n);
    if (r.problems.length) continue;
    let specs: readonly WeightSpec[] | null = null;
    try {
      specs = def.weights(r.params, inputs(n));
    } catch {
      specs = null;
    }
    if (!specs) continue;
    out.push({ nodeId: n.id, layer: n.name, kind: n.kind, vars: specs.map((s) => ({ ...s, path: `${n.name}/${s.path}` })) });
  }
  return out;
}

export type LayerMatch =
  | { readonly status: 'ok'; readonly vars: readonly WeightVariable[] }
  | { readonly status: 'missing' }
  | { readonly status: 'mismatch'; readonly message: string };

export interface WeightMatch {
  /** Per layer node id that has weights. */
  readonly byNode: ReadonlyMap<string, LayerMatch>;
  /** Layers of the set that no node of the graph has (by name). */
  readonly unused: readonly string[];
  /** One line per mismatched layer (counts or shapes), naming the layer and the variable. */
  readonly problems: readonly string[];
  /** Layer names with weights in the graph but none in the set (they keep fresh weights). */
  readonly missing: readonly string[];
}

/** Checks one layer's variables against what the node needs; null when they fit. */
export function checkLayerWeights(spec: LayerWeightSpec, vars: readonly WeightVariable[]): string | null {
  if (vars.length !== spec.vars.length) {
    return `${spec.layer}: the weights have ${vars.length} variable${vars.length === 1 ? '' : 's'}, the ${spec.kind} layer needs ${spec.vars.length} (${spec.vars.map((v) => v.name).join(', ')})`;
  }
  for (let k = 0; k < vars.length; k++) {
    const want = spec.vars[k].shape, got = vars[k].shape;
    if (want.length !== got.length || want.some((d, j) => d !== got[j])) {
      return `${spec.layer}: ${spec.vars[k].name} has shape ${shapeText(got)} in the weights, the layer needs ${shapeText(want)}`;
    }
    if (vars[k].data.length !== sizeOf(got)) {
      return `${spec.layer}: ${spec.vars[k].name} holds ${vars[k].data.length} values for shape ${shapeText(got)}`;
    }
  }
  return null;
}

/** Pairs a WeightSet with a graph's layers by name and checks counts and shapes. */
export function matchWeights(graph: Graph, ws: WeightSet, inference?: GraphInference): WeightMatch {
  const specs = weightSpecs(graph, inference);
  const byNode = new Map<string, LayerMatch>();
  const problems: string[] = [];
  const missing: string[] = [];
  const used = new Set<string>();
  for (const s of specs) {
    const vars = Object.prototype.hasOwnProperty.call(ws.layers, s.layer) ? ws.layers[s.layer] : undefined;
    if (!vars) {
      byNode.set(s.nodeId, { status: 'missing' });
      missing.push(s.layer);
      continue;
    }
    used.add(s.layer);
    const bad = checkLayerWeights(s, vars);
    if (bad) {
      byNode.set(s.nodeId, { status: 'mismatch', message: bad });
      problems.push(bad);
    } else byNode.set(s.nodeId, { status: 'ok', vars });
  }
  const unused = Object.keys(ws.layers).filter((l) => !used.has(l) && ws.layers[l].length > 0);
  return { byNode, unused, problems, missing };
}

/** Number of variables, values and bytes (float32) in a set. */
export function weightSetStats(ws: WeightSet): { layers: number; variables: number; values: number; bytes: number } {
  let variables = 0, values = 0, layers = 0;
  for (const vars of Object.values(ws.layers)) {
    if (vars.length) layers++;
    variables += vars.length;
    for (const v of vars) values += v.data.length;
  }
  return { layers, variables, values, bytes: values * 4 };
}

/** The set with one layer renamed (the editor renames a node): its variable paths follow. */
export function renameWeightLayer(ws: WeightSet, from: string, to: string): WeightSet {
  if (from === to || !Object.prototype.hasOwnProperty.call(ws.layers, from)) return ws;
  const layers: Record<string, readonly WeightVariable[]> = {};
  for (const [k, vars] of Object.entries(ws.layers)) {
    if (k === from) layers[to] = vars.map((v) => ({ ...v, path: v.path.startsWith(`${from}/`) ? `${to}/${v.path.slice(from.length + 1)}` : v.path }));
    else if (k !== to) layers[k] = vars;
  }
  return { ...ws, layers };
}

/** Only the layers whose names are in `keep`. */
export function pickWeightLayers(ws: WeightSet, keep: Iterable<string>): WeightSet {
  const names = new Set(keep);
  const layers: Record<string, readonly WeightVariable[]> = {};
  for (const [k, vars] of Object.entries(ws.layers)) if (names.has(k)) layers[k] = vars;
  return { ...ws, layers };
}

/**
 * A WeightSet built from a flat list in model order (Keras 2 h5 `weight_names`, TF.js manifests):
 * each layer takes as many variables as its spec needs, checked by shape. Used when a file names
 * its variables differently from Keras 3 (Keras 2.1's `lstm_1/kernel:0`).
 */
export function weightSetFromSpecs(
  specs: readonly LayerWeightSpec[], perLayer: ReadonlyMap<string, readonly { shape: readonly number[]; data: Float32Array }[]>, source: WeightSource,
): { ok: true; weights: WeightSet } | { ok: false; error: string } {
  const layers: Record<string, WeightVariable[]> = {};
  for (const s of specs) {
    const vals = perLayer.get(s.layer);
    if (!vals) continue;
    const vars = vals.map((v, k) => ({ path: s.vars[k]?.path ?? `${s.layer}/${k}`, shape: [...v.shape], data: v.data }));
    const bad = checkLayerWeights(s, vars);
    if (bad) return { ok: false, error: bad };
    layers[s.layer] = vars;
  }
  return { ok: true, weights: { layers, source } };
}
