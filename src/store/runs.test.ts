/**
 * Kept runs: the repository (upsert, newest first, weights apart, rename, remove), its size limit
 * and the browser's quota error (reported, never thrown), interrupted runs after a reload, and the
 * recorder over a real training client (in process, cpu): a run with curves, test metrics and its
 * trained weights; a continued run extends its record; a new session finds the runs.
 */
import { describe, expect, it } from 'vitest';
import type { Project } from '../core/project.ts';
import { trainingSchema } from '../core/project.ts';
import type { WeightSet } from '../core/weights.ts';
import { createTrainingClient } from '../tf/train/client.ts';
import { inProcessWorker } from '../tf/train/testUtil.ts';
import { getTemplate } from '../../templates/index.ts';
import { createRunsRepository, decimateBatches, memoryRunStorage, MB, type RunRecord } from './runs.ts';
import { attachRunRecorder, createRunsStore, modelLine } from './runsStore.ts';
import { until } from './testUtil.ts';
import { createTrainStore } from './trainStore.ts';

const graph = getTemplate('sentiment')!.project.graph;

function record(id: string, createdAt: string, extra: Partial<RunRecord> = {}): RunRecord {
  return {
    id, name: `run ${id}`, createdAt, updatedAt: createdAt, status: 'done', project: 'p', graph,
    summary: { text: modelLine(graph), params: 2755, layers: 4 }, settings: trainingSchema.parse({}), dataset: { id: 'airline-sentiment', name: 'Airline' },
    curves: { batches: [], epochs: [{ epoch: 1, loss: 1, val_loss: 1, seconds: 1 }], totalEpochs: 1 }, weightBytes: null, ...extra,
  };
}

const weights = (floats: number): WeightSet => ({
  layers: { dense: [{ path: 'dense/kernel', shape: [floats], data: new Float32Array(floats).fill(0.5) }] },
  source: { format: 'browser' },
});

describe('runs repository', () => {
  it('keeps runs newest first, weights apart, renames and removes', async () => {
    const repo = createRunsRepository(memoryRunStorage());
    await repo.save(record('a', '2026-01-01T00:00:00Z'));
    expect(await repo.save(record('b', '2026-01-02T00:00:00Z'), weights(100))).toEqual({ ok: true, weightsKept: true });
    expect((await repo.list()).map((r) => r.id)).toEqual(['b', 'a']);
    expect((await repo.get('b'))!.weightBytes).toBe(400);
    expect((await repo.weights('b'))!.layers.dense[0].data).toEqual(new Float32Array(100).fill(0.5));
    expect(await repo.weights('a')).toBeUndefined();
    await repo.rename('a', 'SimpleRNN baseline');
    expect((await repo.get('a'))!.name).toBe('SimpleRNN baseline');
    await repo.remove('b');
    expect((await repo.list()).map((r) => r.id)).toEqual(['a']);
    expect(await repo.weights('b')).toBeUndefined();
    expect(modelLine(graph)).toBe('Embedding 2 → Bidirectional(LSTM 8) → Dense 3');
  });

  it('over the size limit the run is kept without its weights, and says why', async () => {
    const repo = createRunsRepository(memoryRunStorage(), { limitBytes: 0.05 * MB });
    const r = await repo.save(record('a', '2026-01-01T00:00:00Z'), weights(20_000)); // 80 kB of weights
    expect(r.ok && !r.weightsKept).toBe(true);
    expect(r.ok && r.message).toMatch(/^This run's weights \(0\.1 MB\) were not kept: runs storage would pass its limit .* Delete older runs/);
    expect((await repo.get('a'))!.weightBytes).toBeNull();
    expect((await repo.get('a'))!.weightsNote).toMatch(/were not kept/);
    // A record alone bigger than what is left: refused with a message.
    const tiny = createRunsRepository(memoryRunStorage(), { limitBytes: 100 });
    expect(await tiny.save(record('x', '2026-01-01T00:00:00Z'))).toMatchObject({ ok: false, message: expect.stringMatching(/^Runs storage is full .* Delete older runs/) });
  });

  it('the browser\'s QuotaExceededError is reported with what to do, not thrown', async () => {
    const repo = createRunsRepository(memoryRunStorage({ quotaBytes: 20_000 }));
    const r = await repo.save(record('a', '2026-01-01T00:00:00Z'), weights(10_000)); // 40 kB > quota
    expect(r).toMatchObject({ ok: true, weightsKept: false, message: expect.stringMatching(/^The browser's storage is full: this run's weights could not be kept\. Delete older runs/) });
    expect((await repo.get('a'))!.weightBytes).toBeNull();
    const full = createRunsRepository(memoryRunStorage({ quotaBytes: 10 }));
    expect(await full.save(record('b', '2026-01-01T00:00:00Z'))).toEqual({ ok: false, message: expect.stringMatching(/^The browser's storage is full: this run could not be kept/) });
  });

  it('decimates long curves into buckets, keeping the last step', () => {
    const pts = Array.from({ length: 2500 }, (_, k) => ({ step: k + 1, x: (k + 1) / 100, loss: k % 2 }));
    const d = decimateBatches(pts, 1000);
    expect(d.length).toBeLessThanOrEqual(1000);
    expect(d.at(-1)!.step).toBe(2500);
    expect(d[0].loss).toBeCloseTo(1 / 3, 6); // mean of 0, 1, 0
  });
});

describe('runs store', () => {
  it('a run left "running" by an earlier session is interrupted on load', async () => {
    const storage = memoryRunStorage();
    const repo = createRunsRepository(storage);
    await repo.save(record('a', '2026-01-01T00:00:00Z', { status: 'running' }));
    const runs = createRunsStore({ repo });
    await runs.getState().load();
    expect(runs.getState().runs.map((r) => r.status)).toEqual(['interrupted']);
    expect((await repo.get('a'))!.status).toBe('interrupted');
  });
});


describe('recorder', () => {
  it('keeps a run with its curves, test and weights; continuing extends it; a new session finds it', async () => {
    const client = createTrainingClient(() => inProcessWorker({ throttleMs: 0 }));
    const train = createTrainStore({ client });
    const storage = memoryRunStorage();
    const runs = createRunsStore({ repo: createRunsRepository(storage) });
    await runs.getState().load();
    attachRunRecorder({ train, runs, weights: () => client.trainedWeights() });
    const p = getTemplate('sentiment')!.project;
    const project: Project = { ...p, dataset: { id: 'airline-sentiment', options: { size: 120, seed: 1 } }, training: { ...p.training, backend: 'cpu', epochs: 1, batch_size: 32 } };
    train.getState().start({ ...project, datasetName: 'Airline tweets', name: 'lesson' });
    await until(train, (s) => s.status === 'done' || s.status === 'error');
    await expect.poll(() => runs.getState().runs[0]?.weightBytes ?? null, { timeout: 10_000 }).not.toBeNull();
    const [meta] = runs.getState().runs;
    expect(meta).toMatchObject({ status: 'done', project: 'lesson', dataset: { id: 'airline-sentiment', name: 'Airline tweets' }, backend: 'cpu', loss: 'sparse_categorical_crossentropy' });
    expect(meta.test!.accuracy).toBe(train.getState().test!.accuracy);
    expect(meta.curves.epochs).toHaveLength(1);
    expect(meta.curves.batches.length).toBe(train.getState().batches.length);
    expect(meta.baseline?.majority?.accuracy).toBeGreaterThan(0);

    train.getState().continueRun({ ...project, training: { ...project.training, epochs: 1 }, datasetName: 'Airline tweets', name: 'lesson' });
    await until(train, (s) => s.status === 'done' || s.status === 'error');
    await expect.poll(() => { const r = runs.getState().runs[0]; return r.status === 'done' ? r.curves.epochs.length : 0; }, { timeout: 10_000 }).toBe(2);
    expect(runs.getState().runs).toHaveLength(1);

    // A new session over the same storage: the run, its curves and weights are there.
    const later = createRunsStore({ repo: createRunsRepository(storage) });
    await later.getState().load();
    expect(later.getState().runs.map((r) => r.id)).toEqual([meta.id]);
    const restored = await later.getState().restore(meta.id);
    const trained = await client.trainedWeights();
    expect(Object.keys(restored!.weights!.layers)).toEqual(Object.keys(trained.layers));
    expect(restored!.weights!.layers.dense[0].data).toEqual(trained.layers.dense[0].data);
    expect(restored!.record.graph).toEqual(project.graph);
    await later.getState().toggleOverlay(meta.id);
    expect(later.getState().curves[meta.id].epochs).toHaveLength(2);
    await later.getState().remove(meta.id);
    expect(later.getState().runs).toEqual([]);
    expect([...storage.map.keys()]).toEqual([]);
  });
});
