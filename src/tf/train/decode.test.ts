/** Sampling and beam search by hand: temperature 0 = argmax, seeded sampling reproducible, beam 1 = greedy, a case where beam 3 beats greedy. */
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../data/random.ts';
import { argmax, beamSearch, sampleIndex, sampleSequence, type StepFn } from './decode.ts';

describe('sampleIndex', () => {
  it('temperature 0 is the argmax, whatever the random numbers', () => {
    const p = [0.1, 0.5, 0.4];
    for (const r of [0, 0.3, 0.99]) expect(sampleIndex(p, 0, () => r)).toBe(1);
    expect(sampleIndex(p, 0, () => 0.5, new Set([1]))).toBe(2);
  });
  it('temperature T draws from p^(1/T) renormalised (counts over many draws)', () => {
    const p = [0.2, 0.8];
    const rand = mulberry32(1);
    const draws = (T: number) => {
      let ones = 0;
      for (let i = 0; i < 20000; i++) ones += sampleIndex(p, T, rand);
      return ones / 20000;
    };
    expect(draws(1)).toBeCloseTo(0.8, 1);
    // T = 0.5: 0.8² / (0.2² + 0.8²) = 0.941; T = 2: √0.8 / (√0.2 + √0.8) = 0.667
    expect(draws(0.5)).toBeCloseTo(0.941, 1);
    expect(draws(2)).toBeCloseTo(2 / 3, 1);
  });
  it('with the inverse CDF: r below p₀ gives 0, above gives 1', () => {
    expect(sampleIndex([0.3, 0.7], 1, () => 0.29)).toBe(0);
    expect(sampleIndex([0.3, 0.7], 1, () => 0.31)).toBe(1);
  });
});

/** A language model as a table: the next-token probabilities after a prefix. */
const table = (t: Record<string, number[]>): StepFn => (prefixes) => prefixes.map((p) => t[p.join(',')] ?? t['*']);

describe('sampleSequence', () => {
  const step = table({ '1': [0, 0, 0.1, 0.45, 0.45], '*': [0, 0, 0.3, 0.35, 0.35] }); // 2 = <end>
  it('the same seed draws the same sequence; another seed another one; T = 0 is greedy', () => {
    const o = { prefix: [1], end: 2, maxLength: 12, temperature: 1, seed: 7, banned: [0, 1] };
    expect(sampleSequence(step, o)).toEqual(sampleSequence(step, o));
    const seqs = new Set(Array.from({ length: 8 }, (_, s) => sampleSequence(step, { ...o, seed: s }).tokens.join(' ')));
    expect(seqs.size).toBeGreaterThan(1);
    const greedy = sampleSequence(step, { ...o, temperature: 0 });
    expect(greedy).toEqual({ tokens: Array(12).fill(3), ended: false, probabilities: [0.45, ...Array(11).fill(0.35)] });
  });
});

describe('beamSearch', () => {
  // A (3) then anything is 0.6 × 0.5; B (4) then A is 0.4 × 0.9 = 0.36: greedy misses it.
  const step = table({
    '1': [0, 0, 0, 0.6, 0.4],
    '1,3': [0, 0, 0, 0.5, 0.5],
    '1,4': [0, 0, 0, 0.9, 0.1],
    '*': [0, 0, 1, 0, 0],
  });
  const o = { prefix: [1], end: 2, maxLength: 5 };
  it('k = 1 is greedy decoding', () => {
    const greedy: number[] = [];
    for (;;) {
      const id = argmax(step([[1, ...greedy]])[0]);
      if (id === 2) break;
      greedy.push(id);
    }
    const [best] = beamSearch(step, { ...o, k: 1 });
    expect(best.tokens).toEqual(greedy);
    expect(best.tokens).toEqual([3, 3]);
    expect(best.logProb).toBeCloseTo(Math.log(0.3), 10);
  });
  it('beam 3 finds the more probable sequence greedy misses', () => {
    const beams = beamSearch(step, { ...o, k: 3 });
    expect(beams[0]).toEqual({ tokens: [4, 3], logProb: expect.closeTo(Math.log(0.36), 10), ended: true });
    expect(beams.map((b) => b.tokens.join(''))).toEqual(['43', '33', '34']);
    expect(beams[0].logProb).toBeGreaterThan(beamSearch(step, { ...o, k: 1 })[0].logProb);
  });
});
