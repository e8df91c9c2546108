/**
 * The fused path of Unroll's recurrent layers: `call()` of UnrollSimpleRNN, UnrollLSTM and UnrollGRU
 * (and so of both directions of UnrollBidirectional) runs `fusedRnn` instead of TF.js's `rnn()`
 * loop when the layer's `recurrentPath` is 'fused' (the default) and its activations are ones the
 * kernels know. Same weights, same outputs and states, Keras 3's masking and dropout rules.
 *
 * Dropout (training only) follows Keras 3: masks are drawn once per call (per sequence). SimpleRNN
 * has one input mask [B, I] and one state mask [B, u]. LSTM and GRU share one input mask among
 * their gates while recurrent_dropout is 0 (Keras's implementation 2); with recurrent_dropout
 * Keras switches to implementation 1: one input mask and one state mask per gate, and GRU mixes
 * the new state with the un-dropped one. (TF.js always draws one mask per gate.)
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { TF } from '../../core/layers/tfjs.ts';
import { gateCount, isFusedActivation, type CellKind, type FusedActivation } from './contract.ts';
import { fusedRnn, fusedRnnPair, type FusedRnnHooks, type FusedRnnResult, type FusedRnnSpec, type FusedRnnTensors } from './op.ts';

type Tensor = tfjs.Tensor;

/** 'fused' (default) or 'stock' (TF.js's own loop): how a recurrent layer runs. */
export type RecurrentPath = 'fused' | 'stock';

/** What the fused path reads from a TF.js RNN layer and its cell. */
interface RnnLayerLike {
  readonly returnSequences: boolean;
  readonly returnState: boolean;
  readonly goBackwards: boolean;
  readonly stateful: boolean;
  readonly cell: CellLike;
}
interface CellLike {
  readonly units: number;
  readonly dropout: number;
  readonly recurrentDropout: number;
  readonly resetAfter?: boolean;
  readonly kernel: tfjs.LayerVariable | null;
  readonly recurrentKernel: tfjs.LayerVariable | null;
  readonly bias: tfjs.LayerVariable | null;
  /** UnrollGRUCell keeps activation identifiers; TF.js's cells keep activation objects. */
  readonly activationId?: string;
  readonly recurrentActivationId?: string;
  readonly activation?: { getClassName(): string };
  readonly recurrentActivation?: { getClassName(): string };
}

/** Per-layer hooks (trace, gradient tap) that trace.ts arms on a layer until it removes them. */
const hooksByLayer = new WeakMap<object, FusedRnnHooks>();

export function addLayerHooks(layer: object, hooks: FusedRnnHooks): void {
  hooksByLayer.set(layer, { ...hooksByLayer.get(layer), ...hooks });
}

export function removeLayerHooks(layer: object, keys: readonly (keyof FusedRnnHooks)[]): void {
  const h: Record<string, unknown> = { ...hooksByLayer.get(layer) };
  for (const k of keys) delete h[k];
  if (Object.keys(h).length) hooksByLayer.set(layer, h as FusedRnnHooks);
  else hooksByLayer.delete(layer);
}

/** Whether a trace or tap is armed on the layer (it then runs the fused op even on the 'stock' path). */
export function hasLayerHooks(layer: object): boolean {
  return hooksByLayer.has(layer);
}

/** The layer's call runs the fused op: its path is 'fused' (or a trace/tap is armed) and canFuse. */
export function runsFused(layer: object & { recurrentPath: RecurrentPath }, cell: CellKind): boolean {
  return (layer.recurrentPath === 'fused' || hasLayerHooks(layer)) && canFuse(layer, cell);
}

function activationOf(cell: CellLike, which: 'activation' | 'recurrentActivation'): string {
  const id = which === 'activation' ? cell.activationId : cell.recurrentActivationId;
  if (typeof id === 'string') return id;
  const obj = cell[which];
  return obj ? obj.getClassName() : which === 'activation' ? 'tanh' : 'sigmoid';
}

/** The activations of a layer when the fused kernels implement them, else null. */
export function fusedActivations(layer: object, cell: CellKind): { activation: FusedActivation; recurrentActivation: FusedActivation } | null {
  const c = (layer as RnnLayerLike).cell;
  const activation = activationOf(c, 'activation');
  const recurrentActivation = cell === 'simple' ? 'sigmoid' : activationOf(c, 'recurrentActivation');
  if (!isFusedActivation(activation) || !isFusedActivation(recurrentActivation)) return null;
  return { activation, recurrentActivation };
}

/**
 * Whether `fusedLayerCall` runs this layer (else the caller uses TF.js's loop): not stateful, with
 * activations the kernels know, and a cell whose `call` is its class's — a cell wrapped on the
 * instance (per-step probes that watch TF.js's loop call it once per step) keeps the loop.
 */
export function canFuse(layer: object, cell: CellKind): boolean {
  const l = layer as RnnLayerLike;
  if (Object.prototype.hasOwnProperty.call(l.cell, 'call')) return false;
  return !l.stateful && fusedActivations(layer, cell) != null;
}

function dropoutMask(tf: TF, rate: number, shape: number[]): Tensor | null {
  if (!(rate > 0 && rate < 1)) return null;
  return tf.dropout(tf.ones(shape), rate);
}

/** What Unroll's recurrent classes expose so that a Bidirectional can run both directions as one op. */
export interface FusedLayer {
  readonly fusedCell: CellKind;
  recurrentPath: RecurrentPath;
  /** The kwargs its own `call` would hand the fused op (mask-gated). */
  fusedKwargs(kwargs: Record<string, unknown>): Record<string, unknown>;
}

function isFusedLayer(x: object): x is FusedLayer & object {
  return typeof (x as Partial<FusedLayer>).fusedCell === 'string' && typeof (x as Partial<FusedLayer>).fusedKwargs === 'function';
}

/** fusedRnn's arguments for a layer's call (draws the dropout masks). Call inside a tidy. */
function callArgs(tf: TF, layer: object, cell: CellKind, inputs: Tensor | Tensor[], kwargs: Record<string, unknown>): { spec: FusedRnnSpec; tensors: FusedRnnTensors } {
  const l = layer as RnnLayerLike;
  const acts = fusedActivations(layer, cell);
  if (!acts) throw new Error('fusedLayerCall: activation not supported by the fused kernels (check canFuse first)');
  const list = Array.isArray(inputs) ? inputs : [inputs];
  const x = list[0];
  let initial = (kwargs.initialState as Tensor[] | null | undefined) ?? null;
  if (initial == null && list.length > 1) initial = list.slice(1);
  const mask = (kwargs.mask as Tensor | null | undefined) ?? null;
  const training = kwargs.training === true;
  const c = l.cell;
  const u = c.units;
  const [B, , I] = x.shape;
  const G = gateCount(cell);
  // Keras: a recurrent dropout rate (even one that drops nothing) switches LSTM/GRU to one mask per gate.
  const perGate = cell !== 'simple' && c.recurrentDropout !== 0;
  return {
    spec: {
      cell, resetAfter: cell === 'gru' ? c.resetAfter ?? true : false, units: u, ...acts,
      returnSequences: l.returnSequences, goBackwards: l.goBackwards,
    },
    tensors: {
      x, kernel: c.kernel!.read(), recurrentKernel: c.recurrentKernel!.read(), bias: c.bias ? c.bias.read() : null,
      mask, initialState: initial,
      dropoutMask: training ? dropoutMask(tf, c.dropout, perGate ? [B, G, I] : [B, I]) : null,
      recurrentDropoutMask: training ? dropoutMask(tf, c.recurrentDropout, [B, G, u]) : null,
    },
  };
}

/** What TF.js's RNN.call returns: the output, or `[output, ...states]` with return_state. */
function callResult(layer: object, r: FusedRnnResult): Tensor | Tensor[] {
  return (layer as RnnLayerLike).returnState ? [r.output, ...r.states] : r.output;
}

/**
 * The fused replacement of `RNN.call(inputs, kwargs)` (kwargs already mask-gated). Returns what
 * TF.js's would: the output, or `[output, ...states]` with return_state.
 */
export function fusedLayerCall(tf: TF, layer: object, cell: CellKind, inputs: Tensor | Tensor[], kwargs: Record<string, unknown>): Tensor | Tensor[] {
  return tf.tidy(() => {
    const a = callArgs(tf, layer, cell, inputs, kwargs);
    return callResult(layer, fusedRnn(tf, a.spec, a.tensors, hooksByLayer.get(layer)));
  });
}

/**
 * Both directions of a Bidirectional, each as its own `call` would run it (`kwargs` per
 * direction, not yet mask-gated), through `fusedRnnPair`: one kernel call on webgl, half the
 * shader dispatches of every step. Null where that does not apply (not webgl, a direction on
 * TF.js's loop or with a trace or tap armed, initial states among the inputs): the caller then
 * calls each direction. Dropout masks are drawn in the same order as two calls draw them.
 */
export function fusedPairCall(tf: TF, forward: object, backward: object, inputs: Tensor | Tensor[], kwargs: readonly [Record<string, unknown>, Record<string, unknown>]): [Tensor | Tensor[], Tensor | Tensor[]] | null {
  if (tf.getBackend() !== 'webgl' || (Array.isArray(inputs) && inputs.length !== 1)) return null;
  if (!isFusedLayer(forward) || !isFusedLayer(backward) || forward.fusedCell !== backward.fusedCell) return null;
  const cell = forward.fusedCell;
  if (hasLayerHooks(forward) || hasLayerHooks(backward) || !runsFused(forward, cell) || !runsFused(backward, cell)) return null;
  return tf.tidy(() => {
    const a = callArgs(tf, forward, cell, inputs, forward.fusedKwargs(kwargs[0]));
    const b = callArgs(tf, backward, cell, inputs, backward.fusedKwargs(kwargs[1]));
    const [ra, rb] = fusedRnnPair(tf, [a.spec, b.spec], [a.tensors, b.tensors]);
    return [callResult(forward, ra), callResult(backward, rb)] as [Tensor | Tensor[], Tensor | Tensor[]];
  });
}
