/**
 * The data panel's histograms (recharts bar charts): labels (kept / skipped stacked), the
 * confidence column (above / at-or-below the threshold stacked) and sequence lengths. Each chart
 * is a `figure` named for screen readers, with the numbers also in the bars' tooltips.
 */
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ConfidenceBin, LabelBar, LengthBin } from '../../store/index.ts';

const KEPT = '#7c3aed';
const SKIPPED = '#cbd5e1';
const PLAIN = '#0ea5e9';
const axis = { fontSize: 11, fill: '#64748b' };
const tooltip = { contentStyle: { fontSize: 12, borderRadius: 8, border: '1px solid #e2e8f0' }, cursor: { fill: 'rgba(109,40,217,0.06)' } };

interface Series {
  readonly key: string;
  readonly name: string;
  readonly color: string;
}

/** Counts on the y-axis: 12,400 (whole numbers, grouped). */
const count = (v: number) => v.toLocaleString('en-US');

/**
 * The y-axis is as wide as its longest label (the stacked maximum, rounded up the way the axis
 * rounds it), so 10,000 is never cut to "0000".
 */
function axisWidth(data: readonly object[], series: readonly Series[]): number {
  let max = 0;
  for (const d of data) max = Math.max(max, series.reduce((n, s) => n + (Number((d as Record<string, unknown>)[s.key]) || 0), 0));
  const top = max > 0 ? 10 ** Math.ceil(Math.log10(max * 1.25)) : 1;
  return Math.max(28, Math.ceil(Math.max(count(Math.ceil(max * 1.25)).length, count(top).length - 1) * 6.8 + 10));
}

function Chart({ title, data, x, series, height = 130, note }: {
  title: string; data: readonly object[]; x: string; series: readonly Series[]; height?: number; note?: string;
}) {
  return (
    <figure className="data-chart" aria-label={title}>
      <figcaption>
        <span>{title}</span>
        {series.length > 1 && (
          <span className="chart-legend">
            {series.map((s) => <span key={s.key}><i style={{ background: s.color }} />{s.name}</span>)}
          </span>
        )}
      </figcaption>
      <ResponsiveContainer width="100%" height={height}>
        <BarChart data={data as object[]} margin={{ top: 6, right: 6, bottom: 0, left: 0 }} barCategoryGap="18%">
          <CartesianGrid vertical={false} stroke="#f1f5f9" />
          <XAxis dataKey={x} tick={axis} tickLine={false} axisLine={{ stroke: '#e2e8f0' }} interval="preserveStartEnd" />
          <YAxis tick={axis} tickLine={false} axisLine={false} allowDecimals={false} width={axisWidth(data, series)} tickFormatter={count} />
          <Tooltip {...tooltip} />
          {series.map((s, k) => (
            <Bar key={s.key} dataKey={s.key} name={s.name} stackId="a" fill={s.color} isAnimationActive={false}
              radius={k === series.length - 1 ? [3, 3, 0, 0] : 0} />
          ))}
        </BarChart>
      </ResponsiveContainer>
      {note && <p className="chart-note">{note}</p>}
    </figure>
  );
}

/** Rows per label of the mapped column: kept for training, and skipped by the filters. */
export function LabelChart({ bars }: { bars: readonly LabelBar[] }) {
  return <Chart title="Label histogram" data={bars} x="label" series={[{ key: 'kept', name: 'kept', color: KEPT }, { key: 'skipped', name: 'skipped', color: SKIPPED }]} />;
}

/** The confidence column binned; rows above the threshold are kept. */
export function ConfidenceChart({ bins, threshold }: { bins: readonly ConfidenceBin[]; threshold: number }) {
  return (
    <Chart title="Confidence histogram" data={bins} x="range"
      series={[{ key: 'kept', name: `> ${threshold}`, color: KEPT }, { key: 'filtered', name: `≤ ${threshold}`, color: SKIPPED }]} />
  );
}

/** Examples per class (or per tag / token) of a loaded dataset. */
export function ClassChart({ labels }: { labels: readonly { readonly label: string; readonly count: number }[] }) {
  const shown = labels.length > 40 ? [...labels].sort((a, b) => b.count - a.count).slice(0, 40) : labels;
  return <Chart title="Label histogram" data={shown} x="label" series={[{ key: 'count', name: 'examples', color: KEPT }]}
    note={shown.length < labels.length ? `The 40 most frequent of ${labels.length} labels.` : undefined} />;
}

/** Input sequence lengths. */
export function LengthChart({ bins }: { bins: readonly LengthBin[] }) {
  return <Chart title="Sequence lengths" data={bins} x="range" series={[{ key: 'count', name: 'examples', color: PLAIN }]} />;
}
