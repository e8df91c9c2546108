import { describe, expect, it } from 'vitest';
import { BUILTIN_DATASETS, loadBuiltinDataset } from '../builtin.ts';
import { datasetBatchOptions, makeBatches } from '../batching.ts';
import { CMUDICT_FILE, cmudictDataset, extractCmudict, wordFrequencies } from './cmudict.ts';
import { decodeEncodedWords, decodeQuotedPrintable, readEmail } from './email.ts';
import { extractNames, NAMES_FILE, namesGenderDataset, namesGenerationDataset } from './firstNames.ts';
import { fetchLoader, memoryLoader } from './loader.ts';
import { extractMobyDick, MOBY_FILE, mobyDickDataset } from './mobyDick.ts';
import { extractSpamAssassin, SPAM_FILE, spamLabel } from './spamAssassin.ts';
import { readCmudict, readMobyChapters, readNameLists, readSpamMessages } from './stdlibFiles.ts';

describe('email reader', () => {
  it('keeps the subject and the first text/plain part, decoding quoted-printable', () => {
    const raw = [
      'From: a@b.c',
      'Subject: =?utf-8?Q?Caf=C3=A9_deals?=',
      '  today',
      'Content-Type: multipart/alternative; boundary="XYZ"',
      '',
      '--XYZ',
      'Content-Type: text/html',
      '',
      '<p>HTML version</p>',
      '--XYZ',
      'Content-Type: text/plain',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      'Cheap =3D good, long line=',
      ' joined.',
      '--XYZ--',
    ].join('\r\n');
    // Encoded-word bytes are read as Latin-1 (C3 A9 → "Ã©"), as documented.
    expect(readEmail(raw)).toEqual({ subject: 'CafÃ©_deals today'.replace('_', ' '), body: 'Cheap = good, long line joined.' });
    expect(decodeQuotedPrintable('a=3Db=\nc')).toBe('a=bc');
    expect(decodeEncodedWords('=?iso-8859-1?B?SGVsbG8=?= there')).toBe('Hello there');
  });

  it('turns HTML into text and base64 into text, cutting the body', () => {
    const html = 'Subject: Hi\nContent-Type: text/html\n\n<html><style>p{}</style><b>Buy&nbsp;now</b> &amp; save<br>today</html>';
    expect(readEmail(html)).toEqual({ subject: 'Hi', body: 'Buy now & save today' });
    const b64 = `Subject: B\nContent-Transfer-Encoding: base64\n\n${btoa('hello world, this is base64')}`;
    expect(readEmail(b64, 11)).toEqual({ subject: 'B', body: 'hello world' });
  });
});

describe('corpora from node_modules/@stdlib', () => {
  it('first names: lists, gender classification without ambiguous names, generation', () => {
    const raw = readNameLists();
    expect([raw.female.length, raw.male.length]).toEqual([4951, 3898]);
    const file = extractNames(raw.female, raw.male);
    const gender = namesGenderDataset(file, { seed: 1 });
    const n = gender.train.length + gender.val.length + gender.test.length;
    const f = new Set(file.female.map((x) => x.toLowerCase()));
    const both = file.male.filter((x) => f.has(x.toLowerCase())).length;
    expect(n).toBe(f.size + new Set(file.male.map((x) => x.toLowerCase())).size - 2 * both);
    expect(gender.labels).toEqual(['female', 'male']);
    expect(gender.inputs.vocabulary?.slice(0, 2)).toEqual(['', '[UNK]']);
    const gen = namesGenerationDataset(file);
    const ex = gen.train[0];
    expect((ex.x as number[])[0]).toBe(1);
    expect((ex.y as number[]).at(-1)).toBe(2);
    expect((ex.x as number[]).slice(1)).toEqual((ex.y as number[]).slice(0, -1));
  });

  it('cmudict: common words first, stress stripped, seq2seq examples', () => {
    const freq = wordFrequencies('the whale, the sea; a whale');
    expect([...freq]).toEqual([
      ['the', 2],
      ['whale', 2],
      ['sea', 1],
      ['a', 1],
    ]);
    const file = extractCmudict(readCmudict(), freq, 5);
    // Frequent words first (ties alphabetical), then the rest of the dictionary alphabetically.
    expect(file.words).toEqual(['the', 'whale', 'a', 'sea', "a's"]);
    expect(file.phonemes.slice(0, 2)).toEqual(['DH AH0', 'W EY1 L']);
    const ds = cmudictDataset(file, { seed: 0 });
    const all = [...ds.train, ...ds.val, ...ds.test];
    const the = all.find((e) => (e.x as number[]).join() === [21, 9, 6].join());
    expect(the?.y).toEqual(['DH', 'AH'].map((p) => ds.labels?.indexOf(p)).concat(2));
    expect(ds.labels?.slice(0, 3)).toEqual(['', '<start>', '<end>']);
    const stressed = cmudictDataset(file, { stripStress: false });
    expect(stressed.labels).toContain('AH0');
  });

  it('moby dick: chapters in order, cut at a paragraph, LM windows split in order', () => {
    const text = extractMobyDick(readMobyChapters(), 5000);
    expect(text.startsWith('CHAPTER 1. Loomings.\n\nCall me Ishmael.')).toBe(true);
    expect(text.length).toBeLessThanOrEqual(5000);
    const ds = mobyDickDataset(text, { length: 50 });
    const windows = Math.floor((text.length - 1) / 50);
    expect(ds.train.length + ds.val.length + ds.test.length).toBe(windows);
    // Non-overlapping windows: each x starts where the previous y ended.
    expect((ds.train[1].x as number[])[0]).toBe((ds.train[0].y as number[])[49]);
    expect(ds.inputs.vocabulary?.slice(0, 3)).toEqual(['', '[UNK]', ' ']);
    expect((ds.train[0].x as number[]).slice(1)).toEqual((ds.train[0].y as number[]).slice(0, -1));
    const [batch] = makeBatches(ds.train, datasetBatchOptions(ds, 8));
    expect([batch.shape, batch.yShape]).toEqual([
      [8, 50],
      [8, 50],
    ]);
  });

  it('spam assassin: labels from groups, balanced sample, deterministic', () => {
    expect([spamLabel('easy-ham-1'), spamLabel('hard-ham-1'), spamLabel('spam-2')]).toEqual([0, 0, 1]);
    expect(() => spamLabel('other')).toThrow('Unknown SpamAssassin group "other".');
    const messages = readSpamMessages(40);
    const file = extractSpamAssassin(messages, { perClass: 30, seed: 3 });
    expect(file.texts).toHaveLength(60);
    expect(file.y.filter((y) => y === 1)).toHaveLength(30);
    expect(extractSpamAssassin(messages, { perClass: 30, seed: 3 })).toEqual(file);
    for (const t of file.texts) expect(t).not.toMatch(/^(Received|Return-Path|From [^\n]*\d{4}$):/m);
  });
});

describe('builtin registry and loaders', () => {
  it('loads every built-in dataset through an injected loader', async () => {
    const names = readNameLists();
    const moby = extractMobyDick(readMobyChapters(), 20_000);
    const loader = memoryLoader({
      [NAMES_FILE]: JSON.stringify(extractNames(names.female, names.male)),
      [CMUDICT_FILE]: JSON.stringify(extractCmudict(readCmudict(), wordFrequencies(moby), 300)),
      [MOBY_FILE]: moby,
      [SPAM_FILE]: JSON.stringify(extractSpamAssassin(readSpamMessages(30), { perClass: 40 })),
    });
    for (const info of BUILTIN_DATASETS) {
      const ds = await loadBuiltinDataset(info.id, loader);
      expect(ds.id).toBe(info.id);
      expect(ds.task).toBe(info.task);
      expect(ds.licence.length).toBeGreaterThan(10);
      expect(ds.train.length).toBeGreaterThan(ds.val.length);
      expect(makeBatches(ds.train.slice(0, 4), datasetBatchOptions(ds, 4))).toHaveLength(1);
    }
    const spam = await loadBuiltinDataset('spam-assassin', loader);
    expect([spam.train.length, spam.val.length, spam.test.length]).toEqual([48, 16, 16]);
    expect((spam.train[0].x as number[]).length).toBe(120);
    await expect(loadBuiltinDataset('nope', loader)).rejects.toThrow('Unknown built-in dataset "nope".');
    await expect(memoryLoader({}).loadText('x.txt')).rejects.toThrow('No file x.txt in the in-memory loader.');
    await expect(loadBuiltinDataset('first-names-gender', memoryLoader({ [NAMES_FILE]: '{"female": 3}' }))).rejects.toThrow();
  });

  it('fetchLoader builds URLs under the base and reports HTTP errors', async () => {
    const seen: string[] = [];
    const fake = (async (url: string) => {
      seen.push(url);
      return url.endsWith('missing.txt') ? new Response('no', { status: 404, statusText: 'Not Found' }) : new Response('{"a":1}');
    }) as unknown as typeof fetch;
    const l = fetchLoader('/base', fake);
    expect(await l.loadJson('x.json')).toEqual({ a: 1 });
    await expect(l.loadText('missing.txt')).rejects.toThrow('Could not load the built-in dataset file missing.txt: HTTP 404 Not Found');
    expect(seen).toEqual(['/base/x.json', '/base/missing.txt']);
  });
});
