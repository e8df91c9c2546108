import { describe, expect, it } from 'vitest';
import { assertWithinSizeLimit, MAX_CSV_BYTES, parseCsv, utf8ByteLength } from './csv.ts';
import { parseCsvChunked, type CsvProgress } from './csvStream.ts';
import { DataError, formatBytes } from './errors.ts';
import { TWEETS_CSV } from './fixtures/tweetsSample.ts';

describe('parseCsv', () => {
  it('handles quotes, commas, line breaks, emoji, a BOM and blank lines', () => {
    const text = '\ufeff id , text ,label\n1,"Hello, ""world""\nsecond line 😀",pos\n\n   \n2,plain,neg\n';
    const t = parseCsv(text);
    expect(t.columns).toEqual(['id', 'text', 'label']);
    expect(t.rows).toEqual([
      { id: '1', text: 'Hello, "world"\nsecond line 😀', label: 'pos' },
      { id: '2', text: 'plain', label: 'neg' },
    ]);
    expect(t.errors).toEqual([]);
  });

  it('reports rows with too few or too many fields without throwing', () => {
    const t = parseCsv('a,b\n1,2\n3\n4,5,6\n');
    expect(t.rows).toEqual([
      { a: '1', b: '2' },
      { a: '3', b: '' },
      { a: '4', b: '5' },
    ]);
    expect(t.errors.map((e) => [e.row, e.code])).toEqual([
      [2, 'TooFewFields'],
      [3, 'TooManyFields'],
    ]);
    expect(t.errors[0].message).toBe('Too few fields: expected 2 fields but parsed 1 (data row 2)');
  });

  it('rejects empty files and files without data rows', () => {
    for (const empty of ['', '\ufeff', ' \n\n\t ']) {
      expect(() => parseCsv(empty)).toThrow('The file is empty: it contains no header row and no data.');
    }
    expect(() => parseCsv('text,label\n\n')).toThrow('The file has a header row (text, label) but no data rows.');
    try {
      parseCsv('');
    } catch (e) {
      expect(e).toBeInstanceOf(DataError);
      expect((e as DataError).code).toBe('empty-file');
    }
  });

  it('checks the size limit before parsing, naming the size and the limit', () => {
    expect(MAX_CSV_BYTES).toBe(104_857_600);
    expect(() => assertWithinSizeLimit(120 * 1024 * 1024)).toThrow(
      'The file is too large: 120.0 MB (the limit is 100.0 MB). Use a smaller sample of the data.',
    );
    expect(() => assertWithinSizeLimit(MAX_CSV_BYTES)).not.toThrow();
    // 'é' is 2 bytes, '😀' is 4 bytes in UTF-8: 'a,é\n1,😀' = 1+1+2+1+1+1+4 = 11 bytes.
    expect(utf8ByteLength('a,é\n1,😀')).toBe(11);
    expect(() => parseCsv('a,é\n1,😀', { maxBytes: 10 })).toThrow('The file is too large: 11 B (the limit is 10 B).');
    expect(formatBytes(1536)).toBe('1.5 KB');
  });

  it('parses the tweets sample', () => {
    const t = parseCsv(TWEETS_CSV);
    expect(t.columns[0]).toBe('tweet_id');
    expect(t.rows).toHaveLength(20);
    expect(t.errors).toEqual([]);
    expect(t.rows[15].text).toBe('@united flight delayed\nagain &amp; again 😡\n\n#fail');
  });
});

describe('parseCsvChunked', () => {
  it('gives the same table as parseCsv with tiny chunks and reports progress', async () => {
    const progress: CsvProgress[] = [];
    const t = await parseCsvChunked(TWEETS_CSV, { chunkSize: 64, onProgress: (p) => progress.push(p) });
    expect(t).toEqual(parseCsv(TWEETS_CSV));
    expect(progress.length).toBeGreaterThan(10);
    expect(progress.at(-1)).toEqual({ rows: 20, fraction: 1 });
    for (let i = 1; i < progress.length; i++) {
      expect(progress[i].fraction).toBeGreaterThanOrEqual(progress[i - 1].fraction);
      expect(progress[i].rows).toBeGreaterThanOrEqual(progress[i - 1].rows);
    }
  });

  it('numbers field-count errors across chunks', async () => {
    const text = 'a,b\n' + '1,2\n'.repeat(30) + '3\n';
    const t = await parseCsvChunked(text, { chunkSize: 16 });
    expect(t.rows).toHaveLength(31);
    expect(t.errors.map((e) => [e.row, e.code])).toEqual([[31, 'TooFewFields']]);
  });

  it('numbers quote errors like the whole-string parser', async () => {
    const text = 'a,b\n' + '1,2\n'.repeat(30) + '3,"x"y\n';
    const whole = parseCsv(text).errors.map((e) => [e.row, e.code]);
    expect(whole).toEqual([
      [31, 'InvalidQuotes'],
      [31, 'MissingQuotes'],
    ]);
    expect((await parseCsvChunked(text, { chunkSize: 16 })).errors.map((e) => [e.row, e.code])).toEqual(whole);
    expect(parseCsv('a,b\n1,"x"y\n').errors.map((e) => e.row)).toEqual([1, 1]);
  });

  it('applies the same empty and size checks, also to Blobs', async () => {
    await expect(parseCsvChunked('')).rejects.toThrow('The file is empty');
    await expect(parseCsvChunked('a\n1\n', { maxBytes: 3 })).rejects.toThrow('The file is too large: 4 B (the limit is 3 B).');
    await expect(parseCsvChunked(new Blob(['x'.repeat(20)]), { maxBytes: 10 })).rejects.toThrow('20 B (the limit is 10 B)');
    const t = await parseCsvChunked(new Blob(['\ufeffa,b\n1,"x,y"\n']));
    expect(t.rows).toEqual([{ a: '1', b: 'x,y' }]);
  });
});
