/**
 * What a bench file uses to report its numbers. Each call prints one readable line and, when the
 * file runs under `npm run bench` (scripts/bench.ts sets UNROLL_BENCH_ROWS), appends the row as a
 * JSON line to that file; the runner then writes bench/results.json and bench/results.md.
 *
 *   import { metric, fact } from './lib/report.ts';
 *   metric('core.infer.2000_nodes.median_ms', 7.1, 'ms', { target: '< 20', label: 'shape inference, 2,000 nodes' });
 *   fact('chromium', '156.0.7520.0');   // machine/environment facts shown in the table's header
 *
 * Training speed has its own row kind (`trainRow`), so the table can put stock, fused and the
 * PyTorch peer side by side and compute their ratios.
 */
import { appendFileSync } from 'node:fs';
import type { MetricRow, Row, TrainRow } from './results.ts';
import { median, round } from './stats.ts';

export type { FactRow, MetricRow, Row, TrainRow } from './results.ts';
export { median, quantile, round } from './stats.ts';

function emit(row: Row, text: string): void {
  console.log(text);
  const file = process.env.UNROLL_BENCH_ROWS;
  if (file) appendFileSync(file, JSON.stringify(row) + '\n');
}

/** One number: `name` is dotted (`<bench>.<what>.<statistic>`), `unit` as printed (ms, kB, fps). */
export function metric(name: string, value: number, unit: string, extra: { target?: string; label?: string; note?: string } = {}): void {
  if (!Number.isFinite(value)) throw new Error(`metric ${name}: ${value} is not a number`);
  const row: MetricRow = { kind: 'metric', metric: name, value, unit, ...extra };
  emit(row, `${name} ${round(value)} ${unit}${extra.target ? ` (target ${extra.target})` : ''}${extra.note ? ` — ${extra.note}` : ''}`);
}

/** A fact about the machine or the software measured (browser version, WebGL renderer, …). */
export function fact(name: string, value: string): void {
  emit({ kind: 'fact', name, value }, `# ${name}: ${value}`);
}

/** Training speed of one model on one engine/backend/path: the median of the repeats' medians. */
export function trainRow(r: Omit<TrainRow, 'kind' | 'ms_per_batch'>): TrainRow {
  if (r.repeats.length === 0 || r.repeats.some((v) => !Number.isFinite(v) || v <= 0)) {
    throw new Error(`train row ${r.model}/${r.where}/${r.backend}/${r.path}: bad repeats ${JSON.stringify(r.repeats)}`);
  }
  const row: TrainRow = { kind: 'train', ...r, ms_per_batch: median(r.repeats) };
  const spread = r.repeats.length > 1 ? ` (repeats ${r.repeats.map(round).join(', ')})` : '';
  emit(row, `train.${r.model}.${r.where}.${r.backend}.${r.path}.ms_per_batch ${round(row.ms_per_batch)}${spread}`);
  return row;
}
