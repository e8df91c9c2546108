/** The open model's loaded weights (src/store/weightsStore.ts) reach the menus through React context (main.tsx). */
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import { createWeightsStore, type WeightsState, type WeightsStore } from '../../store/weightsStore.ts';

export const WeightsContext = createContext<WeightsStore | null>(null);

/** Without a provider (tests rendering App alone) a store of its own: nothing is loaded. */
const fallback = createWeightsStore();

export function useWeightsStore(): WeightsStore {
  return useContext(WeightsContext) ?? fallback;
}

export function useWeights<T>(selector: (s: WeightsState) => T): T {
  return useStore(useWeightsStore(), selector);
}
