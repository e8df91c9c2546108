/**
 * Training faults (Node, cpu): ten runs in a row leave the worker's tensor count where one run
 * leaves it; a build that fails halfway frees what it allocated; models too large to train are
 * refused before anything is allocated, with their size, and the next run trains; a run that did
 * not learn ends done with a warning; the client replaces a worker that reported a fatal error or
 * went silent (crashed, terminated), and the next start works.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { getTemplate } from '../../../templates/index.ts';
import { inferGraph } from '../../core/infer.ts';
import { getLayer } from '../../core/registry.ts';
import type { Graph, GraphNode } from '../../core/types.ts';
import { compileGraph } from '../compile.ts';
import { createTrainingClient, type WorkerLike } from './client.ts';
import { chanceLoss, learningWarnings, trainingSizeProblem } from './health.ts';
import type { FromWorker, ToWorker } from './protocol.ts';
import { inProcessWorker, ofType, setup, train, useCpu } from './testUtil.ts';

beforeAll(useCpu);

describe('memory', () => {
  it('ten trainings in a row: the tensor count returns to what one run leaves', async () => {
    const client = createTrainingClient(inProcessWorker);
    const project = getTemplate('sentiment')!.project;
    const counts: number[] = [];
    for (let k = 0; k < 10; k++) {
      const run = client.startTraining({ project, datasetId: 'airline-sentiment', datasetOptions: { size: 64 }, settings: { backend: 'cpu', epochs: 1, batch_size: 32 } });
      expect((await run.finished).type).toBe('done');
      counts.push((await client.memory())!.numTensors);
    }
    // The last run's model and optimizer stay (for export and continuing); nothing else.
    expect(counts, String(counts)).toEqual(counts.map(() => counts[0]));
    client.terminate();
  }, 120_000);

  it('a build that fails halfway frees the weights it had made', () => {
    const g = setup('sentiment', 'airline-sentiment', 32).graph;
    const dense = getLayer('Dense')!;
    const build = dense.build!;
    const before = tf.memory().numTensors;
    (dense as { build: typeof build }).build = () => { throw new Error('simulated allocation failure'); };
    try {
      expect(() => compileGraph(tf, g)).toThrow('simulated allocation failure');
    } finally {
      (dense as { build: typeof build }).build = build;
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});

/** The sentiment graph with one node's params changed. */
function withParams(kind: string, params: GraphNode["params"]): ReturnType<typeof setup> {
  const s = setup('sentiment', 'airline-sentiment', 64, { epochs: 1, batch_size: 32 });
  return { ...s, graph: { ...s.graph, nodes: s.graph.nodes.map((n) => (n.kind === kind ? { ...n, params: { ...n.params, ...params } } : n)) } };
}

describe('too large to train', () => {
  it.each([
    ['a 655-GB embedding', 'Embedding', { input_dim: 1_000_000_000, output_dim: 164 }, /cannot be built here: its weights need 6\d\d\.\d\d GB/],
    ['a 10-million-unit layer', 'Bidirectional', { layer: { kind: 'LSTM', params: { units: 10_000_000 } } }, /cannot be built here: its weights need .* TB/],
  ])('%s is refused before anything is allocated, with its size; the next run trains', async (_, kind, params, message) => {
    const before = tf.memory().numTensors;
    const { events } = await train(withParams(kind, params));
    const err = ofType(events, 'error')[0];
    expect(err.where).toBe('compile');
    expect(err.message).toMatch(message);
    expect(tf.memory().numTensors).toBe(before);
    const ok = await train(setup('sentiment', 'airline-sentiment', 64, { epochs: 1, batch_size: 32 }));
    expect(ok.events.at(-1)!.type).toBe('done');
    ok.trainer.dispose();
  }, 60_000);

  it('a 6,000-layer LSTM chain: its activations would not fit', () => {
    const nodes: GraphNode[] = [{ id: 'i', kind: 'Input', name: 'input_layer', params: { shape: [100, 8] }, position: { x: 0, y: 0 } }];
    const edges = [];
    for (let k = 1; k <= 6000; k++) {
      nodes.push({ id: `l${k}`, kind: 'LSTM', name: `lstm_${k}`, params: { units: 64, return_sequences: true }, position: { x: k, y: 0 } });
      edges.push({ id: `e${k}`, source: k === 1 ? 'i' : `l${k - 1}`, sourcePort: 'output', target: `l${k}`, targetPort: 'input' });
    }
    nodes.push({ id: 'o', kind: 'Output', name: 'output', params: { loss: 'mean_squared_error' }, position: { x: 0, y: 0 } });
    edges.push({ id: 'eo', source: 'l6000', sourcePort: 'output', target: 'o', targetPort: 'input' });
    const g: Graph = { nodes, edges };
    const ds = { id: 'x', name: 'x', train: [], val: [], test: [] } as never;
    expect(trainingSizeProblem(g, inferGraph(g), ds, 32)).toMatch(/too large to train here: a batch of 32 needs about \d+\.\d\d GB/);
    // The lesson's model is far below the budget.
    const lesson = setup('sentiment', 'airline-sentiment', 64);
    expect(trainingSizeProblem(lesson.graph, inferGraph(lesson.graph), lesson.dataset, 16)).toBeNull();
  });
});

describe('a run that did not learn', () => {
  it('the sentiment model at learning rate 10 ends done, with a warning naming the loss and chance', async () => {
    const { events } = await train(setup('sentiment', 'airline-sentiment', 200, { learning_rate: 10, epochs: 2, batch_size: 32 }));
    const done = ofType(events, 'done')[0];
    expect(done).toBeDefined();
    expect(done.warnings?.[0]).toMatch(/did not learn: the loss ended at [\d.]+, far above 1\.10, what guessing gives for 3 classes/);
  }, 60_000);

  it('a healthy run has no warning; the rules', async () => {
    const { events } = await train(setup('sentiment', 'airline-sentiment', 200, { epochs: 2, batch_size: 16, learning_rate: 0.01 }));
    const done = ofType(events, 'done')[0];
    expect(done.warnings, JSON.stringify(done.history.loss)).toBeUndefined();
    expect(chanceLoss('sparse_categorical_crossentropy', 3)).toBeCloseTo(Math.log(3));
    expect(chanceLoss('mean_squared_error', 1)).toBeNull();
    const run = { learningRate: 0.1, optimizer: 'sgd' };
    expect(learningWarnings([1.12, 1.11, 1.12], 'sparse_categorical_crossentropy', 3, run)[0]).toMatch(/did not fall over 3 epochs/);
    expect(learningWarnings([1.2, 0.8, 0.5], 'sparse_categorical_crossentropy', 3, run)).toEqual([]);
    expect(learningWarnings([50], 'mean_squared_error', 1, run)).toEqual([]);
  }, 60_000);
});

/** A worker that answers like the host would (through `reply`), or not at all. */
function fakeWorker(reply: (msg: ToWorker, post: (m: FromWorker) => void) => void): WorkerLike & { terminated: boolean } {
  const listeners: ((e: MessageEvent<FromWorker>) => void)[] = [];
  const w = {
    terminated: false,
    postMessage: (msg: ToWorker) => setTimeout(() => { if (!w.terminated) reply(msg, (m) => listeners.forEach((l) => l({ data: m } as MessageEvent<FromWorker>))); }),
    addEventListener: (type: string, f: (e: MessageEvent<FromWorker>) => void) => { if (type === 'message') listeners.push(f); },
    terminate: () => { w.terminated = true; },
  };
  return w as WorkerLike & { terminated: boolean };
}

describe('worker faults', () => {
  const project = getTemplate('sentiment')!.project;

  it('a fatal error (lost WebGL context, aborted wasm) replaces the worker; the next start gets a fresh one', async () => {
    const made: ReturnType<typeof fakeWorker>[] = [];
    const client = createTrainingClient(() => {
      const w = fakeWorker((msg, post) => {
        if (msg.type !== 'start') return;
        if (made.length === 1) post({ type: 'event', runId: msg.runId, event: { type: 'error', where: 'train', message: 'Aborted()', fatal: true } });
        else post({ type: 'event', runId: msg.runId, event: { type: 'stopped', epoch: 1, batch: 1, history: { loss: [], val_loss: [] } } });
      });
      made.push(w);
      return w;
    });
    const first = await client.startTraining({ project }).finished;
    expect(first).toMatchObject({ type: 'error', fatal: true });
    expect(made[0].terminated).toBe(true);
    expect((await client.startTraining({ project }).finished).type).toBe('stopped');
    expect(made).toHaveLength(2);
  });

  it('a worker that goes silent (crashed, terminated) ends the run with a message; the next start works', async () => {
    const made: ReturnType<typeof fakeWorker>[] = [];
    const client = createTrainingClient(() => {
      const w = fakeWorker((msg, post) => {
        if (made.length === 1) return; // the first worker is dead: it never answers
        if (msg.type === 'ping') post({ type: 'pong', id: msg.id });
        if (msg.type === 'start') setTimeout(() => post({ type: 'event', runId: msg.runId, event: { type: 'stopped', epoch: 1, batch: 1, history: { loss: [], val_loss: [] } } }), 300);
      });
      made.push(w);
      return w;
    }, { silenceMs: 150, pingMs: 30 });
    const first = await client.startTraining({ project }).finished;
    expect(first.type).toBe('error');
    expect((first as { message: string }).message).toMatch(/stopped responding/);
    expect(made[0].terminated).toBe(true);
    // A live worker answers pings, so a run longer than the silence limit is fine.
    expect((await client.startTraining({ project }).finished).type).toBe('stopped');
  });
});
