/**
 * The training worker's logic, without the worker: it receives ToWorker messages and posts
 * FromWorker messages through functions it is given, so Node tests drive it directly and
 * worker.ts only wires it to `self`.
 *
 * - One run at a time. A start with a new runId makes the older run stop itself before its next
 *   batch (its `isCurrent` turns false; it posts nothing more) and frees its model afterwards.
 * - TF.js is loaded on the first start (`loadTf`), the backend chosen per request (backend.ts);
 *   'auto' times a short training probe of the run's model on each candidate backend (probe.ts).
 * - Batch events are throttled to one per `throttleMs` (default 100 ms, ~10/s); the last batch
 *   of an epoch and every other event always go through.
 * - `export` saves the latest run's model (trained, stopped or finished) as model.json + weights.
 */
import type { TF } from '../../core/layers/tfjs.ts';
import type { Graph } from '../../core/types.ts';
import type { CorpusLoader } from '../../data/corpora/loader.ts';
import { loadDataset } from '../../data/catalog.ts';
import type { Dataset } from '../../data/tasks.ts';
import { saveModelFiles } from '../io.ts';
import type { WeightSet } from '../../core/weights.ts';
import { extractWeights, layersOf } from '../weights/apply.ts';
import { selectBackend, type BackendRequest } from './backend.ts';
import { Trainer, type ResumeState } from './engine.ts';
import { createWorkbenchHost, datasetKey, modelKey } from './workbench.ts';
import { createInsideHost } from './inside.ts';
import { fatalError } from './health.ts';
import { trainingProbe } from './probe.ts';
import type { BackendChoice, DatasetSource, FromWorker, ToWorker, TrainEvent } from './protocol.ts';

export interface HostOptions {
  /** Posts a message to the main thread (with transferables). */
  readonly post: (msg: FromWorker, transfer?: Transferable[]) => void;
  /** Loads TF.js (and registers the wasm backend when available). Called once. */
  readonly loadTf: () => Promise<TF>;
  /** Reads built-in corpora (fetchLoader('/datasets/') in the browser). */
  readonly loader: CorpusLoader;
  /** Called before setBackend('wasm') (browser: setWasmPaths). */
  readonly prepareWasm?: () => void | Promise<void>;
  readonly throttleMs?: number;
}

/** Lets batch events through at most once per `ms`; keeps every epoch's last batch. */
export function batchThrottle(ms: number, now: () => number = () => performance.now()): (e: TrainEvent) => boolean {
  let last = -Infinity;
  return (e) => {
    if (e.type !== 'batch') return true;
    const t = now();
    if (e.batch === e.batches || e.batch === 1 || t - last >= ms) {
      last = t;
      return true;
    }
    return false;
  };
}

export function createTrainingHost(o: HostOptions): (msg: ToWorker) => Promise<void> {
  let tf: TF | undefined;
  let backend: BackendChoice | undefined;
  let current = 0;
  /** A run stopped before its Trainer existed. */
  let cancelled = -1;
  let trainer: Trainer | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let cached: { key: string; dataset: Dataset } | undefined;
  /** The loaded weights runs start from (set-weights). */
  let initialWeights: WeightSet | null = null;
  /** What the current trainer trained (graph without positions, dataset): a run continues only the same. */
  let previousKey = '';
  // Issue 11 (inside.ts): the latest run's graph and how many batches it trained.
  let runGraph: Graph | undefined;
  let trainedBatches = 0;
  /** What the backend was chosen for (the request; for 'auto' also the model, data and batch size). */
  let backendKey = '';

  const datasetOf = async (src: DatasetSource): Promise<Dataset> => {
    if (src.kind === 'data') return src.dataset;
    const key = JSON.stringify([src.id, src.options ?? {}]);
    if (cached?.key !== key) cached = { key, dataset: await loadDataset(src.id, o.loader, src.options) };
    return cached.dataset;
  };

  const inside = createInsideHost({
    post: o.post,
    tf: async (request) => {
      tf ??= await o.loadTf();
      // A run in progress keeps its backend (its tensors live there).
      const busy = trainer?.status === 'running' || trainer?.status === 'paused';
      if (!busy && (!backend || backend.requested !== request)) {
        backend = await selectBackend(tf, request as BackendRequest, { prepareWasm: o.prepareWasm });
        backendKey = ''; // chosen without a probe: the next training run chooses again
      }
      return { tf, backend: backend!.backend };
    },
    dataset: (src) => datasetOf(src),
    run: () => (trainer?.model && runGraph ? { graph: runGraph, model: trainer.model, batches: trainedBatches } : undefined),
    loadedWeights: () => initialWeights,
  });

  // Issue 13 (workbench.ts): evaluation, generation, decoding, try it, call without training.
  let runDataKey = '';
  let loadedAfterRun = false;
  const workbench = createWorkbenchHost({
    post: o.post,
    tf: async (request) => {
      tf ??= await o.loadTf();
      // A run in progress keeps its backend (its tensors live there); otherwise the settings' choice.
      const busy = trainer?.status === 'running' || trainer?.status === 'paused';
      if (!busy && !backend) backend = await selectBackend(tf, request as BackendRequest, { prepareWasm: o.prepareWasm });
      return tf;
    },
    dataset: (src) => datasetOf(src),
    run: () => (trainer?.model && runGraph && !loadedAfterRun ? { trainer, key: modelKey(runGraph, runDataKey) } : undefined),
    loadedWeights: () => initialWeights,
  });
  /** Ends the current run with a fatal error at once (a lost WebGL context: its pending GPU reads never finish). */
  let failRun: ((message: string) => void) | null = null;
  const watched = new WeakSet<object>();
  /** Listens for the loss of TF.js's WebGL context (once per context). */
  const watchContext = () => {
    try {
      if (!tf || tf.getBackend() !== 'webgl') return;
      const canvas = (tf.backend() as unknown as { gpgpu?: { gl?: WebGLRenderingContext } }).gpgpu?.gl?.canvas as (EventTarget & object) | undefined;
      if (!canvas?.addEventListener || watched.has(canvas)) return;
      watched.add(canvas);
      canvas.addEventListener('webglcontextlost', () => failRun?.(lostContextMessage({})));
    } catch {
      // no context to watch
    }
  };

  const start = async (msg: Extract<ToWorker, { type: 'start' }>): Promise<void> => {
    const runId = msg.runId;
    current = runId;
    const previous = trainer;
    previous?.stop();
    const send = (event: TrainEvent) => {
      if (current !== runId) return;
      // An error this worker cannot recover from is marked fatal: the client replaces the worker.
      if (event.type === 'error' && !event.fatal && fatalError(event.message, contextLost(tf))) {
        event = { ...event, fatal: true, message: contextLost(tf) ? lostContextMessage(event) : `${event.message} — the training worker cannot go on after this; Train again starts a fresh one.` };
      }
      o.post({ type: 'event', runId, event });
    };
    let where: 'backend' | 'data' = 'backend';
    try {
      tf ??= await o.loadTf();
      where = 'data';
      const dataset = await datasetOf(msg.dataset);
      where = 'backend';
      await running; // the previous run ends before its next batch (and before any probe)
      if (current !== runId) return; // a newer start took over (and frees `previous`)
      if (cancelled === runId) {
        send({ type: 'stopped', epoch: 1, batch: 1, history: { loss: [], val_loss: [] } });
        return;
      }
      // 'auto' probes this model on each candidate backend (probe.ts); the choice is kept while
      // the model, data and batch size stay the same. A continued run stays where its model is.
      const requested = msg.settings.backend as BackendRequest;
      const choiceKey = requested === 'auto' ? JSON.stringify([requested, runKey(msg), msg.settings.batch_size]) : requested;
      if (!backend || (backendKey !== choiceKey && !msg.continue)) {
        const probe = requested === 'auto' ? trainingProbe(tf, msg.graph, dataset, msg.settings) : undefined;
        backend = await selectBackend(tf, requested, { prepareWasm: o.prepareWasm, probe });
        backendKey = choiceKey;
        if (current !== runId) return; // a newer start came during the probe
      }
      watchContext();
      failRun = (message) => {
        send({ type: 'error', where: 'backend', message, fatal: true });
        current = -runId; // the run posts nothing more
      };
      const pass = batchThrottle(o.throttleMs ?? 100);
      const key = runKey(msg);
      let resume: ResumeState | undefined;
      if (msg.continue) {
        resume = previous && previousKey === key ? previous.resumeState() : undefined;
        if (!resume) {
          send({ type: 'error', where: 'compile', message: previous && previousKey !== key
            ? 'Cannot continue: the model or the dataset changed since the last run. Train from scratch (Train), or undo the changes.'
            : 'Nothing to continue yet: train the model first.' });
          return;
        }
      }
      const sample = inside.sampler(tf, runId, msg.graph, dataset);
      const t = new Trainer({
        tf, graph: msg.graph, dataset, settings: msg.settings, backend, initialWeights, resume,
        isCurrent: () => current === runId,
        onEvent: (e) => pass(e) && send(e),
        afterBatch: async (info) => {
          trainedBatches++;
          if (current === runId) await sample?.(info);
        },
      });
      trainer = t;
      previousKey = key;
      runGraph = msg.graph;
      runDataKey = datasetKey(msg.dataset);
      loadedAfterRun = false;
      if (!resume) trainedBatches = 0;
      if (previous && !resume) previous.dispose();
      running = t.run();
      await running;
    } catch (e) {
      send({ type: 'error', message: (e as Error).message ?? String(e), where });
    } finally {
      if (current === runId || current === -runId) failRun = null;
    }
  };

  const exportModel = async (requestId: number): Promise<void> => {
    try {
      const model = trainer?.model;
      if (!tf || !model) throw new Error('There is no trained model yet: train first.');
      const files = await saveModelFiles(tf, model);
      o.post({ type: 'exported', requestId, files }, [files.weights]);
    } catch (e) {
      o.post({ type: 'export-error', requestId, message: (e as Error).message });
    }
  };

  const getWeights = (requestId: number): void => {
    try {
      const model = trainer?.model;
      if (!tf || !model || !trainer) throw new Error('There is no trained model yet: train first.');
      const weights = extractWeights(tf, layersOf(model, trainer.graph), trainer.graph, { format: 'browser', savedAt: new Date().toISOString() });
      o.post({ type: 'weights', requestId, weights }, Object.values(weights.layers).flatMap((vars) => vars.map((v) => v.data.buffer as ArrayBuffer)));
    } catch (e) {
      o.post({ type: 'weights-error', requestId, message: (e as Error).message });
    }
  };

  return async (msg) => {
    if (!msg || typeof msg !== 'object' || typeof (msg as { type?: unknown }).type !== 'string') return; // not a message of ours
    switch (msg.type) {
      case 'set-weights':
        initialWeights = msg.weights;
        // Weights put in after the last run (a restored run, an opened file) answer the workbench from now on.
        if (msg.weights) loadedAfterRun = true;
        return;
      case 'get-weights': return getWeights(msg.requestId);
      case 'start': return start(msg);
      case 'stop':
        if (msg.runId !== current) return;
        cancelled = current;
        trainer?.stop();
        return;
      case 'pause': if (msg.runId === current) trainer?.pause(); return;
      case 'resume': if (msg.runId === current) trainer?.resumeRun(); return;
      case 'export': return exportModel(msg.requestId);
      case 'ping': return o.post({ type: 'pong', id: msg.id });
      case 'memory': {
        const m = tf?.memory();
        return o.post({ type: 'memory', requestId: msg.requestId, numTensors: m?.numTensors ?? 0, numBytes: m?.numBytes ?? 0, backend: tf ? tf.getBackend() ?? null : null });
      }
      case 'inspect':
      case 'weight-stats':
      case 'inside-settings':
        return inside.handle(msg);
      case 'workbench': return workbench.handle(msg);
    }
  };
}

/** The graph (without positions) and dataset a run trains: continuing needs the same. */
function runKey(msg: Extract<ToWorker, { type: 'start' }>): string {
  const nodes = msg.graph.nodes.map((n) => [n.id, n.kind, n.name, n.params]);
  const edges = msg.graph.edges.map((e) => [e.source, e.sourcePort, e.target, e.targetPort]);
  const data = msg.dataset.kind === 'id' ? [msg.dataset.id, msg.dataset.options ?? {}] : [msg.dataset.dataset.id, msg.dataset.dataset.name, msg.dataset.dataset.train.length];
  return JSON.stringify([nodes, edges, data]);
}

/** Whether TF.js's WebGL context is lost (WEBGL_lose_context, a GPU reset). */
function contextLost(tf: TF | undefined): boolean {
  try {
    if (!tf || tf.getBackend() !== 'webgl') return false;
    const gl = (tf.backend() as unknown as { gpgpu?: { gl?: WebGLRenderingContext } }).gpgpu?.gl;
    return !!gl?.isContextLost?.();
  } catch {
    return false;
  }
}

function lostContextMessage(e: { epoch?: number; batch?: number }): string {
  const at = e.epoch ? ` at epoch ${e.epoch}${e.batch ? `, batch ${e.batch}` : ''}` : '';
  return `Training stopped${at}: the GPU's WebGL context was lost (the browser or the graphics driver reset it). ` +
    'Your model is unchanged. Train again: a fresh worker starts (choose the wasm backend if the GPU keeps failing).';
}
