/**
 * The data store reaches components through React context (created in main.tsx, provided by
 * App). `useData(selector)` subscribes to one slice, e.g. `useData((s) => s.dataset)` in the
 * Train panel; `useDataStore()` gives the store for actions (`getState().choose(id)`).
 */
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { DataState, DataStore } from '../../store/dataStore.ts';

export const DataContext = createContext<DataStore | null>(null);

export function useDataStore(): DataStore {
  const s = useContext(DataContext);
  if (!s) throw new Error('useDataStore: no <DataContext.Provider> above this component');
  return s;
}

export function useData<T>(selector: (s: DataState) => T): T {
  return useStore(useDataStore(), selector);
}
