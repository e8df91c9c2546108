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
import type { Baselines } from './metrics.ts';
import type { WorkbenchMessage, WorkbenchReply } from './workbench.ts';
import type { WeightSet } from '../../core/weights.ts';
import type { LayerInside, OutputValues, Saliency } from '../inspect/probe.ts';
import type { WeightStats } from '../inspect/weights.ts';

/** Which backend trains and why it was chosen (see backend.ts). */
export interface BackendChoice {
  readonly requested: TrainingSettings['backend'];
  /** What `tf.getBackend()` says after `setBackend`. */
  readonly backend: string;
  readonly reason: string;
  // --- bench (issue 12): 'auto' with a probe timed each candidate backend on a few batches of the model.
  /** ms per training batch of each probed backend, in the order probed. */
  readonly probe?: readonly { readonly backend: string; readonly msPerBatch: number }[];
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
  /** What learning nothing scores (chance, majority class, the mean), for the charts. */
  readonly baseline?: Baselines;
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
  // ux (issue 10): the epoch so far, as Keras's progress bar shows it.
  /** Mean loss over this epoch's batches up to this one (weighted by batch size). */
  readonly epochLoss?: number;
  /** The same for accuracy (classification outputs only). */
  readonly epochAccuracy?: number;
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
  /** reliab: a run that ended without learning (a loss far above guessing, not falling), in words. */
  readonly warnings?: readonly string[];
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
  /** reliab: the worker cannot go on (lost WebGL context, wasm aborted, out of memory): the client replaces it. */
  readonly fatal?: boolean;
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
  | KerasToWorker
  | InsideToWorker
  | WorkbenchMessage
  | ReliabToWorker;

export type FromWorker =
  | { readonly type: 'event'; readonly runId: number; readonly event: TrainEvent }
  | { readonly type: 'exported'; readonly requestId: number; readonly files: ModelFiles }
  | { readonly type: 'export-error'; readonly requestId: number; readonly message: string }
  | KerasFromWorker
  | InsideFromWorker
  | WorkbenchReply
  | ReliabFromWorker;

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

/**
 * `workbench` requests (evaluate, generate, decode, decode-eval, try, call) and their one reply
 * (`workbench-result` | `workbench-error`): the types live with their code in workbench.ts.
 */
export type { Called, Decoded, DecodeEvaluation, Evaluation, EvalRow, Generated, Tried, WeightsUsed, WorkbenchMessage, WorkbenchReply, WorkbenchRequest, WorkbenchResult } from './workbench.ts';

// ---- end workbench ----

// ---- reliab (issue 9): liveness and memory ----
// While a run is active the client pings; a worker that stops answering (crashed, terminated,
// killed) is replaced and the run ends with a message. `memory` reports TF.js's tensor count.

export type ReliabToWorker =
  | { readonly type: 'ping'; readonly id: number }
  | { readonly type: 'memory'; readonly requestId: number };

export type ReliabFromWorker =
  | { readonly type: 'pong'; readonly id: number }
  | { readonly type: 'memory'; readonly requestId: number; readonly numTensors: number; readonly numBytes: number; readonly backend: string | null };

export function isReliabMessage(msg: FromWorker): msg is ReliabFromWorker {
  return msg.type === 'pong' || msg.type === 'memory';
}
// ---- end reliab ----

/** Terminal events end a run. */
export function isTerminal(e: TrainEvent): e is DoneEvent | StoppedEvent | ErrorEvent {
  return e.type === 'done' || e.type === 'stopped' || e.type === 'error';
}

// ---- inside (issue 11): look inside one example, weight sizes, gradients through time ----
// Requests carry a requestId and get exactly one reply; gradient samples of a run come as their
// own messages (not TrainEvents), sampled by the worker while it trains (see src/tf/train/inside.ts).

/** What to run the model on: a dataset example (padded as in its batch of `batchSize`, in order), or typed input. */
export type InspectSource =
  | { readonly kind: 'example'; readonly split: 'train' | 'val' | 'test'; readonly index: number; readonly batchSize?: number }
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'numbers'; readonly rows: readonly (readonly number[])[] };

export interface InspectRequest {
  readonly graph: Graph;
  /** Needed for dataset examples, text (its vocabulary) and decoding; optional for numbers. */
  readonly dataset?: DatasetSource;
  readonly source: InspectSource;
  /** 'current': the latest run's weights when it trained this graph, else fresh ones (seeded). */
  readonly weights: 'current' | 'fresh';
  readonly seed: number;
  readonly backend: TrainingSettings['backend'];
}

/** A fact of the lesson checked on this example's numbers. */
export interface InsideFact {
  readonly text: string;
  readonly holds: boolean;
  /** The measured quantity (a largest difference). */
  readonly value: number;
}

export interface InspectResult {
  /** Whose weights: a run's (trained or being trained) or fresh ones. */
  readonly weights: 'trained' | 'fresh';
  readonly weightsNote: string;
  readonly backend: string;
  /** One per input position of the time source. */
  readonly tokens: readonly string[];
  readonly padding: readonly boolean[];
  readonly layers: readonly LayerInside[];
  readonly outputs: readonly OutputValues[];
  readonly prediction: { readonly text: string; readonly values: readonly number[]; readonly shape: readonly number[]; readonly top?: readonly { readonly label: string; readonly p: number }[] };
  readonly target?: string;
  readonly loss?: number;
  readonly saliency?: Saliency;
  readonly facts: readonly InsideFact[];
  readonly weightStats: WeightStats;
  readonly ms: number;
}

/** ‖∂L/∂h_t‖ of every recurrent layer on a fixed probe batch, at one point of a run. */
export interface GradientSample {
  readonly epoch: number;
  readonly batch: number;
  /** Batches since the run's start (1-based). */
  readonly step: number;
  /** The probe batch's loss (mean). */
  readonly loss: number;
  readonly layers: readonly { readonly nodeId: string; readonly name: string; readonly direction: 'forward' | 'backward'; readonly gradNorm: readonly (number | null)[] }[];
  readonly ms: number;
}

/** How often a run samples gradients: every N batches, 'auto' (≤ ~10 % of the training time), or never. */
export type GradientsEvery = number | 'auto' | 'off';

export type InsideToWorker =
  | { readonly type: 'inspect'; readonly requestId: number; readonly request: InspectRequest }
  | { readonly type: 'weight-stats'; readonly requestId: number; readonly graph: Graph }
  | { readonly type: 'inside-settings'; readonly gradientsEvery: GradientsEvery };

export type InsideFromWorker =
  | { readonly type: 'inspected'; readonly requestId: number; readonly result: InspectResult }
  | { readonly type: 'inspect-error'; readonly requestId: number; readonly message: string }
  | { readonly type: 'weight-stats'; readonly requestId: number; readonly stats: WeightStats | null; readonly trained: boolean }
  | { readonly type: 'gradients'; readonly runId: number; readonly sample: GradientSample };

export function isInsideMessage(msg: FromWorker): msg is InsideFromWorker {
  return msg.type === 'inspected' || msg.type === 'inspect-error' || msg.type === 'weight-stats' || msg.type === 'gradients';
}
