/**
 * The vanishing-gradient experiment's store with the real training client and the worker's host in
 * one process (TF.js cpu): three runs one after another, each with its batches, epochs and gradient
 * samples; stop ends the queue.
 */
import { describe, expect, it } from 'vitest';
import { createTrainingClient } from '../tf/train/client.ts';
import { inProcessWorker, useCpu } from '../tf/train/testUtil.ts';
import { createExperimentStore, experimentGraph, gradientRatio } from './experiment.ts';
import { inferGraph } from '../core/infer.ts';

describe('vanishing-gradient experiment', () => {
  it('the model: Input(T, 2) → RNN(units) → Dense(1), mean squared error', () => {
    const g = experimentGraph('GRU', 100, 8);
    const inf = inferGraph(g);
    expect(inf.hasErrors).toBe(false);
    expect(g.nodes.map((n) => n.kind)).toEqual(['Input', 'GRU', 'Dense', 'Output']);
    expect(inf.totals.trainable).toBe(3 * 8 * (2 + 8 + 2) + 9);
  });

  it('trains SimpleRNN, GRU and LSTM in turn; each run gets its own curves and gradient samples', async () => {
    await useCpu();
    const store = createExperimentStore(() => {
      const c = createTrainingClient(inProcessWorker);
      // The host samples every batch here (auto would be about a tenth of the time).
      const set = c.setGradientsEvery;
      return { ...c, setGradientsEvery: () => set(1) };
    });
    store.getState().setConfig({ T: 50, units: 3, epochs: 1, size: 80, seed: 2 });
    store.getState().start();
    expect(store.getState().status).toBe('running');
    // Settings are locked while it runs.
    store.getState().setConfig({ units: 99 });
    expect(store.getState().config.units).toBe(3);
    await new Promise<void>((resolve) => store.subscribe((s) => { if (s.status !== 'running') resolve(); }));
    const { runs, status } = store.getState();
    expect(status).toBe('done');
    expect(runs.map((r) => [r.kind, r.status])).toEqual([['SimpleRNN', 'done'], ['GRU', 'done'], ['LSTM', 'done']]);
    for (const r of runs) {
      expect(r.batches.length).toBe(2); // 48 training examples, batch 32
      expect(r.epochs).toHaveLength(1);
      expect(r.gradients.map((s) => s.step)).toEqual([1, 2]);
      expect(r.gradients[0].layers[0].gradNorm).toHaveLength(50);
      expect(gradientRatio(r)).toBeGreaterThan(0);
      expect(r.test).toBeGreaterThan(0);
    }
  }, 120_000);
});
