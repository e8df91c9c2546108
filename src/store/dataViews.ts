/**
 * What the data panel charts for an uploaded CSV before and after filtering, computed from the
 * table and the mapping (components only display these): labels with kept / skipped counts, and
 * the confidence column binned, each bin split into rows above the threshold and the others.
 */
import type { CsvTable } from '../data/csv.ts';
import type { ColumnMapping, ExtractReport } from '../data/csvMapping.ts';

export interface LabelBar {
  readonly label: string;
  readonly kept: number;
  readonly skipped: number;
}

export interface ConfidenceBin {
  /** "0.4–0.5" */
  readonly range: string;
  readonly from: number;
  readonly to: number;
  /** Rows in the bin with `confidence > threshold`, and the others. */
  readonly kept: number;
  readonly filtered: number;
}

/** The name shown for rows whose label cell is empty. */
export const NO_LABEL = '(no label)';

/** Every label of the mapped column (all rows), with how many rows of it were kept. */
export function labelBars(table: CsvTable, mapping: Partial<ColumnMapping>, report: ExtractReport | null): LabelBar[] {
  const column = mapping.label;
  if (!column || !table.columns.includes(column)) return [];
  const totals = new Map<string, number>();
  for (const row of table.rows) {
    const label = (row[column] ?? '').trim() || NO_LABEL;
    totals.set(label, (totals.get(label) ?? 0) + 1);
  }
  return [...totals]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([label, total]) => {
      const kept = report?.classCounts[label] ?? 0;
      return { label, kept, skipped: total - kept };
    });
}

/** The confidence column in `bins` equal bins over [0, 1] (or over the values' range when outside it). */
export function confidenceBins(table: CsvTable, mapping: Partial<ColumnMapping>, bins = 10): ConfidenceBin[] {
  const column = mapping.confidence;
  if (!column || !table.columns.includes(column)) return [];
  const values = table.rows.map((r) => Number((r[column] ?? '').trim() || NaN)).filter(Number.isFinite);
  if (!values.length) return [];
  let lo = 0;
  let hi = 1;
  for (const v of values) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  const width = (hi - lo) / bins;
  const threshold = mapping.threshold ?? 0.5;
  const kept = new Array<number>(bins).fill(0);
  const filtered = new Array<number>(bins).fill(0);
  for (const v of values) (v > threshold ? kept : filtered)[Math.min(bins - 1, Math.floor(((v - lo) / (hi - lo)) * bins + 1e-9))]++;
  const fmt = (x: number) => String(Number(x.toFixed(2)));
  return kept.map((k, i) => {
    const from = lo + i * width;
    const to = from + width;
    return { range: `${fmt(from)}–${fmt(to)}`, from, to, kept: k, filtered: filtered[i] };
  });
}

export interface LengthBin {
  /** "12" or "10–19" */
  readonly range: string;
  readonly count: number;
}

/** A length histogram (overview.lengths) in at most `maxBars` bars of equal width. */
export function lengthBins(lengths: readonly { readonly length: number; readonly count: number }[], maxBars = 30): LengthBin[] {
  if (!lengths.length) return [];
  const lo = lengths[0].length;
  const hi = lengths[lengths.length - 1].length;
  const width = Math.max(1, Math.ceil((hi - lo + 1) / maxBars));
  const bars = Math.floor((hi - lo) / width) + 1;
  const counts = new Array<number>(bars).fill(0);
  for (const l of lengths) counts[Math.floor((l.length - lo) / width)] += l.count;
  return counts.map((count, k) => {
    const from = lo + k * width;
    return { range: width === 1 ? String(from) : `${from}–${from + width - 1}`, count };
  });
}
