/**
 * The training engine's events and the messages between the main thread (client.ts) and the
 * training worker (worker.ts / host.ts), typed in one place. Everything here is structured-clone
 * safe (plain objects, numbers, strings, ArrayBuffers), so it crosses postMessage unchanged.
 *
 *   main → worker: start | stop | pause | resume | export
 *   worker → main: event (a TrainEvent of one run) | exported | export-error
 *
 * Every run has a runId chosen by the client. The worker stops the older run when a newer one
 * starts (TensorFlow Playground's run counter) and the client drops events of runs it no longer
 * follows, so a late batch of an old run never reaches the charts.
 */
import type { Graph } from '../../core/types.ts';
import type { TrainingSettings } from '../../core/project.ts';
import type { Dataset } from '../../data/tasks.ts';
import type { ModelFiles } from '../io.ts';
import type { WeightSet } from '../../core/weights.ts';

/** Which backend trains and why it was chosen (see backend.ts). */
export interface BackendChoice {
  readonly requested: TrainingSettings['backend'];
  /** What `tf.getBackend()` says after `setBackend`. */
  readonly backend: string;
  readonly reason: string;
}

/** First event of a run: the model is built and the data batched. */
export interface StartEvent {
  readonly type: 'start';
  readonly epochs: number;
  /** Training batches per epoch. */
  readonly batches: number;
  readonly params: number;
  readonly examples: { readonly train: number; readonly val: number; readonly test: number };
  /** The Output node's loss, and whether padded target steps are masked out of it. */
  readonly loss: string;
  readonly masked: boolean;
  readonly backend?: BackendChoice;
  /** The run started from loaded weights (keras block below): which layers took them. */
  readonly initialWeights?: InitialWeightsReport;
  /** workbench: continue, several outputs, class weights (see the block below). */
  readonly initialEpoch?: number;
  readonly outputs?: readonly OutputInfo[];
  readonly classWeight?: readonly number[];
}

export interface BatchEvent {
  readonly type: 'batch';
  /** 1-based. */
  readonly epoch: number;
  /** 1-based, of `batches`. */
  readonly batch: number;
  readonly batches: number;
  readonly loss: number;
  /** Classification outputs only; per-step targets count real (unpadded) steps only. */
  readonly accuracy?: number;
  readonly msPerBatch: number;
}

export interface EpochEvent {
  readonly type: 'epoch';
  readonly epoch: number;
  /** Mean of the batch losses weighted by batch size (Keras's running mean at the epoch's end). */
  readonly loss: number;
  readonly accuracy?: number;
  /** NaN when the dataset has no validation examples. */
  readonly val_loss: number;
  readonly val_accuracy?: number;
  readonly seconds: number;
  /** workbench: the optimizer's learning rate at the epoch's end; each head's losses (several Outputs with a loss). */
  readonly learning_rate?: number;
  readonly outputs?: readonly OutputMetrics[];
}

/** One decoded test example. For seq2seq the prediction is teacher-forced (argmax per step). */
export interface Prediction {
  readonly input: string;
  readonly truth: string;
  readonly predicted: string;
  readonly correct?: boolean;
}

export interface History {
  readonly loss: number[];
  readonly accuracy?: number[];
  readonly val_loss: number[];
  readonly val_accuracy?: number[];
  readonly learning_rate?: number[];
}

export interface DoneEvent {
  readonly type: 'done';
  readonly history: History;
  readonly test: { readonly loss: number; readonly accuracy?: number };
  readonly predictions: readonly Prediction[];
  readonly seconds: number;
  /** workbench: what early stopping did (when it was on). */
  readonly early?: EarlyStopInfo;
}

export interface StoppedEvent {
  readonly type: 'stopped';
  /** Where it stopped: the next batch that would have run (1-based). */
  readonly epoch: number;
  readonly batch: number;
  readonly history: History;
}

/** Where an error happened: the step that failed. */
export type ErrorWhere = 'binding' | 'compile' | 'data' | 'backend' | 'train' | 'evaluate' | 'worker';

export interface ErrorEvent {
  readonly type: 'error';
  readonly message: string;
  readonly where: ErrorWhere;
  /** Set for a NaN/Infinity loss. */
  readonly epoch?: number;
  readonly batch?: number;
}

export type TrainEvent = StartEvent | BatchEvent | EpochEvent | DoneEvent | StoppedEvent | ErrorEvent;

/** A dataset for the worker: a catalog id (loaded there) or the data itself (uploaded CSVs). */
export type DatasetSource =
  | { readonly kind: 'id'; readonly id: string; readonly options?: { readonly seed?: number; readonly size?: number } }
  | { readonly kind: 'data'; readonly dataset: Dataset };

export type ToWorker =
  | { readonly type: 'start'; readonly runId: number; readonly graph: Graph; readonly dataset: DatasetSource; readonly settings: TrainingSettings; readonly continue?: boolean }
  | { readonly type: 'stop'; readonly runId: number }
  | { readonly type: 'pause'; readonly runId: number }
  | { readonly type: 'resume'; readonly runId: number }
  | { readonly type: 'export'; readonly requestId: number }
  | KerasToWorker;

export type FromWorker =
  | { readonly type: 'event'; readonly runId: number; readonly event: TrainEvent }
  | { readonly type: 'exported'; readonly requestId: number; readonly files: ModelFiles }
  | { readonly type: 'export-error'; readonly requestId: number; readonly message: string }
  | KerasFromWorker;

// ---- keras (issue 8): weights from files, and the trained weights as a WeightSet ----
/**
 * `set-weights`: the weights the editor holds for its graph (opened from a .keras, .h5 or TF.js
 * file; null for none). The worker keeps them; every later run (and predict / inspect) starts
 * from them: each layer whose name and shapes fit takes them, the others keep fresh weights.
 * `get-weights`: the latest run's model weights (trained, stopped or finished) as a WeightSet, for
 * the `.keras` save and for keeping them with the project.
 */
export type KerasToWorker =
  | { readonly type: 'set-weights'; readonly weights: WeightSet | null }
  | { readonly type: 'get-weights'; readonly requestId: number };

export type KerasFromWorker =
  | { readonly type: 'weights'; readonly requestId: number; readonly weights: WeightSet }
  | { readonly type: 'weights-error'; readonly requestId: number; readonly message: string };

/** Which layers of a run took the loaded weights (in the start event). */
export interface InitialWeightsReport {
  /** Where the weights came from (file name, Keras version). */
  readonly source: WeightSet['source'];
  readonly applied: readonly string[];
  /** Layers of the model the weights have nothing for: fresh weights. */
  readonly missing: readonly string[];
  /** Layers whose loaded weights no longer fit (the graph changed), one line each: fresh weights. */
  readonly problems: readonly string[];
}
// ---- end keras ----

// ---- workbench (issue 13): several outputs, callbacks, continue, evaluation, generation ----

/** An Output with a loss, as training uses it. `weight` is its loss weight. */
export interface OutputInfo {
  readonly name: string;
  readonly loss: string;
  readonly weight: number;
}

/** One Output's (unweighted) epoch losses; the epoch's `loss` is Σ weight · loss. */
export interface OutputMetrics {
  readonly name: string;
  readonly loss: number;
  readonly val_loss: number;
}

/** What early stopping did: 1-based epochs (null: it never stopped / no value was monitored). */
export interface EarlyStopInfo {
  readonly monitor: string;
  readonly stoppedEpoch: number | null;
  readonly bestEpoch: number | null;
  readonly best: number | null;
  /** The best epoch's weights replaced the last ones (restore_best_weights). */
  readonly restored: boolean;
}

// ---- end workbench ----

/** Terminal events end a run. */
export function isTerminal(e: TrainEvent): e is DoneEvent | StoppedEvent | ErrorEvent {
  return e.type === 'done' || e.type === 'stopped' || e.type === 'error';
}
