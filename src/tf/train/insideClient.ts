/**
 * The main thread's side of the inside messages (issue 11), part of the training client
 * (client.ts): "look inside" requests, weight sizes, the gradient-sampling setting, and the
 * gradient samples of the worker's current run.
 *
 *   const r = await client.inspect({ graph, dataset, source: { kind: 'example', split: 'test', index: 0 }, weights: 'current', seed: 42, backend: 'auto' });
 *   const off = client.onGradients((sample, runId) => chart.push(sample));
 */
import type { Graph } from '../../core/types.ts';
import type { WeightStats } from '../inspect/weights.ts';
import type { GradientSample, GradientsEvery, InsideFromWorker, InspectRequest, InspectResult, ToWorker } from './protocol.ts';

export interface InsideClient {
  /** Runs the model once on one input in the worker; rejects with the worker's message. */
  inspect(request: InspectRequest): Promise<InspectResult>;
  /** The size of each gate block of the latest run's weights for this graph (null: no run trained it). */
  weightStats(graph: Graph): Promise<{ stats: WeightStats | null; trained: boolean }>;
  /** How often runs sample ∂L/∂h_t (kept by the worker for later runs too). */
  setGradientsEvery(every: GradientsEvery): void;
  /** Gradient samples of whatever run the worker trains; returns the unsubscribe. */
  onGradients(listener: (sample: GradientSample, runId: number) => void): () => void;
}

interface Pending<T> {
  resolve(v: T): void;
  reject(e: Error): void;
}

export function insideChannel(post: (msg: ToWorker) => void, hasWorker: () => boolean = () => true): {
  api: InsideClient;
  receive(msg: InsideFromWorker): void;
  /** Rejects what is pending (the worker was closed). */
  close(): void;
  /** Tells a new worker the setting the old one had. */
  started(): void;
} {
  let next = 1;
  const inspects = new Map<number, Pending<InspectResult>>();
  const stats = new Map<number, Pending<{ stats: WeightStats | null; trained: boolean }>>();
  const listeners = new Set<(s: GradientSample, runId: number) => void>();
  let every: GradientsEvery | undefined;
  return {
    api: {
      inspect(request) {
        const requestId = next++;
        return new Promise((resolve, reject) => {
          inspects.set(requestId, { resolve, reject });
          post({ type: 'inspect', requestId, request });
        });
      },
      weightStats(graph) {
        const requestId = next++;
        return new Promise((resolve, reject) => {
          stats.set(requestId, { resolve, reject });
          post({ type: 'weight-stats', requestId, graph });
        });
      },
      setGradientsEvery(v) {
        if (v === every) return;
        every = v;
        // A worker made later hears it when it starts (no worker is made just for a setting).
        if (hasWorker()) post({ type: 'inside-settings', gradientsEvery: v });
      },
      onGradients(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    },
    receive(msg) {
      switch (msg.type) {
        case 'gradients':
          for (const l of [...listeners]) l(msg.sample, msg.runId);
          return;
        case 'inspected':
        case 'inspect-error': {
          const p = inspects.get(msg.requestId);
          inspects.delete(msg.requestId);
          if (msg.type === 'inspected') p?.resolve(msg.result);
          else p?.reject(new Error(msg.message));
          return;
        }
        case 'weight-stats': {
          const p = stats.get(msg.requestId);
          stats.delete(msg.requestId);
          p?.resolve({ stats: msg.stats, trained: msg.trained });
        }
      }
    },
    close() {
      for (const p of [...inspects.values(), ...stats.values()]) p.reject(new Error('The training worker was closed.'));
      inspects.clear();
      stats.clear();
    },
    started() {
      if (every !== undefined) post({ type: 'inside-settings', gradientsEvery: every });
    },
  };
}
