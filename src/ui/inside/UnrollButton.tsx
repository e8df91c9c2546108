/**
 * The small entry points of the inside views, kept apart so the canvas and the inspector load
 * nothing else: the "unroll" button of a recurrent node, and the host of the unrolled overlay
 * (loaded on first use).
 */
import { lazy, Suspense, useEffect, useState } from 'react';
import { createPortal } from 'react-dom';
import { useInside, useInsideStore } from './context.ts';
import './unrollButton.css';

const Overlay = lazy(() => import('./UnrolledView.tsx').then((m) => ({ default: m.UnrolledOverlay })));

/** Opens the unrolled view of a node. */
export function UnrollButton({ id, name, label = 'unroll' }: { id: string; name: string; label?: string }) {
  const store = useInsideStore();
  if (!store) return null;
  return (
    <button type="button" className="unroll-button nodrag" aria-label={`Unroll ${name} in time`}
      title="Show this layer unrolled in time: one cell per step, with shared weights"
      onClick={(e) => { e.stopPropagation(); store.getState().unroll(id); }}>
      ⟳ {label}
    </button>
  );
}

/**
 * Renders the unrolled overlay while a node is unrolled, over the canvas only (into the canvas's
 * element, so it keeps the canvas's size whatever the dock below does).
 */
export function UnrolledHost() {
  const id = useInside((s) => s.unrolled);
  const [target, setTarget] = useState<Element | null>(null);
  useEffect(() => {
    if (id) setTarget(document.querySelector('.center > .canvas'));
  }, [id]);
  if (!id) return null;
  const overlay = <Suspense fallback={null}><Overlay /></Suspense>;
  return target ? createPortal(overlay, target) : overlay;
}
