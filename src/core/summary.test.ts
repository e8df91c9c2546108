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
    // Keras passes the decoder's padding mask as a graph input: the not_equal operation it records.
    expect(decoder.connectedTo).toEqual(['decoder_embedding[0][0]', 'encoder[0][1]', 'encoder[0][2]', 'not_equal_1[0][0]']);
    // Keras's order: by depth from the output, ties in depth-first visiting order.
    expect(s.rows.map((r) => r.name)).toEqual([
      'encoder_inputs', 'decoder_inputs', 'encoder_embedding', 'not_equal', 'decoder_embedding', 'encoder', 'not_equal_1', 'decoder', 'next_token',
    ]);
    expect(s.rows.find((r) => r.name === 'encoder')!.outputShape).toBe('[(None, 64), (None, 64), (None, 64)]');
    const text = formatSummary(s);
    expect(text.split('\n')[1]).toBe('┏━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┓');
    expect(text).toContain('┃ Layer (type)        ┃ Output Shape      ┃    Param # ┃ Connected to      ┃');
    // Long cells wrap at spaces inside their column, as rich does.
    expect(text).toContain('│ encoder_inputs      │ (None, None)      │          0 │ -                 │');
    expect(text).toContain('│ (InputLayer)        │                   │            │                   │');
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
