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
    conv.config.layers[1].class_name = 'AttentionLayer';
    expect(importKerasModel(JSON.stringify(conv))).toEqual({ ok: false, error: expect.stringMatching(/^2 layers "embedding" \(AttentionLayer\), "dense" \(Conv1D\) use classes Unroll does not have \(it offers InputLayer, /) });
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

describe('every model Keras accepts (issue 8 fixtures, totals and shapes as Keras reports them)', () => {
  /** Export to Keras 3 JSON, import that, and compare the summaries. */
  function reimport(r: ReturnType<typeof imported>) {
    const out = toKerasModel(r.graph, { name: r.name });
    if (!out.ok) throw new Error(out.error);
    const back = imported(out.text);
    return { back, text: out.text };
  }

  it('Keras 2.1 Sequential without an InputLayer feeding float32 into Embedding, hard_sigmoid gates', () => {
    const r = imported(fixture('imdb-lstm.keras2.1-sequential.json'));
    expect(r.kerasVersion).toBe('2.1.6');
    expect(r.keras2).toBe(true);
    expect(rows(r.graph, 'sequential')).toEqual({
      rows: ['embedding_1 (Embedding) (None, 80, 128) 2560000', 'lstm_1 (LSTM) (None, 128) 131584', 'dense_1 (Dense) (None, 1) 129'],
      trainable: 2_691_713, nonTrainable: 0,
    });
    expect(inferGraph(r.graph).issues).toEqual([]);
    expect(r.warnings).toContain('embedding_1 takes float32 ids from input_layer: Keras casts them to integers inside Embedding, and so does Unroll');
    expect(r.warnings).toContain('Keras 2.0–2.3 and TF.js semantics, as in the file (Keras 2.1.6): lstm_1 recurrent_activation hard_sigmoid = clip(0.2x + 0.5, 0, 1) (Keras 3: relu6(x + 3) / 6)');
    const s = summarize(r.graph, inferGraph(r.graph), { name: r.name, as: 'sequential' });
    expect(s.notes).toEqual([' Keras 2.0–2.3 and TF.js semantics: lstm_1 recurrent_activation hard_sigmoid = clip(0.2x + 0.5, 0, 1) (Keras 3: relu6(x + 3) / 6)']);
    // Keras 3 has no Keras 2 hard_sigmoid: the export says so and what to do.
    expect(toKerasModel(r.graph)).toEqual({ ok: false, error: expect.stringMatching(/^lstm_1: recurrent_activation is Keras 2's hard_sigmoid .* Convert the model to Keras 3 semantics first/) });
    const k3 = { ...r.graph, nodes: r.graph.nodes.map((n) => (n.params.recurrent_activation === 'hard_sigmoid_keras2' ? { ...n, params: { ...n.params, recurrent_activation: 'hard_sigmoid' } } : n)) };
    const { back } = reimport({ ...r, graph: k3 });
    expect(rows(back.graph)).toEqual(rows(k3));
    expect(back.keras2).toBe(false);
  });

  it('Keras 2 functional: float32 Input into a frozen Embedding; regularizers, a constraint and a mixed policy kept', () => {
    const r = imported(fixture('glove-frozen.keras2.9-functional.json'));
    expect(r.name).toBe('glove_classifier');
    expect(rows(r.graph)).toEqual({
      rows: ['input_1 (InputLayer) (None, None) 0', 'embedding (Embedding) (None, None, 100) 1000000', 'bidirectional (Bidirectional) (None, 128) 84480', 'dense (Dense) (None, 2) 258'],
      trainable: 84_738, nonTrainable: 1_000_000,
    });
    expect(r.warnings).toContain('kept, not used in the browser (written back on export): dense kernel_regularizer, dense activity_regularizer, dense kernel_constraint, dense dtype=mixed_float16');
    const { back, text } = reimport(r);
    expect(rows(back.graph)).toEqual(rows(r.graph));
    const dense = (JSON.parse(text).config.layers as { name: string; config: Record<string, unknown> }[]).find((l) => l.name === 'dense')!.config;
    expect(dense.kernel_regularizer).toEqual({ class_name: 'L1L2', config: { l1: 0, l2: 0.009999999776482582 } });
    expect(dense.kernel_constraint).toEqual({ class_name: 'MaxNorm', config: { max_value: 3, axis: 0 } });
    expect(dense.activity_regularizer).toEqual({ class_name: 'L1L2', config: { l1: 9.999999747378752e-6, l2: 0 } });
    expect(dense.dtype).toEqual({ module: 'keras', class_name: 'DTypePolicy', config: { name: 'mixed_float16' }, registered_name: null });
    // time_major (Keras 2 only) is not written into the Keras 3 file; implementation is kept in the project.
    expect(text).not.toContain('time_major');
  });

  it('a 30,000-unit TimeDistributed(Dense): no limit, a size warning', () => {
    const r = imported(fixture('word-lm-30k.keras3.6.json'));
    expect(rows(r.graph)).toEqual({
      rows: ['tokens (InputLayer) (None, None) 0', 'embedding (Embedding) (None, None, 256) 7680000', 'lstm (LSTM) (None, None, 512) 1574912', 'time_distributed (TimeDistributed) (None, None, 30000) 15390000'],
      trainable: 24_644_912, nonTrainable: 0,
    });
    const inf = inferGraph(r.graph);
    expect(inf.hasErrors).toBe(false);
    expect(inf.issues.map((i) => i.code)).toEqual(['model-large']);
    expect(inf.issues[0].message).toMatch(/^A large model: 24\.64 M parameters \(94\.01 MB of weights\)/);
    const { back, text } = reimport(r);
    expect(rows(back.graph)).toEqual(rows(r.graph));
    expect(JSON.parse(text).compile_config.loss).toBe('sparse_categorical_crossentropy');
  });

  it('Keras 3.0 OrthogonalInitializer, a string dtype, names that start with digits or hold - and /', () => {
    const r = imported(fixture('digit-names-orthogonal.keras3.0.json'));
    expect(r.name).toBe('1st_model');
    expect(rows(r.graph)).toEqual({
      rows: ['0_sequence (InputLayer) (None, 20, 6) 0', '1st_gru (GRU) (None, 20, 24) 2304', '2nd_gru (GRU) (None, 12) 1368', 'dense-1/out (Dense) (None, 3) 39'],
      trainable: 3711, nonTrainable: 0,
    });
    expect(r.warnings).toEqual([]);
    expect(r.graph.nodes.find((n) => n.name === '1st_gru')!.params.recurrent_initializer).toBe('orthogonal');
    expect(inferGraph(r.graph).issues.map((i) => i.code)).toEqual(['name-slash']);
    // Keras 3 refuses "/" in names: the file names that layer dense-1_out; nothing else changes.
    const { back } = reimport(r);
    const renamed = rows(r.graph);
    expect(rows(back.graph)).toEqual({ ...renamed, rows: renamed.rows.map((x) => x.replace('dense-1/out', 'dense-1_out')) });
  });

  it('four inputs listed in another order than their layers, one unused: order and the unused input kept', () => {
    const r = imported(fixture('four-inputs-unused.keras3.json'));
    expect(r.graph.nodes.filter((n) => n.kind === 'Input').map((n) => n.name)).toEqual(['meta', 'words', 'spare', 'prices']);
    expect(rows(r.graph)).toEqual({
      rows: [
        'words (InputLayer) (None, None) 0', 'word_embedding (Embedding) (None, None, 32) 160000', 'not_equal (NotEqual) (None, None) 0',
        'prices (InputLayer) (None, 30, 2) 0', 'word_lstm (LSTM) (None, 16) 3136', 'price_gru (GRU) (None, 8) 288', 'meta (InputLayer) (None, 5) 0',
        'concatenate (Concatenate) (None, 29) 0', 'spare (InputLayer) (None, 7) 0', 'head (Dense) (None, 1) 30',
      ],
      trainable: 163_454, nonTrainable: 0,
    });
    expect(r.warnings).toContain("input spare feeds no layer: it stays one of the model's inputs, as in the file, and is ignored");
    const inf = inferGraph(r.graph);
    expect(inf.issues.map((i) => [i.code, i.severity])).toEqual([['input-unused', 'warning']]);
    const { back, text } = reimport(r);
    expect(JSON.parse(text).config.input_layers).toEqual([['meta', 0, 0], ['words', 0, 0], ['spare', 0, 0], ['prices', 0, 0]]);
    expect(rows(back.graph)).toEqual(rows(r.graph));
    expect(back.graph.nodes.filter((n) => n.kind === 'Input').map((n) => n.name)).toEqual(['meta', 'words', 'spare', 'prices']);
  });

  it('two custom classes are named in one message', () => {
    expect(importKerasModel(fixture('custom-classes.keras2.6.json'))).toEqual({
      ok: false,
      error: expect.stringMatching(/^2 layers "attention_with_context" \(AttentionWithContext\), "crf" \(CRF\) use classes Unroll does not have \(it offers InputLayer, Embedding, /),
    });
  });

  it('every initializer, regularizer and dtype-policy spelling from Keras 2.0 to 3.x', () => {
    const base = JSON.parse(fixture('imdb-lstm.keras2.1-sequential.json'));
    const spellings: [unknown, string][] = [
      ['glorot_uniform', 'glorot_uniform'], ['glorotUniform', 'glorot_uniform'], [{ class_name: 'GlorotUniform', config: { seed: null } }, 'glorot_uniform'],
      [{ class_name: 'VarianceScaling', config: { scale: 2.0, mode: 'fan_in', distribution: 'truncated_normal', seed: null } }, 'he_normal'],
      [{ class_name: 'VarianceScaling', config: { scale: 1.0, mode: 'fan_avg', distribution: 'normal', seed: null } }, 'glorot_normal'],
      [{ class_name: 'VarianceScaling', config: { scale: 1.0, mode: 'fan_in', distribution: 'uniform', seed: null } }, 'lecun_uniform'],
      [{ module: 'keras.initializers', class_name: 'OrthogonalInitializer', config: { gain: 1.0, seed: null }, registered_name: null }, 'orthogonal'],
      [{ class_name: 'RandomUniform', config: { minval: -0.05, maxval: 0.05, seed: null } }, 'random_uniform'],
      ['uniform', 'uniform'], ['normal', 'random_normal'], ['zero', 'zeros'], ['one', 'ones'], ['lecun_normal', 'lecun_normal'],
    ];
    for (const [v, want] of spellings) {
      const doc = structuredClone(base);
      doc.config[1].config.kernel_initializer = v;
      const r = imported(JSON.stringify(doc));
      expect([v, r.graph.nodes.find((n) => n.name === 'lstm_1')!.params.kernel_initializer]).toEqual([v, want]);
      expect(r.warnings.join()).not.toMatch(/kernel_initializer/);
    }
    // Settings Unroll does not draw with are kept (and said once); so are classes it lacks.
    const odd = structuredClone(base);
    odd.config[1].config.kernel_initializer = { class_name: 'RandomUniform', config: { minval: -0.1, maxval: 0.1, seed: null } };
    odd.config[1].config.bias_initializer = { class_name: 'Constant', config: { value: 0.5 } };
    odd.config[1].config.kernel_regularizer = { class_name: 'L1L2', config: { l1: 0.001, l2: 0.0 } };
    odd.config[1].config.recurrent_constraint = { class_name: 'UnitNorm', config: { axis: 0 } };
    odd.config[1].config.stateful = true;
    odd.config[0].config.batch_input_shape = [32, 80];
    const r = imported(JSON.stringify(odd));
    expect(r.warnings).toContain('kept, not used in the browser (written back on export): lstm_1 kernel_initializer=RandomUniform, lstm_1 bias_initializer=Constant, lstm_1 stateful=True, lstm_1 kernel_regularizer, lstm_1 recurrent_constraint');
    const k3 = { ...r.graph, nodes: r.graph.nodes.map((n) => (n.name === 'lstm_1' ? { ...n, params: { ...n.params, recurrent_activation: 'sigmoid' } } : n)) };
    const out = toKerasModel(k3);
    if (!out.ok) throw new Error(out.error);
    const c = (JSON.parse(out.text).config.layers as { name: string; config: Record<string, unknown> }[]).find((l) => l.name === 'lstm_1')!.config;
    expect(c).toMatchObject({
      kernel_initializer: { class_name: 'RandomUniform', config: { minval: -0.1, maxval: 0.1, seed: null } },
      bias_initializer: { class_name: 'Constant', config: { value: 0.5 } },
      kernel_regularizer: { class_name: 'L1L2', config: { l1: 0.001, l2: 0 } },
      recurrent_constraint: { class_name: 'UnitNorm', config: { axis: 0 } },
      stateful: true,
    });
    // Three dtype-policy forms read the same.
    for (const dtype of ['float32', { class_name: 'Policy', config: { name: 'float32' } }, { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null }, { module: 'keras', class_name: 'FloatDTypePolicy', config: { name: 'float32' }, registered_name: null }]) {
      const doc = structuredClone(base);
      doc.config[2].config.dtype = dtype;
      expect(imported(JSON.stringify(doc)).warnings.join()).not.toMatch(/dtype/);
    }
  });
});
