/** Code generation: golden Python for the seed's models, compiling Python/JS for every template and 50 random graphs, SVG. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TEMPLATES } from '../../../templates/index.ts';
import { chain } from '../build.ts';
import { randomValidGraph } from '../random.ts';
import type { Graph } from '../types.ts';
import { toPython } from './python.ts';
import { toTfjs } from './tfjs.ts';
import { toSvg } from './svg.ts';

const dir = mkdtempSync(join(tmpdir(), 'unroll-codegen-'));
let fileNo = 0;

/** Compiles every Python file at once with py_compile; throws with the compiler's message. */
function pyCompile(sources: readonly string[]): void {
  const files = sources.map((s) => {
    const f = join(dir, `m${fileNo++}.py`);
    writeFileSync(f, s);
    return f;
  });
  execFileSync('python3', ['-m', 'py_compile', ...files], { stdio: 'pipe' });
}

function jsCheck(source: string): void {
  const f = join(dir, `m${fileNo++}.mjs`);
  writeFileSync(f, source);
  execFileSync(process.execPath, ['--check', f], { stdio: 'pipe' });
}

const code = (r: { ok: true; code: string } | { ok: false; error: string }) => {
  if (!r.ok) throw new Error(r.error);
  return r.code;
};

const sentiment = chain([
  { kind: 'Input', params: { shape: [null], dtype: 'int32' } },
  { kind: 'Embedding', params: { input_dim: 1000, output_dim: 2, mask_zero: true } },
  { kind: 'Bidirectional', params: { layer: { kind: 'LSTM', params: { units: 8 } } } },
  { kind: 'Dense', params: { units: 3, activation: 'softmax' } },
]);

describe('Python (Keras 3)', () => {
  it('the model lines of the course sentiment classifier, in a training script with the project\'s settings', () => {
    const s = code(toPython(sentiment, { name: 'lstm_classifier' }));
    expect(s).toContain(`def build_model(keras, layers):
    """The model as drawn in Unroll (Keras 3 functional API, the same layer names)."""
    input_layer = keras.Input(shape=(None,), dtype="int32", name="input_layer")
    embedding = layers.Embedding(1000, 2, mask_zero=True, name="embedding")(input_layer)
    bidirectional = layers.Bidirectional(layers.LSTM(8), name="bidirectional")(embedding)
    dense = layers.Dense(3, activation="softmax", name="dense")(bidirectional)
    return keras.Model(inputs=input_layer, outputs=dense, name=MODEL_NAME)
`);
    for (const line of ['MODEL_NAME = "lstm_classifier"', 'SEED = 42', 'EPOCHS = 5', 'BATCH_SIZE = 16', 'OPTIMIZER = "adam"', 'LEARNING_RATE = 0.001', 'LOSSES = ["sparse_categorical_crossentropy"]', 'DATA = None']) {
      expect(s).toContain(`\n${line}\n`);
    }
    expect(s).toContain('model.save(SAVE_TO)');
    expect(s).toContain('keras.distribution.DataParallel(devices=devices)');
  });

  it('the Sequential form of a chain, as the lesson writes it; a branch or a state output says why not', () => {
    const s = code(toPython(sentiment, { form: 'sequential' }));
    expect(s).toContain(`def build_model(keras, layers):
    """The model as drawn in Unroll (Keras 3 Sequential model, the same layer names)."""
    return keras.Sequential([
        keras.Input(shape=(None,), dtype="int32", name="input_layer"),
        layers.Embedding(1000, 2, mask_zero=True, name="embedding"),
        layers.Bidirectional(layers.LSTM(8), name="bidirectional"),
        layers.Dense(3, activation="softmax", name="dense"),
    ], name=MODEL_NAME)
`);
    expect(s).toContain('\nMODEL_NAME = "sequential"\n');
    expect(s).toContain('LOSSES = ["sparse_categorical_crossentropy"]');
    const ed = TEMPLATES.find((t) => t.id === 'encoder-decoder')!.project.graph;
    const r = toPython(ed, { form: 'sequential' });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(/^the model cannot be written as keras\.Sequential: /);
    pyCompile([s, ...TEMPLATES.map((t) => toPython(t.project.graph, { form: 'sequential' })).filter((x) => x.ok).map(code)]);
  });

  it('model lines: stacked SimpleRNN, LSTM with return_state, encoder–decoder initial_state, non-default learning rate', () => {
    const stacked = chain([
      { kind: 'Input', params: { shape: [32, 5] } },
      { kind: 'SimpleRNN', params: { units: 16, return_sequences: true } },
      { kind: 'SimpleRNN', params: { units: 8 } },
    ], { output: { loss: 'mean_squared_error' } });
    const s = code(toPython(stacked, { training: { optimizer: 'sgd', learning_rate: 0.05, metrics: ['mae'] } }));
    expect(s).toContain('    input_layer = keras.Input(shape=(32, 5), name="input_layer")\n    simple_rnn = layers.SimpleRNN(16, return_sequences=True, name="simple_rnn")(input_layer)\n    simple_rnn_1 = layers.SimpleRNN(8, name="simple_rnn_1")(simple_rnn)\n');
    expect(s).toContain('\nOPTIMIZER = "sgd"\nLEARNING_RATE = 0.05\n');
    expect(s).toContain('\nMETRICS = ["mae"]\n');
    const st = chain([{ kind: 'Input', params: { shape: [8, 4] } }, { kind: 'LSTM', params: { units: 6, return_sequences: true, return_state: true } }]);
    expect(code(toPython(st))).toContain('lstm, lstm_h, lstm_c = layers.LSTM(6, return_sequences=True, return_state=True, name="lstm")(input_layer)');
    const ed = code(toPython(TEMPLATES.find((t) => t.id === 'encoder-decoder')!.project.graph));
    expect(ed).toContain('(decoder_embedding, initial_state=[encoder_h, encoder_c])');
    expect(ed).toContain('inputs=[encoder_inputs, decoder_inputs]');
    expect(ed).toContain('history = model.fit([x_encoder_inputs, x_decoder_inputs], y_0,');
  });

  it('writes only parameters that differ from the Keras default', () => {
    const g = chain([
      { kind: 'Input', params: { shape: [null, 3] } },
      { kind: 'GRU', params: { units: 4, reset_after: false, recurrent_dropout: 0.1, kernel_initializer: 'he_uniform' } },
    ]);
    expect(code(toPython(g))).toContain('gru = layers.GRU(4, recurrent_dropout=0.1, reset_after=False, kernel_initializer="he_uniform", name="gru")(input_layer)');
  });

  it('every template and 50 random graphs compile with python3 -m py_compile', () => {
    const graphs: Graph[] = [...TEMPLATES.map((t) => t.project.graph), ...Array.from({ length: 50 }, (_, k) => randomValidGraph(k + 1))];
    const sources = graphs.map((g) => code(toPython(g)));
    expect(() => pyCompile(sources)).not.toThrow();
    expect(() => pyCompile(['x = (\n'])).toThrow(); // the check can fail
  });
});

describe('TF.js JavaScript', () => {
  it('sets Keras 3 defaults TF.js lacks, and explains GRU reset_after', () => {
    const js = code(toTfjs(sentiment));
    expect(js).toContain("tf.layers.bidirectional({layer: tf.layers.lstm({units: 8, recurrentActivation: 'sigmoid', unitForgetBias: true, kernelInitializer: 'glorotUniform'}), name: 'bidirectional'})");
    expect(js).toContain("tf.input({shape: [null], dtype: 'int32', name: 'input_layer'})");
    const gru = code(toTfjs(chain([{ kind: 'Input', params: { shape: [null, 3] } }, { kind: 'GRU', params: { units: 4 } }])));
    expect(gru).toMatch(/\/\/ NOTE: GRU reset_after=True[^\n]*\nconst gru = [^\n]*resetAfter: false/);
  });

  it('every template and 50 random graphs parse (node --check)', () => {
    for (const t of TEMPLATES) jsCheck(code(toTfjs(t.project.graph)));
    for (let k = 1; k <= 50; k++) jsCheck(code(toTfjs(randomValidGraph(k))));
    expect(() => jsCheck('const = 1;')).toThrow();
  });
});

/** A tiny well-formedness check: tags nest and close, attributes are quoted, no raw & or <. */
function wellFormed(svg: string): boolean {
  const stack: string[] = [];
  const re = /<(\/?)([A-Za-z][\w-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/g;
  let m: RegExpExecArray | null;
  let pos = 0;
  while ((m = re.exec(svg))) {
    if (m.index !== pos) return false;
    pos = re.lastIndex;
    if (m[5] !== undefined) {
      if (/&(?!(amp|lt|gt|quot|apos);)/.test(m[5])) return false;
      continue;
    }
    if (m[1]) { if (stack.pop() !== m[2]) return false; } else if (!m[4]) stack.push(m[2]);
  }
  return pos === svg.length && stack.length === 0;
}

describe('SVG', () => {
  it('is well-formed and shows names, classes, shapes, params and dashed masked wires', () => {
    const svg = toSvg(sentiment);
    expect(wellFormed(svg)).toBe(true);
    expect(wellFormed('<svg><g></svg>')).toBe(false);
    for (const s of ['bidirectional', 'Bidirectional', '(None, 16)', '704 params', '2,000 params', '(None, None, 2)', 'sparse_categorical_crossentropy']) expect(svg).toContain(s);
    // A wrapper shows the layer it wraps (the PNG export draws this picture).
    expect(svg).toContain('>Bidirectional(LSTM(8))</text>');
    expect(svg.match(/stroke-dasharray/g)).toHaveLength(1); // only embedding → bidirectional carries a mask
    expect(svg.match(/<g class="node"/g)).toHaveLength(5);
    for (const t of TEMPLATES) expect(wellFormed(toSvg(t.project.graph))).toBe(true);
    const named = { ...sentiment, nodes: sentiment.nodes.map((n, k) => (k === 1 ? { ...n, name: 'a<b&"c"' } : n)) };
    expect(wellFormed(toSvg(named))).toBe(true);
  });
});
