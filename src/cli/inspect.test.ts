/**
 * `unroll inspect` end to end (in process): the JSON the issue specifies, weights from a TF.js
 * model.json, ∂L/∂h_t against the closed form, Bidirectional entries, padding, and its messages.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { chain, nodeByName } from '../core/build.ts';
import { newProject, serializeProject } from '../core/project.ts';
import { compileGraph } from '../tf/compile.ts';
import { exportTfjsModel } from '../tf/export/files.ts';
import { main, type Io } from './main.ts';

function capture(): Io & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [], stderr: string[] = [];
  return { stdout, stderr, out: (s) => stdout.push(s), err: (s) => stderr.push(s) };
}

const dir = mkdtempSync(join(tmpdir(), 'unroll-inspect-'));
const file = (name: string, v: unknown) => {
  const p = join(dir, name);
  writeFileSync(p, typeof v === 'string' ? v : JSON.stringify(v));
  return p;
};

interface Entry { name: string; kind: string; direction: string; h: (number | null)[][][]; c?: (number | null)[][][]; gates: Record<string, (number | null)[][][]>; grad_h?: (number | null)[] }

async function inspect(args: string[]): Promise<{ code: number; json?: { layers: Entry[]; outputs: unknown[] }; stderr: string[] }> {
  const io = capture();
  const code = await main(['inspect', ...args, '--backend', 'cpu'], io);
  // The note about fresh weights (files without weights) aside.
  const stderr = io.stderr.filter((l) => !l.startsWith('note: '));
  return { code, stderr, ...(code === 0 ? { json: JSON.parse(io.stdout.join('')) } : {}) };
}

describe('unroll inspect', () => {
  it('the adding-problem template: one LSTM entry, [batch][T][units] states and gates, outputs, grad_h [T]', async () => {
    const input = file('add.json', [[[0.5, 0], [0.2, 1], [0.9, 0], [0.4, 1]], [[0.1, 1], [0.3, 0], [0.7, 1], [0.2, 0]]]);
    const target = file('add-target.json', [[0.6], [0.8]]);
    const io = capture();
    expect(await main(['inspect', 'templates/adding-lstm.json', '--input', input, '--gradients', '--target', target, '--backend', 'cpu'], io)).toBe(0);
    expect(io.stderr).toEqual(['note: templates/adding-lstm.json holds no weights: fresh ones (seed 0); give trained ones with --weights FILE']);
    const r = { json: JSON.parse(io.stdout.join('')) as { layers: Entry[]; outputs: unknown[] } };
    const [lstm] = r.json!.layers;
    expect([lstm.name, lstm.kind, lstm.direction]).toEqual(['lstm', 'LSTM', 'forward']);
    expect([lstm.h.length, lstm.h[0].length, lstm.h[0][0].length]).toEqual([2, 4, 32]);
    expect(Object.keys(lstm.gates)).toEqual(['i', 'f', 'g', 'o']);
    expect(lstm.c![1][3]).toHaveLength(32);
    expect(lstm.grad_h).toHaveLength(4);
    expect(lstm.grad_h!.every((g) => typeof g === 'number' && g > 0)).toBe(true);
    expect(r.json!.outputs).toHaveLength(1);
    expect((r.json!.outputs[0] as number[][]).map((row) => row.length)).toEqual([1, 1]);
  });

  it('weights from a TF.js model.json; ‖∂L/∂h_t‖ of a one-unit SimpleRNN follows the closed form within 1e-4', async () => {
    const T = 6;
    const graph = chain([{ kind: 'Input', params: { shape: [T, 1] } }, { kind: 'SimpleRNN', params: { units: 1 } }, { kind: 'Dense', params: { units: 1 } }],
      { output: { loss: 'mean_squared_error' } });
    await tf.setBackend('cpu');
    const c = compileGraph(tf, graph);
    const wIn = 0.8, wRec = 1.1, b = -0.1, wOut = 0.9;
    c.layers.get(nodeByName(graph, 'simple_rnn').id)!.setWeights([tf.tensor([[wIn]]), tf.tensor([[wRec]]), tf.tensor([b])]);
    c.layers.get(nodeByName(graph, 'dense').id)!.setWeights([tf.tensor([[wOut]]), tf.tensor([0])]);
    const exported = await exportTfjsModel(tf, graph, { flavour: 'unroll', weights: c.model });
    if (!exported.ok) throw new Error(exported.error);
    const modelJson = file('model.json', exported.files['model.json']);
    writeFileSync(join(dir, 'group1-shard1of1.bin'), exported.files['group1-shard1of1.bin'] as Uint8Array);
    const project = file('rnn.unroll.json', serializeProject(newProject(graph, 'rnn')));
    const xs = [0.3, -0.5, 0.9, 0.1, -0.2, 0.6];
    const r = await inspect([project, '--input', file('x.json', [xs.map((v) => [v])]), '--weights', modelJson, '--gradients', '--target', file('y.json', [[1]])]);
    expect(r.stderr).toEqual([]);
    const h: number[] = [];
    let prev = 0;
    for (const v of xs) h.push((prev = Math.tanh(wIn * v + wRec * prev + b)));
    const expected = new Array<number>(T);
    expected[T - 1] = Math.abs(2 * (wOut * h[T - 1] - 1) * wOut);
    for (let t = T - 1; t > 0; t--) expected[t - 1] = expected[t] * Math.abs(wRec * (1 - h[t] ** 2));
    const [e] = r.json!.layers;
    e.grad_h!.forEach((g, t) => expect(Math.abs(g! - expected[t])).toBeLessThan(1e-4));
    e.h[0].forEach((row, t) => expect(row[0]).toBeCloseTo(h[t], 6));
  });

  it('the sentiment model: two entries named after the Bidirectional, padded steps carry the state, gates null there', async () => {
    const r = await inspect(['templates/sentiment.json', '--input', file('ids.json', { inputs: [[[12, 40, 7, 3], [5, 9, 0, 0]]] })]);
    expect(r.stderr).toEqual([]);
    const [fwd, bwd] = r.json!.layers;
    expect([fwd.name, fwd.direction, bwd.name, bwd.direction]).toEqual(['bidirectional', 'forward', 'bidirectional', 'backward']);
    // Example 2 is padded at positions 2 and 3: the forward state carries over, the backward one stays h₀ = 0.
    expect(fwd.h[1][3]).toEqual(fwd.h[1][1]);
    expect(fwd.h[1][2]).toEqual(fwd.h[1][1]);
    expect(bwd.h[1][3].every((v) => v === 0)).toBe(true);
    expect(fwd.gates.f[1][2].every((v) => v === null)).toBe(true);
    expect(fwd.gates.f[0][2].every((v) => v !== null && v > 0 && v < 1)).toBe(true);
    expect(r.json!.outputs[0]).toHaveLength(2);
  });

  it('a .keras file with its weights (written by the keras helper\'s exporter): the same states as the probes on those weights, the same outputs as unroll predict', async () => {
    const { getTemplate } = await import('../../templates/index.ts');
    const { writeKerasFile } = await import('../tf/weights/kerasFile.ts');
    const { extractWeights } = await import('../tf/weights/apply.ts');
    const { inspectModel } = await import('../tf/inspect/probe.ts');
    await tf.setBackend('cpu');
    const graph = getTemplate('sentiment')!.project.graph;
    const c = compileGraph(tf, graph);
    const ws = extractWeights(tf, c, graph, { format: 'browser' });
    const saved = await writeKerasFile(graph, ws, { name: 'sentiment' });
    if (!saved.ok) throw new Error(saved.error);
    const keras = join(dir, 'sentiment.keras');
    writeFileSync(keras, saved.bytes);
    const ids = [[12, 40, 7, 3, 0], [5, 9, 31, 2, 8]];
    const input = file('ids5.json', { inputs: [ids] });
    const r = await inspect([keras, '--input', input]);
    expect(r.stderr).toEqual([]);
    const direct = await inspectModel(tf, c, graph, { feeds: [tf.tensor(ids, [2, 5], 'int32')], layerOutputs: false });
    for (const [k, e] of r.json!.layers.entries()) {
      const flat = e.h.flat(2) as number[];
      expect(Math.max(...flat.map((v, j) => Math.abs(v - direct.layers[k].h[j])))).toBeLessThan(1e-6);
    }
    const io = capture();
    expect(await main(['predict', keras, '--input', input], io)).toBe(0);
    expect(JSON.parse(io.stdout.join('')).outputs).toEqual(r.json!.outputs);
  });

  it('messages: --gradients without --target, a bad input file, a wrong feature size', async () => {
    expect((await inspect(['templates/sentiment.json', '--input', 'x.json', '--gradients'])).code).toBe(2);
    const notJson = await inspect(['templates/sentiment.json', '--input', file('bad.json', '[1, 2')]);
    expect(notJson.code).toBe(1);
    expect(notJson.stderr[0]).toMatch(/bad\.json: not JSON/);
    const wide = await inspect(['templates/adding-lstm.json', '--input', file('wide.json', [[[1, 2, 3]]])]);
    expect(wide.code).toBe(1);
    expect(wide.stderr[0]).toMatch(/wide\.json: inputs\[0\] \(input_layer\): expected shape \(batch, any, 2\), got \(1, 1, 3\)/);
  });
});
