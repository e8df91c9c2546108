/**
 * What the Train charts draw for kept runs and baselines (pure, tested in overlay.test.ts): each
 * overlaid run's per-batch curve (as stored: bucket means) and its epochs' validation values, in
 * the run's colour; the chance and majority-class lines for accuracy and loss (the mean for
 * regression losses), as flat lines across the x axis.
 */
import type { RunMeta, RunRecord } from '../../store/runs.ts';
import type { Baselines } from '../../tf/train/metrics.ts';
import type { ChartLine } from '../train/LiveChart.tsx';

export type OverlayMetric = 'loss' | 'accuracy';

/** Colours of overlaid runs, in the order they are picked (none of the live run's violet/amber). */
export const RUN_COLORS = ['#0891b2', '#16a34a', '#db2777', '#ea580c', '#4f46e5', '#0d9488', '#a16207'] as const;

export const runColor = (k: number) => RUN_COLORS[k % RUN_COLORS.length];

export function overlayLines(runs: readonly Pick<RunMeta, 'id' | 'name'>[], curves: Readonly<Record<string, RunRecord['curves']>>, metric: OverlayMetric): ChartLine[] {
  const out: ChartLine[] = [];
  runs.forEach((r, k) => {
    const c = curves[r.id];
    if (!c) return;
    const color = runColor(k);
    const batches = c.batches.flatMap((b) => (b[metric] !== undefined && Number.isFinite(b[metric]!) ? [{ x: b.x, y: b[metric]! }] : []));
    const val = c.epochs.flatMap((e) => {
      const v = metric === 'loss' ? e.val_loss : e.val_accuracy;
      return v !== undefined && Number.isFinite(v) ? [{ x: e.epoch, y: v }] : [];
    });
    if (batches.length) out.push({ id: `run-${r.id}`, name: `${r.name} (batch)`, points: batches, color, width: 1.5, opacity: 0.85 });
    if (val.length) out.push({ id: `run-${r.id}-val`, name: `${r.name} (validation)`, points: val, color, width: 1.5, dash: '5 3', dots: true });
  });
  return out;
}

/** The baseline values for a metric: [label, value] pairs (accuracies in [0, 1]). */
export function baselineValues(b: Baselines | undefined, metric: OverlayMetric): { name: string; y: number }[] {
  if (!b) return [];
  const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
  if (metric === 'accuracy') {
    return [
      ...(b.majority ? [{ name: `majority class "${b.majority.label}" (${pct(b.majority.accuracy)})`, y: b.majority.accuracy }] : []),
      ...(b.chance ? [{ name: `chance (${pct(b.chance.accuracy)})`, y: b.chance.accuracy }] : []),
    ];
  }
  return [
    ...(b.majority ? [{ name: `class frequencies (${b.majority.loss.toFixed(3)})`, y: b.majority.loss }] : []),
    ...(b.chance ? [{ name: `chance, ln K (${b.chance.loss.toFixed(3)})`, y: b.chance.loss }] : []),
    ...(b.mean ? [{ name: `always the mean (${b.mean.loss.toFixed(3)})`, y: b.mean.loss }] : []),
  ];
}

export const BASELINE_COLOR = '#94a3b8';

export function baselineLines(b: Baselines | undefined, metric: OverlayMetric, xMax: number): ChartLine[] {
  return baselineValues(b, metric).map((v, k) => ({
    id: `baseline-${k}`, name: v.name, points: [{ x: 0, y: v.y }, { x: xMax, y: v.y }], color: BASELINE_COLOR, width: 1, dash: k ? '1 3' : '6 3',
  }));
}

/** The extent of lines' values joined with another extent (for an automatic y axis). */
export function joinExtent(extent: readonly [number, number] | null, lines: readonly ChartLine[]): readonly [number, number] | null {
  let lo = extent?.[0] ?? Infinity, hi = extent?.[1] ?? -Infinity;
  for (const l of lines) for (const p of l.points) {
    if (p.y < lo) lo = p.y;
    if (p.y > hi) hi = p.y;
  }
  return Number.isFinite(lo) && Number.isFinite(hi) ? [lo, hi] : null;
}
