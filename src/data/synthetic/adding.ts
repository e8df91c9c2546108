/**
 * The adding problem (Hochreiter & Schmidhuber 1997, in the form used by Le, Jaitly & Hinton 2015
 * and later papers): each step is a pair (value, marker) with value ~ U[0, 1); exactly two
 * markers are 1, one in the first half and one in the second half; the target is the sum of the
 * two marked values. Predicting the mean (1) gives MSE ≈ 0.167; a model that remembers over
 * T steps gets close to 0. Shapes: x [T][2], y [1].
 */
import { mulberry32, randInt } from '../random.ts';
import type { Dataset, Example } from '../tasks.ts';
import { SYNTHETIC_LICENCE, type SyntheticOptions, withSplits } from './common.ts';

export interface AddingOptions extends SyntheticOptions {
  /** Sequence length T (≥ 2). */
  length?: number;
}

/** One adding-problem example from an rng. */
export function addingExample(rng: () => number, T: number): Example {
  const x: number[][] = [];
  for (let t = 0; t < T; t++) x.push([rng(), 0]);
  const half = Math.floor(T / 2);
  const i = randInt(rng, half);
  const j = half + randInt(rng, T - half);
  x[i][1] = 1;
  x[j][1] = 1;
  return { x, y: [x[i][0] + x[j][0]] };
}

export function addingProblem(options: AddingOptions = {}): Dataset {
  const T = options.length ?? 50;
  if (!Number.isInteger(T) || T < 2) throw new Error(`The adding problem needs a length of at least 2, got ${T}.`);
  const size = options.size ?? 2000;
  const rng = mulberry32(options.seed ?? 0);
  const examples = Array.from({ length: size }, () => addingExample(rng, T));
  return withSplits(
    {
      id: `adding-${T}`,
      name: `Adding problem (T = ${T})`,
      description: `Sequences of ${T} (value, marker) pairs; predict the sum of the two marked values. Baseline MSE ≈ 0.167.`,
      source: 'Hochreiter & Schmidhuber (1997), Long Short-Term Memory, Neural Computation 9(8); generated.',
      licence: SYNTHETIC_LICENCE,
      task: 'sequence-regression',
      inputs: { dtype: 'float32', featureSize: 2 },
      horizon: 1,
    },
    examples,
    options,
  );
}
