/**
 * Live loss and accuracy charts. One x-axis in epochs: every reported batch (faint) and its
 * smoothed curve run along it, and each epoch's result sits at its end, training vs validation,
 * like the lesson's `plt.plot(history.history['loss'])` / `['val_loss']` pair.
 *
 * Cheap at any run length (contract 8): the charts render at most CHART_MS apart (a burst of batch
 * events is one render), each update reads only the batches that arrived since the last one, and
 * each line is decimated to a bounded number of points (chartFeed.ts, decimate.ts), drawn by a
 * plain SVG chart (LiveChart.tsx).
 *
 * The headline beside each title is the last epoch's result (what the epoch table and Keras's
 * `history` say) and its validation value; during an epoch, the epoch's mean so far.
 */
import { useMemo, useRef } from 'react';
import type { TrainState } from '../../store/trainStore.ts';
import { isActive } from '../../store/trainStore.ts';
import { ChartFeed, type Metric, type MetricSeries } from './chartFeed.ts';
import { useTrainThrottled } from './context.ts';
import { LiveChart, type ChartLine } from './LiveChart.tsx';
import { num, pct } from './runView.ts';

/** The charts render at most this often while a run streams (4 a second). */
export const CHART_MS = 250;

export const CHART_COLORS = { raw: '#c4b5fd', smooth: '#8b5cf6', train: '#6d28d9', val: '#d97706' } as const;

const all = (s: TrainState) => s;

export function TrainCharts() {
  const s = useTrainThrottled(all, CHART_MS);
  const feed = useRef<ChartFeed | null>(null);
  feed.current ??= new ChartFeed();
  const view = useMemo(() => feed.current!.update(s.batches, s.epochs), [s.batches, s.epochs]);
  const renders = useRef(0);
  renders.current++;
  const total = s.info?.epochs ?? s.settings?.epochs ?? 1;
  const hasAccuracy = view.accuracy.batches > 0 || view.accuracy.train.length > 0;
  return (
    <div className="train-charts-wrap" data-renders={renders.current}>
      <p className="chart-legend" aria-hidden>
        <i style={{ background: CHART_COLORS.smooth }} /> each batch (smoothed)
        <i className="dot" style={{ background: CHART_COLORS.train }} /> train (epoch)
        <i className="dot" style={{ background: CHART_COLORS.val }} /> validation (epoch)
        <span>· x axis: epochs</span>
      </p>
      <div className="train-charts">
        <Chart title="Loss" metric="loss" series={view.loss} state={s} epochs={total} format={num} />
        {hasAccuracy || view.loss.batches === 0
          ? <Chart title="Accuracy" metric="accuracy" series={view.accuracy} state={s} epochs={total} format={pct} percent />
          : <p className="train-chart-none muted">No accuracy: this model's loss is a regression loss.</p>}
      </div>
    </div>
  );
}

interface ChartProps {
  readonly title: string;
  readonly metric: Metric;
  readonly series: MetricSeries;
  readonly state: TrainState;
  readonly epochs: number;
  readonly format: (v: number) => string;
  readonly percent?: boolean;
}

const pctTick = (v: number) => `${Math.round(v * 100)}%`;
const epochLabel = (x: number) => `epoch ${x.toFixed(2)}`;

function Chart({ title, metric, series, state, epochs, format, percent }: ChartProps) {
  const lines = useMemo<ChartLine[]>(() => [
    { id: 'batch', name: 'batch', points: series.raw, color: CHART_COLORS.raw, width: 1, quiet: true },
    { id: 'smooth', name: 'batch (smoothed)', points: series.smooth, color: CHART_COLORS.smooth, width: 2 },
    { id: 'train', name: 'train (epoch)', points: series.train, color: CHART_COLORS.train, width: 2, dots: true },
    { id: 'val', name: 'validation (epoch)', points: series.val, color: CHART_COLORS.val, width: 2, dash: '5 3', dots: true },
  ], [series]);
  const drawn = lines.reduce((n, l) => n + l.points.length, 0);
  return (
    <figure className="train-chart" aria-label={`${title} chart`} data-batch-points={series.batches} data-epoch-points={series.train.length} data-drawn-points={drawn}>
      <figcaption>
        <b>{title}</b>
        <Headline metric={metric} title={title} state={state} format={format} />
      </figcaption>
      <div className="train-chart-plot">
        <LiveChart lines={lines} xMax={Math.max(1, epochs)} yDomain={percent ? UNIT : undefined} extent={series.extent}
          yTick={percent ? pctTick : undefined} format={format} xLabel={epochLabel}
          empty={`${title} per batch appears here while training`} />
      </div>
    </figure>
  );
}

const UNIT = [0, 1] as const;

/** The last epoch's value and validation; while an epoch runs, its mean so far. */
function Headline({ metric, title, state, format }: { metric: Metric; title: string; state: TrainState; format: (v: number) => string }) {
  const last = state.epochs[state.epochs.length - 1];
  const batch = state.batches[state.batches.length - 1];
  const running = batch && isActive(state) && (!last || batch.epoch > last.epoch) ? batch[metric === 'loss' ? 'epochLoss' : 'epochAccuracy'] : undefined;
  const train = last?.[metric];
  const val = last?.[metric === 'loss' ? 'val_loss' : 'val_accuracy'];
  const lower = title.toLowerCase();
  return (
    <>
      {train !== undefined && Number.isFinite(train) && (
        <span className="chart-now" aria-label={`${title} at epoch ${last.epoch}`}>{format(train)}</span>
      )}
      {val !== undefined && Number.isFinite(val) && <span className="chart-now val" aria-label={`Validation ${lower} at epoch ${last.epoch}`}>val {format(val)}</span>}
      {last && <span className="chart-epoch muted">epoch {last.epoch}</span>}
      {running !== undefined && Number.isFinite(running) && (
        <span className="chart-running muted" aria-label={`${title} so far in epoch ${batch.epoch}`}>epoch {batch.epoch} so far {format(running)}</span>
      )}
    </>
  );
}
