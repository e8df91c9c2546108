/**
 * Fidelity: for every template and for 200+ random valid graphs, the TF.js model Unroll builds
 * has exactly the shapes (every port of every node, and the model outputs) and parameter counts
 * (per layer and total) that core reports in Keras 3 terms, and one forward pass runs with data of
 * the right dtype and gives finite values of the right shape.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { addNode, connect, emptyGraph } from '../core/edit.ts';
import { inferGraph } from '../core/infer.ts';
import { loadProject } from '../core/project.ts';
import { randomValidGraph } from '../core/random.ts';
import { LAYERS } from '../core/registry.ts';
import type { Graph, Params } from '../core/types.ts';
import { compileGraph } from './compile.ts';
import { weightSpecs } from '../core/weights.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const T = 5;
const BATCH = 3;

/** Random inputs: float normals with the last step of row 1 zeroed (for Masking), token ids padded with zeros. */
function feeds(g: Graph, ids: readonly string[]): tf.Tensor[] {
  const vocab = Math.min(...g.nodes.filter((n) => n.kind === 'Embedding').map((n) => n.params.input_dim as number), 6);
  return ids.map((id) => {
    const p = g.nodes.find((n) => n.id === id)!.params;
    const batch = (p.batch_size as number | null) ?? BATCH;
    const shape = [batch, ...(p.shape as (number | null)[]).map((d) => d ?? T)];
    if (p.dtype === 'int32') {
      const size = shape.reduce((a, b) => a * b, 1);
      const per = size / batch;
      const data = Array.from({ length: size }, (_, k) => {
        const row = Math.floor(k / per), col = k % per;
        return col >= per - row ? 0 : 1 + ((k * 7 + 3) % (vocab - 1)); // row r has r trailing zeros
      });
      return tf.tensor(data, shape, 'int32');
    }
    return tf.tidy(() => {
      const x = tf.randomNormal(shape, 0, 1, 'float32', 7);
      if (shape.length !== 3 || shape[1] < 2) return x;
      const keep = tf.buffer([batch, shape[1], 1], 'float32');
      for (let b = 0; b < batch; b++) for (let t = 0; t < shape[1]; t++) keep.set(b === 1 && t === shape[1] - 1 ? 0 : 1, b, t, 0);
      return tf.mul(x, keep.toTensor());
    });
  });
}

function checkGraph(g: Graph): void {
  const inf = inferGraph(g);
  expect(inf.issues.filter((i) => i.severity === 'error')).toEqual([]);
  const c = compileGraph(tf, g, inf);
  const { model } = c;
  try {
    let total = 0;
    for (const [id, layer] of c.layers) {
      const info = inf.node(id)!;
      const name = g.nodes.find((n) => n.id === id)!.name;
      expect(layer.name, 'layer name = node name').toBe(name);
      info.outputs.forEach((p, k) => {
        expect([name, p.name, c.tensor(id, p.name)!.shape]).toEqual([name, p.name, info.outputTensors[k]!.shape]);
      });
      const params = info.params!.trainable + info.params!.nonTrainable;
      expect([name, layer.countParams()]).toEqual([name, params]);
      total += params;
    }
    expect(model.countParams()).toBe(total);
    // Core's weight specs (Keras's layer.weights order and shapes) line up with the TF.js variables.
    for (const spec of weightSpecs(g, inf)) {
      const layer = c.layers.get(spec.nodeId);
      if (!layer) continue;
      expect([spec.layer, layer.weights.map((w) => w.shape)]).toEqual([spec.layer, spec.vars.map((v) => v.shape)]);
    }
    c.outputs.forEach((o, k) => expect(model.outputs[k].shape).toEqual(inf.tensor(o.nodeId, o.port)!.shape));

    const xs = feeds(g, c.inputs);
    const ys = model.predict(xs) as tf.Tensor | tf.Tensor[];
    const list = Array.isArray(ys) ? ys : [ys];
    expect(list.length).toBe(c.outputs.length);
    list.forEach((y, k) => {
      const want = inf.tensor(c.outputs[k].nodeId, c.outputs[k].port)!.shape;
      expect(y.shape.length).toBe(want.length);
      want.forEach((d, i) => {
        if (d !== null) expect(y.shape[i]).toBe(d);
      });
      expect(tf.all(tf.isFinite(y)).dataSync()[0]).toBe(1);
    });
    tf.dispose([...xs, ...list]);
  } finally {
    model.dispose();
  }
}

function templateGraphs(): [string, Graph][] {
  const dir = join(import.meta.dirname, '../../templates');
  let files: string[] = [];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  } catch {
    return [];
  }
  return files.flatMap((f): [string, Graph][] => {
    const doc: unknown = JSON.parse(readFileSync(join(dir, f), 'utf8'));
    if (typeof doc !== 'object' || doc === null || !('graph' in doc)) return [];
    const r = loadProject(doc);
    if (!r.ok) throw new Error(`template ${f}: ${r.error}`);
    return [[f, r.project.graph]];
  });
}

/** Graphs the random generator does not make: wiring and parameters at the edges of the catalog. */
function extraGraphs(): [string, Graph][] {
  const out: [string, Graph][] = [];
  const seqIn = (g: Graph, shape: (number | null)[] = [null, 3], dtype = 'float32') =>
    addNode(g, { kind: 'Input', params: { shape, dtype } });
  const node = (g: Graph, kind: string, params: Params) => addNode(g, { kind, params });
  const wire = (g: Graph, s: string, sp: string, t: string, tp: string) => connect(g, { source: s, sourcePort: sp, target: t, targetPort: tp });

  // Bidirectional(LSTM, return_state) feeding another Bidirectional's four initial states; merge_mode None.
  for (const kind of ['LSTM', 'GRU', 'SimpleRNN']) {
    let g: Graph = emptyGraph;
    const a = seqIn(g); g = a.graph;
    const b1 = node(g, 'Bidirectional', { layer: { kind, params: { units: 4, return_sequences: true, return_state: true } }, merge_mode: null }); g = b1.graph;
    g = wire(g, a.node.id, 'output', b1.node.id, 'input');
    const b2 = node(g, 'Bidirectional', { layer: { kind, params: { units: 4 } }, merge_mode: 'ave' }); g = b2.graph;
    g = wire(g, b1.node.id, 'output_backward', b2.node.id, 'input');
    const states = kind === 'LSTM' ? ['h', 'c'] : ['h'];
    for (const d of ['forward_', 'backward_']) for (const s of states) g = wire(g, b1.node.id, d + s, b2.node.id, d + s);
    const o = node(g, 'Output', { loss: 'mean_squared_error' }); g = o.graph;
    g = wire(g, b2.node.id, 'output', o.node.id, 'input');
    out.push([`bidirectional ${kind} states`, g]);
  }
  // Masked tokens concatenated with an unmasked sequence along time, then every activation and initializer.
  {
    let g: Graph = emptyGraph;
    const a = seqIn(g, [4], 'int32'); g = a.graph;
    const e = node(g, 'Embedding', { input_dim: 9, output_dim: 3, mask_zero: true }); g = e.graph;
    g = wire(g, a.node.id, 'output', e.node.id, 'input');
    const f = seqIn(g, [2, 3]); g = f.graph;
    const cat = node(g, 'Concatenate', { axis: 1 }); g = cat.graph;
    g = wire(g, e.node.id, 'output', cat.node.id, 'input_0');
    g = wire(g, f.node.id, 'output', cat.node.id, 'input_1');
    let prev = cat.node.id;
    const acts = ['tanh', 'sigmoid', 'relu', 'linear', 'softmax', 'elu', 'selu', 'softplus', 'softsign', 'hard_sigmoid',
      'swish', 'gelu', 'exponential', 'relu6', 'leaky_relu', 'log_softmax', 'mish', 'silu'];
    const inits = ['glorot_uniform', 'glorot_normal', 'he_uniform', 'he_normal', 'lecun_uniform', 'lecun_normal',
      'orthogonal', 'zeros', 'ones', 'random_uniform', 'random_normal', 'truncated_normal', 'uniform'];
    acts.forEach((act, k) => {
      const d = node(g, 'Dense', { units: 3, activation: act === 'exponential' ? 'tanh' : act, kernel_initializer: inits[k % inits.length] });
      g = wire(d.graph, prev, 'output', d.node.id, 'input');
      const x = node(g, 'Activation', { activation: act === 'exponential' ? 'tanh' : act });
      g = wire(x.graph, d.node.id, 'output', x.node.id, 'input');
      prev = x.node.id;
    });
    const l = node(g, 'LSTM', { units: 3, recurrent_activation: 'hard_sigmoid', return_sequences: true }); g = l.graph;
    g = wire(g, prev, 'output', l.node.id, 'input');
    const fl = node(g, 'Flatten', {}); g = fl.graph;
    g = wire(g, l.node.id, 'output', fl.node.id, 'input');
    const o = node(g, 'Output', { loss: 'mean_squared_error' }); g = o.graph;
    g = wire(g, fl.node.id, 'output', o.node.id, 'input');
    out.push(['concat along time, activations, initializers, flatten', g]);
  }
  // Flatten of an unknown time axis and of a rank-2 tensor; three-way Add of masked sequences.
  {
    let g: Graph = emptyGraph;
    const a = seqIn(g, [null], 'int32'); g = a.graph;
    const e = node(g, 'Embedding', { input_dim: 9, output_dim: 3, mask_zero: true }); g = e.graph;
    g = wire(g, a.node.id, 'output', e.node.id, 'input');
    const add = node(g, 'Add', { n_inputs: 3 }); g = add.graph;
    for (let k = 0; k < 3; k++) {
      const d = node(g, 'Dense', { units: 2 }); g = d.graph;
      g = wire(g, e.node.id, 'output', d.node.id, 'input');
      g = wire(g, d.node.id, 'output', add.node.id, `input_${k}`);
    }
    const gap = node(g, 'GlobalAveragePooling1D', {}); g = gap.graph;
    g = wire(g, add.node.id, 'output', gap.node.id, 'input');
    const f2 = node(g, 'Flatten', {}); g = f2.graph;
    g = wire(g, gap.node.id, 'output', f2.node.id, 'input');
    const f1 = node(g, 'Flatten', {}); g = f1.graph;
    g = wire(g, add.node.id, 'output', f1.node.id, 'input');
    for (const src of [f1.node.id, f2.node.id]) {
      const o = node(g, 'Output', { loss: 'mean_squared_error' }); g = o.graph;
      g = wire(g, src, 'output', o.node.id, 'input');
    }
    out.push(['flatten unknown and rank 2, three-way add', g]);
  }
  return out;
}

describe('TF.js models match core shapes and parameter counts', () => {
  it('every layer kind has a TF.js build hook', () => {
    expect(LAYERS.filter((d) => d.isLayer !== false && !d.build).map((d) => d.kind)).toEqual([]);
  });

  const templates = templateGraphs();
  const cases: [string, Graph | null][] = templates.length ? templates : [['(no templates yet)', null]];
  it.each(cases)('template %s', (_name, g) => {
    if (g) checkGraph(g);
  });

  it.each(extraGraphs())('%s', (_name, g) => checkGraph(g));

  it('200 random valid graphs', () => {
    const t0 = performance.now();
    for (let seed = 1; seed <= 200; seed++) {
      const g = randomValidGraph(seed);
      try {
        checkGraph(g);
      } catch (e) {
        throw new Error(`random graph seed ${seed} (${g.nodes.map((n) => n.kind).join(' → ')}): ${(e as Error).message}`);
      }
    }
    console.log(`200 random graphs: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  });
});
