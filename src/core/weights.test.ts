import { describe, expect, it } from 'vitest';
import { chain } from './build.ts';
import { inferGraph } from './infer.ts';
import { buildProblem, formatBytes, modelSize } from './size.ts';
import { matchWeights, renameWeightLayer, weightSetStats, weightSpecs, type WeightSet } from './weights.ts';

const lstmModel = (units = 4) => chain([
  { kind: 'Input', params: { shape: [null], dtype: 'int32' } },
  { kind: 'Embedding', params: { input_dim: 10, output_dim: 3, mask_zero: true } },
  { kind: 'Bidirectional', params: { layer: { kind: 'GRU', params: { units, reset_after: true } }, merge_mode: 'sum' } },
  { kind: 'Dense', params: { units: 2, activation: 'softmax' } },
]);

const fill = (shape: number[], v = 0.5) => ({ shape, data: new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(v) });

describe('weight specs', () => {
  it('name every variable in Keras order with Keras 3 paths, h5 store paths and shapes', () => {
    const specs = weightSpecs(lstmModel());
    expect(specs.map((s) => s.layer)).toEqual(['embedding', 'bidirectional', 'dense']);
    expect(specs[0].vars).toEqual([{ name: 'embeddings', path: 'embedding/embeddings', store: 'vars/0', shape: [10, 3] }]);
    expect(specs[1].vars.map((v) => [v.path, v.store, v.shape])).toEqual([
      ['bidirectional/forward_gru/gru_cell/kernel', 'forward_layer/cell/vars/0', [3, 12]],
      ['bidirectional/forward_gru/gru_cell/recurrent_kernel', 'forward_layer/cell/vars/1', [4, 12]],
      ['bidirectional/forward_gru/gru_cell/bias', 'forward_layer/cell/vars/2', [2, 12]],
      ['bidirectional/backward_gru/gru_cell/kernel', 'backward_layer/cell/vars/0', [3, 12]],
      ['bidirectional/backward_gru/gru_cell/recurrent_kernel', 'backward_layer/cell/vars/1', [4, 12]],
      ['bidirectional/backward_gru/gru_cell/bias', 'backward_layer/cell/vars/2', [2, 12]],
    ]);
    expect(specs[2].vars.map((v) => [v.path, v.shape])).toEqual([['dense/kernel', [4, 2]], ['dense/bias', [2]]]);
    // The counts add up to the summary's.
    const total = specs.flatMap((s) => s.vars).reduce((a, v) => a + v.shape.reduce((x, y) => x * y, 1), 0);
    expect(total).toBe(inferGraph(lstmModel()).totals.trainable);
  });

  it('TimeDistributed stores the inner layer under layer/, LSTM without bias has two variables', () => {
    const g = chain([
      { kind: 'Input', params: { shape: [5, 3] } },
      { kind: 'LSTM', params: { units: 2, return_sequences: true, use_bias: false } },
      { kind: 'TimeDistributed', params: { layer: { kind: 'Dense', params: { units: 7 } } } },
    ]);
    const [lstm, td] = weightSpecs(g);
    expect(lstm.vars.map((v) => [v.path, v.shape])).toEqual([['lstm/lstm_cell/kernel', [3, 8]], ['lstm/lstm_cell/recurrent_kernel', [2, 8]]]);
    expect(td.vars.map((v) => [v.path, v.store, v.shape])).toEqual([['time_distributed/dense/kernel', 'layer/vars/0', [2, 7]], ['time_distributed/dense/bias', 'layer/vars/1', [7]]]);
  });
});

describe('matching a WeightSet', () => {
  const ws = (): WeightSet => ({
    source: { format: 'keras', file: 'm.keras', kerasVersion: '3.6.0' },
    layers: {
      embedding: [{ path: 'embedding/embeddings', ...fill([10, 3]) }],
      bidirectional: [[3, 12], [4, 12], [2, 12], [3, 12], [4, 12], [2, 12]].map((s, k) => ({ path: `v${k}`, ...fill(s) })),
      dense: [{ path: 'dense/kernel', ...fill([4, 2]) }, { path: 'dense/bias', ...fill([2]) }],
      other: [{ path: 'other/kernel', ...fill([1]) }],
    },
  });
  it('pairs layers by name and reports unused ones', () => {
    const m = matchWeights(lstmModel(), ws());
    expect(m.problems).toEqual([]);
    expect(m.missing).toEqual([]);
    expect(m.unused).toEqual(['other']);
    expect([...m.byNode.values()].map((x) => x.status)).toEqual(['ok', 'ok', 'ok']);
  });
  it('names the layer and variable whose shape does not fit', () => {
    const m = matchWeights(lstmModel(5), ws());
    expect(m.problems).toEqual([
      'bidirectional: kernel has shape (3, 12) in the weights, the layer needs (3, 15)',
      'dense: kernel has shape (4, 2) in the weights, the layer needs (5, 2)',
    ]);
  });
  it('renames a layer with its paths; counts bytes', () => {
    const r = renameWeightLayer(ws(), 'dense', 'head');
    expect(Object.keys(r.layers)).toEqual(['embedding', 'bidirectional', 'head', 'other']);
    expect(r.layers.head.map((v) => v.path)).toEqual(['head/kernel', 'head/bias']);
    expect(weightSetStats(r)).toEqual({ layers: 4, variables: 10, values: 30 + 2 * (36 + 48 + 24) + 10 + 1, bytes: 4 * (30 + 216 + 10 + 1) });
  });
});

describe('model size', () => {
  it('counts parameters, bytes and activations, and warns only for a large model', () => {
    const small = lstmModel();
    const inf = inferGraph(small);
    const s = modelSize(small, inf, { batch: 2, timeSteps: 10 });
    expect(s.params).toBe(inf.totals.trainable);
    expect(s.paramBytes).toBe(4 * s.params);
    // input (2×10) + embedding (2×10×3) + bidirectional (2×4) + 2 directions × GRU store (4u·T·B) + dense (2×2)
    expect(s.activationBytes).toBe(4 * (20 + 60 + 8 + 2 * 4 * 4 * 10 * 2 + 4));
    expect(inf.issues.filter((i) => i.code === 'model-large')).toEqual([]);
    expect(buildProblem(s)).toBeNull();

    const big = chain([
      { kind: 'Input', params: { shape: [null, 64] } },
      { kind: 'LSTM', params: { units: 256, return_sequences: true } },
      { kind: 'TimeDistributed', params: { layer: { kind: 'Dense', params: { units: 30_000, activation: 'softmax' } } } },
    ]);
    const bi = inferGraph(big);
    expect(bi.hasErrors).toBe(false);
    const large = bi.issues.filter((i) => i.code === 'model-large');
    expect(large).toHaveLength(1);
    expect(large[0].severity).toBe('warning');
    expect(large[0].message).toMatch(/^A large model: 8\.04 M parameters \(30\.67 MB of weights\); training a batch of 32/);
    expect(buildProblem(modelSize(big, bi), 1e6)).toMatch(/cannot be built here: its weights need 30\.67 MB/);
    expect(formatBytes(1536)).toBe('1.50 KB');
  });
});
