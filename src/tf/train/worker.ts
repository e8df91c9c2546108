/// <reference lib="webworker" />
/**
 * The training Web Worker's entry. Start it with
 *
 *   new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' })
 *
 * (client.ts does). TF.js and its wasm backend are imported lazily on the first start message,
 * so they end up in the worker's chunks only, never in the main bundle. All logic is in host.ts.
 */
import { fetchLoader } from '../../data/corpora/loader.ts';
import { createTrainingHost } from './host.ts';
import type { FromWorker, ToWorker } from './protocol.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;

const handle = createTrainingHost({
  post: (msg: FromWorker, transfer?: Transferable[]) => scope.postMessage(msg, transfer ?? []),
  loadTf: async () => {
    const tf = await import('@tensorflow/tfjs');
    await import('@tensorflow/tfjs-backend-wasm'); // registers the 'wasm' backend
    // For diagnostics in the browser's devtools and the end-to-end fault tests (lose the WebGL context).
    (scope as unknown as { __unrollTf: unknown }).__unrollTf = tf;
    return tf;
  },
  prepareWasm: async () => {
    const [{ setWasmPaths }, { tfjsWasmFiles }] = await Promise.all([import('@tensorflow/tfjs-backend-wasm'), import('./wasmPaths.ts')]);
    setWasmPaths(tfjsWasmFiles());
  },
  loader: fetchLoader(`${import.meta.env.BASE_URL}datasets/`),
});

scope.addEventListener('message', (e: MessageEvent<ToWorker>) => {
  void handle(e.data);
});
