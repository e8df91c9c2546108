/**
 * Keras 3 defaults where TF.js 4.22's differ: LSTM gates use sigmoid (not TF.js's hard sigmoid),
 * the forget-gate bias starts at 1, kernels start glorot_uniform; Keras's hard_sigmoid is
 * relu6(x + 3) / 6; glorot_normal has Keras's variance.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { chain, nodeByName } from '../core/build.ts';
import { compileGraph } from './compile.ts';
import { tfInitializer } from './activations.ts';
import { tfjsKit } from './kit.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const sig = (v: number) => 1 / (1 + Math.exp(-v));

describe('LSTM built from a graph with default parameters', () => {
  const g = chain([{ kind: 'Input', params: { shape: [1, 1] } }, { kind: 'LSTM', params: { units: 2 } }]);
  const c = compileGraph(tf, g);
  const layer = c.layers.get(nodeByName(g, 'lstm').id)!;

  it('config: sigmoid gates, unit forget bias, glorot_uniform kernel, orthogonal recurrent kernel', () => {
    const cfg = layer.getConfig();
    expect(cfg.recurrentActivation).toBe('sigmoid');
    expect(cfg.activation).toBe('tanh');
    expect(cfg.unitForgetBias).toBe(true);
    expect(cfg.kernelInitializer).toMatchObject({ config: { scale: 1, mode: 'fanAvg', distribution: 'uniform' } });
    expect(cfg.recurrentInitializer).toMatchObject({ className: 'Orthogonal' });
  });

  it('bias at init: zeros except the forget gate (i, f, c, o order), which is 1', () => {
    expect(Array.from(layer.getWeights()[2].dataSync())).toEqual([0, 0, 1, 1, 0, 0, 0, 0]);
  });

  it('one step equals the sigmoid-gated hand computation', () => {
    // kernel (1, 8), recurrent (2, 8), bias (8); gates i, f, c, o of 2 units each.
    const k = [0.5, -0.3, 0.8, 0.1, -0.6, 0.4, 0.9, -0.2];
    layer.setWeights([tf.tensor2d([k]), tf.zeros([2, 8]), tf.zeros([8])]);
    const x = 1.5;
    const y = (c.model.predict(tf.tensor3d([[[x]]])) as tf.Tensor).dataSync();
    const z = k.map((w) => w * x);
    for (let j = 0; j < 2; j++) {
      const cell = sig(z[j]) * Math.tanh(z[4 + j]);
      expect(y[j]).toBeCloseTo(sig(z[6 + j]) * Math.tanh(cell), 6);
    }
    // TF.js's own default (hard sigmoid 0.2x + 0.5) would differ here.
    expect(Math.abs(sig(z[6]) - Math.min(1, Math.max(0, 0.2 * z[6] + 0.5)))).toBeGreaterThan(1e-3);
  });
});

describe('activations and initializers', () => {
  it("hard_sigmoid is Keras 3's relu6(x + 3) / 6", () => {
    const act = tf.layers.activation({ activation: tfjsKit(tf).activation('hard_sigmoid') });
    const xs = [-4, -1, 0, 1, 2.5, 4];
    const y = (act.apply(tf.tensor1d(xs)) as tf.Tensor).dataSync();
    xs.forEach((x, k) => expect(y[k]).toBeCloseTo(Math.min(6, Math.max(0, x + 3)) / 6, 6));
  });

  it('leaky_relu has slope 0.2, exponential is exp', () => {
    const kit = tfjsKit(tf);
    const leaky = tf.layers.activation({ activation: kit.activation('leaky_relu') });
    expect(Array.from((leaky.apply(tf.tensor1d([-1, 2])) as tf.Tensor).dataSync())).toEqual([-0.2, 2].map(Math.fround));
    const exp = tf.layers.activation({ activation: kit.activation('exponential') });
    expect((exp.apply(tf.tensor1d([1])) as tf.Tensor).dataSync()[0]).toBeCloseTo(Math.E, 5);
  });

  it('glorot_normal draws with variance 2 / (fan_in + fan_out), as Keras', () => {
    const init = tfInitializer(tf, 'glorot_normal');
    const w = tf.tidy(() => (typeof init === 'string' ? tf.zeros([1]) : init.apply([400, 600])));
    const variance = tf.moments(w).variance.dataSync()[0];
    expect(variance).toBeGreaterThan(0.95 * (2 / 1000));
    expect(variance).toBeLessThan(1.05 * (2 / 1000));
  });
});
