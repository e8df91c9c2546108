/**
 * Train/validation/test splits, seeded and optionally stratified by label.
 *
 * Rounding rule (like `int(0.6 * n)` in the course notebooks): train = floor(n · train),
 * val = floor(n · val), test = the rest, so test absorbs the rounding (n = 11 → 6/2/3). A 1e-9
 * tolerance guards against binary float error (0.29 · 100 = 28.999…96 counts as 29).
 * Stratified: the totals are the same as without stratification; each class c gets
 * floor(n_c · fraction) per part, and the places still missing from the train and val totals go
 * to the classes with the largest remainders (ties: class order of first appearance); test takes
 * what is left of each class. Each class is shuffled on its own, then the parts are shuffled so
 * classes are interleaved.
 */
import { deriveSeed, mulberry32, shuffleInPlace } from './random.ts';

export interface SplitFractions {
  train: number;
  val: number;
  test: number;
}

export const DEFAULT_FRACTIONS: SplitFractions = { train: 0.6, val: 0.2, test: 0.2 };

export interface SplitOptions<T> {
  fractions?: SplitFractions;
  seed?: number;
  /** Shuffle before splitting (default true; false keeps order, e.g. for time series). */
  shuffle?: boolean;
  /** Label of an item, to stratify by. */
  stratifyBy?: (item: T) => string | number;
}

export interface Splits<T> {
  train: T[];
  val: T[];
  test: T[];
}

/** Checks that fractions are non-negative and sum to 1. */
export function validateFractions(f: SplitFractions): void {
  for (const [k, v] of Object.entries(f)) {
    if (!Number.isFinite(v) || v < 0) throw new Error(`Split fraction "${k}" must be a number >= 0, got ${v}.`);
  }
  const sum = f.train + f.val + f.test;
  if (Math.abs(sum - 1) > 1e-6) throw new Error(`Split fractions must sum to 1, got ${f.train} + ${f.val} + ${f.test} = ${sum}.`);
}

/** The sizes of the three parts for n items (see the rounding rule above). */
export function splitSizes(n: number, fractions: SplitFractions = DEFAULT_FRACTIONS): SplitFractions {
  validateFractions(fractions);
  const train = Math.min(n, Math.floor(n * fractions.train + 1e-9));
  const val = Math.min(n - train, Math.floor(n * fractions.val + 1e-9));
  return { train, val, test: n - train - val };
}

/** Per-class sizes for a stratified split whose totals equal splitSizes(sum of counts). */
export function stratifiedSizes(counts: readonly number[], fractions: SplitFractions = DEFAULT_FRACTIONS): SplitFractions[] {
  const total = splitSizes(
    counts.reduce((a, b) => a + b, 0),
    fractions,
  );
  const sizes = counts.map((n) => ({ ...splitSizes(n, fractions), n }));
  for (const part of ['train', 'val'] as const) {
    let missing = total[part] - sizes.reduce((a, s) => a + s[part], 0);
    const byRemainder = sizes
      .map((s, i) => ({ i, rest: s.n * fractions[part] - s[part] }))
      .sort((a, b) => b.rest - a.rest || a.i - b.i);
    for (const { i } of byRemainder) {
      if (missing <= 0) break;
      const s = sizes[i];
      if (s.train + s.val < s.n) {
        s[part]++;
        missing--;
      }
    }
  }
  return sizes.map((s) => ({ train: s.train, val: s.val, test: s.n - s.train - s.val }));
}

/** Splits items into train/val/test; the input array is not modified. */
export function splitDataset<T>(items: readonly T[], options: SplitOptions<T> = {}): Splits<T> {
  const fractions = options.fractions ?? DEFAULT_FRACTIONS;
  const seed = options.seed ?? 0;
  const shuffle = options.shuffle ?? true;
  if (!options.stratifyBy) {
    const order = items.slice();
    if (shuffle) shuffleInPlace(order, mulberry32(seed));
    const s = splitSizes(order.length, fractions);
    return {
      train: order.slice(0, s.train),
      val: order.slice(s.train, s.train + s.val),
      test: order.slice(s.train + s.val),
    };
  }
  const groups = new Map<string | number, T[]>();
  for (const item of items) {
    const key = options.stratifyBy(item);
    const g = groups.get(key);
    if (g) g.push(item);
    else groups.set(key, [item]);
  }
  const members = [...groups.values()];
  const alloc = stratifiedSizes(
    members.map((m) => m.length),
    fractions,
  );
  const out: Splits<T> = { train: [], val: [], test: [] };
  members.forEach((group, g) => {
    const order = group.slice();
    if (shuffle) shuffleInPlace(order, mulberry32(deriveSeed(seed, g + 1)));
    const a = alloc[g];
    out.train.push(...order.slice(0, a.train));
    out.val.push(...order.slice(a.train, a.train + a.val));
    out.test.push(...order.slice(a.train + a.val));
  });
  if (shuffle) {
    shuffleInPlace(out.train, mulberry32(deriveSeed(seed, 0, 1)));
    shuffleInPlace(out.val, mulberry32(deriveSeed(seed, 0, 2)));
    shuffleInPlace(out.test, mulberry32(deriveSeed(seed, 0, 3)));
  }
  return out;
}
