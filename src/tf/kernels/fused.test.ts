/**
 * The fused recurrent op on the cpu backend (Node): every option against Keras's equations in
 * float64 with finite-difference gradients, and whole models against TF.js's own loop.
 * fused.wasm.test.ts runs the same checks on the wasm backend.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { FORWARD_KERNEL } from './contract.ts';
import { fusedRnn, fusedRnnPair, pairs, type FusedRnnSpec, type FusedRnnTensors } from './op.ts';
import { registerFusedRnnKernels } from './register.ts';
import { modelReferenceTests, referenceTests, stockTests, traceTests } from './testing/cases.ts';
import { gradientTap, traceRecurrent } from './trace.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
  expect(tf.getBackend()).toBe('cpu');
});

describe('fused op against Keras 3 equations (cpu)', referenceTests);
describe('fused layers against TF.js layers (cpu)', stockTests);
describe('fused Bidirectional layers against Keras 3 equations (cpu)', modelReferenceTests);
describe('trace and gradient taps (cpu)', () => traceTests(traceRecurrent, gradientTap));

describe('both directions of a Bidirectional (fusedRnnPair) on cpu', () => {
  const spec = (goBackwards: boolean): FusedRnnSpec => ({
    cell: 'lstm', resetAfter: false, units: 3, activation: 'tanh', recurrentActivation: 'sigmoid', returnSequences: true, goBackwards,
  });
  const tensors = (seed: number): FusedRnnTensors => ({
    x: tf.randomNormal([2, 4, 3], 0, 1, 'float32', seed), kernel: tf.randomNormal([3, 12], 0, 0.5, 'float32', seed + 1),
    recurrentKernel: tf.randomNormal([3, 12], 0, 0.5, 'float32', seed + 2), bias: tf.randomNormal([12], 0, 0.3, 'float32', seed + 3),
    mask: tf.tensor2d([[1, 1, 1, 0], [1, 1, 0, 0]]), initialState: null, dropoutMask: null, recurrentDropoutMask: null,
  });

  it('runs the directions one after the other here (one kernel call is for webgl): the same as two fusedRnn calls', () => {
    tf.tidy(() => {
      const a = tensors(1), b = tensors(5);
      expect(pairs(tf as never, [spec(false), spec(true)], [a, b])).toBe(false);
      const [p, q] = fusedRnnPair(tf as never, [spec(false), spec(true)], [a, b]);
      const p1 = fusedRnn(tf as never, spec(false), a), q1 = fusedRnn(tf as never, spec(true), b);
      expect(tf.max(tf.abs(tf.sub(p.output, p1.output))).dataSync()[0]).toBe(0);
      expect(tf.max(tf.abs(tf.sub(q.states[1], q1.states[1]))).dataSync()[0]).toBe(0);
    });
  });

  it('the cpu kernel refuses stacked layers (attribute groups) with a message', () => {
    tf.tidy(() => {
      registerFusedRnnKernels(tf as never);
      const attrs = { cell: 'simple', resetAfter: false, units: 2, activation: 'tanh', recurrentActivation: 'sigmoid', returnSequences: false, saveForGrad: false, tap: false, groups: 2 };
      expect(() => tf.engine().runKernel(FORWARD_KERNEL, { xw: tf.zeros([4, 3, 2]), u: tf.zeros([4, 2]) }, attrs as never)).toThrow(/groups.*webgl only/);
    });
  });
});
