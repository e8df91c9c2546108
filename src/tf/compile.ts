/**
 * Graph → TF.js functional model. Core inference decides validity, order and which inputs carry a
 * Keras mask; each node's layer definition builds its TF.js layer (`def.build`, see
 * src/core/layers/tfjs.ts) with Unroll's kit; this file only wires tensors along the edges.
 *
 *   const { model, inputs, outputs } = compileGraph(tf, graph);
 *   model.predict(inputs.map(id => feeds[id]));   // one tensor per Input node, in `inputs` order
 *
 * Layer names are node names (`tfLayerNames` where TF.js refuses one). Nodes that feed no Output are
 * not built (core warns about them), except Inputs: every Input is a model input.
 */
import type * as tfjs from '@tensorflow/tfjs';
import { Inferencer, resolveNode, type GraphInference } from '../core/infer.ts';
import { getLayer } from '../core/registry.ts';
import type { TF, TfLayer, TfSymbolic } from '../core/layers/tfjs.ts';
import type { Edge, Graph, Issue } from '../core/types.ts';
import { tfjsKit, type KitOptions } from './kit.ts';
import { buildProblem, modelSize } from '../core/size.ts';

export interface ModelOutput {
  /** The node whose output port feeds the Output marker. */
  readonly nodeId: string;
  readonly port: string;
  /** The Output marker node (carries the loss). */
  readonly outputNodeId: string;
}

export interface CompiledModel {
  readonly model: tfjs.LayersModel;
  /** Input node ids in the order of `model.inputs`. */
  readonly inputs: readonly string[];
  /** One per `model.outputs[i]`, in the graph order of the Output nodes. */
  readonly outputs: readonly ModelOutput[];
  /** The TF.js layer of every built node, by node id. */
  readonly layers: ReadonlyMap<string, TfLayer>;
  /** The symbolic tensor at an output port of a built node. */
  tensor(nodeId: string, port: string): TfSymbolic | undefined;
  /**
   * Applies a built node's layer again to other symbolic inputs (aligned with its input ports),
   * sharing its weights: how inference models are made (src/tf/train/inference.ts).
   */
  reapply?(nodeId: string, inputs: readonly (TfSymbolic | undefined)[]): TfSymbolic[];
}

/** Thrown for graphs that core inference finds errors in; `issues` lists them. */
export class GraphError extends Error {
  constructor(readonly issues: readonly Issue[], names: ReadonlyMap<string, string>) {
    const lines = issues.slice(0, 5).map((i) => `${i.nodeId ? `${names.get(i.nodeId) ?? i.nodeId}: ` : ''}${i.message}`);
    const more = issues.length > 5 ? `\n… and ${issues.length - 5} more` : '';
    super(`The model cannot be built: the graph has ${issues.length} error${issues.length === 1 ? '' : 's'}.\n${lines.join('\n')}${more}`);
    this.name = 'GraphError';
  }
}

const key = (id: string, port: string) => `${id}\u0000${port}`;

/**
 * TF.js layer names for a graph's nodes: the node name where TF.js accepts it (letters, digits,
 * `_ . - /`, not starting with `_ . - /`), else the nearest name it does (Keras takes any name, e.g.
 * "1st layer"; TF.js throws "Not a valid tensor name"), unique in the model.
 */
export function tfLayerNames(graph: Graph): Map<string, string> {
  const out = new Map<string, string>();
  const taken = new Set<string>();
  for (const n of graph.nodes) {
    let base = n.name.replace(/[^-A-Za-z0-9._/]/g, '_');
    if (!/^[A-Za-z0-9]/.test(base)) base = `l${base}`;
    let name = base;
    for (let k = 1; taken.has(name); k++) name = `${base}_${k}`;
    taken.add(name);
    out.set(n.id, name);
  }
  return out;
}

/** Node ids from which some Output node can be reached (Outputs included). */
function feedingOutputs(graph: Graph): Set<string> {
  const incoming = new Map<string, string[]>();
  for (const e of graph.edges) {
    const l = incoming.get(e.target);
    if (l) l.push(e.source);
    else incoming.set(e.target, [e.source]);
  }
  const seen = new Set(graph.nodes.filter((n) => n.kind === 'Output').map((n) => n.id));
  const stack = [...seen];
  while (stack.length) {
    for (const s of incoming.get(stack.pop()!) ?? []) {
      if (!seen.has(s)) {
        seen.add(s);
        stack.push(s);
      }
    }
  }
  return seen;
}

/** Options of compileGraph: `recurrent: 'stock'` runs TF.js's own RNN loop instead of the fused op. */
export type CompileOptions = KitOptions;

/**
 * Builds the TF.js model of a graph. Throws GraphError when core finds errors, and Error when a
 * kind has no TF.js build hook. Pass `inference` to reuse a result the caller already has.
 */
export function compileGraph(tf: TF, graph: Graph, inference?: GraphInference, options: CompileOptions = {}): CompiledModel {
  const inf = inference ?? new Inferencer().run(graph);
  if (inf.hasErrors) {
    throw new GraphError(inf.issues.filter((i) => i.severity === 'error'), new Map(graph.nodes.map((n) => [n.id, n.name])));
  }
  // A model whose weights cannot be held here is refused before anything is allocated (contract 3).
  const tooLarge = buildProblem(modelSize(graph, inf));
  if (tooLarge) throw new ModelSizeError(tooLarge);
  // A build that fails halfway (out of memory, a layer TF.js refuses) frees what it allocated.
  const before = new Set(Object.keys(tf.engine().registeredVariables));
  try {
    // Inside tidy: TF.js's initializers leave intermediate tensors behind (LSTM's unit_forget_bias
    // concatenates zeros and ones: 4 tensors a cell, never freed). Weights are variables and tensors
    // the model holds on to are reachable from the result, so both are kept.
    return tf.tidy(() => buildModel(tf, graph, inf, options) as unknown as tfjs.TensorContainer) as unknown as CompiledModel;
  } catch (e) {
    const vars = tf.engine().registeredVariables;
    for (const name of Object.keys(vars)) {
      if (before.has(name)) continue;
      try {
        vars[name].dispose();
      } catch {
        // already gone
      }
    }
    throw e;
  }
}

/** Too large to build here: the message says how large and what to do. */
export class ModelSizeError extends Error {}

function buildModel(tf: TF, graph: Graph, inf: GraphInference, options: CompileOptions): CompiledModel {
  const kit = tfjsKit(tf, options);
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const into = new Map<string, Edge>();
  for (const e of graph.edges) into.set(key(e.target, e.targetPort), e);
  const needed = feedingOutputs(graph);
  // Every Input is a model input (Keras keeps an input that feeds nothing).
  for (const n of graph.nodes) if (n.kind === 'Input') needed.add(n.id);
  const names = tfLayerNames(graph);
  const tensors = new Map<string, TfSymbolic>();
  const layers = new Map<string, TfLayer>();
  const inputIds: string[] = [];
  const appliers = new Map<string, (xs: readonly (TfSymbolic | undefined)[]) => TfSymbolic[]>();

  for (const id of inf.order) {
    const node = byId.get(id)!;
    if (node.kind === 'Output' || !needed.has(id)) continue;
    const def = getLayer(node.kind);
    if (!def?.build) throw new Error(`${node.name}: Unroll cannot build a ${node.kind} layer in TF.js yet`);
    const info = inf.node(id)!;
    const edges = info.inputs.map((p) => into.get(key(id, p.name)));
    const built = def.build(tf, resolveNode(node).params, {
      name: names.get(id)!,
      kit,
      inputs: edges.map((e) => (e ? inf.edgeTensor(e) ?? undefined : undefined)),
    });
    const ys = built.apply(edges.map((e) => (e ? tensors.get(key(e.source, e.sourcePort)) : undefined)));
    if (ys.length !== info.outputs.length) {
      throw new Error(`${node.name}: TF.js gave ${ys.length} outputs where Unroll expects ${info.outputs.length}`);
    }
    info.outputs.forEach((p, k) => tensors.set(key(id, p.name), ys[k]));
    layers.set(id, built.layer);
    appliers.set(id, built.apply);
    if (node.kind === 'Input') inputIds.push(id);
  }

  const outputs: ModelOutput[] = [];
  for (const n of graph.nodes) {
    if (n.kind !== 'Output') continue;
    const e = into.get(key(n.id, 'input'))!;
    outputs.push({ nodeId: e.source, port: e.sourcePort, outputNodeId: n.id });
  }
  // Graph order for the model's inputs, as the exporter lists them.
  const order = new Map(graph.nodes.map((n, k) => [n.id, k]));
  inputIds.sort((a, b) => order.get(a)! - order.get(b)!);
  const model = tf.model({
    inputs: inputIds.map((id) => tensors.get(key(id, 'output'))!),
    outputs: outputs.map((o) => tensors.get(key(o.nodeId, o.port))!),
  });
  const reapply = (id: string, xs: readonly (TfSymbolic | undefined)[]): TfSymbolic[] => {
    const f = appliers.get(id);
    if (!f) throw new Error(`node ${id} was not built`);
    return f(xs);
  };
  return { model, inputs: inputIds, outputs, layers, tensor: (id, port) => tensors.get(key(id, port)), reapply };
}
