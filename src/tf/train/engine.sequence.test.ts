/**
 * Per-step, seq2seq and regression training (cpu backend): the masked loss falls, the masked
 * accuracy counts real steps only, teacher forcing feeds the decoder, regression loss falls.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, expect, it } from 'vitest';
import { setParams } from '../../core/edit.ts';
import { makeBatches } from '../../data/batching.ts';
import { Trainer } from './engine.ts';
import { batchOptions, feedFields, inputTensors } from './feeds.ts';
import { maskedLoss, targetTensors } from './losses.ts';
import { ofType, setup, train, useCpu } from './testUtil.ts';

beforeAll(useCpu);

it('pos-tagger on toy-pos: the masked loss falls; accuracy counts real steps only', async () => {
  const s = setup('pos-tagger', 'toy-pos', 300, { epochs: 3, batch_size: 32, learning_rate: 0.01 });
  const { trainer, events } = await train(s);
  expect(ofType(events, 'start')[0].masked).toBe(true);
  const epochs = ofType(events, 'epoch');
  expect(epochs).toHaveLength(3);
  expect(epochs[2].loss).toBeLessThan(epochs[0].loss);
  expect(epochs[2].val_loss).toBeLessThan(epochs[0].val_loss);

  // Hand computation of the validation accuracy over real (unpadded) steps.
  const model = trainer.model!;
  let right = 0, total = 0, rightWithPads = 0, totalWithPads = 0;
  for (const batch of makeBatches(s.dataset.val, batchOptions(s.dataset, 32, null))) {
    const xs = inputTensors(tf, batch, feedFields(s.dataset, 1), ['int32']);
    const pred = tf.tidy(() => (model.predict(xs) as tf.Tensor).argMax(-1).dataSync());
    tf.dispose(xs);
    pred.forEach((p, k) => {
      rightWithPads += Number(p === batch.y[k]);
      totalWithPads++;
      if (batch.mask![k] === 0) return;
      right += Number(p === batch.y[k]);
      total++;
    });
  }
  expect(total).toBeLessThan(totalWithPads); // the batches really are padded
  expect(trainer.evaluate(s.dataset.val).accuracy).toBeCloseTo(right / total, 6);
  expect(right / total).not.toBeCloseTo(rightWithPads / totalWithPads, 3);
  const done = ofType(events, 'done')[0];
  expect(done.predictions[0].truth.split(' ')).toHaveLength(done.predictions[0].predicted.split(' ').length);
});

it('the reported batch loss is the masked loss of that (seeded) batch, not the padded mean', async () => {
  const s = setup('pos-tagger', 'toy-pos', 100, { epochs: 1, batch_size: 16 });
  let trainer!: Trainer;
  const losses: number[] = [];
  trainer = new Trainer({ tf, ...s, onEvent: (e) => e.type === 'batch' && (losses.push(e.loss), trainer.stop()) });
  const model = trainer.build();
  const [batch] = makeBatches(s.dataset.train, batchOptions(s.dataset, 16, { seed: s.settings.seed, epoch: 1 }));
  const [masked, padded] = tf.tidy(() => {
    const pred = model.predict(inputTensors(tf, batch, ['x'], ['int32'])) as tf.Tensor;
    const t = targetTensors(tf, 'sparse_categorical_crossentropy', batch, [null, null, 7]);
    return [maskedLoss(tf, 'sparse_categorical_crossentropy', t.y, pred, t.weights), maskedLoss(tf, 'sparse_categorical_crossentropy', t.y, pred)];
  }).map((x) => x.arraySync() as number);
  await trainer.run();
  expect(losses).toHaveLength(1);
  expect(losses[0]).toBeCloseTo(masked, 5);
  expect(Math.abs(masked - padded)).toBeGreaterThan(1e-4); // near-uniform predictions at init: close, but distinguishable
});

it('encoder-decoder on reverse: teacher forcing feeds the decoder; one epoch runs', async () => {
  const base = setup('encoder-decoder', 'reverse', 200, { epochs: 1, batch_size: 32, learning_rate: 0.01 });
  // Smaller LSTMs: TF.js's orthogonal initializer takes seconds on cpu for 64 units.
  const graph = setParams(setParams(base.graph, 'n3', { units: 16 }), 'n6', { units: 16 });
  const { events } = await train({ ...base, graph });
  expect(ofType(events, 'start')[0]).toMatchObject({ masked: true });
  expect(ofType(events, 'batch').every((b) => Number.isFinite(b.loss))).toBe(true);
  const done = ofType(events, 'done')[0];
  expect(done.history.loss).toHaveLength(1);
  expect(done.test.accuracy).toBeGreaterThan(0);
  expect(done.predictions[0].truth).toMatch(/<end>$/);
  expect(feedFields(base.dataset, 2)).toEqual(['x', 'decoderInput']);
});

it('forecast-gru on noisy-sine: the regression loss falls (no accuracy)', async () => {
  const s = setup('forecast-gru', 'noisy-sine', 200, { epochs: 2, batch_size: 32 });
  const { events } = await train(s);
  const batches = ofType(events, 'batch');
  const epochs = ofType(events, 'epoch');
  expect(batches.every((b) => b.accuracy === undefined)).toBe(true);
  expect(epochs[1].loss).toBeLessThan(batches[0].loss / 2);
  expect(epochs[1].val_loss).toBeLessThan(epochs[0].val_loss);
  const done = ofType(events, 'done')[0];
  expect(done.test.accuracy).toBeUndefined();
  expect(Number(done.predictions[0].predicted)).not.toBeNaN();
});
