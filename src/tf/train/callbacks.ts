/**
 * What Keras's callbacks and schedules decide, as plain TypeScript (no TF.js): early stopping,
 * the learning-rate schedules and class weights. The engine feeds them each epoch's logs and acts
 * on their answers (snapshot the weights, stop, set the learning rate).
 *
 * Sources (Keras 3): keras/src/callbacks/early_stopping.py, reduce_lr_on_plateau.py,
 * optimizers/schedules/learning_rate_schedule.py (ExponentialDecay), and the class-weight map of
 * trainers/data_adapters (sample weight = class_weight[y]).
 */
import type { ClassWeight, EarlyStopping, LrSchedule } from '../../core/project.ts';

/** The epoch's logs, as Keras names them. Missing values are undefined (or NaN: no validation set). */
export interface EpochLogs {
  readonly loss: number;
  readonly accuracy?: number;
  readonly val_loss?: number;
  readonly val_accuracy?: number;
}

const valueOf = (logs: EpochLogs, monitor: string): number | undefined => {
  const v = (logs as unknown as Record<string, number | undefined>)[monitor];
  return v === undefined || Number.isNaN(v) ? undefined : v;
};

/** Whether larger is better for a monitored quantity (Keras's 'auto': accuracies go up, losses down). */
export function maximizes(monitor: string, mode: 'auto' | 'min' | 'max'): boolean {
  if (mode !== 'auto') return mode === 'max';
  return monitor.replace(/^val_/, '') !== 'loss';
}

/**
 * keras.callbacks.EarlyStopping. `onEpochEnd(epoch, logs)` (epoch 0-based within this fit, as
 * Keras counts) says whether to snapshot the weights (a new best) and whether to stop. At the
 * end, `restore` says whether the snapshot should replace the weights (restore_best_weights;
 * Keras 3 restores at train end whenever a best snapshot exists, stopped early or not).
 */
export class EarlyStopper {
  private wait = 0;
  private best: number;
  private readonly up: boolean;
  private readonly delta: number;
  /** 0-based epoch of the best value (of this fit); -1 before any. */
  bestEpoch = -1;
  /** 0-based epoch at which training stopped; -1 while it runs. */
  stoppedEpoch = -1;
  private snapshotTaken = false;

  constructor(private readonly s: EarlyStopping) {
    this.up = maximizes(s.monitor, s.mode);
    this.delta = this.up ? Math.abs(s.min_delta) : -Math.abs(s.min_delta);
    this.best = this.up ? -Infinity : Infinity;
  }

  private improves(value: number, reference: number): boolean {
    return this.up ? value - this.delta > reference : value - this.delta < reference;
  }

  /** The best monitored value so far (±Infinity before any). */
  get bestValue(): number {
    return this.best;
  }

  onEpochEnd(epoch: number, logs: EpochLogs): { snapshot: boolean; stop: boolean } {
    const current = valueOf(logs, this.s.monitor);
    if (current === undefined || epoch < this.s.start_from_epoch) return { snapshot: false, stop: false };
    let snapshot = false;
    if (this.s.restore_best_weights && !this.snapshotTaken) {
      // Never set yet: the current weights are the best so far.
      snapshot = true;
      this.snapshotTaken = true;
      this.bestEpoch = epoch;
    }
    this.wait += 1;
    if (this.improves(current, this.best)) {
      this.best = current;
      this.bestEpoch = epoch;
      if (this.s.restore_best_weights) snapshot = true;
      // Only restart the wait when beating both the baseline and the previous best.
      if (this.s.baseline === null || this.improves(current, this.s.baseline)) this.wait = 0;
      return { snapshot, stop: false };
    }
    if (this.wait >= this.s.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      return { snapshot, stop: true };
    }
    return { snapshot, stop: false };
  }

  /** Whether the best snapshot replaces the weights at the end of training. */
  get restore(): boolean {
    return this.s.restore_best_weights && this.snapshotTaken;
  }
}

/** keras.callbacks.ReduceLROnPlateau: `onEpochEnd(logs, lr)` returns the learning rate to use next. */
export class PlateauReducer {
  private wait = 0;
  private cooldown = 0;
  private best: number;
  private readonly up: boolean;

  constructor(private readonly s: Extract<LrSchedule, { kind: 'reduce_on_plateau' }>) {
    // Keras's own 'auto' rule here: "acc" in the name means maximise.
    this.up = s.mode === 'max' || (s.mode === 'auto' && s.monitor.includes('acc'));
    this.best = this.up ? -Infinity : Infinity;
  }

  onEpochEnd(logs: EpochLogs, lr: number): number {
    const current = valueOf(logs, this.s.monitor);
    if (current === undefined) return lr;
    if (this.cooldown > 0) {
      this.cooldown -= 1;
      this.wait = 0;
    }
    const better = this.up ? current > this.best + this.s.min_delta : current < this.best - this.s.min_delta;
    if (better) {
      this.best = current;
      this.wait = 0;
      return lr;
    }
    if (this.cooldown > 0) return lr;
    this.wait += 1;
    if (this.wait < this.s.patience) return lr;
    if (!(lr > Math.fround(this.s.min_lr))) return lr;
    this.cooldown = this.s.cooldown;
    this.wait = 0;
    return Math.max(lr * this.s.factor, this.s.min_lr);
  }
}

/**
 * The learning rate of optimizer step `step` (0-based: the number of updates made before it), as
 * keras.optimizers.schedules.ExponentialDecay computes it; other schedules keep `lr`.
 */
export function scheduledRate(schedule: LrSchedule, initial: number, step: number, lr: number): number {
  if (schedule.kind !== 'exponential_decay') return lr;
  const p = step / schedule.decay_steps;
  return initial * Math.pow(schedule.decay_rate, schedule.staircase ? Math.floor(p) : p);
}

/**
 * One weight per class id from a `class_weight` setting: given ones (missing classes weigh 1, as
 * in Keras), or 'balanced' = n / (classes · count) over the training labels (scikit-learn's rule,
 * which Keras users pass as class_weight). Classes that never occur weigh 1 under 'balanced'.
 */
export function classWeights(cw: ClassWeight, numClasses: number, trainLabels: Iterable<number>): Float32Array {
  const w = new Float32Array(numClasses).fill(1);
  if (cw === 'balanced') {
    const counts = new Float64Array(numClasses);
    let n = 0;
    for (const y of trainLabels) {
      if (y >= 0 && y < numClasses) {
        counts[y]++;
        n++;
      }
    }
    const present = counts.filter((c) => c > 0).length;
    for (let c = 0; c < numClasses; c++) if (counts[c] > 0) w[c] = n / (present * counts[c]);
    return w;
  }
  for (const [k, v] of Object.entries(cw)) {
    const c = Number(k);
    if (c < numClasses) w[c] = v;
  }
  return w;
}
