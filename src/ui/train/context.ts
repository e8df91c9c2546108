/**
 * The train store reaches the Train panel and the Export menu through React context (created in
 * src/main.tsx next to the editor store). `useTrain(selector)` subscribes to one slice;
 * `useTrainThrottled(selector, ms)` does too, rendering at most once per `ms` (live views).
 */
import { createContext, useContext, useEffect, useRef, useState } from 'react';
import { useStore } from 'zustand';
import type { TrainState, TrainStore } from '../../store/trainStore.ts';

export const TrainContext = createContext<TrainStore | null>(null);

export function useTrainStore(): TrainStore {
  const s = useContext(TrainContext);
  if (!s) throw new Error('useTrainStore: no <TrainContext.Provider> above this component');
  return s;
}

export function useTrain<T>(selector: (s: TrainState) => T): T {
  return useStore(useTrainStore(), selector);
}

/**
 * One clock per store and pace: every throttled view of a store flushes in the same task, so
 * React renders them together (one commit, one frame) rather than each on its own timer.
 */
interface Pace {
  readonly listeners: Set<() => void>;
  off?: () => void;
}
const paces = new WeakMap<TrainStore, Map<number, Pace>>();

function subscribePaced(store: TrainStore, ms: number, listener: () => void): () => void {
  let byMs = paces.get(store);
  if (!byMs) paces.set(store, (byMs = new Map()));
  let pace = byMs.get(ms);
  if (!pace) {
    const p: Pace = { listeners: new Set() };
    byMs.set(ms, (pace = p));
    let timer: ReturnType<typeof setTimeout> | undefined;
    let last = -Infinity;
    let status = store.getState().status;
    const flush = () => {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      last = performance.now();
      for (const l of [...p.listeners]) l();
    };
    const unsubscribe = store.subscribe((s) => {
      if (s.status !== status) {
        status = s.status;
        flush();
      } else if (timer === undefined) {
        timer = setTimeout(flush, Math.max(0, last + ms - performance.now()));
      }
    });
    p.off = () => {
      unsubscribe();
      if (timer !== undefined) clearTimeout(timer);
      byMs!.delete(ms);
    };
  }
  const p = pace;
  p.listeners.add(listener);
  return () => {
    p.listeners.delete(listener);
    if (!p.listeners.size) p.off?.();
  };
}

/**
 * `useTrain` that re-renders at most once per `ms` while a run streams batches (live charts,
 * progress): a burst of store changes becomes one render at its end, shared by every view on the
 * same pace. A change of the run's status (start, done, stop, error) renders at once, so a
 * finished run's last values are never held back.
 */
export function useTrainThrottled<T>(selector: (s: TrainState) => T, ms: number): T {
  const store = useTrainStore();
  const pick = useRef(selector);
  pick.current = selector;
  const [value, setValue] = useState(() => selector(store.getState()));
  useEffect(() => {
    const update = () => setValue(() => pick.current(store.getState()));
    update();
    return subscribePaced(store, ms, update);
  }, [store, ms]);
  return value;
}
