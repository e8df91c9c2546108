/**
 * How the canvas is looked at (not part of the document, not undone): node text size, whether the
 * minimap shows, and how the view was last fitted. Text size and minimap choice are remembered in
 * this browser. `useCanvasFit()` fits the model readably (fit.ts) for the toolbar, the keyboard and
 * the canvas itself (on open, after a layout, when the canvas is resized while fitted).
 */
import { useCallback } from 'react';
import { useReactFlow, useStoreApi } from '@xyflow/react';
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import { fitPadding, readableViewport, readableZoom, type Viewport } from './fit.ts';

/** Node text sizes offered (1 = 100%). */
export const TEXT_SCALES = [0.9, 1, 1.25, 1.5, 1.75] as const;
const STORAGE = 'unroll.canvas.view';
/** The minimap shows by itself when the canvas is at least this big. */
const MINIMAP_MIN = { width: 720, height: 360 };

export interface CanvasView {
  readonly textScale: number;
  /** 'auto': shown when the canvas has room for it and it covers no node of the fitted view. */
  readonly minimap: 'auto' | 'on' | 'off';
  /** Auto mode: the last fit put a node where the minimap would be. */
  readonly minimapInTheWay: boolean;
  /** The viewport the last fit set, and whether it showed the whole graph. */
  readonly lastFit: (Viewport & { all: boolean }) | null;
  /** The user has not panned or zoomed since the last fit (a resize refits). */
  readonly fitted: boolean;
}

function restore(): Pick<CanvasView, 'textScale' | 'minimap'> {
  try {
    const v = JSON.parse(localStorage.getItem(STORAGE) ?? '{}') as Partial<CanvasView>;
    return {
      textScale: TEXT_SCALES.includes(v.textScale as never) ? v.textScale! : 1,
      minimap: v.minimap === 'on' || v.minimap === 'off' ? v.minimap : 'auto',
    };
  } catch {
    return { textScale: 1, minimap: 'auto' };
  }
}

export const canvasView = createStore<CanvasView>()(() => ({ ...restore(), lastFit: null, fitted: true, minimapInTheWay: false }));

canvasView.subscribe((s, old) => {
  if (s.textScale === old.textScale && s.minimap === old.minimap) return;
  try {
    localStorage.setItem(STORAGE, JSON.stringify({ textScale: s.textScale, minimap: s.minimap }));
  } catch {
    // storage refused: kept for this visit
  }
});

/**
 * Where the pointer is over the canvas (flow coordinates), or null when it is elsewhere: a paste
 * from the keyboard lands there. Kept outside any store (it changes with every pointer move).
 */
let pointer: { x: number; y: number } | null = null;
export const canvasPointer = {
  get: () => pointer,
  set: (p: { x: number; y: number } | null) => { pointer = p; },
};

export const useCanvasView = <T,>(selector: (s: CanvasView) => T): T => useStore(canvasView, selector);

/** Whether the minimap shows in a canvas of this size. */
export function minimapShown(v: Pick<CanvasView, 'minimap'> & Partial<Pick<CanvasView, 'minimapInTheWay'>>, size: { width: number; height: number }): boolean {
  if (v.minimap !== 'auto') return v.minimap === 'on';
  return !v.minimapInTheWay && minimapRoom(size);
}

const minimapRoom = (size: { width: number; height: number }) => size.width >= MINIMAP_MIN.width && size.height >= MINIMAP_MIN.height;

/** Where React Flow draws the minimap (bottom right, 160 × 100, 15 px margin; Canvas.tsx). */
export function minimapRect(size: { width: number; height: number }): { left: number; top: number; right: number; bottom: number } {
  return { left: size.width - 15 - 160, top: size.height - 15 - 100, right: size.width - 15, bottom: size.height - 15 };
}

const same = (a: Viewport, b: Viewport) => Math.abs(a.x - b.x) < 1 && Math.abs(a.y - b.y) < 1 && Math.abs(a.zoom - b.zoom) < 1e-3;

/**
 * fit({ toggle, whole, nodes }) — readable fit; with `toggle`, a second fit in a row (the view unchanged since a
 * fit that could not show everything) shows the whole graph. `whole` forces the whole graph.
 */
export function useCanvasFit(): (o?: { toggle?: boolean; whole?: boolean; duration?: number; nodes?: readonly { id: string }[] }) => void {
  const rf = useReactFlow();
  const flow = useStoreApi();
  return useCallback((o = {}) => {
    // `nodes`: fit these (a large graph opens on its first ones), else every node.
    const nodes = o.nodes ? o.nodes.map((n) => rf.getNode(n.id)).filter((n) => n !== undefined) : rf.getNodes();
    if (!nodes.length) return;
    const { width, height } = flow.getState();
    if (!width || !height) return;
    const view = canvasView.getState();
    const now = rf.getViewport();
    const whole = o.whole || (o.toggle && view.lastFit !== null && !view.lastFit.all && same(view.lastFit, now));
    const size = { width, height };
    const bounds = rf.getNodesBounds(nodes);
    const place = (minimap: boolean) => readableViewport(bounds, size, fitPadding(minimap), { minZoom: readableZoom(view.textScale), whole });
    let v = place(minimapShown({ minimap: view.minimap }, size));
    // Auto minimap: when the fitted view still puts a node under it (a graph wider than the canvas
    // at a readable zoom), the minimap stands aside and the fit uses the room.
    let inTheWay = false;
    if (view.minimap === 'auto' && minimapRoom(size)) {
      const m = minimapRect(size);
      inTheWay = nodes.some((n) => {
        const w = n.measured?.width ?? 0, h = n.measured?.height ?? 0;
        const l = n.position.x * v.zoom + v.x, t = n.position.y * v.zoom + v.y;
        return l < m.right && l + w * v.zoom > m.left && t < m.bottom && t + h * v.zoom > m.top;
      });
      if (inTheWay) v = place(false);
    }
    void rf.setViewport({ x: v.x, y: v.y, zoom: v.zoom }, o.duration ? { duration: o.duration } : undefined);
    canvasView.setState({ lastFit: v, fitted: true, minimapInTheWay: inTheWay });
  }, [rf, flow]);
}
