/**
 * What the live charts draw for a run, built incrementally: each update reads only the batches
 * that arrived since the last one (the train store's history is append-only within a run), so the
 * cost of an update does not grow with the run's length, and each series is decimated
 * (decimate.ts) to a bounded number of points.
 *
 *   const feed = new ChartFeed();
 *   const view = feed.update(state.batches, state.epochs);   // same object while nothing changed
 *   view.loss.raw / .smooth / .train / .val
 */
import type { BatchPoint, EpochPoint } from '../../store/trainStore.ts';
import { Decimator, type XY } from './decimate.ts';
import { Ema, batchX } from './runView.ts';

export type Metric = 'loss' | 'accuracy';

export interface MetricSeries {
  /** Every reported batch value (faint): the decimated envelope, so spikes stay visible. */
  readonly raw: readonly XY[];
  /** The same, smoothed (debiased exponential moving average, as TensorBoard), one point per bucket. */
  readonly smooth: readonly XY[];
  /** Each epoch's result (the mean over its batches, Keras's `history`) and its validation. */
  readonly train: readonly XY[];
  readonly val: readonly XY[];
  /** Batches reported (not drawn). */
  readonly batches: number;
  /** Smallest and largest value of any series, or null when empty. */
  readonly extent: readonly [number, number] | null;
}

export interface ChartView {
  readonly loss: MetricSeries;
  readonly accuracy: MetricSeries;
}

const VAL = { loss: 'val_loss', accuracy: 'val_accuracy' } as const;

class MetricFeed {
  private raw: Decimator;
  private smooth: Decimator;
  private ema: Ema;
  constructor(readonly metric: Metric, readonly buckets: number, weight: number) {
    this.raw = new Decimator(buckets);
    this.smooth = new Decimator(buckets);
    this.ema = new Ema(weight);
  }
  push(b: BatchPoint): void {
    const y = b[this.metric];
    if (y === undefined || !Number.isFinite(y)) return;
    const x = batchX(b);
    this.raw.push(x, y);
    this.smooth.push(x, this.ema.push(y));
  }
  view(epochs: readonly EpochPoint[]): MetricSeries {
    const train: XY[] = [], val: XY[] = [];
    for (const e of epochs) {
      const t = e[this.metric], v = e[VAL[this.metric]];
      if (t !== undefined && Number.isFinite(t)) train.push({ x: e.epoch, y: t });
      if (v !== undefined && Number.isFinite(v)) val.push({ x: e.epoch, y: v });
    }
    let extent = this.raw.extent();
    for (const p of [...train, ...val]) extent = extent ? [Math.min(extent[0], p.y), Math.max(extent[1], p.y)] : [p.y, p.y];
    return { raw: this.raw.envelope(), smooth: this.smooth.mean(), train, val, batches: this.raw.size, extent };
  }
}

export class ChartFeed {
  private loss!: MetricFeed;
  private accuracy!: MetricFeed;
  private source: readonly BatchPoint[] | null = null;
  private first: BatchPoint | undefined;
  private consumed = 0;
  private epochs: readonly EpochPoint[] | null = null;
  private last: ChartView | null = null;

  /** `buckets` per series (the raw envelope draws up to 4 points a bucket). */
  constructor(readonly buckets = 160, readonly weight = 0.6) {
    this.reset();
  }

  update(batches: readonly BatchPoint[], epochs: readonly EpochPoint[]): ChartView {
    if (batches === this.source && epochs === this.epochs && this.last) return this.last;
    // A new run (or a reset) starts over; within a run the history only grows.
    if (batches.length < this.consumed || batches[0] !== this.first) this.reset();
    for (let k = this.consumed; k < batches.length; k++) {
      this.loss.push(batches[k]);
      this.accuracy.push(batches[k]);
    }
    this.consumed = batches.length;
    this.first = batches[0];
    this.source = batches;
    this.epochs = epochs;
    this.last = { loss: this.loss.view(epochs), accuracy: this.accuracy.view(epochs) };
    return this.last;
  }

  private reset(): void {
    this.loss = new MetricFeed('loss', this.buckets, this.weight);
    this.accuracy = new MetricFeed('accuracy', this.buckets, this.weight);
    this.consumed = 0;
    this.first = undefined;
  }
}
