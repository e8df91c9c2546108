/**
 * The results store (src/store/resultsStore.ts) for the Results tab (main.tsx provides it). The
 * Results views' hooks that ask it (`useAsk`, `useModelKey`) are in ask.ts, loaded with the tab.
 */
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { ResultsState, ResultsStore } from '../../store/resultsStore.ts';

export const ResultsContext = createContext<ResultsStore | null>(null);

export function useResultsStore(): ResultsStore {
  const s = useContext(ResultsContext);
  if (!s) throw new Error('ResultsContext is missing (main.tsx provides it).');
  return s;
}

export function useResults<T>(selector: (s: ResultsState) => T): T {
  return useStore(useResultsStore(), selector);
}
