/**
 * "See inside" through the training worker's protocol, in one process (the client + host.ts over
 * an in-process worker that structured-clones every message): look inside one example with fresh
 * and with trained weights, typed text and numbers, the lesson's facts on the numbers, weight sizes
 * per gate, and gradient samples arriving during a run.
 */
import { describe, expect, it } from 'vitest';
import { getTemplate } from '../../../templates/index.ts';
import { bindDataset } from '../../data/bind.ts';
import { makeSyntheticDataset } from '../../data/synthetic.ts';
import { createTrainingClient, type StartTrainingOptions } from './client.ts';
import type { GradientSample, InspectRequest } from './protocol.ts';
import { inProcessWorker } from './testUtil.ts';

const sentiment = getTemplate('sentiment')!.project;
const dataset = { kind: 'id', id: 'airline-sentiment', options: { size: 120 } } as const;

describe('inspect in the worker', () => {
  it('one test example of the sentiment model: both directions, padding carried, facts hold, fresh weights', async () => {
    const client = createTrainingClient(inProcessWorker);
    const req: InspectRequest = { graph: sentiment.graph, dataset, source: { kind: 'example', split: 'test', index: 0, batchSize: 32 }, weights: 'current', seed: 7, backend: 'cpu' };
    const r = await client.inspect(req);
    expect(r.weights).toBe('fresh');
    expect(r.weightsNote).toMatch(/nothing was trained yet/);
    expect(r.backend).toBe('cpu');
    const { makeSyntheticDataset: make } = await import('../../data/synthetic.ts');
    const test = make('airline-sentiment', { size: 120 }).test;
    const longest = Math.max(...test.slice(0, 32).map((e) => e.x.length));
    expect(r.tokens).toHaveLength(longest);
    expect(test[0].x.length).toBeLessThan(longest);
    const real = r.padding.filter((p) => !p).length;
    expect(real).toBeGreaterThan(0);
    expect(r.padding.slice(real).every(Boolean)).toBe(true);
    expect(r.tokens.slice(0, real).every((t) => t.length > 0)).toBe(true);
    expect(r.layers.map((l) => [l.name, l.direction, l.T, l.units])).toEqual([['bidirectional', 'forward', longest, 8], ['bidirectional', 'backward', longest, 8]]);
    expect(r.layers[0].gates.f).toBeInstanceOf(Float32Array);
    expect(r.layers[0].gradNorm!.slice(real).every((g) => g === null)).toBe(true);
    expect(r.saliency!.T).toBe(longest);
    expect(r.prediction.top!.map((t) => t.label).sort()).toEqual(['negative', 'neutral', 'positive']);
    expect(r.target).toMatch(/^(negative|neutral|positive)$/);
    const facts = r.facts.map((f) => f.text).join('\n');
    expect(facts).toMatch(/padded steps? the state is carried over unchanged \(largest change 0\)/);
    expect(facts).toMatch(/c_t = f ⊙ c_\(t−1\) \+ i ⊙ g/);
    expect(r.facts.every((f) => f.holds)).toBe(true);
    expect(r.weightStats[sentiment.graph.nodes.find((n) => n.kind === 'Bidirectional')!.id]).toHaveLength(2);
    // The same request again reuses the cached fresh model: same numbers.
    const again = await client.inspect(req);
    expect(Array.from(again.layers[0].h)).toEqual(Array.from(r.layers[0].h));
  });

  it('typed text and typed numbers; clear messages for what cannot run', async () => {
    const client = createTrainingClient(inProcessWorker);
    const text = await client.inspect({ graph: sentiment.graph, dataset, source: { kind: 'text', text: 'The flight was late zzqx' }, weights: 'fresh', seed: 1, backend: 'cpu' });
    expect(text.tokens[0]).toBe('the');
    expect(text.weightsNote).toMatch(/Not in the vocabulary: (.*, )?zzqx/);
    expect(text.loss).toBeUndefined();
    const adding = getTemplate('adding-lstm')!.project;
    const rows = [[0.5, 0], [0.2, 1], [0.9, 0], [0.4, 1]];
    const nums = await client.inspect({ graph: adding.graph, source: { kind: 'numbers', rows }, weights: 'fresh', seed: 1, backend: 'cpu' });
    expect(nums.tokens).toEqual(['0.50 0', '0.20 1', '0.90 0', '0.40 1']);
    expect(nums.layers[0].kind).toBe('LSTM');
    expect(nums.facts.find((f) => /output is the state h/.test(f.text))!.holds).toBe(true);
    await expect(client.inspect({ graph: adding.graph, source: { kind: 'numbers', rows: [[1, 2, 3]] }, weights: 'fresh', seed: 1, backend: 'cpu' }))
      .rejects.toThrow(/expects 2 numbers per step/);
    await expect(client.inspect({ graph: sentiment.graph, dataset, source: { kind: 'example', split: 'test', index: 9999 }, weights: 'fresh', seed: 1, backend: 'cpu' }))
      .rejects.toThrow(/there is no example 10000/);
  });

  it('during training: gradient samples arrive, then inspect and weight sizes use the trained weights', async () => {
    const client = createTrainingClient(inProcessWorker);
    const ds = makeSyntheticDataset('adding-50', { size: 96, seed: 1 });
    const { graph } = bindDataset(getTemplate('adding-lstm')!.project.graph, ds);
    const small = { ...graph, nodes: graph.nodes.map((n) => (n.kind === 'LSTM' ? { ...n, params: { ...n.params, units: 4, recurrent_initializer: 'glorot_uniform' } } : n)) };
    const samples: GradientSample[] = [];
    const off = client.onGradients((s) => samples.push(s));
    client.setGradientsEvery(1);
    const project = { graph: small, training: getTemplate('adding-lstm')!.project.training, dataset: { id: 'adding-50', options: {} } } as StartTrainingOptions['project'];
    const run = client.startTraining({ project, dataset: ds, settings: { backend: 'cpu', epochs: 1, batch_size: 16 } });
    expect((await run.finished).type).toBe('done');
    off();
    expect(samples.map((s) => s.step)).toEqual([1, 2, 3, 4]); // 96 × 0.6 train examples / 16
    expect(samples[0].layers[0].gradNorm).toHaveLength(50);
    expect(samples.every((s) => s.layers[0].gradNorm.every((g) => g !== null && g > 0))).toBe(true);
    expect(samples[0].loss).toBeGreaterThan(0);
    const r = await client.inspect({ graph: small, dataset: { kind: 'data', dataset: ds }, source: { kind: 'example', split: 'val', index: 0 }, weights: 'current', seed: 1, backend: 'cpu' });
    expect(r.weights).toBe('trained');
    expect(r.weightsNote).toMatch(/4 batches trained/);
    expect(r.layers[0].gradNorm).toHaveLength(50);
    const stats = await client.weightStats(small);
    expect(stats.trained).toBe(true);
    const lstm = small.nodes.find((n) => n.kind === 'LSTM')!.id;
    expect(stats.stats![lstm][0].map((b) => [b.name, b.parts.map((p) => p.gate).join('')])).toEqual([['kernel', 'ifco'], ['recurrent_kernel', 'ifco'], ['bias', 'ifco']]);
    // The forget-gate bias started at 1 (unit_forget_bias) and the others at 0.
    const bias = stats.stats![lstm][0][2].parts;
    expect(bias[1].rms).toBeGreaterThan(0.8);
    expect(bias[0].rms).toBeLessThan(0.2);
    expect((await client.weightStats(sentiment.graph)).stats).toBeNull();
  });
});
