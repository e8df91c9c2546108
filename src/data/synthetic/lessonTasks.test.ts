/** The lesson-sized tasks: shapes as the lesson's models take them, and labels computed as documented. */
import { describe, expect, it } from 'vitest';
import { datasetSignature, type Example } from '../tasks.ts';
import { addingProblem } from './adding.ts';
import { LOOK_AHEAD_TAGS, lookAhead, majoritySymbol, markedXor, RUNNING_LEADER_TAGS, runningLeader } from './lessonTasks.ts';

const all = (ds: { train: Example[]; val: Example[]; test: Example[] }) => [...ds.train, ...ds.val, ...ds.test];
const argmax = (v: readonly number[]) => v.indexOf(Math.max(...v));

describe('lesson tasks', () => {
  it('marked XOR: (32, 5) steps, one marker in the last 8 steps, label = a ≠ b there', () => {
    const ds = markedXor({ size: 300, seed: 3 });
    expect(datasetSignature(ds).inputs[0].shape).toEqual([null, null, 5]);
    let ones = 0;
    for (const e of all(ds)) {
      const x = e.x as number[][];
      expect(x).toHaveLength(32);
      const marked = x.flatMap((s, t) => (s[2] === 1 ? [t] : []));
      expect(marked).toHaveLength(1);
      expect(marked[0]).toBeGreaterThanOrEqual(24);
      expect(e.y).toBe(x[marked[0]][0] !== x[marked[0]][1] ? 1 : 0);
      ones += e.y as number;
    }
    expect(ones / 300).toBeGreaterThan(0.4);
    expect(ones / 300).toBeLessThan(0.6);
    expect(markedXor({ size: 50, seed: 1, window: 32 }).train.some((e) => (e.x as number[][]).findIndex((s) => s[2] === 1) < 24)).toBe(true);
  });

  it('look-ahead: (64, 7) one-hot steps, each tagged with the next symbol (the last with end)', () => {
    const ds = lookAhead({ size: 40, seed: 2 });
    for (const e of all(ds)) {
      const x = e.x as number[][], y = e.y as number[];
      expect(x).toHaveLength(64);
      expect(y).toHaveLength(64);
      for (let t = 0; t < 63; t++) expect(LOOK_AHEAD_TAGS[y[t]]).toBe(`s${argmax(x[t + 1])}`);
      expect(LOOK_AHEAD_TAGS[y[63]]).toBe('end');
    }
    expect(ds.numClasses).toBe(9);
  });

  it('majority symbol: 8–24 one-hot steps of 12 symbols, label = the strictly most frequent one', () => {
    const ds = majoritySymbol({ size: 100, seed: 5 });
    const lengths = new Set<number>();
    for (const e of all(ds)) {
      const x = e.x as number[][];
      lengths.add(x.length);
      expect(x.length).toBeGreaterThanOrEqual(8);
      expect(x.length).toBeLessThanOrEqual(24);
      const counts = Array(12).fill(0);
      x.forEach((s) => counts[argmax(s)]++);
      const top = Math.max(...counts);
      expect(counts.filter((c) => c === top)).toHaveLength(1);
      expect(e.y).toBe(counts.indexOf(top));
    }
    expect(lengths.size).toBeGreaterThan(5);
    expect(() => majoritySymbol({ minLength: 5, maxLength: 4 })).toThrow('Need 1 <= minLength <= maxLength');
  });

  it('running leader: (8, 4) scores, each step tagged with the channel leading so far', () => {
    for (const e of all(runningLeader({ size: 60, seed: 4 }))) {
      const x = e.x as number[][], y = e.y as number[];
      const totals = [0, 0, 0, 0];
      x.forEach((s, t) => {
        s.forEach((v, k) => (totals[k] += v));
        expect(RUNNING_LEADER_TAGS[y[t]]).toBe('abcd'[argmax(totals)]);
      });
    }
  });

  it('adding problem at T = 10 (the lesson\'s first input shape)', () => {
    const ds = addingProblem({ length: 10, size: 20 });
    expect(ds.id).toBe('adding-10');
    expect((ds.train[0].x as number[][])[0]).toHaveLength(2);
  });
});
