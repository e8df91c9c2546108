/**
 * The Data panel's dataset for training, read through its context (src/ui/data/context.ts) when
 * the app provides one; without a provider (tests, an app without the Data tab) it is null and the
 * project's dataset choice is used alone (the worker loads it by id).
 */
import { useContext } from 'react';
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import type { Dataset } from '../../data/tasks.ts';
import type { DataState, DataStore } from '../../store/dataStore.ts';
import { DataContext } from '../data/context.ts';

const NONE = createStore(() => ({ entry: null, dataset: null, status: 'idle' })) as unknown as DataStore;

const selectDataset = (s: DataState) => (s.status === 'ready' ? s.dataset : null);
const selectEntry = (s: DataState) => s.entry;

/** The loaded dataset and the entry it belongs to ('csv' for an upload, else a catalog id). */
export function useDataPanelDataset(): { entry: string | null; dataset: Dataset | null } {
  const store = useContext(DataContext) ?? NONE;
  const dataset = useStore(store, selectDataset);
  const entry = useStore(store, selectEntry);
  return { entry, dataset };
}
