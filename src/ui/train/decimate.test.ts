/** Live-chart decimation and axis ticks. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Decimator, decimate } from './decimate.ts';
import { integerTicks, niceTicks, tickLabel } from './ticks.ts';

describe('Decimator', () => {
  it('keeps a short series exactly', () => {
    const pts = [3, 1, 4, 1, 5].map((y, x) => ({ x, y }));
    expect(decimate(pts, 10, 'envelope')).toEqual(pts);
    expect(decimate(pts, 10, 'mean')).toEqual(pts);
  });

  it('any series: bounded points, in x order, first/last and every extreme kept, means preserved', () => {
    fc.assert(fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 3000 }), fc.integer({ min: 2, max: 64 }), (ys, max) => {
      const pts = ys.map((y, x) => ({ x, y }));
      const d = new Decimator(max);
      for (const p of pts) d.push(p.x, p.y);
      const env = d.envelope();
      const mean = d.mean();
      expect(env.length).toBeLessThanOrEqual(4 * max);
      expect(mean.length).toBeLessThanOrEqual(max);
      for (let k = 1; k < env.length; k++) expect(env[k].x).toBeGreaterThan(env[k - 1].x);
      expect(env[0]).toEqual(pts[0]);
      expect(env.at(-1)).toEqual(pts.at(-1));
      const lo = Math.min(...ys), hi = Math.max(...ys);
      expect(env.some((p) => p.y === lo) && env.some((p) => p.y === hi)).toBe(true);
      expect(d.extent()).toEqual([lo, hi]);
      expect(d.size).toBe(ys.length);
    }), { numRuns: 200 });
  });

  it('drops values that are not finite', () => {
    const d = new Decimator(4);
    d.push(0, 1);
    d.push(1, NaN);
    d.push(2, Infinity);
    expect(d.envelope()).toEqual([{ x: 0, y: 1 }]);
  });
});

describe('ticks', () => {
  it('round steps covering the range', () => {
    expect(niceTicks(0, 1.37, 4)).toEqual({ ticks: [0, 0.5, 1, 1.5], domain: [0, 1.5] });
    expect(niceTicks(0, 10000, 4)).toEqual({ ticks: [0, 2000, 4000, 6000, 8000, 10000], domain: [0, 10000] });
    expect(niceTicks(0.02, 0.93, 4).ticks).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0, 0, 4).domain[1]).toBeGreaterThan(0);
    expect(integerTicks(5, 10)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(integerTicks(100, 10)).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
    expect(integerTicks(1, 10)).toEqual([0, 1]);
  });

  it('labels never cut or overstate a number', () => {
    expect(tickLabel(10000, 5000)).toBe('10000');
    expect(tickLabel(0.25, 0.05)).toBe('0.25');
    expect(tickLabel(1.5, 0.5)).toBe('1.5');
    expect(tickLabel(300000, 100000)).toBe('3e+5');
    expect(tickLabel(0, 0.1)).toBe('0');
  });
});
