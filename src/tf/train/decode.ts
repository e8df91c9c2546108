/**
 * Generation and decoding as plain TypeScript over a `step` function that gives, for each prefix,
 * the model's next-token probabilities (the worker wraps a model; tests use tables):
 *
 * - `sampleIndex(p, T, rand)`: temperature sampling, p_i^(1/T) renormalised; T = 0 is argmax.
 * - `sampleSequence(step, o)`: tokens drawn one at a time until `end` or `maxLength` (seeded).
 * - `beamSearch(step, o)`: the k most probable sequences (sum of log-probabilities, no length
 *   penalty); k = 1 is greedy decoding.
 */
import { mulberry32 } from '../../data/random.ts';

/** Next-token probabilities for each prefix (prefixes include the fixed start tokens). */
export type StepFn = (prefixes: readonly (readonly number[])[]) => readonly ArrayLike<number>[];

/** Index of the largest value (the first on ties). */
export function argmax(p: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < p.length; i++) if (p[i] > p[best]) best = i;
  return best;
}

/**
 * Draws an index from probabilities at a temperature: softmax(log p / T), which is p^(1/T)
 * renormalised (T < 1 sharpens, T > 1 flattens); T = 0 takes the argmax. `banned` ids are never drawn.
 */
export function sampleIndex(p: ArrayLike<number>, temperature: number, rand: () => number, banned: ReadonlySet<number> = new Set()): number {
  if (temperature <= 0) {
    let best = -1;
    for (let i = 0; i < p.length; i++) if (!banned.has(i) && (best < 0 || p[i] > p[best])) best = i;
    return Math.max(best, 0);
  }
  const logs = new Float64Array(p.length);
  let top = -Infinity;
  for (let i = 0; i < p.length; i++) {
    logs[i] = banned.has(i) || !(p[i] > 0) ? -Infinity : Math.log(p[i]) / temperature;
    if (logs[i] > top) top = logs[i];
  }
  let total = 0;
  for (let i = 0; i < p.length; i++) {
    logs[i] = Number.isFinite(logs[i]) ? Math.exp(logs[i] - top) : 0;
    total += logs[i];
  }
  let r = rand() * total;
  for (let i = 0; i < p.length; i++) {
    r -= logs[i];
    if (r < 0 && logs[i] > 0) return i;
  }
  return argmax(logs);
}

export interface SampleOptions {
  /** Tokens the sequence starts with (the <start> token, a prompt). */
  readonly prefix: readonly number[];
  readonly end: number;
  readonly maxLength: number;
  readonly temperature: number;
  readonly seed: number;
  /** Never drawn (padding, <start>). */
  readonly banned?: readonly number[];
}

/** One sequence drawn token by token (the generated tokens, without the prefix; `end` excluded). */
export function sampleSequence(step: StepFn, o: SampleOptions): { tokens: number[]; ended: boolean; probabilities: number[] } {
  const rand = mulberry32(o.seed >>> 0);
  const banned = new Set(o.banned ?? []);
  const tokens: number[] = [];
  const probabilities: number[] = [];
  for (let t = 0; t < o.maxLength; t++) {
    const [p] = step([[...o.prefix, ...tokens]]);
    const id = sampleIndex(p, o.temperature, rand, banned);
    if (id === o.end) return { tokens, ended: true, probabilities };
    tokens.push(id);
    probabilities.push(p[id]);
  }
  return { tokens, ended: false, probabilities };
}

export interface Beam {
  /** Generated tokens (without the prefix and the end token). */
  readonly tokens: number[];
  /** Sum of log-probabilities of the tokens (and of the end token, when ended). */
  readonly logProb: number;
  readonly ended: boolean;
}

export interface BeamOptions {
  readonly prefix: readonly number[];
  readonly end: number;
  readonly maxLength: number;
  /** Beam width (1 = greedy). */
  readonly k: number;
  readonly banned?: readonly number[];
}

/**
 * Beam search: each step extends every unfinished beam by its k most probable next tokens and
 * keeps the k best candidates overall (finished beams compete with their final score); stops when
 * every kept beam has ended or `maxLength` tokens were made. Returns the beams best first.
 */
export function beamSearch(step: StepFn, o: BeamOptions): Beam[] {
  const k = Math.max(1, Math.floor(o.k));
  const banned = new Set(o.banned ?? []);
  let beams: Beam[] = [{ tokens: [], logProb: 0, ended: false }];
  for (let t = 0; t < o.maxLength && beams.some((b) => !b.ended); t++) {
    const open = beams.filter((b) => !b.ended);
    const probs = step(open.map((b) => [...o.prefix, ...b.tokens]));
    const candidates: Beam[] = beams.filter((b) => b.ended);
    open.forEach((b, i) => {
      const p = probs[i];
      const order = Array.from({ length: p.length }, (_, j) => j).filter((j) => !banned.has(j) && p[j] > 0).sort((a, c) => p[c] - p[a]).slice(0, k);
      for (const j of order) {
        const logProb = b.logProb + Math.log(p[j]);
        candidates.push(j === o.end ? { tokens: b.tokens, logProb, ended: true } : { tokens: [...b.tokens, j], logProb, ended: false });
      }
    });
    beams = candidates.sort((a, c) => c.logProb - a.logProb).slice(0, k);
  }
  return beams;
}
