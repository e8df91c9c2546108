/**
 * Masks with Keras 3 semantics: no stale mask past a layer whose Keras compute_mask returns None
 * (the encoder case), the masked mean of GlobalAveragePooling1D, zeros at masked steps of a
 * Bidirectional that returns sequences, Add's mask.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { chain, nodeByName, type LayerSpec } from '../core/build.ts';
import type { Graph } from '../core/types.ts';
import { compileGraph } from './compile.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const ids = (rows: number[][]) => tf.tensor2d(rows, [rows.length, rows[0].length], 'int32');
const predict = (m: tf.LayersModel, x: tf.Tensor) => (m.predict(x) as tf.Tensor).arraySync() as number[][] | number[][][];

function expectClose(a: unknown, b: unknown, digits = 5): void {
  const fa = (a as number[]).flat(3) as number[], fb = (b as number[]).flat(3) as number[];
  expect(fa.length).toBe(fb.length);
  fa.forEach((v, k) => expect(v).toBeCloseTo(fb[k], digits));
}

function encoder(n: number): Graph {
  return chain([
    { kind: 'Input', params: { shape: [null], dtype: 'int32' } },
    { kind: 'Embedding', params: { input_dim: 20, output_dim: 3, mask_zero: true } },
    { kind: 'LSTM', params: { units: 4 } },
    { kind: 'RepeatVector', params: { n } },
    { kind: 'LSTM', params: { units: 4, return_sequences: true } },
  ]);
}

describe('stale masks (TF.js graph executor)', () => {
  it.each([3, 5, 7])('Embedding(mask_zero) → LSTM → RepeatVector(%i) → LSTM: padded = unpadded', (n) => {
    const { model } = compileGraph(tf, encoder(n));
    const padded = predict(model, ids([[1, 2, 3, 0, 0], [4, 0, 0, 0, 0]]));
    const unpadded = [predict(model, ids([[1, 2, 3]]))[0], predict(model, ids([[4]]))[0]];
    expectClose(padded, unpadded);
    // The decoder really runs n steps with changing outputs (it is not masked down to the input's length).
    const row = (padded as number[][][])[0];
    expect(row.length).toBe(n);
    expect(Math.abs(row[n - 1][0] - row[0][0])).toBeGreaterThan(1e-6);
  });

  it('stock TF.js layers get this wrong (documents why Unroll gates masks)', () => {
    const x = tf.input({ shape: [null], dtype: 'int32' });
    let y = tf.layers.embedding({ inputDim: 20, outputDim: 3, maskZero: true }).apply(x) as tf.SymbolicTensor;
    y = tf.layers.lstm({ units: 4 }).apply(y) as tf.SymbolicTensor;
    y = tf.layers.repeatVector({ n: 5 }).apply(y) as tf.SymbolicTensor;
    y = tf.layers.lstm({ units: 4, returnSequences: true }).apply(y) as tf.SymbolicTensor;
    const m = tf.model({ inputs: x, outputs: y });
    const padded = predict(m, ids([[1, 2, 0, 0, 0]])) as number[][][];
    // Steps 2..4 are masked by the encoder's padding: the decoder's output freezes after step 1.
    expect(padded[0][4]).toEqual(padded[0][1]);
  });

  it('a mask on an RNN state output does not reach a later RNN (return_state + RepeatVector)', () => {
    const g = chain([
      { kind: 'Input', params: { shape: [null], dtype: 'int32' } },
      { kind: 'Embedding', params: { input_dim: 20, output_dim: 3, mask_zero: true } },
      { kind: 'LSTM', params: { units: 4, return_sequences: true, return_state: true } },
      { kind: 'GlobalAveragePooling1D' },
      { kind: 'RepeatVector', params: { n: 4 } },
      { kind: 'GRU', params: { units: 2, return_sequences: true } },
    ]);
    const { model } = compileGraph(tf, g);
    expectClose(predict(model, ids([[5, 6, 0, 0, 0, 0]])), predict(model, ids([[5, 6]])));
  });
});

describe('GlobalAveragePooling1D', () => {
  function pooled(mask: boolean) {
    const g = chain([
      { kind: 'Input', params: { shape: [null], dtype: 'int32' } },
      { kind: 'Embedding', params: { input_dim: 10, output_dim: 2, mask_zero: mask } },
      { kind: 'GlobalAveragePooling1D' },
    ]);
    const c = compileGraph(tf, g);
    const table = c.layers.get(nodeByName(g, 'embedding').id)!.getWeights()[0].arraySync() as number[][];
    return { out: predict(c.model, ids([[3, 7, 0, 0]])) as number[][], table };
  }

  it('with a mask: the mean over unmasked steps only (Keras 3)', () => {
    const { out, table } = pooled(true);
    expectClose(out[0], [0, 1].map((j) => (table[3][j] + table[7][j]) / 2));
  });

  it('without a mask: the mean over every step', () => {
    const { out, table } = pooled(false);
    expectClose(out[0], [0, 1].map((j) => (table[3][j] + table[7][j] + 2 * table[0][j]) / 4));
  });
});

describe('Bidirectional with return_sequences and a mask', () => {
  const spec = (merge: string | null): LayerSpec[] => [
    { kind: 'Input', params: { shape: [null], dtype: 'int32' } },
    { kind: 'Embedding', params: { input_dim: 20, output_dim: 3, mask_zero: true } },
    { kind: 'Bidirectional', params: { layer: { kind: 'LSTM', params: { units: 2, return_sequences: true } }, merge_mode: merge } },
  ];

  it.each(['concat', 'sum', 'mul', 'ave'])('merge_mode %s: zeros at masked steps, unmasked steps as without padding', (merge) => {
    const { model } = compileGraph(tf, chain(spec(merge)));
    const padded = predict(model, ids([[1, 2, 3, 0, 0]])) as number[][][];
    const unpadded = predict(model, ids([[1, 2, 3]])) as number[][][];
    expectClose(padded[0].slice(0, 3), unpadded[0]);
    expect(padded[0].slice(3).flat().every((v) => v === 0)).toBe(true);
    expect(padded[0][2].some((v) => v !== 0)).toBe(true);
  });

  it('merge_mode None: both outputs', () => {
    const g = chain(spec(null));
    const c = compileGraph(tf, g);
    const bi = nodeByName(g, 'bidirectional').id;
    const both = tf.model({ inputs: c.model.inputs, outputs: ['output_forward', 'output_backward'].map((p) => c.tensor(bi, p)!) });
    const ys = both.predict(ids([[1, 2, 0]])) as tf.Tensor[];
    expect(ys.length).toBe(2);
    for (const y of ys) expect((y.arraySync() as number[][][])[0][2].map(Math.abs)).toEqual([0, 0]);
  });
});

describe('Add of masked tensors', () => {
  it('keeps the mask (AND) so a later LSTM skips padding', () => {
    const g = chain([
      { kind: 'Input', params: { shape: [null], dtype: 'int32' } },
      { kind: 'Embedding', params: { input_dim: 20, output_dim: 3, mask_zero: true } },
      { kind: 'Dense', params: { units: 3 } },
    ], { output: false });
    // Residual: Add(embedding, dense) → LSTM → Output.
    const emb = nodeByName(g, 'embedding'), dense = nodeByName(g, 'dense');
    const more = chain([{ kind: 'Add', name: 'add' }, { kind: 'LSTM', params: { units: 2 } }]);
    const ids2 = new Map(more.nodes.map((n) => [n.id, `m${n.id}`]));
    const merged: Graph = {
      nodes: [...g.nodes, ...more.nodes.map((n) => ({ ...n, id: ids2.get(n.id)! }))],
      edges: [
        ...g.edges,
        ...more.edges.filter((e) => e.targetPort !== 'input_0').map((e) => ({ ...e, id: `m${e.id}`, source: ids2.get(e.source)!, target: ids2.get(e.target)! })),
        { id: 'x1', source: emb.id, sourcePort: 'output', target: ids2.get(more.nodes[0].id)!, targetPort: 'input_0' },
        { id: 'x2', source: dense.id, sourcePort: 'output', target: ids2.get(more.nodes[0].id)!, targetPort: 'input_1' },
      ],
    };
    const { model } = compileGraph(tf, merged);
    expectClose(predict(model, ids([[4, 5, 0, 0]])), predict(model, ids([[4, 5]])));
  });
});
