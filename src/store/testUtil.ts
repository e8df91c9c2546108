/** Test helpers for stores. */
import type { StoreApi } from 'zustand/vanilla';

/** Resolves when the store's state satisfies `f`. */
export function until<S>(store: StoreApi<S>, f: (s: S) => boolean): Promise<void> {
  return new Promise((resolve) => {
    if (f(store.getState())) return resolve();
    const off = store.subscribe((s) => {
      if (f(s)) {
        off();
        resolve();
      }
    });
  });
}
