/**
 * A line chart made for streaming training curves: plain SVG, one <path> per line, axes at round
 * numbers, a hover readout. It draws what it is given (decimated series, chartFeed.ts) and does no
 * layout work of its own beyond one ResizeObserver, so a render costs well under a millisecond
 * per line at any run length. (recharts, used for the Data panel's static histograms, measured
 * ~100 ms a render for these two live charts here: it measures every path with getTotalLength on
 * each render, a forced layout.)
 *
 * Lines are drawn in order (later on top). Run overlays add lines: `{ id, name, points, color }`.
 */
import { memo, useCallback, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { XY } from './decimate.ts';
import { integerTicks, niceTicks, tickLabel } from './ticks.ts';

export interface ChartLine {
  readonly id: string;
  /** Shown in the hover readout. */
  readonly name: string;
  readonly points: readonly XY[];
  readonly color: string;
  readonly width?: number;
  readonly dash?: string;
  /** Marks every point (epoch results). */
  readonly dots?: boolean;
  readonly opacity?: number;
  /** Left out of the hover readout (the faint per-batch envelope). */
  readonly quiet?: boolean;
}

export interface LiveChartProps {
  readonly lines: readonly ChartLine[];
  /** The x-axis runs from 0 to `xMax` (epochs), integer ticks. */
  readonly xMax: number;
  /** A fixed y domain (accuracy: [0, 1]); otherwise from 0 (or the smallest value below 0) to the largest. */
  readonly yDomain?: readonly [number, number];
  /** Smallest and largest value of the lines (for an automatic y domain). */
  readonly extent?: readonly [number, number] | null;
  readonly yTick?: (v: number, step: number) => string;
  /** Values in the hover readout. */
  readonly format: (v: number) => string;
  readonly xLabel?: (x: number) => string;
  /** Shown over an empty plot. */
  readonly empty?: ReactNode;
}

const M = { top: 11, right: 12, bottom: 20 };
const FONT = 11;
/** Width of a tick label in px, measured in the page's font (and an estimate where there is no canvas). */
let measurer: CanvasRenderingContext2D | null | undefined;
const widths = new Map<string, number>();
function labelWidth(s: string): number {
  let w = widths.get(s);
  if (w !== undefined) return w;
  if (measurer === undefined) {
    measurer = typeof document === 'undefined' ? null : document.createElement('canvas').getContext('2d');
    if (measurer) measurer.font = `${FONT}px ${getComputedStyle(document.body).fontFamily}`;
  }
  w = Math.ceil((measurer ? measurer.measureText(s).width : s.length * 7) + 9);
  widths.set(s, w);
  return w;
}

function useSize<T extends HTMLElement>(): [React.RefObject<T | null>, { w: number; h: number }] {
  const ref = useRef<T>(null);
  const [size, setSize] = useState({ w: 0, h: 0 });
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => {
      const r = el.getBoundingClientRect();
      setSize((s) => (Math.round(r.width) === s.w && Math.round(r.height) === s.h ? s : { w: Math.round(r.width), h: Math.round(r.height) }));
    };
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [ref, size];
}

/** Index of the point nearest to x (points sorted by x). */
function nearest(points: readonly XY[], x: number): number {
  let lo = 0, hi = points.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (points[mid].x < x) lo = mid; else hi = mid;
  }
  return Math.abs(points[lo].x - x) <= Math.abs(points[hi].x - x) ? lo : hi;
}

export const LiveChart = memo(function LiveChart({ lines, xMax, yDomain, extent, yTick = tickLabel, format, xLabel, empty }: LiveChartProps) {
  const [ref, { w, h }] = useSize<HTMLDivElement>();
  const [hover, setHover] = useState<number | null>(null);

  const y = useMemo(() => {
    if (yDomain) {
      const t = niceTicks(yDomain[0], yDomain[1], 4);
      return { ticks: t.ticks, domain: [yDomain[0], yDomain[1]] as const, step: t.ticks[1] - t.ticks[0] };
    }
    const lo = Math.min(0, extent?.[0] ?? 0), hi = Math.max(extent?.[1] ?? 1, lo + 1e-9);
    const t = niceTicks(lo, hi, 4);
    return { ticks: t.ticks, domain: t.domain, step: t.ticks[1] - t.ticks[0] };
  }, [yDomain, extent]);
  const labels = useMemo(() => y.ticks.map((v) => yTick(v, y.step)), [y, yTick]);
  const left = Math.ceil(Math.max(...labels.map(labelWidth)));
  const xMaxSafe = Math.max(1, xMax);
  const xTicks = useMemo(() => integerTicks(xMaxSafe, Math.max(2, Math.floor((w - left) / 44))), [xMaxSafe, w, left]);

  const pw = Math.max(1, w - left - M.right), ph = Math.max(1, h - M.top - M.bottom);
  const sx = useCallback((x: number) => left + (x / xMaxSafe) * pw, [left, xMaxSafe, pw]);
  const sy = useCallback((v: number) => M.top + (1 - (v - y.domain[0]) / (y.domain[1] - y.domain[0] || 1)) * ph, [y, ph]);

  const paths = useMemo(() => lines.map((l) => {
    let d = '';
    for (let k = 0; k < l.points.length; k++) {
      const p = l.points[k];
      d += `${k ? 'L' : 'M'}${sx(p.x).toFixed(1)} ${sy(p.y).toFixed(1)}`;
    }
    return d;
  }), [lines, sx, sy]);

  const onMove = (e: React.PointerEvent<SVGSVGElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    const px = e.clientX - r.left;
    setHover(px < left || px > left + pw ? null : ((px - left) / pw) * xMaxSafe);
  };

  // Each line's point nearest the pointer; marked points (epochs) only when the pointer is near one.
  const readout = hover === null ? null : lines.filter((l) => !l.quiet && l.points.length)
    .map((l) => ({ l, p: l.points[nearest(l.points, hover)] }))
    .filter(({ l, p }) => !l.dots || Math.abs(sx(p.x) - sx(hover)) <= 14);
  const hx = readout?.length ? readout[0].p.x : null;

  return (
    <div className="live-chart" ref={ref}>
      {w > 0 && h > 0 && (
        <svg width={w} height={h} onPointerMove={onMove} onPointerLeave={() => setHover(null)} role="img" aria-hidden>
          <g className="live-chart-grid">
            {y.ticks.map((v) => <line key={v} x1={left} x2={left + pw} y1={sy(v)} y2={sy(v)} />)}
          </g>
          <g className="live-chart-axis" fontSize={FONT}>
            {y.ticks.map((v, k) => <text key={v} x={left - 6} y={sy(v)} dy="0.32em" textAnchor="end">{labels[k]}</text>)}
            {xTicks.map((v) => <text key={v} x={sx(v)} y={M.top + ph + 14} textAnchor="middle">{v}</text>)}
            <line x1={left} x2={left + pw} y1={M.top + ph} y2={M.top + ph} />
          </g>
          {lines.map((l, k) => (
            <g key={l.id} data-line={l.id} data-points={l.points.length}>
              {l.points.length > 1 && (
                <path d={paths[k]} fill="none" stroke={l.color} strokeWidth={l.width ?? 1.5} strokeDasharray={l.dash} strokeOpacity={l.opacity}
                  strokeLinejoin="round" strokeLinecap="round" />
              )}
              {(l.dots || l.points.length === 1) && l.points.map((p, j) => <circle key={j} cx={sx(p.x)} cy={sy(p.y)} r={l.dots ? 3 : 1.5} fill={l.color} />)}
            </g>
          ))}
          {hx !== null && <line className="live-chart-cursor" x1={sx(hx)} x2={sx(hx)} y1={M.top} y2={M.top + ph} />}
        </svg>
      )}
      {empty && lines.every((l) => l.points.length === 0) && <span className="live-chart-empty muted" style={{ left }}>{empty}</span>}
      {readout && readout.length > 0 && hx !== null && (
        <div className={`live-chart-readout ${sx(hx) > w / 2 ? 'left' : ''}`} style={sx(hx) > w / 2 ? { right: w - sx(hx) + 8 } : { left: sx(hx) + 8 }}>
          <div className="muted">{xLabel ? xLabel(hx) : hx.toFixed(2)}</div>
          {readout.map(({ l, p }) => <div key={l.id}><i style={{ background: l.color }} />{l.name} <b>{format(p.y)}</b></div>)}
        </div>
      )}
    </div>
  );
});
