/// <reference lib="webworker" />
/**
 * The benchmark worker: sets the job's backend with the app's own rule (backend.ts, checked with
 * tf.getBackend()), then measures training with bench/lib/training.ts (the app's Trainer).
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { probeEnvironment, selectBackend } from '../../src/tf/train/backend.ts';
import { tfjsWasmFiles } from '../../src/tf/train/wasmPaths.ts';
import { measureTraining } from '../../bench/lib/training.ts';
import type { BenchJob, BenchReply } from './protocol.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.addEventListener('message', async (e: MessageEvent<BenchJob>) => {
  const job = e.data;
  let reply: BenchReply;
  try {
    const env = probeEnvironment(tf);
    const choice = await selectBackend(tf, job.backend, { env, prepareWasm: () => setWasmPaths(tfjsWasmFiles()) });
    if (choice.backend !== job.backend || tf.getBackend() !== job.backend) {
      reply = { ok: false, backend: tf.getBackend(), error: `${job.backend} did not start: ${choice.reason}` };
    } else {
      const repeats = await measureTraining(tf, job.model, job.paths, job.repeats);
      reply = { ok: true, backend: tf.getBackend(), reason: choice.reason, renderer: env.webgl2Renderer, repeats };
    }
  } catch (err) {
    reply = { ok: false, backend: tf.getBackend(), error: (err as Error).message ?? String(err) };
  }
  scope.postMessage(reply);
});
