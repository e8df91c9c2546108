import { describe, expect, it } from 'vitest';
import { deriveSeed, gaussian, mulberry32, permutation, shuffled } from './random.ts';

describe('random', () => {
  it('mulberry32 is the reference generator', () => {
    const r = mulberry32(42);
    expect([r(), r(), r()]).toEqual([0.6011037519201636, 0.44829055899754167, 0.8524657934904099]);
  });
  it('seeded permutations and shuffles are reproducible and leave the input alone', () => {
    expect(permutation(10, 42)).toEqual([0, 7, 3, 5, 2, 1, 8, 9, 4, 6]);
    const input = ['a', 'b', 'c', 'd'];
    expect(shuffled(input, 7)).toEqual(shuffled(input, 7));
    expect(input).toEqual(['a', 'b', 'c', 'd']);
    expect([...shuffled(input, 7)].sort()).toEqual(input);
  });
  it('derives distinct, stable seeds', () => {
    expect(deriveSeed(42, 0)).toBe(1716251024);
    expect(deriveSeed(42, 1)).toBe(1197473426);
    expect(deriveSeed(42)).toBe(42);
  });
  it('gaussian samples have mean ≈ 0 and variance ≈ 1', () => {
    const r = mulberry32(1);
    const xs = Array.from({ length: 20000 }, () => gaussian(r));
    const mean = xs.reduce((a, b) => a + b) / xs.length;
    const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
  });
});
