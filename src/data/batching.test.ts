import { describe, expect, it } from 'vitest';
import { batchOrder, countBatches, makeBatches } from './batching.ts';
import type { Example } from './tasks.ts';

const seqs: Example[] = [
  { x: [5, 6, 7], y: 1 },
  { x: [8], y: 0 },
  { x: [1, 2, 3, 4, 5], y: 2 },
  { x: [9, 9], y: 1 },
  { x: [4, 4, 4, 4], y: 0 },
];

describe('makeBatches', () => {
  it('pads each batch with 0 to its longest sequence (collate_fn)', () => {
    const [a, b] = makeBatches(seqs, { batchSize: 3 });
    expect(a.shape).toEqual([3, 5]);
    expect(Array.from(a.x)).toEqual([5, 6, 7, 0, 0, 8, 0, 0, 0, 0, 1, 2, 3, 4, 5]);
    expect(a.x).toBeInstanceOf(Int32Array);
    expect(Array.from(a.y)).toEqual([1, 0, 2]);
    expect(a.yShape).toEqual([3]);
    expect(Array.from(a.lengths)).toEqual([3, 1, 5]);
    expect(b.shape).toEqual([2, 4]);
    expect(Array.from(b.x)).toEqual([9, 9, 0, 0, 4, 4, 4, 4]);
  });

  it('pads and truncates to a fixed length, post by default, pre on request', () => {
    const [post] = makeBatches(seqs.slice(0, 3), { batchSize: 3, padding: { length: 4 } });
    expect(Array.from(post.x)).toEqual([5, 6, 7, 0, 8, 0, 0, 0, 1, 2, 3, 4]);
    const [pre] = makeBatches(seqs.slice(0, 3), { batchSize: 3, padding: { length: 4 }, padSide: 'pre', truncateSide: 'pre' });
    expect(Array.from(pre.x)).toEqual([0, 5, 6, 7, 0, 0, 0, 8, 2, 3, 4, 5]);
  });

  it('shuffles with a seed per epoch, reproducibly', () => {
    const order = (epoch: number) => batchOrder(seqs, { batchSize: 2, shuffle: true, seed: 3, epoch });
    expect(order(0)).toEqual(order(0));
    expect(order(0).flat().sort()).toEqual([0, 1, 2, 3, 4]);
    expect([order(0), order(1), order(2)].map((o) => o.flat().join(''))).not.toEqual(['01234', '01234', '01234']);
    expect(new Set([0, 1, 2, 3].map((e) => order(e).flat().join(''))).size).toBeGreaterThan(1);
    expect(batchOrder(seqs, { batchSize: 2 })).toEqual([[0, 1], [2, 3], [4]]);
  });

  it('drops the remainder when asked and counts batches', () => {
    expect(makeBatches(seqs, { batchSize: 2, dropRemainder: true })).toHaveLength(2);
    expect(countBatches(5, 2)).toBe(3);
    expect(countBatches(5, 2, true)).toBe(2);
    expect(makeBatches([], { batchSize: 2 })).toEqual([]);
    expect(() => makeBatches(seqs, { batchSize: 0 })).toThrow('batchSize must be a positive integer, got 0.');
  });

  it('bucketing by length groups similar lengths and wastes less padding', () => {
    const many: Example[] = Array.from({ length: 64 }, (_, i) => ({ x: new Array<number>(1 + ((i * 37) % 29)).fill(1), y: 0 }));
    const padding = (bs: ReturnType<typeof makeBatches>) => bs.reduce((a, b) => a + b.x.length - b.lengths.reduce((s, l) => s + l, 0), 0);
    const plain = makeBatches(many, { batchSize: 8, shuffle: true, seed: 5 });
    const bucketed = makeBatches(many, { batchSize: 8, shuffle: true, seed: 5, bucketByLength: true });
    expect(padding(bucketed)).toBeLessThan(padding(plain) / 4);
    expect(bucketed.flatMap((b) => b.indices).sort((a, b) => a - b)).toEqual(many.map((_, i) => i));
    expect(makeBatches(many, { batchSize: 8, shuffle: true, seed: 5, bucketByLength: true })).toEqual(bucketed);
  });

  it('builds float feature batches [B, T, F]', () => {
    const ex: Example[] = [
      { x: [[0.5, 1], [0.25, 0]], y: [0.75] },
      { x: [[1, 0]], y: [1] },
    ];
    const [b] = makeBatches(ex, { batchSize: 2, xDtype: 'float32', yDtype: 'float32' });
    expect(b.shape).toEqual([2, 2, 2]);
    expect(b.x).toBeInstanceOf(Float32Array);
    expect(Array.from(b.x)).toEqual([0.5, 1, 0.25, 0, 1, 0, 0, 0]);
    expect(b.yShape).toEqual([2, 1]);
    expect(Array.from(b.y)).toEqual([0.75, 1]);
  });

  it('aligned targets share x padding and come with a mask', () => {
    const ex: Example[] = [
      { x: [3, 4, 5], y: [1, 2, 3] },
      { x: [6], y: [4] },
    ];
    const [b] = makeBatches(ex, { batchSize: 2, alignTargets: true, padding: { length: 2 }, padSide: 'pre' });
    expect(Array.from(b.x)).toEqual([3, 4, 0, 6]);
    expect(Array.from(b.y)).toEqual([1, 2, 0, 4]);
    expect(Array.from(b.mask ?? [])).toEqual([1, 1, 0, 1]);
  });

  it('seq2seq: targets padded to their own length, teacher-forcing decoder input', () => {
    const ex: Example[] = [
      { x: [3, 4], y: [4, 3, 2] },
      { x: [5, 6, 7, 8], y: [8, 2] },
    ];
    const [b] = makeBatches(ex, { batchSize: 2, startId: 1 });
    expect(b.shape).toEqual([2, 4]);
    expect(b.yShape).toEqual([2, 3]);
    expect(Array.from(b.y)).toEqual([4, 3, 2, 8, 2, 0]);
    expect(Array.from(b.decoderInput ?? [])).toEqual([1, 4, 3, 1, 8, 0]);
    expect(Array.from(b.mask ?? [])).toEqual([1, 1, 1, 1, 1, 0]);
  });

  it('vector inputs for one-to-many tasks', () => {
    const ex: Example[] = [
      { x: [0, 1, 0], y: [5, 2] },
      { x: [1, 0, 0], y: [6, 7, 2] },
    ];
    const [b] = makeBatches(ex, { batchSize: 2, xIsVector: true, xDtype: 'float32', startId: 1 });
    expect(b.shape).toEqual([2, 3]);
    expect(Array.from(b.x)).toEqual([0, 1, 0, 1, 0, 0]);
    expect(Array.from(b.y)).toEqual([5, 2, 0, 6, 7, 2]);
    expect(Array.from(b.decoderInput ?? [])).toEqual([1, 5, 0, 1, 6, 7]);
  });
});
