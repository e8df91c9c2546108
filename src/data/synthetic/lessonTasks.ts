/**
 * Small tasks sized for the Keras lesson's own models, so each model of the lesson path trains on
 * data of exactly the input shape the lesson gives it:
 *
 * - marked XOR (T = 32, 5 features; the stacked SimpleRNN's Input(32, 5)): random bits a and b, a
 *   marker at one of the last steps, two noise channels; the label is whether a ≠ b at the marked
 *   step. XOR is not a weighted sum of a and b: one layer computes it at every step, the next keeps
 *   the value at the marked step.
 * - look-ahead tagging (T = 64, 7 features; the Bidirectional SimpleRNN's Input(64, 7)): one of 7
 *   symbols per step (one-hot); the tag of a step is the symbol that comes next (the last step: end).
 *   Only a layer that reads the sequence backwards can know it.
 * - majority symbol (T = 8…24, 12 features; the stacked LSTMs' Input(None, 12)): one-hot symbols; the
 *   label is the one that occurs most often — twelve counts to keep in the cell state.
 * - running leader (T = 8, 4 features; the return_state LSTM's Input(8, 4)): four scores per step;
 *   the tag of each step is the channel with the largest running total so far.
 */
import { mulberry32, randInt, uniform } from '../random.ts';
import type { Dataset, Example } from '../tasks.ts';
import { SYNTHETIC_LICENCE, SYNTHETIC_SOURCE, type SyntheticOptions, withSplits } from './common.ts';

const oneHot = (k: number, n: number) => Array.from({ length: n }, (_, i) => (i === k ? 1 : 0));

export const MARKED_XOR_LENGTH = 32;
export const MARKED_XOR_LABELS: readonly string[] = ['same', 'different'];

export interface MarkedXorOptions extends SyntheticOptions {
  /** The marked step is one of the last `window` steps (default 8). */
  window?: number;
}

export function markedXor(options: MarkedXorOptions = {}): Dataset {
  const T = MARKED_XOR_LENGTH;
  const window = Math.min(T, Math.max(1, options.window ?? 8));
  const rng = mulberry32(options.seed ?? 0);
  const examples: Example[] = [];
  for (let n = 0; n < (options.size ?? 2000); n++) {
    const marked = T - window + randInt(rng, window);
    const x = Array.from({ length: T }, (_, t) => [rng() < 0.5 ? 1 : 0, rng() < 0.5 ? 1 : 0, t === marked ? 1 : 0, rng(), rng()]);
    examples.push({ x, y: x[marked][0] !== x[marked][1] ? 1 : 0 });
  }
  return withSplits(
    {
      id: 'marked-xor',
      name: 'Do the two bits differ at the marked step?',
      description: `Sequences of ${T} steps with 5 features: bits a and b, a marker (1 at one of the last ${window} steps) and two noise channels. The label: whether a ≠ b at the marked step (chance: 1 in 2).`,
      source: SYNTHETIC_SOURCE,
      licence: SYNTHETIC_LICENCE,
      task: 'sequence-classification',
      inputs: { dtype: 'float32', featureSize: 5 },
      numClasses: 2,
      labels: MARKED_XOR_LABELS,
    },
    examples,
    options,
  );
}

export const LOOK_AHEAD_LENGTH = 64;
export const LOOK_AHEAD_SYMBOLS = 7;
/** Tags: '' (padding), the 7 symbols, and 'end' for the last step. */
export const LOOK_AHEAD_TAGS: readonly string[] = ['', ...Array.from({ length: LOOK_AHEAD_SYMBOLS }, (_, i) => `s${i}`), 'end'];

export function lookAhead(options: SyntheticOptions = {}): Dataset {
  const T = LOOK_AHEAD_LENGTH, S = LOOK_AHEAD_SYMBOLS;
  const rng = mulberry32(options.seed ?? 0);
  const examples: Example[] = [];
  for (let n = 0; n < (options.size ?? 1000); n++) {
    const s = Array.from({ length: T }, () => randInt(rng, S));
    examples.push({ x: s.map((k) => oneHot(k, S)), y: s.map((_, t) => (t + 1 < T ? 1 + s[t + 1] : S + 1)) });
  }
  return withSplits(
    {
      id: 'look-ahead',
      name: 'Tag each step with the next symbol',
      description: `Sequences of ${T} one-hot symbols (7 kinds); the tag of each step is the symbol that comes next. A forward-only RNN can only guess (1 in 7); reading backwards solves it.`,
      source: SYNTHETIC_SOURCE,
      licence: SYNTHETIC_LICENCE,
      task: 'sequence-labelling',
      inputs: { dtype: 'float32', featureSize: S },
      numClasses: LOOK_AHEAD_TAGS.length,
      labels: LOOK_AHEAD_TAGS,
    },
    examples,
    options,
  );
}

export const MAJORITY_SYMBOLS = 12;
export const MAJORITY_LABELS: readonly string[] = Array.from({ length: MAJORITY_SYMBOLS }, (_, i) => `s${i}`);

export interface MajorityOptions extends SyntheticOptions {
  minLength?: number;
  maxLength?: number;
}

export function majoritySymbol(options: MajorityOptions = {}): Dataset {
  const S = MAJORITY_SYMBOLS;
  const minLength = options.minLength ?? 8, maxLength = options.maxLength ?? 24;
  if (minLength < 1 || maxLength < minLength) throw new Error(`Need 1 <= minLength <= maxLength, got ${minLength} and ${maxLength}.`);
  const rng = mulberry32(options.seed ?? 0);
  const examples: Example[] = [];
  for (let n = 0; n < (options.size ?? 2000); n++) {
    const len = minLength + randInt(rng, maxLength - minLength + 1);
    // Redraw until one symbol is strictly the most frequent.
    for (;;) {
      const s = Array.from({ length: len }, () => randInt(rng, S));
      const counts = Array<number>(S).fill(0);
      s.forEach((k) => counts[k]++);
      const top = Math.max(...counts);
      if (counts.filter((c) => c === top).length !== 1) continue;
      examples.push({ x: s.map((k) => oneHot(k, S)), y: counts.indexOf(top) });
      break;
    }
  }
  return withSplits(
    {
      id: 'majority-symbol',
      name: 'The most frequent symbol',
      description: `Sequences of ${minLength}–${maxLength} one-hot symbols (12 kinds); the label is the symbol that occurs most often (chance: 1 in 12).`,
      source: SYNTHETIC_SOURCE,
      licence: SYNTHETIC_LICENCE,
      task: 'sequence-classification',
      inputs: { dtype: 'float32', featureSize: S },
      numClasses: S,
      labels: MAJORITY_LABELS,
    },
    examples,
    options,
  );
}

export const RUNNING_LEADER_LENGTH = 8;
export const RUNNING_LEADER_TAGS: readonly string[] = ['', 'a', 'b', 'c', 'd'];

export function runningLeader(options: SyntheticOptions = {}): Dataset {
  const T = RUNNING_LEADER_LENGTH;
  const rng = mulberry32(options.seed ?? 0);
  const examples: Example[] = [];
  for (let n = 0; n < (options.size ?? 2000); n++) {
    const totals = [0, 0, 0, 0];
    const x: number[][] = [], y: number[] = [];
    for (let t = 0; t < T; t++) {
      const step = totals.map(() => uniform(rng, -1, 1));
      step.forEach((v, k) => (totals[k] += v));
      x.push(step);
      y.push(1 + totals.indexOf(Math.max(...totals)));
    }
    examples.push({ x, y });
  }
  return withSplits(
    {
      id: 'running-leader',
      name: 'Who is leading so far?',
      description: `Sequences of ${T} steps of 4 scores in [-1, 1); the tag of each step is the channel (a–d) with the largest total so far.`,
      source: SYNTHETIC_SOURCE,
      licence: SYNTHETIC_LICENCE,
      task: 'sequence-labelling',
      inputs: { dtype: 'float32', featureSize: 4 },
      numClasses: RUNNING_LEADER_TAGS.length,
      labels: RUNNING_LEADER_TAGS,
    },
    examples,
    options,
  );
}
