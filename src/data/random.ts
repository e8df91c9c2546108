/**
 * Seeded pseudo-random numbers: mulberry32 (a 32-bit generator, fast and good enough for
 * shuffling and synthetic data), seed derivation, Fisher–Yates shuffles and Gaussian samples.
 * Everything that is random in src/data takes a seed, so the same seed gives the same data.
 */

import { mulberry32, type Rng } from '../core/rng.ts';

export { mulberry32, type Rng };

/** Mixes a seed with integer salts (e.g. an epoch number) into a new uint32 seed (murmur3 finaliser). */
export function deriveSeed(seed: number, ...salts: number[]): number {
  let h = seed >>> 0;
  for (const salt of salts) {
    h = Math.imul(h ^ (salt >>> 0), 0x9e3779b1) >>> 0;
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b) >>> 0;
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35) >>> 0;
    h ^= h >>> 16;
  }
  return h >>> 0;
}

/** A uniform integer in [0, n). */
export function randInt(rng: Rng, n: number): number {
  return Math.floor(rng() * n);
}

/** A uniform float in [low, high). */
export function uniform(rng: Rng, low: number, high: number): number {
  return low + (high - low) * rng();
}

/** A standard normal sample (Box–Muller; uses two uniforms per call). */
export function gaussian(rng: Rng): number {
  const u = 1 - rng(); // (0, 1], avoids log(0)
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Fisher–Yates shuffle in place (from the last element down), returning the same array. */
export function shuffleInPlace<T>(items: T[], rng: Rng): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randInt(rng, i + 1);
    const tmp = items[i];
    items[i] = items[j];
    items[j] = tmp;
  }
  return items;
}

/** A shuffled copy; the input is left untouched. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  return shuffleInPlace(items.slice(), mulberry32(seed));
}

/** The permutation [0, n) shuffled with the given seed. */
export function permutation(n: number, seed: number): number[] {
  return shuffled(
    Array.from({ length: n }, (_, i) => i),
    seed,
  );
}
