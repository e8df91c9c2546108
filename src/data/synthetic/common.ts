/**
 * Helpers shared by the synthetic generators: options every generator accepts and the step that
 * turns generated examples into a split Dataset (seeded 60/20/20 by default).
 */
import { deriveSeed } from '../random.ts';
import { DEFAULT_FRACTIONS, splitDataset, type SplitFractions } from '../split.ts';
import type { Dataset, Example } from '../tasks.ts';

export interface SyntheticOptions {
  /** Number of examples before splitting. */
  size?: number;
  seed?: number;
  fractions?: SplitFractions;
}

export const SYNTHETIC_SOURCE = 'Generated in the browser by Unroll (seeded, src/data/synthetic).';
export const SYNTHETIC_LICENCE = 'Generated data; no licence restrictions (CC0).';

/** Splits generated examples with a seed derived from the generator's seed. */
export function withSplits(
  meta: Omit<Dataset, 'train' | 'val' | 'test'>,
  examples: Example[],
  options: SyntheticOptions,
): Dataset {
  const parts = splitDataset(examples, {
    fractions: options.fractions ?? DEFAULT_FRACTIONS,
    seed: deriveSeed(options.seed ?? 0, 0x5eed),
  });
  return { ...meta, ...parts };
}

/** Start/end markers used by every seq2seq-style synthetic vocabulary (ids 1 and 2). */
export const START = '<start>';
export const END = '<end>';
