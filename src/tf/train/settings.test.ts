/**
 * The Keras settings in the engine (cpu backend), checked against hand computations:
 * clipnorm / clipvalue / global_clipnorm bound the update exactly as Keras clips; early stopping
 * stops and restores the best epoch's weights; the learning-rate schedules; class weights change
 * the loss by Σ (w[y] − 1)·CE / n; several Outputs train on Σ weight · loss; state Outputs get no
 * loss; continuing for more epochs equals training them in one go.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod/v4';
import { addNode, connect, setParams } from '../../core/edit.ts';
import { trainingSchema, type TrainingSettings } from '../../core/project.ts';
import type { Graph, Params } from '../../core/types.ts';
import { makeBatches } from '../../data/batching.ts';
import { mulberry32 } from '../../data/random.ts';
import type { Dataset } from '../../data/tasks.ts';
import { Trainer } from './engine.ts';
import { batchOptions, inputTensors } from './feeds.ts';
import { ofType, setup, train, useCpu } from './testUtil.ts';

beforeAll(useCpu);

/** Input → layers in a chain → Output, built with the core's own edits. */
function chain(layers: { kind: string; params?: Params }[], output: Params): Graph {
  let g: Graph = { nodes: [], edges: [] };
  let prev: string | undefined;
  for (const l of [...layers, { kind: 'Output', params: output }]) {
    const r = addNode(g, { kind: l.kind, params: l.params });
    g = r.graph;
    if (prev) g = connect(g, { source: prev, sourcePort: 'output', target: r.node.id, targetPort: 'input' });
    prev = r.node.id;
  }
  return g;
}

/** A tiny regression task: 3 steps × 2 features → one value (large, so gradients are large). */
function regression(n: number, scale = 100): Dataset {
  const rand = mulberry32(5);
  const ex = () => {
    const x = Array.from({ length: 3 }, () => [rand() * 2 - 1, rand() * 2 - 1]);
    return { x, y: [scale * (x[0][0] + x[2][1])] };
  };
  return {
    id: 'tiny', name: 'tiny', description: '', source: '', licence: '', task: 'sequence-regression',
    inputs: { dtype: 'float32', featureSize: 2 }, horizon: 1,
    train: Array.from({ length: n }, ex), val: Array.from({ length: 4 }, ex), test: Array.from({ length: 4 }, ex),
  };
}

const tinyGraph = chain([
  { kind: 'Input', params: { shape: [3, 2], dtype: 'float32' } },
  { kind: 'SimpleRNN', params: { units: 4 } },
  { kind: 'Dense', params: { units: 1, activation: 'linear' } },
], { loss: 'mean_squared_error', expects: 'per_sequence' });

const settings = (o: z.input<typeof trainingSchema>): TrainingSettings =>
  trainingSchema.parse({ optimizer: 'sgd', learning_rate: 1, batch_size: 8, epochs: 1, seed: 3, backend: 'cpu', ...o });

const weightsOf = (m: tf.LayersModel) => m.getWeights().map((w) => Float64Array.from(w.dataSync()));
const norm = (v: Float64Array) => Math.sqrt(v.reduce((a, x) => a + x * x, 0));

/** One SGD step (lr 1, one batch): the update of every variable, w_before − w_after. */
async function update(extra: z.input<typeof trainingSchema>): Promise<Float64Array[]> {
  const t = new Trainer({ tf, graph: tinyGraph, dataset: regression(8), settings: settings(extra) });
  const before = weightsOf(t.build());
  const done = await t.run();
  expect(done?.type).toBe('done');
  const after = weightsOf(t.model!);
  t.model!.dispose();
  return before.map((b, k) => b.map((v, i) => v - after[k][i]));
}

describe('gradient clipping (Keras 3 base_optimizer._clip_gradients)', () => {
  it('clipnorm: each variable\'s update has norm ≤ clipnorm and equals g · c / max(‖g‖, c)', async () => {
    const g = await update({});
    expect(Math.max(...g.map(norm))).toBeGreaterThan(1); // large gradients, so clipping bites
    const c = 0.05;
    const d = await update({ clipnorm: c });
    d.forEach((dk, k) => {
      expect(norm(dk)).toBeLessThanOrEqual(c * (1 + 1e-5));
      const scale = c / Math.max(norm(g[k]), c);
      dk.forEach((v, i) => expect(v).toBeCloseTo(g[k][i] * scale, 5));
    });
  });

  it('clipvalue: every element of the update is g clipped to ±clipvalue', async () => {
    const g = await update({});
    const d = await update({ clipvalue: 0.01 });
    d.forEach((dk, k) => dk.forEach((v, i) => expect(v).toBeCloseTo(Math.max(-0.01, Math.min(0.01, g[k][i])), 6)));
  });

  it('global_clipnorm: the joint norm of all updates is ≤ c, every gradient scaled alike', async () => {
    const g = await update({});
    const total = Math.sqrt(g.reduce((a, v) => a + norm(v) ** 2, 0));
    const d = await update({ global_clipnorm: 0.1 });
    expect(Math.sqrt(d.reduce((a, v) => a + norm(v) ** 2, 0))).toBeCloseTo(0.1, 5);
    d.forEach((dk, k) => dk.forEach((v, i) => expect(v).toBeCloseTo(g[k][i] * 0.1 / total, 6)));
  });

  it('two kinds at once are refused with Keras\'s rule', async () => {
    const t = new Trainer({ tf, graph: tinyGraph, dataset: regression(8), settings: { ...settings({}), clipnorm: 1, clipvalue: 1 } });
    const events: string[] = [];
    const t2 = new Trainer({ tf, graph: tinyGraph, dataset: regression(8), settings: { ...settings({}), clipnorm: 1, clipvalue: 1 }, onEvent: (e) => e.type === 'error' && events.push(e.message) });
    await t2.run();
    expect(events[0]).toMatch(/Only one of clipnorm, clipvalue and global_clipnorm/);
    expect(() => t.build()).toThrow(/Only one of clipnorm/);
  });
});

describe('early stopping', () => {
  it('stops after patience epochs without improvement and restores the best epoch\'s weights', async () => {
    const snapshots: Float64Array[][] = [];
    let t!: Trainer;
    t = new Trainer({
      tf, graph: tinyGraph, dataset: regression(16),
      // min_delta so large that nothing after the first epoch counts as an improvement
      settings: settings({ learning_rate: 0.01, batch_size: 4, epochs: 6, early_stopping: { monitor: 'val_loss', patience: 1, min_delta: 1e9, restore_best_weights: true } }),
      onEvent: (e) => e.type === 'epoch' && snapshots.push(weightsOf(t.model!)),
    });
    const done = await t.run();
    expect(done?.history.loss).toHaveLength(2);
    expect(done?.early).toEqual({ monitor: 'val_loss', stoppedEpoch: 2, bestEpoch: 1, best: done!.history.val_loss[0], restored: true });
    const final = weightsOf(t.model!);
    expect(final).toEqual(snapshots[0]);
    expect(final).not.toEqual(snapshots[1]);
    // The test metrics are those of the restored weights.
    expect(done!.test.loss).toBeCloseTo(t.evaluate(regression(16).test).loss, 6);
  });

  it('without restore_best_weights the last weights stay; a monitor the model lacks is refused', async () => {
    const snapshots: Float64Array[][] = [];
    let t!: Trainer;
    t = new Trainer({
      tf, graph: tinyGraph, dataset: regression(16),
      settings: settings({ learning_rate: 0.01, batch_size: 4, epochs: 6, early_stopping: { monitor: 'loss', patience: 0, min_delta: 1e9, restore_best_weights: false } }),
      onEvent: (e) => e.type === 'epoch' && snapshots.push(weightsOf(t.model!)),
    });
    const done = await t.run();
    expect(done?.early).toMatchObject({ stoppedEpoch: 2, bestEpoch: 1, restored: false });
    expect(weightsOf(t.model!)).toEqual(snapshots[1]);
    const { events } = await train({ graph: tinyGraph, dataset: regression(8), settings: settings({ early_stopping: { monitor: 'val_accuracy' } }) });
    expect(events[0]).toMatchObject({ type: 'error', message: expect.stringMatching(/monitors val_accuracy, but this model reports no accuracy.*Monitor val_loss/) });
  });
});

describe('learning-rate schedules', () => {
  it('exponential decay per optimizer step; the epoch logs the next step\'s rate, as Keras does', async () => {
    const { events } = await train({
      graph: tinyGraph, dataset: regression(8),
      settings: settings({ learning_rate: 0.1, batch_size: 4, epochs: 2, lr_schedule: { kind: 'exponential_decay', decay_steps: 2, decay_rate: 0.5 } }),
    });
    expect(ofType(events, 'epoch').map((e) => e.learning_rate)).toEqual([0.05, 0.025]);
  });

  it('exponential decay really scales the update: step 2 uses lr · 0.5 (decay_steps 1, rate 0.5)', async () => {
    const steps = async (extra: z.input<typeof trainingSchema>) => {
      const snaps: Float64Array[][] = [];
      let t!: Trainer;
      t = new Trainer({ tf, graph: tinyGraph, dataset: regression(8), settings: settings({ learning_rate: 0.1, batch_size: 4, ...extra }), onEvent: (e) => e.type === 'batch' && snaps.push(weightsOf(t.model!)) });
      snaps.push(weightsOf(t.build()));
      await t.run();
      return snaps;
    };
    const constant = await steps({});
    const decayed = await steps({ lr_schedule: { kind: 'exponential_decay', decay_steps: 1, decay_rate: 0.5 } });
    expect(decayed[1]).toEqual(constant[1]); // step 1: the initial rate
    decayed[2].forEach((w, k) => w.forEach((v, i) => {
      const stepB = decayed[1][k][i] - v, stepA = constant[1][k][i] - constant[2][k][i];
      expect(stepB).toBeCloseTo(0.5 * stepA, 6);
    }));
  });

  it('reduce-on-plateau lowers the rate after patience epochs without improvement', async () => {
    const { events } = await train({
      graph: tinyGraph, dataset: regression(8),
      settings: settings({ learning_rate: 0.1, epochs: 3, lr_schedule: { kind: 'reduce_on_plateau', monitor: 'loss', factor: 0.5, patience: 0, min_delta: 1e9 } }),
    });
    expect(ofType(events, 'epoch').map((e) => e.learning_rate)).toEqual([0.1, 0.1, 0.05]);
  });
});

describe('class weights', () => {
  it('change the batch loss by Σ (w[y] − 1) · CE / n, computed by hand from the initial predictions', async () => {
    const s = setup('sentiment', 'airline-sentiment', 60, { epochs: 1, batch_size: 64 });
    const cw = { '0': 3, '1': 0.5, '2': 2 };
    const first = async (class_weight: TrainingSettings['class_weight']) => {
      let loss = NaN;
      let t!: Trainer;
      t = new Trainer({ tf, ...s, settings: { ...s.settings, class_weight }, onEvent: (e) => { if (e.type === 'batch') { loss = e.loss; t.stop(); } } });
      const model = t.build();
      const [batch] = makeBatches(s.dataset.train, batchOptions(s.dataset, 64, { seed: s.settings.seed, epoch: 1 }));
      const probs = tf.tidy(() => (model.predict(inputTensors(tf, batch, ['x'], ['int32'])) as tf.Tensor).arraySync() as number[][]);
      await t.run();
      model.dispose();
      return { loss, probs, ys: Array.from(batch.y) };
    };
    const plain = await first(null);
    const weighted = await first(cw);
    expect(weighted.probs).toEqual(plain.probs); // same seed, same initial weights
    const n = plain.ys.length;
    const ce = plain.ys.map((y, i) => -Math.log(Math.min(Math.max(plain.probs[i][y], 1e-7), 1 - 1e-7)));
    const w = [3, 0.5, 2];
    expect(plain.loss).toBeCloseTo(ce.reduce((a, b) => a + b, 0) / n, 5);
    expect(weighted.loss).toBeCloseTo(ce.reduce((a, c, i) => a + w[plain.ys[i]] * c, 0) / n, 5);
    expect(weighted.loss - plain.loss).toBeCloseTo(ce.reduce((a, c, i) => a + (w[plain.ys[i]] - 1) * c, 0) / n, 5);
    expect(Math.abs(weighted.loss - plain.loss)).toBeGreaterThan(0.05);
  });

  it('a class id beyond the output is refused; regression refuses class weights', async () => {
    const s = setup('sentiment', 'airline-sentiment', 60, { epochs: 1, class_weight: { '5': 2 } });
    const { events } = await train(s);
    expect(events[0]).toMatchObject({ type: 'error', where: 'data', message: expect.stringMatching(/class_weight gives class 5.*3 classes/) });
    const r = await train({ graph: tinyGraph, dataset: regression(8), settings: settings({ class_weight: 'balanced' }) });
    expect(r.events[0]).toMatchObject({ type: 'error', message: expect.stringMatching(/class_weight needs a classification output/) });
  });
});

describe('several Outputs', () => {
  it('train on Σ loss_weight · loss; each head\'s losses are reported', async () => {
    const s = setup('sentiment', 'airline-sentiment', 80, { epochs: 1, batch_size: 32 });
    // An auxiliary head on the Bidirectional output, weight 0.5.
    let g = s.graph;
    const bi = g.nodes.find((n) => n.kind === 'Bidirectional')!.id;
    const dense = addNode(g, { kind: 'Dense', params: { units: 3, activation: 'softmax' }, name: 'aux' });
    g = connect(dense.graph, { source: bi, sourcePort: 'output', target: dense.node.id, targetPort: 'input' });
    const out = addNode(g, { kind: 'Output', params: { loss: 'sparse_categorical_crossentropy', loss_weight: 0.5 }, name: 'aux_out' });
    g = connect(out.graph, { source: dense.node.id, sourcePort: 'output', target: out.node.id, targetPort: 'input' });
    const { events } = await train({ ...s, graph: g });
    const start = ofType(events, 'start')[0];
    expect(start.outputs).toEqual([
      { name: 'output', loss: 'sparse_categorical_crossentropy', weight: 1 },
      { name: 'aux_out', loss: 'sparse_categorical_crossentropy', weight: 0.5 },
    ]);
    const [epoch] = ofType(events, 'epoch');
    const [a, b] = epoch.outputs!;
    expect(epoch.loss).toBeCloseTo(a.loss + 0.5 * b.loss, 5);
    expect(epoch.val_loss).toBeCloseTo(a.val_loss + 0.5 * b.val_loss, 5);
    expect(a.loss).not.toBeCloseTo(b.loss, 3);
    expect(ofType(events, 'done')).toHaveLength(1);
  });

  it('Outputs wired to the encoder\'s states get no loss: the model has 3 outputs, one trained', async () => {
    const base = setup('encoder-decoder', 'reverse', 60, { epochs: 1, batch_size: 32 });
    let g = setParams(setParams(base.graph, 'n3', { units: 8 }), 'n6', { units: 8 });
    for (const port of ['h', 'c']) {
      const o = addNode(g, { kind: 'Output', name: `state_${port}` });
      g = connect(o.graph, { source: 'n3', sourcePort: port, target: o.node.id, targetPort: 'input' });
      expect(g.nodes.find((n) => n.id === o.node.id)!.params.loss).toBe('none');
    }
    const { trainer, events } = await train({ ...base, graph: g });
    expect(trainer.model!.outputs).toHaveLength(3);
    expect(trainer.parts!.heads.map((h) => h.name)).toEqual(['output']);
    expect(ofType(events, 'start')[0].outputs).toBeUndefined();
    expect(ofType(events, 'done')).toHaveLength(1);
  });

  it('no Output with a loss: a clear refusal', async () => {
    const g = setParams(tinyGraph, tinyGraph.nodes.at(-1)!.id, { loss: 'none' });
    const { events } = await train({ graph: g, dataset: regression(8), settings: settings({}) });
    expect(events).toEqual([expect.objectContaining({ type: 'error', where: 'binding', message: expect.stringMatching(/No Output has a loss/) })]);
  });
});

describe('continue training', () => {
  it('2 epochs, then 1 more from the same weights and optimizer = 3 epochs in one go', async () => {
    const s = setup('sentiment', 'airline-sentiment', 100, { epochs: 3, batch_size: 32 });
    const straight = await train(s);
    const a = new Trainer({ tf, ...s, settings: { ...s.settings, epochs: 2 } });
    await a.run();
    const events: string[] = [];
    const b = new Trainer({ tf, ...s, settings: { ...s.settings, epochs: 1 }, resume: a.resumeState(), onEvent: (e) => events.push(e.type === 'epoch' ? `epoch ${e.epoch}` : e.type) });
    const done = await b.run();
    expect(events.filter((e) => e !== 'batch')).toEqual(['start', 'epoch 3', 'done']);
    const want = ofType(straight.events, 'done')[0];
    expect(done!.history).toEqual(want.history);
    expect(done!.test).toEqual(want.test);
    expect(weightsOf(b.model!)).toEqual(weightsOf(straight.trainer.model!));
  });
});
