/**
 * The masked losses against hand computations on a tiny padded batch, and the target tensors.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { collate } from '../../data/batching.ts';
import { maskedAccuracy, maskedLoss, targetTensors } from './losses.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// Two sequences of 3 steps, 3 classes; the second has one real step, then 2 padded steps.
const probs = [
  [[0.7, 0.2, 0.1], [0.1, 0.8, 0.1], [0.3, 0.3, 0.4]],
  [[0.2, 0.2, 0.6], [0.9, 0.05, 0.05], [0.1, 0.1, 0.8]],
];
const ids = new Int32Array([0, 1, 2, 2, 0, 0]); // padding target id 0 at [1,1], [1,2]
const mask = new Float32Array([1, 1, 1, 1, 0, 0]);

describe('masked sparse categorical crossentropy', () => {
  it('equals the mean over real steps of -log p(true class) (Keras 3 apply_mask)', () => {
    const t = targetTensors(tf, 'sparse_categorical_crossentropy', { y: ids, yShape: [2, 3], mask }, [null, null, 3]);
    const loss = maskedLoss(tf, 'sparse_categorical_crossentropy', t.y, tf.tensor3d(probs), t.weights).arraySync();
    const hand = -(Math.log(0.7) + Math.log(0.8) + Math.log(0.4) + Math.log(0.6)) / (4 + 1e-7);
    expect(loss).toBeCloseTo(hand, 5);
    // Without the mask, the padded steps (target id 0 scored by p[0]) would change it.
    const unmasked = maskedLoss(tf, 'sparse_categorical_crossentropy', t.y, tf.tensor3d(probs)).arraySync();
    expect(unmasked).toBeCloseTo(-(Math.log(0.7) + Math.log(0.8) + Math.log(0.4) + Math.log(0.6) + Math.log(0.9) + Math.log(0.1)) / 6, 5);
  });

  it('ignores whatever the model predicts at padded steps (loss and accuracy)', () => {
    const t = targetTensors(tf, 'sparse_categorical_crossentropy', { y: ids, yShape: [2, 3], mask }, [null, null, 3]);
    const other = probs.map((s, b) => s.map((p, k) => (b === 1 && k > 0 ? [0.01, 0.01, 0.98] : p)));
    for (const fn of [maskedLoss, maskedAccuracy]) {
      const a = fn(tf, 'sparse_categorical_crossentropy', t.y, tf.tensor3d(probs), t.weights).arraySync();
      const b = fn(tf, 'sparse_categorical_crossentropy', t.y, tf.tensor3d(other), t.weights).arraySync();
      expect(b).toBeCloseTo(a, 6);
    }
    // Real steps: argmax 0,1,2 (right) and 2 (right) → 1; the padded steps would be 1 right, 1 wrong.
    expect(maskedAccuracy(tf, 'sparse_categorical_crossentropy', t.y, tf.tensor3d(probs), t.weights).arraySync()).toBeCloseTo(1, 6);
    expect(maskedAccuracy(tf, 'sparse_categorical_crossentropy', t.y, tf.tensor3d(probs)).arraySync()).toBeCloseTo(5 / 6, 6);
  });

  it('uses the mask of a real padded batch from src/data', () => {
    const batch = collate([{ x: [5, 6, 7], y: [1, 2, 2] }, { x: [8], y: [2] }], [0, 1], { batchSize: 2, alignTargets: true });
    expect(Array.from(batch.mask!)).toEqual(Array.from(mask));
    expect(Array.from(batch.y)).toEqual([1, 2, 2, 2, 0, 0]);
  });
});

describe('an output with a fixed number of steps (RepeatVector n)', () => {
  it('a batch whose targets are shorter is padded to the output\'s steps; the added steps weigh 0', () => {
    // Batch targets [2, 2] (the batch's longest), output (None, 3, 3): what the first two steps
    // score is the loss, whatever the third predicts (before: shapes 2,2,3 and 2,3,3 did not broadcast).
    const t = targetTensors(tf, 'sparse_categorical_crossentropy', { y: new Int32Array([0, 1, 2, 0]), yShape: [2, 2], mask: new Float32Array([1, 1, 1, 0]) }, [null, 3, 3]);
    expect(t.y.shape).toEqual([2, 3, 3]);
    expect(Array.from(t.weights!.dataSync())).toEqual([1, 1, 0, 1, 0, 0]);
    const loss = maskedLoss(tf, 'sparse_categorical_crossentropy', t.y, tf.tensor3d(probs), t.weights).arraySync();
    expect(loss).toBeCloseTo(-(Math.log(0.7) + Math.log(0.8) + Math.log(0.6)) / (3 + 1e-7), 5);
    // Without a mask every real step counts.
    const u = targetTensors(tf, 'sparse_categorical_crossentropy', { y: new Int32Array([0, 1, 2, 0]), yShape: [2, 2] }, [null, 3, 3]);
    expect(Array.from(u.weights!.dataSync())).toEqual([1, 1, 0, 1, 1, 0]);
  });
});

describe('other losses', () => {
  it('per-sequence: a plain mean, like Keras (no mask)', () => {
    const t = targetTensors(tf, 'sparse_categorical_crossentropy', { y: new Int32Array([2, 0]), yShape: [2] }, [null, 3]);
    expect(t.weights).toBeUndefined();
    expect(t.y.arraySync()).toEqual([[0, 0, 1], [1, 0, 0]]);
    const loss = maskedLoss(tf, 'sparse_categorical_crossentropy', t.y, tf.tensor2d([[0.1, 0.1, 0.8], [0.5, 0.25, 0.25]])).arraySync();
    expect(loss).toBeCloseTo(-(Math.log(0.8) + Math.log(0.5)) / 2, 5);
  });

  it('mse, mae and binary crossentropy by hand', () => {
    const y = targetTensors(tf, 'mean_squared_error', { y: new Float32Array([1, -1]), yShape: [2] }, [null, 1]).y;
    expect(y.shape).toEqual([2, 1]);
    const p = tf.tensor2d([[0.5], [1]]);
    expect(maskedLoss(tf, 'mean_squared_error', y, p).arraySync()).toBeCloseTo((0.25 + 4) / 2, 6);
    expect(maskedLoss(tf, 'mean_absolute_error', y, p).arraySync()).toBeCloseTo((0.5 + 2) / 2, 6);
    const yb = targetTensors(tf, 'binary_crossentropy', { y: new Int32Array([1, 0]), yShape: [2] }, [null, 1]).y;
    const pb = tf.tensor2d([[0.9], [0.2]]);
    expect(maskedLoss(tf, 'binary_crossentropy', yb, pb).arraySync()).toBeCloseTo(-(Math.log(0.9) + Math.log(0.8)) / 2, 5);
    expect(maskedAccuracy(tf, 'binary_crossentropy', yb, tf.tensor2d([[0.9], [0.7]])).arraySync()).toBeCloseTo(0.5, 6);
  });

  it('says what to change when per-sequence labels meet a per-step output', () => {
    expect(() => targetTensors(tf, 'sparse_categorical_crossentropy', { y: new Int32Array([1]), yShape: [1] }, [null, null, 3])).toThrow(/return_sequences=False/);
  });
});
