/**
 * The inside store (src/store/insideStore.ts) reaches the inside views through React context
 * (created in src/main.tsx). Without a provider (tests that mount the editor alone) the views that
 * need the worker say so instead of failing.
 */
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { InsideState, InsideStore } from '../../store/insideStore.ts';
import type { ExperimentStore } from '../../store/experiment.ts';

export const InsideContext = createContext<InsideStore | null>(null);

export function useInsideStore(): InsideStore | null {
  return useContext(InsideContext);
}

const none = () => undefined;
const dummy = { subscribe: () => () => {}, getState: none, getInitialState: none } as unknown as InsideStore;

/** One slice of the inside store; `undefined` when there is no store. */
export function useInside<T>(selector: (s: InsideState) => T): T | undefined {
  const s = useContext(InsideContext);
  return useStore(s ?? dummy, (st: InsideState | undefined) => (st ? selector(st) : undefined));
}

/** The vanishing-gradient experiment's store (its own worker), made in main.tsx. */
export const ExperimentContext = createContext<ExperimentStore | null>(null);

export function useExperimentStore(): ExperimentStore | null {
  return useContext(ExperimentContext);
}
