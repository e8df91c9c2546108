/**
 * A `CompiledModel` view of a TF.js model that was compiled from a graph earlier (the training
 * worker keeps only the LayersModel of a run): layers are found by their names (node names), and
 * each port's symbolic tensor is the layer's output at the port's index.
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { GraphInference } from '../../core/infer.ts';
import type { TfSymbolic } from '../../core/layers/tfjs.ts';
import type { Graph } from '../../core/types.ts';
import type { CompiledModel, ModelOutput } from '../compile.ts';

export function compiledFromModel(model: tfjs.LayersModel, graph: Graph, inference: GraphInference): CompiledModel {
  const byName = new Map(model.layers.map((l) => [l.name, l]));
  const layers = new Map<string, tfjs.layers.Layer>();
  for (const n of graph.nodes) {
    const l = byName.get(n.name);
    if (l && n.kind !== 'Output') layers.set(n.id, l);
  }
  const idOf = new Map(graph.nodes.map((n) => [n.name, n.id]));
  const inputs = model.inputs.map((t) => {
    const id = idOf.get(t.sourceLayer.name);
    if (!id) throw new Error(`The model's input ${t.sourceLayer.name} is not a node of this graph.`);
    return id;
  });
  const outputs: ModelOutput[] = [];
  for (const n of graph.nodes) {
    if (n.kind !== 'Output') continue;
    const e = graph.edges.find((x) => x.target === n.id);
    if (e) outputs.push({ nodeId: e.source, port: e.sourcePort, outputNodeId: n.id });
  }
  const tensor = (id: string, port: string): TfSymbolic | undefined => {
    const layer = layers.get(id);
    const k = inference.node(id)?.outputs.findIndex((p) => p.name === port) ?? -1;
    if (!layer || k < 0) return undefined;
    const out = layer.output as TfSymbolic | TfSymbolic[];
    return Array.isArray(out) ? out[k] : k === 0 ? out : undefined;
  };
  return { model, inputs, outputs, layers, tensor };
}

export { modelSignature as graphKey, sameModel } from '../../core/signature.ts';
