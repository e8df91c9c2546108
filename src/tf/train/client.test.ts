/**
 * Client ↔ worker protocol end to end in one process: the client talks to the worker's logic
 * (host.ts) through an in-process "worker" that structured-clones every message like
 * postMessage. A newer run silences the older one; batch events are throttled; the trained
 * model exports as model.json + weights that load back and predict the same.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { getTemplate } from '../../../templates/index.ts';
import { loadModelFiles } from '../io.ts';
import { createTrainingClient } from './client.ts';
import { inProcessWorker } from './testUtil.ts';
import { batchThrottle } from './host.ts';
import type { TrainEvent } from './protocol.ts';
import { weightSpecs } from '../../core/weights.ts';


describe('batchThrottle', () => {
  it('passes ≤ 1 batch per interval, plus each epoch\'s first and last batch and every other event', () => {
    let now = 0;
    const pass = batchThrottle(100, () => now);
    const batch = (batch: number): TrainEvent => ({ type: 'batch', epoch: 1, batch, batches: 50, loss: 1, msPerBatch: 10 });
    const passed: number[] = [];
    for (let b = 1; b <= 50; b++) {
      now += 10;
      if (pass(batch(b))) passed.push(b);
    }
    expect(passed).toEqual([1, 11, 21, 31, 41, 50]);
    expect(pass({ type: 'stopped', epoch: 1, batch: 1, history: { loss: [], val_loss: [] } })).toBe(true);
  });
});

describe('client + host', () => {
  it('trains from a dataset id, supersedes a run, exports a model that loads back', async () => {
    const client = createTrainingClient(inProcessWorker);
    const project = getTemplate('sentiment')!.project;
    const settings = { backend: 'cpu' as const, epochs: 1, batch_size: 32 };
    const first = client.startTraining({ project, datasetId: 'airline-sentiment', datasetOptions: { size: 200 }, settings });
    const firstEvents: string[] = [];
    first.onEvent((e) => firstEvents.push(e.type));
    const second = client.startTraining({ project, datasetId: 'airline-sentiment', datasetOptions: { size: 200 }, settings: { ...settings, epochs: 2 } });
    const events: TrainEvent[] = [];
    second.onEvent((e) => events.push(e));
    expect((await first.finished).type).toBe('stopped');
    const end = await second.finished;
    expect(end.type).toBe('done');
    expect(firstEvents.filter((t) => t === 'batch')).toEqual([]);
    expect(events[0]).toMatchObject({ type: 'start', backend: { requested: 'cpu', backend: 'cpu' } });
    expect(events.filter((e) => e.type === 'epoch')).toHaveLength(2);

    const files = await client.exportTrainedModel();
    expect(JSON.parse(files.modelJson).weightsManifest[0].paths).toEqual(['weights.bin']);
    expect(files.weights.byteLength).toBeGreaterThan(1000);
    const model = await loadModelFiles(tf, files);
    const x = tf.tensor2d([[5, 6, 7, 0]], [1, 4], 'int32');
    expect((model.predict(x) as tf.Tensor).shape).toEqual([1, 3]);
  });

  it('reports a dataset that cannot load, and an export before training', async () => {
    const client = createTrainingClient(inProcessWorker);
    await expect(client.exportTrainedModel()).rejects.toThrow(/no trained model yet/);
    const run = client.startTraining({ project: getTemplate('sentiment')!.project, datasetId: 'no-such-data', settings: { backend: 'cpu' } });
    expect(await run.finished).toMatchObject({ type: 'error', where: 'data', message: expect.stringMatching(/Unknown dataset "no-such-data"/) });
  });

  it('hands the trained weights out as a WeightSet, and starts a run from set weights (keras block)', async () => {
    const client = createTrainingClient(inProcessWorker);
    const project = getTemplate('sentiment')!.project;
    const settings = { backend: 'cpu' as const, epochs: 1, batch_size: 64 };
    await expect(client.trainedWeights()).rejects.toThrow(/no trained model yet/);
    const first = client.startTraining({ project, datasetId: 'airline-sentiment', datasetOptions: { size: 120 }, settings });
    expect((await first.finished).type).toBe('done');
    const ws = await client.trainedWeights();
    expect(ws.source.format).toBe('browser');
    expect(Object.keys(ws.layers)).toEqual(weightSpecs(project.graph).map((s) => s.layer));
    const emb = ws.layers.embedding[0];
    expect(emb.path).toBe('embedding/embeddings');

    // A second run starting from those weights reports them and has the same weights before its first step.
    client.setWeights(ws);
    const second = client.startTraining({ project, datasetId: 'airline-sentiment', datasetOptions: { size: 120 }, settings: { ...settings, learning_rate: 1e-12 } });
    const events: TrainEvent[] = [];
    second.onEvent((e) => events.push(e));
    expect((await second.finished).type).toBe('done');
    const start = events.find((e) => e.type === 'start');
    expect(start).toMatchObject({ initialWeights: { applied: Object.keys(ws.layers), missing: [], problems: [] } });
    const again = await client.trainedWeights();
    const a = again.layers.embedding[0].data, b = emb.data;
    expect(Math.max(...a.map((v, k) => Math.abs(v - b[k])))).toBeLessThan(1e-6);
  });
});

describe('continue training', () => {
  it('continues the last run for more epochs (numbered on); refuses after the graph changed or before any run', async () => {
    const client = createTrainingClient(inProcessWorker);
    const project = getTemplate('sentiment')!.project;
    const settings = { backend: 'cpu' as const, epochs: 1, batch_size: 32 };
    const data = { datasetId: 'airline-sentiment', datasetOptions: { size: 120 } };
    const nothing = client.startTraining({ project, ...data, settings, continue: true });
    expect(await nothing.finished).toMatchObject({ type: 'error', message: expect.stringMatching(/Nothing to continue yet/) });
    expect((await client.startTraining({ project, ...data, settings }).finished).type).toBe('done');
    const more = client.startTraining({ project, ...data, settings: { ...settings, epochs: 2 }, continue: true });
    const events: TrainEvent[] = [];
    more.onEvent((e) => events.push(e));
    const end = await more.finished;
    expect(end.type).toBe('done');
    expect(events[0]).toMatchObject({ type: 'start', initialEpoch: 1, epochs: 3 });
    expect(events.filter((e) => e.type === 'epoch').map((e) => (e as { epoch: number }).epoch)).toEqual([2, 3]);
    if (end.type === 'done') expect(end.history.loss).toHaveLength(3);
    // Moving a node is not a change; a new parameter value is.
    const moved = { ...project, graph: { ...project.graph, nodes: project.graph.nodes.map((n) => ({ ...n, position: { x: n.position.x + 5, y: 0 } })) } };
    expect((await client.startTraining({ project: moved, ...data, settings, continue: true }).finished).type).toBe('done');
    const edited = { ...project, graph: { ...project.graph, nodes: project.graph.nodes.map((n) => (n.kind === 'Embedding' ? { ...n, params: { ...n.params, output_dim: 3 } } : n)) } };
    expect(await client.startTraining({ project: edited, ...data, settings, continue: true }).finished).toMatchObject({ type: 'error', message: expect.stringMatching(/model or the dataset changed/) });
  });
});
