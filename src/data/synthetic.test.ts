import { describe, expect, it } from 'vitest';
import { datasetBatchOptions, makeBatches } from './batching.ts';
import { addingProblem, copyTask, makeSyntheticDataset, noisySine, reversalTask, runningSum, SPELLING_VOCABULARY, spellDigit, spelledDigits, SYNTHETIC_DATASETS, toyTagging, TOY_WORDS, POS_TAGS } from './synthetic.ts';
import { datasetSignature, type Example } from './tasks.ts';

const all = (ds: { train: Example[]; val: Example[]; test: Example[] }) => [...ds.train, ...ds.val, ...ds.test];

describe('synthetic datasets', () => {
  it('every registered dataset is deterministic per seed, split 60/20/20 and batchable', () => {
    for (const info of SYNTHETIC_DATASETS) {
      const a = makeSyntheticDataset(info.id, { size: 50, seed: 7 });
      expect(makeSyntheticDataset(info.id, { size: 50, seed: 7 })).toEqual(a);
      expect(makeSyntheticDataset(info.id, { size: 50, seed: 8 })).not.toEqual(a);
      // Every set has 50 examples, except the tweets, which drop labels with confidence ≤ 0.5 first.
      const n = a.train.length + a.val.length + a.test.length;
      if (info.id === 'airline-sentiment') expect(n).toBeLessThan(50);
      else expect(n).toBe(50);
      expect([a.train.length, a.val.length]).toEqual([Math.floor(0.6 * n), Math.floor(0.2 * n)]);
      expect(a.task).toBe(info.task);
      const [batch] = makeBatches(a.train, datasetBatchOptions(a, 4));
      expect(batch.shape[0]).toBe(4);
      expect(datasetSignature(a).kind).toBe(info.task);
    }
    expect(() => makeSyntheticDataset('nope')).toThrow('Unknown synthetic dataset "nope". Known: airline-sentiment, adding-10, adding-50,');
  });

  it('adding problem: two markers, one per half, target = sum of marked values', () => {
    for (const T of [50, 100, 200]) {
      const ds = addingProblem({ length: T, size: 40, seed: 1 });
      expect(ds.id).toBe(`adding-${T}`);
      for (const e of all(ds)) {
        const x = e.x as number[][];
        expect(x).toHaveLength(T);
        const marked = x.flatMap((step, t) => (step[1] === 1 ? [t] : []));
        expect(marked).toHaveLength(2);
        expect(marked[0]).toBeLessThan(T / 2);
        expect(marked[1]).toBeGreaterThanOrEqual(T / 2);
        expect((e.y as number[])[0]).toBeCloseTo(x[marked[0]][0] + x[marked[1]][0], 12);
      }
    }
    expect(makeSyntheticDataset('adding-50', { size: 10, seed: 42 })).toEqual(addingProblem({ length: 50, size: 10, seed: 42 }));
    // Pinned values: seed 1 always yields exactly this example.
    expect(addingProblem({ length: 4, size: 5, seed: 1 }).train[0]).toEqual({
      x: [
        [0.590382493333891, 0],
        [0.7986842156387866, 1],
        [0.29486987087875605, 0],
        [0.2054697866551578, 1],
      ],
      y: [1.0041540022939444],
    });
  });

  it('copy and reversal: y is x (or reversed) followed by <end>', () => {
    const copy = copyTask({ size: 30, seed: 3 });
    expect(copy.labels?.slice(0, 5)).toEqual(['', '<start>', '<end>', 'a', 'b']);
    for (const e of all(copy)) expect(e.y).toEqual([...(e.x as number[]), 2]);
    expect(copyTask({ size: 5, seed: 1 }).test).toEqual([{ x: [4, 3, 6, 7, 9], y: [4, 3, 6, 7, 9, 2] }]);
    for (const e of all(reversalTask({ size: 30, seed: 3 }))) expect(e.y).toEqual([...(e.x as number[]).slice().reverse(), 2]);
    for (const e of all(copy)) {
      expect((e.x as number[]).length).toBeGreaterThanOrEqual(3);
      expect((e.x as number[]).length).toBeLessThanOrEqual(10);
      expect(Math.min(...(e.x as number[]))).toBeGreaterThanOrEqual(3);
    }
  });

  it('toy grammar: aligned tags, "light" gets several tags', () => {
    const ds = toyTagging({ size: 400, seed: 2 });
    expect(TOY_WORDS.slice(0, 4)).toEqual(['', '[UNK]', 'a', 'again']);
    expect(POS_TAGS).toEqual(['', 'DET', 'ADJ', 'NOUN', 'VERB', 'PRON', 'ADV']);
    const light = TOY_WORDS.indexOf('light');
    const tags = new Set<string>();
    for (const e of all(ds)) {
      const x = e.x as number[];
      const y = e.y as number[];
      expect(y).toHaveLength(x.length);
      x.forEach((w, t) => w === light && tags.add(POS_TAGS[y[t]]));
    }
    expect([...tags].sort()).toEqual(['ADJ', 'NOUN', 'VERB']);
    const sentences = toyTagging({ size: 5, seed: 1 }).train.map(
      (e) => `${(e.x as number[]).map((i) => TOY_WORDS[i]).join(' ')} / ${(e.y as number[]).map((i) => POS_TAGS[i]).join(' ')}`,
    );
    expect(sentences).toEqual([
      'they find the red cat again / PRON VERB DET ADJ NOUN ADV',
      'they watch this bird / PRON VERB DET NOUN',
      'i find the box / PRON VERB DET NOUN',
    ]);
  });

  it('spelled digits: one-hot in, characters + <end> out', () => {
    expect(SPELLING_VOCABULARY).toEqual(['', '<start>', '<end>', 'e', 'f', 'g', 'h', 'i', 'n', 'o', 'r', 's', 't', 'u', 'v', 'w', 'x', 'z']);
    expect(spellDigit(0)).toEqual([17, 3, 10, 9, 2]);
    const ds = spelledDigits({ size: 30, seed: 4 });
    for (const e of all(ds)) {
      const d = (e.x as number[]).indexOf(1);
      expect(e.y).toEqual(spellDigit(d));
    }
    const noisy = spelledDigits({ size: 5, seed: 4, noise: 0.1 });
    expect((noisy.train[0].x as number[]).some((v) => v !== 0 && v !== 1)).toBe(true);
  });

  it('series: sine windows continue smoothly, running sum targets the sum', () => {
    const sine = noisySine({ size: 20, seed: 5, noise: 0, length: 10, horizon: 2, period: 20 });
    for (const e of all(sine)) {
      const x = (e.x as number[][]).map((r) => r[0]);
      const y = e.y as number[];
      // Without noise, sin(a + 2δ) = 2cos(δ)·sin(a + δ) − sin(a).
      const k = 2 * Math.cos((2 * Math.PI) / 20);
      expect(y[0]).toBeCloseTo(k * x[9] - x[8], 10);
      expect(y[1]).toBeCloseTo(k * y[0] - x[9], 10);
    }
    for (const e of all(runningSum({ size: 20, seed: 6, length: 7 }))) {
      const x = (e.x as number[][]).map((r) => r[0]);
      expect(x).toHaveLength(7);
      expect((e.y as number[])[0]).toBeCloseTo(x.reduce((a, b) => a + b), 12);
    }
  });
});
