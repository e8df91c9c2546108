/**
 * TF.js benchmarks in Node (cpu backend): Unroll's UnsortedSegmentSum kernel (the gradient of a
 * trainable Embedding) against TF.js's stock cpu kernel, and a training step of the lesson's
 * sentiment model on cpu. Run: npm run bench -- tf
 */
import * as tf from '@tensorflow/tfjs';
import { performance } from 'node:perf_hooks';
import { registerSegmentSumKernel } from '../src/tf/wasmKernel.ts';
import { compileGraph } from '../src/tf/compile.ts';
import { getTemplate } from '../templates/index.ts';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

await tf.setBackend('cpu');

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
console.log(`tf.segment_sum.stock_cpu_ms ${stockMs.toFixed(1)} ms (1280×16 rows → 1000 segments)`);
console.log(`tf.segment_sum.unroll_ms ${oursMs.toFixed(2)} ms (target: far below stock)`);

const { model } = compileGraph(tf, getTemplate('sentiment')!.project.graph);
model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
const x = tf.randomUniform([32, 40], 1, 1000, 'int32');
const y = tf.randomUniform([32], 0, 3, 'int32').cast('float32');
const steps: number[] = [];
for (let k = 0; k < 8; k++) {
  const t0 = performance.now();
  await model.trainOnBatch(x, y);
  steps.push(performance.now() - t0);
}
console.log(`tf.train_step.sentiment_cpu_node.median_ms ${median(steps.slice(2)).toFixed(1)} ms (batch 32 × 40 steps, informational)`);
