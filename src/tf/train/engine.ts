/**
 * The training loop: graph + dataset + settings → a trained TF.js model, with events for charts.
 *
 *   const t = new Trainer({ tf, graph, dataset, settings, onEvent });
 *   const done = await t.run();    // start, batch…, epoch…, then done | stopped | error
 *   t.stop();                      // from anywhere: stops before the next batch
 *
 * Each batch: tensors from src/data's padded batch → `model.trainOnBatch` with a custom loss
 * (Keras 3's masked mean, see losses.ts) → dispose → NaN check → event → yield to the event
 * loop (so stop/pause messages get through in a worker). Each epoch: a fresh seeded shuffle
 * (seed, epoch), then validation. At the end: the test set and decoded predictions.
 * The backend is chosen by the caller (backend.ts); TF.js is passed in, never imported.
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { TF } from '../../core/layers/tfjs.ts';
import type { Graph } from '../../core/types.ts';
import type { TrainingSettings } from '../../core/project.ts';
import { checkBinding } from '../../data/bind.ts';
import { makeBatches, type Batch } from '../../data/batching.ts';
import { mulberry32 } from '../../data/random.ts';
import type { Dataset } from '../../data/tasks.ts';
import { compileGraph } from '../compile.ts';
import { batchOptions, checkData, describeInput, describeTarget, feedFields, inputTensors, type FeedField } from './feeds.ts';
import { elementCorrect, isCategorical, isClassification, maskedAccuracy, maskedLoss, targetTensors, type LossName } from './losses.ts';
import type { BackendChoice, DoneEvent, ErrorWhere, History, InitialWeightsReport, Prediction, TrainEvent } from './protocol.ts';
import type { WeightSet } from '../../core/weights.ts';
import { applyWeights } from '../weights/apply.ts';

export interface TrainerOptions {
  readonly tf: TF;
  readonly graph: Graph;
  readonly dataset: Dataset;
  readonly settings: TrainingSettings;
  readonly onEvent?: (e: TrainEvent) => void;
  /** False once a newer run has started: this one then stops quietly (no event). */
  readonly isCurrent?: () => boolean;
  /** Reported in the start event. */
  readonly backend?: BackendChoice;
  /** Test examples decoded in the done event (default 8). */
  readonly predictions?: number;
  /** Weights to start from (a loaded file): layers whose name and shapes fit take them. */
  readonly initialWeights?: WeightSet | null;
}

/** Raised inside the loop; becomes an error event. */
class TrainError extends Error {
  constructor(message: string, readonly where: ErrorWhere, readonly at?: { epoch: number; batch: number }) {
    super(message);
  }
}

type State = 'idle' | 'running' | 'paused' | 'stopped' | 'done' | 'error';

/** Lets other tasks (worker messages, timers) run between batches. */
const yieldToEventLoop = () => new Promise<void>((r) => setTimeout(r, 0));

/** Runs `f` with Math.random seeded, so TF.js's weight initializers are reproducible. */
function withSeededRandom<T>(seed: number, f: () => T): T {
  const original = Math.random;
  Math.random = mulberry32(seed >>> 0);
  try {
    return f();
  } finally {
    Math.random = original;
  }
}

/** The optimizer of the settings (Keras's defaults for everything but the learning rate). */
export function makeOptimizer(tf: TF, s: Pick<TrainingSettings, 'optimizer' | 'learning_rate'>): tfjs.Optimizer {
  switch (s.optimizer) {
    case 'adam': return tf.train.adam(s.learning_rate, 0.9, 0.999, 1e-7);
    case 'sgd': return tf.train.sgd(s.learning_rate);
    case 'rmsprop': return tf.train.rmsprop(s.learning_rate, 0.9, 0, 1e-7);
    case 'adagrad': return tf.train.adagrad(s.learning_rate, 0.1);
  }
}

export class Trainer {
  private state: State = 'idle';
  private stopRequested = false;
  private resume?: () => void;
  private compiled?: { model: tfjs.LayersModel; loss: LossName; fields: FeedField[]; dtypes: string[]; outShape: (number | null)[] };
  /** Which layers took `initialWeights`. */
  private initial?: InitialWeightsReport;
  /** The weights (mask) of the batch being trained; read by the loss and metric closures. */
  private weights?: tfjs.Tensor;
  private readonly history: { loss: number[]; accuracy: number[]; val_loss: number[]; val_accuracy: number[] } = { loss: [], accuracy: [], val_loss: [], val_accuracy: [] };

  constructor(private readonly o: TrainerOptions) {}

  /** The graph this trainer trains. */
  get graph(): Graph {
    return this.o.graph;
  }

  /** The trained (or training) model, once built. */
  get model(): tfjs.LayersModel | undefined {
    return this.compiled?.model;
  }

  get status(): State {
    return this.state;
  }

  /** Stops before the next batch (a paused run stops at once). */
  stop(): void {
    this.stopRequested = true;
    this.resume?.();
  }

  /** Holds the loop before the next batch until resume(). */
  pause(): void {
    if (this.state === 'running') this.state = 'paused';
  }

  resumeRun(): void {
    if (this.state === 'paused') this.state = 'running';
    this.resume?.();
  }

  private emit(e: TrainEvent): void {
    if (this.o.isCurrent?.() === false) return;
    this.o.onEvent?.(e);
  }

  /** True when the loop must end (stop() or a newer run). */
  private get halted(): boolean {
    return this.stopRequested || this.o.isCurrent?.() === false;
  }

  /** Builds and compiles the model. Throws TrainError. */
  build(): tfjs.LayersModel {
    if (this.compiled) return this.compiled.model;
    const { tf, graph, dataset: ds, settings } = this.o;
    const problems = checkBinding(graph, ds);
    if (problems.length) {
      throw new TrainError(`The model does not fit the dataset "${ds.name}":\n${problems.map((p) => `- ${p.message}${p.fix ? ` ${p.fix}` : ''}`).join('\n')}`, 'binding');
    }
    let model: tfjs.LayersModel, outputNodeId: string;
    try {
      const c = withSeededRandom(settings.seed, () => compileGraph(tf, graph));
      if (c.outputs.length !== 1) throw new Error(`The dataset has one target but the model has ${c.outputs.length} Output nodes; keep exactly one.`);
      const ws = this.o.initialWeights;
      if (ws) {
        const r = applyWeights(tf, c, graph, ws);
        this.initial = { source: ws.source, applied: r.applied, missing: r.missing, problems: r.problems };
      }
      model = c.model;
      outputNodeId = c.outputs[0].outputNodeId;
    } catch (e) {
      throw new TrainError((e as Error).message, 'compile');
    }
    const loss = (graph.nodes.find((n) => n.id === outputNodeId)!.params.loss ?? 'sparse_categorical_crossentropy') as LossName;
    const outShape = model.outputs[0].shape;
    const units = outShape[outShape.length - 1] ?? 1;
    const dataProblem = checkData(ds, isCategorical(loss), units);
    if (dataProblem) throw new TrainError(dataProblem, 'data');
    const fields = feedFields(ds, model.inputs.length);
    const dtypes = model.inputs.map((i) => i.dtype);
    const lossFn = (yTrue: tfjs.Tensor, yPred: tfjs.Tensor) => maskedLoss(tf, loss, yTrue, yPred, this.weights);
    const accFn = (yTrue: tfjs.Tensor, yPred: tfjs.Tensor) => maskedAccuracy(tf, loss, yTrue, yPred, this.weights);
    model.compile({ optimizer: makeOptimizer(tf, settings), loss: lossFn, metrics: isClassification(loss) ? [accFn] : [] });
    this.compiled = { model, loss, fields, dtypes, outShape };
    return model;
  }

  /** Trains all epochs. Resolves with the done event, or undefined when stopped or failed. */
  async run(): Promise<DoneEvent | undefined> {
    if (this.state !== 'idle') throw new Error('A Trainer runs once; make a new one.');
    this.state = 'running';
    try {
      const done = await this.loop();
      this.state = done ? 'done' : 'stopped';
      return done;
    } catch (e) {
      this.state = 'error';
      const err = e instanceof TrainError ? e : new TrainError((e as Error).message ?? String(e), 'train');
      this.emit({ type: 'error', message: err.message, where: err.where, ...err.at });
      return undefined;
    } finally {
      this.weights?.dispose();
      this.weights = undefined;
    }
  }

  private async loop(): Promise<DoneEvent | undefined> {
    const { dataset: ds, settings } = this.o;
    const t0 = performance.now();
    const model = this.build();
    const c = this.compiled!;
    const classify = isClassification(c.loss);
    const batches = Math.ceil(ds.train.length / settings.batch_size);
    this.emit({
      type: 'start', epochs: settings.epochs, batches, params: model.countParams(), loss: c.loss,
      masked: ds.train.some((e) => Array.isArray(e.y)) && c.outShape.length === 3,
      examples: { train: ds.train.length, val: ds.val.length, test: ds.test.length },
      ...(this.o.backend ? { backend: this.o.backend } : {}),
      ...(this.initial ? { initialWeights: this.initial } : {}),
    });
    for (let epoch = 1; epoch <= settings.epochs; epoch++) {
      const e0 = performance.now();
      const list = makeBatches(ds.train, batchOptions(ds, settings.batch_size, { seed: settings.seed, epoch }));
      let lossSum = 0, accSum = 0, seen = 0;
      for (let b = 0; b < list.length; b++) {
        while (this.state === 'paused' && !this.halted) await new Promise<void>((r) => (this.resume = r));
        this.resume = undefined;
        if (this.halted) return this.stopped(epoch, b + 1);
        const s0 = performance.now();
        const { loss, accuracy } = await this.step(list[b]);
        const ms = performance.now() - s0;
        if (!Number.isFinite(loss)) {
          throw new TrainError(
            `Training stopped: the loss became ${Number.isNaN(loss) ? 'NaN' : 'infinite'} at epoch ${epoch}, batch ${b + 1}: the weights diverged. ` +
            `Try a lower learning rate (now ${settings.learning_rate}; try ${settings.learning_rate / 10}), the adam optimizer, ` +
            'or smaller input values (scale features to about -1…1).', 'train', { epoch, batch: b + 1 });
        }
        const n = list[b].yShape[0];
        lossSum += loss * n;
        accSum += (accuracy ?? 0) * n;
        seen += n;
        this.emit({ type: 'batch', epoch, batch: b + 1, batches: list.length, loss, ...(classify ? { accuracy } : {}), msPerBatch: ms });
        await yieldToEventLoop();
      }
      const val = this.evaluate(ds.val);
      this.history.loss.push(lossSum / seen);
      this.history.val_loss.push(val.loss);
      if (classify) {
        this.history.accuracy.push(accSum / seen);
        this.history.val_accuracy.push(val.accuracy ?? NaN);
      }
      this.emit({
        type: 'epoch', epoch, loss: lossSum / seen, val_loss: val.loss, seconds: (performance.now() - e0) / 1000,
        ...(classify ? { accuracy: accSum / seen, val_accuracy: val.accuracy } : {}),
      });
      if (this.halted) return this.stopped(epoch + 1, 1);
    }
    const test = this.evaluate(ds.test);
    const done: DoneEvent = {
      type: 'done', history: this.historyCopy(), test, predictions: this.predict(this.o.predictions ?? 8),
      seconds: (performance.now() - t0) / 1000,
    };
    this.emit(done);
    return done;
  }

  private stopped(epoch: number, batch: number): undefined {
    this.emit({ type: 'stopped', epoch, batch, history: this.historyCopy() });
    return undefined;
  }

  private historyCopy(): History {
    const h = this.history;
    return h.accuracy.length
      ? { loss: [...h.loss], accuracy: [...h.accuracy], val_loss: [...h.val_loss], val_accuracy: [...h.val_accuracy] }
      : { loss: [...h.loss], val_loss: [...h.val_loss] };
  }

  /** One optimizer step on a batch; every tensor made here is disposed here. */
  private async step(batch: Batch): Promise<{ loss: number; accuracy?: number }> {
    const { tf } = this.o;
    const c = this.compiled!;
    const xs = inputTensors(tf, batch, c.fields, c.dtypes);
    const t = (() => {
      try {
        return targetTensors(tf, c.loss, batch, c.outShape);
      } catch (e) {
        tf.dispose(xs);
        throw new TrainError((e as Error).message, 'data');
      }
    })();
    this.weights = t.weights;
    try {
      const out = await c.model.trainOnBatch(xs, t.y);
      const [loss, accuracy] = Array.isArray(out) ? out : [out];
      return { loss, accuracy };
    } finally {
      tf.dispose([...xs, t.y]);
      t.weights?.dispose();
      this.weights = undefined;
    }
  }

  /**
   * Loss and accuracy over examples, in order, in training-size batches. The loss is the mean of
   * the batch losses weighted by batch size (as Keras's evaluate); accuracy counts every real
   * target step once (Keras's stateful metric with the mask as sample weight).
   */
  evaluate(examples: Dataset['train']): { loss: number; accuracy?: number } {
    const { tf, dataset: ds, settings } = this.o;
    const c = this.compiled ?? (this.build(), this.compiled!);
    if (examples.length === 0) return { loss: NaN, ...(isClassification(c.loss) ? { accuracy: NaN } : {}) };
    let lossSum = 0, n = 0, right = 0, counted = 0;
    for (const batch of makeBatches(examples, batchOptions(ds, settings.batch_size, null))) {
      const [l, r, w] = tf.tidy(() => {
        const xs = inputTensors(tf, batch, c.fields, c.dtypes);
        const t = targetTensors(tf, c.loss, batch, c.outShape);
        const pred = c.model.predict(xs) as tfjs.Tensor;
        const lossValue = maskedLoss(tf, c.loss, t.y, pred, t.weights);
        if (!isClassification(c.loss)) return [lossValue, tf.scalar(0), tf.scalar(0)];
        const correct = elementCorrect(tf, c.loss, t.y, pred);
        const weights = t.weights ?? tf.onesLike(correct);
        return [lossValue, tf.sum(tf.mul(correct, weights)), tf.sum(weights)];
      }).map((s) => {
        const v = s.dataSync()[0];
        s.dispose();
        return v;
      });
      lossSum += l * batch.yShape[0];
      n += batch.yShape[0];
      right += r;
      counted += w;
    }
    return isClassification(c.loss) ? { loss: lossSum / n, accuracy: right / counted } : { loss: lossSum / n };
  }

  /** The first `count` test examples with the model's (teacher-forced, argmax) predictions. */
  predict(count: number): Prediction[] {
    const { tf, dataset: ds } = this.o;
    const c = this.compiled!;
    const examples = ds.test.slice(0, count);
    if (examples.length === 0) return [];
    const [batch] = makeBatches(examples, batchOptions(ds, examples.length, null));
    const regression = !isClassification(c.loss);
    const values = tf.tidy(() => {
      const pred = c.model.predict(inputTensors(tf, batch, c.fields, c.dtypes)) as tfjs.Tensor;
      if (regression) return pred;
      if (c.loss === 'binary_crossentropy') return tf.cast(tf.greater(pred, 0.5), 'int32').squeeze([-1]);
      return tf.argMax(pred, -1);
    });
    const rows = values.arraySync() as number | number[] | number[][];
    values.dispose();
    return examples.map((e, i) => {
      const row = (rows as (number | number[])[])[i];
      // Per-step predictions: keep the real steps only.
      const predicted = Array.isArray(row) && Array.isArray(e.y) && !regression ? row.slice(0, e.y.length) : row;
      const truth = describeTarget(ds, e.y, regression);
      const shown = describeTarget(ds, predicted, regression);
      return { input: describeInput(ds, e.x), truth, predicted: shown, ...(regression ? {} : { correct: truth === shown }) };
    });
  }
}
