/**
 * The workbench requests through the real client and worker logic (in process, cpu): evaluation
 * over the whole test set (confusion matrix and report agree with the rows and the run's test
 * accuracy; taggers' tokens; regression values), name generation (seeded, T = 0 greedy), the
 * lesson's inference models (the decoder fed the encoder's states predicts what the teacher-forced
 * model predicts), free-running decoding, "Try it" with [UNK]s, and calling an untrained graph.
 */
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { chain } from '../../core/build.ts';
import { setParams } from '../../core/edit.ts';
import { Inferencer } from '../../core/infer.ts';
import type { Project } from '../../core/project.ts';
import { bindDataset } from '../../data/bind.ts';
import { namesGenerationDataset } from '../../data/corpora/firstNames.ts';
import { makeSyntheticDataset } from '../../data/synthetic.ts';
import type { Dataset } from '../../data/tasks.ts';
import { getTemplate } from '../../../templates/index.ts';
import { createTrainingClient } from './client.ts';
import { Trainer } from './engine.ts';
import { batchOptions, inputTensors } from './feeds.ts';
import { makeBatches } from '../../data/batching.ts';
import { inferenceModels } from './inference.ts';
import { inProcessWorker, useCpu } from './testUtil.ts';

beforeAll(useCpu);

const client = createTrainingClient(() => inProcessWorker({ throttleMs: 0 }));

function project(template: string, ds: Dataset, training: Partial<Project['training']> = {}, edit?: (p: Project) => Project): Project {
  const t = getTemplate(template)!.project;
  const b = bindDataset(t.graph, ds);
  if (b.problems.length) throw new Error(b.problems.map((p) => p.message).join('; '));
  const p: Project = { ...t, graph: b.graph as Project['graph'], dataset: null, training: { ...t.training, backend: 'cpu', ...training } };
  return edit ? edit(p) : p;
}

async function trained(p: Project, dataset: Dataset) {
  const end = await client.startTraining({ project: p, dataset }).finished;
  if (end.type !== 'done') throw new Error(JSON.stringify(end));
  return end;
}

describe('evaluate', () => {
  it('a classifier: every test example, a confusion matrix and report that agree with the rows and the run', async () => {
    const ds = makeSyntheticDataset('airline-sentiment', { size: 300, seed: 1 });
    const p = project('sentiment', ds, { epochs: 2, batch_size: 32, learning_rate: 0.01 });
    const done = await trained(p, ds);
    const e = await client.workbench({ project: p, dataset: ds, request: { op: 'evaluate', split: 'test' } });
    expect(e.weights).toBe('trained');
    expect(e.kind).toBe('classes');
    expect(e.rows).toHaveLength(ds.test.length);
    expect(e.accuracy).toBe(done.test.accuracy);
    expect(e.rows.filter((r) => r.correct).length / e.rows.length).toBeCloseTo(e.accuracy!, 10);
    const m = e.confusion!;
    expect(m.flat().reduce((a, b) => a + b, 0)).toBe(ds.test.length);
    expect(m.reduce((a, r, k) => a + r[k], 0)).toBe(e.rows.filter((r) => r.correct).length);
    expect(e.report!.classes.map((c) => c.support)).toEqual(e.labels.map((l) => e.rows.filter((r) => r.truth === l).length));
    expect(e.report!.accuracy).toBeCloseTo(e.accuracy!, 10);
    expect(e.rows.every((r) => r.probability! > 0 && r.probability! <= 1)).toBe(true);
    expect(e.baseline.majority!.label).toBe('negative');
  });

  it('a tagger: tokens with true and predicted tags; regression: the values', async () => {
    const ds = makeSyntheticDataset('toy-pos', { size: 150, seed: 1 });
    const p = project('pos-tagger', ds, { epochs: 1, batch_size: 32 });
    await trained(p, ds);
    const e = await client.workbench({ project: p, dataset: ds, request: { op: 'evaluate', split: 'test' } });
    expect(e.kind).toBe('tags');
    const row = e.rows[0];
    expect(row.tokens!.map((t) => t.token).join(' ')).toBe(row.input);
    expect(row.tokens!.map((t) => t.truth).join(' ')).toBe(row.truth);
    expect(e.confusion!.flat().reduce((a, b) => a + b, 0)).toBe(ds.test.reduce((a, x) => a + (x.y as number[]).length, 0));

    const sine = makeSyntheticDataset('noisy-sine', { size: 100, seed: 1 });
    const q = project('forecast-gru', sine, { epochs: 1, batch_size: 32 });
    await trained(q, sine);
    const r = await client.workbench({ project: q, dataset: sine, request: { op: 'evaluate', split: 'test' } });
    expect(r.kind).toBe('regression');
    expect(r.rows).toHaveLength(sine.test.length);
    expect(r.rows[0].values!.truth).toEqual(sine.test[0].y);
    expect(r.baseline.mean!.loss).toBeGreaterThan(0);
  });
});

const names = namesGenerationDataset(JSON.parse(readFileSync('public/datasets/first-names.json', 'utf8')));

describe('generate', () => {
  it('samples names from a prompt: seeded, reproducible; temperature 0 is greedy (the same for every seed)', async () => {
    const small: Dataset = { ...names, train: names.train.slice(0, 300), val: names.val.slice(0, 100), test: names.test.slice(0, 100) };
    // A smaller LSTM than the template's: TF.js's orthogonal initialiser is slow on cpu for 64 units.
    const p = project('name-generator', small, { epochs: 1, batch_size: 64 }, (q) => ({ ...q, graph: setParams(q.graph, 'n3', { units: 16 }) as Project['graph'] }));
    await trained(p, small);
    const ask = (temperature: number, seed: number) => client.workbench({ project: p, dataset: small, request: { op: 'generate', prompt: 'Ma', temperature, maxLength: 8, seed, count: 3 } });
    const a = await ask(1, 5);
    expect(a.prompt.map((t) => t.token)).toEqual(['<start>', 'm', 'a']);
    expect(a.samples).toHaveLength(3);
    expect(a.samples.every((s) => s.text.startsWith('ma'))).toBe(true);
    expect(await ask(1, 5)).toEqual(a);
    const greedy = await ask(0, 1);
    expect(new Set(greedy.samples.map((s) => s.text)).size).toBe(1);
    expect((await ask(0, 99)).samples[0].text).toBe(greedy.samples[0].text);
    const hot = await ask(2, 5);
    expect(hot.samples.map((s) => s.text)).not.toEqual(a.samples.map((s) => s.text));
  });
});

describe('encoder–decoder', () => {
  const ds = makeSyntheticDataset('reverse', { size: 200, seed: 1 });
  const p = project('encoder-decoder', ds, { epochs: 2, batch_size: 32, learning_rate: 0.01 }, (q) => ({ ...q, graph: setParams(setParams(q.graph, 'n3', { units: 16 }), 'n6', { units: 16 }) as Project['graph'] }));

  it('the decoder model fed the encoder\'s states predicts what the teacher-forced model predicts', async () => {
    const t = new Trainer({ tf, graph: p.graph, dataset: ds, settings: p.training });
    t.build();
    const c = t.parts!;
    const m = inferenceModels(tf, c.graphModel, p.graph, new Inferencer().run(p.graph), c.heads[0].outputNodeId);
    expect(m.states.map((s) => s.name)).toEqual(['encoder.h', 'encoder.c']);
    const e = ds.test[0];
    const [batch] = makeBatches([e], batchOptions(ds, 1, null));
    const full = tf.tidy(() => (c.model.predict(inputTensors(tf, batch, c.fields, c.dtypes)) as tf.Tensor).arraySync() as number[][][]);
    const states = m.encoder.predict(tf.tensor2d([e.x as number[]], [1, (e.x as number[]).length], 'int32')) as tf.Tensor[];
    const y = e.y as number[];
    for (let step = 1; step <= y.length; step++) {
      const prefix = [1, ...y.slice(0, step - 1)];
      const out = tf.tidy(() => (m.decoder.predict([tf.tensor2d([prefix], [1, step], 'int32'), ...states]) as tf.Tensor).arraySync() as number[][][]);
      out[0][step - 1].forEach((v, k) => expect(v).toBeCloseTo(full[0][step - 1][k], 5));
    }
    tf.dispose(states);
    c.model.dispose();
  });

  it('decodes free-running (greedy and beam 3) from the encoder\'s states, next to teacher forcing', async () => {
    await trained(p, ds);
    const e = ds.test[1];
    const d = await client.workbench({ project: p, dataset: ds, request: { op: 'decode', example: e, beam: 3 } });
    expect(d.states.map((s) => [s.name, s.size])).toEqual([['encoder.h', 16], ['encoder.c', 16]]);
    expect(d.beams).toHaveLength(3);
    expect(d.beams[0].logProb).toBeGreaterThanOrEqual(d.greedy.logProb - 1e-9);
    expect(d.truth).toMatch(/<end>$/);
    expect(typeof d.teacherForced).toBe('string');
    const typed = await client.workbench({ project: p, dataset: ds, request: { op: 'decode', text: 'abc', beam: 1 } });
    expect(typed.tokens.map((t) => t.token)).toEqual(['a', 'b', 'c']);
    const ev = await client.workbench({ project: p, dataset: ds, request: { op: 'decode-eval', count: 10, beam: 2 } });
    expect(ev.count).toBe(10);
    for (const s of [ev.greedy, ev.beamResult!, ev.teacherForced]) expect(s.tokens).toBeGreaterThanOrEqual(0);
    expect(ev.rows[0].truth).toMatch(/<end>$/);
  });
});

describe('try it', () => {
  it('a typed sentence: the tokens (with [UNK]) and the class probabilities', async () => {
    const ds = makeSyntheticDataset('airline-sentiment', { size: 200, seed: 1 });
    const p = project('sentiment', ds, { epochs: 1, batch_size: 32 });
    await trained(p, ds);
    const r = await client.workbench({ project: p, dataset: ds, request: { op: 'try', text: '@united the flight was GREAT zzqx!' } });
    expect(r.kind).toBe('classes');
    expect(r.tokens.map((t) => t.token)).toEqual(['united', 'the', 'flight', 'was', 'great', 'zzqx']);
    expect(r.tokens.find((t) => t.token === 'zzqx')).toEqual({ token: 'zzqx', id: 1, unknown: true });
    expect(r.classes!.reduce((a, c) => a + c.p, 0)).toBeCloseTo(1, 5);
    expect(r.classes!.map((c) => c.label).sort()).toEqual(['negative', 'neutral', 'positive']);
  });
});

describe('call without training', () => {
  it('the lesson\'s rnn_model(inputs): SimpleRNN(32) on (10, 2), random input, fresh weights', async () => {
    const graph = chain([{ kind: 'Input', params: { shape: [10, 2] } }, { kind: 'SimpleRNN', params: { units: 32 } }], { output: { loss: 'none' } });
    const p: Project = { ...getTemplate('sentiment')!.project, graph: graph as Project['graph'], dataset: null };
    const r = await client.workbench({ project: p, request: { op: 'call', input: 'random', seed: 3, steps: 10 } });
    expect(r.weights).toBe('fresh');
    expect(r.inputs[0]).toMatchObject({ shape: [1, 10, 2], dtype: 'float32', size: 20 });
    expect(r.outputs[0]).toMatchObject({ shape: [1, 32], from: 'simple_rnn', size: 32 });
    expect(r.outputs[0].values.every((v) => v > -1 && v < 1)).toBe(true);
    expect(await client.workbench({ project: p, request: { op: 'call', input: 'random', seed: 3, steps: 10 } })).toEqual(r);
    // State outputs are called too: return_state gives h.
    const g2 = chain([{ kind: 'Input', params: { shape: [null, 2] } }, { kind: 'GRU', params: { units: 4, return_state: true } }], { output: { loss: 'none' } });
    const r2 = await client.workbench({ project: { ...p, graph: g2 as Project['graph'] }, request: { op: 'call', input: 'random', seed: 1, steps: 7 } });
    expect(r2.inputs[0].shape).toEqual([1, 7, 2]);
    expect(r2.outputs.map((o) => o.shape)).toEqual([[1, 4]]);
  });
});

describe('one-to-many', () => {
  it('spell a digit: a one-hot vector in, the generated sequence out (Try it), every test row scored per step (Evaluate)', async () => {
    const ds = makeSyntheticDataset('digit-spelling', { size: 200, seed: 1 });
    const p = project('spell-digit', ds, { epochs: 6, batch_size: 16, learning_rate: 0.01 });
    const done = await trained(p, ds);
    const ev = await client.workbench({ project: p, dataset: ds, request: { op: 'evaluate', split: 'test' } });
    expect(ev.kind).toBe('sequence');
    expect(ev.weights).toBe('trained');
    expect(ev.rows.length).toBe(ds.test.length);
    expect(ev.rows.every((r) => r.stepAccuracy !== undefined && r.stepAccuracy >= 0 && r.stepAccuracy <= 1)).toBe(true);
    expect(ev.accuracy).toBe(done.test.accuracy);
    const r = await client.workbench({ project: p, dataset: ds, request: { op: 'try', text: '0, 0, 1, 0, 0, 0, 0, 0, 0, 0' } });
    expect(r.kind).toBe('sequence');
    expect(typeof r.sequence).toBe('string');
    // The same input picked as a test example gives what its evaluation row predicted, up to <end>
    // (Evaluate shows every step, as the truth is shown; Try it the sequence the model ends).
    const fromExample = await client.workbench({ project: p, dataset: ds, request: { op: 'try', example: ds.test[0] } });
    const squash = (t: string) => t.replace(/\s+/g, '');
    expect(squash(fromExample.sequence!)).toBe(squash(ev.rows[0].predicted.split('<end>')[0]));
  });
});
