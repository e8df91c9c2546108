/**
 * Optimizers as Keras configures them: the TF.js optimizer with Keras's defaults, a learning rate
 * that schedules can change between steps, and Keras 3's gradient clipping
 * (keras/src/optimizers/base_optimizer.py `_clip_gradients`), which TF.js optimizers lack:
 *
 * - `clipnorm`: each variable's gradient separately, g · clipnorm / max(‖g‖, clipnorm);
 * - `global_clipnorm`: all gradients together, scaled so that their joint norm ≤ global_clipnorm;
 * - `clipvalue`: every element clipped to [-clipvalue, clipvalue].
 *
 * Keras allows one of them; the project schema refuses two. TF.js gives dense gradients for an
 * Embedding, so clipnorm measures the dense gradient (Keras's TensorFlow backend measures the
 * IndexedSlices' values, which is the same unless a batch repeats a token).
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { TF } from '../../core/layers/tfjs.ts';
import type { TrainingSettings } from '../../core/project.ts';
import { adamAlpha, adamUpdate, composedAdam, type AdamAttrs } from '../kernels/adam.ts';

/**
 * The optimizer of the settings (Keras's defaults for everything but the learning rate). Adam's
 * update is one kernel a variable with `fused` (the default; src/tf/kernels/adam.ts), else TF.js
 * ops (the benchmarks' stock path): the same equations, TF.js's (see unrollAdam).
 */
export function makeOptimizer(tf: TF, s: Pick<TrainingSettings, 'optimizer' | 'learning_rate'>, options: { fused?: boolean } = {}): tfjs.Optimizer {
  switch (s.optimizer) {
    case 'adam': return unrollAdam(tf, s.learning_rate, options.fused ?? true);
    case 'sgd': return tf.train.sgd(s.learning_rate);
    case 'rmsprop': return tf.train.rmsprop(s.learning_rate, 0.9, 0, 1e-7);
    case 'adagrad': return tf.train.adagrad(s.learning_rate, 0.1);
  }
}

interface WithRate {
  learningRate: number;
  setLearningRate?: (lr: number) => void;
}

/** The optimizer's current learning rate. */
export function learningRate(opt: tfjs.Optimizer): number {
  return (opt as unknown as WithRate).learningRate;
}

/** Sets the learning rate for the next steps (SGD caches it in a scalar: its own setter renews that). */
export function setLearningRate(opt: tfjs.Optimizer, lr: number): void {
  const o = opt as unknown as WithRate;
  if (o.learningRate === lr) return;
  if (typeof o.setLearningRate === 'function') o.setLearningRate(lr);
  else o.learningRate = lr;
}

export type Clipping = Pick<TrainingSettings, 'clipnorm' | 'clipvalue' | 'global_clipnorm'>;

/** Whether any clipping is set. */
export const clips = (c: Clipping): boolean => c.clipnorm !== null || c.clipvalue !== null || c.global_clipnorm !== null;

/**
 * The clipped gradients (new tensors; the caller disposes both maps). Gradients without a value
 * (variables the loss does not reach) are left out, as TF.js's variableGrads leaves them.
 */
export function clipGradients(tf: TF, grads: tfjs.NamedTensorMap, c: Clipping): tfjs.NamedTensorMap {
  const names = Object.keys(grads).filter((k) => grads[k] != null);
  return tf.tidy(() => {
    const out: tfjs.NamedTensorMap = {};
    if (c.clipnorm !== null) {
      const limit = c.clipnorm;
      for (const k of names) {
        const g = grads[k];
        const norm = tf.sqrt(tf.sum(tf.square(g)));
        out[k] = tf.div(tf.mul(g, limit), tf.maximum(norm, limit));
      }
    } else if (c.global_clipnorm !== null) {
      const limit = c.global_clipnorm;
      const total = tf.sqrt(tf.addN(names.map((k) => tf.sum(tf.square(grads[k])))));
      // tf.clip_by_global_norm: g · limit / max(global norm, limit).
      const scale = tf.div(limit, tf.maximum(total, limit));
      for (const k of names) out[k] = tf.mul(grads[k], scale);
    } else if (c.clipvalue !== null) {
      for (const k of names) out[k] = tf.clipByValue(grads[k], -c.clipvalue, c.clipvalue);
    } else {
      for (const k of names) out[k] = tf.clone(grads[k]);
    }
    return out;
  });
}

/** What unrollAdam uses of TF.js's AdamOptimizer (private there; the layout its getWeights/setWeights keep). */
interface AdamInternals {
  readonly learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly iterations: number;
  readonly accumulatedFirstMoment: { originalName: string; variable: tfjs.Variable }[];
  readonly accumulatedSecondMoment: { originalName: string; variable: tfjs.Variable }[];
  incrementIterations(): void;
}

type AdamClass = new (learningRate: number, fused: boolean) => tfjs.AdamOptimizer;
const ADAM_CLASSES = new WeakMap<object, AdamClass>();

/**
 * Adam as TF.js's AdamOptimizer computes it — its moments, iterations, weights' names and order,
 * config and class name, and its update w − lr·m̂ / (√v̂ + ε) — with the update of each variable as
 * one UnrollAdam kernel call when `fused` (src/tf/kernels/adam.ts), else as TF.js ops.
 *
 * Keras 3 adds ε to √v instead of √v̂ (keras/src/optimizers/adam.py): the same update but where
 * gradients are tiny (~1e-7), where Keras's steps are smaller. Unroll keeps TF.js's placement: the
 * templates' stated results were measured with it, and the difference decides a run that sits on
 * a plateau of tiny gradients — the stacked-rnn template (XOR at a marked step) reaches test
 * accuracy 1.000 in its 20 epochs with TF.js's placement and 0.757 with Keras's, same seed.
 */
export function unrollAdam(tf: TF, learningRate: number, fused: boolean): tfjs.AdamOptimizer {
  let C = ADAM_CLASSES.get(tf);
  if (!C) {
    C = class UnrollAdam extends tf.AdamOptimizer {
      readonly fused: boolean;
      constructor(lr: number, fusedUpdate: boolean) {
        super(lr, 0.9, 0.999, 1e-7);
        this.fused = fusedUpdate;
      }
      override applyGradients(variableGradients: tfjs.NamedTensorMap | { name: string; tensor: tfjs.Tensor }[]): void {
        adamStep(tf, this as unknown as AdamInternals, variableGradients, this.fused);
      }
    };
    ADAM_CLASSES.set(tf, C);
  }
  return new C(learningRate, fused);
}

function adamStep(tf: TF, o: AdamInternals, grads: tfjs.NamedTensorMap | { name: string; tensor: tfjs.Tensor }[], fused: boolean): void {
  const names = Array.isArray(grads) ? grads.map((g) => g.name) : Object.keys(grads);
  const t = o.iterations + 1;
  // TF.js's placement of ε (added to √v̂): in the kernel's terms (ε added to √v), ε·√(1 − β2^t).
  const attrs: AdamAttrs = { alpha: adamAlpha(o.learningRate, o.beta1, o.beta2, t), beta1: o.beta1, beta2: o.beta2, epsilon: o.epsilon * Math.sqrt(1 - o.beta2 ** t) };
  const variables = tf.engine().registeredVariables;
  tf.tidy(() => {
    names.forEach((name, i) => {
      const w = variables[name];
      // The moments are created at a variable's first update and found by position, as TF.js does.
      o.accumulatedFirstMoment[i] ??= { originalName: `${name}/m`, variable: tf.tidy(() => tf.zerosLike(w).variable(false)) };
      o.accumulatedSecondMoment[i] ??= { originalName: `${name}/v`, variable: tf.tidy(() => tf.zerosLike(w).variable(false)) };
      const g = Array.isArray(grads) ? grads[i].tensor : grads[name];
      if (g == null) return;
      const m = o.accumulatedFirstMoment[i].variable, v = o.accumulatedSecondMoment[i].variable;
      const [w1, m1, v1] = fused ? adamUpdate(tf, attrs, w, m, v, g) : composedAdam(tf, attrs, w, m, v, g);
      m.assign(m1);
      v.assign(v1);
      w.assign(w1);
    });
  });
  o.incrementIterations();
}
