/**
 * Unroll's GRU against Keras's equations computed by hand in plain JS (tiny case, fixed weights),
 * for reset_after true (Keras 3 default) and false; weight shapes and the parameter count.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { tfjsKit } from './kit.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

type M = number[][];
const matmul = (a: M, b: M): M => a.map((row) => b[0].map((_, j) => row.reduce((s, v, k) => s + v * b[k][j], 0)));
const sig = (v: number) => 1 / (1 + Math.exp(-v));
const cols = (m: M, from: number, to: number): M => m.map((r) => r.slice(from, to));

/** Keras GRUCell.call (implementation 2), one sequence, batch 1. */
function kerasGru(xs: M, W: M, U: M, bIn: number[], bRec: number[] | null, u: number, resetAfter: boolean): number[][] {
  let h = Array(u).fill(0);
  const outs: number[][] = [];
  for (const x of xs) {
    const mx = matmul([x], W)[0].map((v, j) => v + bIn[j]);
    const inner = resetAfter
      ? matmul([h], U)[0].map((v, j) => v + (bRec ? bRec[j] : 0))
      : matmul([h], cols(U, 0, 2 * u))[0];
    const z = Array.from({ length: u }, (_, j) => sig(mx[j] + inner[j]));
    const r = Array.from({ length: u }, (_, j) => sig(mx[u + j] + inner[u + j]));
    const rh = resetAfter
      ? Array.from({ length: u }, (_, j) => r[j] * inner[2 * u + j])
      : matmul([h.map((v, j) => v * r[j])], cols(U, 2 * u, 3 * u))[0];
    const hh = Array.from({ length: u }, (_, j) => Math.tanh(mx[2 * u + j] + rh[j]));
    h = h.map((v, j) => z[j] * v + (1 - z[j]) * hh[j]);
    outs.push(h);
  }
  return outs;
}

const i = 2, u = 2;
const W: M = [[0.1, -0.2, 0.3, 0.4, -0.5, 0.6], [-0.7, 0.8, 0.9, -0.1, 0.2, -0.3]];
const U: M = [[0.5, 0.1, -0.4, 0.3, 0.2, -0.6], [0.7, -0.3, 0.2, 0.1, -0.8, 0.4]];
const bIn = [0.05, -0.1, 0.15, 0.2, -0.25, 0.3];
const bRec = [-0.3, 0.25, 0.1, -0.05, 0.2, -0.15];
const xs: M = [[1, -1], [0.5, 2], [-1.5, 0.25]];

function gruModel(resetAfter: boolean, useBias = true) {
  const x = tf.input({ shape: [3, i] });
  const layer = tfjsKit(tf).gru({ name: 'gru', units: u, resetAfter, useBias, returnSequences: true });
  const y = layer.apply(x) as tf.SymbolicTensor;
  return { model: tf.model({ inputs: x, outputs: y }), layer };
}

describe('GRU (Keras 3 equations and weight layout)', () => {
  it('reset_after=true: kernel (i, 3u), recurrent_kernel (u, 3u), bias (2, 3u); 3u(i+u+2) params', () => {
    const { layer } = gruModel(true);
    expect(layer.getWeights().map((w) => w.shape)).toEqual([[i, 3 * u], [u, 3 * u], [2, 3 * u]]);
    expect(layer.countParams()).toBe(3 * u * (i + u + 2));
    expect(gruModel(false).layer.countParams()).toBe(3 * u * (i + u + 1));
    expect(gruModel(true, false).layer.countParams()).toBe(3 * u * (i + u));
  });

  it('reset_after=true matches the hand computation', () => {
    const { model, layer } = gruModel(true);
    layer.setWeights([tf.tensor2d(W), tf.tensor2d(U), tf.tensor2d([bIn, bRec])]);
    const got = (model.predict(tf.tensor3d([xs])) as tf.Tensor).arraySync() as number[][][];
    const want = kerasGru(xs, W, U, bIn, bRec, u, true);
    got[0].flat().forEach((v, k) => expect(v).toBeCloseTo(want.flat()[k], 5));
    // Sanity: the recurrent bias matters (a test that ignored it would pass with zeros).
    const noRec = kerasGru(xs, W, U, bIn, null, u, true);
    expect(Math.abs(noRec[2][0] - want[2][0])).toBeGreaterThan(1e-3);
  });

  it('reset_after=false matches the hand computation', () => {
    const { model, layer } = gruModel(false);
    layer.setWeights([tf.tensor2d(W), tf.tensor2d(U), tf.tensor1d(bIn)]);
    const got = (model.predict(tf.tensor3d([xs])) as tf.Tensor).arraySync() as number[][][];
    const want = kerasGru(xs, W, U, bIn, null, u, false);
    got[0].flat().forEach((v, k) => expect(v).toBeCloseTo(want.flat()[k], 5));
    expect(Math.abs(kerasGru(xs, W, U, bIn, null, u, true)[2][0] - want[2][0])).toBeGreaterThan(1e-3);
  });

  it('defaults: sigmoid gates, glorot_uniform kernel, orthogonal recurrent kernel, zero bias', () => {
    const { layer } = gruModel(true);
    const c = layer.getConfig();
    expect(c.recurrentActivation).toBe('sigmoid');
    // TF.js serializes GlorotUniform as VarianceScaling(scale 1, fanAvg, uniform).
    expect(c.kernelInitializer).toMatchObject({ config: { scale: 1, mode: 'fanAvg', distribution: 'uniform' } });
    expect((c.recurrentInitializer as { className: string }).className).toBe('Orthogonal');
    expect(layer.getWeights()[2].abs().sum().dataSync()[0]).toBe(0);
  });

  it('dropout is active only while training and the step still runs', () => {
    const x = tf.input({ shape: [3, i] });
    const layer = tfjsKit(tf).gru({ name: 'gru_d', units: u, resetAfter: true, dropout: 0.5, recurrentDropout: 0.5 });
    const y = layer.apply(x) as tf.SymbolicTensor;
    const model = tf.model({ inputs: x, outputs: y });
    const a = model.predict(tf.tensor3d([xs])) as tf.Tensor;
    const b = model.predict(tf.tensor3d([xs])) as tf.Tensor;
    expect(a.arraySync()).toEqual(b.arraySync());
    const train = layer.apply(tf.tensor3d([xs]), { training: true }) as tf.Tensor;
    expect(train.shape).toEqual([1, u]);
  });
});
