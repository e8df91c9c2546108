/**
 * The Train panel's state: one training run at a time, separate from the editor store (a run is
 * not part of the document and is never undone). Plain zustand vanilla, no React, no DOM, no TF.js:
 * the training client is passed in (src/tf/train/client.ts in the app, an in-process worker in
 * tests), so TF.js only ever loads inside the worker.
 *
 *   const train = createTrainStore({ client: trainingClient() });
 *   train.getState().start(project);            // dataset by the project's id
 *   train.getState().start(project, dataset);   // or the data itself (uploaded CSVs)
 *   train.getState().stop();
 *
 * Status: idle → starting → running ⇄ paused → done | stopped | error. `stop()` asks the worker;
 * the status turns `stopped` when the worker confirms (before its next batch). A newer `start`
 * supersedes the older run: its late events are ignored.
 */
import { createStore } from 'zustand/vanilla';
import type { Project } from '../core/project.ts';
import type { Graph } from '../core/types.ts';
import type { Dataset } from '../data/tasks.ts';
import type { StartTrainingOptions, TrainingClient, TrainingHandle } from '../tf/train/client.ts';
import type { ModelFiles } from '../tf/io.ts';
import type { BackendChoice, EarlyStopInfo, EpochEvent, ErrorWhere, Prediction, StartEvent, TrainEvent } from '../tf/train/protocol.ts';

export type RunStatus = 'idle' | 'starting' | 'running' | 'paused' | 'done' | 'stopped' | 'error';

/** One reported batch; `step` counts batches from the run's start (1-based). */
export interface BatchPoint {
  readonly step: number;
  readonly epoch: number;
  readonly batch: number;
  readonly batches: number;
  readonly loss: number;
  readonly accuracy?: number;
  /** The epoch's mean so far (Keras's progress bar), when the engine reports it. */
  readonly epochLoss?: number;
  readonly epochAccuracy?: number;
}

/** One epoch's results, as the engine reports them. */
export type EpochPoint = Omit<EpochEvent, 'type'>;

export interface RunError {
  readonly message: string;
  readonly where: ErrorWhere;
  readonly epoch?: number;
  readonly batch?: number;
}

export interface RunProgress {
  readonly epoch: number;
  readonly epochs: number;
  readonly batch: number;
  readonly batches: number;
}

export interface TrainState {
  readonly status: RunStatus;
  /** Stop was asked and the worker has not confirmed yet. */
  readonly stopping: boolean;
  /** Counts runs started by this store (0 before the first). */
  readonly run: number;
  /** The graph and settings the run trains (a snapshot taken at start). */
  readonly graph: Graph | null;
  readonly settings: Project['training'] | null;
  /** The `start` event: backend, batches per epoch, parameters, example counts, loss. */
  readonly info: StartEvent | null;
  readonly backend: BackendChoice | null;
  readonly progress: RunProgress | null;
  /** Mean of the last few reported batch times. */
  readonly msPerBatch: number | null;
  readonly batches: readonly BatchPoint[];
  readonly epochs: readonly EpochPoint[];
  readonly test: { readonly loss: number; readonly accuracy?: number } | null;
  readonly predictions: readonly Prediction[];
  readonly seconds: number | null;
  readonly error: RunError | null;
  /** Where a stopped run stopped (the next batch it would have run). */
  readonly stoppedAt: { readonly epoch: number; readonly batch: number } | null;
  /** The worker holds a model trained by the last run (done, or stopped after ≥ 1 batch). */
  readonly exportable: boolean;
  /** What early stopping did in the last run (when it was on). */
  readonly early: EarlyStopInfo | null;
  /** reliab: the finished run did not learn (a loss far above guessing, or not falling), in words. */
  readonly warnings: readonly string[];
  /** The run continues an earlier one (its curves are kept, epochs numbered on). */
  readonly continued: boolean;
  /** The dataset and project the run trains (names for the runs list). */
  readonly dataset: { readonly id: string; readonly name: string } | null;
  readonly project: string | null;

  start(project: TrainProject, dataset?: Dataset): void;
  /**
   * Trains the last run's model for `project.training.epochs` more epochs, from its weights and
   * optimizer state (Keras: calling fit again). Needs the same graph and dataset; the worker refuses otherwise.
   */
  continueRun(project: TrainProject, dataset?: Dataset): void;
  stop(): void;
  pause(): void;
  resume(): void;
  /** Forgets the last run's results (the worker's model stays until the next run). */
  reset(): void;
  /** The last run's trained model as TF.js files (Unroll's classes; src/tf/io.ts), when `exportable`. */
  exportModel(): Promise<ModelFiles>;
}

/** What a run trains: the graph, its settings and the dataset choice (a snapshot of the document). */
export interface TrainProject {
  readonly graph: Graph;
  readonly training: Project['training'];
  readonly dataset: Project['dataset'];
  /** The dataset's name as the panel shows it (kept with the run). */
  readonly datasetName?: string;
  /** The project's name (kept with the run). */
  readonly name?: string;
}

/** The parts of the training client the store uses. */
export type TrainClient = Pick<TrainingClient, 'startTraining' | 'exportTrainedModel'>;

export interface TrainStoreOptions {
  readonly client: TrainClient;
}

const MS_WINDOW = 10;

const cleared = {
  status: 'idle' as RunStatus, stopping: false, graph: null, settings: null, info: null, backend: null, progress: null,
  msPerBatch: null, batches: [], epochs: [], test: null, predictions: [], seconds: null, error: null, stoppedAt: null,
  early: null, continued: false, dataset: null, project: null, warnings: [] as readonly string[],
};

export function createTrainStore(opts: TrainStoreOptions) {
  let handle: TrainingHandle | null = null;
  let unsubscribe: (() => void) | null = null;
  let recentMs: number[] = [];

  const store = createStore<TrainState>()((set, get) => {
    const apply = (e: TrainEvent) => {
      const s = get();
      switch (e.type) {
        case 'start':
          set({ status: s.status === 'paused' ? 'paused' : 'running', info: e, backend: e.backend ?? null, progress: { epoch: (e.initialEpoch ?? 0) + 1, epochs: e.epochs, batch: 0, batches: e.batches } });
          return;
        case 'batch': {
          recentMs = [...recentMs.slice(1 - MS_WINDOW), e.msPerBatch];
          const point: BatchPoint = {
            step: (e.epoch - 1) * e.batches + e.batch, epoch: e.epoch, batch: e.batch, batches: e.batches, loss: e.loss,
            ...(e.accuracy === undefined ? {} : { accuracy: e.accuracy }),
            ...(e.epochLoss === undefined ? {} : { epochLoss: e.epochLoss }),
            ...(e.epochAccuracy === undefined ? {} : { epochAccuracy: e.epochAccuracy }),
          };
          set({
            batches: [...s.batches, point],
            progress: { epoch: e.epoch, epochs: s.progress?.epochs ?? e.epoch, batch: e.batch, batches: e.batches },
            msPerBatch: recentMs.reduce((a, b) => a + b, 0) / recentMs.length,
          });
          return;
        }
        case 'epoch': {
          const { type: _, ...point } = e;
          set({ epochs: [...s.epochs, point] });
          return;
        }
        case 'done':
          set({ status: 'done', stopping: false, test: e.test, predictions: e.predictions, seconds: e.seconds, exportable: true, early: e.early ?? null, warnings: e.warnings ?? [] });
          break;
        case 'stopped':
          set({ status: 'stopped', stopping: false, stoppedAt: { epoch: e.epoch, batch: e.batch }, exportable: s.batches.length > 0 });
          break;
        case 'error':
          set({ status: 'error', stopping: false, error: { message: e.message, where: e.where, ...(e.epoch === undefined ? {} : { epoch: e.epoch, batch: e.batch }) } });
          break;
      }
      // A terminal event: the run is over.
      unsubscribe?.();
      unsubscribe = null;
      handle = null;
    };

    /** Starts a run (or continues the last one: its curves stay, the worker checks it may). */
    const launch = (project: TrainProject, dataset: Dataset | undefined, more: boolean) => {
      unsubscribe?.();
      unsubscribe = null;
      recentMs = [];
      const s0 = get();
      const run = s0.run + 1;
      const kept = more ? { batches: s0.batches, epochs: s0.epochs } : {};
      const id = dataset?.id ?? project.dataset?.id;
      const ds = id ? { id, name: project.datasetName ?? dataset?.name ?? id } : null;
      set({ ...cleared, ...kept, status: 'starting', run, exportable: false, graph: project.graph, settings: project.training, continued: more, dataset: ds, project: project.name ?? null });
      // The client takes the project file's (mutable) types; the graph is only read and posted.
      const p = project as StartTrainingOptions['project'];
      const o: StartTrainingOptions = { project: p, ...(dataset ? { dataset } : {}), ...(more ? { continue: true } : {}) };
      let h: TrainingHandle;
      try {
        h = opts.client.startTraining(o);
      } catch (e) {
        set({ status: 'error', error: { message: e instanceof Error ? e.message : String(e), where: 'data' } });
        return;
      }
      handle = h;
      unsubscribe = h.onEvent((e) => {
        if (handle === h) apply(e);
      });
    };

    return {
      ...cleared,
      run: 0,
      exportable: false,

      start(project, dataset) {
        launch(project, dataset, false);
      },
      continueRun(project, dataset) {
        launch(project, dataset, true);
      },
      stop() {
        const s = get();
        if (!handle || !(s.status === 'starting' || s.status === 'running' || s.status === 'paused')) return;
        handle.stop();
        set({ stopping: true });
      },
      pause() {
        if (!handle || get().status !== 'running') return;
        handle.pause();
        set({ status: 'paused' });
      },
      resume() {
        if (!handle || get().status !== 'paused') return;
        handle.resume();
        set({ status: get().info ? 'running' : 'starting' });
      },
      reset() {
        const s = get();
        if (s.status === 'starting' || s.status === 'running' || s.status === 'paused') s.stop();
        unsubscribe?.();
        unsubscribe = null;
        handle = null;
        set({ ...cleared });
      },
      async exportModel() {
        if (!get().exportable) throw new Error('Train the model first: there is no trained model to export yet.');
        return opts.client.exportTrainedModel();
      },
    };
  });
  return store;
}

export type TrainStore = ReturnType<typeof createTrainStore>;

/** A run is in progress (the Train button is busy, settings are locked). */
export const isActive = (s: Pick<TrainState, 'status'>): boolean => s.status === 'starting' || s.status === 'running' || s.status === 'paused';
