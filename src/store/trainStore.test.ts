/**
 * The train store against the real training client and the worker's logic, in one process (an
 * in-process "worker" that structured-clones every message, like src/tf/train/client.test.ts),
 * on TF.js's cpu backend: a full run, stop, pause/resume, a superseded run, NaN and data errors.
 */
import { describe, expect, it } from 'vitest';
import type { Project } from '../core/project.ts';
import { createTrainingClient } from '../tf/train/client.ts';
import { inProcessWorker as sharedWorker } from '../tf/train/testUtil.ts';

const inProcessWorker = () => sharedWorker({ throttleMs: 0 });
import { getTemplate } from '../../templates/index.ts';
import { until } from './testUtil.ts';
import { createTrainStore, isActive } from './trainStore.ts';


const client = createTrainingClient(inProcessWorker);

function project(template: string, datasetId: string | null, training: Partial<Project['training']>, size = 200): Project {
  const p = getTemplate(template)!.project;
  return { ...p, dataset: datasetId ? { id: datasetId, options: { size, seed: 1 } } : null, training: { ...p.training, backend: 'cpu', ...training } };
}


describe('train store', () => {
  it('runs the sentiment template: backend, batches, epochs, test metrics, predictions', async () => {
    const store = createTrainStore({ client });
    store.getState().start(project('sentiment', 'airline-sentiment', { epochs: 2, batch_size: 32 }));
    expect(store.getState().status).toBe('starting');
    expect(isActive(store.getState())).toBe(true);
    await until(store, (s) => s.status === 'done' || s.status === 'error');
    const s = store.getState();
    expect(s.error).toBeNull();
    expect(s.status).toBe('done');
    expect(s.backend).toMatchObject({ requested: 'cpu', backend: 'cpu' });
    expect(s.info?.epochs).toBe(2);
    expect(s.batches.length).toBe(2 * s.info!.batches);
    expect(s.batches.map((b) => b.step)).toEqual(s.batches.map((_, i) => i + 1));
    expect(s.batches.every((b) => Number.isFinite(b.loss) && b.accuracy !== undefined)).toBe(true);
    expect(s.epochs.map((e) => e.epoch)).toEqual([1, 2]);
    expect(s.epochs[0].val_accuracy).toBeGreaterThanOrEqual(0);
    expect(s.progress).toEqual({ epoch: 2, epochs: 2, batch: s.info!.batches, batches: s.info!.batches });
    expect(s.msPerBatch).toBeGreaterThan(0);
    expect(s.test?.accuracy).toBeGreaterThanOrEqual(0);
    expect(s.predictions.length).toBeGreaterThan(0);
    expect(s.predictions[0].input).toMatch(/[a-z]/);
    expect(s.exportable).toBe(true);
    expect(isActive(s)).toBe(false);
    const files = await s.exportModel();
    const names = JSON.parse(files.modelJson).modelTopology.config.layers.map((l: { config: { name: string } }) => l.config.name);
    expect(names).toEqual(expect.arrayContaining(s.graph!.nodes.filter((n) => n.kind !== 'Output').map((n) => n.name)));
    expect(files.weights.byteLength).toBeGreaterThan(1000);

    store.getState().reset();
    expect(store.getState()).toMatchObject({ status: 'idle', batches: [], epochs: [], test: null, error: null });
  });

  it('stops during a run and pauses / resumes', async () => {
    const store = createTrainStore({ client });
    store.getState().start(project('sentiment', 'airline-sentiment', { epochs: 3, batch_size: 16 }));
    await until(store, (s) => s.batches.length >= 2);
    store.getState().pause();
    expect(store.getState().status).toBe('paused');
    const seen = store.getState().batches.length;
    await new Promise((r) => setTimeout(r, 300));
    expect(store.getState().batches.length).toBeLessThanOrEqual(seen + 1); // at most the batch in flight
    store.getState().resume();
    expect(store.getState().status).toBe('running');
    await until(store, (s) => s.batches.length >= seen + 2);
    store.getState().stop();
    expect(store.getState().stopping).toBe(true);
    await until(store, (s) => s.status === 'stopped');
    const s = store.getState();
    expect(s.stopping).toBe(false);
    expect(s.stoppedAt?.epoch).toBe(1);
    expect(s.test).toBeNull();
    expect(s.exportable).toBe(true);
  });

  it('a newer start supersedes the running one; its late events are ignored', async () => {
    const store = createTrainStore({ client });
    store.getState().start(project('sentiment', 'airline-sentiment', { epochs: 3 }));
    await until(store, (s) => s.batches.length >= 1);
    store.getState().start(project('sentiment', 'airline-sentiment', { epochs: 1, batch_size: 64 }));
    expect(store.getState()).toMatchObject({ run: 2, status: 'starting', batches: [] });
    await until(store, (s) => s.status === 'done');
    expect(store.getState().info?.epochs).toBe(1);
    expect(store.getState().epochs).toHaveLength(1);
  });

  it('keeps the engine\'s NaN message with where it happened', async () => {
    const store = createTrainStore({ client });
    store.getState().start(project('forecast-gru', 'noisy-sine', { epochs: 5, batch_size: 8, optimizer: 'sgd', learning_rate: 10 }));
    await until(store, (s) => s.status === 'error' || s.status === 'done');
    const { error, status, exportable } = store.getState();
    expect(status).toBe('error');
    expect(error).toMatchObject({ where: 'train', message: expect.stringMatching(/loss became (NaN|infinite) at epoch \d+, batch \d+.*lower learning rate/) });
    expect(error?.epoch).toBeGreaterThanOrEqual(1);
    expect(exportable).toBe(false);
  });

  it('reports a missing dataset, an unknown one and one that does not fit the graph', async () => {
    const store = createTrainStore({ client });
    await expect(store.getState().exportModel()).rejects.toThrow(/Train the model first/);
    store.getState().start(project('sentiment', null, {}));
    expect(store.getState()).toMatchObject({ status: 'error', error: { where: 'data', message: expect.stringMatching(/Choose a dataset/) } });

    store.getState().start(project('sentiment', 'no-such-data', {}));
    await until(store, (s) => s.status === 'error');
    expect(store.getState().error?.message).toMatch(/Unknown dataset "no-such-data"/);

    store.getState().start(project('sentiment', 'noisy-sine', {}));
    await until(store, (s) => s.status === 'error');
    expect(store.getState().error).toMatchObject({ where: 'binding', message: expect.stringMatching(/does not fit the dataset/) });
  });
});

describe('continue training', () => {
  it('keeps the curves and numbers the new epochs on; early stopping is reported', async () => {
    const store = createTrainStore({ client });
    const p = project('sentiment', 'airline-sentiment', { epochs: 1, batch_size: 32 }, 120);
    store.getState().start(p);
    await until(store, (s) => s.status === 'done' || s.status === 'error');
    const first = store.getState();
    expect(first.epochs.map((e) => e.epoch)).toEqual([1]);
    store.getState().continueRun({ ...p, training: { ...p.training, epochs: 2, early_stopping: { monitor: 'val_loss', min_delta: 1e9, patience: 0, mode: 'auto', baseline: null, restore_best_weights: true, start_from_epoch: 0 } } });
    expect(store.getState().continued).toBe(true);
    expect(store.getState().epochs).toHaveLength(1);
    await until(store, (s) => s.status === 'done' || s.status === 'error');
    const s = store.getState();
    expect(s.error).toBeNull();
    expect(s.progress?.epochs).toBe(3);
    // Early stopping (nothing counts as better) stops after epoch 3 of 3, restoring epoch 2.
    expect(s.epochs.map((e) => e.epoch)).toEqual([1, 2, 3]);
    expect(s.early).toMatchObject({ stoppedEpoch: 3, bestEpoch: 2, restored: true });
    expect(s.batches.map((b) => b.step)).toEqual(s.batches.map((_, i) => i + 1));
  });
});
