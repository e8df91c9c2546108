/**
 * Fitting the model in view without making it unreadable. Node text is never drawn smaller than
 * MIN_TEXT_PX on screen by a fit: when the whole graph fits at a zoom where text stays readable,
 * the fit shows all of it; otherwise it shows the graph at the readable zoom from its inputs (the
 * left edge; layouts run left → right), and a second Fit shows the whole graph whatever the size.
 * The padding keeps nodes clear of the canvas's own overlays (zoom buttons, minimap).
 *
 *   const v = readableViewport(bounds, { width, height }, padding, { minZoom: 1, maxZoom: 1.1 });
 */

/** Smallest text on screen a fit allows (CSS px). */
export const MIN_TEXT_PX = 11;
/** The smallest font a node or wire label uses at zoom 1 and text size 100% (styles.css). */
export const NODE_MIN_FONT_PX = 11;
/** A fit never zooms in further than this. */
export const FIT_MAX_ZOOM = 1.1;

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface Padding {
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
  readonly left: number;
}

export interface Viewport {
  readonly x: number;
  readonly y: number;
  readonly zoom: number;
}

/** The zoom at which node text is MIN_TEXT_PX on screen, for a node text size (1 = 100%). */
export const readableZoom = (textScale: number): number => MIN_TEXT_PX / (NODE_MIN_FONT_PX * textScale);

/**
 * The viewport for `bounds` (flow coordinates) in a canvas of `size` (px): the whole graph when it
 * fits at ≥ `minZoom` (or `whole` is set), else `minZoom` with the graph's left edge at the left
 * padding, centred vertically when it fits, from the top when it does not. `all` says whether
 * the whole graph is in view.
 */
export function readableViewport(bounds: Rect, size: { width: number; height: number }, pad: Padding,
  o: { minZoom: number; maxZoom?: number; whole?: boolean }): Viewport & { all: boolean } {
  const w = Math.max(1, size.width - pad.left - pad.right), h = Math.max(1, size.height - pad.top - pad.bottom);
  const bw = Math.max(1, bounds.width), bh = Math.max(1, bounds.height);
  const maxZoom = o.maxZoom ?? FIT_MAX_ZOOM;
  const fit = Math.min(w / bw, h / bh, maxZoom);
  if (fit >= o.minZoom || o.whole) {
    return { zoom: fit, x: pad.left + (w - bw * fit) / 2 - bounds.x * fit, y: pad.top + (h - bh * fit) / 2 - bounds.y * fit, all: true };
  }
  const zoom = Math.min(o.minZoom, maxZoom);
  const fitsHeight = bh * zoom <= h;
  return {
    zoom,
    x: pad.left - bounds.x * zoom,
    y: fitsHeight ? pad.top + (h - bh * zoom) / 2 - bounds.y * zoom : pad.top - bounds.y * zoom,
    all: bw * zoom <= w && fitsHeight,
  };
}

/** Padding around a fit: clear of the zoom buttons (a row at the top left) and the minimap (bottom right) when shown. */
export function fitPadding(minimap: boolean): Padding {
  return { top: 52, right: 24, bottom: minimap ? 132 : 24, left: 24 };
}
