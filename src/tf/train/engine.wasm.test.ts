/**
 * The wasm backend in Node: selectBackend really switches (checked with tf.getBackend()) and the
 * sentiment model, whose trainable Embedding needs the segment-sum kernel on wasm, trains.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, expect, it } from 'vitest';
import { selectBackend } from './backend.ts';
import { ofType, setup, train } from './testUtil.ts';

beforeAll(async () => {
  const c = await selectBackend(tf, 'auto', { env: { webgl2Renderer: 'SwiftShader Device', wasm: true } });
  expect(c).toMatchObject({ requested: 'auto', backend: 'wasm' });
  expect(tf.getBackend()).toBe('wasm');
});

it('trains the sentiment model on wasm', async () => {
  const s = setup('sentiment', 'airline-sentiment', 200, { epochs: 1, batch_size: 32 });
  const { events } = await train(s);
  const done = ofType(events, 'done')[0];
  expect(done, JSON.stringify(events.at(-1))).toBeDefined();
  expect(ofType(events, 'batch').every((b) => Number.isFinite(b.loss))).toBe(true);
  expect(tf.getBackend()).toBe('wasm');
});
