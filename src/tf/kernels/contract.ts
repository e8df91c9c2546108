/**
 * The fused recurrent op's contract, shared by every implementation (the TypeScript loops in
 * `loops.ts`, the composed TF.js ops in `composed.ts`, and the WebGL shaders the bench helper
 * registers): kernel names, attributes, the activations the kernels know, and output shapes.
 * README.md in this folder describes the inputs, outputs and step equations in words.
 */

export const FORWARD_KERNEL = 'UnrollRnnForward';
export const BACKWARD_KERNEL = 'UnrollRnnBackward';
/**
 * cpu backend only (not part of the op contract): op(a)·op(b) (+ bias) for the op's projection and
 * weight gradients, with the WebAssembly SIMD product; TF.js's cpu matMul is ~10× slower here.
 * Inputs a, b, bias?; attributes transposeA, transposeB. Not differentiable (used inside the op).
 */
export const MATMUL_KERNEL = 'UnrollMatMul';

export type CellKind = 'simple' | 'lstm' | 'gru';

/**
 * The activations the fused kernels implement (TF.js identifiers, as the layers hold them). Each
 * one's derivative is a function of its output, so the backward pass never needs the
 * pre-activations. Other activations (softmax, logSoftmax, gelu, swish, mish) use TF.js's loop.
 */
export const FUSED_ACTIVATIONS = [
  'linear', 'tanh', 'sigmoid', 'hardSigmoid', 'unrollHardSigmoid', 'relu', 'relu6', 'softsign',
  'softplus', 'elu', 'selu', 'unrollLeakyRelu', 'unrollExponential',
] as const;
export type FusedActivation = (typeof FUSED_ACTIVATIONS)[number];

export function isFusedActivation(id: string): id is FusedActivation {
  return (FUSED_ACTIVATIONS as readonly string[]).includes(id);
}

/** Numeric code of an activation (its index in FUSED_ACTIVATIONS), for the loops and the wasm module. */
export function activationCode(id: FusedActivation): number {
  return FUSED_ACTIVATIONS.indexOf(id);
}

/** Attributes of both kernels (the backward kernel also reads `tap`). */
export interface RnnAttrs {
  readonly cell: CellKind;
  /** GRU only: reset gate after the recurrent matrix product (Keras 3 default). */
  readonly resetAfter: boolean;
  readonly units: number;
  readonly activation: FusedActivation;
  readonly recurrentActivation: FusedActivation;
  /** `out` holds every step's output (true) or only the last one (false). */
  readonly returnSequences: boolean;
  /** Forward: also write `gates`, `hprev`, `cs` (LSTM) and `aux` (GRU) for the backward pass or a trace. */
  readonly saveForGrad: boolean;
  /** Backward: also write `dh`, ∂L/∂h_t of every example and step (gradient taps). */
  readonly tap: boolean;
  /**
   * WebGL only (absent elsewhere): `groups` independent layers of this configuration stacked along
   * the batch, as op.ts's `fusedRnnPair` runs the two directions of a Bidirectional. Batch row b
   * belongs to layer b / (B / groups); `u` holds the layers' U stacked ([groups·u, G·u]), `br` one
   * row a layer ([groups, G·u]); the input `xw` and the outputs `hprev`, `dxw` and `drec` come
   * once per layer (`PER_LAYER`: layer 0 under its name, layer k as `name:k`, each [B / groups,
   * …]); every other input and output is stacked along the batch.
   */
  readonly groups?: number;
  /**
   * WebGL only (absent elsewhere): the backward kernel also writes `dxwSum` (Σ of dxw over batch
   * and time: the input bias's gradient, [G·u]) and, GRU reset_after, `drecSum` (the recurrent
   * bias's), once per layer with `groups`.
   */
  readonly sums?: boolean;
  /**
   * WebGL only (absent elsewhere), with saveForGrad: the forward saves for the backward its own
   * dense stacks — `stateRows` and (LSTM, SimpleRNN) `gateRows`, textures only the backward
   * kernel reads — in place of the packed `gates`, `cs` and `aux` (`hprev` stays: op.ts's dU reads
   * it); the backward takes them in their place. Saves a pick and a conversion of each.
   */
  readonly denseSaved?: boolean;
}

/**
 * What a grouped call (`groups` > 1) passes once per layer instead of stacked: the projections in,
 * and out what op.ts's products read layer by layer (dU, dW, dx, the biases), so that neither a
 * concat before the call nor a slice after it is needed.
 */
export const PER_LAYER: readonly string[] = ['xw', 'hprev', 'dxw', 'drec', 'dxwSum', 'drecSum'];

/** `names` with each PER_LAYER name repeated per layer (`name`, `name:1`, …) when `groups` > 1. */
export function perLayer(names: readonly string[], groups = 1): string[] {
  return names.flatMap((n) => (groups > 1 && PER_LAYER.includes(n) ? Array.from({ length: groups }, (_, k) => (k ? `${n}:${k}` : n)) : [n]));
}

/** Gates per cell: SimpleRNN 1, LSTM 4 (i, f, c, o), GRU 3 (z, r, h). */
export function gateCount(cell: CellKind): number {
  return cell === 'lstm' ? 4 : cell === 'gru' ? 3 : 1;
}

/** States per cell: LSTM h and c, the others h. */
export function stateCount(cell: CellKind): number {
  return cell === 'lstm' ? 2 : 1;
}

/** Rows of `out` per batch row: the outputs (T or 1), then the final states. */
export function outRows(a: Pick<RnnAttrs, 'cell' | 'returnSequences'>, T: number): number {
  return (a.returnSequences ? T : 1) + stateCount(a.cell);
}

/** Names of the forward kernel's outputs, in order, for these attributes. */
export function forwardOutputs(a: Pick<RnnAttrs, 'cell' | 'saveForGrad' | 'groups' | 'denseSaved'> & Partial<Pick<RnnAttrs, 'resetAfter'>>): string[] {
  if (!a.saveForGrad) return ['out'];
  // (GRU reset_before's aux stays too: op.ts's dU of the h block reads it.)
  if (a.denseSaved) return perLayer(['out', 'hprev', 'stateRows', ...(a.cell !== 'gru' ? ['gateRows'] : a.resetAfter ? [] : ['aux'])], a.groups);
  return perLayer(['out', 'gates', 'hprev', ...(a.cell === 'lstm' ? ['cs'] : []), ...(a.cell === 'gru' ? ['aux'] : [])], a.groups);
}

/** Names of the backward kernel's outputs, in order, for these attributes. */
export function backwardOutputs(a: Pick<RnnAttrs, 'cell' | 'resetAfter' | 'tap' | 'groups' | 'sums'>): string[] {
  return perLayer([
    'dxw', 'dh0',
    ...(a.cell === 'lstm' ? ['dc0'] : []),
    ...(a.cell === 'gru' && a.resetAfter ? ['drec'] : []),
    ...(a.tap ? ['dh'] : []),
    ...(a.sums ? ['dxwSum', ...(a.cell === 'gru' && a.resetAfter ? ['drecSum'] : [])] : []),
  ], a.groups);
}

/** Each forward output's shape for a batch of B sequences of T steps, in output order. */
export function forwardShapes(a: Pick<RnnAttrs, 'cell' | 'units' | 'returnSequences' | 'saveForGrad'>, B: number, T: number): [string, number[]][] {
  const u = a.units, Gu = gateCount(a.cell) * u;
  const shape: Record<string, number[]> = { out: [B, outRows(a, T), u], gates: [B, T, Gu], hprev: [B, T, u], cs: [B, T, u], aux: [B, T, u] };
  return forwardOutputs(a).map((n) => [n, shape[n]]);
}

/** Each backward output's shape, in output order. */
export function backwardShapes(a: Pick<RnnAttrs, 'cell' | 'resetAfter' | 'units' | 'tap'>, B: number, T: number): [string, number[]][] {
  const u = a.units, Gu = gateCount(a.cell) * u;
  const shape: Record<string, number[]> = { dxw: [B, T, Gu], dh0: [B, u], dc0: [B, u], drec: [B, T, Gu], dh: [B, T, u] };
  return backwardOutputs(a).map((n) => [n, shape[n]]);
}
