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
  BACKWARD_KERNEL, FORWARD_KERNEL, MATMUL_KERNEL, backwardOutputs, forwardOutputs, gateCount, outRows, stateCount,
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
  const { cell, units: u } = spec;
  const G = gateCount(cell);
  const [B, T, I] = t.x.shape;
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

  const h0 = t.initialState?.[0] ?? null;
  const c0 = cell === 'lstm' ? t.initialState?.[1] ?? null : null;
  const rd = t.recurrentDropoutMask ? tf.reshape(t.recurrentDropoutMask, [B, G * u]) : null;
  const training = tf.engine().isTapeOn();
  const attrs: RnnAttrs = {
    cell, resetAfter: spec.resetAfter, units: u, activation: spec.activation, recurrentActivation: spec.recurrentActivation,
    returnSequences: spec.returnSequences, saveForGrad: training || hooks.onTrace != null, tap: hooks.onTap != null,
  };
  const optional: Record<string, Tensor | null> = xw
    ? { xw, u: t.recurrentKernel, br: bRec, h0, c0 }
    : { x, w: t.kernel, u: t.recurrentKernel, bIn, br: bRec, h0, c0 };
  const names = Object.keys(optional).filter((k) => optional[k]);
  const diffInputs = names.map((k) => optional[k]!);
  const fixed: InputMap = {};
  if (mask) fixed.mask = mask;
  if (rd) fixed.rd = rd;

  const op = tf.customGrad((...args: (Tensor | ((ts: Tensor[]) => void))[]) => {
    const save = args.pop() as (ts: Tensor[]) => void;
    const ins: InputMap = { ...fixed, ...byName(names, args as Tensor[]) };
    // The input projection of every step as one matrix product.
    const proj = ins.xw ?? tf.reshape(project(tf, flat(tf, ins.x), ins.w, ins.bIn, gru && spec.resetAfter), [B, T, G * u]);
    const kernelIns: InputMap = { xw: proj, u: ins.u };
    for (const k of ['br', 'h0', 'c0', 'mask', 'rd']) if (ins[k]) kernelIns[k] = ins[k];
    const outs = byName(forwardOutputs(attrs), runForward(tf, kernelIns, attrs));
    if (hooks.onTrace) {
      hooks.onTrace({
        out: tf.keep(outs.out.clone()), gates: tf.keep(outs.gates.clone()), hprev: tf.keep(outs.hprev.clone()),
        cs: outs.cs ? tf.keep(outs.cs.clone()) : null, aux: outs.aux ? tf.keep(outs.aux.clone()) : null,
        mask: mask ? tf.keep(mask.clone()) : null,
      });
    }
    const savedNames = attrs.saveForGrad ? ['gates', 'hprev', ...(outs.cs ? ['cs'] : []), ...(outs.aux ? ['aux'] : [])] : [];
    const extra = ['u', ...['x', 'w', 'mask', 'rd', 'c0'].filter((k) => ins[k])];
    save([...savedNames.map((n) => outs[n]), ...extra.map((n) => ins[n])]);
    return {
      value: outs.out,
      gradFunc: (dy: Tensor | Tensor[], saved: Tensor[]) => {
        const s = byName([...savedNames, ...extra], saved);
        const bw = byName(backwardOutputs(attrs), runBackward(tf, { ...s, dout: Array.isArray(dy) ? dy[0] : dy }, attrs));
        if (hooks.onTap && bw.dh) hooks.onTap(tf.keep(bw.dh.clone()), s.mask ? tf.keep(s.mask.clone()) : null);
        const dxw = flat(tf, bw.dxw);
        const drec = bw.drec ? flat(tf, bw.drec) : dxw;
        const hprev = flat(tf, s.hprev);
        // dU, gate block by gate block: (recurrent input of the block)ᵀ · drec_block.
        const blocks = gru && !spec.resetAfter ? 2 : G;
        const rds = s.rd ? tf.split(s.rd, G, 1) : null;
        const dUs: Tensor[] = [];
        if (!rds) {
          dUs.push(matMulT(tf, hprev, blocks === G ? drec : tf.slice(drec, [0, 0], [B * T, blocks * u]), true, false));
        } else {
          const drecs = tf.split(drec, G, 1);
          for (let g = 0; g < blocks; g++) {
            const input = tf.mul(tf.reshape(s.hprev, [B, T, u]), tf.reshape(rds[g], [B, 1, u]));
            dUs.push(matMulT(tf, flat(tf, input), drecs[g], true, false));
          }
        }
        // GRU reset_before: the h block's recurrent input is r ⊙ hp_h (saved as aux).
        if (blocks < G) dUs.push(matMulT(tf, flat(tf, s.aux), tf.slice(dxw, [0, 2 * u], [B * T, u]), true, false));
        const grads: Record<string, Tensor> = {
          xw: bw.dxw,
          u: dUs.length === 1 ? dUs[0] : tf.concat(dUs, 1),
        };
        if (s.x) {
          grads.x = tf.reshape(matMulT(tf, dxw, s.w, false, true), [B, T, I]);
          grads.w = matMulT(tf, flat(tf, s.x), dxw, true, false);
          grads.bIn = tf.sum(dxw, 0);
        }
        if (bRec) grads.br = tf.sum(drec, 0);
        if (h0) grads.h0 = bw.dh0;
        if (c0) grads.c0 = bw.dc0;
        return names.map((n) => grads[n]);
      },
    };
  });
  const out = op(...diffInputs);
  const Tout = spec.returnSequences ? T : 1;
  const R = outRows(attrs, T);
  if (out.shape[1] !== R) throw new Error(`fused RNN: out has ${out.shape[1]} rows, expected ${R}`);
  const output = spec.returnSequences
    ? tf.slice(out, [0, 0, 0], [B, T, u])
    : tf.reshape(tf.slice(out, [0, 0, 0], [B, 1, u]), [B, u]);
  const states = Array.from({ length: stateCount(cell) }, (_, k) => tf.reshape(tf.slice(out, [0, Tout + k, 0], [B, 1, u]), [B, u]));
  return { output, states };
}
