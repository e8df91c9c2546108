/**
 * "Look inside" a compiled model on a batch: for every recurrent layer (and each direction of a
 * Bidirectional) the state after every input position, the LSTM/GRU gates, ∂L/∂h_t through time;
 * every layer's output; the model's prediction; and the saliency of each input position (the size
 * of the gradient of the prediction with respect to that position's input or embedding).
 *
 *   const r = inspectModel(tf, compiled, graph, { feeds, gradients: { loss, y, weights } });
 *   r.layers[0].h        // Float32Array [B, T, units], by input position
 *   r.layers[0].gradNorm // [T]: mean over the batch of ‖∂ℓ_b/∂h_t‖ (null where every example is padding)
 *
 * Everything runs on the compiled model's own layers and weights (taps.ts wraps their cells for
 * the pass), on whatever backend TF.js uses. Gradients are those of L = B × the batch loss (Keras's
 * masked mean), so each example's gradient is that of its own loss, whatever the batch size.
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { GraphInference } from '../../core/infer.ts';
import { Inferencer } from '../../core/infer.ts';
import type { CellKind, Direction } from '../../core/layers/cell.ts';
import type { TF } from '../../core/layers/tfjs.ts';
import type { Graph } from '../../core/types.ts';
import { recurrentSpecOf, timeSource } from '../../core/unrolled.ts';
import type { CompiledModel } from '../compile.ts';
import { isClassification, maskedLoss, type LossName } from '../train/losses.ts';
import { identityError, instrument, positionOf, readTrace, type Probe } from './taps.ts';
import { canFuse } from '../kernels/layer.ts';
import { gradientTap, traceRecurrent } from '../kernels/trace.ts';

type Tensor = tfjs.Tensor;

/** One recurrent layer (or one direction of a Bidirectional) seen from inside. */
export interface LayerInside {
  readonly nodeId: string;
  /** The layer's name (both directions of a Bidirectional carry the Bidirectional's name). */
  readonly name: string;
  readonly kind: CellKind;
  readonly direction: Direction;
  readonly goBackwards: boolean;
  readonly units: number;
  readonly B: number;
  readonly T: number;
  /** [B, T]: 1 where the layer saw a real step (0: masked, the state carried over). */
  readonly real: Uint8Array;
  /** [B, T, units] the state after reading position t. */
  readonly h: Float32Array;
  readonly c?: Float32Array;
  /** LSTM i, f, g, o; GRU z, r, g (g the candidate); [B, T, units]; NaN at masked steps. */
  readonly gates: Readonly<Record<string, Float32Array>>;
  /** Largest |difference| of the gate identities (c = f·c' + i·g, h = o·tanh c; h = z·h' + (1−z)·g) against the cell's states. */
  readonly identityError: number;
  /** [B, T] ‖∂ℓ_b/∂h_t‖ (NaN at masked steps). */
  readonly grad?: Float32Array;
  /** [T] mean of `grad` over the examples that are real at t (null where none is). */
  readonly gradNorm?: readonly (number | null)[];
}

export interface OutputValues {
  readonly nodeId: string;
  readonly port: string;
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

export interface Saliency {
  /** The Input node whose positions are scored. */
  readonly inputNodeId: string;
  /** Where the gradient is taken: the input itself (float rows) or the node that embeds it. */
  readonly atNodeId: string;
  /** [B, T]: ‖∂(prediction)/∂x_t‖ (the prediction: the top class's probability, or the regression output). */
  readonly values: Float32Array;
  readonly B: number;
  readonly T: number;
}

export interface Inside {
  readonly layers: readonly LayerInside[];
  /** Every built node's output ports (with `layerOutputs`). */
  readonly outputs: readonly OutputValues[];
  /** The model outputs, in `compiled.outputs` order. */
  readonly predictions: readonly OutputValues[];
  /** The loss the gradients are of (B × the batch loss), when asked. */
  readonly loss?: number;
  readonly saliency?: Saliency;
  /** Where the states, gates and gradients came from: the fused kernels' own trace and taps, or the per-step probes on TF.js's loop. */
  readonly probes: 'fused' | 'stock';
}

export interface InspectOptions {
  /** The model inputs, in `compiled.inputs` order. */
  readonly feeds: readonly Tensor[];
  /** Record states and gates (default true). */
  readonly trace?: boolean;
  /** Every layer's output values (default true). */
  readonly layerOutputs?: boolean;
  /** ∂L/∂h_t through time, for this loss against these targets (the first model output). */
  readonly gradients?: { readonly loss: LossName; readonly y: Tensor; readonly weights?: Tensor };
  /** ∂(prediction)/∂(input at t) for every position (default false). */
  readonly saliency?: boolean;
  readonly inference?: GraphInference;
  /** 'stock': always the per-step probes (tests compare both paths). */
  readonly probes?: 'auto' | 'stock';
}

interface Target {
  readonly nodeId: string;
  readonly name: string;
  readonly kind: CellKind;
  readonly direction: Direction;
  readonly goBackwards: boolean;
  readonly layer: tfjs.RNN;
}

/** The TF.js RNN layers behind every recurrent node of the compiled model (two for a Bidirectional). */
export function recurrentTargets(compiled: CompiledModel, graph: Graph, inference: GraphInference): Target[] {
  const out: Target[] = [];
  for (const id of inference.order) {
    const layer = compiled.layers.get(id);
    const spec = layer ? recurrentSpecOf(graph, inference, id) : null;
    if (!layer || !spec) continue;
    const name = graph.nodes.find((n) => n.id === id)!.name;
    const inner = spec.cells.length === 2
      ? [(layer as unknown as { forwardLayer: tfjs.RNN }).forwardLayer, (layer as unknown as { backwardLayer: tfjs.RNN }).backwardLayer]
      : [layer as unknown as tfjs.RNN];
    spec.cells.forEach((cell, k) => out.push({ nodeId: id, name, kind: cell.kind, direction: cell.direction, goBackwards: cell.goBackwards, layer: inner[k] }));
  }
  return out;
}

const outName = (compiled: CompiledModel, nodeId: string, port: string) => compiled.tensor(nodeId, port)?.name;

/**
 * Runs the model on the feeds, returning the tensors named, in order (the caller disposes them,
 * except feeds: an Input's output is the feed itself). A name asked twice gives the same tensor
 * twice (TF.js's executor returns null for repeats).
 */
function run(compiled: CompiledModel, feeds: readonly Tensor[], names: string[]): Tensor[] {
  const unique = [...new Set(names)];
  const r = compiled.model.execute(feeds as Tensor[], unique);
  const list = Array.isArray(r) ? r : [r];
  return names.map((n) => list[unique.indexOf(n)]);
}

function values(t: Tensor): Float32Array {
  const v = t.dataSync();
  return v instanceof Float32Array ? Float32Array.from(v) : Float32Array.from(v as ArrayLike<number>);
}

/** Per example and position, ‖g[b, t, :]‖ from a [T, B, u] gradient in processing order; NaN where masked. */
function gradNorms(p: Probe, g: Tensor, real: Uint8Array): { grad: Float32Array; mean: (number | null)[] } {
  const { B, T } = p;
  const v = g.dataSync();
  const u = g.shape[2]!;
  const grad = new Float32Array(B * T);
  for (let k = 0; k < T; k++) {
    const t = positionOf(p, k);
    for (let b = 0; b < B; b++) {
      let s = 0;
      const o = (k * B + b) * u;
      for (let j = 0; j < u; j++) s += v[o + j] * v[o + j];
      grad[b * T + t] = real[b * T + t] ? Math.sqrt(s) : NaN;
    }
  }
  const mean = Array.from({ length: T }, (_, t) => {
    let s = 0, n = 0;
    for (let b = 0; b < B; b++) if (real[b * T + t]) { s += grad[b * T + t]; n++; }
    return n ? s / n : null;
  });
  return { grad, mean };
}

/** The prediction a saliency map explains: the top class's probability (classification), else the output itself; summed over the batch. */
function predictionScore(tf: TF, pred: Tensor, loss: LossName | undefined): tfjs.Scalar {
  if (loss && isClassification(loss) && loss !== 'binary_crossentropy') return tf.sum(tf.max(pred, -1));
  return tf.sum(pred);
}

/** The node where a saliency gradient is taken: the Input if it feeds float rows, else its first float sequence consumer (Embedding). */
function saliencyPoint(graph: Graph, inference: GraphInference, inputId: string): string | null {
  const t = inference.node(inputId)?.outputTensors[0];
  if (t?.dtype === 'float32' && t.shape.length === 3) return inputId;
  for (const e of graph.edges) {
    if (e.source !== inputId) continue;
    const out = inference.node(e.target)?.outputTensors[0];
    if (out?.dtype === 'float32' && out.shape.length === 3) return e.target;
  }
  return null;
}

/** Adds `eps` to a layer's output for the next calls; returns the undo. */
function tapOutput(layer: tfjs.layers.Layer, tf: TF, eps: () => Tensor | undefined): () => void {
  const L = layer as unknown as { call: (x: Tensor | Tensor[], k: unknown) => Tensor | Tensor[] };
  const own = Object.prototype.hasOwnProperty.call(L, 'call');
  const original = L.call;
  L.call = function (x, k) {
    const y = original.call(this, x, k) as Tensor;
    const e = eps();
    return e ? tf.add(y, e) : y;
  };
  return () => {
    if (own) L.call = original;
    else delete (L as Partial<typeof L>).call;
  };
}

/** The kernels' name of a cell kind. */
const CELL: Record<CellKind, 'simple' | 'lstm' | 'gru'> = { SimpleRNN: 'simple', LSTM: 'lstm', GRU: 'gru' };

/**
 * Looks inside the model on `o.feeds`. Where every recurrent layer runs the fused kernels
 * (src/tf/kernels), the states, gates and ∂L/∂h_t come from those kernels themselves (their trace
 * and gradient taps, contract 4); otherwise (an activation the kernels lack, a stateful layer)
 * from the per-step probes on TF.js's own loop (taps.ts). Either way the numbers are the layer's.
 */
export async function inspectModel(tf: TF, compiled: CompiledModel, graph: Graph, o: InspectOptions): Promise<Inside> {
  const inference = o.inference ?? new Inferencer().run(graph);
  const targets = recurrentTargets(compiled, graph, inference);
  const trace = o.trace ?? true;
  const outputNode = compiled.outputs[0] ? graph.nodes.find((n) => n.id === compiled.outputs[0].outputNodeId) : undefined;
  const lossName = (o.gradients?.loss ?? outputNode?.params.loss) as LossName | undefined;
  const fused = o.probes !== 'stock' && targets.length > 0 && targets.every((t) => canFuse(t.layer, CELL[t.kind]));

  const { outputs, predictions } = layerValues(tf, compiled, inference, o.feeds, o.layerOutputs ?? true);
  let layers: LayerInside[];
  let loss: number | undefined;
  if (fused) {
    layers = trace ? await fusedTrace(tf, compiled, graph, inference, targets, o.feeds) : shapesOnly(targets, compiled, o.feeds);
    if (o.gradients) {
      const g = await fusedGradients(tf, compiled, graph, targets, o.feeds, o.gradients);
      if (g) {
        loss = g.loss;
        layers = layers.map((l, k) => ({ ...l, ...(trace ? {} : { real: g.real[k], B: g.B, T: g.T[k] }), grad: g.grad[k], gradNorm: g.mean[k] }));
      }
    }
  } else {
    const r = stockProbes(tf, compiled, targets, o.feeds, trace, o.gradients);
    layers = r.layers;
    loss = r.loss;
  }

  // Saliency: the gradient of the prediction with respect to each position's input (or embedding).
  let saliency: Saliency | undefined;
  if (o.saliency) saliency = saliencyOf(tf, compiled, graph, inference, o.feeds, lossName, targets[0]?.nodeId);

  return { layers, outputs, predictions, ...(loss === undefined ? {} : { loss }), ...(saliency ? { saliency } : {}), probes: fused ? 'fused' : 'stock' };
}

/** Every built node's output values (with `all`) and the model's predictions, from one forward pass. */
function layerValues(tf: TF, compiled: CompiledModel, inference: GraphInference, feeds: readonly Tensor[], all: boolean): { outputs: OutputValues[]; predictions: OutputValues[] } {
  const outputNames = compiled.model.outputs.map((t) => t.name);
  const ports: { nodeId: string; port: string; name: string }[] = [];
  if (all) {
    for (const id of inference.order) {
      if (!compiled.layers.has(id)) continue;
      for (const p of inference.node(id)!.outputs) {
        const name = outName(compiled, id, p.name);
        if (name) ports.push({ nodeId: id, port: p.name, name });
      }
    }
  }
  const ys = run(compiled, feeds, [...outputNames, ...ports.map((p) => p.name)]);
  try {
    return {
      predictions: compiled.outputs.map((m, k) => ({ nodeId: m.nodeId, port: m.port, shape: ys[k].shape, values: values(ys[k]) })),
      outputs: ports.map((p, k) => ({ nodeId: p.nodeId, port: p.port, shape: ys[outputNames.length + k].shape, values: values(ys[outputNames.length + k]) })),
    };
  } finally {
    // An Input's output is the feed itself: the caller's tensor.
    tf.dispose([...new Set(ys)].filter((t) => !feeds.includes(t)));
  }
}

/** The sizes of each recurrent layer's pass without tracing it (B, T from the feeds and shapes). */
function shapesOnly(targets: readonly Target[], compiled: CompiledModel, feeds: readonly Tensor[]): LayerInside[] {
  const B = feeds[0]?.shape[0] ?? 0;
  return targets.map((t) => {
    const units = (t.layer as unknown as { cell: { units: number } }).cell.units;
    return { nodeId: t.nodeId, name: t.name, kind: t.kind, direction: t.direction, goBackwards: t.goBackwards, units, B, T: 0, real: new Uint8Array(0), h: new Float32Array(0), gates: {}, identityError: 0 };
  });
}

/** Gates at masked positions are NaN (the cell did not run there); the kernels write 0. */
function maskGates(gates: Readonly<Record<string, Float32Array>>, real: Uint8Array, u: number): Record<string, Float32Array> {
  const out: Record<string, Float32Array> = {};
  for (const [name, v] of Object.entries(gates)) {
    const w = Float32Array.from(v);
    for (let r = 0; r < real.length; r++) if (!real[r]) w.fill(NaN, r * u, (r + 1) * u);
    out[name] = w;
  }
  return out;
}

/**
 * The lesson's identities on a trace, step by step in reading order: LSTM c_t = f ⊙ c_(t−1) + i ⊙ g
 * and h_t = o ⊙ tanh(c_t); GRU h_t = z ⊙ h_(t−1) + (1 − z) ⊙ g. The largest |difference| (float32
 * rounding: ~1e-7). The first step is skipped when h₀ is wired (it is not in the trace).
 */
export function identityErrorOf(kind: CellKind, l: Pick<LayerInside, 'B' | 'T' | 'units' | 'h' | 'c' | 'gates' | 'real' | 'goBackwards'>, wired: boolean, tanhActivation: boolean): number {
  if (kind === 'SimpleRNN') return 0;
  const { B, T, units: u } = l;
  let err = 0;
  for (let b = 0; b < B; b++) {
    let prev: number | null = null; // the reading step before (null: h₀)
    for (let k = 0; k < T; k++) {
      const t = l.goBackwards ? T - 1 - k : k;
      const row = b * T + t;
      if (!l.real[row]) continue;
      if (prev === null && wired) { prev = row; continue; }
      for (let j = 0; j < u; j++) {
        const at = row * u + j;
        const hPrev = prev === null ? 0 : l.h[prev * u + j];
        if (kind === 'LSTM') {
          const cPrev = prev === null ? 0 : l.c![prev * u + j];
          const c = l.gates.f[at] * cPrev + l.gates.i[at] * l.gates.g[at];
          err = Math.max(err, Math.abs(c - l.c![at]));
          if (tanhActivation) err = Math.max(err, Math.abs(l.gates.o[at] * Math.tanh(l.c![at]) - l.h[at]));
        } else {
          err = Math.max(err, Math.abs(l.gates.z[at] * hPrev + (1 - l.gates.z[at]) * l.gates.g[at] - l.h[at]));
        }
      }
      prev = row;
    }
  }
  return err;
}

/** States and gates from the fused forward kernels (traceRecurrent), by input position. */
async function fusedTrace(tf: TF, compiled: CompiledModel, graph: Graph, inference: GraphInference, targets: readonly Target[], feeds: readonly Tensor[]): Promise<LayerInside[]> {
  const out: LayerInside[] = [];
  for (const nodeId of [...new Set(targets.map((t) => t.nodeId))]) {
    const mine = targets.filter((t) => t.nodeId === nodeId);
    const r = await traceRecurrent(tf, compiled.model, mine[0].name, feeds as Tensor[]);
    const spec = recurrentSpecOf(graph, inference, nodeId)!;
    r.directions.forEach((d, k) => {
      const t = mine[k];
      const real = d.mask ?? new Uint8Array(d.B * d.T).fill(1);
      const wired = spec.initialStatePorts[k].some((port) => graph.edges.some((e) => e.target === nodeId && e.targetPort === port));
      const base = {
        nodeId, name: t.name, kind: t.kind, direction: t.direction, goBackwards: d.goBackwards, units: d.units, B: d.B, T: d.T, real,
        h: d.h, ...(d.c ? { c: d.c } : {}), gates: maskGates(d.gates, real, d.units),
      };
      out.push({ ...base, identityError: identityErrorOf(t.kind, { ...base, gates: d.gates }, wired, spec.cells[k].activation === 'tanh') });
    });
  }
  return out;
}

/**
 * ∂L/∂h_t from the fused backward kernels: a gradient tap on every recurrent layer, then one
 * backward pass of L (B × the batch loss) through the whole model. Null when a tap did not fire.
 */
async function fusedGradients(
  tf: TF, compiled: CompiledModel, graph: Graph, targets: readonly Target[], feeds: readonly Tensor[], g: NonNullable<InspectOptions['gradients']>,
): Promise<{ loss: number; B: number; T: number[]; real: Uint8Array[]; grad: Float32Array[]; mean: (number | null)[][] } | null> {
  const names = [...new Set(targets.map((t) => t.name))];
  const taps = names.map((n) => gradientTap(tf, compiled.model, n));
  try {
    const outputName = compiled.model.outputs[0].name;
    const B = feeds[0].shape[0];
    const { value, grads } = tf.variableGrads(() => tf.mul(maskedLoss(tf, g.loss, g.y, run(compiled, feeds, [outputName])[0], g.weights), B) as tfjs.Scalar);
    const loss = value.dataSync()[0];
    tf.dispose([value, ...Object.values(grads)]);
    if (!taps.every((t) => t.ready)) return null;
    const results = await Promise.all(taps.map((t) => t.read()));
    const dirs = results.flatMap((r) => r!.directions);
    const T: number[] = [], real: Uint8Array[] = [], grad: Float32Array[] = [], mean: (number | null)[][] = [];
    for (const d of dirs) {
      const m = d.mask ?? new Uint8Array(d.B * d.T).fill(1);
      const per = new Float32Array(d.B * d.T);
      for (let r = 0; r < d.B * d.T; r++) {
        let s2 = 0;
        for (let j = 0; j < d.units; j++) s2 += d.dh[r * d.units + j] ** 2;
        per[r] = m[r] ? Math.sqrt(s2) : NaN;
      }
      T.push(d.T);
      real.push(m);
      grad.push(per);
      mean.push(Array.from({ length: d.T }, (_, t) => {
        let s = 0, n = 0;
        for (let b = 0; b < d.B; b++) if (m[b * d.T + t]) { s += per[b * d.T + t]; n++; }
        return n ? s / n : null;
      }));
    }
    return { loss, B, T, real, grad, mean };
  } finally {
    for (const t of taps) t.dispose();
  }
}

/** States, gates and ∂L/∂h_t from the per-step probes on TF.js's loop (taps.ts). */
function stockProbes(
  tf: TF, compiled: CompiledModel, targets: readonly Target[], feeds: readonly Tensor[], trace: boolean, gradients: InspectOptions['gradients'],
): { layers: LayerInside[]; loss?: number } {
  const outputNames = compiled.model.outputs.map((t) => t.name);
  const inst = instrument(tf, targets, { trace });
  let layers: LayerInside[];
  try {
    tf.dispose(run(compiled, feeds, outputNames));
    layers = inst.probes.map((p, k) => {
      const t = targets[k];
      const arrays = trace && p.steps.length ? readTrace(p) : null;
      const real = arrays?.real ?? realOf(p);
      return {
        nodeId: t.nodeId, name: t.name, kind: t.kind, direction: t.direction, goBackwards: t.goBackwards,
        units: (p.layer as unknown as { cell: { units: number } }).cell.units, B: p.B, T: p.T, real,
        h: arrays?.h ?? new Float32Array(0), ...(arrays?.c ? { c: arrays.c } : {}), gates: arrays?.gates ?? {},
        identityError: identityError(p),
      };
    });
  } finally {
    inst.restore();
  }
  // Gradients through time: one zero tap per layer and step, one backward pass.
  if (!gradients || !targets.length) return { layers };
  const taps = instrument(tf, targets, { trace: false });
  try {
    const zeros = taps.probes.map((_, k) => tf.zeros([layers[k].T, layers[k].B, layers[k].units]));
    const f = (...eps: Tensor[]) => {
      taps.probes.forEach((p, k) => (p.tap = eps[k]));
      const [pred] = run(compiled, feeds, [outputNames[0]]);
      return tf.mul(maskedLoss(tf, gradients.loss, gradients.y, pred, gradients.weights), layers[0].B) as tfjs.Scalar;
    };
    const { value, grads } = tf.valueAndGrads(f)(zeros);
    const loss = value.dataSync()[0];
    layers = layers.map((l, k) => {
      const { grad, mean } = gradNorms(taps.probes[k], grads[k], l.real);
      return { ...l, grad, gradNorm: mean };
    });
    tf.dispose([value, ...grads, ...zeros]);
    return { layers, loss };
  } finally {
    taps.probes.forEach((p) => (p.tap = undefined));
    taps.restore();
  }
}

function realOf(p: Probe): Uint8Array {
  const real = new Uint8Array(p.B * p.T).fill(1);
  if (p.mask) {
    const m = p.mask.dataSync();
    for (let i = 0; i < real.length; i++) real[i] = m[i] > 0 ? 1 : 0;
  }
  return real;
}

function saliencyOf(
  tf: TF, compiled: CompiledModel, graph: Graph, inference: GraphInference, feeds: readonly Tensor[], loss: LossName | undefined, firstRecurrent: string | undefined,
): Saliency | undefined {
  const inputId = (firstRecurrent && timeSource(graph, inference, firstRecurrent)) ?? compiled.inputs[0];
  const at = saliencyPoint(graph, inference, inputId);
  const k = compiled.inputs.indexOf(inputId);
  if (!at || k < 0) return undefined;
  const outputName = compiled.model.outputs[0].name;
  let grad: Tensor;
  if (at === inputId) {
    const f = (x: Tensor) => {
      const fs = feeds.slice();
      fs[k] = x;
      return predictionScore(tf, run(compiled, fs, [outputName])[0], loss);
    };
    grad = tf.grad(f)(feeds[k] as Tensor);
  } else {
    const layer = compiled.layers.get(at)!;
    const shape = compiled.tensor(at, 'output')!.shape;
    const [B, T] = feeds[k].shape;
    const zeros = tf.zeros([B, T!, shape[2]!]);
    let eps: Tensor | undefined;
    const undo = tapOutput(layer, tf, () => eps);
    try {
      grad = tf.grad((e: Tensor) => {
        eps = e;
        return predictionScore(tf, run(compiled, feeds, [outputName])[0], loss);
      })(zeros);
    } finally {
      undo();
      zeros.dispose();
    }
  }
  const norms = tf.tidy(() => tf.sqrt(tf.sum(tf.square(grad), -1)));
  const [B, T] = norms.shape;
  const out: Saliency = { inputNodeId: inputId, atNodeId: at, values: values(norms), B: B!, T: T! };
  tf.dispose([grad, norms]);
  return out;
}
