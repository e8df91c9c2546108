/**
 * The short training probe behind `backend: 'auto'`: a few batches of the run's own model on its own
 * data, through the same Trainer, on whatever backend TF.js is set to; selectBackend runs it on each
 * candidate and keeps the fastest.
 *
 * The probe model is a throwaway copy (its weights are never used): orthogonal initializers become
 * glorot_uniform for it, because TF.js's orthogonal initializer runs a QR decomposition that takes
 * longer than the probe itself on cpu — the shapes, and so the time per batch, are the same. The
 * first batch pays for kernel compilation and warm-up and is not counted.
 */
import type { TF } from '../../core/layers/tfjs.ts';
import type { TrainingSettings } from '../../core/project.ts';
import type { Graph, Params } from '../../core/types.ts';
import type { Dataset } from '../../data/tasks.ts';
import { Trainer } from './engine.ts';

/** Batches a probe trains (the first is warm-up). */
export const PROBE_BATCHES = 3;

const RECURRENT = new Set(['SimpleRNN', 'LSTM', 'GRU']);

/**
 * The graph with every orthogonal initializer replaced by glorot_uniform — given ones, and the
 * recurrent layers' default (Keras's recurrent_initializer is orthogonal), inside wrapped layers too.
 */
export function withCheapInitializers(graph: Graph): Graph {
  const fix = (kind: string, p: Params): Params => {
    const out: Record<string, unknown> = { ...p };
    for (const [k, v] of Object.entries(p)) {
      if (k.endsWith('_initializer') && v === 'orthogonal') out[k] = 'glorot_uniform';
      else if (k === 'layer' && v && typeof v === 'object' && 'params' in (v as object)) {
        const inner = v as { kind: string; params: Params };
        out[k] = { ...inner, params: fix(inner.kind, inner.params) };
      }
    }
    if (RECURRENT.has(kind) && (p.recurrent_initializer === undefined || p.recurrent_initializer === 'orthogonal')) out.recurrent_initializer = 'glorot_uniform';
    return out as Params;
  };
  return { ...graph, nodes: graph.nodes.map((n) => ({ ...n, params: fix(n.kind, n.params) })) };
}

/**
 * A function timing `batches` training batches of this model and data on the current backend:
 * resolves with the median ms per batch after the first, or rejects with the engine's error.
 */
export function trainingProbe(tf: TF, graph: Graph, dataset: Dataset, settings: TrainingSettings, batches = PROBE_BATCHES): () => Promise<number> {
  const probeGraph = withCheapInitializers(graph);
  const n = Math.min(dataset.train.length, batches * settings.batch_size);
  const data: Dataset = { ...dataset, train: dataset.train.slice(0, n), val: [], test: [] };
  const probeSettings: TrainingSettings = { ...settings, epochs: 1, early_stopping: null, lr_schedule: { kind: 'constant' } };
  return async () => {
    const ms: number[] = [];
    let error: string | undefined;
    const trainer = new Trainer({
      tf, graph: probeGraph, dataset: data, settings: probeSettings, predictions: 0,
      onEvent: (e) => {
        if (e.type === 'batch') ms.push(e.msPerBatch);
        if (e.type === 'error') error = e.message;
      },
    });
    try {
      await trainer.run();
    } finally {
      disposeTrainer(trainer);
    }
    if (error) throw new Error(error);
    if (!ms.length) throw new Error('the probe trained no batch');
    const timed = ms.length > 1 ? ms.slice(1) : ms;
    return [...timed].sort((a, b) => a - b)[timed.length >> 1];
  };
}

/** Frees a finished Trainer's model and its optimizer's variables (the Trainer keeps its own optimizer). */
export function disposeTrainer(trainer: Trainer): void {
  try {
    trainer.resumeState()?.optimizer.dispose();
    trainer.model?.optimizer?.dispose();
    trainer.model?.dispose();
  } catch {
    // already disposed
  }
}
