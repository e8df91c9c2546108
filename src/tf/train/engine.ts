/**
 * The training loop: graph + dataset + settings → a trained TF.js model, with events for charts.
 *
 *   const t = new Trainer({ tf, graph, dataset, settings, onEvent });
 *   const done = await t.run();    // start, batch…, epoch…, then done | stopped | error
 *   t.stop();                      // from anywhere: stops before the next batch
 *   const more = new Trainer({ …, resume: t.resumeState() });   // continue from its weights
 *
 * Each batch (`step`): tensors from src/data's padded batch → the model in training mode → the
 * total loss Σ loss_weight · loss over the Outputs that have a loss (Keras 3's masked, sample-
 * weighted mean, losses.ts) → gradients (`variableGrads`) → Keras's clipping (optimizer.ts) →
 * the optimizer's update at the scheduled learning rate → dispose → NaN check → event → yield to
 * the event loop (so stop/pause messages get through in a worker). Each epoch: a fresh seeded
 * shuffle (seed, epoch), validation, then the callbacks (callbacks.ts: early stopping,
 * reduce-on-plateau). At the end: best weights restored if asked, the test set, decoded predictions.
 * The backend is chosen by the caller (backend.ts); TF.js is passed in, never imported.
 */
import type * as tfjs from '@tensorflow/tfjs';
import { hasLoss, DEFAULT_LOSS } from '../../core/layers/output.ts';
import type { Graph } from '../../core/types.ts';
import { trainingSchema, type TrainingSettings } from '../../core/project.ts';
import { checkBinding } from '../../data/bind.ts';
import { makeBatches, type Batch } from '../../data/batching.ts';
import { mulberry32 } from '../../data/random.ts';
import type { Dataset } from '../../data/tasks.ts';
import { compileGraph, type CompiledModel } from '../compile.ts';
import { classWeights, EarlyStopper, PlateauReducer, scheduledRate, type EpochLogs } from './callbacks.ts';
import type { RecurrentPath } from '../kernels/layer.ts';
import { batchOptions, checkData, describeInput, describeTarget, feedFields, inputTensors, type FeedField } from './feeds.ts';
import { classSampleWeights, elementCorrect, isCategorical, isClassification, targetTensors, weightedAccuracy, weightedLoss, type LossName, type LossWeights } from './losses.ts';
import { baselines } from './metrics.ts';
import { clipGradients, learningRate, makeOptimizer, setLearningRate } from './optimizer.ts';
import type { BackendChoice, DoneEvent, EarlyStopInfo, ErrorWhere, History, InitialWeightsReport, OutputMetrics, Prediction, TrainEvent } from './protocol.ts';
import type { WeightSet } from '../../core/weights.ts';
import { applyWeights } from '../weights/apply.ts';
import type { TF, TfLayer } from '../../core/layers/tfjs.ts';
import { inferGraph } from '../../core/infer.ts';
import { learningWarnings, trainingSizeProblem } from './health.ts';

export { makeOptimizer } from './optimizer.ts';

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
  /** Continue from an earlier Trainer's model, optimizer and history (same graph and dataset). */
  readonly resume?: ResumeState;
  /** Weights to start from (a loaded file): layers whose name and shapes fit take them. */
  readonly initialWeights?: WeightSet | null;
  /** Called (and awaited) after every optimizer step, before the loop yields (issue 11 samples ∂L/∂h_t here). */
  readonly afterBatch?: (info: AfterBatch) => void | Promise<void>;
  /**
   * How recurrent layers run: 'fused' (default, src/tf/kernels) or 'stock' (TF.js's loop;
   * benchmarks). Adam's update follows it: one kernel a variable, or TF.js ops (same equations).
   */
  readonly recurrent?: RecurrentPath;
}

/** Where the loop is after a batch, for `afterBatch`. */
export interface AfterBatch {
  readonly epoch: number;
  readonly batch: number;
  readonly batches: number;
  readonly msPerBatch: number;
  readonly model: tfjs.LayersModel;
}

/** Raised inside the loop; becomes an error event. */
export class TrainError extends Error {
  constructor(message: string, readonly where: ErrorWhere, readonly at?: { epoch: number; batch: number }) {
    super(message);
  }
}

type State = 'idle' | 'running' | 'paused' | 'stopped' | 'done' | 'error';

/** One Output with a loss: what the model predicts there and how it is scored. */
export interface Head {
  /** The Output node's name and id. */
  readonly name: string;
  readonly outputNodeId: string;
  /** Index into the full model's outputs. */
  readonly index: number;
  readonly loss: LossName;
  readonly weight: number;
  readonly outShape: (number | null)[];
  readonly classify: boolean;
}

export interface Compiled {
  /** Every Output of the graph, in graph order (for calling the model, export, inspection). */
  readonly model: tfjs.LayersModel;
  /** The Outputs with a loss only (shares the layers and weights of `model`). */
  readonly train: tfjs.LayersModel;
  readonly heads: readonly Head[];
  readonly fields: FeedField[];
  readonly dtypes: string[];
  /** The variables the optimizer updates. */
  readonly variables: tfjs.Variable[];
  /** The TF.js layer of every built node, by node id (weights in and out, src/tf/weights). */
  readonly layers: ReadonlyMap<string, TfLayer>;
  /** The graph as compiled (symbolic tensors, reapply): for inference models (inference.ts). */
  readonly graphModel: CompiledModel;
}

interface HistoryState {
  loss: number[];
  accuracy: number[];
  val_loss: number[];
  val_accuracy: number[];
  learning_rate: number[];
}

/** What a later Trainer needs to continue training where this one ended. */
export interface ResumeState {
  readonly compiled: Compiled;
  readonly optimizer: tfjs.Optimizer;
  readonly settings: TrainingSettings;
  /** Optimizer steps made so far (Keras `optimizer.iterations`). */
  readonly iterations: number;
  /** Epochs completed so far. */
  readonly epochs: number;
  readonly history: History;
}

/** Lets other tasks (worker messages, timers) run between batches. */
const yieldToEventLoop = () => new Promise<void>((r) => setTimeout(r, 0));

/** Runs `f` with Math.random seeded, so TF.js's weight initializers are reproducible. */
export function withSeededRandom<T>(seed: number, f: () => T): T {
  const original = Math.random;
  Math.random = mulberry32(seed >>> 0);
  try {
    return f();
  } finally {
    Math.random = original;
  }
}

const emptyHistory = (): HistoryState => ({ loss: [], accuracy: [], val_loss: [], val_accuracy: [], learning_rate: [] });

export class Trainer {
  private state: State = 'idle';
  private stopRequested = false;
  private resume?: () => void;
  private compiled?: Compiled;
  private optimizer?: tfjs.Optimizer;
  private iterations = 0;
  private epochsDone = 0;
  private readonly history: HistoryState = emptyHistory();
  /** Per-class weights from `class_weight` (categorical heads only). */
  private classWeight?: Float32Array;
  private built = false;
  /** Which layers took `initialWeights`. */
  private initial?: InitialWeightsReport;
  /** Invalid settings (a hand-edited file, an old client), reported when the run starts. */
  private readonly settingsError?: string;

  constructor(private readonly o: TrainerOptions) {
    // Fill settings that older callers leave out; refuse invalid ones with the schema's message.
    const parsed = trainingSchema.safeParse(o.settings);
    if (parsed.success) this.o = { ...o, settings: parsed.data };
    else this.settingsError = `Training settings: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'settings'}: ${i.message}`).join('; ')}`;
    const r = o.resume;
    if (r) {
      this.compiled = r.compiled;
      this.iterations = r.iterations;
      this.epochsDone = r.epochs;
      const h = r.history;
      Object.assign(this.history, {
        loss: [...h.loss], accuracy: [...(h.accuracy ?? [])], val_loss: [...h.val_loss],
        val_accuracy: [...(h.val_accuracy ?? [])], learning_rate: [...(h.learning_rate ?? [])],
      });
    }
  }

  /** The graph this trainer trains. */
  get graph(): Graph {
    return this.o.graph;
  }

  /** The trained (or training) model with every Output, once built. */
  get model(): tfjs.LayersModel | undefined {
    return this.compiled?.model;
  }

  /** Which layers took the loaded weights (`initialWeights`), once built. */
  get initialWeights(): InitialWeightsReport | undefined {
    return this.initial;
  }

  /** The built model's parts (heads, feeds), once built. */
  get parts(): Compiled | undefined {
    return this.compiled;
  }

  get status(): State {
    return this.state;
  }

  /**
   * Frees the model, its training sub-model and the optimizer's state (Adam's moments). The host
   * calls it when a new run replaces this one (not when it continues from `resumeState()`).
   */
  dispose(): void {
    const c = this.compiled;
    this.compiled = undefined;
    for (const free of [() => this.optimizer?.dispose(), () => c && c.train !== c.model && c.train.dispose(), () => c?.model.dispose()]) {
      try {
        free();
      } catch {
        // already disposed (a layer shared by both models)
      }
    }
    this.optimizer = undefined;
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

  /** What a new Trainer needs to continue from here (after a run that trained at least one batch). */
  resumeState(): ResumeState | undefined {
    if (!this.compiled || !this.optimizer || this.state !== 'done' && this.state !== 'stopped' || this.iterations === 0) return undefined;
    return {
      compiled: this.compiled, optimizer: this.optimizer, settings: this.o.settings,
      iterations: this.iterations, epochs: this.epochsDone, history: this.historyCopy(),
    };
  }

  private emit(e: TrainEvent): void {
    if (this.o.isCurrent?.() === false) return;
    this.o.onEvent?.(e);
  }

  /** True when the loop must end (stop() or a newer run). */
  private get halted(): boolean {
    return this.stopRequested || this.o.isCurrent?.() === false;
  }

  /** Builds the model (or takes the resumed one) and checks the data. Throws TrainError. */
  build(): tfjs.LayersModel {
    if (this.built) return this.compiled!.model;
    if (this.settingsError) throw new TrainError(this.settingsError, 'compile');
    const { graph, dataset: ds } = this.o;
    const problems = checkBinding(graph, ds);
    if (problems.length) {
      throw new TrainError(`The model does not fit the dataset "${ds.name}":\n${problems.map((p) => `- ${p.message}${p.fix ? ` ${p.fix}` : ''}`).join('\n')}`, 'binding');
    }
    if (!this.compiled) {
      // Refused before anything is allocated when training would not fit (reliab, health.ts).
      const tooLarge = trainingSizeProblem(graph, inferGraph(graph), ds, this.o.settings.batch_size);
      if (tooLarge) throw new TrainError(tooLarge, 'compile');
      this.compiled = this.compile();
    }
    const c = this.compiled;
    for (const h of c.heads) {
      const units = h.outShape[h.outShape.length - 1] ?? 1;
      const dataProblem = checkData(ds, isCategorical(h.loss), units);
      if (dataProblem) throw new TrainError(c.heads.length > 1 ? `${h.name}: ${dataProblem}` : dataProblem, 'data');
    }
    this.classWeight = this.resolveClassWeights(c.heads);
    this.checkMonitors(c.heads[0].classify);
    this.built = true;
    return c.model;
  }

  private compile(): Compiled {
    const { tf, graph, dataset: ds, settings } = this.o;
    let model: tfjs.LayersModel;
    let outputs: { outputNodeId: string }[];
    let layers: ReadonlyMap<string, TfLayer>;
    let graphModel: CompiledModel;
    try {
      const c = withSeededRandom(settings.seed, () => compileGraph(tf, graph, undefined, { recurrent: this.o.recurrent }));
      const ws = this.o.initialWeights;
      if (ws) {
        const r = applyWeights(tf, c, graph, ws);
        this.initial = { source: ws.source, applied: r.applied, missing: r.missing, problems: r.problems };
      }
      model = c.model;
      outputs = [...c.outputs];
      layers = c.layers;
      graphModel = c;
    } catch (e) {
      throw new TrainError((e as Error).message, 'compile');
    }
    const byId = new Map(graph.nodes.map((n) => [n.id, n]));
    const heads: Head[] = [];
    outputs.forEach((o, index) => {
      const node = byId.get(o.outputNodeId)!;
      if (!hasLoss(node.params)) return;
      const loss = (node.params.loss ?? DEFAULT_LOSS) as LossName;
      const weight = typeof node.params.loss_weight === 'number' ? node.params.loss_weight : 1;
      heads.push({ name: node.name, outputNodeId: node.id, index, loss, weight, outShape: model.outputs[index].shape, classify: isClassification(loss) });
    });
    if (!heads.length) {
      model.dispose();
      throw new TrainError('No Output has a loss, so there is nothing to train towards. Give the prediction\'s Output a loss (state outputs h and c usually have none).', 'compile');
    }
    const train = heads.length === outputs.length && heads.every((h, k) => h.index === k)
      ? model
      : tf.model({ inputs: model.inputs, outputs: heads.map((h) => model.outputs[h.index]) });
    const variables = train.trainableWeights.map((w) => (w as unknown as { read(): tfjs.Variable }).read());
    return { model, train, heads, fields: feedFields(ds, model.inputs.length), dtypes: model.inputs.map((i) => i.dtype), variables, layers, graphModel };
  }

  /** Class weights from the settings, checked against the primary head; undefined when none. */
  private resolveClassWeights(heads: readonly Head[]): Float32Array | undefined {
    const cw = this.o.settings.class_weight;
    if (cw === null) return undefined;
    const head = heads[0];
    if (heads.length > 1) throw new TrainError('class_weight is only supported for a model with a single Output that has a loss (as in Keras). Clear class_weight, or set the other Outputs\' loss to none.', 'data');
    if (!head.classify) throw new TrainError(`class_weight needs a classification output, but ${head.name} uses ${head.loss}. Clear class_weight for regression.`, 'data');
    const classes = head.loss === 'binary_crossentropy' ? 2 : head.outShape[head.outShape.length - 1] ?? 1;
    if (cw !== 'balanced') {
      const bad = Object.keys(cw).map(Number).find((k) => k >= classes);
      if (bad !== undefined) throw new TrainError(`class_weight gives class ${bad}, but ${head.name} predicts ${classes} classes (ids 0–${classes - 1}).`, 'data');
    }
    const labels = this.o.dataset.train.flatMap((e) => (typeof e.y === 'number' ? [e.y] : e.y));
    return classWeights(cw, classes, labels);
  }

  /** A monitored quantity the model cannot report is refused before training. */
  private checkMonitors(hasAccuracy: boolean): void {
    const { early_stopping: es, lr_schedule: lr } = this.o.settings;
    const monitors = [es && ['Early stopping', es.monitor], lr.kind === 'reduce_on_plateau' && ['Reduce-on-plateau', lr.monitor]].filter(Boolean) as [string, string][];
    for (const [who, m] of monitors) {
      if (m.endsWith('accuracy') && !hasAccuracy) {
        throw new TrainError(`${who} monitors ${m}, but this model reports no accuracy (its loss is a regression loss). Monitor ${m.replace('accuracy', 'loss')} instead.`, 'compile');
      }
      if (m.startsWith('val_') && this.o.dataset.val.length === 0) {
        throw new TrainError(`${who} monitors ${m}, but the dataset has no validation examples. Monitor ${m.slice(4)} instead, or give the split a validation part.`, 'data');
      }
    }
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
    }
  }

  /** The optimizer: the resumed one when the optimizer kind is unchanged, else a new one. */
  private makeOptimizer(): tfjs.Optimizer {
    const { tf, settings } = this.o;
    const r = this.o.resume;
    if (r && r.settings.optimizer === settings.optimizer) {
      // Keep its state (moments, a learning rate lowered on a plateau) unless the rate was changed.
      if (r.settings.learning_rate !== settings.learning_rate) setLearningRate(r.optimizer, settings.learning_rate);
      return r.optimizer;
    }
    r?.optimizer.dispose();
    return makeOptimizer(tf, settings, { fused: this.o.recurrent !== 'stock' });
  }

  private async loop(): Promise<DoneEvent | undefined> {
    const { dataset: ds, settings } = this.o;
    const t0 = performance.now();
    const model = this.build();
    const c = this.compiled!;
    this.optimizer = this.makeOptimizer();
    const opt = this.optimizer;
    const classify = c.heads[0].classify;
    const batches = Math.ceil(ds.train.length / settings.batch_size);
    const initialEpoch = this.epochsDone;
    const lastEpoch = initialEpoch + settings.epochs;
    this.emit({
      type: 'start', epochs: lastEpoch, batches, params: model.countParams(), loss: c.heads[0].loss,
      masked: ds.train.some((e) => Array.isArray(e.y)) && c.heads[0].outShape.length === 3,
      examples: { train: ds.train.length, val: ds.val.length, test: ds.test.length },
      ...(this.o.backend ? { backend: this.o.backend } : {}),
      ...(this.initial ? { initialWeights: this.initial } : {}),
      ...(initialEpoch ? { initialEpoch } : {}),
      ...(c.heads.length > 1 || c.heads[0].index > 0 ? { outputs: c.heads.map((h) => ({ name: h.name, loss: h.loss, weight: h.weight })) } : {}),
      ...(this.classWeight ? { classWeight: Array.from(this.classWeight) } : {}),
      baseline: baselines(ds, c.heads[0].loss),
    });
    const stopper = settings.early_stopping ? new EarlyStopper(settings.early_stopping) : undefined;
    const plateau = settings.lr_schedule.kind === 'reduce_on_plateau' ? new PlateauReducer(settings.lr_schedule) : undefined;
    setLearningRate(opt, scheduledRate(settings.lr_schedule, settings.learning_rate, this.iterations, learningRate(opt)));
    let best: tfjs.Tensor[] | undefined;
    const keepBest = () => {
      const { tf } = this.o;
      if (best) tf.dispose(best);
      best = model.getWeights().map((w) => tf.clone(w));
    };
    try {
      for (let epoch = initialEpoch + 1; epoch <= lastEpoch; epoch++) {
        const e0 = performance.now();
        const list = makeBatches(ds.train, batchOptions(ds, settings.batch_size, { seed: settings.seed, epoch }));
        let lossSum = 0, accSum = 0, seen = 0;
        const headSums = c.heads.map(() => 0);
        for (let b = 0; b < list.length; b++) {
          while (this.state === 'paused' && !this.halted) await new Promise<void>((r) => (this.resume = r));
          this.resume = undefined;
          if (this.halted) return this.stopped(epoch, b + 1);
          const s0 = performance.now();
          const { loss, accuracy, heads } = await this.step(list[b], opt);
          const ms = performance.now() - s0;
          if (!Number.isFinite(loss)) {
            throw new TrainError(
              `Training stopped: the loss became ${Number.isNaN(loss) ? 'NaN' : 'infinite'} at epoch ${epoch}, batch ${b + 1}: the weights diverged. ` +
              `Try a lower learning rate (now ${settings.learning_rate}; try ${settings.learning_rate / 10}), the adam optimizer, ` +
              `gradient clipping (clipnorm 1), or smaller input values (scale features to about -1…1).`, 'train', { epoch, batch: b + 1 });
          }
          this.iterations++;
          // The next step's rate (Keras: the schedule at optimizer.iterations; also what the epoch logs).
          setLearningRate(opt, scheduledRate(settings.lr_schedule, settings.learning_rate, this.iterations, learningRate(opt)));
          const n = list[b].yShape[0];
          lossSum += loss * n;
          accSum += (accuracy ?? 0) * n;
          heads.forEach((l, k) => (headSums[k] += l * n));
          seen += n;
          this.emit({
            type: 'batch', epoch, batch: b + 1, batches: list.length, loss, ...(classify ? { accuracy } : {}), msPerBatch: ms,
            epochLoss: lossSum / seen, ...(classify ? { epochAccuracy: accSum / seen } : {}),
          });
          await this.o.afterBatch?.({ epoch, batch: b + 1, batches: list.length, msPerBatch: ms, model });
          await yieldToEventLoop();
        }
        const val = this.evaluate(ds.val);
        const logs: EpochLogs = { loss: lossSum / seen, val_loss: val.loss, ...(classify ? { accuracy: accSum / seen, val_accuracy: val.accuracy } : {}) };
        const lr = learningRate(opt);
        this.history.loss.push(logs.loss);
        this.history.val_loss.push(val.loss);
        this.history.learning_rate.push(lr);
        if (classify) {
          this.history.accuracy.push(logs.accuracy!);
          this.history.val_accuracy.push(val.accuracy ?? NaN);
        }
        this.epochsDone = epoch;
        const outputs: OutputMetrics[] | undefined = c.heads.length > 1
          ? c.heads.map((h, k) => ({ name: h.name, loss: headSums[k] / seen, val_loss: val.heads[k] }))
          : undefined;
        this.emit({
          type: 'epoch', epoch, loss: logs.loss, val_loss: val.loss, seconds: (performance.now() - e0) / 1000, learning_rate: lr,
          ...(classify ? { accuracy: logs.accuracy, val_accuracy: val.accuracy } : {}),
          ...(outputs ? { outputs } : {}),
        });
        // Callbacks, in Keras's order of a typical list: early stopping, then the plateau schedule.
        const fitEpoch = epoch - initialEpoch - 1;
        const decision = stopper?.onEpochEnd(fitEpoch, logs);
        if (decision?.snapshot) keepBest();
        if (plateau) setLearningRate(opt, plateau.onEpochEnd(logs, lr));
        if (decision?.stop) break;
        if (this.halted) return this.stopped(epoch + 1, 1);
      }
      let early: EarlyStopInfo | undefined;
      if (stopper) {
        const restored = stopper.restore && best !== undefined;
        if (restored) model.setWeights(best!);
        early = {
          monitor: settings.early_stopping!.monitor,
          stoppedEpoch: stopper.stoppedEpoch >= 0 ? initialEpoch + stopper.stoppedEpoch + 1 : null,
          bestEpoch: stopper.bestEpoch >= 0 ? initialEpoch + stopper.bestEpoch + 1 : null,
          best: Number.isFinite(stopper.bestValue) ? stopper.bestValue : null,
          restored,
        };
      }
      const test = this.evaluate(ds.test);
      const head = c.heads[0];
      const warnings = learningWarnings(this.history.loss.slice(initialEpoch), head.loss, head.loss === 'binary_crossentropy' ? 2 : head.outShape[head.outShape.length - 1] ?? 1, { learningRate: settings.learning_rate, optimizer: settings.optimizer });
      const done: DoneEvent = {
        type: 'done', history: this.historyCopy(), test: { loss: test.loss, ...(test.accuracy === undefined ? {} : { accuracy: test.accuracy }) },
        predictions: this.predict(this.o.predictions ?? 8), seconds: (performance.now() - t0) / 1000,
        ...(early ? { early } : {}),
        ...(warnings.length ? { warnings } : {}),
      };
      this.emit(done);
      return done;
    } finally {
      if (best) this.o.tf.dispose(best);
    }
  }

  private stopped(epoch: number, batch: number): undefined {
    this.emit({ type: 'stopped', epoch, batch, history: this.historyCopy() });
    return undefined;
  }

  private historyCopy(): History {
    const h = this.history;
    const lr = h.learning_rate.length ? { learning_rate: [...h.learning_rate] } : {};
    return h.accuracy.length
      ? { loss: [...h.loss], accuracy: [...h.accuracy], val_loss: [...h.val_loss], val_accuracy: [...h.val_accuracy], ...lr }
      : { loss: [...h.loss], val_loss: [...h.val_loss], ...lr };
  }

  /** The loss weights (mask, class weights) of one head on one batch. */
  private weightsOf(h: Head, batch: Batch, mask: tfjs.Tensor | undefined, training: boolean): LossWeights {
    const sample = training && this.classWeight && h.index === this.compiled!.heads[0].index ? classSampleWeights(this.o.tf, batch, this.classWeight) : undefined;
    return { ...(mask ? { mask } : {}), ...(sample ? { sample } : {}) };
  }

  /** The target tensors of every head for a batch (TrainError 'data' when they cannot fit). */
  private targets(batch: Batch, training: boolean): { y: tfjs.Tensor; w: LossWeights }[] {
    const c = this.compiled!;
    const out: { y: tfjs.Tensor; w: LossWeights }[] = [];
    try {
      for (const h of c.heads) {
        const t = targetTensors(this.o.tf, h.loss, batch, h.outShape);
        out.push({ y: t.y, w: this.weightsOf(h, batch, t.weights, training) });
      }
      return out;
    } catch (e) {
      for (const t of out) this.o.tf.dispose([t.y, t.w.mask, t.w.sample].filter((x): x is tfjs.Tensor => !!x));
      throw new TrainError((e as Error).message, 'data');
    }
  }

  /**
   * One optimizer step on a batch; every tensor made here is disposed here. Returns the total
   * loss, the primary head's accuracy and each head's (unweighted) loss.
   */
  private async step(batch: Batch, opt: tfjs.Optimizer): Promise<{ loss: number; accuracy?: number; heads: number[] }> {
    const { tf, settings } = this.o;
    const c = this.compiled!;
    const xs = inputTensors(tf, batch, c.fields, c.dtypes);
    let ts: { y: tfjs.Tensor; w: LossWeights }[];
    try {
      ts = this.targets(batch, true);
    } catch (e) {
      tf.dispose(xs);
      throw e;
    }
    const kept: tfjs.Tensor[] = [];
    try {
      const { value, grads } = tf.variableGrads(() => {
        const ys = c.train.apply(xs, { training: true }) as tfjs.Tensor | tfjs.Tensor[];
        const outs = Array.isArray(ys) ? ys : [ys];
        let total: tfjs.Scalar | undefined;
        c.heads.forEach((h, k) => {
          const l = weightedLoss(tf, h.loss, ts[k].y, outs[k], ts[k].w);
          kept.push(tf.keep(l));
          const term = h.weight === 1 ? l : tf.mul(l, h.weight);
          total = total ? tf.add(total, term) : (term as tfjs.Scalar);
        });
        if (c.heads[0].classify) kept.push(tf.keep(weightedAccuracy(tf, c.heads[0].loss, ts[0].y, outs[0], ts[0].w)));
        return total!;
      }, c.variables);
      const clipped = clipGradients(tf, grads, settings);
      tf.dispose(Object.values(grads));
      opt.applyGradients(clipped);
      tf.dispose(Object.values(clipped));
      // One head of weight 1: the value is that head's loss tensor itself (also in `kept`).
      if (!kept.includes(value)) kept.push(value);
      const loss = (await value.data())[0];
      const heads: number[] = [];
      for (let k = 0; k < c.heads.length; k++) heads.push((await kept[k].data())[0]);
      const accuracy = c.heads[0].classify ? (await kept[c.heads.length].data())[0] : undefined;
      return { loss, accuracy, heads };
    } finally {
      tf.dispose(kept);
      tf.dispose(xs);
      for (const t of ts) tf.dispose([t.y, t.w.mask, t.w.sample].filter((x): x is tfjs.Tensor => !!x));
    }
  }

  /**
   * Loss and accuracy over examples, in order, in training-size batches. The loss is the mean of
   * the batch losses weighted by batch size (as Keras's evaluate), the total Σ weight · loss over
   * the heads; accuracy (of the first head) counts every real target step once (Keras's stateful
   * metric with the mask as sample weight). No class weights: Keras applies them to training only.
   */
  evaluate(examples: Dataset['train']): { loss: number; accuracy?: number; heads: number[] } {
    const { tf, dataset: ds, settings } = this.o;
    if (!this.built) this.build();
    const c = this.compiled!;
    const classify = c.heads[0].classify;
    if (examples.length === 0) return { loss: NaN, heads: c.heads.map(() => NaN), ...(classify ? { accuracy: NaN } : {}) };
    let n = 0, right = 0, counted = 0;
    const sums = c.heads.map(() => 0);
    for (const batch of makeBatches(examples, batchOptions(ds, settings.batch_size, null))) {
      const ts = this.targets(batch, false);
      const values = tf.tidy(() => {
        const xs = inputTensors(tf, batch, c.fields, c.dtypes);
        const ys = c.train.predict(xs) as tfjs.Tensor | tfjs.Tensor[];
        const outs = Array.isArray(ys) ? ys : [ys];
        const losses = c.heads.map((h, k) => weightedLoss(tf, h.loss, ts[k].y, outs[k], ts[k].w));
        if (!classify) return [...losses, tf.scalar(0), tf.scalar(0)];
        const correct = elementCorrect(tf, c.heads[0].loss, ts[0].y, outs[0]);
        const weights = ts[0].w.mask ?? tf.onesLike(correct);
        return [...losses, tf.sum(tf.mul(correct, weights)), tf.sum(weights)];
      }).map((s) => {
        const v = s.dataSync()[0];
        s.dispose();
        return v;
      });
      for (const t of ts) tf.dispose([t.y, t.w.mask, t.w.sample].filter((x): x is tfjs.Tensor => !!x));
      c.heads.forEach((_, k) => (sums[k] += values[k] * batch.yShape[0]));
      n += batch.yShape[0];
      right += values[c.heads.length];
      counted += values[c.heads.length + 1];
    }
    const heads = sums.map((s) => s / n);
    const loss = c.heads.reduce((acc, h, k) => acc + h.weight * heads[k], 0);
    return classify ? { loss, accuracy: right / counted, heads } : { loss, heads };
  }

  /** The first `count` test examples with the model's (teacher-forced, argmax) predictions. */
  predict(count: number): Prediction[] {
    const { tf, dataset: ds } = this.o;
    const c = this.compiled!;
    const head = c.heads[0];
    const examples = ds.test.slice(0, count);
    if (examples.length === 0) return [];
    const [batch] = makeBatches(examples, batchOptions(ds, examples.length, null));
    const regression = !head.classify;
    const values = tf.tidy(() => {
      const ys = c.train.predict(inputTensors(tf, batch, c.fields, c.dtypes)) as tfjs.Tensor | tfjs.Tensor[];
      const pred = Array.isArray(ys) ? ys[0] : ys;
      if (regression) return pred;
      if (head.loss === 'binary_crossentropy') return tf.cast(tf.greater(pred, 0.5), 'int32').squeeze([-1]);
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
