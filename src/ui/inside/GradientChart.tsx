/**
 * ‖∂L/∂h_t‖ over the steps t, on a log scale (recharts, no animation): one line per curve, the
 * newest drawn strongest. The gradients-through-time view feeds it the samples of a run; the
 * experiment feeds it one curve per model.
 */
import { memo } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

export interface Curve {
  readonly key: string;
  readonly name: string;
  readonly color: string;
  /** ‖∂L/∂h_t‖ per step (null: every example padded there). */
  readonly values: readonly (number | null)[];
  readonly width?: number;
  readonly opacity?: number;
}

const sci = (v: number) => (v === 0 ? '0' : v.toExponential(0));

/** Rows { t, [key]: value } for recharts; zeros and nulls become gaps (the log axis has no 0). */
export function curveRows(curves: readonly Curve[]): Record<string, number | null>[] {
  const T = Math.max(0, ...curves.map((c) => c.values.length));
  return Array.from({ length: T }, (_, t) => {
    const row: Record<string, number | null> = { t: t + 1 };
    for (const c of curves) {
      const v = c.values[t];
      row[c.key] = v !== null && v !== undefined && v > 0 && Number.isFinite(v) ? v : null;
    }
    return row;
  });
}

export const GradientChart = memo(function GradientChart({ curves, label, height = 200, legend = false }: { curves: readonly Curve[]; label: string; height?: number; legend?: boolean }) {
  const rows = curveRows(curves);
  return (
    <figure className="gradient-chart" aria-label={label} data-curves={curves.length} data-steps={rows.length}>
      <div style={{ height }}>
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={rows} margin={{ top: 6, right: 12, bottom: 0, left: 0 }}>
            <CartesianGrid stroke="#f1f5f9" />
            <XAxis dataKey="t" type="number" domain={[1, Math.max(1, rows.length)]} tick={{ fontSize: 11, fill: '#64748b' }} stroke="#cbd5e1" height={22}
              label={{ value: 'step t', position: 'insideBottomRight', offset: -2, fontSize: 10, fill: '#94a3b8' }} />
            <YAxis type="number" scale="log" domain={['auto', 'auto']} allowDataOverflow tickFormatter={sci} tick={{ fontSize: 11, fill: '#64748b' }} stroke="#cbd5e1" width={46} />
            <Tooltip formatter={(v) => Number(v).toExponential(2)} labelFormatter={(t) => `t = ${t}`} contentStyle={{ fontSize: 12, borderRadius: 8 }} />
            {legend && <Legend wrapperStyle={{ fontSize: 11 }} />}
            {curves.map((c) => (
              <Line key={c.key} dataKey={c.key} name={c.name} stroke={c.color} strokeWidth={c.width ?? 2} strokeOpacity={c.opacity ?? 1} dot={false} isAnimationActive={false} connectNulls={false} />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
});
