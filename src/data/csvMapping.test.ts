import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv.ts';
import { extractLabelledTexts } from './csvMapping.ts';
import { TWEETS_CSV } from './fixtures/tweetsSample.ts';

const TWEETS = { text: 'text', label: 'airline_sentiment', confidence: 'airline_sentiment_confidence' };

describe('extractLabelledTexts', () => {
  it('filters the tweets sample like the course (confidence > 0.5) and reports why', () => {
    const { examples, report } = extractLabelledTexts(parseCsv(TWEETS_CSV), TWEETS, { decodeEntities: true });
    expect(report).toEqual({
      totalRows: 20,
      kept: 15,
      unlabelled: 1,
      emptyText: 0,
      invalidConfidence: 0,
      belowThreshold: 4,
      invalidTarget: 0,
      classCounts: { neutral: 4, negative: 7, positive: 4 },
      warnings: [
        '1 row has no label in column "airline_sentiment" and was skipped.',
        '4 rows with confidence <= 0.5 were filtered out.',
      ],
    });
    // 0.5001 is kept, 0.5 is not.
    expect(examples.map((e) => e.confidence)).toContain(0.5001);
    expect(examples.map((e) => e.confidence)).not.toContain(0.5);
    const delayed = examples.find((e) => e.text.startsWith('@united flight delayed'));
    expect(delayed).toEqual({ text: '@united flight delayed\nagain & again 😡\n\n#fail', label: 'negative', confidence: 0.7033, row: 16 });
    expect(examples.find((e) => e.row === 19)?.text).toBe("@united Cancelled Flightled. Again. Thanks for nothing 'friendly skies'");
  });

  it('keeps entities unless asked, and honours a custom threshold', () => {
    const { examples, report } = extractLabelledTexts(parseCsv(TWEETS_CSV), { ...TWEETS, threshold: 0.68 });
    expect(report.kept).toBe(9);
    expect(examples.find((e) => e.row === 16)?.text).toContain('&amp;');
  });

  it('names a missing column and lists the available ones', () => {
    const t = parseCsv('text,sentiment\nhi,pos\nho,neg\n');
    expect(() => extractLabelledTexts(t, { text: 'text', label: 'label' })).toThrow(
      'The label column "label" is not in the file. Available columns: text, sentiment.',
    );
    expect(() => extractLabelledTexts(t, { text: 'tweet', label: 'sentiment' })).toThrow('The text column "tweet" is not in the file.');
  });

  it('rejects a mapping without label or target, or with a wrong type', () => {
    const t = parseCsv('text,label\nhi,pos\nho,neg\n');
    expect(() => extractLabelledTexts(t, { text: 'text' })).toThrow(
      'Invalid column mapping: Map a label column (classification), a target column (regression) or a target sequence column (sequence-to-sequence).',
    );
    expect(() => extractLabelledTexts(t, { text: 'text', label: 'label', threshold: 'high' })).toThrow(
      'Invalid column mapping: threshold: Invalid input: expected number, received string',
    );
  });

  it('refuses a label column with only one class', () => {
    const t = parseCsv('text,label\na,spam\nb, spam \nc,\n');
    expect(() => extractLabelledTexts(t, { text: 'text', label: 'label' })).toThrow(
      'The label column "label" has only one class ("spam") in 2 usable rows; a classifier needs at least two classes.',
    );
  });

  it('counts unlabelled and empty rows and fails when nothing is left', () => {
    const t = parseCsv('text,label\n,pos\na,\nb,\n');
    expect(() => extractLabelledTexts(t, { text: 'text', label: 'label' })).toThrow(
      'No usable rows are left out of 3. 2 rows have no label in column "label" and were skipped. 1 row has an empty text and was skipped.',
    );
  });

  it('reads numeric targets for regression and skips bad ones', () => {
    const t = parseCsv('text,y,conf\na,1.5,0.9\nb,x,0.9\nc,2,n/a\nd,-3,0.7\n');
    const { examples, report } = extractLabelledTexts(t, { text: 'text', target: 'y', confidence: 'conf' });
    expect(examples).toEqual([
      { text: 'a', label: '', confidence: 0.9, target: 1.5, row: 1 },
      { text: 'd', label: '', confidence: 0.7, target: -3, row: 4 },
    ]);
    expect([report.invalidTarget, report.invalidConfidence]).toEqual([1, 1]);
  });
});
