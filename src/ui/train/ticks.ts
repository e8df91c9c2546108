/** Axis ticks at round numbers (1, 2 or 5 times a power of ten), as charting libraries place them. */

/** A round step of about `span / count`. */
export function niceStep(span: number, count: number): number {
  if (!(span > 0) || !(count > 0)) return 1;
  const raw = span / count;
  const p = 10 ** Math.floor(Math.log10(raw));
  const f = raw / p;
  return (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * p;
}

/** Ticks covering [lo, hi] with about `count` steps; the domain widened to whole steps. */
export function niceTicks(lo: number, hi: number, count = 4): { ticks: number[]; domain: [number, number] } {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return { ticks: [0, 1], domain: [0, 1] };
  if (hi <= lo) hi = lo + (Math.abs(lo) || 1);
  const step = niceStep(hi - lo, count);
  const a = Math.floor(lo / step + 1e-9) * step, b = Math.ceil(hi / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let k = 0; a + k * step <= b + step * 1e-9; k++) ticks.push(Number((a + k * step).toPrecision(12)));
  return { ticks, domain: [a, b] };
}

/** Integer ticks from 0 to `max` (epochs), at most about `count` of them. */
export function integerTicks(max: number, count = 10): number[] {
  const step = Math.max(1, Math.ceil(niceStep(Math.max(1, max), count)));
  const out: number[] = [];
  for (let v = 0; v <= max; v += step) out.push(v);
  return out;
}

/** Short tick labels: 0.25, 12, 3e+5; never more digits than the step needs. */
export function tickLabel(v: number, step: number): string {
  if (v === 0) return '0';
  if (Math.abs(v) >= 1e5 || Math.abs(v) < 1e-3) return Number(v.toPrecision(3)).toExponential();
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  return v.toFixed(Math.min(6, decimals));
}
