/** The summary table and its text, as Keras 3 prints them. */
import { describe, expect, it } from 'vitest';
import { chain } from './build.ts';
import { columnWidths, formatSummary, readableSize, summarize, wrap } from './summary.ts';
import { getTemplate } from '../../templates/index.ts';

describe('summary text', () => {
  it('prints the lesson\'s SimpleRNN model as Keras 3 does in a notebook (Sequential)', () => {
    const g = chain([{ kind: 'Input', params: { shape: [10, 2] } }, { kind: 'SimpleRNN', params: { units: 32 } }]);
    expect(formatSummary(summarize(g, undefined, { as: 'sequential' }))).toBe([
      'Model: "sequential"',
      '┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓',
      '┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃',
      '┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩',
      '│ simple_rnn (SimpleRNN)          │ (None, 32)             │         1,120 │',
      '└─────────────────────────────────┴────────────────────────┴───────────────┘',
      ' Total params: 1,120 (4.38 KB)',
      ' Trainable params: 1,120 (4.38 KB)',
      ' Non-trainable params: 0 (0.00 B)',
    ].join('\n'));
  });

  it('prints a functional chain with its InputLayer row and no "Connected to" column', () => {
    const g = chain([
      { kind: 'Input', params: { shape: [32, 5] } },
      { kind: 'SimpleRNN', params: { units: 16, return_sequences: true } },
      { kind: 'SimpleRNN', params: { units: 8 } },
    ]);
    const s = summarize(g);
    expect(s.sequentialLike).toBe(true);
    expect(s.rows.map((r) => [r.name, r.kerasClass, r.outputShape, r.params])).toEqual([
      ['input_layer', 'InputLayer', '(None, 32, 5)', 0],
      ['simple_rnn', 'SimpleRNN', '(None, 32, 16)', 352],
      ['simple_rnn_1', 'SimpleRNN', '(None, 8)', 200],
    ]);
    expect(formatSummary(s).split('\n').slice(-3)).toEqual([
      ' Total params: 552 (2.16 KB)',
      ' Trainable params: 552 (2.16 KB)',
      ' Non-trainable params: 0 (0.00 B)',
    ]);
  });

  it('adds "Connected to" for graphs that branch, with state tensors indexed', () => {
    const t = getTemplate('encoder-decoder')!;
    const s = summarize(t.project.graph);
    expect(s.sequentialLike).toBe(false);
    const decoder = s.rows.find((r) => r.name === 'decoder')!;
    // Keras 3 passes no mask to a layer called with initial_state: no not_equal for the decoder
    // (Keras 3.15.1 prints these rows for this model).
    expect(decoder.connectedTo).toEqual(['decoder_embedding[0][0]', 'encoder[0][1]', 'encoder[0][2]']);
    // Keras's order: by depth from the output, ties in depth-first visiting order.
    expect(s.rows.map((r) => r.name)).toEqual([
      'encoder_inputs', 'decoder_inputs', 'encoder_embedding', 'not_equal', 'decoder_embedding', 'encoder', 'decoder', 'next_token',
    ]);
    expect(s.rows.find((r) => r.name === 'encoder')!.outputShape).toBe('[(None, 64), (None, 64), (None, 64)]');
    const text = formatSummary(s);
    expect(text.split('\n')[1]).toBe('┏━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┓');
    expect(text).toContain('┃ Layer (type)        ┃ Output Shape      ┃    Param # ┃ Connected to      ┃');
    // Long cells wrap at spaces inside their column, as rich does.
    expect(text).toContain('│ encoder_inputs      │ (None, None)      │          0 │ -                 │');
    expect(text).toContain('│ (InputLayer)        │                   │            │                   │');
  });

  it('Add of two masked sequences: the logical_or Keras 3.4+ records when a layer takes the mask', () => {
    // As Keras 3.15.1 prints it: rnn_b (called with initial_state) takes no mask but passes it on.
    const g = {
      nodes: [
        { id: 'ids', kind: 'Input', name: 'ids', params: { shape: [5], dtype: 'int32' }, position: { x: 0, y: 0 } },
        { id: 'ids2', kind: 'Input', name: 'ids2', params: { shape: [5], dtype: 'int32' }, position: { x: 0, y: 0 } },
        { id: 'h0', kind: 'Input', name: 'h0', params: { shape: [4] }, position: { x: 0, y: 0 } },
        { id: 'emb', kind: 'Embedding', name: 'emb', params: { input_dim: 10, output_dim: 3, mask_zero: true }, position: { x: 0, y: 0 } },
        { id: 'emb2', kind: 'Embedding', name: 'emb2', params: { input_dim: 10, output_dim: 3, mask_zero: true }, position: { x: 0, y: 0 } },
        { id: 'rnn_a', kind: 'SimpleRNN', name: 'rnn_a', params: { units: 4, return_sequences: true }, position: { x: 0, y: 0 } },
        { id: 'rnn_b', kind: 'SimpleRNN', name: 'rnn_b', params: { units: 4, return_sequences: true }, position: { x: 0, y: 0 } },
        { id: 'add', kind: 'Add', name: 'add', params: {}, position: { x: 0, y: 0 } },
        { id: 'head', kind: 'SimpleRNN', name: 'head', params: { units: 2 }, position: { x: 0, y: 0 } },
        { id: 'out', kind: 'Output', name: 'output', params: {}, position: { x: 0, y: 0 } },
      ],
      edges: [
        ['ids', 'output', 'emb', 'input'], ['ids2', 'output', 'emb2', 'input'], ['emb', 'output', 'rnn_a', 'input'],
        ['emb2', 'output', 'rnn_b', 'input'], ['h0', 'output', 'rnn_b', 'h'], ['rnn_a', 'output', 'add', 'input_0'],
        ['rnn_b', 'output', 'add', 'input_1'], ['add', 'output', 'head', 'input'], ['head', 'output', 'out', 'input'],
      ].map(([source, sourcePort, target, targetPort], k) => ({ id: `e${k}`, source, sourcePort, target, targetPort })),
    };
    const s = summarize(g);
    expect(s.rows.map((r) => [r.name, r.kerasClass, r.connectedTo.join(', ')])).toEqual([
      ['ids', 'InputLayer', ''], ['ids2', 'InputLayer', ''], ['emb', 'Embedding', 'ids[0][0]'], ['not_equal', 'NotEqual', 'ids[0][0]'],
      ['emb2', 'Embedding', 'ids2[0][0]'], ['h0', 'InputLayer', ''], ['rnn_a', 'SimpleRNN', 'emb[0][0], not_equal[0][0]'],
      ['rnn_b', 'SimpleRNN', 'emb2[0][0], h0[0][0]'], ['not_equal_1', 'NotEqual', 'ids2[0][0]'], ['add', 'Add', 'rnn_a[0][0], rnn_b[0][0]'],
      ['logical_or', 'LogicalOr', 'not_equal[0][0], not_equal_1[0][0]'], ['head', 'SimpleRNN', 'add[0][0], logical_or[0][0]'],
    ]);
    expect(s.total).toBe(138);
    // A tf.keras 2.15 file's Add (AND of the masks) is named in the summary.
    const k2 = { ...g, nodes: g.nodes.map((n) => (n.kind === 'Add' ? { ...n, params: { keras_semantics: 'tf.keras' } } : n)) };
    expect(summarize(k2).notes).toEqual([' tf.keras 2.4–2.15 semantics: add output mask: the AND of the masks present (Keras 3: the OR of the masks when every input has one, else none)']);
  });

  it('lists the mask operations a functional model records, as Keras 3 does', () => {
    const s = summarize(getTemplate('sentiment')!.project.graph);
    expect(s.sequentialLike).toBe(false);
    expect(s.rows.map((r) => [r.name, r.kerasClass, r.outputShape, r.params, r.connectedTo.join(', ')])).toEqual([
      ['input_layer', 'InputLayer', '(None, None)', 0, ''],
      ['embedding', 'Embedding', '(None, None, 2)', 2000, 'input_layer[0][0]'],
      ['not_equal', 'NotEqual', '(None, None)', 0, 'input_layer[0][0]'],
      ['bidirectional', 'Bidirectional', '(None, 16)', 704, 'embedding[0][0], not_equal[0][0]'],
      ['dense', 'Dense', '(None, 3)', 51, 'bidirectional[0][0]'],
    ]);
    const text = formatSummary(s);
    expect(text).toContain('│ bidirectional       │ (None, 16)        │        704 │ embedding[0][0],  │');
    expect(text).toContain('│ (Bidirectional)     │                   │            │ not_equal[0][0]   │');
    // A word longer than its column is folded, as rich does.
    expect(text).toContain('│ dense (Dense)       │ (None, 3)         │         51 │ bidirectional[0][ │');
    // The lesson's Sequential model prints without InputLayer and mask operations.
    const seq = summarize(getTemplate('sentiment')!.project.graph, undefined, { as: 'sequential' });
    expect(seq.rows.map((r) => r.name)).toEqual(['embedding', 'bidirectional', 'dense']);
    expect(formatSummary(seq)).toContain('│ bidirectional (Bidirectional)   │ (None, 16)             │           704 │');
  });

  it('a Masking layer records not_equal and any (not_equal is one step deeper, so it comes first)', () => {
    const g = chain([{ kind: 'Input', params: { shape: [null, 3] } }, { kind: 'Masking' }, { kind: 'GRU', params: { units: 4 } }]);
    expect(summarize(g).rows.map((r) => `${r.name} ${r.outputShape} ${r.connectedTo.join(', ')}`)).toEqual([
      'input_layer (None, None, 3) ',
      'not_equal (None, None, 3) input_layer[0][0]',
      'masking (None, None, 3) input_layer[0][0]',
      'any (None, None) not_equal[0][0]',
      'gru (None, 4) masking[0][0], any[0][0]',
    ]);
  });

  it('shows unbuilt layers as Keras does', () => {
    const g = chain([{ kind: 'Input', params: { shape: [3] } }, { kind: 'LSTM' }]);
    const row = summarize(g).rows.find((r) => r.name === 'lstm')!;
    expect(row.params).toBeNull();
    expect(row.outputShape).toBe('?');
    expect(formatSummary(summarize(g))).toContain('0 (unbuilt)');
  });

  it('sizes bytes like Python: {:.2f} rounds exact halves to even', () => {
    expect(readableSize(0)).toBe('0.00 B');
    expect(readableSize(4480)).toBe('4.38 KB');
    expect(readableSize(1152)).toBe('1.12 KB'); // 1.125 KB
    expect(readableSize(1024 * 1024 * 3)).toBe('3.00 MB');
    expect(readableSize(1023)).toBe('1023.00 B');
  });

  it('column widths follow Keras positions and rich\'s ratio reduction', () => {
    expect(columnWidths(true)).toEqual([33, 24, 15]);
    expect(columnWidths(false)).toEqual([21, 19, 12, 19]);
    expect(columnWidths(true, 200)).toEqual([38, 29, 17]);
    expect(wrap('bidirectional (Bidirectional)', 19)).toEqual(['bidirectional', '(Bidirectional)']);
    expect(wrap('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
  });
});
