/** Placement helpers: a free spot for a new node and the nearest node in a direction (keyboard navigation). */
import type { Graph, XY } from '../core/types.ts';
import type { Size } from './state.ts';

const FALLBACK: Size = { width: 220, height: 120 };

function rectOf(g: Graph, sizes: Readonly<Record<string, Size>>, id: string) {
  const n = g.nodes.find((m) => m.id === id)!;
  const s = sizes[id] ?? FALLBACK;
  return { x: n.position.x, y: n.position.y, w: s.width, h: s.height };
}

/** The first spot at or below `want` where a node of `size` overlaps nothing. */
export function freeSpot(g: Graph, sizes: Readonly<Record<string, Size>>, want: XY, size: Size): XY {
  const rects = g.nodes.map((n) => rectOf(g, sizes, n.id));
  let p = want;
  for (let k = 0; k < 50; k++) {
    const hit = rects.find((r) => p.x < r.x + r.w + 20 && p.x + size.width + 20 > r.x && p.y < r.y + r.h + 20 && p.y + size.height + 20 > r.y);
    if (!hit) return p;
    p = { x: p.x, y: hit.y + hit.h + 40 };
  }
  return p;
}

/** The node whose centre is nearest in `dir` from `from` (distance plus twice the sideways offset). */
export function nearestInDirection(
  g: Graph, sizes: Readonly<Record<string, Size>>, from: string, dir: 'left' | 'right' | 'up' | 'down',
): string | undefined {
  const c = (id: string) => {
    const r = rectOf(g, sizes, id);
    return { x: r.x + r.w / 2, y: r.y + r.h / 2 };
  };
  const o = c(from);
  let best: string | undefined;
  let bestScore = Infinity;
  for (const n of g.nodes) {
    if (n.id === from) continue;
    const p = c(n.id);
    const dx = p.x - o.x, dy = p.y - o.y;
    const along = dir === 'left' ? -dx : dir === 'right' ? dx : dir === 'up' ? -dy : dy;
    const side = dir === 'left' || dir === 'right' ? Math.abs(dy) : Math.abs(dx);
    if (along <= 0) continue;
    const score = along + 2 * side;
    if (score < bestScore) { bestScore = score; best = n.id; }
  }
  return best;
}

/**
 * How far a pasted fragment moves from where it was copied: its top-left to the pointer `at` (flow
 * coordinates) when the pointer is over the canvas; otherwise just below the originals (the k-th
 * paste one box further), moved on down past anything it would overlap. Never a few pixels over
 * the originals, where a copy hides what it copied.
 */
export function pasteOffset(g: Graph, fragment: Graph, sizes: Readonly<Record<string, Size>>, at: XY | undefined, k: number): XY {
  if (!fragment.nodes.length) return { x: 0, y: 0 };
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const n of fragment.nodes) {
    const s = sizes[n.id] ?? FALLBACK;
    x0 = Math.min(x0, n.position.x);
    y0 = Math.min(y0, n.position.y);
    x1 = Math.max(x1, n.position.x + s.width);
    y1 = Math.max(y1, n.position.y + s.height);
  }
  if (at) return { x: Math.round(at.x - x0), y: Math.round(at.y - y0) };
  const box = { width: x1 - x0, height: y1 - y0 };
  const want = freeSpot(g, sizes, { x: x0, y: y0 + k * (box.height + 48) }, box);
  return { x: want.x - x0, y: want.y - y0 };
}
