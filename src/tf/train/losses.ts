/**
 * Losses and accuracy with Keras 3's masking rule, and the target tensors they read.
 *
 * TF.js never applies a prediction's mask to the loss; Keras 3 does (keras/src/losses/loss.py
 * `apply_mask`): with reduction "sum_over_batch_size" the loss is
 *
 *     sum(loss · mask) / (sum(mask) + 1e-7)
 *
 * — a mean over the real steps only. Here the mask comes from the batch (src/data pads sequence
 * targets with 0 and gives `mask` = 1 at real steps), so padded steps never count, whether or not
 * the model itself carries a Keras mask. Per-sequence targets have no mask: a plain mean.
 *
 * Targets are fed to TF.js in the output's own shape (TF.js checks the last axis for custom
 * losses): class ids become one-hot rows (categorical and sparse categorical crossentropy),
 * binary labels and regression values get a trailing axis of 1 where needed.
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { TF } from '../../core/layers/tfjs.ts';
import type { LOSSES } from '../../core/layers/output.ts';

export type LossName = (typeof LOSSES)[number];

/** Keras's `backend.epsilon()`. */
export const EPSILON = 1e-7;

/** Whether the loss belongs to a classification output (then accuracy is reported). */
export function isClassification(loss: LossName): boolean {
  return loss === 'sparse_categorical_crossentropy' || loss === 'categorical_crossentropy' || loss === 'binary_crossentropy';
}

/** Whether the targets are class ids that become one-hot rows. */
export function isCategorical(loss: LossName): boolean {
  return loss === 'sparse_categorical_crossentropy' || loss === 'categorical_crossentropy';
}

/**
 * The loss of every target element, with the output's last axis reduced: shape [B] or [B, T].
 * Crossentropies take probabilities (softmax / sigmoid outputs), like Keras with from_logits=False:
 * normalise, clip to [ε, 1-ε], take logs.
 */
export function elementLoss(tf: TF, loss: LossName, yTrue: tfjs.Tensor, yPred: tfjs.Tensor): tfjs.Tensor {
  return tf.tidy(() => {
    const last = yPred.rank - 1;
    switch (loss) {
      case 'sparse_categorical_crossentropy':
      case 'categorical_crossentropy': {
        const p = tf.clipByValue(tf.div(yPred, tf.sum(yPred, last, true)), EPSILON, 1 - EPSILON);
        return tf.neg(tf.sum(tf.mul(yTrue, tf.log(p)), last));
      }
      case 'binary_crossentropy': {
        const p = tf.clipByValue(yPred, EPSILON, 1 - EPSILON);
        const ll = tf.add(tf.mul(yTrue, tf.log(p)), tf.mul(tf.sub(1, yTrue), tf.log(tf.sub(1, p))));
        return tf.neg(tf.mean(ll, last));
      }
      case 'mean_squared_error':
        return tf.mean(tf.square(tf.sub(yPred, yTrue)), last);
      case 'mean_absolute_error':
        return tf.mean(tf.abs(tf.sub(yPred, yTrue)), last);
    }
  });
}

/** 1 where the prediction is right, per target element (classification losses only). */
export function elementCorrect(tf: TF, loss: LossName, yTrue: tfjs.Tensor, yPred: tfjs.Tensor): tfjs.Tensor {
  return tf.tidy(() => {
    const last = yPred.rank - 1;
    if (loss === 'binary_crossentropy') {
      return tf.mean(tf.cast(tf.equal(tf.greater(yPred, 0.5), tf.greater(yTrue, 0.5)), 'float32'), last);
    }
    return tf.cast(tf.equal(tf.argMax(yPred, last), tf.argMax(yTrue, last)), 'float32');
  });
}

/** Keras 3's masked mean: sum(v·w) / (sum(w) + ε); the plain mean without weights. */
export function maskedMean(tf: TF, values: tfjs.Tensor, weights?: tfjs.Tensor): tfjs.Scalar {
  return tf.tidy(() => (weights ? tf.div(tf.sum(tf.mul(values, weights)), tf.add(tf.sum(weights), EPSILON)) : tf.mean(values)) as tfjs.Scalar);
}

/**
 * What weighs a batch's loss elements: the mask of real target steps (per-step targets) and the
 * sample weights (class weights: one per example, or one per step), both in the elements' shape.
 */
export interface LossWeights {
  readonly mask?: tfjs.Tensor;
  readonly sample?: tfjs.Tensor;
}

/**
 * Keras 3's reduction "sum_over_batch_size" with sample weights and a mask
 * (keras/src/losses/loss.py `reduce_weighted_values` / `apply_mask`):
 *   with a mask:  sum(v · s · m) / (sum(m) + ε)    — the mean over real steps
 *   without:      sum(v · s) / (number of elements) — not divided by the sum of the weights.
 */
export function weightedMean(tf: TF, values: tfjs.Tensor, w: LossWeights = {}): tfjs.Scalar {
  if (!w.sample) return maskedMean(tf, values, w.mask);
  const sample = w.sample;
  return tf.tidy(() => {
    const v = tf.mul(values, sample);
    return (w.mask ? tf.div(tf.sum(tf.mul(v, w.mask)), tf.add(tf.sum(w.mask), EPSILON)) : tf.div(tf.sum(v), values.size)) as tfjs.Scalar;
  });
}

/** A batch's loss (a scalar) with Keras's mask and sample-weight rule. */
export function weightedLoss(tf: TF, loss: LossName, yTrue: tfjs.Tensor, yPred: tfjs.Tensor, w: LossWeights = {}): tfjs.Scalar {
  return tf.tidy(() => weightedMean(tf, elementLoss(tf, loss, yTrue, yPred), w));
}

/**
 * A batch's accuracy (a scalar) as Keras's Mean metric with sample weights: sum(c·s·m) / sum(s·m);
 * padded steps are neither right nor wrong.
 */
export function weightedAccuracy(tf: TF, loss: LossName, yTrue: tfjs.Tensor, yPred: tfjs.Tensor, w: LossWeights = {}): tfjs.Scalar {
  return tf.tidy(() => {
    const correct = elementCorrect(tf, loss, yTrue, yPred);
    const weights = w.sample && w.mask ? tf.mul(w.sample, w.mask) : w.sample ?? w.mask;
    return maskedMean(tf, correct, weights);
  });
}

/** The masked loss of a batch (a scalar). */
export function maskedLoss(tf: TF, loss: LossName, yTrue: tfjs.Tensor, yPred: tfjs.Tensor, weights?: tfjs.Tensor): tfjs.Scalar {
  return weightedLoss(tf, loss, yTrue, yPred, { mask: weights });
}

/** The masked accuracy of a batch (a scalar): padded steps are neither right nor wrong. */
export function maskedAccuracy(tf: TF, loss: LossName, yTrue: tfjs.Tensor, yPred: tfjs.Tensor, weights?: tfjs.Tensor): tfjs.Scalar {
  return weightedAccuracy(tf, loss, yTrue, yPred, { mask: weights });
}

/**
 * Per-element sample weights from class weights: weight[y] for each target class id (one per
 * example, or one per step for per-step targets; padded steps get weight[0], masked out anyway).
 * Undefined for regression targets.
 */
export function classSampleWeights(tf: TF, t: TargetArrays, weights: Float32Array): tfjs.Tensor {
  const out = new Float32Array(t.y.length);
  for (let i = 0; i < t.y.length; i++) out[i] = weights[t.y[i]] ?? 1;
  return tf.tensor(out, [...t.yShape], 'float32');
}

/** A batch's targets as plain arrays (src/data's Batch fields). */
export interface TargetArrays {
  readonly y: Int32Array | Float32Array;
  readonly yShape: readonly number[];
  readonly mask?: Float32Array;
}

/**
 * The target tensor in the output's shape, and the weights (the mask) for per-step targets.
 * `outputShape` is the model output's shape (batch axis null). Throws with a plain message when
 * the targets cannot fit the output (a per-step output for one label per sequence, …).
 */
export function targetTensors(tf: TF, loss: LossName, t: TargetArrays, outputShape: readonly (number | null)[]): { y: tfjs.Tensor; weights?: tfjs.Tensor } {
  const units = outputShape[outputShape.length - 1] ?? 1;
  const perStep = t.yShape.length === 2 && outputShape.length === 3;
  // An output with a fixed number of steps (RepeatVector n → …) against a batch whose longest
  // target is shorter (batches are padded to their own longest target): the targets are padded to
  // the output's steps, the added steps weighted 0 (no loss), as the batch's own padding is.
  const steps = outputShape[1];
  if (perStep && typeof steps === 'number' && steps > t.yShape[1]) t = padSteps(t, steps);
  return tf.tidy(() => {
    let y: tfjs.Tensor;
    if (isCategorical(loss)) {
      if (outputShape.length !== t.yShape.length + 1) {
        throw new Error(`The output has shape (${outputShape.map((d) => d ?? 'None').join(', ')}) but the targets are ${t.yShape.length === 1 ? 'one class per sequence' : 'one class per time step'}: ${t.yShape.length === 1 ? 'end with a single prediction per sequence (return_sequences=False)' : 'predict one class per step (return_sequences=True, TimeDistributed Dense)'}.`);
      }
      const ids = tf.tensor(Int32Array.from(t.y), [...t.yShape], 'int32');
      y = tf.cast(tf.oneHot(ids.flatten(), units), 'float32').reshape([...t.yShape, units]);
    } else {
      const values = tf.tensor(Float32Array.from(t.y), [...t.yShape], 'float32');
      // [B] → [B, 1]; per-step binary labels [B, T] → [B, T, 1].
      y = values.rank < outputShape.length ? values.expandDims(-1) : values;
    }
    const weights = perStep && t.mask ? tf.tensor(t.mask, [...t.yShape], 'float32') : undefined;
    return weights ? { y, weights } : { y };
  });
}

/** Per-step targets [B, T] padded at the end to [B, steps]; the mask (1 on real steps) with them. */
function padSteps(t: TargetArrays, steps: number): TargetArrays {
  const [B, T] = t.yShape;
  const y = new (t.y instanceof Int32Array ? Int32Array : Float32Array)(B * steps);
  const mask = new Float32Array(B * steps);
  for (let b = 0; b < B; b++) {
    for (let k = 0; k < T; k++) {
      y[b * steps + k] = t.y[b * T + k];
      mask[b * steps + k] = t.mask ? t.mask[b * T + k] : 1;
    }
  }
  return { ...t, y, yShape: [B, steps], mask };
}
