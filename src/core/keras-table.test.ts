/** The shapes and parameter counts of the seed's models, as Keras 3 reports them. */
import { describe, expect, it } from 'vitest';
import { chain, nodeByName } from './build.ts';
import { inferGraph } from './infer.ts';
import { formatShapes } from './shape.ts';
import type { Graph } from './types.ts';

function report(g: Graph, name: string): { shape: string; params: number | null } {
  const inf = inferGraph(g);
  const n = inf.node(nodeByName(g, name).id)!;
  return {
    shape: formatShapes(n.outputTensors.map((t) => t!.shape)),
    params: n.params ? n.params.trainable + n.params.nonTrainable : null,
  };
}

function noErrors(g: Graph) {
  const errs = inferGraph(g).issues.filter((i) => i.severity === 'error');
  expect(errs).toEqual([]);
}

describe('Keras 3 shapes and parameter counts (issue table)', () => {
  it('Input(10,2) → SimpleRNN(32)', () => {
    const g = chain([{ kind: 'Input', params: { shape: [10, 2] } }, { kind: 'SimpleRNN', params: { units: 32 } }]);
    noErrors(g);
    expect(report(g, 'simple_rnn')).toEqual({ shape: '(None, 32)', params: 1120 });
  });

  it('Input(32,5) → SimpleRNN(16, return_sequences) → SimpleRNN(8)', () => {
    const g = chain([
      { kind: 'Input', params: { shape: [32, 5] } },
      { kind: 'SimpleRNN', params: { units: 16, return_sequences: true } },
      { kind: 'SimpleRNN', params: { units: 8 } },
    ]);
    noErrors(g);
    expect(report(g, 'simple_rnn')).toEqual({ shape: '(None, 32, 16)', params: 352 });
    expect(report(g, 'simple_rnn_1')).toEqual({ shape: '(None, 8)', params: 200 });
  });

  it('Input(64,7) → Bidirectional(SimpleRNN(16, return_sequences))', () => {
    const g = chain([
      { kind: 'Input', params: { shape: [64, 7] } },
      { kind: 'Bidirectional', params: { layer: { kind: 'SimpleRNN', params: { units: 16, return_sequences: true } }, merge_mode: 'concat' } },
    ]);
    noErrors(g);
    expect(report(g, 'bidirectional')).toEqual({ shape: '(None, 64, 32)', params: 768 });
  });

  it('Input(None,12) → LSTM(16, return_sequences) → LSTM(16)', () => {
    const g = chain([
      { kind: 'Input', params: { shape: [null, 12] } },
      { kind: 'LSTM', params: { units: 16, return_sequences: true } },
      { kind: 'LSTM', params: { units: 16 } },
    ]);
    noErrors(g);
    expect(report(g, 'lstm')).toEqual({ shape: '(None, None, 16)', params: 1856 });
    expect(report(g, 'lstm_1')).toEqual({ shape: '(None, 16)', params: 2112 });
  });

  it('Input(8,4) → LSTM(6, return_sequences, return_state)', () => {
    const g = chain([
      { kind: 'Input', params: { shape: [8, 4] } },
      { kind: 'LSTM', params: { units: 6, return_sequences: true, return_state: true } },
    ]);
    noErrors(g);
    expect(report(g, 'lstm')).toEqual({ shape: '[(None, 8, 6), (None, 6), (None, 6)]', params: 264 });
  });

  it('the sentiment classifier: Input(None) int → Embedding(1000, 2, mask_zero) → Bidirectional(LSTM(8)) → Dense(3, softmax)', () => {
    const g = chain([
      { kind: 'Input', params: { shape: [null], dtype: 'int32' } },
      { kind: 'Embedding', params: { input_dim: 1000, output_dim: 2, mask_zero: true } },
      { kind: 'Bidirectional', params: { layer: { kind: 'LSTM', params: { units: 8 } } } },
      { kind: 'Dense', params: { units: 3, activation: 'softmax' } },
    ]);
    noErrors(g);
    expect(report(g, 'embedding')).toEqual({ shape: '(None, None, 2)', params: 2000 });
    expect(report(g, 'bidirectional')).toEqual({ shape: '(None, 16)', params: 704 });
    expect(report(g, 'dense')).toEqual({ shape: '(None, 3)', params: 51 });
    const inf = inferGraph(g);
    expect(inf.tensor(nodeByName(g, 'embedding').id, 'output')!.masked).toBe(true);
    expect(inf.tensor(nodeByName(g, 'bidirectional').id, 'output')!.masked).toBe(false);
    expect(inf.totals.trainable).toBe(2755);
  });

  it('Input(None,12) → GRU(16): 1,440 with reset_after (Keras 3 default), 1,392 without', () => {
    const g = chain([{ kind: 'Input', params: { shape: [null, 12] } }, { kind: 'GRU', params: { units: 16 } }]);
    noErrors(g);
    expect(report(g, 'gru')).toEqual({ shape: '(None, 16)', params: 1440 });
    const g2 = chain([{ kind: 'Input', params: { shape: [null, 12] } }, { kind: 'GRU', params: { units: 16, reset_after: false } }]);
    expect(report(g2, 'gru')).toEqual({ shape: '(None, 16)', params: 1392 });
  });
});
