/**
 * Vector → spelled word (one-to-many): the input is a one-hot vector of a digit 0–9 (optionally
 * with Gaussian noise), the target its English spelling as characters followed by <end>.
 * Character vocabulary: '' (0), '<start>' (1), '<end>' (2), then the letters used, a–z order.
 */
import { gaussian, mulberry32, randInt } from '../random.ts';
import type { Dataset, Example } from '../tasks.ts';
import { END, START, SYNTHETIC_LICENCE, SYNTHETIC_SOURCE, type SyntheticOptions, withSplits } from './common.ts';

export const DIGIT_WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'] as const;

export const SPELLING_VOCABULARY: readonly string[] = ['', START, END, ...[...new Set(DIGIT_WORDS.join(''))].sort()];

export interface SpelledDigitsOptions extends SyntheticOptions {
  /** Standard deviation of noise added to the one-hot vector (default 0). */
  noise?: number;
}

/** Character ids of a digit's spelling plus <end>. */
export function spellDigit(digit: number): number[] {
  return [...DIGIT_WORDS[digit]].map((c) => SPELLING_VOCABULARY.indexOf(c)).concat(2);
}

export function spelledDigits(options: SpelledDigitsOptions = {}): Dataset {
  const rng = mulberry32(options.seed ?? 0);
  const noise = options.noise ?? 0;
  const examples: Example[] = [];
  for (let n = 0; n < (options.size ?? 1000); n++) {
    const d = randInt(rng, 10);
    const x = Array.from({ length: 10 }, (_, i) => (i === d ? 1 : 0) + (noise > 0 ? noise * gaussian(rng) : 0));
    examples.push({ x, y: spellDigit(d) });
  }
  return withSplits(
    {
      id: 'digit-spelling',
      name: 'Spell a digit',
      description: 'A one-hot digit 0–9 in, its English spelling out, one character per step.',
      source: SYNTHETIC_SOURCE,
      licence: SYNTHETIC_LICENCE,
      task: 'vector-to-sequence',
      inputs: { dtype: 'float32', featureSize: 10 },
      numClasses: SPELLING_VOCABULARY.length,
      labels: SPELLING_VOCABULARY,
      startId: 1,
    },
    examples,
    options,
  );
}
