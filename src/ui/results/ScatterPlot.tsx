/**
 * Regression: each test example's prediction against its truth (the first value of each), with
 * the line where they would be equal. Plain SVG, drawn once per evaluation.
 */
import type { EvalRow } from '../../tf/train/workbench.ts';

const W = 260, H = 220, M = 30;

export function ScatterPlot({ rows }: { rows: readonly EvalRow[] }) {
  const pts = rows.flatMap((r) => (r.values && r.values.truth.length ? [{ x: r.values.truth[0], y: r.values.predicted[0] ?? NaN }] : [])).filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  if (!pts.length) return null;
  const lo = Math.min(...pts.map((p) => Math.min(p.x, p.y)));
  const hi = Math.max(...pts.map((p) => Math.max(p.x, p.y)));
  const span = hi - lo || 1;
  const sx = (v: number) => M + ((v - lo) / span) * (W - M - 8);
  const sy = (v: number) => H - M + 8 - ((v - lo) / span) * (H - M);
  const fmt = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(2));
  return (
    <figure className="scatter" aria-label="Predictions against truth" data-points={pts.length}>
      <figcaption>Predicted against true value <span className="muted">{pts.length} test examples · on the line = exact</span></figcaption>
      <svg width={W} height={H} role="img" aria-label={`${pts.length} points`}>
        <line x1={sx(lo)} y1={sy(lo)} x2={sx(hi)} y2={sy(hi)} stroke="#cbd5e1" strokeDasharray="4 3" />
        <line x1={M} y1={H - M + 8} x2={W - 8} y2={H - M + 8} stroke="#cbd5e1" />
        <line x1={M} y1={8} x2={M} y2={H - M + 8} stroke="#cbd5e1" />
        {pts.slice(0, 2000).map((p, k) => <circle key={k} cx={sx(p.x)} cy={sy(p.y)} r={2.2} fill="#6d28d9" fillOpacity={0.55} />)}
        <text x={M} y={H - 6} fontSize={10} fill="#64748b">{fmt(lo)}</text>
        <text x={W - 8} y={H - 6} fontSize={10} fill="#64748b" textAnchor="end">{fmt(hi)} true</text>
        <text x={4} y={14} fontSize={10} fill="#64748b">pred.</text>
      </svg>
    </figure>
  );
}
