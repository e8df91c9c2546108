/**
 * Forecasting series (sequence-regression, x [T][1], y [horizon]):
 * - noisy sine: windows of sin(2π t / period + phase) + noise·N(0, 1) with a random phase per
 *   example; the target is the next `horizon` values of the same noisy series.
 * - running sum: increments u_t ~ U(-1, 1); the target is their sum over the window (the model
 *   must integrate, a classic test of memory).
 */
import { gaussian, mulberry32, uniform } from '../random.ts';
import type { Dataset, Example } from '../tasks.ts';
import { SYNTHETIC_LICENCE, SYNTHETIC_SOURCE, type SyntheticOptions, withSplits } from './common.ts';

export interface SineOptions extends SyntheticOptions {
  length?: number;
  horizon?: number;
  period?: number;
  noise?: number;
}

export function noisySine(options: SineOptions = {}): Dataset {
  const T = options.length ?? 30;
  const horizon = options.horizon ?? 1;
  const period = options.period ?? 20;
  const noise = options.noise ?? 0.1;
  const rng = mulberry32(options.seed ?? 0);
  const examples: Example[] = [];
  for (let n = 0; n < (options.size ?? 2000); n++) {
    const phase = uniform(rng, 0, 2 * Math.PI);
    const values = Array.from({ length: T + horizon }, (_, t) => Math.sin((2 * Math.PI * t) / period + phase) + noise * gaussian(rng));
    examples.push({ x: values.slice(0, T).map((v) => [v]), y: values.slice(T) });
  }
  return withSplits(
    {
      id: 'noisy-sine',
      name: 'Noisy sine wave',
      description: `Windows of ${T} samples of a noisy sine (period ${period}); predict the next ${horizon}.`,
      source: SYNTHETIC_SOURCE,
      licence: SYNTHETIC_LICENCE,
      task: 'sequence-regression',
      inputs: { dtype: 'float32', featureSize: 1 },
      horizon,
    },
    examples,
    options,
  );
}

export interface RunningSumOptions extends SyntheticOptions {
  length?: number;
}

export function runningSum(options: RunningSumOptions = {}): Dataset {
  const T = options.length ?? 20;
  const rng = mulberry32(options.seed ?? 0);
  const examples: Example[] = [];
  for (let n = 0; n < (options.size ?? 2000); n++) {
    const u = Array.from({ length: T }, () => uniform(rng, -1, 1));
    examples.push({ x: u.map((v) => [v]), y: [u.reduce((a, b) => a + b, 0)] });
  }
  return withSplits(
    {
      id: 'running-sum',
      name: 'Running sum',
      description: `Sequences of ${T} random increments in [-1, 1); predict their sum.`,
      source: SYNTHETIC_SOURCE,
      licence: SYNTHETIC_LICENCE,
      task: 'sequence-regression',
      inputs: { dtype: 'float32', featureSize: 1 },
      horizon: 1,
    },
    examples,
    options,
  );
}
