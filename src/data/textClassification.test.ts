import { describe, expect, it } from 'vitest';
import { makeBatches } from './batching.ts';
import { parseCsv } from './csv.ts';
import { extractLabelledTexts } from './csvMapping.ts';
import { TWEETS_CSV } from './fixtures/tweetsSample.ts';
import { buildTextClassification } from './textClassification.ts';

function tweets() {
  return extractLabelledTexts(
    parseCsv(TWEETS_CSV),
    { text: 'text', label: 'airline_sentiment', confidence: 'airline_sentiment_confidence' },
    { decodeEntities: true },
  ).examples;
}

describe('buildTextClassification on the tweets sample', () => {
  const LABELS = ['positive', 'negative', 'neutral'];

  it('splits 15 kept tweets 9/3/3, adapts on train only, encodes labels in the given order', () => {
    const { dataset, vectorizer, labelLookup, splits } = buildTextClassification(tweets(), { labels: LABELS, seed: 42 });
    expect([dataset.train.length, dataset.val.length, dataset.test.length]).toEqual([9, 3, 3]);
    expect(dataset.numClasses).toBe(3);
    expect(dataset.labels).toEqual(LABELS);
    expect(labelLookup.lookup('neutral')).toBe(2);
    // Vocabulary comes from training texts only.
    const trainTokens = new Set(splits.train.flatMap((t) => vectorizer.tokenize(t.text)));
    for (const token of vectorizer.get_vocabulary(false)) expect(trainTokens.has(token)).toBe(true);
    expect(vectorizer.get_vocabulary().slice(0, 2)).toEqual(['', '[UNK]']);
    // Every example is the vectorised text and the looked-up label.
    splits.test.forEach((t, i) => {
      expect(dataset.test[i]).toEqual({ x: vectorizer.call(t.text), y: LABELS.indexOf(t.label) });
    });
    expect(buildTextClassification(tweets(), { labels: LABELS, seed: 42 }).dataset).toEqual(dataset);
  });

  it('stratified split keeps the totals', () => {
    const { dataset } = buildTextClassification(tweets(), { labels: LABELS, seed: 42, stratify: true });
    expect([dataset.train.length, dataset.val.length, dataset.test.length]).toEqual([9, 3, 3]);
    const trainLabels = dataset.train.map((e) => e.y as number).sort();
    expect(trainLabels).toEqual([0, 0, 1, 1, 1, 1, 2, 2, 2]);
  });

  it('pins the token ids of a tweet after "&amp;" decoding', () => {
    const { vectorizer } = buildTextClassification(tweets(), { labels: LABELS, seed: 42, maxTokens: 1000 });
    expect(vectorizer.tokenize('@united flight delayed\nagain & again 😡\n\n#fail')).toEqual(['united', 'flight', 'delayed', 'again', 'again', '😡', 'fail']);
    const ids = vectorizer.call('@united thank you');
    expect(ids).toEqual(['united', 'thank', 'you'].map((t) => vectorizer.get_vocabulary().indexOf(t)).map((i) => (i < 0 ? 1 : i)));
  });

  it('batches pad to the longest tweet in each batch', () => {
    const { dataset } = buildTextClassification(tweets(), { labels: LABELS, seed: 42 });
    const batches = makeBatches(dataset.train, { batchSize: 4, shuffle: true, seed: 1 });
    expect(batches.map((b) => b.shape[0])).toEqual([4, 4, 1]);
    for (const b of batches) {
      expect(b.shape[1]).toBe(Math.max(...b.indices.map((i) => (dataset.train[i].x as number[]).length)));
      expect(b.yShape).toEqual([b.shape[0]]);
    }
  });

  it('fails clearly on a label outside the fixed vocabulary', () => {
    expect(() => buildTextClassification([{ text: 'x', label: 'angry' }], { labels: LABELS })).toThrow('Unknown label "angry"');
  });
});
