/**
 * Looking inside a recurrent layer with the fused kernels' own numbers (contract 4).
 *
 *   const t = await traceRecurrent(tf, model, 'bidirectional', xs);
 *   t.directions[1].gates.f   // Float32Array [B, T, u]: the backward LSTM's forget gate, by input position
 *
 *   const tap = gradientTap(tf, model, 'lstm');   // armed: the next backward pass through the layer
 *   await model.trainOnBatch(x, y);               // (or any tf.grads / valueAndGrads through it)
 *   const g = await tap.read();                   // g.directions[0].dh: [B, T, u] ∂L/∂h_t, by input position
 *
 * A trace runs the model once on its real inputs (`predictOnBatch`, inference: no dropout) with the
 * layer's forward kernel asked to save its gates (the same call that training makes); the states,
 * gates and masks come from that kernel's outputs. A tap asks the layer's next backward kernel call
 * for ∂L/∂h_t — the state-gradient it computes anyway — and disarms itself once it has it, so the
 * batches in between run as usual. Both work on the 'stock' path too (the layer runs the fused op
 * while a trace or tap is armed) and on every backend (registered kernels or composed ops).
 *
 * Time is indexed by **input position** for every direction: a layer that reads backwards
 * (go_backwards, Bidirectional's backward layer) has processed position p at step T−1−p, and is
 * re-indexed here. At masked positions h and c hold the carried state and the gates are 0 (the
 * cell did not run); ∂L/∂h_t there is the gradient of the carried state and repeated output.
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { TF } from '../../core/layers/tfjs.ts';
import { gateCount, type CellKind } from './contract.ts';
import { addLayerHooks, removeLayerHooks } from './layer.ts';
import type { SavedForward } from './op.ts';

type Tensor = tfjs.Tensor;

export type RecurrentKindName = 'SimpleRNN' | 'LSTM' | 'GRU';

/** Which direction, and the sizes and mask every per-direction result carries. */
export interface DirectionInfo {
  readonly direction: 'forward' | 'backward';
  /** The direction reads the sequence from its last position to its first. */
  readonly goBackwards: boolean;
  readonly B: number;
  readonly T: number;
  readonly units: number;
  /** [B, T] 1 at real positions, 0 at masked ones; null when the layer had no mask. */
  readonly mask: Uint8Array | null;
}

export interface DirectionTrace extends DirectionInfo {
  /** [B, T, u] the state after reading position p. */
  readonly h: Float32Array;
  /** LSTM: [B, T, u] the cell state after reading position p. */
  readonly c: Float32Array | null;
  /** LSTM i, f, g, o; GRU z, r, g (g: the candidate); SimpleRNN none (its output is h). [B, T, u] each. */
  readonly gates: Readonly<Record<string, Float32Array>>;
}

export interface RecurrentTrace {
  readonly layer: string;
  readonly kind: RecurrentKindName;
  /** One, or two for a Bidirectional (forward, backward). */
  readonly directions: readonly DirectionTrace[];
}

export interface DirectionGradient extends DirectionInfo {
  /** [B, T, u] ∂L/∂h_t of each example, by input position. */
  readonly dh: Float32Array;
}

export interface GradientTapResult {
  readonly layer: string;
  readonly kind: RecurrentKindName;
  readonly directions: readonly DirectionGradient[];
}

export interface GradientTap {
  /** Every direction's backward pass has delivered its gradient. */
  readonly ready: boolean;
  /** The gradients once ready (else null); reading frees them and disarms the tap. */
  read(): Promise<GradientTapResult | null>;
  /** Disarms the tap and frees what it holds. */
  dispose(): void;
}

const GATE_NAMES: Record<CellKind, readonly string[]> = { simple: [], lstm: ['i', 'f', 'g', 'o'], gru: ['z', 'r', 'g'] };
const KIND_NAMES: Record<CellKind, RecurrentKindName> = { simple: 'SimpleRNN', lstm: 'LSTM', gru: 'GRU' };
const CELL_OF: Record<string, CellKind> = { UnrollSimpleRNN: 'simple', UnrollLSTM: 'lstm', UnrollGRU: 'gru' };

interface Direction {
  readonly layer: object;
  readonly direction: 'forward' | 'backward';
  readonly goBackwards: boolean;
  readonly units: number;
}

/** The recurrent layer(s) behind a model layer name: the layer itself, or a Bidirectional's two. */
function directionsOf(model: tfjs.LayersModel, name: string): { cell: CellKind; dirs: Direction[] } {
  const layer = model.getLayer(name) as unknown as {
    getClassName(): string; forwardLayer?: object; backwardLayer?: object;
  };
  const inner = layer.forwardLayer && layer.backwardLayer ? [layer.forwardLayer, layer.backwardLayer] : [layer];
  const cls = (inner[0] as { getClassName(): string }).getClassName();
  const cell = CELL_OF[cls];
  if (!cell) throw new Error(`${name} is a ${layer.getClassName()}, not one of Unroll's recurrent layers (SimpleRNN, LSTM, GRU or Bidirectional of one)`);
  const dirs = inner.map((l, k): Direction => {
    const r = l as { goBackwards: boolean; cell: { units: number } };
    return { layer: l, direction: k === 0 ? 'forward' : 'backward', goBackwards: r.goBackwards, units: r.cell.units };
  });
  return { cell, dirs };
}

/** [B, T, n] in processing order → by input position (reversed along time for a backwards reader). */
function byPosition(v: Float32Array, B: number, T: number, n: number, reversed: boolean): Float32Array {
  if (!reversed) return v;
  const out = new Float32Array(v.length);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) out.set(v.subarray((b * T + t) * n, (b * T + t + 1) * n), (b * T + (T - 1 - t)) * n);
  }
  return out;
}

function maskOf(m: Float32Array | null, B: number, T: number, reversed: boolean): Uint8Array | null {
  return m ? Uint8Array.from(byPosition(m, B, T, 1, reversed), (v) => (v !== 0 ? 1 : 0)) : null;
}

async function values(t: Tensor): Promise<Float32Array> {
  return (await t.data()) as Float32Array;
}

async function directionTrace(cell: CellKind, d: Direction, s: SavedForward): Promise<DirectionTrace> {
  const [B, T] = s.gates.shape;
  const u = d.units, G = gateCount(cell), R = s.out.shape[1]!;
  const [out, gates, hprev, cs, mask] = await Promise.all([values(s.out), values(s.gates), values(s.hprev), s.cs ? values(s.cs) : null, s.mask ? values(s.mask) : null]);
  // h after step t is h before step t + 1; after the last step, the final state (out's row R − S).
  const S = cell === 'lstm' ? 2 : 1;
  const h = new Float32Array(B * T * u);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T - 1; t++) h.set(hprev.subarray((b * T + t + 1) * u, (b * T + t + 2) * u), (b * T + t) * u);
    h.set(out.subarray((b * R + R - S) * u, (b * R + R - S + 1) * u), (b * T + T - 1) * u);
  }
  const named: Record<string, Float32Array> = {};
  GATE_NAMES[cell].forEach((name, g) => {
    const v = new Float32Array(B * T * u);
    for (let r = 0; r < B * T; r++) v.set(gates.subarray(r * G * u + g * u, r * G * u + (g + 1) * u), r * u);
    named[name] = byPosition(v, B, T, u, d.goBackwards);
  });
  return {
    direction: d.direction, goBackwards: d.goBackwards, B, T, units: u,
    mask: maskOf(mask, B, T, d.goBackwards),
    h: byPosition(h, B, T, u, d.goBackwards),
    c: cs ? byPosition(cs, B, T, u, d.goBackwards) : null,
    gates: named,
  };
}

/**
 * States and gates of the recurrent layer `layerName` (a node name) of a compiled model, computed by
 * the fused forward kernel on the model's real inputs (in `model.inputs` order).
 */
export async function traceRecurrent(tf: TF, model: tfjs.LayersModel, layerName: string, inputs: Tensor | Tensor[]): Promise<RecurrentTrace> {
  const { cell, dirs } = directionsOf(model, layerName);
  const saved: (SavedForward | null)[] = dirs.map(() => null);
  dirs.forEach((d, k) => addLayerHooks(d.layer, {
    onTrace: (s) => {
      if (saved[k]) tf.dispose(Object.values(saved[k]!).filter((t): t is Tensor => t != null));
      saved[k] = s;
    },
  }));
  try {
    tf.dispose(model.predictOnBatch(inputs));
  } finally {
    for (const d of dirs) removeLayerHooks(d.layer, ['onTrace']);
  }
  try {
    if (saved.some((s) => s == null)) {
      throw new Error(`${layerName}: the fused kernels did not run for this layer (an activation they lack, or a stateful layer), so there is no trace`);
    }
    return { layer: layerName, kind: KIND_NAMES[cell], directions: await Promise.all(dirs.map((d, k) => directionTrace(cell, d, saved[k]!))) };
  } finally {
    for (const s of saved) if (s) tf.dispose(Object.values(s).filter((t): t is Tensor => t != null));
  }
}

/**
 * Arms a gradient tap on the recurrent layer `layerName`: the next backward pass through each of
 * its directions also returns ∂L/∂h_t. Ordinary passes before and after are untouched.
 */
export function gradientTap(tf: TF, model: tfjs.LayersModel, layerName: string): GradientTap {
  const { cell, dirs } = directionsOf(model, layerName);
  const got: ({ dh: Tensor; mask: Tensor | null } | null)[] = dirs.map(() => null);
  let disposed = false;
  const free = () => {
    for (const g of got) if (g) tf.dispose([g.dh, ...(g.mask ? [g.mask] : [])]);
    got.fill(null);
  };
  dirs.forEach((d, k) => addLayerHooks(d.layer, {
    onTap: (dh, mask) => {
      removeLayerHooks(d.layer, ['onTap']);
      if (disposed) {
        tf.dispose([dh, ...(mask ? [mask] : [])]);
        return;
      }
      got[k] = { dh, mask };
    },
  }));
  const disarm = () => {
    disposed = true;
    for (const d of dirs) removeLayerHooks(d.layer, ['onTap']);
    free();
  };
  return {
    get ready() {
      return got.every((g) => g != null);
    },
    async read() {
      if (!got.every((g) => g != null)) return null;
      try {
        const directions = await Promise.all(dirs.map(async (d, k): Promise<DirectionGradient> => {
          const { dh, mask } = got[k]!;
          const [B, T, u] = dh.shape as [number, number, number];
          const [v, m] = await Promise.all([values(dh), mask ? values(mask) : null]);
          return { direction: d.direction, goBackwards: d.goBackwards, B, T, units: u, mask: maskOf(m, B, T, d.goBackwards), dh: byPosition(v, B, T, u, d.goBackwards) };
        }));
        return { layer: layerName, kind: KIND_NAMES[cell], directions };
      } finally {
        disarm();
      }
    },
    dispose: disarm,
  };
}
