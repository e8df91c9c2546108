/**
 * The train store reaches the Train panel and the Export menu through React context (created in
 * src/main.tsx next to the editor store). `useTrain(selector)` subscribes to one slice.
 */
import { createContext, useContext } from 'react';
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
