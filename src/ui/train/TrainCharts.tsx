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
import { useMemo, useRef, useSyncExternalStore } from 'react';
import type { RunMeta, RunRecord } from '../../store/runs.ts';
import { useOptionalRunsStore } from '../runs/context.ts';
import { BASELINE_COLOR, baselineLines, joinExtent, overlayLines, runColor } from '../runs/overlay.ts';
import './workbench.css';
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
  const overlay = useOverlay();
  const overlayEpochs = Math.max(0, ...overlay.runs.map((r) => overlay.curves[r.id]?.totalEpochs ?? 0));
  const total = Math.max(s.info?.epochs ?? s.settings?.epochs ?? 1, overlayEpochs);
  const baseline = s.info?.baseline ?? overlay.runs.map((r) => r.baseline).find(Boolean);
  const extra = useMemo(() => ({
    loss: [...overlayLines(overlay.runs, overlay.curves, 'loss'), ...baselineLines(baseline, 'loss', total)],
    accuracy: [...overlayLines(overlay.runs, overlay.curves, 'accuracy'), ...baselineLines(baseline, 'accuracy', total)],
  }), [overlay, baseline, total]);
  const hasAccuracy = view.accuracy.batches > 0 || view.accuracy.train.length > 0 || extra.accuracy.some((l) => l.id.startsWith('run-'));
  const empty = view.loss.batches === 0 && !overlay.runs.length;
  return (
    <div className="train-charts-wrap" data-renders={renders.current}>
      <p className="chart-legend" aria-label="Chart legend">
        <i style={{ background: CHART_COLORS.smooth }} /> each batch (smoothed)
        <i className="dot" style={{ background: CHART_COLORS.train }} /> train (epoch)
        <i className="dot" style={{ background: CHART_COLORS.val }} /> validation (epoch)
        {overlay.runs.map((r, k) => (
          <span key={r.id} className="chart-legend-run" data-run={r.id}><i style={{ background: runColor(k) }} /> {r.name}</span>
        ))}
        {baseline && <span className="chart-legend-run"><i style={{ background: BASELINE_COLOR }} /> baselines</span>}
        <span>· x axis: epochs</span>
      </p>
      <div className="train-charts">
        <Chart title="Loss" metric="loss" series={view.loss} state={s} epochs={total} format={num} extra={extra.loss} />
        {hasAccuracy || empty
          ? <Chart title="Accuracy" metric="accuracy" series={view.accuracy} state={s} epochs={total} format={pct} percent extra={extra.accuracy} />
          : <p className="train-chart-none muted">No accuracy: this model's loss is a regression loss.</p>}
      </div>
    </div>
  );
}

const NO_RUNS = { runs: [] as RunMeta[], curves: {} as Readonly<Record<string, RunRecord['curves']>> };

/** The kept runs drawn with the live one (in the order they were picked), when a runs store exists. */
function useOverlay(): { runs: readonly RunMeta[]; curves: Readonly<Record<string, RunRecord['curves']>> } {
  const store = useOptionalRunsStore();
  const snapshot = useRef(NO_RUNS);
  const get = () => {
    if (!store) return NO_RUNS;
    const st = store.getState();
    const runs = st.overlay.map((id) => st.runs.find((r) => r.id === id)).filter((r): r is RunMeta => !!r);
    const prev = snapshot.current;
    if (prev.curves === st.curves && prev.runs.length === runs.length && prev.runs.every((r, k) => r === runs[k])) return prev;
    return (snapshot.current = { runs, curves: st.curves });
  };
  return useSyncExternalStore(store ? store.subscribe : noSubscribe, get, get);
}

const noSubscribe = () => () => {};

interface ChartProps {
  /** Overlaid runs and baselines, drawn under the live run's lines. */
  readonly extra: readonly ChartLine[];
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

function Chart({ title, metric, series, state, epochs, format, percent, extra }: ChartProps) {
  const lines = useMemo<ChartLine[]>(() => [
    ...extra,
    { id: 'batch', name: 'batch', points: series.raw, color: CHART_COLORS.raw, width: 1, quiet: true },
    { id: 'smooth', name: 'batch (smoothed)', points: series.smooth, color: CHART_COLORS.smooth, width: 2 },
    { id: 'train', name: 'train (epoch)', points: series.train, color: CHART_COLORS.train, width: 2, dots: true },
    { id: 'val', name: 'validation (epoch)', points: series.val, color: CHART_COLORS.val, width: 2, dash: '5 3', dots: true },
  ], [series, extra]);
  const extent = useMemo(() => joinExtent(series.extent, extra), [series.extent, extra]);
  const drawn = lines.reduce((n, l) => n + l.points.length, 0);
  return (
    <figure className="train-chart" aria-label={`${title} chart`} data-batch-points={series.batches} data-epoch-points={series.train.length} data-drawn-points={drawn}>
      <figcaption>
        <b>{title}</b>
        <Headline metric={metric} title={title} state={state} format={format} />
      </figcaption>
      <div className="train-chart-plot">
        <LiveChart lines={lines} xMax={Math.max(1, epochs)} yDomain={percent ? UNIT : undefined} extent={extent}
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
