/**
 * Issue 12's acceptance run: the sentiment template (the Keras lesson's model: Embedding(1000, 2,
 * mask_zero) → Bidirectional(LSTM(8)) → Dense(3)) trained with the fused recurrent op reaches the
 * same accuracy (±0.01) as with TF.js's own loop, from the same seed (cpu backend).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, expect, it } from 'vitest';
import { ofType, setup, train, useCpu } from '../train/testUtil.ts';

beforeAll(async () => {
  await useCpu();
  expect(tf.getBackend()).toBe('cpu');
});

it('sentiment: fused and stock training reach the same validation and test accuracy from one seed', async () => {
  const s = setup('sentiment', 'airline-sentiment', 600, { epochs: 3, batch_size: 32, learning_rate: 0.01, seed: 7 });
  const runs = [];
  for (const recurrent of ['stock', 'fused'] as const) {
    const { events } = await train(s, { recurrent });
    const done = ofType(events, 'done')[0];
    expect(done, JSON.stringify(events.at(-1))).toBeDefined();
    runs.push(done);
  }
  const [stock, fused] = runs;
  expect(fused.history.val_accuracy!.length).toBe(3);
  // It learned something (the majority class of this validation set is 0.55).
  expect(fused.history.val_accuracy![2]).toBeGreaterThan(0.7);
  fused.history.val_accuracy!.forEach((a, k) => expect(Math.abs(a - stock.history.val_accuracy![k])).toBeLessThanOrEqual(0.01));
  expect(Math.abs(fused.test.accuracy! - stock.test.accuracy!)).toBeLessThanOrEqual(0.01);
  // Same computation up to float rounding: the losses agree closely too.
  fused.history.loss.forEach((l, k) => expect(Math.abs(l - stock.history.loss[k])).toBeLessThan(1e-3));
}, 300_000);
