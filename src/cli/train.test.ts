/**
 * `unroll train` (cpu backend, in process): JSON lines exactly as documented; the same numbers as
 * the engine trained directly on the same CSV, seed and backend; a progress bar on a terminal;
 * the editor's messages for a bad CSV or a model that does not fit (exit 1); --fit; --save.
 */
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkBinding } from '../data/bind.ts';
import { parseCsv } from '../data/csv.ts';
import { tweetsCsv } from '../data/fixtures/tweetsCsv.ts';
import { datasetFromCsv } from '../data/fromCsv.ts';
import { getTemplate } from '../../templates/index.ts';
import { Trainer, withSeededRandom } from '../tf/train/engine.ts';
import { compileGraph } from '../tf/compile.ts';
import { main, type Io } from './main.ts';
import { parseTrainArgs } from './train.ts';

const dir = mkdtempSync(join(tmpdir(), 'unroll-train-'));
const csv = join(dir, 'tweets.csv');
writeFileSync(csv, tweetsCsv(400));

function capture(tty = false): Io & { stdout: string[]; stderr: string[]; bar: string[] } {
  const stdout: string[] = [], stderr: string[] = [], bar: string[] = [];
  return { stdout, stderr, bar, out: (s) => stdout.push(s), err: (s) => stderr.push(s), ...(tty ? { tty: { write: (s: string) => bar.push(s), columns: 100 } } : {}) };
}

const CSV_ARGS = ['--csv', csv, '--text', 'text', '--label', 'airline_sentiment', '--confidence', 'airline_sentiment_confidence:0.5'];

describe('unroll train --json', () => {
  it('one object per epoch with exactly the documented keys, then the test; the engine\'s numbers', async () => {
    const io = capture();
    const code = await main(['train', 'templates/sentiment.json', ...CSV_ARGS, '--epochs', '2', '--batch-size', '32', '--backend', 'cpu', '--json'], io);
    expect(io.stderr.every((l) => l.startsWith('warning: '))).toBe(true); // the Data tab's report warnings
    expect(code).toBe(0);
    const lines = io.stdout.map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    expect(Object.keys(lines[0])).toEqual(['epoch', 'loss', 'accuracy', 'val_loss', 'val_accuracy', 'seconds']);
    expect(lines.slice(0, 2).map((l) => l.epoch)).toEqual([1, 2]);
    expect(Object.keys(lines[2])).toEqual(['test', 'seconds', 'backend']);
    expect(Object.keys(lines[2].test)).toEqual(['loss', 'accuracy']);
    expect(lines[2].backend).toBe('cpu');

    // The engine itself on the same data (the editor's pipeline), seed and backend.
    const p = getTemplate('sentiment')!.project;
    const { dataset } = datasetFromCsv(parseCsv(readFileSync(csv, 'utf8')), { text: 'text', label: 'airline_sentiment', confidence: 'airline_sentiment_confidence', threshold: 0.5 }, { name: 'tweets.csv', seed: 0, maxTokens: 1000 });
    expect(checkBinding(p.graph, dataset)).toEqual([]);
    const t = new Trainer({ tf, graph: p.graph, dataset, settings: { ...p.training, epochs: 2, batch_size: 32, backend: 'cpu' } });
    const done = (await t.run())!;
    t.model!.dispose();
    expect(lines[2].test).toEqual(done.test);
    expect(lines.slice(0, 2).map((l) => l.val_accuracy)).toEqual(done.history.val_accuracy);
  });

  it('a regression project has no accuracy keys; --dataset picks a catalog dataset', async () => {
    const io = capture();
    expect(await main(['train', 'forecast-gru', '--dataset', 'noisy-sine', '--size', '120', '--epochs', '1', '--backend', 'cpu', '--json'], io)).toBe(0);
    const lines = io.stdout.map((l) => JSON.parse(l));
    expect(Object.keys(lines[0])).toEqual(['epoch', 'loss', 'val_loss', 'seconds']);
    expect(Object.keys(lines[1].test)).toEqual(['loss']);
  });
});

describe('unroll train on a terminal', () => {
  it('draws a progress bar on stderr and prints a line per epoch and the test', async () => {
    const io = capture(true);
    expect(await main(['train', 'templates/sentiment.json', ...CSV_ARGS, '--epochs', '1', '--batch-size', '64', '--backend', 'cpu'], io)).toBe(0);
    expect(io.bar.some((s) => /^\repoch 1\/1 [━─]+ \d+\/\d+ · loss \d\.\d{4} · acc \d\.\d{4} · \d+ ms\/batch/.test(s))).toBe(true);
    expect(io.stdout[0]).toMatch(/^Epoch 1\/1 · [\d.]+ s · loss \d\.\d{4} · accuracy \d\.\d{4} · val_loss \d\.\d{4} · val_accuracy \d\.\d{4}$/);
    expect(io.stdout[1]).toMatch(/^Test · loss \d\.\d{4} · accuracy \d\.\d{4} · [\d.]+ s on cpu$/);
    expect(io.stderr.join('\n')).toMatch(/tweets\.csv: 400 rows, \d+ kept → \d+ train \/ \d+ val \/ \d+ test; vocabulary \d+; labels negative, neutral, positive/);
  });
});

describe('bad input exits 1 with the editor\'s message', () => {
  it('a label column the file does not have', async () => {
    const io = capture();
    expect(await main(['train', 'templates/sentiment.json', '--csv', csv, '--text', 'text', '--label', 'sentiment', '--backend', 'cpu'], io)).toBe(1);
    let message = '';
    try {
      datasetFromCsv(parseCsv(readFileSync(csv, 'utf8')), { text: 'text', label: 'sentiment' });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/sentiment/);
    expect(io.stderr).toEqual([`${csv}: ${message}`]);
  });

  it('an empty file and a missing file', async () => {
    const empty = join(dir, 'empty.csv');
    writeFileSync(empty, '');
    const io = capture();
    expect(await main(['train', 'templates/sentiment.json', '--csv', empty, '--text', 'text', '--label', 'x'], io)).toBe(1);
    expect(io.stderr[0]).toMatch(new RegExp(`^${empty.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: The file is empty`));
    const io2 = capture();
    expect(await main(['train', 'templates/sentiment.json', '--csv', join(dir, 'nope.csv'), '--text', 'text', '--label', 'x'], io2)).toBe(1);
    expect(io2.stderr[0]).toMatch(/cannot read .*nope\.csv: ENOENT/);
  });

  it('a model that does not fit the data lists what to change; --fit changes it and trains', async () => {
    const two = join(dir, 'two.csv');
    const text = readFileSync(csv, 'utf8').split('\r\n').filter((l) => !/,neutral,/.test(l)).join('\r\n');
    writeFileSync(two, text);
    const io = capture();
    expect(await main(['train', 'templates/sentiment.json', '--csv', two, '--text', 'text', '--label', 'airline_sentiment', '--backend', 'cpu'], io)).toBe(1);
    expect(io.stderr.slice(-3)).toEqual([
      'The model does not fit the dataset "two.csv":',
      '- dense has 3 units but the labels have 2 classes. Set units to 2.',
      'Use --fit to set these for you (the editor\'s "Fit model to data").',
    ]);
    const fit = capture();
    expect(await main(['train', 'templates/sentiment.json', '--csv', two, '--text', 'text', '--label', 'airline_sentiment', '--fit', '--epochs', '1', '--backend', 'cpu'], fit)).toBe(0);
    expect(fit.stderr).toContain('fit: dense: 2 units, softmax');
  });

  it('usage problems exit 2', async () => {
    for (const args of [[], ['a', 'b'], ['p', '--csv', 'f.csv'], ['p', '--text', 'x'], ['p', '--epochs', '0'], ['p', '--backend', 'webgpu'], ['p', '--what']]) {
      const io = capture();
      expect(await main(['train', ...args], io), args.join(' ')).toBe(2);
      expect(io.stderr[0]).toMatch(/^unroll train: /);
    }
    expect(parseTrainArgs(['p', '--csv', 'f', '--text', 't', '--label', 'l', '--confidence', 'conf:a:0.7'])).toMatchObject({ confidence: { column: 'conf:a', threshold: 0.7 } });
    expect(parseTrainArgs(['p', '--csv', 'f', '--text', 't', '--label', 'l', '--confidence', 'c'])).toMatchObject({ confidence: { column: 'c', threshold: 0.5 } });
  });
});

describe('--save', () => {
  it('writes the trained model as TF.js files that load and predict like the trained model', async () => {
    const out = join(dir, 'model');
    const io = capture();
    expect(await main(['train', 'templates/sentiment.json', ...CSV_ARGS, '--epochs', '1', '--batch-size', '64', '--backend', 'cpu', '--save', out], io)).toBe(0);
    expect(existsSync(join(out, 'model.json'))).toBe(true);
    const json = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8'));
    const bin = readFileSync(join(out, 'group1-shard1of1.bin'));
    const model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength) }));
    const y = model.predict(tf.tensor2d([[5, 6, 7]], [1, 3], 'int32')) as tf.Tensor;
    expect(y.shape).toEqual([1, 3]);
    // Trained, not fresh: the model as built from the same seed before training predicts otherwise.
    const fresh = withSeededRandom(42, () => compileGraph(tf, getTemplate('sentiment')!.project.graph)).model;
    const y0 = fresh.predict(tf.tensor2d([[5, 6, 7]], [1, 3], 'int32')) as tf.Tensor;
    const diff = Math.max(...Array.from(y.dataSync(), (v, k) => Math.abs(v - y0.dataSync()[k])));
    expect(diff).toBeGreaterThan(1e-3);
    model.dispose();
    fresh.dispose();
  });
});

describe('--save FILE.keras', () => {
  it('writes a Keras 3 archive whose weights predict like the same run saved as TF.js files', async () => {
    const keras = join(dir, 'trained.keras');
    const tfjsDir = join(dir, 'same-run');
    const args = ['train', 'templates/sentiment.json', ...CSV_ARGS, '--epochs', '1', '--batch-size', '64', '--backend', 'cpu'];
    expect(await main([...args, '--save', keras], capture())).toBe(0);
    expect(await main([...args, '--save', tfjsDir], capture())).toBe(0); // cpu, same seed: the same trained weights
    const { openModelFiles } = await import('../tf/weights/files.ts');
    const { applyWeights } = await import('../tf/weights/apply.ts');
    const opened = await openModelFiles([{ name: 'trained.keras', bytes: new Uint8Array(readFileSync(keras)) }]);
    if (!opened.ok) throw new Error(opened.error);
    const c = compileGraph(tf, opened.model.graph);
    expect(applyWeights(tf, c, opened.model.graph, opened.model.weights!).problems).toEqual([]);
    const json = JSON.parse(readFileSync(join(tfjsDir, 'model.json'), 'utf8'));
    const bin = readFileSync(join(tfjsDir, 'group1-shard1of1.bin'));
    const other = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength) }));
    const x = tf.tensor2d([[5, 6, 7, 8]], [1, 4], 'int32');
    const a = Array.from((c.model.predict(x) as tf.Tensor).dataSync());
    const b = Array.from((other.predict(x) as tf.Tensor).dataSync());
    a.forEach((v, k) => expect(v).toBeCloseTo(b[k], 6));
    c.model.dispose();
    other.dispose();
  });
});
