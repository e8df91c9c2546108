/**
 * What the dataset panel shows about a dataset: split sizes, the label histogram, the length
 * histogram and a few examples decoded back to text (token ids → words, class ids → names).
 */
import type { Dataset, Example } from './tasks.ts';

export interface PreviewRow {
  readonly input: string;
  readonly target: string;
}

export interface DatasetOverview {
  readonly sizes: { readonly train: number; readonly val: number; readonly test: number };
  /** Label name → count over all splits (classification and per-step labels). */
  readonly labels: readonly { readonly label: string; readonly count: number }[];
  /** Sequence length → count (inputs). */
  readonly lengths: readonly { readonly length: number; readonly count: number }[];
  readonly preview: readonly PreviewRow[];
}

function decodeTokens(ids: readonly number[], vocab: readonly string[] | undefined, sep: string): string {
  if (!vocab) return ids.join(' ');
  return ids.filter((i) => i !== 0).map((i) => vocab[i] ?? '[UNK]').join(sep);
}

function formatNumber(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(3);
}

function separator(vocab: readonly string[] | undefined): string {
  // Character vocabularies join without spaces.
  return vocab && vocab.slice(2).every((t) => [...t].length <= 1) ? '' : ' ';
}

export function describeInput(ds: Dataset, e: Example): string {
  if (ds.inputs.dtype === 'int32') return decodeTokens(e.x as number[], ds.inputs.vocabulary, separator(ds.inputs.vocabulary));
  const x = e.x as number[] | number[][];
  if (ds.task === 'vector-to-sequence') return `[${(x as number[]).map(formatNumber).join(', ')}]`;
  const rows = x as number[][];
  const head = rows.slice(0, 6).map((r) => `(${r.map(formatNumber).join(', ')})`).join(' ');
  return rows.length > 6 ? `${head} … ${rows.length} steps` : head;
}

export function describeTarget(ds: Dataset, e: Example): string {
  if (typeof e.y === 'number') return ds.labels?.[e.y] ?? String(e.y);
  if (ds.task === 'sequence-regression') return e.y.map(formatNumber).join(', ');
  return decodeTokens(e.y, ds.labels, separator(ds.labels));
}

export function overview(ds: Dataset, previewRows = 8): DatasetOverview {
  const all = [...ds.train, ...ds.val, ...ds.test];
  const labelCounts = new Map<string, number>();
  const lengthCounts = new Map<number, number>();
  for (const e of all) {
    if (typeof e.y === 'number') {
      const name = ds.labels?.[e.y] ?? String(e.y);
      labelCounts.set(name, (labelCounts.get(name) ?? 0) + 1);
    } else if (ds.task === 'sequence-labelling') {
      for (const t of e.y) if (t !== 0) {
        const name = ds.labels?.[t] ?? String(t);
        labelCounts.set(name, (labelCounts.get(name) ?? 0) + 1);
      }
    }
    const len = ds.task === 'vector-to-sequence' ? (e.y as number[]).length : (e.x as unknown[]).length;
    lengthCounts.set(len, (lengthCounts.get(len) ?? 0) + 1);
  }
  const order = ds.labels ?? [];
  return {
    sizes: { train: ds.train.length, val: ds.val.length, test: ds.test.length },
    labels: [...labelCounts.entries()]
      .sort((a, b) => (order.indexOf(a[0]) - order.indexOf(b[0])) || a[0].localeCompare(b[0]))
      .map(([label, count]) => ({ label, count })),
    lengths: [...lengthCounts.entries()].sort((a, b) => a[0] - b[0]).map(([length, count]) => ({ length, count })),
    preview: ds.train.slice(0, previewRows).map((e) => ({ input: describeInput(ds, e), target: describeTarget(ds, e) })),
  };
}
