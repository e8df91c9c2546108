/**
 * The time steps of one example as a learner reads them: a token (or the step's numbers) per
 * position, padded as the example is padded in its training batch (the lesson's `collate_fn`: to
 * the longest sequence of the batch), so the unrolled view and "look inside" show real padding.
 *
 *   exampleSteps(ds, 'test', 3)   // { tokens: ['the', 'flight', …, '', ''], padding: [false, …, true], padTo: 23 }
 */
import type { Dataset } from './tasks.ts';

export interface ExampleSteps {
  readonly tokens: readonly string[];
  readonly padding: readonly boolean[];
  /** The length the example is padded to (its batch's longest). */
  readonly padTo: number;
  /** Its own length. */
  readonly length: number;
  /** A readable target. */
  readonly target: string;
}

export type Split = 'train' | 'val' | 'test';

const short = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(2));

function tokenOf(ds: Dataset, step: number | number[]): string {
  if (Array.isArray(step)) return step.map(short).join(' ');
  return ds.inputs.dtype === 'int32' && ds.inputs.vocabulary ? ds.inputs.vocabulary[step] ?? `#${step}` : short(step);
}

function targetOf(ds: Dataset, y: number | readonly number[]): string {
  if (typeof y === 'number') return ds.labels?.[y] ?? short(y);
  if (ds.task === 'sequence-regression') return y.map(short).join(', ');
  const words = y.map((i) => ds.labels?.[i] ?? String(i));
  return words.every((w) => [...w].length <= 1) ? words.join('') : words.join(' ');
}

/** Steps of example `index` of a split, padded to the longest example of its batch of `batchSize` (in order). */
export function exampleSteps(ds: Dataset, split: Split, index: number, batchSize = 32): ExampleSteps | null {
  const list = ds[split];
  const e = list[index];
  if (!e || ds.task === 'vector-to-sequence') return null;
  const start = Math.floor(index / batchSize) * batchSize;
  const padTo = Math.max(...list.slice(start, start + batchSize).map((x) => x.x.length));
  const xs = e.x as (number | number[])[];
  const tokens = Array.from({ length: padTo }, (_, t) => (t < xs.length ? tokenOf(ds, xs[t]) : ''));
  return { tokens, padding: tokens.map((_, t) => t >= xs.length), padTo, length: xs.length, target: targetOf(ds, e.y) };
}

/** A made-up sequence x₁ … x_T when no dataset is bound. */
export function dummySteps(T: number): ExampleSteps {
  const sub = (n: number) => String(n).replace(/\d/g, (d) => '₀₁₂₃₄₅₆₇₈₉'[Number(d)]);
  const tokens = Array.from({ length: T }, (_, t) => `x${sub(t + 1)}`);
  return { tokens, padding: tokens.map(() => false), padTo: T, length: T, target: '' };
}
