/**
 * The lesson's inference models for an encoder–decoder graph, built from the trained layers:
 *
 *   encoder_model = Model(encoder_inputs, encoder_states)
 *   decoder_model = Model([decoder_inputs, *state_inputs], decoder_outputs)
 *
 * The encoder part is every node that does not depend on the decoder's Input; what it hands to the
 * decoder part (the LSTM's h and c into the decoder's initial_state, or any other tensor crossing
 * over) becomes the encoder model's outputs, and a new Input of the same shape in the decoder
 * model, where the decoder's layers are applied again (shared weights, `CompiledModel.reapply`).
 * The encoder runs once per source sequence; each decoding step runs the decoder on the prefix
 * made so far from the encoder's states. (The graph's decoder LSTM does not return its own states,
 * so the decoder re-reads its prefix each step rather than carrying states: the same numbers,
 * O(T²) steps for short T.)
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { GraphInference } from '../../core/infer.ts';
import type { TF, TfSymbolic } from '../../core/layers/tfjs.ts';
import type { Graph } from '../../core/types.ts';
import type { CompiledModel } from '../compile.ts';

export interface InferenceModels {
  readonly encoder: tfjs.LayersModel;
  readonly decoder: tfjs.LayersModel;
  /** What the encoder hands over, in the encoder model's output order ("encoder.h", "encoder.c"). */
  readonly states: readonly { readonly name: string; readonly shape: readonly (number | null)[] }[];
}

const key = (id: string, port: string) => `${id}\u0000${port}`;

/**
 * Splits a compiled two-input graph at its decoder Input (the second Input in graph order) and
 * builds the encoder and decoder models; `outputNodeId` is the Output whose prediction decodes.
 * Throws when the graph is not an encoder–decoder (nothing crosses from the encoder).
 */
export function inferenceModels(tf: TF, c: CompiledModel, graph: Graph, inf: GraphInference, outputNodeId: string): InferenceModels {
  if (!c.reapply) throw new Error('This model cannot be split into inference models (it was not compiled here).');
  if (c.inputs.length !== 2) throw new Error('Free-running decoding needs an encoder input and a decoder input.');
  const [encoderInput, decoderInput] = c.inputs;
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const out = new Map<string, string[]>();
  for (const e of graph.edges) out.set(e.source, [...(out.get(e.source) ?? []), e.target]);
  // The decoder part: everything downstream of the decoder Input.
  const decoderPart = new Set<string>([decoderInput]);
  const stack = [decoderInput];
  while (stack.length) for (const t of out.get(stack.pop()!) ?? []) if (!decoderPart.has(t)) { decoderPart.add(t); stack.push(t); }
  // Tensors crossing from the encoder part into the decoder part.
  const crossing: { node: string; port: string }[] = [];
  for (const e of graph.edges) {
    if (decoderPart.has(e.source) || !decoderPart.has(e.target) || byId.get(e.target)?.kind === 'Output') continue;
    if (!crossing.some((x) => x.node === e.source && x.port === e.sourcePort)) crossing.push({ node: e.source, port: e.sourcePort });
  }
  if (!crossing.length) throw new Error('Nothing goes from the encoder into the decoder: there are no encoder states to decode from.');
  const outEdge = graph.edges.find((e) => e.target === outputNodeId);
  if (!outEdge || !decoderPart.has(outEdge.source)) throw new Error('The prediction does not come from the decoder.');

  const encoder = tf.model({ inputs: [c.tensor(encoderInput, 'output')!], outputs: crossing.map((x) => c.tensor(x.node, x.port)!) });
  const tensors = new Map<string, TfSymbolic>();
  const stateInputs = crossing.map((x, k) => {
    const shape = c.tensor(x.node, x.port)!.shape;
    const t = tf.input({ batchShape: shape, name: `decoder_state_${k}` });
    tensors.set(key(x.node, x.port), t);
    return t;
  });
  const decoderIn = c.tensor(decoderInput, 'output')!;
  tensors.set(key(decoderInput, 'output'), decoderIn);
  for (const id of inf.order) {
    if (!decoderPart.has(id) || id === decoderInput || byId.get(id)?.kind === 'Output') continue;
    const info = inf.node(id)!;
    const ins = info.inputs.map((p) => {
      const e = graph.edges.find((x) => x.target === id && x.targetPort === p.name);
      return e ? tensors.get(key(e.source, e.sourcePort)) : undefined;
    });
    const ys = c.reapply(id, ins);
    info.outputs.forEach((p, k) => tensors.set(key(id, p.name), ys[k]));
  }
  const prediction = tensors.get(key(outEdge.source, outEdge.sourcePort));
  if (!prediction) throw new Error('The decoder\'s prediction could not be rebuilt.');
  const decoder = tf.model({ inputs: [decoderIn, ...stateInputs], outputs: prediction });
  const names = new Map(graph.nodes.map((n) => [n.id, n.name]));
  return {
    encoder, decoder,
    states: crossing.map((x) => ({ name: `${names.get(x.node)}.${x.port}`, shape: c.tensor(x.node, x.port)!.shape })),
  };
}
