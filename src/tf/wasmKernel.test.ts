/**
 * The UnsortedSegmentSum kernel: Embedding gradients equal a hand computation on cpu; the same
 * through a trainable Embedding layer; and it equals the stock cpu kernel.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerSegmentSumKernel, segmentSum } from './wasmKernel.ts';

const stock = tf.getKernel('UnsortedSegmentSum', 'cpu')!;

beforeAll(async () => {
  await tf.setBackend('cpu');
  registerSegmentSumKernel(tf);
});

const ids = [[1, 2, 1], [0, 4, 1]];
const V = 5, D = 3;
// C[b][t][d]: the loss is sum(C ⊙ gather(table, ids)), so dL/dtable[v] = Σ over positions with id v of C[b][t].
const C = ids.map((row, b) => row.map((_, t) => Array.from({ length: D }, (_, d) => 0.1 * (b + 1) + 0.01 * t - 0.05 * d)));

function handGrad(): number[][] {
  const g = Array.from({ length: V }, () => Array(D).fill(0));
  ids.forEach((row, b) => row.forEach((v, t) => C[b][t].forEach((c, d) => (g[v][d] += c))));
  return g;
}

function expectClose(a: number[][], b: number[][]): void {
  a.flat().forEach((v, k) => expect(v).toBeCloseTo(b.flat()[k], 6));
}

describe('UnsortedSegmentSum kernel', () => {
  it('is registered for cpu and wasm, replacing the stock cpu kernel', () => {
    expect(tf.getKernel('UnsortedSegmentSum', 'cpu')!.kernelFunc).not.toBe(stock.kernelFunc);
    expect(tf.getKernel('UnsortedSegmentSum', 'wasm')).toBeDefined();
    registerSegmentSumKernel(tf); // idempotent
  });

  it('sums rows into segments (and drops out-of-range ids)', () => {
    const out = new Float32Array(6);
    segmentSum([1, 2, 3, 4, 5, 6, 7, 8], [2, 0, 2, 9], 2, 3, out);
    expect(Array.from(out)).toEqual([3, 4, 0, 0, 6, 8]);
    const y = tf.unsortedSegmentSum(tf.tensor2d([[1, 2], [3, 4], [5, 6]]), tf.tensor1d([2, 0, 2], 'int32'), 3);
    expect(y.arraySync()).toEqual([[3, 4], [0, 0], [6, 8]]);
  });

  it('gives the gradient of gather (an Embedding lookup) by hand', () => {
    const table = tf.randomNormal([V, D], 0, 1, 'float32', 1);
    const idx = tf.tensor2d(ids, [2, 3], 'int32');
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, idx), tf.tensor3d(C))))(table);
    expectClose(g.arraySync() as number[][], handGrad());
  });

  it('gives the gradient of a trainable Embedding layer', () => {
    const emb = tf.layers.embedding({ inputDim: V, outputDim: D });
    const idx = tf.tensor2d(ids, [2, 3], 'int32');
    emb.apply(idx); // build
    const { grads } = tf.variableGrads(() => tf.sum(tf.mul(emb.apply(idx) as tf.Tensor, tf.tensor3d(C))) as tf.Scalar);
    expectClose(Object.values(grads)[0].arraySync() as number[][], handGrad());
  });

  it('equals the stock cpu kernel on random data (its speed is measured in bench/tf.bench.ts)', () => {
    const dy = tf.randomNormal([8 * 12, 4]);
    const seg = tf.randomUniform([8 * 12], 0, 50, 'int32') as tf.Tensor1D;
    const ours = tf.unsortedSegmentSum(dy, seg, 50);
    tf.unregisterKernel('UnsortedSegmentSum', 'cpu');
    tf.registerKernel(stock);
    const theirs = tf.unsortedSegmentSum(dy, seg, 50);
    registerSegmentSumKernel(tf, ['cpu']);
    expect(tf.max(tf.abs(tf.sub(ours, theirs))).dataSync()[0]).toBeLessThan(1e-5);
  });
});
