/**
 * Training speed of Unroll's engine (src/tf/train) on the Keras lesson's model,
 * Embedding(1000, 16, mask_zero) → Bidirectional(LSTM(32)) → Dense(3), batches of 32 × 40 steps,
 * on TF.js cpu and wasm in Node. One line per backend:
 *
 *   train.sentiment.<backend>.ms_per_batch 154.2 (informational; PyTorch CPU 26)
 *
 * Run: npx tsx bench/train.bench.ts   (or npm run bench -- train)
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { setParams } from '../src/core/edit.ts';
import { mulberry32 } from '../src/data/random.ts';
import type { Dataset, Example } from '../src/data/tasks.ts';
import { selectBackend } from '../src/tf/train/backend.ts';
import { Trainer } from '../src/tf/train/engine.ts';
import { getTemplate } from '../templates/index.ts';

const BATCHES = 10, WARMUP = 2, B = 32, T = 40;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Random token sequences of exactly T ids (1…999) and random labels. */
function data(): Dataset {
  const rand = mulberry32(1);
  const train: Example[] = Array.from({ length: BATCHES * B }, () => ({
    x: Array.from({ length: T }, () => 1 + Math.floor(rand() * 999)),
    y: Math.floor(rand() * 3),
  }));
  return {
    id: 'bench', name: 'bench', description: '', source: '', licence: '', task: 'sequence-classification',
    inputs: { dtype: 'int32', vocabulary: Array.from({ length: 1000 }, (_, i) => `t${i}`) },
    numClasses: 3, labels: ['a', 'b', 'c'], train, val: [], test: [],
  };
}

const project = getTemplate('sentiment')!.project;
let graph = setParams(project.graph, 'n2', { input_dim: 1000, output_dim: 16, mask_zero: true });
graph = setParams(graph, 'n3', { layer: { kind: 'LSTM', params: { units: 32 } } });
const dataset = data();

for (const backend of ['cpu', 'wasm'] as const) {
  const choice = await selectBackend(tf, backend, { env: { webgl2Renderer: null, wasm: true } });
  if (choice.backend !== backend) throw new Error(`wanted ${backend}, got ${choice.backend}`);
  const ms: number[] = [];
  const trainer = new Trainer({
    tf, graph, dataset, settings: { ...project.training, epochs: 1, batch_size: B, backend },
    onEvent: (e) => {
      if (e.type === 'batch') ms.push(e.msPerBatch);
      if (e.type === 'error') throw new Error(e.message);
    },
  });
  await trainer.run();
  trainer.model?.dispose();
  console.log(`train.sentiment.${backend}.ms_per_batch ${median(ms.slice(WARMUP)).toFixed(1)} (informational; PyTorch CPU 26)`);
}
