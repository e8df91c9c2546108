/**
 * Long lists render only the rows in view: a 10,000-layer summary or issue list is a few dozen
 * DOM rows plus two spacers, so opening a large graph and every edit after it cost the same as a
 * small one (the page's layout work grows with the rows in the DOM). Rows get a fixed height in
 * windowed mode (their text is cut with an ellipsis and kept in a tooltip).
 *
 *   const ref = useRef<HTMLTableSectionElement>(null);
 *   const w = useRowWindow(rows.length, 29, ref);
 *   // render rows.slice(w.start, w.end), with spacers of w.before and w.after pixels
 */
import { useEffect, useState, type RefObject } from 'react';

/** Lists up to this many rows render whole. */
export const WINDOW_FROM = 300;
const OVERSCAN = 20;

export interface RowWindow {
  readonly windowed: boolean;
  readonly start: number;
  readonly end: number;
  /** Heights of the spacers before and after the rendered rows. */
  readonly before: number;
  readonly after: number;
}

function scroller(el: HTMLElement | null): HTMLElement | null {
  for (let p = el?.parentElement ?? null; p; p = p.parentElement) {
    const o = getComputedStyle(p).overflowY;
    if (o === 'auto' || o === 'scroll') return p;
  }
  return null;
}

export function useRowWindow(count: number, rowHeight: number, ref: RefObject<HTMLElement | null>): RowWindow {
  const windowed = count > WINDOW_FROM;
  const [range, setRange] = useState({ start: 0, end: Math.min(count, 80) });
  useEffect(() => {
    if (!windowed) return;
    const el = ref.current;
    const box = scroller(el);
    if (!el || !box) return;
    let frame = 0;
    const update = () => {
      frame = 0;
      const top = box.scrollTop - (el.getBoundingClientRect().top - box.getBoundingClientRect().top + box.scrollTop);
      const start = Math.max(0, Math.floor(top / rowHeight) - OVERSCAN);
      const end = Math.min(count, Math.ceil((top + box.clientHeight) / rowHeight) + OVERSCAN);
      setRange((r) => (r.start === start && r.end === end ? r : { start, end }));
    };
    const onScroll = () => { if (!frame) frame = requestAnimationFrame(update); };
    update();
    box.addEventListener('scroll', onScroll, { passive: true });
    const ro = new ResizeObserver(onScroll);
    ro.observe(box);
    return () => {
      box.removeEventListener('scroll', onScroll);
      ro.disconnect();
      if (frame) cancelAnimationFrame(frame);
    };
  }, [windowed, count, rowHeight, ref]);
  if (!windowed) return { windowed, start: 0, end: count, before: 0, after: 0 };
  const start = Math.min(range.start, count);
  const end = Math.min(Math.max(range.end, start), count);
  return { windowed, start, end, before: start * rowHeight, after: (count - end) * rowHeight };
}
