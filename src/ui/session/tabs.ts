/**
 * Two tabs on one project warn instead of silently overwriting each other. Every tab asks for one
 * Web Lock; the tab holding it autosaves, the others show why they do not, and can take over
 * ("Continue here" steals the lock: the other tab then stops autosaving and says so). When the
 * owner tab closes, a waiting tab is told (its document may be older than what the closed tab saved).
 * Browsers without Web Locks keep the old behaviour (every tab autosaves).
 */
import { createStore } from 'zustand/vanilla';

export type TabStatus =
  /** This tab owns the project and autosaves it. */
  | 'owner'
  /** Another tab owns it: this one does not autosave. */
  | 'other-tab'
  /** This tab owned it, another one took over. */
  | 'taken-over'
  /** The owner closed; this tab may hold an older version. */
  | 'other-closed';

export const LOCK_NAME = 'unroll:project';

export interface TabState {
  readonly status: TabStatus;
  /** Own the project from now on (the other tab stops autosaving). */
  takeOver(): Promise<void>;
}

export function createTabLock(locks: LockManager | undefined = typeof navigator !== 'undefined' ? navigator.locks : undefined) {
  let release: (() => void) | null = null;
  let waiting: AbortController | null = null;
  /** Holds the lock until released here or stolen by another tab. */
  const hold = (): Promise<void> => new Promise<void>((resolve) => { release = resolve; });
  const store = createStore<TabState>()(() => ({
    status: 'owner',
    async takeOver() {
      if (!locks) return;
      waiting?.abort();
      waiting = null;
      release?.();
      await new Promise<void>((granted) => {
        request({ steal: true }, () => {
          store.setState({ status: 'owner' });
          granted();
          return hold();
        });
      });
    },
  }));
  const set = (status: TabStatus) => store.setState({ status });
  /** A request whose held lock, when stolen, means another tab took over. */
  const request = (opts: LockOptions, cb: LockGrantedCallback<unknown>) => {
    locks!.request(LOCK_NAME, opts, cb).catch((e: unknown) => {
      if ((e as DOMException)?.name === 'AbortError' && !opts.signal) set('taken-over');
    });
  };
  if (locks) {
    request({ ifAvailable: true }, (lock) => {
      if (lock) return hold();
      set('other-tab');
      waiting = new AbortController();
      request({ signal: waiting.signal }, () => {
        waiting = null;
        set('other-closed');
        return hold();
      });
      return undefined;
    });
  }
  return store;
}

export type TabLock = ReturnType<typeof createTabLock>;
