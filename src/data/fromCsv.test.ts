import { describe, expect, it } from 'vitest';
import { parseCsvOffThread } from './csvClient.ts';
import { datasetFromCsv, suggestMapping } from './fromCsv.ts';
import { TWEETS_CSV } from './fixtures/tweetsSample.ts';
import { overview } from './overview.ts';
import { DATASETS, loadDataset } from './catalog.ts';
import { memoryLoader } from './corpora/loader.ts';

describe('a tweets CSV to a dataset, as in the Keras lesson', () => {
  it('suggests the mapping from column names', async () => {
    const table = await parseCsvOffThread(TWEETS_CSV);
    expect(suggestMapping(table.columns)).toEqual({ text: 'text', label: 'airline_sentiment', confidence: 'airline_sentiment_confidence', threshold: 0.5 });
  });

  it('filters, splits, vectorizes and previews decoded text', async () => {
    const progress: number[] = [];
    const table = await parseCsvOffThread(TWEETS_CSV, (f) => progress.push(f));
    expect(progress[progress.length - 1]).toBe(1);
    const { dataset, report } = datasetFromCsv(table, { text: 'text', label: 'airline_sentiment', confidence: 'airline_sentiment_confidence', threshold: 0.5 }, {
      labels: ['positive', 'negative', 'neutral'],
    });
    expect(report).toMatchObject({ totalRows: 20, kept: 15, unlabelled: 1, belowThreshold: 4 });
    const o = overview(dataset);
    expect(o.sizes).toEqual({ train: 9, val: 3, test: 3 });
    expect(o.labels.map((l) => l.label)).toEqual(['positive', 'negative', 'neutral']);
    expect(o.labels.reduce((a, l) => a + l.count, 0)).toBe(15);
    // Decoded previews are lower-cased, punctuation-free words from the vocabulary (or [UNK]).
    for (const row of o.preview) expect(row.input).toMatch(/^[a-z0-9 \[\]'’“”…😍✈️🙌😡→\u00e0-\u024f]+$/u);
    expect(dataset.inputs.vocabulary![1]).toBe('[UNK]');
  });

  it('refuses a mapping without a label and files with too few rows', async () => {
    const table = await parseCsvOffThread(TWEETS_CSV);
    expect(() => datasetFromCsv(table, { text: 'text' } as never)).toThrow(/label column/);
    const small = { ...table, rows: table.rows.slice(0, 5) };
    expect(() => datasetFromCsv(small, { text: 'text', label: 'airline_sentiment', confidence: 'airline_sentiment_confidence', threshold: 0.5 })).toThrow(/^Only 4 usable rows after filtering \(5 in the file\)/);
  });
});

describe('the dataset catalog', () => {
  it('lists synthetic and built-in datasets and loads them by id', async () => {
    expect(DATASETS.map((d) => d.id)).toContain('airline-sentiment');
    expect(DATASETS.map((d) => d.id)).toContain('spam-assassin');
    const ds = await loadDataset('toy-pos', memoryLoader({}), { size: 30 });
    expect(overview(ds).preview[0].target.split(' ').length).toBe(overview(ds).preview[0].input.split(' ').length);
    await expect(loadDataset('nope', memoryLoader({}))).rejects.toThrow(/Unknown dataset "nope"/);
  });
});

describe('a CSV with a target sequence column (sequence-to-sequence)', () => {
  const CSV = 'english,french\n"the cat","le chat"\n"the dog","le chien"\n"a cat","un chat"\n"a dog","un chien"\n"the bird","l\'oiseau"\n"a bird",""\n"the cat sat","le chat assis"\n';

  it('builds encoder ids, targets ending with <end>, and a target vocabulary with <start>/<end>', async () => {
    const table = await parseCsvOffThread(CSV);
    const { dataset, report } = datasetFromCsv(table, { text: 'english', target_sequence: 'french' }, { seed: 1 });
    expect(report).toMatchObject({ totalRows: 7, kept: 6, unlabelled: 1 });
    expect(report.warnings[0]).toBe('1 row has no target sequence in column "french" and was skipped.');
    expect(dataset.task).toBe('seq2seq');
    expect(dataset.labels!.slice(0, 4)).toEqual(['', '<start>', '<end>', '[UNK]']);
    expect(dataset.startId).toBe(1);
    const all = [...dataset.train, ...dataset.val, ...dataset.test];
    expect(all).toHaveLength(6);
    for (const e of all) expect((e.y as number[]).at(-1)).toBe(2);
    // Decoding a training example gives back its words (targets through the target vocabulary).
    const o = overview(dataset);
    const pairs = new Map([['the cat', 'le chat'], ['the dog', 'le chien'], ['a cat', 'un chat'], ['a dog', 'un chien'], ['the bird', 'loiseau'], ['the cat sat', 'le chat assis']]);
    for (const row of o.preview) expect(`${row.target}`).toBe(`${pairs.get(row.input)} <end>`);
  });

  it('refuses a mapping with neither a label nor a target sequence', async () => {
    const table = await parseCsvOffThread(CSV);
    expect(() => datasetFromCsv(table, { text: 'english' } as never)).toThrow(/label column \(text classification\) or a target sequence column/);
  });
});
