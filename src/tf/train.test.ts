/**
 * The custom layers train: gradients flow through Unroll's GRU (reset_after), the mask-gated
 * Bidirectional and the masked mean inside `fit` (the executor's training path), and loss falls.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, expect, it } from 'vitest';
import { chain } from '../core/build.ts';
import { compileGraph } from './compile.ts';
import { registerSegmentSumKernel } from './wasmKernel.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
  registerSegmentSumKernel(tf);
});

it('fit lowers the loss of Embedding(mask) → Bidirectional(GRU) → GlobalAveragePooling1D → Dense', async () => {
  const g = chain([
    { kind: 'Input', params: { shape: [null], dtype: 'int32' } },
    { kind: 'Embedding', params: { input_dim: 12, output_dim: 4, mask_zero: true } },
    { kind: 'Bidirectional', params: { layer: { kind: 'GRU', params: { units: 4, return_sequences: true, dropout: 0.1, recurrent_dropout: 0.1 } } } },
    { kind: 'GlobalAveragePooling1D' },
    { kind: 'Dense', params: { units: 2, activation: 'softmax' } },
  ]);
  const { model } = compileGraph(tf, g);
  // Label: does the sequence contain token 1? Sequences are padded with zeros.
  const rows: number[][] = [], labels: number[] = [];
  for (let k = 0; k < 64; k++) {
    const len = 2 + (k % 5);
    const row = Array.from({ length: 6 }, (_, t) => (t < len ? 2 + ((k * 7 + t * 3) % 10) : 0));
    if (k % 2) row[k % len] = 1;
    rows.push(row);
    labels.push(k % 2);
  }
  model.compile({ optimizer: tf.train.adam(0.05), loss: 'sparseCategoricalCrossentropy' });
  const h = await model.fit(tf.tensor2d(rows, [64, 6], 'int32'), tf.tensor1d(labels), { epochs: 15, batchSize: 16, verbose: 0 });
  const loss = h.history.loss as number[];
  expect(loss.every(Number.isFinite)).toBe(true);
  expect(loss[loss.length - 1]).toBeLessThan(0.5 * loss[0]);
});
