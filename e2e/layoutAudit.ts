/**
 * Checks the page's layout from bounding boxes, as a person would see it: every visible control,
 * message, table cell and chart is inside the window, not cut off by the panel that holds it, its
 * text fits its box, controls do not overlap one another, charts are at least 240 px wide, and on
 * the canvas no node sits under the minimap or the zoom buttons and node text is ≥ ~11 px on screen.
 *
 *   const problems = await auditLayout(page);   // [] when the layout is clean
 *
 * Elements scrolled out of a scrolling panel are not checked (scrolling reaches them), vertically
 * and, where a panel is meant to scroll sideways (`data-scroll-x`: wide tables, fixed-width text),
 * horizontally; anywhere else content wider than its panel is cut off. While a modal dialog is open
 * only the dialog is. The canvas's own content (nodes, wires) is checked only
 * for the two canvas rules.
 */
import type { Page } from '@playwright/test';

export interface LayoutOptions {
  /** Charts narrower than this are a problem. */
  readonly minChartWidth?: number;
  /** Node text smaller than this on screen is a problem (CSS px). */
  readonly minNodeTextPx?: number;
}

export async function auditLayout(page: Page, o: LayoutOptions = {}): Promise<string[]> {
  return page.evaluate(({ minChart, minText }) => {
    const vw = document.documentElement.clientWidth, vh = document.documentElement.clientHeight;
    const problems: string[] = [];
    const describe = (el: Element) => {
      const name = el.getAttribute('aria-label') ?? el.getAttribute('title') ?? (el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40);
      return `${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : ''} "${name}"`;
    };
    const shown = (el: Element): DOMRect | null => {
      const r = el.getBoundingClientRect();
      if (r.width < 1 || r.height < 1) return null;
      for (let e: Element | null = el; e; e = e.parentElement) {
        const cs = getComputedStyle(e);
        if (cs.visibility === 'hidden' || cs.display === 'none' || Number(cs.opacity) === 0) return null;
      }
      return r;
    };
    const modal = document.querySelector('.modal');
    const root = modal ?? document.body;
    const inCanvas = (el: Element) => !!el.closest('.react-flow__renderer, .react-flow__minimap, .react-flow__edgelabel-renderer');
    const selector = 'button, input, select, textarea, [role=tab], [role=status], [role=alert], [role=separator], figure, label, h2, h3, p, th, td, caption, figcaption, .toast, .chip, .train-stats > span';
    const els = [...root.querySelectorAll(selector)].filter((el) => !inCanvas(el) && !(el as HTMLInputElement).type?.startsWith('hidden'));
    const boxes = new Map<Element, DOMRect>();
    const EPS = 1;

    for (const el of els) {
      const r = shown(el);
      if (!r) continue;
      // Clipping containers between the element and the page. A scrolling panel shows part of what
      // it holds: from there on only the part inside it counts.
      let hidden = false;
      let clipped: string | null = null;
      let v = { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
      for (let a = el.parentElement; a && a !== document.documentElement; a = a.parentElement) {
        const cs = getComputedStyle(a);
        const ox = cs.overflowX, oy = cs.overflowY;
        if (ox === 'visible' && oy === 'visible') continue;
        const c = a.getBoundingClientRect();
        const scrollsY = (oy === 'auto' || oy === 'scroll') && a.scrollHeight > a.clientHeight + 1;
        // Sideways scrolling counts only where it is meant (wide tables, fixed-width text: data-scroll-x);
        // anywhere else content wider than its panel is cut off.
        const scrollsX = (ox === 'auto' || ox === 'scroll') && a.scrollWidth > a.clientWidth + 1 && a.hasAttribute('data-scroll-x');
        // Entirely scrolled out of a scrolling panel: not on screen, scrolling brings it.
        if ((scrollsY && (r.bottom <= c.top + EPS || r.top >= c.bottom - EPS)) || (scrollsX && (r.right <= c.left + EPS || r.left >= c.right - EPS))) {
          hidden = true;
          break;
        }
        if (!scrollsX && (v.left < c.left - EPS || v.right > c.right + EPS)) clipped ??= `cut off left/right by ${describe(a)} (${Math.round(v.left)}–${Math.round(v.right)} outside ${Math.round(c.left)}–${Math.round(c.right)})`;
        if (!scrollsY && (v.top < c.top - EPS || v.bottom > c.bottom + EPS)) clipped ??= `cut off top/bottom by ${describe(a)} (${Math.round(v.top)}–${Math.round(v.bottom)} outside ${Math.round(c.top)}–${Math.round(c.bottom)})`;
        if (scrollsX) v = { ...v, left: Math.max(v.left, c.left), right: Math.min(v.right, c.right) };
        if (scrollsY) v = { ...v, top: Math.max(v.top, c.top), bottom: Math.min(v.bottom, c.bottom) };
      }
      if (hidden) continue;
      boxes.set(el, r);
      if (clipped) problems.push(`${describe(el)} ${clipped}`);
      if (v.left < -EPS || v.top < -EPS || v.right > vw + EPS || v.bottom > vh + EPS) {
        problems.push(`${describe(el)} outside the window (${Math.round(v.left)},${Math.round(v.top)} – ${Math.round(v.right)},${Math.round(v.bottom)} in ${vw}×${vh})`);
      }
      // Text wider than its own box (and not ellipsised on purpose).
      const cs = getComputedStyle(el);
      const textual = el.childNodes.length > 0 && [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent!.trim());
      if (textual && cs.textOverflow !== 'ellipsis' && el.tagName !== 'INPUT' && el.tagName !== 'SELECT' && el.tagName !== 'TEXTAREA'
        && (el as HTMLElement).scrollWidth > (el as HTMLElement).clientWidth + 2 && (el as HTMLElement).clientWidth > 0 && cs.overflowX !== 'auto') {
        problems.push(`${describe(el)}: its text is wider than its box (${(el as HTMLElement).scrollWidth} > ${(el as HTMLElement).clientWidth} px)`);
      }
    }

    // Controls, messages and charts must not overlap (a menu or a toast over the page is fine).
    const overlaps = [...boxes.keys()].filter((el) => el.matches('button, input, select, textarea, [role=tab], [role=status], [role=alert], figure, .toast, .train-stats > span, figcaption')
      && !el.closest('[role=menu]'));
    for (let i = 0; i < overlaps.length; i++) {
      for (let j = i + 1; j < overlaps.length; j++) {
        const a = overlaps[i], b = overlaps[j];
        if (a.contains(b) || b.contains(a)) continue;
        if (a.closest('label') && a.closest('label') === b.closest('label')) continue;
        const ra = boxes.get(a)!, rb = boxes.get(b)!;
        const w = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left), h = Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top);
        if (w > 2 && h > 2) problems.push(`${describe(a)} overlaps ${describe(b)} (${Math.round(w)}×${Math.round(h)} px)`);
      }
    }

    // Charts wide enough to read.
    for (const el of root.querySelectorAll('.train-chart, .data-chart, figure.chart')) {
      const r = shown(el);
      if (r && r.width < minChart) problems.push(`${describe(el)} is ${Math.round(r.width)} px wide (< ${minChart})`);
    }

    // Axis labels inside their chart (not cut at the chart's edge: "10000" drawn as "0000").
    for (const svg of root.querySelectorAll('figure svg')) {
      const box = shown(svg);
      if (!box) continue;
      for (const t of svg.querySelectorAll('text')) {
        const r = t.getBoundingClientRect();
        if (!r.width || !(t.textContent ?? '').trim()) continue;
        if (r.left < box.left - EPS || r.right > box.right + EPS || r.top < box.top - EPS || r.bottom > box.bottom + EPS) {
          problems.push(`${describe(svg.closest('figure')!)}: axis label "${t.textContent}" cut at the chart's edge`);
        }
      }
    }

    // The canvas: nodes clear of the minimap and zoom buttons; node text readable.
    if (!modal) {
      const nodes = [...document.querySelectorAll('.react-flow__node')].map((n) => [n, n.getBoundingClientRect()] as const).filter(([, r]) => r.width > 0);
      const pane = document.querySelector('.react-flow')?.getBoundingClientRect();
      for (const sel of ['.react-flow__minimap', '.react-flow__controls']) {
        const o = document.querySelector(sel);
        const r = o && shown(o);
        if (!r) continue;
        for (const [n, nr] of nodes) {
          const w = Math.min(r.right, nr.right) - Math.max(r.left, nr.left), h = Math.min(r.bottom, nr.bottom) - Math.max(r.top, nr.top);
          if (w > 2 && h > 2) problems.push(`${sel.slice(13)} covers node ${n.querySelector('[data-name]')?.getAttribute('data-name')}`);
        }
      }
      const zoom = (() => {
        const t = getComputedStyle(document.querySelector('.react-flow__viewport')!).transform;
        const m = /matrix\(([^,]+)/.exec(t);
        return m ? Number(m[1]) : 1;
      })();
      for (const [n, nr] of nodes) {
        if (!pane || nr.right < pane.left || nr.left > pane.right || nr.bottom < pane.top || nr.top > pane.bottom) continue;
        let smallest = Infinity;
        for (const t of n.querySelectorAll('*')) {
          if (![...t.childNodes].some((c) => c.nodeType === 3 && c.textContent!.trim())) continue;
          if (!shown(t)) continue;
          smallest = Math.min(smallest, parseFloat(getComputedStyle(t).fontSize) * zoom);
        }
        if (smallest < minText) problems.push(`node ${n.querySelector('[data-name]')?.getAttribute('data-name')}: text ${smallest.toFixed(1)} px on screen (< ${minText})`);
      }
    }
    return problems;
  }, { minChart: o.minChartWidth ?? 240, minText: o.minNodeTextPx ?? 10.9 });
}
