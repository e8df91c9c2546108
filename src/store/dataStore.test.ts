import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getTemplate } from '../../templates/index.ts';
import type { CorpusLoader } from '../data/corpora/loader.ts';
import { TWEETS_CSV } from '../data/fixtures/tweetsSample.ts';
import { CSV_ENTRY, createDataStore } from './dataStore.ts';
import { linkDataToProject } from './dataLink.ts';
import { confidenceBins, labelBars, NO_LABEL } from './dataViews.ts';
import { createEditorStore } from './editorStore.ts';

/** Reads public/datasets/ like fetchLoader('/datasets/') does in the page; counts the reads. */
function fsLoader() {
  const dir = join(process.cwd(), 'public', 'datasets');
  const reads: string[] = [];
  const loader: CorpusLoader = {
    loadText: async (p) => { reads.push(p); return readFileSync(join(dir, p), 'utf8'); },
    loadJson: async (p) => { reads.push(p); return JSON.parse(readFileSync(join(dir, p), 'utf8')) as unknown; },
  };
  return { loader, reads };
}

const csvFile = (text: string, name = 'tweets.csv') => Object.assign(new Blob([text], { type: 'text/csv' }), { name });

describe('data store: uploads', () => {
  it('parses a tweets CSV, suggests the mapping and builds the lesson pipeline (15 kept, 9/3/3)', async () => {
    const data = createDataStore();
    const seen: string[] = [];
    data.subscribe((s) => { if (!seen.includes(s.status)) seen.push(s.status); });
    await data.getState().upload(csvFile(TWEETS_CSV));
    const s = data.getState();
    expect(seen[0]).toBe('parsing');
    expect(s.entry).toBe(CSV_ENTRY);
    expect(s.file).toEqual({ name: 'tweets.csv', size: new Blob([TWEETS_CSV]).size });
    expect(s.mapping).toMatchObject({ text: 'text', label: 'airline_sentiment', confidence: 'airline_sentiment_confidence', threshold: 0.5 });
    expect(s.status).toBe('ready');
    expect(s.error).toBeNull();
    expect(s.report).toMatchObject({ totalRows: 20, kept: 15, unlabelled: 1, belowThreshold: 4 });
    expect(s.overview?.sizes).toEqual({ train: 9, val: 3, test: 3 });
    expect(s.dataset?.numClasses).toBe(3);
    expect(s.overview?.preview[0].input.length).toBeGreaterThan(0);
  });

  it('maps a target sequence column instead of a label: a sequence-to-sequence dataset', async () => {
    const data = createDataStore();
    const rows = ['the cat,le chat', 'the dog,le chien', 'a cat,un chat', 'a dog,un chien', 'the bird,le oiseau', 'a bird,un oiseau'];
    await data.getState().upload(csvFile(`english,french\n${rows.join('\n')}\n`, 'pairs.csv'));
    expect(data.getState().status).toBe('idle'); // no label column to suggest
    expect(data.getState().error?.message).toMatch(/and the label column \(or a target sequence\)/);
    data.getState().setMapping({ text: 'english', target_sequence: 'french' });
    const s = data.getState();
    expect(s.status).toBe('ready');
    expect(s.dataset?.task).toBe('seq2seq');
    expect(s.overview?.sizes).toEqual({ train: 3, val: 1, test: 2 });
    expect(s.overview?.preview[0].target).toMatch(/<end>$/);
  });

  it('rebuilds when the mapping or the split changes; bad fractions are a split problem', async () => {
    const data = createDataStore();
    await data.getState().upload(csvFile(TWEETS_CSV));
    data.getState().setMapping({ threshold: 0.9 });
    expect(data.getState().report?.kept).toBe(6); // only the 1.0 rows
    data.getState().setMapping({ threshold: 0.5 });
    data.getState().setSplit({ fractions: { train: 0.8, val: 0.1, test: 0.1 } });
    expect(data.getState().overview?.sizes).toEqual({ train: 12, val: 1, test: 2 });
    data.getState().setSplit({ fractions: { train: 0.8, val: 0.3, test: 0.1 } });
    expect(data.getState()).toMatchObject({ status: 'error', dataset: null, error: { where: 'split' } });
    expect(data.getState().table).not.toBeNull();
  });

  it('an empty file, a too-large file and a single-class label give clear messages', async () => {
    const data = createDataStore();
    await data.getState().upload(csvFile('', 'empty.csv'));
    expect(data.getState()).toMatchObject({ status: 'error', table: null, dataset: null, error: { where: 'file', code: 'empty-file' } });
    expect(data.getState().error?.message).toMatch(/empty/);

    const big = Object.assign(new Blob(['a']), { name: 'big.csv' });
    Object.defineProperty(big, 'size', { value: 101 * 1024 * 1024 });
    await data.getState().upload(big);
    expect(data.getState().error).toMatchObject({ where: 'file', code: 'file-too-large' });
    expect(data.getState().error?.message).toMatch(/101\.0 MB.*100\.0 MB/);

    await data.getState().upload(csvFile('text,label\na,x\nb,x\nc,x\nd,x\ne,x\n', 'one.csv'));
    expect(data.getState().error).toMatchObject({ where: 'mapping', code: 'single-class' });
  });

  it('a new file without the mapped column names it; without any match it asks for the columns', async () => {
    const data = createDataStore();
    await data.getState().upload(csvFile(TWEETS_CSV));
    await data.getState().upload(csvFile('id,text,note\n1,hello,a\n', 'other.csv'));
    expect(data.getState().error).toMatchObject({ where: 'mapping', code: 'missing-column' });
    expect(data.getState().error?.message).toContain('"airline_sentiment" is not in the file');

    const fresh = createDataStore();
    await fresh.getState().upload(csvFile('id,body\n1,hello\n'));
    expect(fresh.getState().error?.message).toBe('Choose the text column and the label column (or a target sequence) (the file has: id, body).');
  });

  it('charts: labels with kept/skipped counts and confidence bins split at the threshold', async () => {
    const data = createDataStore();
    await data.getState().upload(csvFile(TWEETS_CSV));
    const { table, mapping, report } = data.getState();
    const bars = labelBars(table!, mapping, report);
    expect(bars.find((b) => b.label === 'negative')).toEqual({ label: 'negative', kept: 7, skipped: 1 });
    expect(bars.find((b) => b.label === NO_LABEL)).toEqual({ label: NO_LABEL, kept: 0, skipped: 1 });
    const bins = confidenceBins(table!, mapping);
    expect(bins).toHaveLength(10);
    expect(bins.reduce((a, b) => a + b.kept, 0)).toBe(16); // 15 kept + the unlabelled row at 0.9
    expect(bins[5]).toMatchObject({ range: '0.5–0.6', kept: 1, filtered: 2 });
    expect(bins[3]).toMatchObject({ range: '0.3–0.4', kept: 0, filtered: 1 });
  });
});

describe('data store: catalog', () => {
  it('chooses a synthetic dataset (generated here) and a built-in one (through the loader)', async () => {
    const { loader, reads } = fsLoader();
    const data = createDataStore({ loader });
    const p = data.getState().choose('copy');
    expect(data.getState().status).toBe('loading');
    await p;
    expect(data.getState()).toMatchObject({ entry: 'copy', status: 'ready', error: null });
    expect(reads).toEqual([]);
    await data.getState().choose('first-names-gender');
    expect(reads).toEqual(['first-names.json']);
    expect(data.getState().overview?.labels.map((l) => l.label).sort()).toEqual(['female', 'male']);
  });

  it('a later choice wins over a slower earlier one; a failed load is a catalog problem', async () => {
    const slow: CorpusLoader = { loadText: () => new Promise(() => {}), loadJson: () => new Promise(() => {}) };
    const data = createDataStore({ loader: slow });
    void data.getState().choose('spam-assassin');
    await data.getState().choose('copy');
    expect(data.getState()).toMatchObject({ entry: 'copy', status: 'ready' });

    const broken: CorpusLoader = { loadText: async () => { throw new Error('HTTP 404'); }, loadJson: async () => { throw new Error('HTTP 404'); } };
    const d2 = createDataStore({ loader: broken });
    await d2.getState().choose('spam-assassin');
    expect(d2.getState()).toMatchObject({ status: 'error', dataset: null, error: { where: 'catalog', message: 'HTTP 404' } });
  });

  it('select shows a choice without loading; ensureLoaded loads it once', async () => {
    const { loader, reads } = fsLoader();
    const data = createDataStore({ loader });
    data.getState().select('first-names-gender');
    expect(data.getState()).toMatchObject({ entry: 'first-names-gender', status: 'idle', dataset: null });
    const [a, b] = await Promise.all([data.getState().ensureLoaded(), data.getState().ensureLoaded()]);
    expect(a).toBe(b);
    expect(a?.id).toBe('first-names-gender');
    expect(reads).toEqual(['first-names.json']);
  });
});

describe('data store ↔ project', () => {
  it('a project with a dataset shows it; choosing records it; a built CSV records none', async () => {
    const t = getTemplate('sentiment')!.project;
    const editor = createEditorStore({ graph: t.graph, extras: { training: t.training, dataset: t.dataset } });
    const data = createDataStore();
    const stop = linkDataToProject(data, editor);
    expect(data.getState()).toMatchObject({ entry: 'airline-sentiment', status: 'idle' });

    await data.getState().choose('copy');
    expect(editor.getState().extras.dataset).toEqual({ id: 'copy', options: {} });
    editor.getState().load({ name: 'x', graph: t.graph, dataset: { id: 'reverse', options: { seed: 3 } } });
    expect(data.getState()).toMatchObject({ entry: 'reverse', options: { seed: 3 } });

    await data.getState().upload(csvFile(''));
    expect(editor.getState().extras.dataset?.id).toBe('reverse'); // a bad file changes nothing in the project
    await data.getState().upload(csvFile(TWEETS_CSV));
    expect(editor.getState().extras.dataset).toBeNull();
    expect(data.getState().entry).toBe(CSV_ENTRY);
    stop();
  });

  it('replaceGraph is one undo step', () => {
    const t = getTemplate('sentiment')!.project;
    const editor = createEditorStore({ graph: t.graph });
    const dense = t.graph.nodes.find((n) => n.kind === 'Dense')!;
    const next = { ...t.graph, nodes: t.graph.nodes.map((n) => (n.id === dense.id ? { ...n, params: { ...n.params, units: 5 } } : n)) };
    editor.getState().replaceGraph(next);
    expect(editor.getState().byId.get(dense.id)?.params.units).toBe(5);
    editor.getState().undo();
    expect(editor.getState().byId.get(dense.id)?.params.units).toBe(3);
  });
});

describe('an uploaded CSV across reloads', () => {
  it('is saved once it builds and put back for the same project; not for another one', async () => {
    const { attachCsvPersistence, restoreCsv } = await import('./csvPersist.ts');
    const editor = createEditorStore();
    editor.getState().load(getTemplate('sentiment')!.project, { fresh: true });
    const data = createDataStore();
    linkDataToProject(data, editor);
    const saved: unknown[] = [];
    attachCsvPersistence(data, editor, { write: async (s) => { saved.push(structuredClone(s)); } });
    await data.getState().upload(csvFile(TWEETS_CSV));
    data.getState().setMapping({ threshold: 0.9 });
    expect(saved).toHaveLength(2);
    expect(editor.getState().extras.dataset).toBeNull();

    // A reload: new stores, the project restored from its autosave, then the saved upload.
    const editor2 = createEditorStore();
    editor2.getState().load({ name: editor.getState().name, graph: editor.getState().graph, ...editor.getState().extras }, { fresh: true });
    const data2 = createDataStore();
    linkDataToProject(data2, editor2);
    expect(restoreCsv(data2, editor2, saved.at(-1))).toBe(true);
    const s = data2.getState();
    expect(s.entry).toBe(CSV_ENTRY);
    expect(s.file?.name).toBe('tweets.csv');
    expect(s.status).toBe('ready');
    expect(s.report?.kept).toBe(6);

    const other = createEditorStore();
    other.getState().load({ name: 'another', graph: editor.getState().graph }, { fresh: true });
    expect(restoreCsv(createDataStore(), other, saved.at(-1))).toBe(false);
    expect(restoreCsv(createDataStore(), editor2, { nonsense: true })).toBe(false);
  });
});
