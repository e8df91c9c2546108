/**
 * Weights into and out of compiled models: extract from one model, apply to a fresh one with other
 * initial weights, and both predict the same; strict mode names the layer that does not fit.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { chain } from '../../core/build.ts';
import type { Graph } from '../../core/types.ts';
import { TEMPLATES } from '../../../templates/index.ts';
import { compileGraph } from '../compile.ts';
import { applyWeights, extractWeights, WeightsError } from './apply.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function withSeed<T>(seed: number, f: () => T): T {
  const orig = Math.random;
  let s = seed;
  Math.random = () => ((s = (s * 16807) % 2147483647) / 2147483647);
  try {
    return f();
  } finally {
    Math.random = orig;
  }
}

function inputsFor(c: ReturnType<typeof compileGraph>): tf.Tensor[] {
  return c.model.inputs.map((inp) => {
    const shape = inp.shape.map((d, k) => (k === 0 ? 2 : d ?? 4)) as number[];
    const n = shape.reduce((a, b) => a * b, 1);
    return inp.dtype === 'int32'
      ? tf.tensor(Array.from({ length: n }, (_, k) => 1 + (k % 3)), shape, 'int32')
      : tf.tensor(Array.from({ length: n }, (_, k) => Math.sin(k)), shape);
  });
}

function predictAll(c: ReturnType<typeof compileGraph>, xs: tf.Tensor[]): number[][] {
  const y = c.model.predict(xs) as tf.Tensor | tf.Tensor[];
  const list = Array.isArray(y) ? y : [y];
  const out = list.map((t) => Array.from(t.dataSync()));
  tf.dispose(list);
  return out;
}

// The larger templates (long sequences, wide LSTMs) are left out: the same layers are covered by the small ones.
const small: [string, Graph][] = TEMPLATES.filter((t) => !['encoder-decoder', 'spell-digit', 'name-generator', 'adding-simple-rnn', 'adding-lstm', 'lstm-stack', 'bidirectional-rnn'].includes(t.id)).map((t) => [t.id, t.project.graph]);

describe('applyWeights / extractWeights', () => {
  it.each(small)('%s: a fresh model with the extracted weights predicts the same', (_id, graph) => {
    const a = withSeed(1, () => compileGraph(tf, graph));
    const b = withSeed(2, () => compileGraph(tf, graph));
    const xs = inputsFor(a);
    try {
      const ws = extractWeights(tf, a, graph, { format: 'browser' });
      expect(predictAll(b, xs)).not.toEqual(predictAll(a, xs));
      const r = applyWeights(tf, b, graph, ws, { strict: true });
      expect(r.problems).toEqual([]);
      expect(r.applied.length).toBe(Object.keys(ws.layers).length);
      expect(predictAll(b, xs)).toEqual(predictAll(a, xs));
    } finally {
      tf.dispose(xs);
      a.model.dispose();
      b.model.dispose();
    }
  });

  it('leaves layers that do not fit alone (or throws in strict mode), naming them', () => {
    const g = (units: number) => chain([
      { kind: 'Input', params: { shape: [3, 2] } },
      { kind: 'SimpleRNN', params: { units } },
      { kind: 'Dense', params: { units: 1 } },
    ]);
    const a = compileGraph(tf, g(3));
    const b = compileGraph(tf, g(4));
    try {
      const ws = extractWeights(tf, a, g(3), { format: 'browser' });
      const r = applyWeights(tf, b, g(4), ws);
      expect(r.applied).toEqual([]);
      expect(r.problems).toEqual([
        'simple_rnn: kernel has shape (2, 3) in the weights, the layer needs (2, 4)',
        'dense: kernel has shape (3, 1) in the weights, the layer needs (4, 1)',
      ]);
      expect(() => applyWeights(tf, b, g(4), ws, { strict: true })).toThrow(WeightsError);
      const partial = { ...ws, layers: { dense: ws.layers.dense } };
      expect(() => applyWeights(tf, a, g(3), partial, { strict: true })).toThrow('the weights have nothing for layer simple_rnn');
      expect(applyWeights(tf, a, g(3), partial).missing).toEqual(['simple_rnn']);
    } finally {
      a.model.dispose();
      b.model.dispose();
    }
  });
});
