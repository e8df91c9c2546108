/**
 * Runs a graph with given weights on given inputs, the way `unroll predict` and the app's "call the
 * model" do: compile (Unroll's TF.js classes, Keras 3 semantics), set the weights (every layer must
 * fit: strict), predict, and hand back one nested array per model output, in output order.
 *
 *   const r = await predictGraph(tf, graph, weights, inputs);   // inputs from core/inputs.ts
 *   if (r.ok) r.outputs                                           // number[][]… per output
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { ModelInput } from '../core/inputs.ts';
import type { TF } from '../core/layers/tfjs.ts';
import type { Graph } from '../core/types.ts';
import type { WeightSet } from '../core/weights.ts';
import { compileGraph, GraphError } from './compile.ts';
import { applyWeights, WeightsError } from './weights/apply.ts';

export type Nested = number | Nested[];

export type PredictResult = { ok: true; outputs: Nested[] } | { ok: false; error: string };

export async function predictGraph(tf: TF, graph: Graph, weights: WeightSet | null, inputs: readonly ModelInput[]): Promise<PredictResult> {
  let compiled;
  try {
    compiled = compileGraph(tf, graph);
  } catch (e) {
    if (e instanceof GraphError) return { ok: false, error: e.message.split('\n').slice(0, 2).join(' ') };
    return { ok: false, error: `the model cannot be built: ${(e as Error).message}` };
  }
  const xs: tfjs.Tensor[] = [];
  try {
    if (weights) applyWeights(tf, compiled, graph, weights, { strict: true });
    const byName = new Map(inputs.map((x) => [x.name, x]));
    for (const id of compiled.inputs) {
      const name = graph.nodes.find((n) => n.id === id)!.name;
      const x = byName.get(name);
      if (!x) return { ok: false, error: `no values for input ${name}` };
      xs.push(tf.tensor(x.values, [...x.shape], x.dtype));
    }
    const y = compiled.model.predict(xs) as tfjs.Tensor | tfjs.Tensor[];
    const ys = Array.isArray(y) ? y : [y];
    const outputs = ys.map((t) => t.arraySync() as Nested);
    tf.dispose(ys);
    return { ok: true, outputs };
  } catch (e) {
    if (e instanceof WeightsError) return { ok: false, error: e.message };
    return { ok: false, error: `the model could not run: ${(e as Error).message.split('\n')[0]}` };
  } finally {
    tf.dispose(xs);
    compiled.model.dispose();
  }
}
