/**
 * The main thread's training API. Training runs in a Web Worker (worker.ts), so the canvas never
 * freezes and TF.js stays out of the main bundle.
 *
 *   const run = startTraining({ project, datasetId: 'airline-sentiment' });
 *   const off = run.onEvent((e) => chart.push(e));   // start, batch (≤ ~10/s), epoch, done | stopped | error
 *   run.stop();
 *   const { modelJson, weights } = await exportTrainedModel();
 *
 * Starting a run supersedes the previous one: the worker stops it before its next batch and its
 * handle hears nothing more (its `finished` resolves with a `stopped` event).
 * `createTrainingClient(makeWorker)` gives the same API over any worker (tests use an in-process one).
 */
import type { Project, TrainingSettings } from '../../core/project.ts';
import type { Dataset } from '../../data/tasks.ts';
import type { ModelFiles } from '../io.ts';
import type { WeightSet } from '../../core/weights.ts';
import { insideChannel, type InsideClient } from './insideClient.ts';
import { isInsideMessage, isReliabMessage, isTerminal, type DatasetSource, type DoneEvent, type ErrorEvent as TrainErrorEvent, type FromWorker, type StoppedEvent, type ToWorker, type TrainEvent } from './protocol.ts';
import type { Called, Decoded, DecodeEvaluation, Evaluation, Generated, Tried, WorkbenchRequest, WorkbenchResult } from './workbench.ts';

/** The parts of a Worker the client uses. */
export interface WorkerLike {
  postMessage(msg: ToWorker): void;
  addEventListener(type: 'message', f: (e: MessageEvent<FromWorker>) => void): void;
  addEventListener(type: 'error', f: (e: Event) => void): void;
  terminate(): void;
}

export interface StartTrainingOptions {
  /** The graph, and the training settings and dataset choice used unless given below. */
  readonly project: Pick<Project, 'graph' | 'training' | 'dataset'>;
  /** A catalog dataset, loaded in the worker (default: the project's dataset). */
  readonly datasetId?: string;
  readonly datasetOptions?: { readonly seed?: number; readonly size?: number };
  /** The data itself (uploaded CSVs); wins over datasetId. */
  readonly dataset?: Dataset;
  /** Overrides of the project's training settings. */
  readonly settings?: Partial<TrainingSettings>;
  /** Continue the last run's model (same graph and dataset) for `epochs` more epochs. */
  readonly continue?: boolean;
}

type Terminal = DoneEvent | StoppedEvent | TrainErrorEvent;

export interface WorkbenchOptions<R extends WorkbenchRequest> {
  readonly project: Pick<Project, 'graph' | 'training' | 'dataset'>;
  readonly dataset?: Dataset;
  readonly request: R;
}

/** The result type of each workbench op. */
export interface WorkbenchResultOf {
  readonly evaluate: Evaluation;
  readonly generate: Generated;
  readonly decode: Decoded;
  readonly 'decode-eval': DecodeEvaluation;
  readonly try: Tried;
  readonly call: Called;
}

export interface TrainingHandle {
  readonly runId: number;
  /** Adds a listener; returns a function that removes it. */
  onEvent(listener: (e: TrainEvent) => void): () => void;
  stop(): void;
  pause(): void;
  resume(): void;
  /** The run's last event. */
  readonly finished: Promise<Terminal>;
}

export interface TrainingClient extends InsideClient {
  startTraining(o: StartTrainingOptions): TrainingHandle;
  /** model.json + weights.bin of the latest run's model (TF.js format, src/tf/io.ts). */
  exportTrainedModel(): Promise<ModelFiles>;
  /** The weights later runs start from (a loaded file), or null for fresh ones (keras block of protocol.ts). */
  setWeights(weights: WeightSet | null): void;
  /** The latest run's model weights, with Keras's variable paths. */
  trainedWeights(): Promise<WeightSet>;
  /**
   * Issue 13: evaluate, generate, decode, try or call the current model in the worker
   * (workbench.ts). `dataset`: an uploaded dataset (else the project's catalog choice; none for `call`).
   */
  workbench<R extends WorkbenchRequest>(o: WorkbenchOptions<R>): Promise<WorkbenchResultOf[R['op']]>;
  /** Ends the worker (a later start makes a new one). */
  terminate(): void;
  /** TF.js's tensor count and bytes in the worker (reliab: memory checks), or null without a worker. */
  memory(): Promise<{ numTensors: number; numBytes: number; backend: string | null } | null>;
}

/** Options of `createTrainingClient`. */
export interface ClientOptions {
  /**
   * A worker silent this long during a run (no event, no answer to pings) has died: the run ends
   * with a message and the next start makes a new worker. Default 30 s (a first WebGL batch
   * compiles shaders for several seconds without answering).
   */
  readonly silenceMs?: number;
  /** How often a run pings the worker (default 2 s). */
  readonly pingMs?: number;
}

interface Run {
  readonly listeners: Set<(e: TrainEvent) => void>;
  readonly finish: (e: Terminal) => void;
}

export function createTrainingClient(makeWorker: () => WorkerLike, opts: ClientOptions = {}): TrainingClient {
  let worker: WorkerLike | undefined;
  // reliab: liveness (a run's worker must keep talking) and memory requests.
  let lastHeard = 0;
  let pinger: ReturnType<typeof setInterval> | undefined;
  let pingId = 0;
  const memoryRequests = new Map<number, (m: { numTensors: number; numBytes: number; backend: string | null }) => void>();
  let nextRun = 1, nextRequest = 1;
  let active: { id: number; run: Run } | undefined;
  /** Sent again to a new worker (after terminate). */
  let lastWeights: WeightSet | null = null;
  const exports = new Map<number, { resolve: (f: ModelFiles) => void; reject: (e: Error) => void }>();
  const weightRequests = new Map<number, { resolve: (w: WeightSet) => void; reject: (e: Error) => void }>();
  const workbenchRequests = new Map<number, { resolve: (r: WorkbenchResult) => void; reject: (e: Error) => void }>();
  // Issue 11: look inside, weight sizes, gradient samples (insideClient.ts).
  const inside = insideChannel((msg) => getWorker().postMessage(msg), () => worker !== undefined);

  const deliver = (runId: number, e: TrainEvent) => {
    if (active?.id !== runId) return; // a superseded run: drop
    const run = active.run;
    for (const l of [...run.listeners]) l(e);
    if (isTerminal(e)) {
      active = undefined;
      stopPinging();
      run.finish(e);
    }
    // A worker that cannot go on (lost WebGL context, aborted wasm, out of memory) is replaced.
    if (e.type === 'error' && e.fatal) replaceWorker();
  };

  /** Drops the worker (a later start makes a fresh one); pending requests fail. */
  const replaceWorker = () => {
    const w = worker;
    worker = undefined;
    stopPinging();
    try {
      w?.terminate();
    } catch {
      // already gone
    }
    for (const p of [...exports.values(), ...weightRequests.values(), ...workbenchRequests.values()]) p.reject(new Error('The training worker was replaced.'));
    exports.clear();
    weightRequests.clear();
    workbenchRequests.clear();
    inside.close();
  };

  const stopPinging = () => {
    if (pinger) clearInterval(pinger);
    pinger = undefined;
  };
  const startPinging = () => {
    stopPinging();
    lastHeard = Date.now();
    const silence = opts.silenceMs ?? 30_000;
    pinger = setInterval(() => {
      if (!active || !worker) return stopPinging();
      if (Date.now() - lastHeard > silence) {
        const id = active.id;
        replaceWorker();
        deliver(id, { type: 'error', where: 'worker', message: `The training worker stopped responding for ${Math.round(silence / 1000)} s (it crashed or was stopped). Your model is unchanged; Train again starts a fresh worker.` });
        return;
      }
      worker.postMessage({ type: 'ping', id: ++pingId });
    }, opts.pingMs ?? 2000);
  };

  const getWorker = (): WorkerLike => {
    if (worker) return worker;
    const w = makeWorker();
    w.addEventListener('message', (e: MessageEvent<FromWorker>) => {
      if (w !== worker) return; // a replaced worker
      lastHeard = Date.now();
      const msg = e.data;
      if (isReliabMessage(msg)) {
        if (msg.type === 'memory') {
          memoryRequests.get(msg.requestId)?.({ numTensors: msg.numTensors, numBytes: msg.numBytes, backend: msg.backend });
          memoryRequests.delete(msg.requestId);
        }
      } else if (isInsideMessage(msg)) inside.receive(msg);
      else if (msg.type === 'event') deliver(msg.runId, msg.event);
      else if (msg.type === 'workbench-result' || msg.type === 'workbench-error') {
        const p = workbenchRequests.get(msg.requestId);
        workbenchRequests.delete(msg.requestId);
        if (msg.type === 'workbench-result') p?.resolve(msg.result);
        else p?.reject(new Error(msg.message));
      } else if (msg.type === 'weights' || msg.type === 'weights-error') {
        const p = weightRequests.get(msg.requestId);
        weightRequests.delete(msg.requestId);
        if (msg.type === 'weights') p?.resolve(msg.weights);
        else p?.reject(new Error(msg.message));
      } else {
        const p = exports.get(msg.requestId);
        exports.delete(msg.requestId);
        if (msg.type === 'exported') p?.resolve(msg.files);
        else p?.reject(new Error(msg.message));
      }
    });
    w.addEventListener('error', (e: Event) => {
      if (w !== worker) return;
      const message = (e as { message?: string }).message || 'The training worker crashed.';
      // An uncaught error in the worker: it may be in any state, so it is replaced.
      if (active) deliver(active.id, { type: 'error', message: `${message} Train again starts a fresh worker.`, where: 'worker', fatal: true });
      else replaceWorker();
    });
    worker = w;
    if (lastWeights) w.postMessage({ type: 'set-weights', weights: lastWeights });
    inside.started();
    return w;
  };

  return {
    ...inside.api,
    startTraining(o) {
      const datasetId = o.datasetId ?? o.project.dataset?.id;
      let dataset: DatasetSource;
      if (o.dataset) dataset = { kind: 'data', dataset: o.dataset };
      else if (datasetId) dataset = { kind: 'id', id: datasetId, options: o.datasetOptions ?? catalogOptions(o.project.dataset?.options) };
      else throw new Error('Choose a dataset before training.');
      const w = getWorker();
      const runId = nextRun++;
      if (active) active.run.finish({ type: 'stopped', epoch: 0, batch: 0, history: { loss: [], val_loss: [] } });
      let finish!: (e: Terminal) => void;
      const finished = new Promise<Terminal>((r) => (finish = r));
      const run: Run = { listeners: new Set(), finish };
      active = { id: runId, run };
      w.postMessage({ type: 'start', runId, graph: o.project.graph, dataset, settings: { ...o.project.training, ...o.settings }, ...(o.continue ? { continue: true } : {}) });
      startPinging();
      return {
        runId,
        finished,
        onEvent(listener) {
          run.listeners.add(listener);
          return () => run.listeners.delete(listener);
        },
        stop: () => w.postMessage({ type: 'stop', runId }),
        pause: () => w.postMessage({ type: 'pause', runId }),
        resume: () => w.postMessage({ type: 'resume', runId }),
      };
    },
    exportTrainedModel() {
      const requestId = nextRequest++;
      return new Promise<ModelFiles>((resolve, reject) => {
        exports.set(requestId, { resolve, reject });
        getWorker().postMessage({ type: 'export', requestId });
      });
    },
    setWeights(weights) {
      // Kept for the worker; sent now only to a running one (a new worker gets lastWeights when
      // it starts), so opening the editor does not start the worker and load its code.
      lastWeights = weights;
      worker?.postMessage({ type: 'set-weights', weights });
    },
    workbench(o) {
      const requestId = nextRequest++;
      const id = o.project.dataset?.id;
      const dataset: DatasetSource | null = o.dataset ? { kind: 'data', dataset: o.dataset } : id ? { kind: 'id', id, options: catalogOptions(o.project.dataset?.options) } : null;
      return new Promise((resolve, reject) => {
        workbenchRequests.set(requestId, { resolve: resolve as (r: WorkbenchResult) => void, reject });
        getWorker().postMessage({ type: 'workbench', requestId, graph: o.project.graph, dataset, settings: o.project.training, request: o.request });
      });
    },
    trainedWeights() {
      const requestId = nextRequest++;
      return new Promise<WeightSet>((resolve, reject) => {
        weightRequests.set(requestId, { resolve, reject });
        getWorker().postMessage({ type: 'get-weights', requestId });
      });
    },
    memory() {
      if (!worker) return Promise.resolve(null);
      const requestId = nextRequest++;
      return new Promise((resolve) => {
        memoryRequests.set(requestId, resolve);
        worker!.postMessage({ type: 'memory', requestId });
      });
    },
    terminate() {
      stopPinging();
      worker?.terminate();
      worker = undefined;
      if (active) deliver(active.id, { type: 'error', message: 'Training was cancelled: the worker was closed.', where: 'worker' });
      for (const p of [...exports.values(), ...weightRequests.values(), ...workbenchRequests.values()]) p.reject(new Error('The training worker was closed.'));
      exports.clear();
      weightRequests.clear();
      workbenchRequests.clear();
      inside.close();
    },
  };
}

/** The seed/size a project's dataset choice may carry for synthetic datasets. */
function catalogOptions(options: Record<string, unknown> | undefined): { seed?: number; size?: number } {
  const out: { seed?: number; size?: number } = {};
  if (typeof options?.seed === 'number') out.seed = options.seed;
  if (typeof options?.size === 'number') out.size = options.size;
  return out;
}

let shared: TrainingClient | undefined;

const makeWorker = () => new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' }) as WorkerLike;

/** The app's client over the real worker (created on first use). */
export function trainingClient(): TrainingClient {
  shared ??= createTrainingClient(makeWorker);
  return shared;
}

/** A client with a worker of its own (the vanishing-gradient experiment trains beside the Train panel's run). */
export function ownTrainingClient(): TrainingClient {
  return createTrainingClient(makeWorker);
}

export const startTraining = (o: StartTrainingOptions): TrainingHandle => trainingClient().startTraining(o);
export const exportTrainedModel = (): Promise<ModelFiles> => trainingClient().exportTrainedModel();
