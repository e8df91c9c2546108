/**
 * Live loss and accuracy charts (recharts). One x-axis in epochs: every reported batch (faint) and
 * its smoothed curve run along it, and each epoch's result sits at its end, training vs validation,
 * like the lesson's `plt.plot(history.history['loss'])` / `['val_loss']` pair. No animation: the
 * charts redraw at most ~10 times a second (the worker throttles batch events).
 */
import { memo, useMemo } from 'react';
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useTrain } from './context.ts';
import { metricSeries, num, pct, type MetricSeries } from './runView.ts';

/** Short y-axis labels: 0.25, 12, 3e+5. */
const tick = (v: number): string => (v !== 0 && (Math.abs(v) >= 1e4 || Math.abs(v) < 1e-3) ? v.toExponential(0) : Number(v.toPrecision(2)).toString());

const COLORS = { raw: '#ddd6fe', smooth: '#8b5cf6', train: '#6d28d9', val: '#d97706' };

export function TrainCharts() {
  const batches = useTrain((s) => s.batches);
  const epochs = useTrain((s) => s.epochs);
  const total = useTrain((s) => s.info?.epochs ?? s.settings?.epochs ?? 1);
  const loss = useMemo(() => metricSeries(batches, epochs, 'loss'), [batches, epochs]);
  const acc = useMemo(() => metricSeries(batches, epochs, 'accuracy'), [batches, epochs]);
  const hasAccuracy = acc.raw.length > 0 || acc.train.length > 0;
  return (
    <div className="train-charts-wrap">
      <p className="chart-legend" aria-hidden>
        <i style={{ background: COLORS.smooth }} /> each batch (smoothed)
        <i className="dot" style={{ background: COLORS.train }} /> train (epoch)
        <i className="dot" style={{ background: COLORS.val }} /> validation (epoch)
        <span>· x axis: epochs</span>
      </p>
      <div className="train-charts">
        <Chart title="Loss" series={loss} epochs={total} format={num} />
        {hasAccuracy || batches.length === 0
          ? <Chart title="Accuracy" series={acc} epochs={total} format={pct} percent />
          : <p className="train-chart-none muted">No accuracy: this model's loss is a regression loss.</p>}
      </div>
    </div>
  );
}

interface ChartProps {
  title: string;
  series: MetricSeries;
  epochs: number;
  format: (v: number) => string;
  percent?: boolean;
}

const Chart = memo(function Chart({ title, series, epochs, format, percent }: ChartProps) {
  const last = series.smooth[series.smooth.length - 1];
  const lastVal = series.val[series.val.length - 1];
  return (
    <figure className="train-chart" aria-label={`${title} chart`} data-batch-points={series.raw.length} data-epoch-points={series.train.length}>
      <figcaption>
        <b>{title}</b>
        {last && <span className="chart-now">{format(last.y)}</span>}
        {lastVal && <span className="chart-now val">val {format(lastVal.y)}</span>}
      </figcaption>
      <div className="train-chart-plot">
        {series.raw.length === 0 && <span className="train-chart-empty muted">{title} per batch appears here while training</span>}
        <ResponsiveContainer width="100%" height="100%">
          <LineChart margin={{ top: 6, right: 10, bottom: 0, left: -4 }}>
            <CartesianGrid stroke="#f1f5f9" />
            <XAxis type="number" dataKey="x" domain={[0, Math.max(1, epochs)]} allowDecimals={false} tickCount={Math.min(epochs, 10) + 1}
              padding={{ left: 0, right: 8 }} tick={{ fontSize: 11, fill: '#64748b' }} stroke="#cbd5e1" height={22} />
            <YAxis type="number" dataKey="y" domain={percent ? [0, 1] : [0, 'auto']} tickFormatter={percent ? (v: number) => `${Math.round(v * 100)}%` : tick}
              tick={{ fontSize: 11, fill: '#64748b' }} stroke="#cbd5e1" width={44} />
            <Tooltip formatter={(v) => format(Number(v))} labelFormatter={(x) => `epoch ${Number(x).toFixed(2)}`} contentStyle={{ fontSize: 12, borderRadius: 8 }} />
            <Line data={series.raw} dataKey="y" name="batch" stroke={COLORS.raw} strokeWidth={1} dot={false} isAnimationActive={false} />
            <Line data={series.smooth} dataKey="y" name="batch (smoothed)" stroke={COLORS.smooth} strokeWidth={2} dot={false} isAnimationActive={false} />
            <Line data={series.train} dataKey="y" name="train" stroke={COLORS.train} strokeWidth={2} dot={{ r: 3 }} isAnimationActive={false} />
            <Line data={series.val} dataKey="y" name="validation" stroke={COLORS.val} strokeWidth={2} strokeDasharray="5 3" dot={{ r: 3 }} isAnimationActive={false} />
          </LineChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
});

