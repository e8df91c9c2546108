/**
 * TF.js kernel benchmarks in Node (cpu backend): Unroll's UnsortedSegmentSum kernel (the gradient
 * of a trainable Embedding) against TF.js's stock cpu kernel. Training speed is train.bench.ts.
 * Run: npm run bench -- tf
 */
import * as tf from '@tensorflow/tfjs';
import { performance } from 'node:perf_hooks';
import { registerSegmentSumKernel } from '../src/tf/wasmKernel.ts';
import { median, metric } from './lib/report.ts';

await tf.setBackend('cpu');
if (tf.getBackend() !== 'cpu') throw new Error(`TF.js runs ${tf.getBackend()}, not cpu`);

const dy = tf.randomNormal([32 * 40, 16]);
const seg = tf.randomUniform([32 * 40], 0, 1000, 'int32') as tf.Tensor1D;
const time = (reps: number) => {
  const xs: number[] = [];
  for (let k = 0; k < reps; k++) {
    const t0 = performance.now();
    tf.unsortedSegmentSum(dy, seg, 1000).dataSync();
    xs.push(performance.now() - t0);
  }
  return median(xs);
};
const stockMs = time(3);
registerSegmentSumKernel(tf, ['cpu']);
const oursMs = time(20);
metric('tf.segment_sum.stock_cpu_ms', stockMs, 'ms', { label: 'Embedding gradient (UnsortedSegmentSum, 1280×16 rows → 1000), TF.js cpu kernel' });
metric('tf.segment_sum.unroll_ms', oursMs, 'ms', { label: 'the same, Unroll\'s kernel', target: 'far below stock' });
metric('tf.segment_sum.speedup', stockMs / oursMs, '×', { label: 'stock ÷ Unroll' });
