import { describe, expect, it } from 'vitest';
import { splitDataset, splitSizes, stratifiedSizes } from './split.ts';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('splitSizes', () => {
  it('floors train and val, test takes the rest', () => {
    expect(splitSizes(10)).toEqual({ train: 6, val: 2, test: 2 });
    expect(splitSizes(11)).toEqual({ train: 6, val: 2, test: 3 });
    expect(splitSizes(7)).toEqual({ train: 4, val: 1, test: 2 });
    expect(splitSizes(15)).toEqual({ train: 9, val: 3, test: 3 });
    expect(splitSizes(0)).toEqual({ train: 0, val: 0, test: 0 });
    expect(splitSizes(100, { train: 0.29, val: 0.31, test: 0.4 })).toEqual({ train: 29, val: 31, test: 40 });
    expect(splitSizes(10, { train: 1, val: 0, test: 0 })).toEqual({ train: 10, val: 0, test: 0 });
  });
  it('rejects fractions that do not sum to 1 or are negative', () => {
    expect(() => splitSizes(10, { train: 0.6, val: 0.2, test: 0.1 })).toThrow('Split fractions must sum to 1, got 0.6 + 0.2 + 0.1');
    expect(() => splitSizes(10, { train: 1.2, val: -0.2, test: 0 })).toThrow('Split fraction "val" must be a number >= 0, got -0.2.');
  });
});

describe('splitDataset', () => {
  it('is a seeded partition', () => {
    const a = splitDataset(range(10), { seed: 42 });
    expect(a).toEqual({ train: [0, 7, 3, 5, 2, 1], val: [8, 9], test: [4, 6] });
    expect(splitDataset(range(10), { seed: 42 })).toEqual(a);
    expect(splitDataset(range(10), { seed: 43 })).not.toEqual(a);
  });
  it('keeps order when shuffle is false', () => {
    expect(splitDataset(range(5), { shuffle: false })).toEqual({ train: [0, 1, 2], val: [3], test: [4] });
  });
  it('stratifies with the same totals, spreading remainders by size', () => {
    expect(stratifiedSizes([7, 4, 4])).toEqual([
      { train: 4, val: 1, test: 2 },
      { train: 3, val: 1, test: 0 },
      { train: 2, val: 1, test: 1 },
    ]);
    const items = [...range(50).map((i) => ({ i, c: 'a' })), ...range(30).map((i) => ({ i, c: 'b' })), ...range(20).map((i) => ({ i, c: 'c' }))];
    const s = splitDataset(items, { seed: 1, stratifyBy: (x) => x.c });
    const count = (xs: typeof items, c: string) => xs.filter((x) => x.c === c).length;
    expect([s.train.length, s.val.length, s.test.length]).toEqual([60, 20, 20]);
    expect(['a', 'b', 'c'].map((c) => [count(s.train, c), count(s.val, c), count(s.test, c)])).toEqual([
      [30, 10, 10],
      [18, 6, 6],
      [12, 4, 4],
    ]);
    const all = [...s.train, ...s.val, ...s.test].map((x) => `${x.c}${x.i}`).sort();
    expect(new Set(all).size).toBe(100);
    expect(splitDataset(items, { seed: 1, stratifyBy: (x) => x.c })).toEqual(s);
  });
});
