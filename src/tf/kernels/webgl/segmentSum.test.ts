import { describe, expect, it } from 'vitest';
import { segmentOrder } from './segmentSum.ts';

describe('segmentOrder (the webgl UnsortedSegmentSum\'s counting sort)', () => {
  it('groups positions by segment, in position order, and drops ids out of range', () => {
    const ids = [3, 1, 3, -1, 0, 3, 7, 1, 5];
    const { offsets, order } = segmentOrder(ids, 6);
    expect(Array.from(offsets)).toEqual([0, 1, 3, 3, 6, 6, 7]);
    expect(Array.from(order)).toEqual([4, 1, 7, 0, 2, 5, 8]);
  });

  it('sums like the sequential definition on random ids (the shader adds x[order[k]] for k in each segment\'s range)', () => {
    let seed = 5;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const V = 50, N = 400, D = 3;
    const ids = Array.from({ length: N }, () => Math.floor(rand() * (V + 4)) - 2);
    const x = Array.from({ length: N * D }, () => rand() * 2 - 1);
    const want = new Float64Array(V * D);
    ids.forEach((s, i) => { if (s >= 0 && s < V) for (let j = 0; j < D; j++) want[s * D + j] += x[i * D + j]; });
    const { offsets, order } = segmentOrder(ids, V);
    const got = new Float64Array(V * D);
    for (let s = 0; s < V; s++) for (let k = offsets[s]; k < offsets[s + 1]; k++) for (let j = 0; j < D; j++) got[s * D + j] += x[order[k] * D + j];
    expect(Array.from(got)).toEqual(Array.from(want));
    expect(offsets[V]).toBe(ids.filter((s) => s >= 0 && s < V).length);
  });

  it('an empty id list and a single segment', () => {
    expect(Array.from(segmentOrder([], 3).offsets)).toEqual([0, 0, 0, 0]);
    const one = segmentOrder([0, 0, 0], 1);
    expect(Array.from(one.offsets)).toEqual([0, 3]);
    expect(Array.from(one.order)).toEqual([0, 1, 2]);
  });
});
