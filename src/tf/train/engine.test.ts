/**
 * The training loop on the lesson's sentiment model (cpu backend): it learns, frees its tensors,
 * reports batches and epochs, stops, pauses, yields to a newer run, and stops on a NaN loss.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Trainer } from './engine.ts';
import { ofType, setup, train, useCpu } from './testUtil.ts';

beforeAll(useCpu);

/** The share of the most common class: what always guessing it scores. */
function majority(labels: number[]): number {
  const counts = new Map<number, number>();
  for (const y of labels) counts.set(y, (counts.get(y) ?? 0) + 1);
  return Math.max(...counts.values()) / labels.length;
}

describe('sentiment template on airline-sentiment', () => {
  it('validation accuracy rises clearly above the majority class; tensors stay constant', async () => {
    const s = setup('sentiment', 'airline-sentiment', 600, { epochs: 3, batch_size: 32, learning_rate: 0.01 });
    const memory: number[] = [];
    const { events } = await train(s, { onEvent: (e) => e.type === 'epoch' && memory.push(tf.memory().numTensors) });
    const start = ofType(events, 'start')[0];
    expect(start).toMatchObject({ epochs: 3, batches: Math.ceil(s.dataset.train.length / 32), masked: false, loss: 'sparse_categorical_crossentropy' });
    const batches = ofType(events, 'batch');
    expect(batches).toHaveLength(3 * start.batches);
    expect(batches.every((b) => Number.isFinite(b.loss) && b.accuracy! >= 0 && b.accuracy! <= 1 && b.msPerBatch > 0)).toBe(true);
    const epochs = ofType(events, 'epoch');
    expect(epochs.map((e) => e.epoch)).toEqual([1, 2, 3]);
    const base = majority(s.dataset.val.map((e) => e.y as number));
    expect(epochs[2].val_accuracy!).toBeGreaterThan(base + 0.1);
    expect(epochs[2].loss).toBeLessThan(epochs[0].loss);
    // Each batch carries the epoch's running mean (Keras's progress bar); at the epoch's last batch it is the epoch's result.
    for (const e of epochs) {
      const last = batches.filter((b) => b.epoch === e.epoch).at(-1)!;
      expect(last.epochLoss).toBeCloseTo(e.loss, 6);
      expect(last.epochAccuracy).toBeCloseTo(e.accuracy!, 6);
    }
    expect(batches[0].epochLoss).toBeCloseTo(batches[0].loss, 6);
    // Memory: the same number of tensors after every epoch (weights + optimizer state only).
    expect(new Set(memory).size).toBe(1);
    const done = ofType(events, 'done')[0];
    expect(events[events.length - 1]).toBe(done);
    expect(done.history.val_accuracy).toEqual(epochs.map((e) => e.val_accuracy));
    expect(done.test.accuracy!).toBeGreaterThan(majority(s.dataset.test.map((e) => e.y as number)));
    expect(done.predictions).toHaveLength(8);
    expect(done.predictions[0].input).toMatch(/^@?\w+ /); // decoded words, padding left out
    expect(['positive', 'negative', 'neutral']).toContain(done.predictions[0].predicted);
  });

  it('initial weights follow the seed', () => {
    const weights = (seed: number) => {
      const s = setup('sentiment', 'airline-sentiment', 100, { seed });
      const model = new Trainer({ tf, ...s }).build();
      const w = model.getWeights().map((t) => Array.from(t.dataSync()));
      model.dispose();
      return w;
    };
    expect(weights(7)).toEqual(weights(7));
    expect(weights(7)).not.toEqual(weights(8));
  });

  it('stop() stops before the next batch, and a newer run silences an older one', async () => {
    const s = setup('sentiment', 'airline-sentiment', 400, { epochs: 2, batch_size: 16 });
    let trainer!: Trainer;
    const events: string[] = [];
    trainer = new Trainer({
      tf, ...s,
      onEvent: (e) => {
        events.push(e.type === 'batch' ? `batch ${e.batch}` : e.type);
        if (e.type === 'batch' && e.batch === 2) trainer.stop();
      },
    });
    expect(await trainer.run()).toBeUndefined();
    expect(events).toEqual(['start', 'batch 1', 'batch 2', 'stopped']);
    expect(trainer.status).toBe('stopped');

    let current = true;
    const quiet: string[] = [];
    const old = new Trainer({ tf, ...s, isCurrent: () => current, onEvent: (e) => { quiet.push(e.type); if (e.type === 'batch') current = false; } });
    await old.run();
    expect(quiet).toEqual(['start', 'batch']);
  });

  it('pause() holds the loop until resume()', async () => {
    const s = setup('sentiment', 'airline-sentiment', 200, { epochs: 1, batch_size: 32 });
    let trainer!: Trainer;
    let pausedAt = 0;
    const batchTimes: number[] = [];
    trainer = new Trainer({
      tf, ...s,
      onEvent: (e) => {
        if (e.type !== 'batch') return;
        batchTimes.push(performance.now());
        if (e.batch === 1) {
          trainer.pause();
          pausedAt = performance.now();
          setTimeout(() => trainer.resumeRun(), 300);
        }
      },
    });
    const done = await trainer.run();
    expect(done?.type).toBe('done');
    expect(batchTimes[1] - pausedAt).toBeGreaterThan(290);
  });
});

describe('errors', () => {
  it('a diverging loss (sgd, learning rate 10) stops with advice to lower the learning rate', async () => {
    const s = setup('forecast-gru', 'noisy-sine', 200, { epochs: 5, batch_size: 8, optimizer: 'sgd', learning_rate: 10 });
    const { events } = await train(s);
    const last = events[events.length - 1];
    expect(last).toMatchObject({ type: 'error', where: 'train' });
    if (last.type !== 'error') throw new Error('unreachable');
    expect(last.message).toMatch(/loss became (NaN|infinite) at epoch \d+, batch \d+/);
    expect(last.message).toMatch(/lower learning rate \(now 10; try 1\)/);
    const lastBatch = ofType(events, 'batch').at(-1)!;
    expect(Number.isFinite(lastBatch.loss)).toBe(true); // the bad batch is reported by the error, not as a batch
  });

  it('NaN in the data is refused before training', async () => {
    const s = setup('forecast-gru', 'noisy-sine', 60, { epochs: 1 });
    const train0 = s.dataset.train.slice();
    train0[3] = { ...train0[3], x: (train0[3].x as number[][]).map((r, t) => (t === 2 ? [NaN] : r)) };
    const { events } = await train({ ...s, dataset: { ...s.dataset, train: train0 } });
    expect(events).toEqual([{ type: 'error', where: 'data', message: expect.stringMatching(/train data has a missing or infinite value \(example 4\)/) }]);
  });

  it('a model that does not fit the dataset is refused with what to change', async () => {
    const s = setup('sentiment', 'airline-sentiment', 60);
    const other = setup('pos-tagger', 'toy-pos', 60);
    const { events } = await train({ ...s, dataset: other.dataset });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'error', where: 'binding' });
  });
});
