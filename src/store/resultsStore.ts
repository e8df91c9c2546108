/**
 * The Results tab's state: what the model says, asked of the training worker (workbench requests,
 * src/tf/train/workbench.ts) through the injected client: the evaluation of a split, sampled
 * text, a decoded sequence and free-running accuracy, "Try it" on a typed input, and a call of the
 * graph on random or sample input. No TF.js here (types only). Each kind keeps its last answer; an
 * answer to an older request of the same kind is dropped (typing fast in Try it).
 *
 *   const results = createResultsStore({ client: trainingClient() });
 *   results.getState().ask('evaluate', project, { op: 'evaluate', split: 'test' }, dataset?);
 */
import { createStore } from 'zustand/vanilla';
import type { Dataset } from '../data/tasks.ts';
import type { TrainingClient, WorkbenchResultOf } from '../tf/train/client.ts';
import type { WorkbenchRequest } from '../tf/train/workbench.ts';
import type { TrainProject } from './trainStore.ts';

export type ResultKind = 'evaluate' | 'generate' | 'decode' | 'decode-eval' | 'try' | 'call';

export interface Slot<R> {
  readonly pending: boolean;
  readonly result: R | null;
  readonly error: string | null;
  /** The request that produced `result` (or is pending). */
  readonly request: WorkbenchRequest | null;
}

const empty = { pending: false, result: null, error: null, request: null };

export type ResultsState = {
  readonly [K in ResultKind]: Slot<WorkbenchResultOf[K]>;
} & {
  /** Sends a request; its answer lands in the slot of its op. */
  ask(project: TrainProject, request: WorkbenchRequest, dataset?: Dataset): Promise<void>;
  clear(kind?: ResultKind): void;
};

export interface ResultsStoreOptions {
  readonly client: Pick<TrainingClient, 'workbench'>;
}

/** An uploaded dataset without its examples: what Try it, generation and typed decoding need. */
export function lightDataset(ds: Dataset): Dataset {
  return { ...ds, train: [], val: [], test: [] };
}

export function createResultsStore(opts: ResultsStoreOptions) {
  const latest: Partial<Record<ResultKind, number>> = {};
  let counter = 0;
  return createStore<ResultsState>()((set) => ({
    evaluate: empty, generate: empty, decode: empty, 'decode-eval': empty, try: empty, call: empty,
    async ask(project, request, dataset) {
      const kind = request.op;
      const id = ++counter;
      latest[kind] = id;
      set((s) => ({ [kind]: { ...s[kind], pending: true, error: null, request } }) as Partial<ResultsState>);
      try {
        const p = project as Parameters<TrainingClient['workbench']>[0]['project'];
        const result = await opts.client.workbench({ project: p, request, ...(dataset ? { dataset } : {}) });
        if (latest[kind] !== id) return;
        set({ [kind]: { pending: false, result, error: null, request } } as Partial<ResultsState>);
      } catch (e) {
        if (latest[kind] !== id) return;
        set((s) => ({ [kind]: { ...s[kind], pending: false, error: (e as Error).message ?? String(e) } }) as Partial<ResultsState>);
      }
    },
    clear(kind) {
      if (kind) set({ [kind]: empty } as Partial<ResultsState>);
      else set({ evaluate: empty, generate: empty, decode: empty, 'decode-eval': empty, try: empty, call: empty });
    },
  }));
}

export type ResultsStore = ReturnType<typeof createResultsStore>;
