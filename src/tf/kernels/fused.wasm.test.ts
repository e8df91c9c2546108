/**
 * The fused recurrent op on TF.js's wasm backend (Node): the same checks as fused.test.ts. Its
 * kernels read and write the wasm backend's heap (typedArrayFromHeap), so this also covers that
 * memory path.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect } from 'vitest';
import { registerSegmentSumKernel } from '../wasmKernel.ts';
import { modelReferenceTests, referenceTests, stockTests, traceTests } from './testing/cases.ts';
import { gradientTap, traceRecurrent } from './trace.ts';

beforeAll(async () => {
  expect(await tf.setBackend('wasm')).toBe(true);
  expect(tf.getBackend()).toBe('wasm');
  registerSegmentSumKernel(tf, ['wasm']); // the Embedding gradients of the model tests
});

describe('fused op against Keras 3 equations (wasm)', referenceTests);
describe('fused layers against TF.js layers (wasm)', stockTests);
describe('fused Bidirectional layers against Keras 3 equations (wasm)', modelReferenceTests);
describe('trace and gradient taps (wasm)', () => traceTests(traceRecurrent, gradientTap));
