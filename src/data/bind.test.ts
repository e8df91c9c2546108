import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BUILTIN_DATASETS } from './builtin.ts';
import { chain, nodeByName } from '../core/build.ts';
import { bindDataset, checkBinding } from './bind.ts';
import { makeSyntheticDataset } from './synthetic.ts';
import { getTemplate, TEMPLATES } from '../../templates/index.ts';

const sentiment = makeSyntheticDataset('airline-sentiment', { size: 300 });

describe('binding a dataset to a graph', () => {
  it('every template fits its dataset as shipped', async () => {
    for (const t of TEMPLATES) {
      if (!t.project.dataset) continue;
      const builtin = BUILTIN_DATASETS.find((d) => d.id === t.project.dataset!.id);
      const ds = builtin
        ? await builtin.load({ loadText: async (f) => readFileSync(`public/datasets/${f}`, 'utf8'), loadJson: async (f) => JSON.parse(readFileSync(`public/datasets/${f}`, 'utf8')) })
        : makeSyntheticDataset(t.project.dataset.id, { ...t.project.dataset.options, size: 100 });
      expect(checkBinding(t.project.graph, ds), t.id).toEqual([]);
    }
  });

  it('says exactly what disagrees: classes, activation, vocabulary, dtype', () => {
    const g = chain([
      { kind: 'Input', params: { shape: [null] } },
      { kind: 'Embedding', params: { input_dim: 50, output_dim: 2 } },
      { kind: 'LSTM', params: { units: 4 } },
      { kind: 'Dense', name: 'dense_2', params: { units: 2 } },
    ]);
    const vocab = sentiment.inputs.vocabulary!.length;
    expect(checkBinding(g, sentiment).map((p) => p.message)).toEqual([
      'input_layer takes (None, None) float32 but the dataset\'s sequence is (None, None) int32.',
      `embedding has input_dim 50 but the vocabulary has ${vocab} tokens: ids up to ${vocab - 1} would fall outside the table.`,
      'dense_2 has 2 units but the labels have 3 classes.',
      'dense_2 uses linear, but sparse_categorical_crossentropy expects softmax outputs.',
    ]);
  });

  it('fills what the graph asks for and leaves a graph that infers cleanly', () => {
    const g = chain([
      { kind: 'Input', params: { shape: [null] } },
      { kind: 'Embedding', params: { input_dim: 50, output_dim: 2, mask_zero: true } },
      { kind: 'LSTM', params: { units: 4 } },
      { kind: 'Dense', params: { units: 2 } },
    ], { output: { loss: 'mean_squared_error' } });
    const b = bindDataset(g, sentiment);
    expect(b.problems).toEqual([]);
    expect(nodeByName(b.graph, 'input_layer').params).toMatchObject({ shape: [null], dtype: 'int32' });
    expect(nodeByName(b.graph, 'embedding').params.input_dim).toBe(sentiment.inputs.vocabulary!.length);
    expect(nodeByName(b.graph, 'dense').params).toMatchObject({ units: 3, activation: 'softmax' });
    expect(nodeByName(b.graph, 'output').params).toMatchObject({ loss: 'sparse_categorical_crossentropy', expects: 'per_sequence' });
    expect(b.changes).toContain('dense: 3 units, softmax');
  });

  it('keeps a larger Embedding table (the lesson\'s input_dim = max_tokens)', () => {
    const t = getTemplate('sentiment')!;
    expect(bindDataset(t.project.graph, sentiment).changes).toEqual([]);
    expect(nodeByName(t.project.graph, 'embedding').params.input_dim).toBe(1000);
  });

  it('counts inputs: a seq2seq dataset needs an encoder and a decoder input', () => {
    const g = chain([{ kind: 'Input', params: { shape: [null], dtype: 'int32' } }, { kind: 'Embedding' }, { kind: 'LSTM' }, { kind: 'Dense' }]);
    const problems = checkBinding(g, makeSyntheticDataset('copy', { size: 50 }));
    expect(problems[0].message).toBe('The dataset gives 2 inputs (encoder_input, decoder_input) but the model has 1 Input layer.');
  });

  it('regression targets ask for linear units and mean squared error', () => {
    const g = chain([{ kind: 'Input', params: { shape: [null, 1] } }, { kind: 'GRU' }, { kind: 'Dense', params: { units: 4, activation: 'softmax' } }]);
    const b = bindDataset(g, makeSyntheticDataset('noisy-sine', { size: 50 }));
    expect(nodeByName(b.graph, 'dense').params).toMatchObject({ units: 1, activation: 'linear' });
    expect(nodeByName(b.graph, 'output').params.loss).toBe('mean_squared_error');
  });

  it('counts in words: 1 unit, 1 value (never "1 units")', () => {
    const sine = makeSyntheticDataset('noisy-sine', { size: 50 });
    const wide = chain([{ kind: 'Input', params: { shape: [null, 1] } }, { kind: 'GRU' }, { kind: 'Dense', params: { units: 4 } }]);
    expect(checkBinding(wide, sine).map((p) => p.message)).toContain('dense has 4 units but the targets have 1 value.');
    expect(bindDataset(wide, sine).changes).toContain('dense: 1 unit, linear');
    const bare = chain([{ kind: 'Input', params: { shape: [null, 1] } }, { kind: 'GRU' }]);
    expect(checkBinding(bare, sine).map((p) => p.message).join(' ')).toContain('a Dense layer with 1 unit (linear), since the targets have 1 value.');
  });
});

describe('synthetic airline tweets', () => {
  it('follow the lesson: labels in StringLookup order, max_tokens 1000, deterministic', () => {
    expect(sentiment.labels).toEqual(['positive', 'negative', 'neutral']);
    expect(sentiment.inputs.vocabulary!.slice(0, 2)).toEqual(['', '[UNK]']);
    expect(sentiment.inputs.vocabulary!.length).toBeLessThanOrEqual(1000);
    expect(makeSyntheticDataset('airline-sentiment', { size: 300 })).toEqual(sentiment);
    const classes = new Set(sentiment.train.map((e) => e.y));
    expect([...classes].sort()).toEqual([0, 1, 2]);
  });
});
