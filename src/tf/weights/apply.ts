/**
 * A WeightSet (src/core/weights.ts) into a compiled TF.js model, and out of one. TF.js layers keep
 * Keras's variable order and shapes (Unroll's GRU, LSTM and SimpleRNN: kernel, recurrent_kernel,
 * bias; Bidirectional: forward then backward; TimeDistributed: the inner layer's), so a layer's
 * `weights` line up one to one with core's `weightSpecs`; every shape is checked on the way.
 *
 *   const c = compileGraph(tf, graph);
 *   const r = applyWeights(tf, c, graph, ws);        // { applied, missing, unused, problems }
 *   const out = extractWeights(tf, c, graph, { format: 'browser' });
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { TF, TfLayer } from '../../core/layers/tfjs.ts';
import type { Graph } from '../../core/types.ts';
import { checkLayerWeights, matchWeights, shapeText, weightSpecs, type WeightSet, type WeightSource, type WeightVariable } from '../../core/weights.ts';
import { tfLayerNames, type CompiledModel } from '../compile.ts';

export interface ApplyResult {
  /** Layer names whose weights were set. */
  readonly applied: readonly string[];
  /** Layers of the model the set has nothing for (they keep their fresh weights). */
  readonly missing: readonly string[];
  /** Layers of the set the model does not have. */
  readonly unused: readonly string[];
  /** Layers whose weights did not fit (they keep their fresh weights), one line each. */
  readonly problems: readonly string[];
}

/** Thrown by `applyWeights(..., { strict: true })`: the first problem, in one line. */
export class WeightsError extends Error {}

/** The layers of a graph's nodes in a model compiled from it (layer names are node names). */
export function layersOf(model: tfjs.LayersModel, graph: Graph): Pick<CompiledModel, 'layers'> {
  const names = new Set(model.layers.map((l) => l.name));
  const tfNames = tfLayerNames(graph);
  const layers = new Map<string, TfLayer>();
  for (const n of graph.nodes) {
    const name = tfNames.get(n.id)!;
    if (names.has(name)) layers.set(n.id, model.getLayer(name));
  }
  return { layers };
}

function sameShape(a: readonly (number | null)[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, k) => d === b[k]);
}

/**
 * Sets the weights of every built layer the set has, by layer name. Layers that do not fit keep
 * their weights and are listed in `problems`; with `strict`, any problem, missing or unused layer
 * throws a WeightsError instead (the command line: the file must fit the model exactly).
 */
export function applyWeights(
  tf: TF, compiled: Pick<CompiledModel, 'layers'>, graph: Graph, ws: WeightSet, opts: { strict?: boolean } = {},
): ApplyResult {
  const m = matchWeights(graph, ws);
  const built = new Set(compiled.layers.keys());
  const names = new Map(graph.nodes.map((n) => [n.id, n.name]));
  const applied: string[] = [];
  const problems = [...m.problems];
  const missing = m.missing.filter((l) => graph.nodes.some((n) => n.name === l && built.has(n.id)));
  if (opts.strict) {
    if (problems.length) throw new WeightsError(problems[0]);
    if (missing.length) throw new WeightsError(`the weights have nothing for layer${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
    if (m.unused.length) throw new WeightsError(`the weights have layer${m.unused.length > 1 ? 's' : ''} ${m.unused.join(', ')} that the model does not have`);
  }
  for (const [nodeId, match] of m.byNode) {
    if (match.status !== 'ok') continue;
    const layer = compiled.layers.get(nodeId);
    if (!layer) continue; // not on a path to an Output: not built
    const name = names.get(nodeId)!;
    const vars = layer.weights;
    if (vars.length !== match.vars.length) {
      const msg = `${name}: the TF.js layer has ${vars.length} variables, the weights ${match.vars.length}`;
      if (opts.strict) throw new WeightsError(msg);
      problems.push(msg);
      continue;
    }
    const bad = vars.findIndex((v, k) => !sameShape(v.shape, match.vars[k].shape));
    if (bad >= 0) {
      const msg = `${name}: ${match.vars[bad].path} is ${shapeText(match.vars[bad].shape)}, the TF.js variable ${vars[bad].name} is ${shapeText(vars[bad].shape as number[])}`;
      if (opts.strict) throw new WeightsError(msg);
      problems.push(msg);
      continue;
    }
    const tensors = match.vars.map((v) => tf.tensor(v.data, [...v.shape], 'float32'));
    try {
      layer.setWeights(tensors);
    } finally {
      tf.dispose(tensors);
    }
    applied.push(name);
  }
  return { applied, missing, unused: m.unused, problems };
}

/** The current weights of every built layer, with Keras's paths (values copied out of TF.js). */
export function extractWeights(_tf: TF, compiled: Pick<CompiledModel, 'layers'>, graph: Graph, source: WeightSource): WeightSet {
  const layers: Record<string, WeightVariable[]> = {};
  for (const spec of weightSpecs(graph)) {
    const layer = compiled.layers.get(spec.nodeId);
    if (!layer) continue;
    const values: tfjs.Tensor[] = layer.getWeights();
    const vars = values.map((t, k): WeightVariable => ({
      path: spec.vars[k]?.path ?? `${spec.layer}/${layer.weights[k]?.name ?? k}`,
      shape: [...t.shape],
      data: Float32Array.from(t.dataSync() as Float32Array),
    }));
    const bad = checkLayerWeights(spec, vars);
    if (bad) throw new WeightsError(`cannot read the weights of ${spec.layer} in Keras's layout: ${bad}`);
    layers[spec.layer] = vars;
  }
  return { layers, source };
}
