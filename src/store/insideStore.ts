/**
 * The "see inside" views' state (issue 11), separate from the document (nothing here is saved or
 * undone): which recurrent node is shown unrolled and on which example, the last "look inside"
 * result, the gradient samples of the worker's current run, the sampling setting, the weight sizes
 * per gate, and the vanishing-gradient experiment. Plain zustand vanilla, no React, no TF.js: the
 * client (src/tf/train/client.ts's inside part) is injected, so TF.js stays in the worker.
 *
 *   const inside = createInsideStore({ client: trainingClient() });
 *   inside.getState().unroll(nodeId);                 // the unrolled view
 *   await inside.getState().inspect(request);         // look inside one example
 *   inside.getState().gradients.samples;              // ‖∂L/∂h_t‖ during training, live
 */
import { createStore } from 'zustand/vanilla';
import type { Graph } from '../core/types.ts';
import type { InsideClient } from '../tf/train/insideClient.ts';
import type { GradientSample, GradientsEvery, InspectRequest, InspectResult, InspectSource } from '../tf/train/protocol.ts';
import type { WeightStats } from '../tf/inspect/weights.ts';

export type InspectStatus = 'idle' | 'running' | 'done' | 'error';

/** Most samples kept per run (older ones are thinned: every other one dropped). */
export const MAX_SAMPLES = 120;

export interface InsideState {
  /** The node shown unrolled in time, or null. */
  readonly unrolled: string | null;
  /** Which example the unrolled view and "look inside" use. */
  readonly split: 'train' | 'val' | 'test';
  readonly example: number;

  readonly inspectStatus: InspectStatus;
  readonly result: InspectResult | null;
  /** The graph and input of the shown result (the view says when the graph changed since). */
  readonly resultGraph: Graph | null;
  readonly resultSource: InspectSource | null;
  readonly inspectError: string | null;

  /** Gradient samples of the run the worker trains (reset when another run starts). */
  readonly gradients: { readonly runId: number | null; readonly samples: readonly GradientSample[] };
  readonly gradientsEvery: GradientsEvery;

  readonly weights: { readonly graph: Graph; readonly stats: WeightStats | null; readonly trained: boolean } | null;

  unroll(nodeId: string | null): void;
  setExample(example: number, split?: InsideState['split']): void;
  inspect(request: InspectRequest): Promise<void>;
  setGradientsEvery(every: GradientsEvery): void;
  clearGradients(): void;
  /** Asks the worker for the weight sizes of the latest run (when it trained this graph). */
  refreshWeights(graph: Graph): Promise<void>;
}

export interface InsideStoreOptions {
  readonly client: InsideClient;
}

/** Keeps at most MAX_SAMPLES, thinning the older half (the curve's history stays spread over the run). */
export function pushSample(samples: readonly GradientSample[], s: GradientSample): GradientSample[] {
  const next = [...samples, s];
  if (next.length <= MAX_SAMPLES) return next;
  const half = Math.floor(next.length / 2);
  return [...next.slice(0, half).filter((_, k) => k % 2 === 0), ...next.slice(half)];
}

export function createInsideStore(opts: InsideStoreOptions) {
  let ticket = 0;
  const store = createStore<InsideState>()((set, get) => ({
    unrolled: null,
    split: 'test',
    example: 0,
    inspectStatus: 'idle',
    result: null,
    resultGraph: null,
    resultSource: null,
    inspectError: null,
    gradients: { runId: null, samples: [] },
    gradientsEvery: 'auto',
    weights: null,

    unroll(nodeId) {
      set({ unrolled: nodeId });
    },
    setExample(example, split) {
      set({ example: Math.max(0, Math.floor(example)), ...(split ? { split } : {}) });
    },
    async inspect(request) {
      const t = ++ticket;
      set({ inspectStatus: 'running', inspectError: null });
      try {
        const result = await opts.client.inspect(request);
        if (t !== ticket) return;
        set({ inspectStatus: 'done', result, resultGraph: request.graph, resultSource: request.source });
      } catch (e) {
        if (t !== ticket) return;
        set({ inspectStatus: 'error', inspectError: e instanceof Error ? e.message : String(e) });
      }
    },
    setGradientsEvery(every) {
      set({ gradientsEvery: every });
      opts.client.setGradientsEvery(every);
    },
    clearGradients() {
      set({ gradients: { runId: null, samples: [] } });
    },
    async refreshWeights(graph) {
      const r = await opts.client.weightStats(graph);
      set({ weights: { graph, stats: r.stats, trained: r.trained } });
    },
  }));
  opts.client.onGradients((sample, runId) => {
    const g = store.getState().gradients;
    store.setState({ gradients: { runId, samples: g.runId === runId ? pushSample(g.samples, sample) : [sample] } });
  });
  return store;
}

export type InsideStore = ReturnType<typeof createInsideStore>;
