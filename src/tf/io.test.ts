/**
 * Save → load → predict identically, for models with every custom class: GRU (reset_after true
 * and false), mask-gated LSTM/SimpleRNN/Bidirectional/Add/Concatenate/GlobalAveragePooling1D,
 * Keras hard_sigmoid, Flatten of an unknown axis, and the encoder–decoder with states.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { chain } from '../core/build.ts';
import { randomValidGraph } from '../core/random.ts';
import type { Graph } from '../core/types.ts';
import { compileGraph } from './compile.ts';
import { loadArtifacts, loadModelFiles, saveArtifacts, saveModelFiles } from './io.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const tokens = () => tf.tensor2d([[1, 2, 3, 0, 0], [4, 5, 0, 0, 0]], [2, 5], 'int32');

function same(a: tf.Tensor | tf.Tensor[], b: tf.Tensor | tf.Tensor[]): void {
  const la = Array.isArray(a) ? a : [a], lb = Array.isArray(b) ? b : [b];
  expect(la.length).toBe(lb.length);
  la.forEach((t, k) => expect(Array.from(lb[k].dataSync())).toEqual(Array.from(t.dataSync())));
}

const graphs: [string, Graph, () => tf.Tensor[]][] = [
  ['GRU reset_after, Bidirectional(GRU), masked mean', chain([
    { kind: 'Input', params: { shape: [null], dtype: 'int32' } },
    { kind: 'Embedding', params: { input_dim: 9, output_dim: 3, mask_zero: true } },
    { kind: 'Bidirectional', params: { layer: { kind: 'GRU', params: { units: 3, return_sequences: true } }, merge_mode: 'sum' } },
    { kind: 'GRU', params: { units: 2, return_sequences: true, reset_after: false, recurrent_activation: 'hard_sigmoid' } },
    { kind: 'GlobalAveragePooling1D' },
    { kind: 'Dense', params: { units: 2, activation: 'leaky_relu', kernel_initializer: 'glorot_normal' } },
  ]), () => [tokens()]],
  ['LSTM → RepeatVector → SimpleRNN, Flatten of (None, None, u)', chain([
    { kind: 'Input', params: { shape: [null], dtype: 'int32' } },
    { kind: 'Embedding', params: { input_dim: 9, output_dim: 3, mask_zero: true } },
    { kind: 'LSTM', params: { units: 3 } },
    { kind: 'RepeatVector', params: { n: 4 } },
    { kind: 'SimpleRNN', params: { units: 2, return_sequences: true } },
    { kind: 'Flatten' },
  ]), () => [tokens()]],
];

describe('save and load', () => {
  it.each(graphs)('%s: artifacts round trip predicts identically', async (_name, g, input) => {
    const { model } = compileGraph(tf, g);
    const before = model.predict(input()) as tf.Tensor;
    const again = await loadArtifacts(tf, await saveArtifacts(tf, model));
    same(before, again.predict(input()) as tf.Tensor);
    expect(again.layers.map((l) => l.getClassName())).toEqual(model.layers.map((l) => l.getClassName()));
  });

  it.each(graphs)('%s: model.json + weights.bin round trip predicts identically', async (_name, g, input) => {
    const { model } = compileGraph(tf, g);
    const files = await saveModelFiles(tf, model);
    expect(JSON.parse(files.modelJson).weightsManifest[0].paths).toEqual(['weights.bin']);
    expect(files.weights.byteLength).toBe(4 * model.countParams());
    const again = await loadModelFiles(tf, files);
    same(model.predict(input()) as tf.Tensor, again.predict(input()) as tf.Tensor);
  });

  it('random graphs with states and merges round trip', async () => {
    for (const seed of [3, 11, 19, 27, 35, 43]) {
      const g = randomValidGraph(seed);
      const c = compileGraph(tf, g);
      const xs = c.model.inputs.map((s) => (s.dtype === 'int32'
        ? tf.ones(s.shape.map((d) => d ?? 4), 'int32')
        : tf.randomNormal(s.shape.map((d) => d ?? 4), 0, 1, 'float32', seed)));
      const again = await loadModelFiles(tf, await saveModelFiles(tf, c.model));
      same(c.model.predict(xs) as tf.Tensor, again.predict(xs) as tf.Tensor);
    }
  });
});
