/**
 * `npx unroll train` reproduces the editor: the same tweets-style CSV, template, seed and backend
 * give the same numbers to the last digit. The editor's side runs the app's own code path in Node:
 * the Data tab's store parses and builds the upload (dataStore.upload → datasetFromCsv with the
 * panel's split and vocabulary settings), the Train tab's store starts the run with that dataset
 * (trainStore.start → training client → the worker's logic, host.ts, through an in-process worker
 * that structured-clones every message as postMessage does), and the Results tab's store evaluates
 * the test set in the same worker. Only the Web Worker and the page are left out.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getTemplate } from '../../templates/index.ts';
import { tweetsCsv } from '../data/fixtures/tweetsCsv.ts';
import { createDataStore } from '../store/dataStore.ts';
import { createResultsStore } from '../store/resultsStore.ts';
import { until } from '../store/testUtil.ts';
import { createTrainStore } from '../store/trainStore.ts';
import { createTrainingClient } from '../tf/train/client.ts';
import { inProcessWorker } from '../tf/train/testUtil.ts';
import { main, type Io } from './main.ts';

const dir = mkdtempSync(join(tmpdir(), 'unroll-train-editor-'));
const csvText = tweetsCsv(600);
const csv = join(dir, 'tweets.csv');
writeFileSync(csv, csvText);

function capture(): Io & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [], stderr: string[] = [];
  return { stdout, stderr, out: (s) => stdout.push(s), err: (s) => stderr.push(s) };
}

describe('unroll train = the editor, same CSV, seed and backend', () => {
  it('sentiment template on a tweets CSV (cpu, seed 7): every epoch\'s metrics and the test accuracy agree exactly', async () => {
    const epochs = 2, batch = 32, seed = 7;
    // The editor: upload in the Data tab (the mapping it suggests), train in the Train tab.
    const data = createDataStore();
    await data.getState().upload(Object.assign(new Blob([csvText], { type: 'text/csv' }), { name: 'tweets.csv' }));
    const d = data.getState();
    expect(d.status).toBe('ready');
    expect(d.mapping).toMatchObject({ text: 'text', label: 'airline_sentiment', confidence: 'airline_sentiment_confidence', threshold: 0.5 });
    const client = createTrainingClient(() => inProcessWorker({ throttleMs: 0 }));
    const train = createTrainStore({ client });
    const p = getTemplate('sentiment')!.project;
    const project = {
      graph: p.graph, training: { ...p.training, epochs, batch_size: batch, seed, backend: 'cpu' as const },
      dataset: { id: 'csv', options: {} }, datasetName: 'tweets.csv', name: 'sentiment',
    };
    train.getState().start(project, d.dataset!);
    await until(train, (s) => s.status === 'done' || s.status === 'error');
    const ed = train.getState();
    expect(ed.error).toBeNull();
    expect(ed.backend?.backend).toBe('cpu');
    // The Results tab's evaluation of the same model on the test split.
    const results = createResultsStore({ client });
    await results.getState().ask(project, { op: 'evaluate', split: 'test' }, d.dataset!);
    const ev = results.getState().evaluate;
    expect(ev.error).toBeNull();

    // The command line.
    const io = capture();
    const code = await main(['train', 'sentiment', '--csv', csv, '--text', 'text', '--label', 'airline_sentiment',
      '--confidence', 'airline_sentiment_confidence:0.5', '--epochs', String(epochs), '--batch-size', String(batch),
      '--seed', String(seed), '--backend', 'cpu', '--json'], io);
    expect(code, io.stderr.join('\n')).toBe(0);
    const lines = io.stdout.map((l) => JSON.parse(l) as Record<string, number> & { test: { loss: number; accuracy: number }; backend: string });
    const last = lines.at(-1)!;
    expect(last.backend).toBe('cpu');

    expect(lines.slice(0, -1).map((l) => [l.loss, l.accuracy, l.val_loss, l.val_accuracy]))
      .toEqual(ed.epochs.map((e) => [e.loss, e.accuracy, e.val_loss, e.val_accuracy]));
    expect(last.test.accuracy).toBe(ed.test!.accuracy);
    expect(last.test.loss).toBe(ed.test!.loss);
    expect(ev.result!.accuracy).toBe(last.test.accuracy);
    expect(ev.result!.rows.length).toBe(d.overview!.sizes.test);
    // Not a trivial agreement: the run learned something from the 600 rows' split.
    expect(last.test.accuracy).toBeGreaterThan(0);
  }, 240_000);
});
