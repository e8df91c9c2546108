/**
 * The probes on real compiled models (TF.js cpu): gates, states, the lesson's identities, masking,
 * directions, ∂L/∂h_t against the closed form, saliency, and the weight layout the breakdown names.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { TEMPLATES } from '../../../templates/index.ts';
import { chain, nodeByName } from '../../core/build.ts';
import { inferGraph } from '../../core/infer.ts';
import type { Graph } from '../../core/types.ts';
import { recurrentSpecOf } from '../../core/unrolled.ts';
import { compileGraph } from '../compile.ts';
import { inspectModel } from './probe.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Seeded uniform values in [-a, a). */
function noise(n: number, seed: number, a = 1): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return (s / 2 ** 32 * 2 - 1) * a;
  });
}

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

/** Slice [b, t, :] of a [B, T, u] array. */
const at = (a: Float32Array, T: number, u: number, b: number, t: number) => a.slice((b * T + t) * u, (b * T + t + 1) * u);

function outputOf(r: Awaited<ReturnType<typeof inspectModel>>, g: Graph, name: string, port = 'output') {
  const id = nodeByName(g, name).id;
  return r.outputs.find((o) => o.nodeId === id && o.port === port)!;
}

describe('look inside: states and gates', () => {
  it('LSTM: gates lie in (0, 1); the last step of the return_sequences output equals return_state\'s h (< 1e-6)', async () => {
    const g = chain([
      { kind: 'Input', params: { shape: [7, 3] } },
      { kind: 'LSTM', params: { units: 5, return_sequences: true, return_state: true } },
      { kind: 'Dense', params: { units: 1 } },
    ]);
    const c = compileGraph(tf, g);
    const x = tf.tensor(noise(2 * 7 * 3, 1, 2), [2, 7, 3]);
    const r = await inspectModel(tf, c, g, { feeds: [x] });
    const [lstm] = r.layers;
    expect([lstm.kind, lstm.direction, lstm.T, lstm.B, lstm.units]).toEqual(['LSTM', 'forward', 7, 2, 5]);
    for (const k of ['i', 'f', 'o']) {
      const v = lstm.gates[k];
      expect(v.length).toBe(2 * 7 * 5);
      expect(Math.min(...v)).toBeGreaterThan(0);
      expect(Math.max(...v)).toBeLessThan(1);
    }
    expect(Math.max(...lstm.gates.g.map(Math.abs))).toBeLessThan(1);
    expect(lstm.identityError).toBeLessThan(1e-5);
    const seq = outputOf(r, g, 'lstm', 'output');
    const hState = outputOf(r, g, 'lstm', 'h');
    const cState = outputOf(r, g, 'lstm', 'c');
    expect(seq.shape).toEqual([2, 7, 5]);
    for (let b = 0; b < 2; b++) {
      expect(maxDiff(at(seq.values, 7, 5, b, 6), hState.values.slice(b * 5, b * 5 + 5))).toBeLessThan(1e-6);
      // The probe's states are the layer's: every step of the sequence, and the final c.
      for (let t = 0; t < 7; t++) expect(maxDiff(at(lstm.h, 7, 5, b, t), at(seq.values, 7, 5, b, t))).toBeLessThan(1e-6);
      expect(maxDiff(at(lstm.c!, 7, 5, b, 6), cState.values.slice(b * 5, b * 5 + 5))).toBeLessThan(1e-6);
    }
    x.dispose();
  });

  it('GRU (reset_after true and false): z, r in (0, 1), the candidate in (-1, 1), states equal the layer output', async () => {
    for (const resetAfter of [true, false]) {
      const g = chain([
        { kind: 'Input', params: { shape: [6, 2] } },
        { kind: 'GRU', params: { units: 4, return_sequences: true, reset_after: resetAfter, bias_initializer: 'glorot_uniform' } },
      ], { output: { loss: 'mean_squared_error' } });
      const c = compileGraph(tf, g);
      const x = tf.tensor(noise(6 * 2, 2, 2), [1, 6, 2]);
      const r = await inspectModel(tf, c, g, { feeds: [x] });
      const [gru] = r.layers;
      expect(Object.keys(gru.gates).sort()).toEqual(['g', 'r', 'z']);
      for (const k of ['z', 'r']) {
        expect(Math.min(...gru.gates[k])).toBeGreaterThan(0);
        expect(Math.max(...gru.gates[k])).toBeLessThan(1);
      }
      expect(gru.identityError).toBeLessThan(1e-5);
      expect(maxDiff(gru.h, outputOf(r, g, 'gru').values)).toBeLessThan(1e-6);
      x.dispose();
    }
  });

  it('masked steps repeat the previous state (Embedding mask_zero, right padding), for each cell kind', async () => {
    for (const kind of ['SimpleRNN', 'LSTM', 'GRU']) {
      const g = chain([
        { kind: 'Input', params: { shape: [null], dtype: 'int32' } },
        { kind: 'Embedding', params: { input_dim: 20, output_dim: 3, mask_zero: true } },
        { kind, params: { units: 4, return_state: true } },
      ], { output: { loss: 'mean_squared_error' } });
      const c = compileGraph(tf, g);
      const ids = tf.tensor([[5, 3, 9, 0, 0], [7, 1, 2, 4, 8]], [2, 5], 'int32');
      const r = await inspectModel(tf, c, g, { feeds: [ids] });
      const [l] = r.layers;
      expect(Array.from(l.real)).toEqual([1, 1, 1, 0, 0, 1, 1, 1, 1, 1]);
      const u = l.units;
      expect(maxDiff(at(l.h, 5, u, 0, 3), at(l.h, 5, u, 0, 2))).toBe(0);
      expect(maxDiff(at(l.h, 5, u, 0, 4), at(l.h, 5, u, 0, 2))).toBe(0);
      expect(maxDiff(at(l.h, 5, u, 1, 3), at(l.h, 5, u, 1, 2))).toBeGreaterThan(1e-4);
      if (l.c) expect(maxDiff(at(l.c, 5, u, 0, 4), at(l.c, 5, u, 0, 2))).toBe(0);
      // Gates are not computed at masked steps (NaN there).
      for (const v of Object.values(l.gates)) expect(Number.isNaN(at(v, 5, u, 0, 3)[0])).toBe(true);
      // The final state the layer returns is the carried one.
      const name = g.nodes.find((n) => n.kind === kind)!.name;
      expect(maxDiff(outputOf(r, g, name, 'h').values.slice(0, u), at(l.h, 5, u, 0, 4))).toBeLessThan(1e-6);
      ids.dispose();
    }
  });

  it('go_backwards and Bidirectional: indexed by input position; the backward chain ends at position 0', async () => {
    const g = chain([
      { kind: 'Input', params: { shape: [5, 2] } },
      { kind: 'Bidirectional', params: { layer: { kind: 'LSTM', params: { units: 3, return_sequences: true, return_state: true } }, merge_mode: null } },
    ], { output: { loss: 'mean_squared_error' } });
    const c = compileGraph(tf, g);
    const x = tf.tensor(noise(5 * 2, 3, 2), [1, 5, 2]);
    const r = await inspectModel(tf, c, g, { feeds: [x] });
    expect(r.layers.map((l) => [l.name, l.direction, l.goBackwards])).toEqual([['bidirectional', 'forward', false], ['bidirectional', 'backward', true]]);
    const [fwd, bwd] = r.layers;
    const fh = outputOf(r, g, 'bidirectional', 'forward_h').values;
    const bh = outputOf(r, g, 'bidirectional', 'backward_h').values;
    expect(maxDiff(at(fwd.h, 5, 3, 0, 4), fh)).toBeLessThan(1e-6);
    expect(maxDiff(at(bwd.h, 5, 3, 0, 0), bh)).toBeLessThan(1e-6);
    // TF.js re-reverses the backward output sequence, so it aligns with input positions as the probe does.
    expect(maxDiff(bwd.h, outputOf(r, g, 'bidirectional', 'output_backward').values)).toBeLessThan(1e-6);
    expect(maxDiff(fwd.h, outputOf(r, g, 'bidirectional', 'output_forward').values)).toBeLessThan(1e-6);
    x.dispose();
  });
});

describe('gradients through time', () => {
  it('one-unit SimpleRNN with a fixed w_rec: ‖∂L/∂h_t‖ follows |∂L/∂h_T| ∏ w_rec·tanh′ within 1e-4', async () => {
    const T = 12;
    const g = chain([
      { kind: 'Input', params: { shape: [T, 1] } },
      { kind: 'SimpleRNN', params: { units: 1 } },
      { kind: 'Dense', params: { units: 1 } },
    ], { output: { loss: 'mean_squared_error' } });
    const c = compileGraph(tf, g);
    const wIn = 0.7, wRec = 0.9, bias = 0.1, wOut = 1.3, bOut = -0.2;
    c.layers.get(nodeByName(g, 'simple_rnn').id)!.setWeights([tf.tensor([[wIn]]), tf.tensor([[wRec]]), tf.tensor([bias])]);
    c.layers.get(nodeByName(g, 'dense').id)!.setWeights([tf.tensor([[wOut]]), tf.tensor([bOut])]);
    const xs = Array.from(noise(T, 4, 1));
    const x = tf.tensor(xs, [1, T, 1]);
    const target = 0.5;
    const y = tf.tensor([[target]]);
    const r = await inspectModel(tf, c, g, { feeds: [x], gradients: { loss: 'mean_squared_error', y } });
    // Closed form: h_t = tanh(w_in x_t + w_rec h_{t-1} + b); L = (w_out h_T + b_out − y)²;
    // ∂L/∂h_T = 2 (ŷ − y) w_out; ∂L/∂h_{t-1} = ∂L/∂h_t · w_rec · (1 − h_t²).
    const h: number[] = [];
    let prev = 0;
    for (const v of xs) h.push((prev = Math.tanh(wIn * v + wRec * prev + bias)));
    const dT = 2 * (wOut * h[T - 1] + bOut - target) * wOut;
    const expected = new Array<number>(T);
    expected[T - 1] = Math.abs(dT);
    for (let t = T - 1; t > 0; t--) expected[t - 1] = expected[t] * Math.abs(wRec * (1 - h[t] * h[t]));
    const got = r.layers[0].gradNorm!;
    for (let t = 0; t < T; t++) expect(Math.abs(got[t]! - expected[t])).toBeLessThan(1e-4);
    expect(r.loss).toBeCloseTo((wOut * h[T - 1] + bOut - target) ** 2, 5);
    tf.dispose([x, y]);
  });

  it('masked steps have no gradient entry; the batch mean skips them', async () => {
    const g = chain([
      { kind: 'Input', params: { shape: [null], dtype: 'int32' } },
      { kind: 'Embedding', params: { input_dim: 10, output_dim: 2, mask_zero: true } },
      { kind: 'GRU', params: { units: 3 } },
      { kind: 'Dense', params: { units: 2, activation: 'softmax' } },
    ]);
    const c = compileGraph(tf, g);
    const ids = tf.tensor([[4, 2, 0], [1, 3, 5]], [2, 3], 'int32');
    const y = tf.tensor([[1, 0], [0, 1]]);
    const r = await inspectModel(tf, c, g, { feeds: [ids], gradients: { loss: 'sparse_categorical_crossentropy', y } });
    const l = r.layers[0];
    expect(Number.isNaN(l.grad![2])).toBe(true);
    expect(l.grad![5]).toBeGreaterThan(0);
    expect(l.gradNorm![2]).toBeCloseTo(l.grad![5], 6);
    tf.dispose([ids, y]);
  });
});

describe('saliency', () => {
  it('a SimpleRNN with zero recurrent weights sees only the last position', async () => {
    const g = chain([{ kind: 'Input', params: { shape: [6, 2] } }, { kind: 'SimpleRNN', params: { units: 3 } }, { kind: 'Dense', params: { units: 1 } }],
      { output: { loss: 'mean_squared_error' } });
    const c = compileGraph(tf, g);
    const rnn = c.layers.get(nodeByName(g, 'simple_rnn').id)!;
    const [k, , b] = rnn.getWeights();
    rnn.setWeights([k, tf.zeros([3, 3]), b]);
    const x = tf.tensor(noise(12, 5, 1), [1, 6, 2]);
    const r = await inspectModel(tf, c, g, { feeds: [x], saliency: true });
    const s = r.saliency!;
    expect([s.B, s.T, s.atNodeId]).toEqual([1, 6, nodeByName(g, 'input_layer').id]);
    expect(Array.from(s.values.slice(0, 5))).toEqual([0, 0, 0, 0, 0]);
    expect(s.values[5]).toBeGreaterThan(0);
    x.dispose();
  });

  it('on token ids, the gradient is taken at the Embedding\'s output', async () => {
    const sentiment = TEMPLATES.find((t) => t.id === 'sentiment')!.project.graph;
    const c = compileGraph(tf, sentiment);
    const ids = tf.tensor([[12, 40, 7, 3, 0, 0]], [1, 6], 'int32');
    const r = await inspectModel(tf, c, sentiment, { feeds: [ids], saliency: true });
    expect(r.saliency!.atNodeId).toBe(sentiment.nodes.find((n) => n.kind === 'Embedding')!.id);
    expect(r.saliency!.values[0]).toBeGreaterThan(0);
    // Masked positions do not move the prediction.
    expect(r.saliency!.values[5]).toBe(0);
    expect(r.layers.map((l) => l.direction)).toEqual(['forward', 'backward']);
    ids.dispose();
  });
});

/** The same graph with glorot_uniform recurrent kernels: TF.js's orthogonal initializer takes seconds on cpu (same shapes). */
function fastInit(g: Graph): Graph {
  const patch = (p: Record<string, unknown>) => ('recurrent_initializer' in p || 'units' in p ? { ...p, recurrent_initializer: 'glorot_uniform' } : p);
  return {
    ...g,
    nodes: g.nodes.map((n) => {
      if (n.kind === 'Bidirectional') {
        const inner = n.params.layer as { kind: string; params: Record<string, unknown> };
        return { ...n, params: { ...n.params, layer: { ...inner, params: patch(inner.params) } } } as typeof n;
      }
      return ['SimpleRNN', 'LSTM', 'GRU'].includes(n.kind) ? { ...n, params: patch(n.params as Record<string, unknown>) } as typeof n : n;
    }),
  };
}

describe('the weight layout the breakdown describes is the compiled model\'s', () => {
  it('for every recurrent layer of every template: variable names and shapes, in order', async () => {
    let n = 0;
    for (const t of TEMPLATES) {
      const graph = fastInit(t.project.graph);
      const inf = inferGraph(graph);
      const c = compileGraph(tf, graph, inf);
      for (const node of graph.nodes) {
        const spec = recurrentSpecOf(graph, inf, node.id);
        const layer = c.layers.get(node.id);
        if (!spec || !layer) continue;
        const expected = spec.cells.flatMap((cell) => cell.weights.map((w) => ({ name: w.name, shape: w.shape })));
        const actual = layer.weights.map((w) => ({ name: w.originalName.split('/').pop(), shape: w.shape }));
        expect(actual, `${t.id}/${node.name}`).toEqual(expected);
        n++;
      }
      c.model.dispose();
    }
    expect(n).toBeGreaterThanOrEqual(8);
  });
});

describe('the fused kernels\' trace and taps agree with the per-step probes on TF.js\'s loop', () => {
  it('states, gates and ‖∂L/∂h_t‖ of SimpleRNN, LSTM, GRU and a Bidirectional, with padding (< 1e-5)', async () => {
    for (const kind of ['SimpleRNN', 'LSTM', 'GRU', 'Bidirectional']) {
      const rnn = kind === 'Bidirectional' ? { kind, params: { layer: { kind: 'GRU', params: { units: 3, return_sequences: true } } } } : { kind, params: { units: 3, return_sequences: true } };
      const g = chain([
        { kind: 'Input', params: { shape: [null], dtype: 'int32' } },
        { kind: 'Embedding', params: { input_dim: 12, output_dim: 2, mask_zero: true } },
        rnn,
        { kind: 'GlobalAveragePooling1D' },
        { kind: 'Dense', params: { units: 2, activation: 'softmax' } },
      ]);
      const c = compileGraph(tf, g);
      const ids = tf.tensor([[3, 7, 1, 0], [5, 2, 9, 4]], [2, 4], 'int32');
      const y = tf.tensor([[1, 0], [0, 1]]);
      const opts = { feeds: [ids], gradients: { loss: 'sparse_categorical_crossentropy' as const, y }, layerOutputs: false };
      const fused = await inspectModel(tf, c, g, opts);
      const stock = await inspectModel(tf, c, g, { ...opts, probes: 'stock' });
      expect([fused.probes, stock.probes]).toEqual(['fused', 'stock']);
      expect(fused.layers).toHaveLength(stock.layers.length);
      fused.layers.forEach((f, k) => {
        const s = stock.layers[k];
        expect(Array.from(f.real)).toEqual(Array.from(s.real));
        expect(maxDiff(f.h, s.h), `${kind} h`).toBeLessThan(1e-5);
        if (f.c) expect(maxDiff(f.c, s.c!)).toBeLessThan(1e-5);
        for (const gate of Object.keys(s.gates)) {
          const a = f.gates[gate], b = s.gates[gate];
          for (let i = 0; i < a.length; i++) {
            expect(Number.isNaN(a[i])).toBe(Number.isNaN(b[i]));
            if (!Number.isNaN(a[i])) expect(Math.abs(a[i] - b[i])).toBeLessThan(1e-5);
          }
        }
        f.gradNorm!.forEach((v, t) => {
          const w = s.gradNorm![t];
          expect(v === null).toBe(w === null);
          if (v !== null) expect(Math.abs(v - w!)).toBeLessThan(1e-5 * Math.max(1, w!));
        });
        expect(f.identityError).toBeLessThan(1e-5);
      });
      expect(fused.loss).toBeCloseTo(stock.loss!, 5);
      tf.dispose([ids, y]);
    }
  });
});
