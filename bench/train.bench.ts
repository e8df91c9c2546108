/**
 * Training speed in Node, side by side in one run: each model of bench/lib/models.ts on TF.js
 * wasm and cpu through Unroll's training engine (src/tf/train/engine.ts, the code the app's worker
 * runs), stock TF.js recurrent layers against the fused path, and PyTorch CPU (Debian's
 * /usr/bin/python3 with torch) on the very same batches as the peer.
 *
 * Every repeat builds a fresh model and trains one epoch of (warm-up + measured) batches; a
 * repeat's value is the median of its measured batches, a row's value the median of the repeats.
 * Repeats of the paths are interleaved (stock, fused, stock, fused, …) so a change in the
 * machine's load hits both. Run: `npm run bench -- train` (UNROLL_BENCH_REPEATS=n, default 3;
 * UNROLL_BENCH_MODELS=feasibility,lesson to pick models).
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { fact, trainRow } from './lib/report.ts';
import { benchModels } from './lib/models.ts';
import { describeOthers, runPytorchPeer } from './lib/peer.ts';
import { measureTraining, trainingPaths } from './lib/training.ts';
import { selectBackend } from '../src/tf/train/backend.ts';

const REPEATS = Number(process.env.UNROLL_BENCH_REPEATS ?? 3);
const models = benchModels();
const paths = trainingPaths();
fact('tfjs', tf.version.tfjs);
for (const m of models) fact(`model.${m.name}`, m.describe);

for (const m of models) {
  for (const backend of ['wasm', 'cpu'] as const) {
    const choice = await selectBackend(tf, backend, { env: { webgl2Renderer: null, wasm: true } });
    if (choice.backend !== backend || tf.getBackend() !== backend) throw new Error(`wanted ${backend}, TF.js runs ${tf.getBackend()}`);
    const repeats = await measureTraining(tf, m, paths, REPEATS);
    for (const path of paths) {
      trainRow({ model: m.name, backend, where: 'node', path, repeats: repeats[path], batches: m.measured, batch_size: m.settings.batch_size });
    }
  }
}

const peer = runPytorchPeer(models, REPEATS);
if (peer.ok) {
  fact('pytorch', `${peer.torch} (CPU, Debian /usr/bin/python3; the faster of 1 and ${peer.cores} threads per model)`);
  for (const r of peer.results) {
    const m = models.find((x) => x.name === r.name)!;
    trainRow({
      model: m.name, backend: 'cpu', where: 'python', path: 'pytorch', repeats: r.repeats, batches: m.measured, batch_size: m.settings.batch_size,
      threads: r.threads, note: `${r.threads} thread${r.threads === 1 ? '' : 's'}${r.others.length ? ` (${describeOthers(r.others)})` : ''}`,
    });
  }
} else {
  fact('pytorch', `not measured: ${peer.error}`);
}
