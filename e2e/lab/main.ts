/**
 * The benchmark page: `window.benchTrain(job)` runs one job in the training worker (one at a time)
 * and resolves with its reply. The worker is the same kind of module worker the app trains in.
 */
import type { BenchJob, BenchReply } from './protocol.ts';

declare global {
  interface Window {
    benchTrain?: (job: BenchJob) => Promise<BenchReply>;
  }
}

const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
let queue: Promise<unknown> = Promise.resolve();
/** A worker that failed (its module did not load, or it threw outside a job) answers every job with that. */
let failed: string | null = null;
let pending: ((reply: BenchReply) => void) | null = null;
worker.addEventListener('error', (e) => {
  failed = `worker error: ${e.message || 'the worker script failed to load'}`;
  pending?.({ ok: false, error: failed });
  pending = null;
});

window.benchTrain = (job) => {
  const run = queue.then(() => new Promise<BenchReply>((resolve) => {
    if (failed) return resolve({ ok: false, error: failed });
    const onMessage = (e: MessageEvent<BenchReply>) => {
      worker.removeEventListener('message', onMessage);
      pending = null;
      resolve(e.data);
    };
    pending = (reply) => {
      worker.removeEventListener('message', onMessage);
      resolve(reply);
    };
    worker.addEventListener('message', onMessage);
    worker.postMessage(job);
  }));
  queue = run;
  return run;
};
document.documentElement.dataset.ready = 'true';
