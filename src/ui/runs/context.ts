/** The runs store (kept training runs, src/store/runsStore.ts) for components: `useRuns(selector)`. */
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { RunsState, RunsStore } from '../../store/runsStore.ts';

export const RunsContext = createContext<RunsStore | null>(null);

export function useRunsStore(): RunsStore {
  const s = useContext(RunsContext);
  if (!s) throw new Error('RunsContext is missing (main.tsx provides it).');
  return s;
}

export function useRuns<T>(selector: (s: RunsState) => T): T {
  return useStore(useRunsStore(), selector);
}

/** The runs store when one is provided (views that also work without it). */
export function useOptionalRunsStore(): RunsStore | null {
  return useContext(RunsContext);
}
