import { describe, expect, it } from 'vitest';
import { TEMPLATES } from '../../templates/index.ts';
import { chain, nodeByName } from './build.ts';
import { inferGraph } from './infer.ts';
import { randomValidGraph } from './random.ts';
import type { Graph } from './types.ts';
import { isRecurrent, recurrentSpecOf, timeSource, unrollNode, type H0Source, type StepInput } from './unrolled.ts';

function recurrentNodes(g: Graph) {
  return g.nodes.filter(isRecurrent);
}

/** Every recurrent layer's breakdown adds up to the count inference gives (Keras's, see keras-table.test.ts). */
function checkBreakdown(g: Graph): number {
  const inf = inferGraph(g);
  let n = 0;
  for (const node of recurrentNodes(g)) {
    const spec = recurrentSpecOf(g, inf, node.id);
    const params = inf.node(node.id)?.params;
    if (!params) continue;
    expect(spec, node.name).not.toBeNull();
    expect(spec!.params, node.name).toBe(params.trainable + params.nonTrainable);
    for (const cell of spec!.cells) {
      expect(cell.weights.reduce((a, w) => a + w.count, 0)).toBe(cell.params);
      for (const w of cell.weights) {
        expect(w.parts.reduce((a, p) => a + p.count, 0), `${node.name} ${w.name}`).toBe(w.count);
        expect(w.shape.reduce((a, b) => a * b, 1)).toBe(w.count);
        // The parts tile the variable: every element belongs to exactly one part.
        const cells = new Set<number>();
        const width = w.shape[w.shape.length - 1];
        for (const p of w.parts) {
          for (let r = p.rows[0]; r < p.rows[1]; r++) for (let c = p.cols[0]; c < p.cols[1]; c++) cells.add(r * width + c);
        }
        expect(cells.size).toBe(w.count);
      }
    }
    n++;
  }
  return n;
}

describe('parameter breakdown by gate', () => {
  it('adds up to Keras\'s count for every recurrent layer of every template', () => {
    let layers = 0;
    for (const t of TEMPLATES) layers += checkBreakdown(t.project.graph);
    expect(layers).toBeGreaterThanOrEqual(8);
  });

  it('adds up for the recurrent layers of 100 random graphs', () => {
    let layers = 0;
    for (let seed = 1; seed <= 100; seed++) layers += checkBreakdown(randomValidGraph(seed));
    expect(layers).toBeGreaterThan(50);
  });

  it('LSTM: kernel (i, 4u), recurrent_kernel (u, 4u), bias (4u) in the order i, f, c, o', () => {
    const g = chain([{ kind: 'Input', params: { shape: [8, 4] } }, { kind: 'LSTM', params: { units: 6 } }]);
    const spec = recurrentSpecOf(g, inferGraph(g), nodeByName(g, 'lstm').id)!;
    const [k, u, b] = spec.cells[0].weights;
    expect([k.name, k.shape, k.count]).toEqual(['kernel', [4, 24], 96]);
    expect([u.name, u.shape, u.count]).toEqual(['recurrent_kernel', [6, 24], 144]);
    expect([b.name, b.shape, b.count]).toEqual(['bias', [24], 24]);
    expect(k.parts.map((p) => [p.gate, p.cols])).toEqual([['i', [0, 6]], ['f', [6, 12]], ['c', [12, 18]], ['o', [18, 24]]]);
    expect(spec.params).toBe(4 * 6 * (4 + 6 + 1));
  });

  it('GRU reset_after: a (2, 3u) bias with an input row and a recurrent row; reset_after=false: (3u)', () => {
    const g = chain([{ kind: 'Input', params: { shape: [5, 3] } }, { kind: 'GRU', params: { units: 4 } }]);
    const after = recurrentSpecOf(g, inferGraph(g), nodeByName(g, 'gru').id)!.cells[0].weights[2];
    expect(after.shape).toEqual([2, 12]);
    expect(after.parts.map((p) => `${p.gate}/${p.row}`)).toEqual(['z/input', 'r/input', 'h/input', 'z/recurrent', 'r/recurrent', 'h/recurrent']);
    expect(after.parts[4].rows).toEqual([1, 2]);
    const g2 = chain([{ kind: 'Input', params: { shape: [5, 3] } }, { kind: 'GRU', params: { units: 4, reset_after: false } }]);
    const spec = recurrentSpecOf(g2, inferGraph(g2), nodeByName(g2, 'gru').id)!;
    expect(spec.cells[0].weights[2].shape).toEqual([12]);
    expect(spec.params).toBe(3 * 4 * (3 + 4 + 1));
  });

  it('no bias block with use_bias=false; Bidirectional has two cells', () => {
    const g = chain([
      { kind: 'Input', params: { shape: [5, 3] } },
      { kind: 'Bidirectional', params: { layer: { kind: 'SimpleRNN', params: { units: 4, use_bias: false } } } },
    ]);
    const spec = recurrentSpecOf(g, inferGraph(g), nodeByName(g, 'bidirectional').id)!;
    expect(spec.cells.map((c) => [c.direction, c.path, c.goBackwards])).toEqual([['forward', 'forward_layer/', false], ['backward', 'backward_layer/', true]]);
    expect(spec.cells[0].weights.map((w) => w.name)).toEqual(['kernel', 'recurrent_kernel']);
    expect(spec.params).toBe(2 * 4 * (3 + 4));
  });

  it('is null while the input size is unknown or for other kinds', () => {
    const g = chain([{ kind: 'Input', params: { shape: [5, 3] } }, { kind: 'Dense', params: { units: 2 } }]);
    expect(recurrentSpecOf(g, inferGraph(g), nodeByName(g, 'dense').id)).toBeNull();
  });
});

const steps = (tokens: string[], padded = 0): StepInput[] => [
  ...tokens.map((token) => ({ token, padding: false })),
  ...Array.from({ length: padded }, () => ({ token: '', padding: true })),
];

describe('unrolled view', () => {
  const sentiment = TEMPLATES.find((t) => t.id === 'sentiment')!.project.graph;

  it('the lesson\'s Bidirectional(LSTM(8)) after a masking Embedding: two opposite chains, padding skipped', () => {
    const inf = inferGraph(sentiment);
    const bidi = sentiment.nodes.find((n) => n.kind === 'Bidirectional')!;
    const v = unrollNode(sentiment, inf, bidi.id, steps(['the', 'flight', 'was', 'late'], 2))!;
    expect(v.T).toBe(6);
    expect(v.padding).toBe('skipped');
    expect(v.chains.map((c) => c.cell.direction)).toEqual(['forward', 'backward']);
    expect(v.chains[0].order).toEqual([0, 1, 2, 3, 4, 5]);
    expect(v.chains[1].order).toEqual([5, 4, 3, 2, 1, 0]);
    // return_sequences off: the forward chain's output is its last real step, the backward chain's the first position.
    expect(v.chains[0].emits).toEqual([3]);
    expect(v.chains[1].emits).toEqual([0]);
    expect(v.merge).toBe('concat');
    expect(v.chains[0].h0).toEqual({ kind: 'zeros' });
    expect(timeSource(sentiment, inf, bidi.id)).toBe(sentiment.nodes.find((n) => n.kind === 'Input')!.id);
  });

  it('return_sequences emits every step; go_backwards reverses the reading order; padding without a mask is processed', () => {
    const g = chain([{ kind: 'Input', params: { shape: [null, 2] } }, { kind: 'LSTM', params: { units: 3, return_sequences: true, go_backwards: true, return_state: true } }]);
    const inf = inferGraph(g);
    const v = unrollNode(g, inf, nodeByName(g, 'lstm').id, steps(['a', 'b', 'c'], 1))!;
    expect(v.padding).toBe('processed');
    expect(v.chains[0].order).toEqual([3, 2, 1, 0]);
    expect(v.chains[0].emits).toEqual([3, 2, 1, 0]);
    expect(v.chains[0].stateOutputs).toEqual([{ state: 'h', port: 'h' }, { state: 'c', port: 'c' }]);
    expect(v.reversedOutput).toBe(true);
    expect(v.notes.join(' ')).toMatch(/processed like real data/);
  });

  it('h₀ from a wired initial_state (the encoder–decoder template)', () => {
    const ed = TEMPLATES.find((t) => t.id === 'encoder-decoder')!.project.graph;
    const inf = inferGraph(ed);
    const lstms = ed.nodes.filter((n) => n.kind === 'LSTM');
    const views = lstms.map((n) => unrollNode(ed, inf, n.id, steps(['x', 'y']))!);
    const decoder = views.find((v) => v.chains[0].h0.kind === 'wired')!;
    expect(decoder).toBeDefined();
    expect((decoder.chains[0].h0 as Extract<H0Source, { kind: "wired" }>).ports.map((p) => p.state)).toEqual(['h', 'c']);
    const encoder = views.find((v) => v.chains[0].h0.kind === 'zeros')!;
    expect(encoder.chains[0].stateOutputs.map((s) => s.state)).toEqual(['h', 'c']);
  });

  it('updates with the parameters: toggling return_sequences changes what leaves the layer', () => {
    let g = chain([{ kind: 'Input', params: { shape: [4, 1] } }, { kind: 'SimpleRNN', params: { units: 2 } }]);
    const id = nodeByName(g, 'simple_rnn').id;
    expect(unrollNode(g, inferGraph(g), id, steps(['1', '2', '3', '4']))!.chains[0].emits).toEqual([3]);
    g = { ...g, nodes: g.nodes.map((n) => (n.id === id ? { ...n, params: { ...n.params, return_sequences: true } } : n)) };
    expect(unrollNode(g, inferGraph(g), id, steps(['1', '2', '3', '4']))!.chains[0].emits).toEqual([0, 1, 2, 3]);
  });

  it('a RepeatVector breaks the time chain: no tokens for the decoder of spell-digit', () => {
    const sd = TEMPLATES.find((t) => t.id === 'spell-digit')!.project.graph;
    const inf = inferGraph(sd);
    const lstm = sd.nodes.find((n) => isRecurrent(n))!;
    expect(timeSource(sd, inf, lstm.id)).toBeNull();
    // Stacked RNNs keep the chain.
    const st = TEMPLATES.find((t) => t.id === 'stacked-rnn')!.project.graph;
    const sinf = inferGraph(st);
    for (const n of st.nodes.filter(isRecurrent)) expect(timeSource(st, sinf, n.id)).toBe(st.nodes.find((m) => m.kind === 'Input')!.id);
  });

  it('is null for a node that is not recurrent', () => {
    const g = chain([{ kind: 'Input', params: { shape: [4, 1] } }, { kind: 'Dense', params: { units: 2 } }]);
    expect(unrollNode(g, inferGraph(g), nodeByName(g, 'dense').id, steps(['a']))).toBeNull();
  });
});
