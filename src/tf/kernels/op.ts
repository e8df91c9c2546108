/**
 * `fusedRnn`: one recurrent layer direction as one differentiable TF.js op.
 *
 *   x ─ reverse (go_backwards) ─ ⊙ dropout mask ─ xw = x·W + b_in (one matMul for all steps)
 *   xw, U, b_rec, h0, c0 ─ tf.customGrad( UnrollRnnForward / UnrollRnnBackward ) ─ out
 *   out ─ slices ─ output (every step, or the last), final states
 *
 * TF.js's autodiff differentiates the projection (dx, dW, db_in) and the slices; the custom
 * gradient runs the backward kernel and one matMul for dU. The kernels are whatever is registered
 * for the active backend under FORWARD_KERNEL / BACKWARD_KERNEL (register.ts: cpu and wasm; the
 * bench helper: webgl); without one, composed.ts runs the same contract as TF.js ops.
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { TF } from '../../core/layers/tfjs.ts';
import { composedBackward, composedForward } from './composed.ts';
import {
  BACKWARD_KERNEL, FORWARD_KERNEL, MATMUL_KERNEL, backwardOutputs, forwardOutputs, gateCount, outRows, perLayer, stateCount,
  type RnnAttrs,
} from './contract.ts';
import { rnnWasm } from './wasmLoops.ts';

type Tensor = tfjs.Tensor;
type Attrs = Omit<RnnAttrs, 'saveForGrad' | 'tap'>;

export interface FusedRnnSpec extends Attrs {
  readonly goBackwards: boolean;
}

export interface FusedRnnTensors {
  /** [B, T, I] */
  readonly x: Tensor;
  /** [I, Gu] */
  readonly kernel: Tensor;
  /** [u, Gu] */
  readonly recurrentKernel: Tensor;
  /** [Gu], or [2, Gu] for GRU reset_after (input row, recurrent row); null without bias. */
  readonly bias: Tensor | null;
  /** [B, T], any dtype; nonzero = real step. */
  readonly mask: Tensor | null;
  /** h0 (and c0 for LSTM), [B, u] each; null = zeros. */
  readonly initialState: readonly Tensor[] | null;
  /**
   * Input dropout, scaled (0 or 1/(1−rate)), one per sequence: [B, I] shared by the gates, or
   * [B, G, I] one per gate (Keras does that when recurrent_dropout > 0).
   */
  readonly dropoutMask: Tensor | null;
  /** Recurrent dropout, scaled, one per sequence and gate: [B, G, u] or [B, G·u] (SimpleRNN: [B, u]). */
  readonly recurrentDropoutMask: Tensor | null;
}

/** What the forward kernel saved, in processing order (for traces). */
export interface SavedForward {
  readonly out: Tensor;
  readonly gates: Tensor;
  /** [B, T, u] h before each step (not dropped out). */
  readonly hprev: Tensor;
  readonly cs: Tensor | null;
  readonly aux: Tensor | null;
  /** [B, T] float32 in processing order, or null. */
  readonly mask: Tensor | null;
}

export interface FusedRnnHooks {
  /** Run the forward kernel with saveForGrad and hand over its outputs (kept; the receiver disposes them). */
  readonly onTrace?: (saved: SavedForward) => void;
  /**
   * Ask the backward kernel for ∂L/∂h_t: [B, T, u] in processing order, with the mask it used
   * ([B, T] processing order, or null). Kept; the receiver disposes them.
   */
  readonly onTap?: (dh: Tensor, mask: Tensor | null) => void;
}

export interface FusedRnnResult {
  /** [B, T, u] with returnSequences (processing order, as Keras returns it for go_backwards), else [B, u]. */
  readonly output: Tensor;
  /** Final h (and c for LSTM), [B, u] each. */
  readonly states: Tensor[];
}

type InputMap = Record<string, Tensor>;

/** Whether the active backend has the fused kernels registered (else the composed ops run). */
export function hasFusedKernels(tf: TF): boolean {
  const backend = tf.getBackend();
  return tf.getKernel(FORWARD_KERNEL, backend) != null && tf.getKernel(BACKWARD_KERNEL, backend) != null;
}

function runForward(tf: TF, inputs: InputMap, attrs: RnnAttrs): Tensor[] {
  if (hasFusedKernels(tf)) {
    const r = tf.engine().runKernel(FORWARD_KERNEL, inputs as unknown as tfjs.NamedTensorMap, attrs as unknown as tfjs.NamedAttrMap);
    return Array.isArray(r) ? r : [r as Tensor];
  }
  return composedForward(tf, inputs, attrs);
}

function runBackward(tf: TF, inputs: InputMap, attrs: RnnAttrs): Tensor[] {
  if (hasFusedKernels(tf)) {
    const r = tf.engine().runKernel(BACKWARD_KERNEL, inputs as unknown as tfjs.NamedTensorMap, attrs as unknown as tfjs.NamedAttrMap);
    return Array.isArray(r) ? r : [r as Tensor];
  }
  return composedBackward(tf, inputs, attrs);
}

function byName(names: readonly string[], ts: readonly Tensor[]): Record<string, Tensor> {
  if (names.length !== ts.length) throw new Error(`fused RNN kernel returned ${ts.length} outputs, expected ${names.length} (${names.join(', ')})`);
  return Object.fromEntries(names.map((n, i) => [n, ts[i]]));
}

/**
 * a·b with either side transposed. TF.js 4.22's wasm BatchMatMul takes a slow path for
 * transposeA/transposeB (measured here: 9 ms for [1280,32]ᵀ·[1280,128], 0.6 ms after an explicit
 * transpose), so on wasm the transpose is done first; elsewhere the flags are cheaper.
 */
function matMulT(tf: TF, a: Tensor, b: Tensor, transposeA: boolean, transposeB: boolean, bias?: Tensor): Tensor {
  const backend = tf.getBackend();
  if (backend === 'cpu' && tf.getKernel(MATMUL_KERNEL, 'cpu') && rnnWasm()) {
    const inputs = { a, b, ...(bias ? { bias } : {}) } as unknown as tfjs.NamedTensorMap;
    const r = tf.engine().runKernel(MATMUL_KERNEL, inputs, { transposeA, transposeB } as unknown as tfjs.NamedAttrMap);
    return Array.isArray(r) ? r[0] : (r as Tensor);
  }
  const y = backend === 'wasm'
    ? tf.matMul(transposeA ? tf.transpose(a) : a, transposeB ? tf.transpose(b) : b)
    : tf.matMul(a, b, transposeA, transposeB);
  return bias ? tf.add(y, bias) : y;
}

/**
 * x reversed along time. TF.js's cpu Reverse walks element by element (~28 ms for [32, 40, 16]
 * here); a gather of the reversed step indices is ~20× faster there.
 */
function reverseTime(tf: TF, x: Tensor): Tensor {
  if (tf.getBackend() !== 'cpu') return tf.reverse(x, 1);
  const T = x.shape[1]!;
  return tf.gather(x, tf.tensor1d(Array.from({ length: T }, (_, t) => T - 1 - t), 'int32'), 1);
}

/** x·w + bias, the input projection of every step. */
function project(tf: TF, x: Tensor, w: Tensor, bias: Tensor | undefined, biasIsRow: boolean): Tensor {
  if (tf.getBackend() === 'cpu') return matMulT(tf, x, w, false, false, bias);
  // (A row of GRU reset_after's (2, 3u) bias keeps its 2-D shape in the wasm backend's records,
  // which its fused matMul refuses: that one is added separately.)
  if (!bias || biasIsRow) {
    const y = tf.matMul(x, w);
    return bias ? tf.add(y, bias) : y;
  }
  return tf.fused.matMul({ a: x, b: w, bias });
}

/** [B, T, n] → [B·T, n] */
function flat(tf: TF, x: Tensor): Tensor {
  return tf.reshape(x, [x.shape[0] * x.shape[1]!, x.shape[2]!]);
}

/**
 * The input projection when each gate has its own input-dropout mask (Keras implementation 1,
 * used when recurrent_dropout > 0): xw[:, :, g] = (x ⊙ dm_g)·W_g + b_g, as one batched product.
 */
function perGateProjection(tf: TF, x: Tensor, w: Tensor, bias: Tensor | null, dm: Tensor, G: number, u: number): Tensor {
  const [B, T, I] = x.shape as number[];
  const xg = tf.mul(tf.reshape(x, [B, T, 1, I]), tf.reshape(dm, [B, 1, G, I])); // [B, T, G, I]
  const a = tf.transpose(tf.reshape(xg, [B * T, G, I]), [1, 0, 2]); // [G, BT, I]
  const wg = tf.transpose(tf.reshape(w, [I, G, u]), [1, 0, 2]); // [G, I, u]
  const y = tf.reshape(tf.transpose(tf.matMul(a, wg), [1, 0, 2]), [B, T, G * u]);
  return bias ? tf.add(y, bias) : y;
}

/** One direction of a recurrent layer through the fused op. Call inside a tidy. */
export function fusedRnn(tf: TF, spec: FusedRnnSpec, t: FusedRnnTensors, hooks: FusedRnnHooks = {}): FusedRnnResult {
  return fusedGroup(tf, [spec], [t], hooks)[0];
}

/**
 * Whether two layers can run as one kernel call on the active backend (`fusedRnnPair`): webgl with
 * its kernels registered, the same configuration but for go_backwards, and the same inputs
 * present with the same shapes.
 */
export function pairs(tf: TF, specs: readonly FusedRnnSpec[], ts: readonly FusedRnnTensors[]): boolean {
  if (specs.length !== 2 || tf.getBackend() !== 'webgl' || !hasFusedKernels(tf)) return false;
  const [a, b] = specs, [p, q] = ts;
  const same = (x: Tensor | null | undefined, y: Tensor | null | undefined) => (x == null) === (y == null) && (x == null || String(x.shape) === String(y!.shape));
  return a.cell === b.cell && a.resetAfter === b.resetAfter && a.units === b.units && a.activation === b.activation
    && a.recurrentActivation === b.recurrentActivation && a.returnSequences === b.returnSequences
    && same(p.x, q.x) && same(p.kernel, q.kernel) && same(p.recurrentKernel, q.recurrentKernel) && same(p.bias, q.bias)
    && same(p.mask, q.mask) && same(p.dropoutMask, q.dropoutMask) && same(p.recurrentDropoutMask, q.recurrentDropoutMask)
    && (p.initialState?.length ?? 0) === (q.initialState?.length ?? 0)
    && (p.initialState ?? []).every((h, k) => same(h, q.initialState![k]));
}

/**
 * Two layers of one configuration (the directions of a Bidirectional), each with its own weights
 * and go_backwards. On webgl they run as one kernel call stacked along the batch (each step's
 * programs serve both: half the dispatches); elsewhere, or when `pairs` says no, one after the
 * other. Same results as two `fusedRnn` calls. Call inside a tidy.
 */
export function fusedRnnPair(tf: TF, specs: readonly [FusedRnnSpec, FusedRnnSpec], ts: readonly [FusedRnnTensors, FusedRnnTensors]): [FusedRnnResult, FusedRnnResult] {
  if (!pairs(tf, specs, ts)) return [fusedRnn(tf, specs[0], ts[0]), fusedRnn(tf, specs[1], ts[1])];
  const [a, b] = fusedGroup(tf, specs, ts, {});
  return [a, b];
}

/** One direction's inputs, prepared for the op (reversed for go_backwards, dropout applied). */
interface Prepared {
  readonly x: Tensor;
  readonly mask: Tensor | null;
  readonly bIn: Tensor | null;
  readonly bRec: Tensor | null;
  /** The projection, when each gate has its own input mask (TF.js ops, autodiff). */
  readonly xw: Tensor | null;
  readonly h0: Tensor | null;
  readonly c0: Tensor | null;
  readonly rd: Tensor | null;
}

function prepare(tf: TF, spec: FusedRnnSpec, t: FusedRnnTensors): Prepared {
  const { cell, units: u } = spec;
  const G = gateCount(cell);
  const [B, , I] = t.x.shape;
  const gru = cell === 'gru';
  let x = t.x;
  let mask = t.mask ? tf.cast(t.mask, 'float32') : null;
  if (spec.goBackwards) {
    x = reverseTime(tf, x);
    if (mask) mask = reverseTime(tf, mask);
  }
  let bIn: Tensor | null = null, bRec: Tensor | null = null;
  if (t.bias) {
    if (gru && spec.resetAfter) [bIn, bRec] = tf.unstack(t.bias, 0);
    else bIn = t.bias;
  }
  if (gru && spec.resetAfter && !bRec) bRec = tf.zeros([G * u]);
  // Where each gate has its own input mask, the projection is TF.js ops (autodiff) before the op;
  // otherwise it is inside the op, with its gradient written out (explicit transposes on wasm).
  let xw: Tensor | null = null;
  const dm = t.dropoutMask;
  if (dm && dm.rank === 3) xw = perGateProjection(tf, x, t.kernel, bIn, dm, G, u);
  else if (dm) x = tf.mul(x, tf.reshape(dm, [B, 1, I]));
  return {
    x, mask, bIn, bRec, xw,
    h0: t.initialState?.[0] ?? null,
    c0: cell === 'lstm' ? t.initialState?.[1] ?? null : null,
    rd: t.recurrentDropoutMask ? tf.reshape(t.recurrentDropoutMask, [B, G * u]) : null,
  };
}

/** Along the batch: the tensors of every layer as one (a single layer's as it is). */
function stack(tf: TF, ts: readonly Tensor[]): Tensor {
  return ts.length === 1 ? ts[0] : tf.concat([...ts], 0);
}

/** Layer k's rows of a tensor stacked along the batch by `stack` (n layers of B rows). */
function rowsOf(tf: TF, x: Tensor, k: number, n: number): Tensor {
  if (n === 1) return x;
  const B = x.shape[0] / n;
  return tf.slice(x, [k * B, ...x.shape.slice(1).map(() => 0)], [B, ...x.shape.slice(1)]);
}

/**
 * n layers of one configuration (specs differ at most in go_backwards) through one kernel call,
 * stacked along the batch (n > 1: webgl only, see `pairs`). Hooks only for a single layer.
 */
function fusedGroup(tf: TF, specs: readonly FusedRnnSpec[], ts: readonly FusedRnnTensors[], hooks: FusedRnnHooks): FusedRnnResult[] {
  const n = specs.length;
  if (n > 1 && (hooks.onTrace || hooks.onTap)) throw new Error('fused RNN: traces and taps watch one layer at a time');
  const spec = specs[0];
  const { cell, units: u } = spec;
  const G = gateCount(cell);
  const [B, T, I] = ts[0].x.shape;
  const gru = cell === 'gru';
  const ps = specs.map((sp, k) => prepare(tf, sp, ts[k]));
  const p0 = ps[0];
  const training = tf.engine().isTapeOn();
  const webgl = tf.getBackend() === 'webgl' && hasFusedKernels(tf);
  const attrs: RnnAttrs = {
    cell, resetAfter: spec.resetAfter, units: u, activation: spec.activation, recurrentActivation: spec.recurrentActivation,
    returnSequences: spec.returnSequences, saveForGrad: training || hooks.onTrace != null, tap: hooks.onTap != null,
    ...(n > 1 ? { groups: n } : {}),
    // On webgl the backward kernel sums dxw (and drec) for the biases' gradients itself.
    ...(webgl && ps.some((p) => (p.bIn && !p.xw) || p.bRec) ? { sums: true } : {}),
    // On webgl the forward hands its own dense rows to the backward (a trace reads the packed ones).
    ...(webgl && training && !hooks.onTrace ? { denseSaved: true } : {}),
  };
  // The differentiable inputs, layer by layer: `k:name`.
  const optional: Record<string, Tensor | null> = {};
  ps.forEach((p, k) => {
    const t = ts[k];
    const own: Record<string, Tensor | null> = p.xw
      ? { xw: p.xw, u: t.recurrentKernel, br: p.bRec, h0: p.h0, c0: p.c0 }
      : { x: p.x, w: t.kernel, u: t.recurrentKernel, bIn: p.bIn, br: p.bRec, h0: p.h0, c0: p.c0 };
    for (const [name, v] of Object.entries(own)) optional[`${k}:${name}`] = v;
  });
  const names = Object.keys(optional).filter((k) => optional[k]);
  const diffInputs = names.map((k) => optional[k]!);
  const mask = p0.mask ? stack(tf, ps.map((p) => p.mask!)) : null;
  const rd = p0.rd ? stack(tf, ps.map((p) => p.rd!)) : null;
  const fixed: InputMap = {};
  if (mask) fixed.mask = mask;
  if (rd) fixed.rd = rd;
  const layer = (ins: InputMap, k: number, name: string): Tensor | undefined => ins[`${k}:${name}`];
  const all = (ins: InputMap, name: string): Tensor[] | null => {
    const xs = ps.map((_, k) => layer(ins, k, name));
    return xs.every((x) => x) ? (xs as Tensor[]) : null;
  };

  const op = tf.customGrad((...args: (Tensor | ((ts: Tensor[]) => void))[]) => {
    const save = args.pop() as (ts: Tensor[]) => void;
    const ins: InputMap = { ...fixed, ...byName(names, args as Tensor[]) };
    // The input projection of every step as one matrix product (a layer).
    const projs = ps.map((_, k) => layer(ins, k, 'xw')
      ?? tf.reshape(project(tf, flat(tf, layer(ins, k, 'x')!), layer(ins, k, 'w')!, layer(ins, k, 'bIn'), gru && spec.resetAfter), [B, T, G * u]));
    const us = all(ins, 'u')!;
    // A grouped call takes each layer's projection as it is (contract.ts PER_LAYER).
    const kernelIns: InputMap = { ...Object.fromEntries(perLayer(['xw'], n).map((nm, k) => [nm, projs[k]])), u: n === 1 ? us[0] : tf.concat(us, 0) };
    const brs = all(ins, 'br');
    if (brs) kernelIns.br = n === 1 ? brs[0] : tf.stack(brs, 0);
    for (const k of ['h0', 'c0']) {
      const xs = all(ins, k);
      if (xs) kernelIns[k] = stack(tf, xs);
    }
    for (const k of ['mask', 'rd']) if (ins[k]) kernelIns[k] = ins[k];
    const outs = byName(forwardOutputs(attrs), runForward(tf, kernelIns, attrs));
    if (hooks.onTrace) {
      hooks.onTrace({
        out: tf.keep(outs.out.clone()), gates: tf.keep(outs.gates.clone()), hprev: tf.keep(outs.hprev.clone()),
        cs: outs.cs ? tf.keep(outs.cs.clone()) : null, aux: outs.aux ? tf.keep(outs.aux.clone()) : null,
        mask: mask ? tf.keep(mask.clone()) : null,
      });
    }
    const savedNames = attrs.saveForGrad ? forwardOutputs(attrs).filter((nm) => nm !== 'out') : [];
    const extra: [string, Tensor][] = [['u', kernelIns.u]];
    for (const k of ['mask', 'rd', 'c0']) if (kernelIns[k]) extra.push([k, kernelIns[k]]);
    ps.forEach((_, k) => {
      for (const name of ['x', 'w']) {
        const v = layer(ins, k, name);
        if (v) extra.push([`${k}:${name}`, v]);
      }
    });
    save([...savedNames.map((nm) => outs[nm]), ...extra.map(([, v]) => v)]);
    return {
      value: outs.out,
      gradFunc: (dy: Tensor | Tensor[], saved: Tensor[]) => {
        const s = byName([...savedNames, ...extra.map(([nm]) => nm)], saved);
        // The kernel's inputs (a layer's own x and w serve dx and dW below).
        const kernelSaved = Object.fromEntries(Object.entries(s).filter(([nm]) => !/^\d+:/.test(nm)));
        const bw = byName(backwardOutputs(attrs), runBackward(tf, { ...kernelSaved, dout: Array.isArray(dy) ? dy[0] : dy }, attrs));
        if (hooks.onTap && bw.dh) hooks.onTap(tf.keep(bw.dh.clone()), s.mask ? tf.keep(s.mask.clone()) : null);
        const grads: Record<string, Tensor> = {};
        for (let k = 0; k < n; k++) {
          const own = (x: Tensor | undefined) => (x ? rowsOf(tf, x, k, n) : undefined);
          // Layer k's part of an output given once per layer (contract.ts PER_LAYER).
          const part = (r: Record<string, Tensor>, nm: string) => r[perLayer([nm], n)[k]];
          const dxw3 = part(bw, 'dxw');
          const dxw = flat(tf, dxw3);
          const drec = bw.drec ? flat(tf, part(bw, 'drec')) : dxw;
          const hprev3 = part(s, 'hprev');
          const hprev = flat(tf, hprev3);
          const rdk = own(s.rd);
          // dU, gate block by gate block: (recurrent input of the block)ᵀ · drec_block.
          const blocks = gru && !spec.resetAfter ? 2 : G;
          const rds = rdk ? tf.split(rdk, G, 1) : null;
          const dUs: Tensor[] = [];
          if (!rds) {
            dUs.push(matMulT(tf, hprev, blocks === G ? drec : tf.slice(drec, [0, 0], [B * T, blocks * u]), true, false));
          } else {
            const drecs = tf.split(drec, G, 1);
            for (let g = 0; g < blocks; g++) {
              const input = tf.mul(hprev3, tf.reshape(rds[g], [B, 1, u]));
              dUs.push(matMulT(tf, flat(tf, input), drecs[g], true, false));
            }
          }
          // GRU reset_before: the h block's recurrent input is r ⊙ hp_h (saved as aux).
          if (blocks < G) dUs.push(matMulT(tf, flat(tf, own(s.aux)!), tf.slice(dxw, [0, 2 * u], [B * T, u]), true, false));
          grads[`${k}:xw`] = dxw3;
          grads[`${k}:u`] = dUs.length === 1 ? dUs[0] : tf.concat(dUs, 1);
          const xk = s[`${k}:x`];
          if (xk) {
            const wk = s[`${k}:w`];
            grads[`${k}:x`] = tf.reshape(matMulT(tf, dxw, wk, false, true), [B, T, I]);
            grads[`${k}:w`] = matMulT(tf, flat(tf, xk), dxw, true, false);
            grads[`${k}:bIn`] = bw.dxwSum ? part(bw, 'dxwSum') : tf.sum(dxw, 0);
          }
          if (ps[k].bRec) grads[`${k}:br`] = bw.drecSum ? part(bw, 'drecSum') : tf.sum(drec, 0);
          if (ps[k].h0) grads[`${k}:h0`] = own(bw.dh0)!;
          if (ps[k].c0) grads[`${k}:c0`] = own(bw.dc0)!;
        }
        return names.map((nm) => grads[nm]);
      },
    };
  });
  const out = op(...diffInputs);
  const Tout = spec.returnSequences ? T : 1;
  const R = outRows(attrs, T);
  if (out.shape[1] !== R) throw new Error(`fused RNN: out has ${out.shape[1]} rows, expected ${R}`);
  return specs.map((_, k) => {
    const o = rowsOf(tf, out, k, n);
    const output = spec.returnSequences
      ? tf.slice(o, [0, 0, 0], [B, T, u])
      : tf.reshape(tf.slice(o, [0, 0, 0], [B, 1, u]), [B, u]);
    const states = Array.from({ length: stateCount(cell) }, (_, j) => tf.reshape(tf.slice(o, [0, Tout + j, 0], [B, 1, u]), [B, u]));
    return { output, states };
  });
}
