/**
 * Keras 3 `model.to_json()` of a graph's functional model, as Keras 3.16 writes it
 * (functional.py `get_config`, serialization_lib `serialize_keras_object`): layers in Keras's order
 * (by depth from the outputs, then first visit), each with its full config, `build_config` and
 * `inbound_nodes` in the `args`/`kwargs` form with `__keras_tensor__` references. Output nodes are
 * not layers: the tensors feeding them are the model outputs, in Output-node order.
 *
 *   const r = toKerasModel(graph, { name: 'sentiment' });
 *   if (r.ok) fs.writeFileSync('model.json', r.text);
 */
import { getLayer } from '../registry.ts';
import { inferGraph, keras3Name, type GraphInference } from '../infer.ts';
import { LOSSES } from '../layers/output.ts';
import type { TrainingSettings } from '../project.ts';
import type { Edge, Graph, GraphNode } from '../types.ts';
import type { KerasDict, KerasJson } from '../layers/define.ts';
import { KerasWriteError, layerObject } from './config.ts';
import { olderSemantics, semanticDifferences } from './semantics.ts';
import { depthFirst } from '../walk.ts';

export interface ExportOptions {
  readonly name?: string;
  /** Optimizer, learning rate and metrics for `compile_config` (project defaults when absent). */
  readonly training?: Partial<TrainingSettings>;
}

export type ExportResult = { ok: true; json: KerasDict; text: string } | { ok: false; error: string };

/** A tensor of the model: the node producing it and the output port. */
export interface TensorRef {
  readonly node: GraphNode;
  readonly port: string;
}

/** The functional model a graph describes: its inputs, its outputs (with losses) and its layer nodes. */
export interface ModelView {
  readonly inputs: readonly GraphNode[];
  /** `loss` is a loss name or 'none' (Keras `None`: not trained); `weight` is its loss weight. */
  readonly outputs: readonly { tensor: TensorRef; loss: string; weight: number; outputNode: GraphNode }[];
  /** Layer nodes in Keras's `model.layers` order. */
  readonly layers: readonly GraphNode[];
  /** Incoming edges of a node, by its input-port order. */
  inbound(node: GraphNode): Edge[];
  /** Nodes by id. */
  readonly byId: ReadonlyMap<string, GraphNode>;
  readonly inference: GraphInference;
}

/** The graph as a Keras functional model, or a message saying why it is not one. */
export function modelView(graph: Graph, inference: GraphInference = inferGraph(graph)): ModelView | string {
  const firstError = inference.issues.find((i) => i.severity === 'error');
  if (firstError) {
    const n = graph.nodes.find((x) => x.id === firstError.nodeId);
    return `the graph has errors; fix them first (${n ? `${n.name}: ` : ''}${firstError.message})`;
  }
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const into = new Map<string, Edge[]>();
  for (const e of graph.edges) {
    const l = into.get(e.target);
    if (l) l.push(e);
    else into.set(e.target, [e]);
  }
  const inboundCache = new Map<string, Edge[]>();
  const inbound = (n: GraphNode): Edge[] => {
    const known = inboundCache.get(n.id);
    if (known) return known;
    const ports = inference.node(n.id)?.inputs ?? [];
    const idx = (p: string) => ports.findIndex((x) => x.name === p);
    const r = (into.get(n.id) ?? []).filter((e) => idx(e.targetPort) >= 0).sort((a, b) => idx(a.targetPort) - idx(b.targetPort));
    inboundCache.set(n.id, r);
    return r;
  };
  const outputs = graph.nodes.filter((n) => n.kind === 'Output').map((o) => {
    const e = inbound(o)[0];
    return { tensor: { node: byId.get(e.source)!, port: e.sourcePort }, loss: String(o.params.loss ?? LOSSES[0]), weight: typeof o.params.loss_weight === 'number' ? o.params.loss_weight : 1, outputNode: o };
  });
  if (!outputs.length) return 'the graph has no Output node';

  // functional.py map_graph: DFS from the outputs records first visits; depth = longest path to an output.
  const { pre, post } = depthFirst(outputs.map((o) => o.tensor.node), (n) => inbound(n).map((e) => byId.get(e.source)!));
  const firstVisit = new Map(pre.map((n, k) => [n.id, k]));
  const done = new Set(post.map((n) => n.id));
  const depth = new Map<string, number>();
  for (const n of [...post].reverse()) {
    const d = depth.get(n.id) ?? 0;
    depth.set(n.id, d);
    for (const e of inbound(n)) depth.set(e.source, Math.max(depth.get(e.source) ?? 0, d + 1));
  }
  const layers = [...post].sort((a, b) => depth.get(b.id)! - depth.get(a.id)! || firstVisit.get(a.id)! - firstVisit.get(b.id)!);
  // Every Input is a model input, in graph order, also one that feeds nothing: map_graph gives an
  // unused InputLayer depth 0 and traversal index -1, so it comes first among the depth-0 layers.
  const inputs = graph.nodes.filter((n) => n.kind === 'Input');
  const unused = inputs.filter((n) => !done.has(n.id));
  const at = layers.findIndex((n) => depth.get(n.id) === 0);
  const ordered = unused.length ? [...layers.slice(0, at < 0 ? layers.length : at), ...unused, ...layers.slice(at < 0 ? layers.length : at)] : layers;
  return { inputs, outputs, layers: ordered, inbound, byId, inference };
}

/** Index of a port among a node's outputs (Keras's tensor index). */
export function tensorIndex(view: ModelView, ref: TensorRef): number {
  return view.inference.node(ref.node.id)!.outputs.findIndex((p) => p.name === ref.port);
}

function kerasTensor(view: ModelView, ref: TensorRef): KerasDict {
  const t = view.inference.tensor(ref.node.id, ref.port)!;
  return {
    class_name: '__keras_tensor__',
    config: { shape: [...t.shape], dtype: t.dtype, keras_history: [ref.node.name, 0, tensorIndex(view, ref)] },
  };
}

/** How a node is called: the main input, merge inputs, and initial states (ports in a group). */
export function callArgs(view: ModelView, n: GraphNode): { main: TensorRef[]; merge: boolean; states: TensorRef[] } {
  const ports = view.inference.node(n.id)!.inputs;
  const refs = view.inbound(n).map((e) => ({ ref: { node: view.byId.get(e.source)!, port: e.sourcePort }, port: ports.find((p) => p.name === e.targetPort)! }));
  const merge = ports.length > 0 && ports.every((p) => p.name.startsWith('input_'));
  return {
    main: refs.filter((r) => !r.port.group).map((r) => r.ref),
    merge,
    states: refs.filter((r) => r.port.group).map((r) => r.ref),
  };
}

function shapeOf(view: ModelView, ref: TensorRef): KerasJson {
  return [...view.inference.tensor(ref.node.id, ref.port)!.shape];
}

function layerEntry(view: ModelView, n: GraphNode): KerasDict {
  const def = getLayer(n.kind)!;
  const { main, merge, states } = callArgs(view, n);
  const trainable = n.params.trainable !== false;
  if (!main.length) return { ...layerObject(n.kind, n.params, n.name, null, trainable), name: n.name, inbound_nodes: [] };
  const args: KerasJson[] = merge ? [main.map((r) => kerasTensor(view, r))] : [kerasTensor(view, main[0])];
  const kwargs: Record<string, KerasJson> = {};
  if (states.length) kwargs.initial_state = states.map((r) => kerasTensor(view, r));
  else if (def.keras?.callMask) kwargs.mask = null;
  const inputShape: KerasJson = merge ? main.map((r) => shapeOf(view, r)) : shapeOf(view, main[0]);
  const build: KerasDict = states.length
    ? { shapes_dict: { sequences_shape: inputShape, initial_state_shape: states.map((r) => shapeOf(view, r)) } }
    : { input_shape: inputShape };
  return {
    ...layerObject(n.kind, n.params, n.name, inputShape, trainable, build),
    name: n.name,
    inbound_nodes: [{ args, kwargs }],
  };
}

/** Keras's `input_layers` / `output_layers`: one reference, or a list when there are several. */
function refs(view: ModelView, list: readonly TensorRef[]): KerasJson {
  const one = (r: TensorRef): KerasJson => [r.node.name, 0, tensorIndex(view, r)];
  return list.length === 1 ? one(list[0]) : list.map(one);
}

const DEFAULT_LR: Record<string, number> = { adam: 0.001, sgd: 0.01, rmsprop: 0.001, adagrad: 0.001 };
const OPTIMIZER_CLASS: Record<string, string> = { adam: 'Adam', sgd: 'SGD', rmsprop: 'RMSprop', adagrad: 'Adagrad' };

/** `compile_config` as `model.compile(optimizer, loss, metrics)` records it. */
function compileConfig(view: ModelView, t: Partial<TrainingSettings> = {}): KerasDict {
  const opt = t.optimizer ?? 'adam';
  const lr = t.learning_rate ?? DEFAULT_LR[opt];
  const optimizer: KerasJson = lr === DEFAULT_LR[opt]
    ? opt
    : { module: 'keras.optimizers', class_name: OPTIMIZER_CLASS[opt], config: { name: opt, learning_rate: lr }, registered_name: null };
  const losses = view.outputs.map((o) => (o.loss === 'none' ? null : o.loss));
  const weights = view.outputs.map((o) => o.weight);
  return {
    optimizer,
    loss: losses.length === 1 ? losses[0] : losses,
    loss_weights: weights.every((w) => w === 1) ? null : weights,
    metrics: [...(t.metrics ?? ['accuracy'])],
    weighted_metrics: null,
    run_eagerly: false,
    steps_per_execution: 1,
    jit_compile: 'auto',
  };
}

/** The graph with every layer named as Keras 3 allows ("/" → "_", kept unique). */
export function keras3Graph(graph: Graph): Graph {
  if (!graph.nodes.some((n) => n.name.includes('/'))) return graph;
  const taken = new Set(graph.nodes.map((n) => n.name));
  return {
    ...graph,
    nodes: graph.nodes.map((n) => {
      if (!n.name.includes('/')) return n;
      let name = keras3Name(n.name);
      for (let k = 1; taken.has(name); k++) name = `${keras3Name(n.name)}_${k}`;
      taken.add(name);
      return { ...n, name };
    }),
  };
}

/** The Keras 3 JSON object of the model (what `json.loads(model.to_json())` gives, compiled). */
export function toKerasJson(graph: Graph, opts: ExportOptions = {}): { ok: true; json: KerasDict } | { ok: false; error: string } {
  // Older Keras meanings a Keras 3 file cannot hold (hard_sigmoid: config.ts says so per layer).
  const older = semanticDifferences(graph).filter((d) => !d.key.endsWith('activation'));
  if (older.length) {
    const list = older.map((d) => `${d.node} ${d.key}`).join(', ');
    return { ok: false, error: `the model keeps ${olderSemantics(graph).map((s) => s.label).join(', ')} meanings that Keras 3 does not have (convert it to Keras 3 semantics first, outputs may change: --keras3 on the command line, "Use Keras 3 semantics" in the app): ${list}` };
  }
  try {
    return kerasJson(keras3Graph(graph), opts);
  } catch (e) {
    if (e instanceof KerasWriteError) return { ok: false, error: e.message };
    throw e;
  }
}

function kerasJson(graph: Graph, opts: ExportOptions): { ok: true; json: KerasDict } | { ok: false; error: string } {
  const view = modelView(graph);
  if (typeof view === 'string') return { ok: false, error: view };
  const config: KerasDict = {
    name: opts.name ?? 'functional',
    trainable: true,
    layers: view.layers.map((n) => layerEntry(view, n)),
    input_layers: refs(view, view.inputs.map((n) => ({ node: n, port: 'output' }))),
    output_layers: refs(view, view.outputs.map((o) => o.tensor)),
  };
  return {
    ok: true,
    json: {
      module: 'keras.src.models.functional',
      class_name: 'Functional',
      config,
      registered_name: 'Functional',
      build_config: { input_shape: null },
      compile_config: compileConfig(view, opts.training),
    },
  };
}

/** `toKerasJson` as text (indented, stable key order). */
export function toKerasModel(graph: Graph, opts: ExportOptions = {}): ExportResult {
  const r = toKerasJson(graph, opts);
  return r.ok ? { ok: true, json: r.json, text: JSON.stringify(r.json, null, 2) + '\n' } : r;
}
