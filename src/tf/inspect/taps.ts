/**
 * Per-step probes on the compiled model's own recurrent layers: while a forward pass runs, each
 * instrumented layer records what its cell computes at every step (h, c, the gates) and, when asked,
 * adds a tap tensor ε_k (zeros) to h at every step k, so that `tf.grads(loss)(ε)` gives ∂L/∂h_k for
 * all steps in one backward pass (ε enters h_k and everything after it, so its gradient is the total
 * derivative the lesson's BPTT equations describe).
 *
 * How: TF.js's `rnn()` calls `layer.cell.call([x_k, h_{k-1}, c_{k-1}])` once per step; this file
 * wraps that method on the layer *instance* for the duration of one pass (`instrument` → `restore`).
 * The cell's own call still computes h_k and c_k with its own weights; the gates are recomputed from
 * the same weights and activation objects, and checked against the cell's real outputs at every step
 * (`c_k = f ⊙ c_{k-1} + i ⊙ g`, `h_k = o ⊙ act(c_k)`; GRU `h_k = z ⊙ h_{k-1} + (1 − z) ⊙ g`):
 * the largest difference is reported by `identityError(probe)` (float32 rounding, ~1e-7).
 *
 * Processing step k reads input position p = k, or T−1−k for a layer that reads backwards
 * (go_backwards, Bidirectional's backward layer). Everything is returned by *position*.
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { CellKind } from '../../core/layers/cell.ts';
import type { TF } from '../../core/layers/tfjs.ts';

type Tensor = tfjs.Tensor;

/** What the wrapped cell records at one processing step (kept tensors, disposed by `release`). */
interface StepRecord {
  readonly h: Tensor;
  readonly c?: Tensor;
  readonly gates: Record<string, Tensor>;
}

/** One instrumented recurrent layer (a plain RNN layer, or one direction of a Bidirectional). */
export interface Probe {
  readonly layer: tfjs.RNN;
  readonly kind: CellKind;
  readonly goBackwards: boolean;
  /** Steps and batch size of the last pass (from its input). */
  T: number;
  B: number;
  /** The mask the layer used, [B, T] in position order (null: none). */
  mask: Tensor | null;
  /** Initial states the first step read (h, then c). */
  initial: Tensor[];
  readonly steps: StepRecord[];
  /** Per step: the largest |difference| between the recomputed gate identities and the cell's real states. */
  readonly errors: Tensor[];
  /** Taps for the pass: [T, B, units] in processing order; ε_k is added to h_k. */
  tap?: Tensor;
}

interface CellLike {
  call(inputs: Tensor | Tensor[], kwargs: Record<string, unknown>): Tensor | Tensor[];
  units: number;
  kernel: tfjs.LayerVariable;
  recurrentKernel: tfjs.LayerVariable;
  bias: tfjs.LayerVariable | null;
  useBias: boolean;
  activation?: { apply(x: Tensor): Tensor };
  recurrentActivation?: { apply(x: Tensor): Tensor };
  /** UnrollGRUCell's activation objects and variant. */
  act?: { apply(x: Tensor): Tensor };
  recAct?: { apply(x: Tensor): Tensor };
  resetAfter?: boolean;
}

interface LayerLike {
  call(inputs: Tensor | Tensor[], kwargs: Record<string, unknown>): Tensor | Tensor[];
  cell: CellLike;
  maskIn?: boolean;
  maskCall?: boolean;
}

export interface Instrumented {
  readonly probes: readonly Probe[];
  /** Puts the layers' own methods back and disposes what the probes kept. */
  restore(): void;
}

/** The gates of one step, recomputed from the cell's weights, and the identity error against its outputs. */
function gatesOf(tf: TF, kind: CellKind, cell: CellLike, inputs: Tensor[], out: Tensor[]): { gates: Record<string, Tensor>; err: Tensor } {
  const [x, hPrev, cPrev] = inputs;
  const u = cell.units;
  const act = (cell.activation ?? cell.act)!;
  const rec = (cell.recurrentActivation ?? cell.recAct)!;
  const K = cell.kernel.read();
  const U = cell.recurrentKernel.read();
  const b = cell.useBias && cell.bias ? cell.bias.read() : null;
  const maxAbs = (a: Tensor, c: Tensor) => tf.max(tf.abs(tf.sub(a, c)));
  if (kind === 'LSTM') {
    let z = tf.add(tf.matMul(x, K), tf.matMul(hPrev, U));
    if (b) z = tf.add(z, b);
    const [z0, z1, z2, z3] = tf.split(z, 4, -1);
    const i = rec.apply(z0), f = rec.apply(z1), g = act.apply(z2), o = rec.apply(z3);
    const [h, , c] = out;
    const c2 = tf.add(tf.mul(f, cPrev), tf.mul(i, g));
    const h2 = tf.mul(o, act.apply(c));
    return { gates: { i, f, g, o }, err: tf.maximum(maxAbs(c, c2), maxAbs(h, h2)) };
  }
  if (kind === 'GRU') {
    const resetAfter = cell.resetAfter ?? true;
    let inB: Tensor | null = null, recB: Tensor | null = null;
    if (b) {
      if (resetAfter) [inB, recB] = tf.unstack(b, 0);
      else inB = b;
    }
    let mx = tf.matMul(x, K);
    if (inB) mx = tf.add(mx, inB);
    const [xz, xr, xh] = tf.split(mx, 3, -1);
    let inner = tf.matMul(hPrev, resetAfter ? U : tf.slice(U, [0, 0], [u, 2 * u]));
    if (recB) inner = tf.add(inner, recB);
    const parts = tf.split(inner, resetAfter ? 3 : 2, -1);
    const z = rec.apply(tf.add(xz, parts[0]));
    const r = rec.apply(tf.add(xr, parts[1]));
    const rh = resetAfter ? tf.mul(r, parts[2]) : tf.matMul(tf.mul(r, hPrev), tf.slice(U, [0, 2 * u], [u, u]));
    const g = act.apply(tf.add(xh, rh));
    const h2 = tf.add(tf.mul(z, hPrev), tf.mul(tf.sub(1, z), g));
    return { gates: { z, r, g }, err: maxAbs(out[0], h2) };
  }
  let a = tf.add(tf.matMul(x, K), tf.matMul(hPrev, U));
  if (b) a = tf.add(a, b);
  return { gates: {}, err: maxAbs(out[0], act.apply(a)) };
}

export interface InstrumentOptions {
  /** Record h, c and the gates at every step. */
  readonly trace: boolean;
}

/**
 * Wraps the cells of `layers` for the next pass(es). Set `probe.tap` before a pass to add taps.
 * Always call `restore()` (in a finally block).
 */
export function instrument(
  tf: TF,
  layers: readonly { layer: tfjs.RNN; kind: CellKind; goBackwards: boolean }[],
  opts: InstrumentOptions,
): Instrumented {
  const undo: (() => void)[] = [];
  const probes: Probe[] = layers.map(({ layer, kind, goBackwards }) => {
    const probe: Probe = { layer, kind, goBackwards, T: 0, B: 0, mask: null, initial: [], steps: [], errors: [] };
    const L = layer as unknown as LayerLike;
    const cell = L.cell;
    const layerCall = L.call;
    const cellCall = cell.call;
    const ownLayer = Object.prototype.hasOwnProperty.call(L, 'call');
    const ownCell = Object.prototype.hasOwnProperty.call(cell, 'call');
    let k = 0;
    let taps: Tensor[] = [];
    L.call = function (inputs, kwargs) {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      probe.B = x.shape[0];
      probe.T = x.shape[1] ?? 0;
      k = 0;
      release(tf, probe);
      // The mask the layer uses: Unroll's mask-gated classes drop one Keras would not pass (maskIn, maskCall).
      const mask = L.maskIn === false || L.maskCall === false ? null : (kwargs?.mask as Tensor | null | undefined) ?? null;
      probe.mask = mask ? tf.keep(tf.cast(mask, 'float32')) : null;
      taps = probe.tap ? tf.unstack(probe.tap) : [];
      try {
        return layerCall.call(this, inputs, kwargs);
      } finally {
        tf.dispose(taps);
        taps = [];
      }
    };
    cell.call = function (inputs, kwargs) {
      const step = k++;
      const ins = inputs as Tensor[];
      if (step === 0 && opts.trace) probe.initial = ins.slice(1).map((s) => tf.keep(s.clone()));
      let out = cellCall.call(this, inputs, kwargs) as Tensor[];
      if (opts.trace) {
        const { gates, err } = gatesOf(tf, kind, cell, ins, out);
        probe.errors.push(tf.keep(err));
        const keep: Record<string, Tensor> = {};
        for (const [name, t] of Object.entries(gates)) keep[name] = tf.keep(t);
        probe.steps.push({ h: tf.keep(out[0].clone()), ...(kind === 'LSTM' ? { c: tf.keep(out[2].clone()) } : {}), gates: keep });
      }
      const e = taps[step];
      if (e) {
        const h = tf.add(out[0], e);
        out = [h, h, ...out.slice(2)];
      }
      return out;
    };
    undo.push(() => {
      restoreMethod(L, 'call', layerCall, ownLayer);
      restoreMethod(cell, 'call', cellCall, ownCell);
    });
    return probe;
  });
  return {
    probes,
    restore() {
      for (const u of undo) u();
      for (const p of probes) release(tf, p);
    },
  };
}

/** Puts back a method an instance property shadowed (or the instance's own one). */
function restoreMethod<T extends object>(obj: T, key: keyof T & string, original: unknown, wasOwn: boolean): void {
  if (wasOwn) (obj as Record<string, unknown>)[key] = original;
  else delete (obj as Record<string, unknown>)[key];
}

/** Disposes what a probe kept from its last pass. */
function release(tf: TF, p: Probe): void {
  for (const s of p.steps) tf.dispose([s.h, ...(s.c ? [s.c] : []), ...Object.values(s.gates)]);
  p.steps.length = 0;
  tf.dispose(p.initial);
  p.initial = [];
  if (p.mask) p.mask.dispose();
  p.mask = null;
  tf.dispose(p.errors);
  p.errors.length = 0;
}

/** Largest |difference| between the recomputed gate identities and the cell's real states, over the pass. */
export function identityError(p: Probe): number {
  let e = 0;
  for (const t of p.errors) e = Math.max(e, t.dataSync()[0]);
  return e;
}

/** Input position read at processing step k. */
export function positionOf(p: Pick<Probe, 'goBackwards' | 'T'>, k: number): number {
  return p.goBackwards ? p.T - 1 - k : k;
}

/** A [B][T][units] array of per-step tensors, by position; masked positions from `fill(b, t, prev)`. */
export interface TraceArrays {
  /** [B, T] 1 at real steps (all ones without a mask). */
  readonly real: Uint8Array;
  /** State after reading position t (masked steps carry the previous state), [B, T, u] flat. */
  readonly h: Float32Array;
  readonly c?: Float32Array;
  /** Gate activations at real steps (NaN at masked steps, where the cell is skipped), [B, T, u] flat. */
  readonly gates: Record<string, Float32Array>;
  readonly units: number;
}

/** Reads a traced pass into flat arrays by position, carrying states over masked steps. */
export function readTrace(p: Probe): TraceArrays {
  const { B, T } = p;
  const steps = p.steps.slice(-T);
  const u = steps[0]?.h.shape[1] ?? 0;
  const real = new Uint8Array(B * T).fill(1);
  if (p.mask) {
    const m = p.mask.dataSync();
    for (let i = 0; i < B * T; i++) real[i] = m[i] > 0 ? 1 : 0;
  }
  const h = new Float32Array(B * T * u);
  const c = p.kind === 'LSTM' ? new Float32Array(B * T * u) : undefined;
  const gateNames = Object.keys(steps[0]?.gates ?? {});
  const gates: Record<string, Float32Array> = {};
  for (const g of gateNames) gates[g] = new Float32Array(B * T * u).fill(NaN);
  let hPrev = p.initial[0]?.dataSync() ?? new Float32Array(B * u);
  let cPrev = p.initial[1]?.dataSync() ?? new Float32Array(B * u);
  for (let k = 0; k < steps.length; k++) {
    const t = positionOf(p, k);
    const hk = steps[k].h.dataSync();
    const ck = steps[k].c?.dataSync();
    const gk = gateNames.map((g) => steps[k].gates[g].dataSync());
    const hNext = new Float32Array(B * u);
    const cNext = new Float32Array(B * u);
    for (let b = 0; b < B; b++) {
      const on = real[b * T + t] === 1;
      for (let j = 0; j < u; j++) {
        const src = b * u + j;
        const dst = (b * T + t) * u + j;
        hNext[src] = on ? hk[src] : hPrev[src];
        h[dst] = hNext[src];
        if (c && ck) {
          cNext[src] = on ? ck[src] : cPrev[src];
          c[dst] = cNext[src];
        }
        if (on) gateNames.forEach((g, n) => (gates[g][dst] = gk[n][src]));
      }
    }
    hPrev = hNext;
    cPrev = cNext;
  }
  return { real, h, ...(c ? { c } : {}), gates, units: u };
}
