/**
 * Test helpers (Node, cpu backend): train a template on a small synthetic dataset and collect
 * the events. Not used by the app.
 */
import * as tf from '@tensorflow/tfjs';
import type { TrainingSettings } from '../../core/project.ts';
import type { Graph } from '../../core/types.ts';
import { bindDataset } from '../../data/bind.ts';
import { makeSyntheticDataset } from '../../data/synthetic.ts';
import type { Dataset } from '../../data/tasks.ts';
import { getTemplate } from '../../../templates/index.ts';
import { selectBackend } from './backend.ts';
import { Trainer, type TrainerOptions } from './engine.ts';
import type { FromWorker, ToWorker, TrainEvent } from './protocol.ts';
import type { WorkerLike } from './client.ts';
import { createTrainingHost } from './host.ts';
import { memoryLoader } from '../../data/corpora/loader.ts';

export async function useCpu(): Promise<void> {
  await selectBackend(tf, 'cpu', { env: { webgl2Renderer: null, wasm: false } });
}

export interface Setup {
  graph: Graph;
  dataset: Dataset;
  settings: TrainingSettings;
}

/** A template bound to a small synthetic dataset, with the template's settings plus `settings`. */
export function setup(template: string, datasetId: string, size: number, settings: Partial<TrainingSettings> = {}): Setup {
  const project = getTemplate(template)!.project;
  const dataset = makeSyntheticDataset(datasetId, { size, seed: 1 });
  const bound = bindDataset(project.graph, dataset);
  if (bound.problems.length) throw new Error(bound.problems.map((p) => p.message).join('\n'));
  return { graph: bound.graph, dataset, settings: { ...project.training, ...settings } };
}

/** Runs a Trainer and returns it with every event. */
export async function train(s: Setup, extra: Partial<TrainerOptions> = {}): Promise<{ trainer: Trainer; events: TrainEvent[] }> {
  const events: TrainEvent[] = [];
  const trainer = new Trainer({
    tf, ...s, ...extra,
    onEvent: (e) => {
      events.push(e);
      extra.onEvent?.(e);
    },
  });
  await trainer.run();
  return { trainer, events };
}

export function ofType<T extends TrainEvent['type']>(events: TrainEvent[], type: T): Extract<TrainEvent, { type: T }>[] {
  return events.filter((e): e is Extract<TrainEvent, { type: T }> => e.type === type);
}

/**
 * An in-process "worker" for tests: the client talks to the worker's logic (host.ts), and every
 * message is structured-cloned, as postMessage does. `throttleMs` as in createTrainingHost.
 */
export function inProcessWorker(opts: { throttleMs?: number } = {}): WorkerLike {
  const listeners: ((e: MessageEvent<FromWorker>) => void)[] = [];
  const handle = createTrainingHost({
    post: (msg) => setTimeout(() => listeners.forEach((l) => l({ data: structuredClone(msg) } as MessageEvent<FromWorker>))),
    loadTf: async () => tf,
    loader: memoryLoader({}),
    ...(opts.throttleMs === undefined ? {} : { throttleMs: opts.throttleMs }),
  });
  return {
    postMessage: (msg: ToWorker) => setTimeout(() => void handle(structuredClone(msg))),
    addEventListener: (type: string, f: (e: MessageEvent<FromWorker>) => void) => {
      if (type === 'message') listeners.push(f);
    },
    terminate: () => {},
  } as WorkerLike;
}
