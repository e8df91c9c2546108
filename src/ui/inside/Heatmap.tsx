/**
 * A units × time heatmap drawn on a canvas (one fillRect per value: 32 units × 200 steps stay
 * well under a millisecond or two), with the value under the pointer in a tooltip line. Values are
 * [T, units] by position, NaN where the step was masked (drawn hatched).
 */
import { useEffect, useRef, useState } from 'react';

export type Scale = 'gate' | 'signed';

export interface HeatmapProps {
  readonly label: string;
  readonly title: string;
  /** [t * units + j] */
  readonly values: Float32Array;
  readonly T: number;
  readonly units: number;
  readonly scale: Scale;
  readonly tokens?: readonly string[];
  /** Pixels per step (the caller keeps every map of a panel aligned). */
  readonly cell: number;
}

const ROW = 7;

/** Gates in [0, 1]: white → violet. Signed values: blue ← white → red, scaled by the largest |value|. */
function color(v: number, scale: Scale, max: number): string {
  if (scale === 'gate') {
    const a = Math.min(1, Math.max(0, v));
    const r = Math.round(255 - a * (255 - 91)), g = Math.round(255 - a * (255 - 33)), b = Math.round(255 - a * (255 - 182));
    return `rgb(${r},${g},${b})`;
  }
  const a = Math.min(1, Math.abs(v) / (max || 1));
  if (v >= 0) return `rgb(255,${Math.round(255 - a * 185)},${Math.round(255 - a * 195)})`;
  return `rgb(${Math.round(255 - a * 205)},${Math.round(255 - a * 135)},255)`;
}

export function Heatmap({ label, title, values, T, units, scale, tokens, cell }: HeatmapProps) {
  const ref = useRef<HTMLCanvasElement>(null);
  const [hover, setHover] = useState<{ t: number; j: number } | null>(null);
  const rowH = units > 48 ? 3 : units > 24 ? 5 : ROW;
  let max = 0;
  for (const v of values) if (!Number.isNaN(v)) max = Math.max(max, Math.abs(v));
  useEffect(() => {
    const c = ref.current;
    const ctx = c?.getContext('2d');
    if (!c || !ctx) return;
    ctx.clearRect(0, 0, c.width, c.height);
    for (let t = 0; t < T; t++) {
      for (let j = 0; j < units; j++) {
        const v = values[t * units + j];
        if (Number.isNaN(v)) {
          ctx.fillStyle = (t + j) % 2 ? '#e2e8f0' : '#f1f5f9';
        } else ctx.fillStyle = color(v, scale, max);
        ctx.fillRect(t * cell, j * rowH, cell, rowH);
      }
    }
  }, [values, T, units, scale, cell, rowH, max]);
  const v = hover ? values[hover.t * units + hover.j] : NaN;
  return (
    <figure className="heatmap" aria-label={`${title} heatmap`} data-t={T} data-units={units}>
      <figcaption>
        <b>{label}</b> <span className="muted">{title}</span>
        <span className="heatmap-range muted">{scale === 'gate' ? '0 … 1' : `±${max.toFixed(2)}`}</span>
        {hover && <span className="heatmap-hover">t={hover.t + 1}{tokens?.[hover.t] ? ` “${tokens[hover.t]}”` : ''} · unit {hover.j} · {Number.isNaN(v) ? 'masked' : v.toFixed(3)}</span>}
      </figcaption>
      <canvas ref={ref} width={T * cell} height={units * rowH} role="img" aria-label={`${label}: ${units} units × ${T} steps`}
        onMouseMove={(e) => {
          const r = e.currentTarget.getBoundingClientRect();
          const t = Math.floor((e.clientX - r.left) / cell), j = Math.floor((e.clientY - r.top) / rowH);
          if (t >= 0 && t < T && j >= 0 && j < units) setHover({ t, j });
        }}
        onMouseLeave={() => setHover(null)} />
    </figure>
  );
}

/** One value per step as bars (‖∂L/∂h_t‖, saliency), on a log or linear scale; null/NaN shown as gaps. */
export function StepBars({ label, title, values, cell, log }: { label: string; title: string; values: readonly (number | null)[]; cell: number; log: boolean }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const H = 34;
  const finite = values.filter((v): v is number => v !== null && Number.isFinite(v) && (!log || v > 0));
  const hi = finite.length ? Math.max(...finite) : 1;
  const lo = finite.length ? Math.min(...finite) : 1;
  useEffect(() => {
    const c = ref.current;
    const ctx = c?.getContext('2d');
    if (!c || !ctx) return;
    ctx.clearRect(0, 0, c.width, c.height);
    ctx.fillStyle = '#6d28d9';
    values.forEach((v, t) => {
      if (v === null || !Number.isFinite(v)) return;
      let f: number;
      if (log) f = v <= 0 || hi === lo ? (v > 0 ? 1 : 0) : (Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo)) * 0.9 + 0.1;
      else f = hi > 0 ? v / hi : 0;
      const h = Math.max(1, f * H);
      ctx.fillRect(t * cell + 1, H - h, Math.max(1, cell - 2), h);
    });
  }, [values, cell, log, hi, lo]);
  return (
    <figure className="stepbars" aria-label={`${title} per step`}>
      <figcaption>
        <b>{label}</b> <span className="muted">{title}{finite.length ? ` · ${lo.toExponential(1)} … ${hi.toExponential(1)}${log ? ' (log)' : ''}` : ''}</span>
      </figcaption>
      <canvas ref={ref} width={values.length * cell} height={H} role="img" aria-label={`${label} for ${values.length} steps`} />
    </figure>
  );
}
