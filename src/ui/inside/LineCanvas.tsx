/**
 * A small line chart drawn on a canvas: a few series over a numeric x axis, a linear or log y axis,
 * horizontal reference lines, a legend and the values under the pointer. Redrawing five curves of
 * 200 points takes well under a millisecond, so the inside views can redraw at every gradient
 * sample while a model trains without a long main-thread task (recharts took ~100 ms a redraw here).
 */
import { memo, useEffect, useMemo, useRef, useState } from 'react';

export interface Series {
  readonly key: string;
  readonly name: string;
  readonly color: string;
  /** y per x = 1, 2, … (null: a gap), or explicit points. */
  readonly values?: readonly (number | null)[];
  readonly points?: readonly { readonly x: number; readonly y: number | null }[];
  readonly width?: number;
  readonly opacity?: number;
  readonly dash?: readonly number[];
}

export interface RefLine {
  readonly y: number;
  readonly label: string;
  readonly color?: string;
}

export interface LineCanvasProps {
  readonly series: readonly Series[];
  readonly log?: boolean;
  readonly height: number;
  readonly xLabel?: string;
  readonly refs?: readonly RefLine[];
  readonly legend?: boolean;
  /** Never below zero on a linear axis (losses). */
  readonly zeroBased?: boolean;
}

const PAD = { left: 48, right: 12, top: 8, bottom: 22 };

function pointsOf(s: Series): { x: number; y: number | null }[] {
  if (s.points) return s.points as { x: number; y: number | null }[];
  return (s.values ?? []).map((y, k) => ({ x: k + 1, y }));
}

const usable = (y: number | null, log: boolean): y is number => y !== null && Number.isFinite(y) && (!log || y > 0);

/** Tick values: powers of ten on a log axis, round numbers on a linear one. */
export function ticks(lo: number, hi: number, log: boolean): number[] {
  if (log) {
    const a = Math.floor(Math.log10(lo)), b = Math.ceil(Math.log10(hi));
    const step = Math.max(1, Math.ceil((b - a) / 6));
    const out: number[] = [];
    for (let e = a; e <= b; e += step) out.push(10 ** e);
    return out;
  }
  const span = hi - lo || 1;
  const raw = span / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

const fmt = (v: number, log: boolean) => (log || (v !== 0 && (Math.abs(v) < 1e-2 || Math.abs(v) >= 1e4)) ? v.toExponential(0) : String(Number(v.toPrecision(3))));

export const LineCanvas = memo(function LineCanvas({ series, log = false, height, xLabel, refs = [], legend = false, zeroBased = false }: LineCanvasProps) {
  const wrap = useRef<HTMLDivElement>(null);
  const ref = useRef<HTMLCanvasElement>(null);
  const [width, setWidth] = useState(600);
  const [hover, setHover] = useState<number | null>(null);
  useEffect(() => {
    const el = wrap.current;
    if (!el) return;
    const ro = new ResizeObserver(([e]) => setWidth(Math.max(120, Math.floor(e.contentRect.width))));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  const data = useMemo(() => series.map((s) => ({ s, pts: pointsOf(s) })), [series]);
  const frame = useMemo(() => {
    let xMin = Infinity, xMax = -Infinity, yMin = Infinity, yMax = -Infinity;
    for (const { pts } of data) {
      for (const p of pts) {
        xMin = Math.min(xMin, p.x); xMax = Math.max(xMax, p.x);
        if (usable(p.y, log)) { yMin = Math.min(yMin, p.y); yMax = Math.max(yMax, p.y); }
      }
    }
    for (const r of refs) if (usable(r.y, log)) { yMin = Math.min(yMin, r.y); yMax = Math.max(yMax, r.y); }
    if (!Number.isFinite(xMin)) { xMin = 1; xMax = 2; }
    if (xMax === xMin) xMax = xMin + 1;
    if (!Number.isFinite(yMin)) { yMin = log ? 1e-3 : 0; yMax = 1; }
    if (log) {
      yMin = 10 ** Math.floor(Math.log10(yMin));
      yMax = 10 ** Math.ceil(Math.log10(yMax));
      if (yMax === yMin) yMax = yMin * 10;
    } else {
      if (zeroBased) yMin = Math.min(0, yMin);
      if (yMax === yMin) yMax = yMin + 1;
      const t = ticks(yMin, yMax, false);
      yMax = Math.max(yMax, t[t.length - 1] ?? yMax);
    }
    return { xMin, xMax, yMin, yMax };
  }, [data, refs, log, zeroBased]);
  const plotW = width - PAD.left - PAD.right;
  const plotH = height - PAD.top - PAD.bottom;
  const X = (x: number) => PAD.left + ((x - frame.xMin) / (frame.xMax - frame.xMin)) * plotW;
  const Y = (y: number) => {
    const f = log ? (Math.log10(y) - Math.log10(frame.yMin)) / (Math.log10(frame.yMax) - Math.log10(frame.yMin)) : (y - frame.yMin) / (frame.yMax - frame.yMin);
    return PAD.top + (1 - f) * plotH;
  };
  useEffect(() => {
    const c = ref.current;
    const ctx = c?.getContext('2d');
    if (!c || !ctx) return;
    const dpr = globalThis.devicePixelRatio || 1;
    c.width = width * dpr;
    c.height = height * dpr;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, height);
    ctx.font = '10.5px ui-sans-serif, system-ui, sans-serif';
    // Grid and axes.
    ctx.strokeStyle = '#f1f5f9';
    ctx.fillStyle = '#64748b';
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (const t of ticks(frame.yMin, frame.yMax, log)) {
      if (t < frame.yMin || t > frame.yMax) continue;
      const y = Y(t);
      ctx.beginPath(); ctx.moveTo(PAD.left, y); ctx.lineTo(width - PAD.right, y); ctx.stroke();
      ctx.fillText(fmt(t, log), PAD.left - 5, y);
    }
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    for (const t of ticks(frame.xMin, frame.xMax, false)) {
      if (t < frame.xMin || t > frame.xMax) continue;
      ctx.fillText(String(t), X(t), height - PAD.bottom + 5);
    }
    ctx.strokeStyle = '#cbd5e1';
    ctx.beginPath(); ctx.moveTo(PAD.left, PAD.top); ctx.lineTo(PAD.left, height - PAD.bottom); ctx.lineTo(width - PAD.right, height - PAD.bottom); ctx.stroke();
    if (xLabel) {
      ctx.textAlign = 'right';
      ctx.fillStyle = '#94a3b8';
      ctx.fillText(xLabel, width - PAD.right, height - PAD.bottom - 14);
    }
    // Reference lines.
    for (const r of refs) {
      if (!usable(r.y, log)) continue;
      ctx.strokeStyle = r.color ?? '#64748b';
      ctx.setLineDash([5, 4]);
      ctx.beginPath(); ctx.moveTo(PAD.left, Y(r.y)); ctx.lineTo(width - PAD.right, Y(r.y)); ctx.stroke();
      ctx.setLineDash([]);
      ctx.fillStyle = r.color ?? '#64748b';
      ctx.textAlign = 'right';
      ctx.textBaseline = 'bottom';
      ctx.fillText(r.label, width - PAD.right - 2, Y(r.y) - 2);
    }
    // Series, in order (the last drawn on top).
    for (const { s, pts } of data) {
      ctx.strokeStyle = s.color;
      ctx.globalAlpha = s.opacity ?? 1;
      ctx.lineWidth = s.width ?? 2;
      ctx.setLineDash(s.dash ? [...s.dash] : []);
      ctx.beginPath();
      let pen = false;
      for (const p of pts) {
        if (!usable(p.y, log)) { pen = false; continue; }
        const x = X(p.x), y = Y(Math.min(Math.max(p.y, frame.yMin), frame.yMax));
        if (pen) ctx.lineTo(x, y); else ctx.moveTo(x, y);
        pen = true;
      }
      ctx.stroke();
      ctx.globalAlpha = 1;
      ctx.setLineDash([]);
      ctx.lineWidth = 1;
    }
    if (hover !== null) {
      ctx.strokeStyle = '#94a3b8';
      ctx.beginPath(); ctx.moveTo(X(hover), PAD.top); ctx.lineTo(X(hover), height - PAD.bottom); ctx.stroke();
    }
  });
  const at = hover === null ? [] : data.map(({ s, pts }) => {
    let best: { x: number; y: number | null } | undefined;
    for (const p of pts) if (!best || Math.abs(p.x - hover) < Math.abs(best.x - hover)) best = p;
    return { s, y: best?.y ?? null };
  });
  return (
    <div className="line-canvas" ref={wrap}>
      {legend && (
        <div className="line-legend" aria-hidden>
          {series.filter((s) => (s.opacity ?? 1) >= 0.99).map((s) => <span key={s.key}><i style={{ background: s.color }} />{s.name}</span>)}
        </div>
      )}
      <canvas ref={ref} style={{ width, height }}
        onMouseMove={(e) => {
          const r = e.currentTarget.getBoundingClientRect();
          const f = (e.clientX - r.left - PAD.left) / plotW;
          setHover(f < 0 || f > 1 ? null : Math.round(frame.xMin + f * (frame.xMax - frame.xMin)));
        }}
        onMouseLeave={() => setHover(null)} />
      {hover !== null && (
        <div className="line-hover">
          {xLabel ?? 'x'} = {hover}: {at.filter((a) => (a.s.opacity ?? 1) >= 0.99).map((a) => <span key={a.s.key} style={{ color: a.s.color }}>{a.s.name} {a.y === null ? '–' : a.y.toExponential(2)}</span>)}
        </div>
      )}
    </div>
  );
});
