/**
 * JavaScript (an ES module) that builds the same model with `tf.input`, `tf.layers.*` and `tf.model`.
 * TF.js defaults differ from Keras 3 (recurrentActivation hardSigmoid, kernelInitializer glorotNormal,
 * unitForgetBias off), so those are always written out with Keras 3's values.
 *
 * GRU: stock TF.js has only reset_after=False (its constructor throws for true). The generated code
 * uses `resetAfter: false` and says so in a comment: the layer then has 3u(i+u+1) parameters
 * instead of Keras 3's default 3u(i+u+2), and its weights cannot be exchanged with a Keras 3 GRU.
 * Unsupported activations are written with a comment naming the problem (TF.js throws on them).
 */
import { getLayer } from '../registry.ts';
import { callArgs } from '../keras/export.ts';
import type { GraphNode, ParamValue } from '../types.ts';
import type { Graph } from '../types.ts';
import { codeModel, constructorArgs, innerLayer, type CodeModel } from './common.ts';
import type { CodeOptions, CodeResult } from './python.ts';
import { jsComment, jsNum, jsStr } from './literals.ts';

/** Parameters whose TF.js default differs from Keras 3: always written. */
const EXPLICIT = new Set(['recurrent_activation', 'kernel_initializer', 'unit_forget_bias', 'reset_after']);

const ACTIVATION: Record<string, string> = {
  hard_sigmoid: 'hardSigmoid', silu: 'swish', relu6: 'relu6', leaky_relu: 'leakyRelu', log_softmax: 'logSoftmax',
  hard_sigmoid_keras2: 'hardSigmoid', // Keras 2's hard_sigmoid is TF.js's own: exact
};
const NOT_IN_TFJS = new Set(['exponential', 'leaky_relu', 'log_softmax']);

const INITIALIZER: Record<string, string> = {
  glorot_uniform: 'glorotUniform', glorot_normal: 'glorotNormal', he_uniform: 'heUniform', he_normal: 'heNormal',
  lecun_uniform: 'leCunUniform', lecun_normal: 'leCunNormal', orthogonal: 'orthogonal', zeros: 'zeros', ones: 'ones',
  random_uniform: 'randomUniform', uniform: 'randomUniform', random_normal: 'randomNormal', truncated_normal: 'truncatedNormal',
};

const LOSS: Record<string, string> = {
  sparse_categorical_crossentropy: 'sparseCategoricalCrossentropy', categorical_crossentropy: 'categoricalCrossentropy',
  binary_crossentropy: 'binaryCrossentropy', mean_squared_error: 'meanSquaredError', mean_absolute_error: 'meanAbsoluteError',
};

/** tf.layers factory names that are not the class name with a lower-case first letter. */
const FACTORY: Record<string, string> = { LSTM: 'lstm', GRU: 'gru', SimpleRNN: 'simpleRNN', GlobalAveragePooling1D: 'globalAveragePooling1d' };

function camel(s: string): string {
  return s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function js(v: ParamValue | undefined): string {
  if (v === undefined || v === null) return 'null';
  if (typeof v === 'string') return jsStr(v);
  if (typeof v === 'number') return jsNum(v);
  if (Array.isArray(v)) return `[${v.map((x) => js(x)).join(', ')}]`;
  if (typeof v === 'object') return `{${Object.entries(v).map(([k, x]) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : jsStr(k)}: ${js(x as ParamValue)}`).join(', ')}}`;
  return String(v);
}

/** `tf.layers.lstm({units: 8, …})`; comments about TF.js gaps go to `notes`. */
function constructor(kind: string, params: Record<string, ParamValue | undefined>, extra: string[], notes: string[]): string {
  const def = getLayer(kind)!;
  const parts = constructorArgs(kind, params, EXPLICIT).map((a) => {
    const spec = def.params.find((s) => s.name === a.name)!;
    let value = js(a.value);
    if (spec.type === 'layer') {
      const inner = innerLayer(a.value);
      value = constructor(inner.kind, inner.params, inner.name ? [`name: ${js(inner.name)}`] : [], notes);
    } else if (a.name.endsWith('_initializer')) value = js(INITIALIZER[String(a.value)] ?? String(a.value));
    else if (a.name.endsWith('activation') && typeof a.value === 'string') {
      if (NOT_IN_TFJS.has(a.value)) notes.push(`activation '${a.value}' is not in stock TF.js: this line throws until you register a custom activation`);
      if (a.value === 'hard_sigmoid') notes.push("TF.js hardSigmoid is clip(0.2x + 0.5), not Keras 3's relu6(x + 3) / 6");
      value = js(ACTIVATION[a.value] ?? a.value);
    } else if (a.name === 'reset_after' && a.value === true) {
      notes.push('GRU reset_after=True (Keras 3 default) is not in stock TF.js: using resetAfter: false (3u(i+u+1) params, not 3u(i+u+2))');
      value = 'false';
    }
    return `${camel(a.name)}: ${value}`;
  });
  const fn = FACTORY[def.kerasClass] ?? def.kerasClass.charAt(0).toLowerCase() + def.kerasClass.slice(1);
  return `tf.layers.${fn}({${[...parts, ...extra].join(', ')}})`;
}

function layerLines(cm: CodeModel, n: GraphNode): string[] {
  const outs = cm.outputVars(n);
  const lhs = outs.length === 1 ? outs[0] : `[${outs.join(', ')}]`;
  if (n.kind === 'Input') {
    const opts = [`shape: ${js(n.params.shape as ParamValue)}`];
    if (n.params.dtype && n.params.dtype !== 'float32') opts.push(`dtype: ${js(n.params.dtype)}`);
    if (n.params.batch_size) opts.push(`batchSize: ${js(n.params.batch_size as ParamValue)}`);
    return [`const ${lhs} = tf.input({${[...opts, `name: ${js(n.name)}`].join(', ')}});`];
  }
  const { main, merge, states } = callArgs(cm.view, n);
  const notes: string[] = [];
  const extra = [...(n.params.trainable === false ? ['trainable: false'] : []), `name: ${js(n.name)}`];
  const ctor = constructor(n.kind, n.params, extra, notes);
  const x = merge ? `[${main.map((r) => cm.tensorVar(r)).join(', ')}]` : cm.tensorVar(main[0]);
  const init = states.length ? `, {initialState: [${states.map((r) => cm.tensorVar(r)).join(', ')}]}` : '';
  const type = outs.length === 1 ? 'tf.SymbolicTensor' : 'tf.SymbolicTensor[]';
  return [...notes.map((m) => `// NOTE: ${jsComment(m)}.`), `const ${lhs} = /** @type {${type}} */ (${ctor}.apply(${x}${init}));`];
}

const OPTIMIZER: Record<string, [string, number]> = { adam: ['adam', 0.001], sgd: ['sgd', 0.01], rmsprop: ['rmsprop', 0.001], adagrad: ['adagrad', 0.001] };

/** The TF.js module text. */
export function toTfjs(graph: Graph, opts: CodeOptions = {}): CodeResult {
  const cm = codeModel(graph);
  if (typeof cm === 'string') return { ok: false, error: cm };
  const t = opts.training ?? {};
  const [fn, lr0] = OPTIMIZER[t.optimizer ?? 'adam'];
  const list = (xs: string[]) => (xs.length === 1 ? xs[0] : `[${xs.join(', ')}]`);
  // TF.js needs a loss for every output of the model it compiles: outputs with loss none are left
  // out of a training model that shares the layers (and weights) of `model`.
  const trained = cm.view.outputs.filter((o) => o.loss !== 'none');
  const partial = trained.length > 0 && trained.length < cm.view.outputs.length;
  const losses = trained.map((o) => js(LOSS[o.loss] ?? o.loss));
  const weighted = trained.some((o) => o.weight !== 1);
  const lines = [
    `// ${jsComment(opts.name ?? 'functional')}: the model exported from Unroll, for TensorFlow.js 4.`,
    '// Keras 3 defaults are written out where TF.js defaults differ.',
    "import * as tf from '@tensorflow/tfjs';",
    '',
    ...cm.view.layers.flatMap((n) => layerLines(cm, n)),
    '',
    `export const model = tf.model({inputs: ${list(cm.view.inputs.map((n) => cm.outputVars(n)[0]))}, outputs: ${list(cm.view.outputs.map((o) => cm.tensorVar(o.tensor)))}, name: ${js(opts.name ?? 'functional')}});`,
    'model.summary();',
    ...(partial ? [`export const trainModel = tf.model({inputs: model.inputs, outputs: ${list(trained.map((o) => cm.tensorVar(o.tensor)))}});  // the outputs with a loss`] : []),
    ...(weighted ? [`// Keras loss_weights ${list(trained.map((o) => jsNum(o.weight)))}: TF.js 4 ignores lossWeights; scale the losses in a custom loss to match.`] : []),
    `${partial ? 'trainModel' : 'model'}.compile({optimizer: tf.train.${fn}(${jsNum(t.learning_rate ?? lr0)}), loss: ${list(losses)}, metrics: [${(t.metrics ?? ['accuracy']).map((m) => js(m)).join(', ')}]});`,
    '',
  ];
  return { ok: true, code: lines.join('\n') };
}
