/** Keras JSON export and import: exact configs, round trips, hand-written Keras/TF.js fixtures, errors. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TEMPLATES } from '../../../templates/index.ts';
import { chain, nodeByName } from '../build.ts';
import { connect } from '../edit.ts';
import { inferGraph } from '../infer.ts';
import { randomValidGraph } from '../random.ts';
import { summarize } from '../summary.ts';
import type { Graph } from '../types.ts';
import { toKerasJson, toKerasModel } from './export.ts';
import { importKerasModel } from './import.ts';
import { loadAnyModelFile } from './cli.ts';

const fixture = (f: string) => readFileSync(new URL(`./fixtures/${f}`, import.meta.url), 'utf8');

function imported(text: string) {
  const r = importKerasModel(text);
  if (!r.ok) throw new Error(r.error);
  return r;
}

/** Rows as Keras prints them: name (Class), shape, params. */
function rows(g: Graph, as: 'functional' | 'sequential' = 'functional') {
  const s = summarize(g, inferGraph(g), { as });
  return { rows: s.rows.map((r) => `${r.name} (${r.kerasClass}) ${r.outputShape} ${r.params}`), trainable: s.trainable, nonTrainable: s.nonTrainable };
}

function roundTrip(g: Graph, name = 'm') {
  const a = toKerasModel(g, { name });
  if (!a.ok) throw new Error(a.error);
  const b = imported(a.text);
  const c = toKerasModel(b.graph, { name: b.name });
  expect(c.ok && c.text).toBe(a.text);
  expect(rows(b.graph)).toEqual(rows(g));
}

describe('Keras 3 export', () => {
  const lstm = chain([{ kind: 'Input', params: { shape: [8, 4] } }, { kind: 'LSTM', params: { units: 6, return_sequences: true, return_state: true } }]);

  it('writes the Functional wrapper, InputLayer and a full LSTM get_config() as Keras 3.16 does', () => {
    const r = toKerasJson(lstm, { name: 'lstm2' });
    if (!r.ok) throw new Error(r.error);
    const { config, ...top } = r.json as Record<string, unknown> & { config: { layers: Record<string, unknown>[] } };
    expect(top).toMatchObject({ module: 'keras.src.models.functional', class_name: 'Functional', registered_name: 'Functional', build_config: { input_shape: null } });
    expect(config.layers[0]).toEqual({
      module: 'keras.layers', class_name: 'InputLayer', registered_name: null, name: 'input_layer', inbound_nodes: [],
      config: { batch_shape: [null, 8, 4], dtype: 'float32', sparse: false, ragged: false, name: 'input_layer', optional: false },
    });
    const l = config.layers[1] as { config: Record<string, unknown>; inbound_nodes: unknown; build_config: unknown };
    expect(Object.keys(l.config)).toEqual([
      'name', 'trainable', 'dtype', 'return_sequences', 'return_state', 'go_backwards', 'stateful', 'unroll', 'zero_output_for_mask',
      'units', 'activation', 'recurrent_activation', 'use_bias', 'kernel_initializer', 'recurrent_initializer', 'bias_initializer',
      'unit_forget_bias', 'kernel_regularizer', 'recurrent_regularizer', 'bias_regularizer', 'activity_regularizer', 'kernel_constraint',
      'recurrent_constraint', 'bias_constraint', 'dropout', 'recurrent_dropout', 'seed',
    ]);
    expect(l.config.recurrent_initializer).toEqual({ module: 'keras.initializers', class_name: 'Orthogonal', config: { seed: null, gain: 1 }, registered_name: null });
    expect(l.build_config).toEqual({ input_shape: [null, 8, 4] });
    expect(l.inbound_nodes).toEqual([{ args: [{ class_name: '__keras_tensor__', config: { shape: [null, 8, 4], dtype: 'float32', keras_history: ['input_layer', 0, 0] } }], kwargs: { mask: null } }]);
    expect(config).toMatchObject({ input_layers: ['input_layer', 0, 0], output_layers: ['lstm', 0, 0] });
  });

  it('passes initial_state as kwargs and records both shapes in build_config; orders layers by depth', () => {
    const t = TEMPLATES.find((x) => x.id === 'encoder-decoder')!;
    const r = toKerasJson(t.project.graph);
    if (!r.ok) throw new Error(r.error);
    const layers = (r.json.config as { layers: { name: string; inbound_nodes: { kwargs: Record<string, unknown> }[]; build_config?: unknown }[] }).layers;
    expect(layers.map((l) => l.name)).toEqual(['encoder_inputs', 'decoder_inputs', 'encoder_embedding', 'decoder_embedding', 'encoder', 'decoder', 'next_token']);
    const dec = layers.find((l) => l.name === 'decoder')!;
    expect(Object.keys(dec.inbound_nodes[0].kwargs)).toEqual(['initial_state']);
    expect(JSON.stringify(dec.inbound_nodes[0].kwargs.initial_state)).toContain('["encoder",0,1]');
    expect(dec.build_config).toEqual({ shapes_dict: { sequences_shape: [null, null, 32], initial_state_shape: [[null, 64], [null, 64]] } });
    expect((r.json.config as { input_layers: unknown }).input_layers).toEqual([['encoder_inputs', 0, 0], ['decoder_inputs', 0, 0]]);
  });

  it('writes Bidirectional with forward_/backward_ layers and zero_output_for_mask = return_sequences', () => {
    const g = chain([{ kind: 'Input', params: { shape: [64, 7] } }, { kind: 'Bidirectional', params: { layer: { kind: 'SimpleRNN', params: { units: 16, return_sequences: true } } } }]);
    const r = toKerasJson(g);
    if (!r.ok) throw new Error(r.error);
    const c = (r.json.config as { layers: { config: Record<string, { config: Record<string, unknown> }> }[] }).layers[1].config;
    expect(c.layer.config).toMatchObject({ name: 'forward_simple_rnn', go_backwards: false, zero_output_for_mask: true });
    expect(c.backward_layer.config).toMatchObject({ name: 'backward_simple_rnn', go_backwards: true, zero_output_for_mask: true });
    expect('seed' in c.layer.config).toBe(false); // SimpleRNN.get_config() has no seed
  });

  it('refuses graphs with errors or without an Output', () => {
    expect(toKerasJson(chain([{ kind: 'Input' }], { output: false }))).toMatchObject({ ok: false });
    expect(toKerasJson(chain([{ kind: 'Input', params: { shape: [5] } }, { kind: 'LSTM' }]))).toMatchObject({ ok: false, error: expect.stringContaining('lstm') });
  });
});

describe('export → import → export gives the same file', () => {
  for (const t of TEMPLATES) it(`template ${t.id}`, () => roundTrip(t.project.graph, t.id));

  it('hand-built graphs: merges, frozen layers, several outputs, GRU reset_after=False, states as outputs', () => {
    let g = chain([
      { kind: 'Input', params: { shape: [null, 6], batch_size: 4 } },
      { kind: 'Masking', params: { mask_value: -1 } },
      { kind: 'GRU', params: { units: 5, return_sequences: true, return_state: true, reset_after: false, kernel_initializer: 'he_normal' } },
      { kind: 'Dropout', params: { rate: 0.25 } },
      { kind: 'GlobalAveragePooling1D' },
      { kind: 'Dense', params: { units: 2, activation: 'sigmoid', trainable: false } },
    ], { output: { loss: 'binary_crossentropy' } });
    g = { ...g, nodes: g.nodes.map((n) => (n.name === 'dense' ? { ...n, params: { ...n.params, trainable: false } } : n)) };
    roundTrip(g);
    expect(rows(g).nonTrainable).toBe(12);
    const states = chain([{ kind: 'Input', params: { shape: [8, 4] } }, { kind: 'LSTM', params: { units: 6, return_state: true } }], { output: false });
    const lstm = nodeByName(states, 'lstm');
    let s = chain([{ kind: 'Output', name: 'out_h' }], { output: false });
    s = { nodes: [...states.nodes, { ...s.nodes[0], id: 'o1' }, { ...s.nodes[0], id: 'o2', name: 'out_c' }], edges: states.edges };
    s = connect(connect(s, { source: lstm.id, sourcePort: 'h', target: 'o1', targetPort: 'input' }), { source: lstm.id, sourcePort: 'c', target: 'o2', targetPort: 'input' });
    roundTrip(s);
  });

  it('50 random valid graphs', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const g = randomValidGraph(seed);
      if (!toKerasModel(g).ok) continue;
      roundTrip(g, `random_${seed}`);
    }
  });
});

describe('import of hand-written Keras and TF.js files (expected summaries from Keras 3)', () => {
  it('Keras 3 functional sentiment model (with the not_equal mask op Keras records)', () => {
    const r = imported(fixture('sentiment.keras3.json'));
    expect(r.name).toBe('sentiment');
    expect(rows(r.graph)).toEqual({
      // The not_equal row is the mask operation Keras records (and lists) in a functional model.
      rows: ['input_layer (InputLayer) (None, None) 0', 'embedding (Embedding) (None, None, 2) 2000', 'not_equal (NotEqual) (None, None) 0', 'bidirectional (Bidirectional) (None, 16) 704', 'dense (Dense) (None, 3) 51'],
      trainable: 2755, nonTrainable: 0,
    });
    expect(r.graph.nodes.find((n) => n.kind === 'Output')!.params.loss).toBe('sparse_categorical_crossentropy');
    expect(r.warnings.join()).toContain('not_equal');
  });

  it('Keras 2 Sequential with batch_input_shape on its first layer', () => {
    const r = imported(fixture('stacked-rnn.keras2-sequential.json'));
    expect(r.sequential).toBe(true);
    expect(rows(r.graph, 'sequential')).toEqual({ rows: ['simple_rnn (SimpleRNN) (None, 32, 16) 352', 'simple_rnn_1 (SimpleRNN) (None, 8) 200'], trainable: 552, nonTrainable: 0 });
  });

  it('Keras 3 LSTM whose outputs include its states', () => {
    const r = imported(fixture('lstm-return-state.keras3.json'));
    expect(rows(r.graph).rows[1]).toBe('lstm (LSTM) [(None, 8, 6), (None, 6), (None, 6)] 264');
    expect(r.graph.nodes.filter((n) => n.kind === 'Output').length).toBe(3);
  });

  it('TF.js model.json: states as extra inbound tensors, fixed batch, frozen Dense, training_config loss', () => {
    const r = imported(fixture('encoder-decoder.tfjs-model.json'));
    expect(rows(r.graph)).toEqual({
      rows: ['encoder_in (InputLayer) (8, None, 3) 0', 'decoder_in (InputLayer) (8, None, 4) 0', 'encoder (LSTM) [(8, 5), (8, 5), (8, 5)] 180', 'decoder (LSTM) (8, None, 5) 200', 'next (Dense) (8, None, 4) 24'],
      trainable: 380, nonTrainable: 24,
    });
    expect(r.graph.edges.filter((e) => e.targetPort === 'h' || e.targetPort === 'c')).toHaveLength(2);
    expect(r.graph.nodes.find((n) => n.kind === 'Output')!.params.loss).toBe('categorical_crossentropy');
    expect(toKerasModel(r.graph).ok).toBe(true);
  });

  it('Bidirectional with a non-mirrored backward_layer, unknown classes and broken files give one clear error', () => {
    const bad = JSON.parse(fixture('sentiment.keras3.json'));
    bad.config.layers[3].config.backward_layer.config.units = 4;
    expect(importKerasModel(JSON.stringify(bad))).toEqual({ ok: false, error: expect.stringMatching(/bidirectional.*backward_layer.*units/) });
    const conv = JSON.parse(fixture('sentiment.keras3.json'));
    conv.config.layers[4].class_name = 'Conv1D';
    expect(importKerasModel(JSON.stringify(conv))).toEqual({ ok: false, error: expect.stringMatching(/dense.*Conv1D is not a layer Unroll supports/) });
    const units = JSON.parse(fixture('sentiment.keras3.json'));
    units.config.layers[4].config.units = 'three';
    expect(importKerasModel(JSON.stringify(units))).toEqual({ ok: false, error: expect.stringMatching(/layer "dense" \(Dense\): units/) });
    expect(importKerasModel('{')).toMatchObject({ ok: false });
    expect(importKerasModel('{"class_name": "Functional", "config": {"layers": 3}}')).toEqual({ ok: false, error: expect.stringContaining('config.layers') });
    expect(importKerasModel('[1]')).toMatchObject({ ok: false });
  });
});

describe('loadAnyModelFile', () => {
  it('tells project files from Keras and TF.js files', () => {
    const p = loadAnyModelFile(JSON.stringify(TEMPLATES[0].project), 'sentiment.unroll.json');
    expect(p).toMatchObject({ ok: true, source: 'project', name: TEMPLATES[0].project.name });
    expect(loadAnyModelFile(fixture('encoder-decoder.tfjs-model.json'), 'model.json')).toMatchObject({ ok: true, source: 'keras', name: 'seq2seq' });
    expect(loadAnyModelFile('{"hello": 1}', 'x.json')).toEqual({ ok: false, error: expect.stringContaining('x.json: not a project file') });
  });
});
