/**
 * The fused recurrent op on the cpu backend (Node): every option against Keras's equations in
 * float64 with finite-difference gradients, and whole models against TF.js's own loop.
 * fused.wasm.test.ts runs the same checks on the wasm backend.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect } from 'vitest';
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
