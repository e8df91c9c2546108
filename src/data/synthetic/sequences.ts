/**
 * Sequence copy and reversal as seq2seq tasks over integer tokens. Vocabulary: '' (0, padding),
 * '<start>' (1), '<end>' (2), then the symbols 'a', 'b', …. x = the symbol ids, y = the copied or
 * reversed ids followed by <end>; the decoder input is [<start>, …y[:-1]] (teacher forcing).
 */
import { mulberry32, randInt } from '../random.ts';
import type { Dataset, Example } from '../tasks.ts';
import { END, START, SYNTHETIC_LICENCE, SYNTHETIC_SOURCE, type SyntheticOptions, withSplits } from './common.ts';

export interface SequenceTaskOptions extends SyntheticOptions {
  /** Number of distinct symbols (1–26). */
  symbols?: number;
  minLength?: number;
  maxLength?: number;
}

export const SYMBOL_OFFSET = 3;

/** '' , <start>, <end>, a, b, … */
export function symbolVocabulary(symbols: number): string[] {
  return ['', START, END, ...Array.from({ length: symbols }, (_, i) => String.fromCharCode(97 + i))];
}

function generate(mode: 'copy' | 'reverse', options: SequenceTaskOptions): Dataset {
  const symbols = options.symbols ?? 8;
  const minLength = options.minLength ?? 3;
  const maxLength = options.maxLength ?? 10;
  if (symbols < 1 || symbols > 26) throw new Error(`symbols must be between 1 and 26, got ${symbols}.`);
  if (minLength < 1 || maxLength < minLength) throw new Error(`Need 1 <= minLength <= maxLength, got ${minLength} and ${maxLength}.`);
  const rng = mulberry32(options.seed ?? 0);
  const examples: Example[] = [];
  for (let n = 0; n < (options.size ?? 2000); n++) {
    const len = minLength + randInt(rng, maxLength - minLength + 1);
    const x = Array.from({ length: len }, () => SYMBOL_OFFSET + randInt(rng, symbols));
    const body = mode === 'copy' ? x.slice() : x.slice().reverse();
    examples.push({ x, y: [...body, 2] });
  }
  const vocabulary = symbolVocabulary(symbols);
  return withSplits(
    {
      id: mode === 'copy' ? 'copy' : 'reverse',
      name: mode === 'copy' ? 'Sequence copy' : 'Sequence reversal',
      description: `${mode === 'copy' ? 'Copy' : 'Reverse'} a sequence of ${minLength}–${maxLength} symbols from ${symbols}; an encoder–decoder task.`,
      source: SYNTHETIC_SOURCE,
      licence: SYNTHETIC_LICENCE,
      task: 'seq2seq',
      inputs: { dtype: 'int32', vocabulary },
      numClasses: vocabulary.length,
      labels: vocabulary,
      startId: 1,
    },
    examples,
    options,
  );
}

export function copyTask(options: SequenceTaskOptions = {}): Dataset {
  return generate('copy', options);
}

export function reversalTask(options: SequenceTaskOptions = {}): Dataset {
  return generate('reverse', options);
}
