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

window.benchTrain = (job) => {
  const run = queue.then(() => new Promise<BenchReply>((resolve) => {
    const onMessage = (e: MessageEvent<BenchReply>) => {
      worker.removeEventListener('message', onMessage);
      resolve(e.data);
    };
    worker.addEventListener('message', onMessage);
    worker.addEventListener('error', (e) => resolve({ ok: false, error: `worker error: ${e.message}` }), { once: true });
    worker.postMessage(job);
  }));
  queue = run;
  return run;
};
document.documentElement.dataset.ready = 'true';
