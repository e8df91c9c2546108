/**
 * One training measurement, shared by the Node rows and the Chromium worker (no Node imports):
 * for each repeat and each path (interleaved), a fresh Trainer on the model's data for one epoch;
 * the repeat's value is the median ms of its batches after the warm-up ones.
 */
import type { TF } from '../../src/core/layers/tfjs.ts';
import { Trainer } from '../../src/tf/train/engine.ts';
import { disposeTrainer } from '../../src/tf/train/probe.ts';
import { median } from './stats.ts';
import type { BenchModel } from './models.ts';
import type { TrainRow } from './results.ts';

export type TrainPath = Exclude<TrainRow['path'], 'pytorch'>;

/** Both recurrent paths: TF.js's own layers ('stock') and Unroll's fused op (src/tf/kernels). */
export function trainingPaths(): TrainPath[] {
  return ['stock', 'fused'];
}

/** ms per batch of every batch of one epoch, warm-up included. */
export async function trainEpoch(tf: TF, m: BenchModel, path: TrainPath): Promise<number[]> {
  const ms: number[] = [];
  let error: string | undefined;
  const trainer = new Trainer({
    tf, graph: m.graph, dataset: m.dataset, recurrent: path,
    settings: { ...m.settings, backend: tf.getBackend() as BenchModel['settings']['backend'] },
    onEvent: (e) => {
      if (e.type === 'batch') ms.push(e.msPerBatch);
      if (e.type === 'error') error = e.message;
    },
  });
  await trainer.run();
  disposeTrainer(trainer);
  if (error) throw new Error(`${m.name} on ${tf.getBackend()} (${path}): ${error}`);
  if (ms.length !== m.warmup + m.measured) throw new Error(`${m.name}: ${ms.length} batches, expected ${m.warmup + m.measured}`);
  return ms;
}

/** Each path's repeat values (median ms per measured batch), repeats interleaved across paths. */
export async function measureTraining(tf: TF, m: BenchModel, paths: readonly TrainPath[], repeats: number): Promise<Record<TrainPath, number[]>> {
  const out = Object.fromEntries(paths.map((p) => [p, [] as number[]])) as Record<TrainPath, number[]>;
  for (let r = 0; r < repeats; r++) {
    for (const path of paths) out[path].push(median((await trainEpoch(tf, m, path)).slice(m.warmup)));
  }
  return out;
}
