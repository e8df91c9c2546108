/**
 * Reads Keras and TF.js model files into a graph: TF.js `model.json` (`modelTopology`, Keras 2
 * style), Keras 2 and Keras 3 `to_json()` and `.keras` `config.json`; Sequential and Functional;
 * `batch_input_shape` and `batch_shape`; both `inbound_nodes` forms (lists, and `args`/`kwargs` with
 * `__keras_tensor__`); `initial_state` as extra inbound tensors or kwargs; frozen layers. Output
 * nodes are added for the model outputs, with the file's losses when it has them. Never throws: a
 * layer outside the catalog or a broken file gives `{ ok: false, error }` naming the layer or field.
 *
 *   const r = importKerasModel(text);
 *   if (r.ok) summarize(r.graph, undefined, { as: r.sequential ? 'sequential' : 'functional' });
 */
import { getLayer, layerByKerasClass } from '../registry.ts';
import { uniqueName } from '../edit.ts';
import { resolveNode } from '../infer.ts';
import { LOSSES } from '../layers/output.ts';
import type { Edge, Graph, GraphNode, Params } from '../types.ts';
import type { KerasDict } from '../layers/define.ts';
import { KerasReadError, readLayerParams, readOptions, snake, type ReadOptions } from './config.ts';
import { layoutByDepth } from './layout.ts';
import { semanticDifferences } from './semantics.ts';
import { semanticsForVersion, SEMANTICS_PARAM, type KerasSemantics } from '../versions.ts';
import { messageText, parseJsonOnly, sanitizeJson } from '../json.ts';

export type ImportResult =
  | {
      ok: true; graph: Graph; name: string; sequential: boolean;
      /** Lines for the user: what was left out or kept but not used, and which Keras semantics apply. */
      warnings: string[];
      /** The Keras version the file names ('2.1.6', '3.6.0', 'tfjs-layers 4.22.0'), when it names one. */
      kerasVersion?: string;
      /** Keras 2 semantics apply (a Keras 2 or TF.js file): hard_sigmoid is clip(0.2x + 0.5, 0, 1). */
      keras2: boolean;
      /** The file's layer entries in `model.layers` order (Sequential without its InputLayer): for weight files. */
      layerOrder: readonly { readonly name: string; readonly className: string }[];
    }
  | { ok: false; error: string };

/** What the caller knows about the file besides its JSON (the container's metadata). */
export interface ImportOptions {
  /** From `.keras` metadata.json or the h5 `keras_version` attribute. */
  readonly kerasVersion?: string;
}

type Dict = Record<string, unknown>;
const isDict = (v: unknown): v is Dict => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A tensor reference: producing layer name and its output index. */
interface Ref {
  readonly layer: string;
  readonly node: number;
  readonly index: number;
}

interface Call {
  readonly main: Ref[];
  readonly states: Ref[];
}

function fail(msg: string): never {
  throw new KerasReadError(msg);
}

function asRef(v: unknown, where: string): Ref | null {
  if (isDict(v) && v.class_name === '__keras_tensor__') {
    const h = isDict(v.config) ? v.config.keras_history : undefined;
    if (!Array.isArray(h) || typeof h[0] !== 'string') fail(`${where}: a __keras_tensor__ without keras_history`);
    return { layer: h[0], node: Number(h[1] ?? 0), index: Number(h[2] ?? 0) };
  }
  if (Array.isArray(v) && typeof v[0] === 'string' && typeof v[1] === 'number' && typeof v[2] === 'number') {
    return { layer: v[0], node: v[1], index: v[2] };
  }
  return null;
}

/** Every tensor reference in a nested structure, in order. */
function refsIn(v: unknown, where: string): Ref[] {
  const r = asRef(v, where);
  if (r) return [r];
  if (Array.isArray(v)) return v.flatMap((x) => refsIn(x, where));
  return [];
}

/** One inbound node in either format → main tensors and initial states. */
function readCall(node: unknown, where: string): Call {
  if (isDict(node)) {
    // Keras 3: {args: [...], kwargs: {initial_state?, mask?, training?}}
    const kwargs = isDict(node.kwargs) ? node.kwargs : {};
    return { main: refsIn(node.args ?? [], where), states: refsIn(kwargs.initial_state ?? [], `${where}.initial_state`) };
  }
  if (!Array.isArray(node)) fail(`${where}: expected a list or an {args, kwargs} object`);
  // Keras 2 / TF.js: [[name, node_index, tensor_index, kwargs], ...]
  const main: Ref[] = [];
  const states: Ref[] = [];
  for (const entry of node) {
    const r = asRef(entry, where);
    if (!r) fail(`${where}: expected [layer_name, node_index, tensor_index, kwargs] entries`);
    main.push(r);
    const kw = Array.isArray(entry) && isDict(entry[3]) ? entry[3] : {};
    states.push(...refsIn(kw.initial_state ?? [], `${where}.initial_state`));
  }
  return { main, states };
}

/** The topology object and training config inside any supported wrapper. */
function unwrap(doc: Dict): { model: Dict; training: unknown } {
  if (isDict(doc.modelTopology)) {
    const topo = doc.modelTopology;
    const model = isDict(topo.model_config) ? topo.model_config : topo;
    return { model, training: topo.training_config ?? doc.training_config };
  }
  return { model: doc, training: isDict(doc.compile_config) ? doc.compile_config : doc.training_config };
}

function lossName(v: unknown): string | null {
  const raw = typeof v === 'string' ? v : isDict(v) && typeof v.class_name === 'string' ? v.class_name : null;
  if (!raw) return null;
  const s = snake(raw);
  const alias: Record<string, string> = { mse: 'mean_squared_error', mae: 'mean_absolute_error' };
  const name = alias[s] ?? s;
  return (LOSSES as readonly string[]).includes(name) ? name : null;
}

/**
 * The loss and loss weight of each output: from the file (`None` in a list or dict: no loss), or
 * a guess — no loss for a recurrent state output, else from the last activation.
 */
function losses(training: unknown, outputs: readonly { node: GraphNode; state: boolean }[], warnings: string[]): { loss: string; weight: number }[] {
  const loss = isDict(training) ? training.loss : undefined;
  const weights = isDict(training) ? training.loss_weights : undefined;
  const perOutput = (v: unknown, n: GraphNode, k: number) => (Array.isArray(v) ? v[k] : isDict(v) && !('class_name' in v) ? v[n.name] : v);
  return outputs.map(({ node: n, state }, k) => {
    const w = perOutput(weights, n, k);
    const weight = typeof w === 'number' && Number.isFinite(w) && w >= 0 ? w : 1;
    return { loss: lossOf(n, k, state), weight };
  });

  function lossOf(n: GraphNode, k: number, state: boolean): string {
    const v = perOutput(loss, n, k);
    const listed = Array.isArray(loss) || (isDict(loss) && !('class_name' in loss));
    if (v === null && listed) return 'none';
    if (v !== undefined && v !== null) {
      const l = lossName(v);
      if (l) return l;
      warnings.push(`loss ${JSON.stringify(v)} of output ${n.name} is not one Unroll offers; using a default`);
    }
    if (state) return 'none';
    const act = n.kind === 'TimeDistributed' ? (n.params.layer as { params: Params }).params.activation : n.params.activation;
    return act === 'softmax' ? 'sparse_categorical_crossentropy' : act === 'sigmoid' ? 'binary_crossentropy' : 'mean_squared_error';
  }
}

interface LayerRec {
  readonly node: GraphNode;
  readonly calls: Call[];
}

const OFFERED = ['InputLayer', 'Embedding', 'SimpleRNN', 'LSTM', 'GRU', 'Bidirectional', 'Dense', 'TimeDistributed', 'RepeatVector', 'Dropout', 'Masking', 'Activation', 'Flatten', 'Concatenate', 'Add', 'GlobalAveragePooling1D'];

/** The layer name and class of a config entry, or null when it is an operation Keras records (not_equal…). */
function entryName(entry: unknown, k: number): { name: string; className: string } | null {
  if (!isDict(entry) || typeof entry.class_name !== 'string') fail(`layers[${k}]: expected an object with class_name and config`);
  const cfg = isDict(entry.config) ? entry.config : {};
  const module = typeof entry.module === 'string' ? entry.module : '';
  if (module.startsWith('keras.src.ops')) return null; // a mask computation (not_equal, any…) Keras records
  return { name: typeof entry.name === 'string' ? entry.name : typeof cfg.name === 'string' ? cfg.name : `layer_${k}`, className: entry.class_name };
}

function readLayer(entry: unknown, k: number, opts: ReadOptions): LayerRec | 'op' {
  const id = entryName(entry, k);
  if (!id) return 'op';
  const { name } = id;
  const e = entry as Dict;
  const cfg = isDict(e.config) ? (e.config as KerasDict) : {};
  const def = layerByKerasClass(id.className)!;
  let params: Params;
  try {
    params = readLayerParams(def.kind, cfg, opts, name);
  } catch (err) {
    fail(`layer "${name}" (${id.className}): ${(err as Error).message}`);
  }
  if (cfg.trainable === false) params = { ...params, trainable: false };
  const entryInbound = e.inbound_nodes;
  const inbound = Array.isArray(entryInbound) ? entryInbound : [];
  const calls = inbound.map((n, j) => readCall(n, `layer "${name}" inbound_nodes[${j}]`)).filter((c) => c.main.length);
  if (calls.length > 1) fail(`layer "${name}" is called ${calls.length} times; Unroll does not support shared layers`);
  // Merge layers: one handle per input tensor.
  if ('n_inputs' in params && calls[0]) params = { ...params, n_inputs: calls[0].main.length };
  return { node: { id: `n${k + 1}`, kind: def.kind, name, params, position: { x: 0, y: 0 } }, calls };
}

/** Sequential: a chain; an InputLayer comes from the first layer's batch shape when missing. */
function sequentialLayers(model: Dict): unknown[] {
  const cfg = model.config;
  const list = Array.isArray(cfg) ? cfg : isDict(cfg) && Array.isArray(cfg.layers) ? cfg.layers : fail('config.layers: expected a list of layers');
  if (!list.length) fail('config.layers: the model has no layers');
  const first = list[0];
  const out: unknown[] = [...list];
  if (!isDict(first) || first.class_name !== 'InputLayer') {
    const fc = isDict(first) && isDict(first.config) ? first.config : {};
    const buildShape = isDict(cfg) ? cfg.build_input_shape : undefined;
    const batch = fc.batch_input_shape ?? fc.batch_shape ?? buildShape;
    if (!Array.isArray(batch)) fail('config.layers[0]: a Sequential model needs an InputLayer or a batch_input_shape on its first layer');
    out.unshift({ class_name: 'InputLayer', config: { batch_shape: batch, dtype: typeof fc.dtype === 'string' ? fc.dtype : 'float32', name: 'input_layer' } });
  }
  let prev: string | null = null;
  return out.map((l, k) => {
    const d = isDict(l) ? l : {};
    const c = isDict(d.config) ? d.config : {};
    const name = typeof c.name === 'string' ? c.name : `layer_${k}`;
    const entry = { ...d, name, inbound_nodes: prev ? [{ args: [{ class_name: '__keras_tensor__', config: { keras_history: [prev, 0, 0] } }], kwargs: {} }] : [] };
    prev = name;
    return entry;
  });
}

function outputRefs(v: unknown): Ref[] {
  const r = refsIn(v, 'output_layers');
  if (!r.length) fail('output_layers: expected [layer_name, node_index, tensor_index] references');
  return r;
}

/** The version a file names: Keras 2 `to_json()` and TF.js topologies carry `keras_version`. */
function namedVersion(doc: Dict): string | undefined {
  const topo = isDict(doc.modelTopology) ? doc.modelTopology : undefined;
  const v = doc.keras_version ?? topo?.keras_version ?? (isDict(topo?.model_config) ? (topo!.model_config as Dict).keras_version : undefined);
  return typeof v === 'string' ? v : undefined;
}

/** The Keras whose meaning a file has: from the version it names, else its format (versions.ts). */
function fileSemantics(version: string | undefined, tfjs: boolean, entries: readonly unknown[]): KerasSemantics {
  return semanticsForVersion(version, { tfjs, keras3Style: entries.some((e) => isDict(e) && typeof e.module === 'string') });
}

/** One line listing layer notes, grouped by what they say. */
function noteLine(prefix: string, items: readonly string[]): string[] {
  return items.length ? [`${prefix}: ${[...new Set(items)].join(', ')}`] : [];
}

/** Builds the graph from parsed JSON. Throws KerasReadError. */
function build(doc: unknown, o: ImportOptions): Omit<Extract<ImportResult, { ok: true }>, 'ok'> {
  if (!isDict(doc)) fail('expected a JSON object');
  const { model, training } = unwrap(doc);
  const cls = model.class_name;
  if (typeof cls !== 'string') fail('class_name: missing; expected Sequential or Functional');
  const sequential = cls === 'Sequential';
  if (!sequential && !['Functional', 'Model'].includes(cls)) fail(`class_name: ${cls} is not a Sequential or Functional model`);
  const cfg = isDict(model.config) ? model.config : {};
  const entries = sequential ? sequentialLayers(model) : Array.isArray(cfg.layers) ? cfg.layers : fail('config.layers: expected a list of layers');

  // Every class Unroll lacks, named in one message.
  const ids = entries.map((e, k) => entryName(e, k));
  const unknown = ids.filter((x): x is { name: string; className: string } => !!x && !layerByKerasClass(x.className));
  if (unknown.length) {
    const list = unknown.map((x) => `"${x.name}" (${x.className})`).join(', ');
    const classes = [...new Set(unknown.map((x) => x.className))];
    fail(`${unknown.length === 1 ? 'layer' : `${unknown.length} layers`} ${list} ${unknown.length === 1 ? 'uses a class' : `use ${classes.length === 1 ? 'a class' : 'classes'}`} Unroll does not have (it offers ${OFFERED.join(', ')})`);
  }

  const kerasVersion = o.kerasVersion ?? namedVersion(doc);
  const semantics = fileSemantics(kerasVersion, 'modelTopology' in doc, entries);
  const keras2 = semantics.hardSigmoid === 'clip';
  const opts = readOptions(kerasVersion, keras2);
  const warnings: string[] = [];
  const recs = new Map<string, LayerRec>();
  const ops = new Set<string>();
  entries.forEach((e, k) => {
    const r = readLayer(e, k, opts);
    if (r === 'op') ops.add(isDict(e) && typeof e.name === 'string' ? e.name : `op_${k}`);
    else if (recs.has(r.node.name)) fail(`layer "${r.node.name}" appears twice`);
    else recs.set(r.node.name, r);
  });
  if (ops.size) warnings.push(`mask operations ${[...ops].join(', ')} are left out: Unroll computes masks itself`);

  const edges: Edge[] = [];
  const portOf = (ref: Ref, where: string): { node: GraphNode; port: string } => {
    const src = recs.get(ref.layer);
    if (!src) fail(`${where}: refers to ${ops.has(ref.layer) ? `the operation "${ref.layer}", which is not a layer Unroll supports` : `no layer named "${ref.layer}"`}`);
    if (ref.node !== 0) fail(`${where}: node ${ref.node} of "${ref.layer}" (shared layers are not supported)`);
    const port = getLayer(src.node.kind)!.outputs(src.node.params)[ref.index];
    if (!port) fail(`${where}: "${ref.layer}" has no output ${ref.index}`);
    return { node: src.node, port: port.name };
  };
  const connect = (from: Ref, to: GraphNode, port: string, where: string) => {
    const s = portOf(from, where);
    edges.push({ id: `e${edges.length + 1}`, source: s.node.id, sourcePort: s.port, target: to.id, targetPort: port });
  };
  for (const { node, calls } of recs.values()) {
    const call = calls[0];
    if (!call) continue;
    const where = `layer "${node.name}"`;
    const ports = getLayer(node.kind)!.inputs(node.params);
    const mainPorts = ports.filter((p) => !p.group);
    const statePorts = ports.filter((p) => p.group);
    // Keras 2 passes initial states as extra inbound tensors after the sequence.
    const main = mainPorts.length === 1 ? call.main.slice(0, 1) : call.main;
    const states = [...(mainPorts.length === 1 ? call.main.slice(1) : []), ...call.states];
    if (main.length > mainPorts.length) fail(`${where}: takes ${mainPorts.length} input(s), got ${main.length}`);
    if (states.length && states.length !== statePorts.length) fail(`${where}: initial_state needs ${statePorts.length} tensor(s), got ${states.length}`);
    main.forEach((r, k) => connect(r, node, mainPorts[k].name, where));
    states.forEach((r, k) => connect(r, node, statePorts[k].name, `${where} initial_state`));
  }

  // The model's inputs in the file's order (input_layers), first; then the other layers in file order.
  const all = [...recs.values()].map((r) => r.node);
  const inputOrder = sequential ? [] : refsIn(cfg.input_layers, 'input_layers').map((r) => r.layer);
  const rank = (n: GraphNode) => (n.kind === 'Input' ? (inputOrder.indexOf(n.name) + 1 || inputOrder.length + 1) : Infinity);
  const inputs = all.filter((n) => n.kind === 'Input').sort((a, b) => rank(a) - rank(b));
  const nodes = [...inputs, ...all.filter((n) => n.kind !== 'Input')];

  // Outputs, with losses.
  const outs = sequential ? [{ layer: all[all.length - 1].name, node: 0, index: 0 }] : outputRefs(cfg.output_layers);
  const outSources = outs.map((r) => portOf(r, 'output_layers'));
  const lossList = losses(training, outSources.map((s) => ({ node: s.node, state: !!resolveNode(s.node).outputs.find((p) => p.name === s.port)?.state })), warnings);
  const taken = new Set(nodes.map((n) => n.name));
  outSources.forEach((s, k) => {
    const name = uniqueName('output', taken);
    taken.add(name);
    const o: GraphNode = { id: `n${entries.length + k + 1}`, kind: 'Output', name, params: { loss: lossList[k].loss, loss_weight: lossList[k].weight, expects: 'any' }, position: { x: 0, y: 0 } };
    nodes.push(o);
    edges.push({ id: `e${edges.length + 1}`, source: s.node.id, sourcePort: s.port, target: o.id, targetPort: 'input' });
  });

  // Notes: float ids cast by Embedding, inputs nothing reads, kept keys, Keras 2 semantics.
  const byId = new Map(nodes.map((n) => [n.id, n]));
  for (const e of edges) {
    const src = byId.get(e.source), dst = byId.get(e.target);
    if (src?.kind === 'Input' && src.params.dtype === 'float32' && dst?.kind === 'Embedding') {
      warnings.push(`${dst.name} takes float32 ids from ${src.name}: Keras casts them to integers inside Embedding, and so does Unroll`);
    }
  }
  for (const n of inputs) {
    if (!edges.some((e) => e.source === n.id)) warnings.push(`input ${n.name} feeds no layer: it stays one of the model's inputs, as in the file, and is ignored`);
  }
  warnings.push(...noteLine('kept, not used in the browser (written back on export)', opts.unused));
  warnings.push(...noteLine('kept as in the file (Unroll does not use these keys)', opts.unknown));
  // The nodes whose meaning depends on the Keras version follow the file's.
  if (semantics.id !== 'keras3') {
    for (const [k, n] of nodes.entries()) {
      if (getLayer(n.kind)?.params.some((s) => s.name === SEMANTICS_PARAM)) nodes[k] = { ...n, params: { ...n.params, [SEMANTICS_PARAM]: semantics.id } };
    }
  }
  const diffs = semanticDifferences({ nodes, edges });
  if (diffs.length) {
    const from = !kerasVersion ? 'a file without a version' : kerasVersion.startsWith('tfjs') ? kerasVersion : `Keras ${kerasVersion}`;
    const byNode = new Map<string, string[]>();
    for (const d of diffs) byNode.set(d.node, [...(byNode.get(d.node) ?? []), d.what]);
    warnings.push(`${semantics.label} semantics, as in the file (${from}): ${[...byNode].map(([n, w]) => `${n} ${w.join('; ')}`).join('; ')}`);
  }

  const layerOrder = ids.filter((x): x is { name: string; className: string } => !!x)
    .filter((x, k) => !(sequential && k === 0 && x.className === 'InputLayer'));
  const name = typeof cfg.name === 'string' ? cfg.name : sequential ? 'sequential' : 'functional';
  return { graph: layoutByDepth({ nodes, edges }), name, sequential, warnings, kerasVersion, keras2, layerOrder };
}

/** Imports a Keras or TF.js model file's text. */
export function importKerasModel(text: string, o: ImportOptions = {}): ImportResult {
  const j = parseJsonOnly(text);
  if (!j.ok) return { ok: false, error: `not a Keras or TF.js model: ${j.error}` };
  return importKerasJson(j.value, o);
}

/** Imports already-parsed JSON. */
export function importKerasJson(doc: unknown, o: ImportOptions = {}): ImportResult {
  // Depth first (the reader below recurses into nested structures); keys naming prototype slots are dropped.
  const safe = sanitizeJson(doc);
  if (!safe.ok) return { ok: false, error: `not a Keras or TF.js model: ${safe.error}` };
  try {
    const r = build(doc, o);
    return { ok: true, ...r, warnings: [...safe.removed.map((p) => `${p}: key ignored (it names an object prototype slot)`), ...r.warnings] };
  } catch (e) {
    return { ok: false, error: messageText(e instanceof KerasReadError ? e.message : `could not read the model: ${(e as Error)?.message ?? e}`) };
  }
}
