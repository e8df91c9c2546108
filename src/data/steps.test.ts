import { describe, expect, it } from 'vitest';
import { dummySteps, exampleSteps } from './steps.ts';
import { makeSyntheticDataset } from './synthetic.ts';

describe('example steps', () => {
  it('token texts, padded to the longest example of the batch', () => {
    const ds = makeSyntheticDataset('airline-sentiment', { size: 100, seed: 2 });
    const s = exampleSteps(ds, 'test', 0, 8)!;
    const longest = Math.max(...ds.test.slice(0, 8).map((e) => e.x.length));
    expect(s.padTo).toBe(longest);
    expect(s.tokens).toHaveLength(longest);
    expect(s.tokens.slice(0, s.length).every((t) => t.length > 0)).toBe(true);
    expect(s.padding.filter(Boolean)).toHaveLength(longest - s.length);
    expect(['negative', 'neutral', 'positive']).toContain(s.target);
  });

  it('float rows become their numbers; a dummy sequence is x₁ … x_T', () => {
    const ds = makeSyntheticDataset('adding-50', { size: 20, seed: 1 });
    const s = exampleSteps(ds, 'train', 0)!;
    expect(s.tokens).toHaveLength(50);
    expect(s.tokens[0]).toMatch(/^0\.\d\d [01]$/);
    expect(dummySteps(3).tokens).toEqual(['x₁', 'x₂', 'x₃']);
  });
});
