/**
 * On the wasm backend (in Node), stock TF.js 4.22 cannot differentiate an Embedding
 * (no UnsortedSegmentSum kernel); with Unroll's kernel the gradient equals the hand computation.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, expect, it } from 'vitest';
import { registerSegmentSumKernel } from './wasmKernel.ts';

beforeAll(async () => {
  expect(await tf.setBackend('wasm')).toBe(true);
  expect(tf.getBackend()).toBe('wasm');
});

it('trainable Embedding gradient on wasm: missing kernel, then equal to the hand computation', () => {
  const emb = tf.layers.embedding({ inputDim: 5, outputDim: 3 });
  const idx = tf.tensor2d([[1, 2, 1], [4, 1, 0]], [2, 3], 'int32');
  const w = tf.tensor3d([[[1, 2, 3], [4, 5, 6], [7, 8, 9]], [[-1, 0, 1], [2, 2, 2], [0.5, 0, 0]]]);
  emb.apply(idx);
  const loss = () => tf.sum(tf.mul(emb.apply(idx) as tf.Tensor, w)) as tf.Scalar;
  if (!tf.getKernel('UnsortedSegmentSum', 'wasm')) expect(() => tf.variableGrads(loss)).toThrow(/UnsortedSegmentSum/);
  registerSegmentSumKernel(tf, ['wasm']);
  const g = Object.values(tf.variableGrads(loss).grads)[0].arraySync();
  // Row v = Σ of w at the positions holding id v.
  expect(g).toEqual([[0.5, 0, 0], [10, 12, 14], [4, 5, 6], [0, 0, 0], [-1, 0, 1]]);
});
