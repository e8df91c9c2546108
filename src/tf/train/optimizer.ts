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

/** The optimizer of the settings (Keras's defaults for everything but the learning rate). */
export function makeOptimizer(tf: TF, s: Pick<TrainingSettings, 'optimizer' | 'learning_rate'>): tfjs.Optimizer {
  switch (s.optimizer) {
    case 'adam': return tf.train.adam(s.learning_rate, 0.9, 0.999, 1e-7);
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
