/**
 * The Adam update of one variable as one kernel call, `UnrollAdam`, and the same update as TF.js
 * ops where a backend has no kernel for it. With t = iterations + 1:
 *
 *   alpha = lr · √(1 − β2^t) / (1 − β1^t)
 *   m ← m + (g − m)(1 − β1)
 *   v ← v + (g² − v)(1 − β2)
 *   w ← w − m·alpha / (√v + ε)
 *
 * This is keras/src/optimizers/adam.py's form. The optimizer (src/tf/train/optimizer.ts) passes
 * ε·√(1 − β2^t) as `epsilon`, which makes it exactly TF.js's AdamOptimizer, w − lr·m̂ / (√v̂ + ε):
 * Unroll keeps TF.js's placement of ε (see unrollAdam there for why). TF.js's own runs ~13 kernels
 * a variable (on webgl, a shader program each: ~120 programs a training step of the benchmark's
 * Bidirectional model); this is three programs a variable on webgl (one per output: a program
 * writes one texture) and one pass on cpu and wasm.
 *
 * | input | | output | |
 * |---|---|---|---|
 * | `value` | the variable w | 0 | the new w |
 * | `m` | the first moment | 1 | the new m |
 * | `v` | the second moment | 2 | the new v |
 * | `g` | the gradient | | |
 *
 * All four are float32 of one shape. Attributes: `alpha` and `epsilon` (computed once a step by
 * the optimizer, in float64), `beta1`, `beta2`.
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { TF } from '../../core/layers/tfjs.ts';

export const ADAM_KERNEL = 'UnrollAdam';

export interface AdamAttrs {
  readonly alpha: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
}

/** The step's `alpha` at step t (1-based: Keras's `iterations + 1`). */
export function adamAlpha(lr: number, beta1: number, beta2: number, t: number): number {
  return (lr * Math.sqrt(1 - beta2 ** t)) / (1 - beta1 ** t);
}

/** The update in one pass (cpu and wasm kernels): writes the new w, m, v into the outputs. */
export function adamLoop(
  a: AdamAttrs,
  w: Float32Array, m: Float32Array, v: Float32Array, g: Float32Array,
  outW: Float32Array, outM: Float32Array, outV: Float32Array,
): void {
  const c1 = Math.fround(1 - a.beta1), c2 = Math.fround(1 - a.beta2);
  const alpha = Math.fround(a.alpha), eps = Math.fround(a.epsilon);
  for (let k = 0; k < w.length; k++) {
    const gk = g[k];
    const mk = Math.fround(m[k] + (gk - m[k]) * c1);
    const vk = Math.fround(v[k] + (gk * gk - v[k]) * c2);
    outM[k] = mk;
    outV[k] = vk;
    outW[k] = w[k] - (mk * alpha) / (Math.sqrt(vk) + eps);
  }
}

/** The update as TF.js ops (backends without the kernel): [new w, new m, new v]. */
export function composedAdam(tf: TF, a: AdamAttrs, w: tfjs.Tensor, m: tfjs.Tensor, v: tfjs.Tensor, g: tfjs.Tensor): tfjs.Tensor[] {
  return tf.tidy(() => {
    const m1 = tf.add(m, tf.mul(tf.sub(g, m), 1 - a.beta1));
    const v1 = tf.add(v, tf.mul(tf.sub(tf.square(g), v), 1 - a.beta2));
    const w1 = tf.sub(w, tf.div(tf.mul(m1, a.alpha), tf.add(tf.sqrt(v1), a.epsilon)));
    return [w1, m1, v1];
  });
}

/** Whether the kernel can take this variable on the current backend. */
function kernelTakes(tf: TF, w: tfjs.Tensor): boolean {
  return w.dtype === 'float32' && w.size > 0 && tf.getKernel(ADAM_KERNEL, tf.getBackend()) != null;
}

/** One variable's update: [new w, new m, new v] (by the kernel where the backend has it). */
export function adamUpdate(tf: TF, a: AdamAttrs, w: tfjs.Tensor, m: tfjs.Tensor, v: tfjs.Tensor, g: tfjs.Tensor): tfjs.Tensor[] {
  if (!kernelTakes(tf, w) || g.dtype !== 'float32') return composedAdam(tf, a, w, m, v, g);
  return tf.engine().runKernel(ADAM_KERNEL, { value: w, m, v, g } as unknown as tfjs.NamedTensorMap, a as unknown as tfjs.NamedAttrMap) as unknown as tfjs.Tensor[];
}
