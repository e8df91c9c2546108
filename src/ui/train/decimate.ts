/**
 * Decimation for live charts: however long a run, a series keeps at most `maxBuckets` buckets, so
 * what a chart draws (and what each push costs) stays flat. Points arrive in x order; a bucket
 * covers `width` consecutive points, and when the buckets overflow, neighbours merge in pairs and
 * the width doubles (amortised O(1) per point). Each bucket keeps its extremes, first and last
 * point and mean, so a drawn line can be
 *
 * - an **envelope** (first, min and max in x order, last: every spike stays visible; a series
 *   shorter than `maxBuckets` is drawn exactly as it came), or
 * - a **mean** line (one point per bucket: a smooth curve stays a line).
 *
 *   const d = new Decimator(200);
 *   for (const p of points) d.push(p.x, p.y);
 *   d.envelope();   // ≤ 4 · 200 points
 *   decimate(points, 200, 'mean');   // the same for a finished series (run overlays)
 */
/** A chart point. */
export interface XY {
  readonly x: number;
  readonly y: number;
}

interface Bucket {
  n: number;
  sum: number;
  sumX: number;
  first: XY;
  last: XY;
  min: XY;
  max: XY;
}

export class Decimator {
  private buckets: Bucket[] = [];
  /** Points per full bucket. */
  private width = 1;
  private count = 0;

  constructor(readonly maxBuckets = 200) {
    if (!(maxBuckets >= 2)) throw new Error('Decimator: maxBuckets must be at least 2');
  }

  /** Points pushed so far (not drawn: see envelope/mean). */
  get size(): number {
    return this.count;
  }

  push(x: number, y: number): void {
    if (!Number.isFinite(y)) return;
    const p = { x, y };
    this.count++;
    const last = this.buckets[this.buckets.length - 1];
    if (last && last.n < this.width) {
      last.n++;
      last.sum += y;
      last.sumX += x;
      last.last = p;
      if (y < last.min.y) last.min = p;
      if (y > last.max.y) last.max = p;
      return;
    }
    this.buckets.push({ n: 1, sum: y, sumX: x, first: p, last: p, min: p, max: p });
    if (this.buckets.length > this.maxBuckets) this.halve();
  }

  /** First, min, max and last of each bucket in x order, repeats dropped. */
  envelope(): XY[] {
    const out: XY[] = [];
    for (const b of this.buckets) {
      const lo = b.min.x <= b.max.x ? b.min : b.max;
      const hi = lo === b.min ? b.max : b.min;
      for (const p of [b.first, lo, hi, b.last]) if (out[out.length - 1] !== p) out.push(p);
    }
    return out;
  }

  /** One point per bucket: mean x, mean y. */
  mean(): XY[] {
    return this.buckets.map((b) => (b.n === 1 ? b.first : { x: b.sumX / b.n, y: b.sum / b.n }));
  }

  /** The smallest and largest y pushed. */
  extent(): [number, number] | null {
    if (!this.buckets.length) return null;
    let lo = Infinity, hi = -Infinity;
    for (const b of this.buckets) {
      if (b.min.y < lo) lo = b.min.y;
      if (b.max.y > hi) hi = b.max.y;
    }
    return [lo, hi];
  }

  private halve(): void {
    const merged: Bucket[] = [];
    for (let k = 0; k < this.buckets.length; k += 2) {
      const a = this.buckets[k], b = this.buckets[k + 1];
      if (!b) { merged.push(a); continue; }
      merged.push({
        n: a.n + b.n, sum: a.sum + b.sum, sumX: a.sumX + b.sumX, first: a.first, last: b.last,
        min: b.min.y < a.min.y ? b.min : a.min, max: b.max.y > a.max.y ? b.max : a.max,
      });
    }
    this.buckets = merged;
    this.width *= 2;
  }
}

/** Decimates a whole series at once (e.g. a finished run drawn under the live one). */
export function decimate(points: readonly XY[], maxBuckets: number, mode: 'envelope' | 'mean'): XY[] {
  const d = new Decimator(maxBuckets);
  for (const p of points) d.push(p.x, p.y);
  return mode === 'envelope' ? d.envelope() : d.mean();
}
