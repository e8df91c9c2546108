/**
 * 'auto' picks the fastest backend for the model: selectBackend times the probe on every candidate
 * (here wasm and cpu; Node has no WebGL), sets the fastest and proves it with tf.getBackend(); the
 * probe is a few real training batches of the run's own model; the worker's start event reports
 * the timings and the reason.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import type { Graph } from '../../core/types.ts';
import { memoryLoader } from '../../data/corpora/loader.ts';
import { getTemplate } from '../../../templates/index.ts';
import { selectBackend } from './backend.ts';
import { createTrainingHost } from './host.ts';
import { Trainer } from './engine.ts';
import { disposeTrainer, trainingProbe, withCheapInitializers } from './probe.ts';
import type { FromWorker, StartEvent } from './protocol.ts';
import { setup } from './testUtil.ts';

afterAll(async () => {
  await tf.setBackend('cpu');
});

const noGpu = { webgl2Renderer: 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)', wasm: true };

describe('auto with a probe', () => {
  for (const [fast, slow] of [['cpu', 'wasm'], ['wasm', 'cpu']] as const) {
    it(`keeps the fastest backend (${fast} when ${fast} is faster)`, async () => {
      const seen: string[] = [];
      const probe = async () => {
        seen.push(tf.getBackend());
        return tf.getBackend() === fast ? 5 : 9;
      };
      const c = await selectBackend(tf, 'auto', { env: noGpu, probe });
      expect(seen.sort()).toEqual(['cpu', 'wasm']);
      expect(c.backend).toBe(fast);
      expect(tf.getBackend()).toBe(fast);
      expect(c.probe).toEqual(expect.arrayContaining([{ backend: fast, msPerBatch: 5 }, { backend: slow, msPerBatch: 9 }]));
      expect(c.reason).toMatch(new RegExp(`fastest for this model in a short training probe \\(.*${fast} 5\\.0 ms.*\\).*software-rendered`));
    });
  }

  it('a GPU that does not start is reported and the others are timed', async () => {
    const c = await selectBackend(tf, 'auto', { env: { webgl2Renderer: 'NVIDIA GeForce RTX 3060', wasm: true }, probe: async () => (tf.getBackend() === 'wasm' ? 3 : 4) });
    expect(c.backend).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(c.probe?.map((p) => p.backend)).toEqual(['wasm', 'cpu']);
    expect(c.reason).toMatch(/webgl failed/);
  });

  it('when the model fails on every backend, the rule decides (the run then reports the error)', async () => {
    const c = await selectBackend(tf, 'auto', { env: noGpu, probe: async () => { throw new Error('bad model'); } });
    expect(c.probe).toBeUndefined();
    expect(c).toMatchObject({ backend: 'wasm', reason: expect.stringMatching(/software-rendered/) });
    expect(tf.getBackend()).toBe('wasm');
  });

  it('without a probe (or for an explicit request) nothing is timed', async () => {
    let calls = 0;
    const c = await selectBackend(tf, 'cpu', { env: noGpu, probe: async () => ++calls });
    expect(c).toEqual({ requested: 'cpu', backend: 'cpu', reason: 'chosen in the training settings' });
    expect(calls).toBe(0);
  });
});

describe('the training probe', () => {
  it('trains a few batches of the model on the current backend and frees its model and optimizer', async () => {
    await tf.setBackend('cpu');
    const s = setup('sentiment', 'airline-sentiment', 200, { batch_size: 16 });
    const probe = trainingProbe(tf, s.graph, s.dataset, s.settings);
    await probe(); // first call: kernel set-up
    // What one plain run of the engine leaves behind once its model and optimizer are freed
    // (TF.js's stock layers keep a few small tensors per model): the probe leaves no more.
    const b0 = tf.memory().numTensors;
    const plain = new Trainer({ tf, ...s, dataset: { ...s.dataset, train: s.dataset.train.slice(0, 48), val: [], test: [] }, settings: { ...s.settings, epochs: 1 }, predictions: 0 });
    await plain.run();
    disposeTrainer(plain);
    const engineLeft = tf.memory().numTensors - b0;
    const before = tf.memory().numTensors;
    const ms = await probe();
    expect(ms).toBeGreaterThan(0);
    expect(Number.isFinite(ms)).toBe(true);
    expect(tf.memory().numTensors - before).toBeLessThanOrEqual(engineLeft);
  });

  it('a broken model rejects with the engine\'s message', async () => {
    await tf.setBackend('cpu');
    const s = setup('sentiment', 'airline-sentiment', 100, {});
    const broken: Graph = { ...s.graph, edges: s.graph.edges.slice(1) };
    await expect(trainingProbe(tf, broken, s.dataset, s.settings)()).rejects.toThrow();
  });

  it('uses cheap initializers for the throwaway model, also inside Bidirectional', () => {
    const g = getTemplate('sentiment')!.project.graph;
    const bi = g.nodes.find((n) => n.kind === 'Bidirectional')!;
    const withOrthogonal: Graph = {
      ...g,
      nodes: g.nodes.map((n) => (n.id === bi.id ? { ...n, params: { ...n.params, layer: { kind: 'LSTM', params: { units: 8, recurrent_initializer: 'orthogonal' } } } } : n)),
    };
    const cheap = withCheapInitializers(withOrthogonal);
    const inner = cheap.nodes.find((n) => n.id === bi.id)!.params.layer as { params: Record<string, unknown> };
    expect(inner.params.recurrent_initializer).toBe('glorot_uniform');
    expect(inner.params.units).toBe(8);
    expect(withOrthogonal.nodes.find((n) => n.id === bi.id)!.params.layer).toMatchObject({ params: { recurrent_initializer: 'orthogonal' } });
    // The template leaves it to Keras's default, orthogonal: set explicitly for the probe.
    const fromDefault = withCheapInitializers(g).nodes.find((n) => n.id === bi.id)!.params.layer as { params: Record<string, unknown> };
    expect(fromDefault.params.recurrent_initializer).toBe('glorot_uniform');
  });
});

describe('the worker with auto', () => {
  it('probes the run\'s model on wasm and cpu and trains on the fastest, saying so in the start event', async () => {
    const s = setup('sentiment', 'airline-sentiment', 96, { epochs: 1, batch_size: 16, backend: 'auto' });
    const got: FromWorker[] = [];
    const handle = createTrainingHost({ post: (m) => got.push(m), loadTf: async () => tf, loader: memoryLoader({}) });
    await handle({ type: 'start', runId: 1, graph: s.graph, dataset: { kind: 'data', dataset: s.dataset }, settings: s.settings });
    const events = got.flatMap((m) => (m.type === 'event' ? [m.event] : []));
    const start = events.find((e): e is StartEvent => e.type === 'start');
    expect(start, JSON.stringify(events.at(-1))).toBeDefined();
    const b = start!.backend!;
    expect(b.requested).toBe('auto');
    expect(b.probe?.map((p) => p.backend).sort()).toEqual(['cpu', 'wasm']);
    const fastest = b.probe!.reduce((x, y) => (y.msPerBatch < x.msPerBatch ? y : x)).backend;
    expect(b.backend).toBe(fastest);
    expect(tf.getBackend()).toBe(fastest);
    expect(b.reason).toMatch(/fastest for this model in a short training probe/);
    expect(events.at(-1)?.type).toBe('done');
  });
});
