/**
 * Weight files both ways, against independent oracles (Debian's python3-numpy and python3-h5py):
 *
 * - oracle/keras_files.py writes .keras archives (Keras 3 saving_lib layout), a Keras 2 full-model
 *   .h5, a .weights.h5 next to its config.json and a TF.js model.json with two shards (weights
 *   quantized to uint8 and float16), for LSTM, GRU (both reset_after), SimpleRNN and Bidirectional in
 *   every merge mode, with masks (right and left padding) and initial states, and computes their
 *   outputs with its own numpy forward pass: `unroll predict` must agree within 1e-5.
 * - Unroll's .keras export is read back with h5py: every path, shape and value; then it is opened
 *   again and predicts the same (export → open → predict).
 * - Broken files and inputs of the wrong shape: exit 1 with one line.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import { readModelInputs } from '../../core/inputs.ts';
import { weightSpecs } from '../../core/weights.ts';
import { toPython } from '../../core/codegen/python.ts';
import { openModelFiles } from './files.ts';
import { writeKerasFile } from './kerasFile.ts';

const PYTHON = '/usr/bin/python3';
const here = import.meta.dirname;

interface Case {
  name: string;
  model: string;
  weights?: string;
  inputs: string;
  outputs: unknown[];
  /** What Keras 3.4+ computes from the same file (for files whose Keras meant something else). */
  keras3_outputs?: unknown[];
}

let dir = '';
let cases: Case[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'unroll-oracle-'));
  const r = spawnSync(PYTHON, [join(here, 'oracle/keras_files.py'), dir], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`the oracle needs ${PYTHON} with numpy and h5py (.ci/run installs them): ${r.stderr || r.error}`);
  cases = JSON.parse(readFileSync(join(dir, 'cases.json'), 'utf8'));
}, 60_000);

async function run(args: string[]): Promise<{ code: number; out: string; err: string[] }> {
  let out = '';
  const err: string[] = [];
  const code = await main(args, { out: (s) => (out += s), err: (s) => err.push(s) });
  return { code, out, err };
}

function maxDiff(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b);
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return Infinity;
    return a.reduce((m: number, x, k) => Math.max(m, maxDiff(x, b[k])), 0);
  }
  return Infinity;
}

async function predictCase(c: Case): Promise<unknown[]> {
  const args = ['predict', join(dir, c.model), '--input', join(dir, c.inputs), ...(c.weights ? ['--weights', join(dir, c.weights)] : [])];
  const r = await run(args);
  expect(r.err, c.name).toEqual([]);
  expect(r.code, c.name).toBe(0);
  return JSON.parse(r.out).outputs;
}

describe('a file keeps the meaning of the Keras that wrote it (src/core/versions.ts)', () => {
  it('tf.keras 2.15 merge masks: named in the summary; a Keras 3 export needs --keras3, which gives Keras 3.4+ outputs', async () => {
    const c = cases.find((x) => x.name === 'merge_masks_keras2')!;
    const file = join(dir, c.model);
    const o = await openModelFiles([{ name: c.model, bytes: readFileSync(file) }]);
    if (!o.ok) throw new Error(o.error);
    const line = 'tf.keras 2.4–2.15 semantics, as in the file (Keras 2.15.0): ' + ['add_ab', 'add_ax'].map((n) => `${n} output mask: the AND of the masks present (Keras 3: the OR of the masks when every input has one, else none)`)
      .concat(['cat_ab', 'cat_ax'].map((n) => `${n} output mask: the AND of the masks present (Keras 3: the OR of the masks, an unmasked input counting as all true)`)).join('; ');
    expect(o.model.warnings).toContain(line);
    const summary = await run(['summary', file]);
    expect(summary.out).toContain(' tf.keras 2.4–2.15 semantics: add_ab output mask: the AND of the masks present');
    const out = join(dir, 'merge_k3.keras');
    const refused = await run(['export', 'keras-file', file, '-o', out]);
    expect(refused.code).toBe(1);
    expect(refused.err[0]).toMatch(/keeps tf\.keras 2\.4–2\.15 meanings that Keras 3 does not have \(.*--keras3 on the command line.*\): add_ab output mask, add_ax output mask, cat_ab output mask, cat_ax output mask$/);
    const converted = await run(['export', 'keras-file', file, '-o', out, '--keras3']);
    expect(converted.code).toBe(0);
    expect(converted.err.filter((l) => l.startsWith('note:'))).toHaveLength(4);
    expect(converted.err.some((l) => l.includes('semantics, as in the file'))).toBe(false);
    expect(maxDiff(await predictCase({ ...c, model: 'merge_k3.keras' }), c.keras3_outputs)).toBeLessThan(1e-5);
    expect(maxDiff(c.outputs, c.keras3_outputs)).toBeGreaterThan(1e-3); // the two meanings really differ here
  }, 60_000);

  it('the Python training script names the older meanings it cannot keep, and still compiles', async () => {
    const c = cases.find((x) => x.name === 'merge_masks_keras2')!;
    const o = await openModelFiles([{ name: c.model, bytes: readFileSync(join(dir, c.model)) }]);
    if (!o.ok) throw new Error(o.error);
    const r = toPython(o.model.graph, { name: o.model.name });
    if (!r.ok) throw new Error(r.error);
    expect(r.code).toContain('OLDER_KERAS_MEANINGS = ["add_ab output mask: the AND of the masks present');
    const py = spawnSync(PYTHON, ['-c', 'import ast, sys; ast.parse(sys.stdin.read())'], { input: r.code, encoding: 'utf8' });
    expect(py.stderr).toBe('');
    expect(py.status).toBe(0);
  }, 60_000);

  it('Keras 3.0–3.3 merges give no mask; a Keras 3.4+ file with the same layers is not flagged', async () => {
    const k30 = cases.find((x) => x.name === 'merge_masks_keras30')!;
    const o = await openModelFiles([{ name: k30.model, bytes: readFileSync(join(dir, k30.model)) }]);
    if (!o.ok) throw new Error(o.error);
    expect(o.model.warnings.find((w) => w.includes('semantics'))).toBe('Keras 3.0–3.3 semantics, as in the file (Keras 3.3.3): '
      + 'add_ab output mask: no mask (Keras 3: the OR of the masks when every input has one, else none); '
      + ['cat_ab', 'cat_ax'].map((n) => `${n} output mask: no mask (Keras 3: the OR of the masks, an unmasked input counting as all true)`).join('; '));
    const k3 = cases.find((x) => x.name === 'merge_masks')!;
    const o3 = await openModelFiles([{ name: k3.model, bytes: readFileSync(join(dir, k3.model)) }]);
    if (!o3.ok) throw new Error(o3.error);
    expect(o3.model.warnings.filter((w) => w.includes('semantics'))).toEqual([]);
    expect(o3.model.graph.nodes.every((n) => n.params.keras_semantics === undefined || n.params.keras_semantics === 'keras3')).toBe(true);
  }, 60_000);

  it('Keras 2 initial_state and Bidirectional masked steps are named', async () => {
    for (const [name, text] of [
      ['gru_initial_state_keras2', "gru called with initial_state, it still uses its input's mask (Keras 3: it gets none)"],
      ['keras2_bidi', 'bidirectional_1 at masked steps it outputs the previous output (Keras 3: zeros)'],
    ]) {
      const c = cases.find((x) => x.name === name)!;
      const o = await openModelFiles([{ name: c.model, bytes: readFileSync(join(dir, c.model)) }]);
      if (!o.ok) throw new Error(o.error);
      expect(o.model.warnings.join('\n'), name).toContain(text);
    }
  }, 60_000);
});

describe('unroll predict agrees with a numpy forward pass on files written by Python', () => {
  const names = [
    'lstm_mask', 'gru_initial_state', 'bidi_lstm_concat', 'bidi_gru_sum', 'bidi_simplernn_mul', 'bidi_gru_ave', 'bidi_lstm_none',
    'bidi_lstm_concat_states', 'bidi_gru_concat_states', 'keras2_gru', 'weights_only', 'tfjs',
    // Where the Keras that wrote the file meant something else (src/core/versions.ts).
    'gru_initial_state_keras2', 'merge_masks', 'merge_masks_keras30', 'merge_masks_keras2', 'keras2_bidi',
  ];
  it.each(names)('%s', async (name) => {
    const c = cases.find((x) => x.name === name)!;
    expect(c, `oracle case ${name}`).toBeDefined();
    const outputs = await predictCase(c);
    expect(outputs.length).toBe(c.outputs.length);
    expect(maxDiff(outputs, c.outputs)).toBeLessThan(1e-5);
  }, 60_000);

  it('the bin/unroll command itself (one case, a separate process)', () => {
    const c = cases.find((x) => x.name === 'keras2_gru')!;
    const r = spawnSync(process.execPath, [join(here, '../../../bin/unroll.mjs'), 'predict', join(dir, c.model), '--input', join(dir, c.inputs)], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(maxDiff(JSON.parse(r.stdout).outputs, c.outputs)).toBeLessThan(1e-5);
  }, 60_000);
});

describe('unroll export keras-file', () => {
  it('writes the file\'s own weights (same predictions), fresh seeded ones, and converts Keras 2 meanings only with --keras3', async () => {
    const c = cases.find((x) => x.name === 'bidi_gru_sum')!;
    const out = join(dir, 'again.keras');
    const w = await run(['export', 'keras-file', join(dir, c.model), '-o', out]);
    expect([w.code, w.err]).toEqual([0, []]);
    expect(maxDiff(await predictCase({ ...c, model: 'again.keras' }), c.outputs)).toBeLessThan(1e-5);
    const k2 = cases.find((x) => x.name === 'keras2_gru')!;
    const refused = await run(['export', 'keras-file', join(dir, k2.model), '-o', join(dir, 'k2.keras')]);
    expect(refused.code).toBe(1);
    expect(refused.err[0]).toMatch(/Keras 2's hard_sigmoid .* --keras3 on the command line/);
    const converted = await run(['export', 'keras-file', join(dir, k2.model), '-o', join(dir, 'k2.keras'), '--keras3']);
    expect(converted.code).toBe(0);
    expect(converted.err).toEqual(["note: now with Keras 3's meaning: gru_1 recurrent_activation hard_sigmoid = clip(0.2x + 0.5, 0, 1) (Keras 3: relu6(x + 3) / 6)"]);
    const fresh = [1, 2, 1].map((seed, k) => join(dir, `fresh${k}.keras`));
    for (const [k, f] of fresh.entries()) {
      expect((await run(['export', 'keras-file', join(here, '../../../templates/stacked-rnn.json'), '-o', f, '--seed', String([1, 2, 1][k])])).code).toBe(0);
    }
    const weightsOf = async (f: string) => {
      const o = await openModelFiles([{ name: f, bytes: readFileSync(f) }]);
      if (!o.ok) throw new Error(o.error);
      return Object.values(o.model.weights!.layers).flatMap((vs) => vs.flatMap((v) => Array.from(v.data)));
    };
    const [a, b, a2] = await Promise.all(fresh.map(weightsOf));
    expect(a2).toEqual(a);
    expect(b).not.toEqual(a);
  }, 120_000);
});

describe('bad files and inputs: exit 1, one line', () => {
  it.each([
    ['inputs of the wrong shape', (d: string) => ['predict', join(d, 'keras2_gru.h5'), '--input', write(d, 'bad1.json', { inputs: [[[[1, 2]]]] })], /^.*bad1\.json: inputs\[0\] \(input_1\): expected shape \(batch, 5, 3\), got \(1, 1, 2\)$/],
    ['too few inputs', (d: string) => ['predict', join(d, 'gru_initial_state.keras'), '--input', write(d, 'bad2.json', { inputs: [[[1, 2]]] })], /the model has 2 inputs \(tokens, h0\), the file gives 1$/],
    ['ragged inputs', (d: string) => ['predict', join(d, 'lstm_mask.keras'), '--input', write(d, 'bad3.json', { inputs: [[[1, 2], [1]]] })], /ragged/],
    ['float ids', (d: string) => ['predict', join(d, 'lstm_mask.keras'), '--input', write(d, 'bad4.json', { inputs: [[[1.5, 2]]] })], /whole number/],
    ['a cut .keras', (d: string) => ['predict', cut(d, 'lstm_mask.keras', 300), '--input', join(d, 'lstm_mask.inputs.json')], /damaged zip/],
    ['a cut .h5', (d: string) => ['predict', cut(d, 'keras2_gru.h5', 1200), '--input', join(d, 'keras2_gru.inputs.json')], /HDF5|damaged|cut short/],
    ['weights without a config', (d: string) => ['predict', join(d, 'weights_only/model.weights.h5'), '--input', join(d, 'weights_only.inputs.json')], /holds only weights: open it together with the model's config/],
    ['a config without weights', (d: string) => ['predict', join(d, 'weights_only/config.json'), '--input', join(d, 'weights_only.inputs.json')], /holds no weights: give them with --weights FILE/],
    ['weights of another model', (d: string) => ['predict', join(d, 'weights_only/config.json'), '--input', join(d, 'weights_only.inputs.json'), '--weights', join(d, 'keras2_gru.h5')], /has no weights for layer "rnn"/],
  ])('%s', async (_label, argsOf, message) => {
    const r = await run(argsOf(dir));
    expect(r.code).toBe(1);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toMatch(message);
    expect(r.err[0]).not.toContain('\n');
  });
});

function write(d: string, name: string, doc: unknown): string {
  writeFileSync(join(d, name), JSON.stringify(doc));
  return join(d, name);
}

function cut(d: string, name: string, bytes: number): string {
  const p = join(d, `cut-${name}`);
  writeFileSync(p, readFileSync(join(d, name)).subarray(0, bytes));
  return p;
}

/** h5py's view of an HDF5 file: every group's attributes, every dataset's shape and values. */
function h5pyDump(path: string): { groups: Record<string, Record<string, string>>; datasets: Record<string, { shape: number[]; dtype: string; values: number[] }> } {
  const code = `
import h5py, json, sys, numpy as np
f = h5py.File(sys.argv[1], "r")
out = {"groups": {}, "datasets": {}}
def visit(name, o):
    if isinstance(o, h5py.Group):
        out["groups"][name] = {k: (v.decode() if isinstance(v, bytes) else str(v)) for k, v in o.attrs.items()}
    else:
        out["datasets"][name] = {"shape": list(o.shape), "dtype": str(o.dtype), "values": np.asarray(o[()], dtype=np.float64).ravel().tolist()}
out["groups"][""] = {}
f.visititems(visit)
print(json.dumps(out))
`;
  const r = spawnSync(PYTHON, ['-c', code, path], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

describe("Unroll's .keras export in Keras 3's layout", () => {
  it('h5py reads every path, shape and value; export → open → predict gives the same outputs', async () => {
    for (const name of ['bidi_lstm_concat_states', 'gru_initial_state', 'lstm_mask', 'keras2_gru']) {
      const c = cases.find((x) => x.name === name)!;
      const opened = await openModelFiles([{ name: c.model, bytes: readFileSync(join(dir, c.model)) }]);
      if (!opened.ok) throw new Error(opened.error);
      const m = opened.model;
      let graph = m.graph;
      // Keras 3 has no Keras 2 hard_sigmoid: the Keras 2 file is saved in Keras 3 terms only after conversion,
      // which changes its outputs; the layout is what is checked here.
      if (name === 'keras2_gru') {
        graph = { ...graph, nodes: graph.nodes.map((n) => (n.params.recurrent_activation === 'hard_sigmoid_keras2' ? { ...n, params: { ...n.params, recurrent_activation: 'sigmoid' } } : n)) };
      }
      const saved = await writeKerasFile(graph, m.weights!, { name, training: { optimizer: 'adam', learning_rate: 0.002 }, date: new Date(2026, 11, 1, 9, 5, 7) });
      if (!saved.ok) throw new Error(saved.error);
      expect(JSON.parse(saved.files.metadata)).toEqual({ keras_version: '3.16.0', date_saved: '2026-12-01@09:05:07' });
      const h5 = join(dir, `${name}.unroll.weights.h5`);
      writeFileSync(h5, saved.files.weights);
      const dump = h5pyDump(h5);
      expect(dump.groups.vars).toEqual({ name });
      // Every variable at its Keras 3 path, with its shape and values.
      const order = new Map<string, number>();
      for (const spec of weightSpecs(graph)) {
        const layer = [...Object.keys(dump.groups)].find((g) => /^layers\/[^/]+\/vars$/.test(g) && dump.groups[g].name === spec.layer)!;
        expect(layer, spec.layer).toBeDefined();
        const key = layer.split('/')[1];
        spec.vars.forEach((v, k) => {
          const d = dump.datasets[`layers/${key}/${v.store}`];
          expect(d, `layers/${key}/${v.store}`).toBeDefined();
          expect(d.shape).toEqual(v.shape);
          expect(d.dtype).toBe('float32');
          expect(maxDiff(d.values, Array.from(m.weights!.layers[spec.layer][k].data))).toBe(0);
        });
        order.set(spec.layer, 1);
      }
      // Fresh Adam state for the trainable variables: iterations, learning_rate, then a momentum and a velocity each.
      const opt = Object.keys(dump.datasets).filter((k) => k.startsWith('optimizer/vars/'));
      const nVars = weightSpecs(graph).reduce((a, s) => a + s.vars.length, 0);
      expect(opt.length).toBe(2 + 2 * nVars);
      expect(dump.datasets['optimizer/vars/0']).toEqual({ shape: [], dtype: 'int64', values: [0] });
      expect(dump.datasets['optimizer/vars/1'].values[0]).toBeCloseTo(0.002, 7);
      expect(dump.groups['optimizer/vars']).toEqual({ name: 'adam' });

      // Open the export again and predict: the same outputs.
      const again = await openModelFiles([{ name: `${name}.keras`, bytes: saved.bytes }]);
      if (!again.ok) throw new Error(again.error);
      if (name !== 'keras2_gru') {
        const tf = await import('@tensorflow/tfjs');
        await tf.setBackend('cpu');
        const { predictGraph } = await import('../predict.ts');
        const inputs = readModelInputs(again.model.graph, JSON.parse(readFileSync(join(dir, c.inputs), 'utf8')));
        if (!inputs.ok) throw new Error(inputs.error);
        const p = await predictGraph(tf, again.model.graph, again.model.weights, inputs.inputs);
        if (!p.ok) throw new Error(p.error);
        expect(maxDiff(p.outputs, c.outputs)).toBeLessThan(1e-5);
      }
    }
    // The nesting Keras expects for an RNN inside Bidirectional.
    const c = cases.find((x) => x.name === 'bidi_lstm_concat_states')!;
    const o = await openModelFiles([{ name: c.model, bytes: readFileSync(join(dir, c.model)) }]);
    if (!o.ok) throw new Error(o.error);
    const s = await writeKerasFile(o.model.graph, o.model.weights!, { name: 'b' });
    if (!s.ok) throw new Error(s.error);
    writeFileSync(join(dir, 'b.h5'), s.files.weights);
    const d = h5pyDump(join(dir, 'b.h5'));
    expect(Object.keys(d.datasets).filter((k) => k.startsWith('layers/')).sort()).toEqual([
      'layers/bidirectional/backward_layer/cell/vars/0', 'layers/bidirectional/backward_layer/cell/vars/1', 'layers/bidirectional/backward_layer/cell/vars/2',
      'layers/bidirectional/forward_layer/cell/vars/0', 'layers/bidirectional/forward_layer/cell/vars/1', 'layers/bidirectional/forward_layer/cell/vars/2',
      'layers/embedding/vars/0',
    ]);
    expect(d.groups['layers/bidirectional/forward_layer/vars']).toEqual({ name: 'forward_lstm' });
    expect(d.groups['layers/bidirectional/forward_layer/cell/vars']).toEqual({ name: 'lstm_cell' });
    expect(d.groups['layers/bidirectional/backward_layer/vars']).toEqual({ name: 'backward_lstm' });
    expect(d.groups['layers/input_layer_4/vars']).toEqual({ name: 'state_3' });
  }, 120_000);
});
