/**
 * The far view of a large graph: when more than MOUNT_LIMIT nodes would be in view, React Flow's
 * nodes are hidden and one <canvas> draws every node as a box in its category colour (with its
 * name once boxes are big enough) and every wire as a line. Mounting thousands of node components
 * at once is what froze the page at far zoom; a canvas redraw of 10,000 boxes is a few
 * milliseconds. Zooming back in (fewer nodes in view) brings the real nodes back. Panning and
 * zooming stay React Flow's: the canvas lets every pointer event through.
 */
import { useEffect, useRef } from 'react';
import { useStore as useFlowStore, type ReactFlowState } from '@xyflow/react';
import type { Graph } from '../../core/types.ts';
import type { NodeView, Size } from '../../store/index.ts';
import { estimateBox } from './estimate.ts';
import { CATEGORY_COLOR } from '../theme.ts';
import { getLayer } from '../../core/registry.ts';

/** More nodes than this in view: draw the overview instead of mounting nodes. */
export const MOUNT_LIMIT = 400;
/** Back to real nodes below this many (a gap, so the view does not flicker at the edge). */
const UNMOUNT_LIMIT = 300;

/** How many of the graph's nodes lie (at least partly) in the viewport. */
export function nodesInView(graph: Graph, sizes: Readonly<Record<string, Size>>, s: Pick<ReactFlowState, 'transform' | 'width' | 'height'>, stopAt = Infinity): number {
  const [tx, ty, k] = s.transform;
  const x0 = -tx / k, y0 = -ty / k, x1 = x0 + s.width / k, y1 = y0 + s.height / k;
  let count = 0;
  for (const n of graph.nodes) {
    const w = sizes[n.id]?.width ?? 222, h = sizes[n.id]?.height ?? 130;
    const { x, y } = n.position;
    if (x < x1 && x + w > x0 && y < y1 && y + h > y0 && ++count >= stopAt) break;
  }
  return count;
}

/** Whether the overview should show now, given whether it shows already (hysteresis). */
export function wantsOverview(graph: Graph, sizes: Readonly<Record<string, Size>>, s: Pick<ReactFlowState, 'transform' | 'width' | 'height'>, showing: boolean): boolean {
  if (!s.width || !s.height) return false;
  const limit = showing ? UNMOUNT_LIMIT : MOUNT_LIMIT;
  return nodesInView(graph, sizes, s, limit + 1) > limit;
}

const transformSelector = (s: ReactFlowState) => s.transform;

export function Overview({ graph, sizes, views }: { graph: Graph; sizes: Readonly<Record<string, Size>>; views: ReadonlyMap<string, NodeView> }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const transform = useFlowStore(transformSelector);
  const width = useFlowStore((s) => s.width);
  const height = useFlowStore((s) => s.height);
  useEffect(() => {
    const c = canvas.current;
    if (!c || !width || !height) return;
    const frame = requestAnimationFrame(() => {
      const dpr = window.devicePixelRatio || 1;
      if (c.width !== Math.round(width * dpr) || c.height !== Math.round(height * dpr)) {
        c.width = Math.round(width * dpr);
        c.height = Math.round(height * dpr);
      }
      const ctx = c.getContext('2d');
      if (!ctx) return;
      const [tx, ty, k] = transform;
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.clearRect(0, 0, width, height);
      ctx.setTransform(dpr * k, 0, 0, dpr * k, dpr * tx, dpr * ty);
      const x0 = -tx / k, y0 = -ty / k, x1 = x0 + width / k, y1 = y0 + height / k;
      const index = new Map(graph.nodes.map((n, i) => [n.id, i]));
      const box = (id: string) => sizes[id] ?? estimateBox(graph.nodes[index.get(id)!], views.get(id));
      // Wires: straight lines from the right edge of the source to the left edge of the target.
      ctx.strokeStyle = '#94a3b8';
      ctx.lineWidth = 1.5 / k;
      ctx.beginPath();
      for (const e of graph.edges) {
        const si = index.get(e.source), ti = index.get(e.target);
        if (si === undefined || ti === undefined) continue;
        const s = graph.nodes[si].position, t = graph.nodes[ti].position;
        const sb = box(e.source), tb = box(e.target);
        const ax = s.x + sb.width, ay = s.y + sb.height / 2, bx = t.x, by = t.y + tb.height / 2;
        if (Math.max(ax, bx) < x0 || Math.min(ax, bx) > x1 || Math.max(ay, by) < y0 || Math.min(ay, by) > y1) continue;
        ctx.moveTo(ax, ay);
        ctx.lineTo(bx, by);
      }
      ctx.stroke();
      const names = k * 14 >= 6;
      ctx.font = '600 14px system-ui, sans-serif';
      ctx.textBaseline = 'top';
      for (const n of graph.nodes) {
        const b = box(n.id);
        const { x, y } = n.position;
        if (x > x1 || x + b.width < x0 || y > y1 || y + b.height < y0) continue;
        const def = getLayer(n.kind);
        const v = views.get(n.id);
        ctx.fillStyle = '#ffffff';
        ctx.fillRect(x, y, b.width, b.height);
        ctx.fillStyle = def ? CATEGORY_COLOR[def.category] : '#94a3b8';
        ctx.fillRect(x, y, b.width, 6);
        ctx.strokeStyle = v?.errors ? '#dc2626' : '#cbd5e1';
        ctx.strokeRect(x, y, b.width, b.height);
        if (names) {
          ctx.fillStyle = '#0f172a';
          ctx.fillText(n.name.slice(0, 40), x + 12, y + 16, b.width - 24);
        }
      }
    });
    return () => cancelAnimationFrame(frame);
  }, [graph, sizes, views, transform, width, height]);
  return <canvas ref={canvas} className="overview" aria-hidden style={{ width, height }} />;
}
