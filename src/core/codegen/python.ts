/**
 * A runnable Keras 3 script for a graph: the functional model with the same layer names and every
 * parameter that differs from the Keras default (and nothing else), `model.summary()`, the compile
 * call (losses from the Output nodes; optimizer, learning rate and metrics from the training
 * settings) and a `fit` on placeholder numpy arrays of the right shapes and dtypes.
 *
 *   const r = toPython(graph, { name: 'sentiment', training: project.training });
 */
import { getLayer } from '../registry.ts';
import { callArgs } from '../keras/export.ts';
import type { TrainingSettings } from '../project.ts';
import type { GraphNode, ParamValue } from '../types.ts';
import type { Graph } from '../types.ts';
import { codeModel, concreteShape, constructorArgs, innerLayer, tokenLimit, type CodeModel } from './common.ts';
import { pyDocstring, pyNum, pyStr } from './literals.ts';

export interface CodeOptions {
  readonly name?: string;
  readonly training?: Partial<TrainingSettings>;
}

export type CodeResult = { ok: true; code: string } | { ok: false; error: string };

/** A Python literal: True/False/None, quoted strings, tuples for shapes. */
export function py(v: ParamValue | undefined, asTuple = false): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return pyNum(v);
  if (typeof v === 'string') return pyStr(v);
  if (Array.isArray(v)) {
    const items = v.map((x) => py(x));
    return asTuple ? `(${items.join(', ')}${items.length === 1 ? ',' : ''})` : `[${items.join(', ')}]`;
  }
  return `{${Object.entries(v).map(([k, x]) => `${pyStr(k)}: ${py(x as ParamValue)}`).join(', ')}}`;
}

/** `layers.LSTM(8, return_sequences=True)` for a kind and its parameters. */
function constructor(kind: string, params: Record<string, ParamValue | undefined>, extra: string[] = []): string {
  const def = getLayer(kind)!;
  const args = constructorArgs(kind, params).map((a) => {
    const spec = def.params.find((s) => s.name === a.name)!;
    let value: string;
    if (spec.type === 'layer') {
      const inner = innerLayer(a.value);
      const innerDef = getLayer(inner.kind)!;
      const named = inner.name && inner.name !== innerDef.defaultName ? [`name=${py(inner.name)}`] : [];
      value = constructor(inner.kind, inner.params, named);
    } else value = py(a.value, spec.type === 'shape');
    return a.positional ? value : `${a.name}=${value}`;
  });
  return `layers.${def.kerasClass}(${[...args, ...extra].join(', ')})`;
}

function layerLine(cm: CodeModel, n: GraphNode): string {
  const outs = cm.outputVars(n);
  const lhs = outs.length === 1 ? outs[0] : outs.join(', ');
  if (n.kind === 'Input') {
    const shape = py(n.params.shape as ParamValue, true);
    const extra = [n.params.dtype && n.params.dtype !== 'float32' ? `dtype=${py(n.params.dtype)}` : '', n.params.batch_size ? `batch_size=${py(n.params.batch_size as ParamValue)}` : ''];
    return `${lhs} = keras.Input(shape=${shape}${extra.filter(Boolean).map((e) => `, ${e}`).join('')}, name=${py(n.name)})`;
  }
  const { main, merge, states } = callArgs(cm.view, n);
  const extra = [...(n.params.trainable === false ? ['trainable=False'] : []), `name=${py(n.name)}`];
  const x = merge ? `[${main.map((r) => cm.tensorVar(r)).join(', ')}]` : cm.tensorVar(main[0]);
  const init = states.length ? `, initial_state=[${states.map((r) => cm.tensorVar(r)).join(', ')}]` : '';
  return `${lhs} = ${constructor(n.kind, n.params, extra)}(${x}${init})`;
}

const DEFAULT_LR: Record<string, number> = { adam: 0.001, sgd: 0.01, rmsprop: 0.001, adagrad: 0.001 };
const OPTIMIZER_CLASS: Record<string, string> = { adam: 'Adam', sgd: 'SGD', rmsprop: 'RMSprop', adagrad: 'Adagrad' };

/** A Python tuple of sizes after the example count `n`: `(n,)`, `(n, 20, 5)`. */
function sizes(dims: readonly number[]): string {
  return dims.length ? `(n, ${dims.join(', ')})` : '(n,)';
}

function list(items: string[]): string {
  return items.length === 1 ? items[0] : `[${items.join(', ')}]`;
}

/** Placeholder arrays for the inputs and targets, with comments saying what real data must look like. */
function dataLines(cm: CodeModel, batch: number): string[] {
  const fixed = cm.view.inputs.map((n) => n.params.batch_size).find((b) => typeof b === 'number') as number | undefined;
  const lines = [
    '# --- Data -------------------------------------------------------------------',
    '# Placeholder arrays of the right shapes and dtypes: replace them with your data',
    '# (load with numpy or pandas). Free axes (None) are given 20 steps here.',
    `n = ${pyNum(fixed ? fixed * 8 : batch * 8)}  # number of examples`,
    'rng = np.random.default_rng(0)',
  ];
  for (const n of cm.view.inputs) {
    const shape = concreteShape(cm.view.inference.tensor(n.id, 'output')!.shape);
    const size = sizes(shape);
    lines.push(n.params.dtype === 'int32'
      ? `x_${cm.outputVars(n)[0]} = rng.integers(1, ${tokenLimit(cm, n)}, size=${size}).astype("int32")  # token ids; 0 is padding`
      : `x_${cm.outputVars(n)[0]} = rng.normal(size=${size}).astype("float32")`);
  }
  cm.view.outputs.forEach((o, k) => {
    if (o.loss === 'none') return; // not trained: no target
    const shape = concreteShape(cm.view.inference.tensor(o.tensor.node.id, o.tensor.port)!.shape);
    const last = shape[shape.length - 1] ?? 1;
    const v = `y_${k}`;
    if (o.loss === 'sparse_categorical_crossentropy') {
      lines.push(`${v} = rng.integers(0, ${last}, size=${sizes(shape.slice(0, -1))})  # class ids < ${last}`);
    } else if (o.loss === 'categorical_crossentropy') {
      lines.push(`${v} = keras.utils.to_categorical(rng.integers(0, ${last}, size=${sizes(shape.slice(0, -1))}), ${last})  # one-hot`);
    } else if (o.loss === 'binary_crossentropy') {
      lines.push(`${v} = rng.integers(0, 2, size=${sizes(shape)}).astype("float32")  # 0 or 1`);
    } else {
      lines.push(`${v} = rng.normal(size=${sizes(shape)}).astype("float32")  # target values`);
    }
  });
  return lines;
}

/** The Keras 3 script. */
export function toPython(graph: Graph, opts: CodeOptions = {}): CodeResult {
  const cm = codeModel(graph);
  if (typeof cm === 'string') return { ok: false, error: cm };
  const t = opts.training ?? {};
  const name = opts.name ?? 'functional';
  const opt = t.optimizer ?? 'adam';
  const lr = t.learning_rate ?? DEFAULT_LR[opt];
  const optimizer = lr === DEFAULT_LR[opt] ? py(opt) : `keras.optimizers.${OPTIMIZER_CLASS[opt]}(learning_rate=${pyNum(lr)})`;
  const metrics = `[${(t.metrics ?? ['accuracy']).map((m) => py(m)).join(', ')}]`;
  const nOut = cm.view.outputs.length;
  // loss=None for an output: Keras trains the others and takes targets for those only.
  const losses = cm.view.outputs.map((o) => (o.loss === 'none' ? 'None' : py(o.loss)));
  const weights = cm.view.outputs.map((o) => o.weight);
  const lossWeights = weights.every((w) => w === 1) ? '' : `, loss_weights=${list(weights.map((w) => pyNum(w)))}`;
  const perOutput = cm.view.outputs.map((o) => (o.loss === 'none' ? '[]' : metrics));
  const trained = cm.view.outputs.flatMap((o, k) => (o.loss === 'none' ? [] : [`y_${k}`]));
  const lines = [
    pyDocstring(`${name}: a Keras 3 model exported from Unroll.`),
    'import numpy as np',
    'import keras',
    'from keras import layers',
    '',
    '# --- Model (functional API) ---------------------------------------------------',
    ...cm.view.layers.map((n) => layerLine(cm, n)),
    '',
    `model = keras.Model(inputs=${list(cm.view.inputs.map((n) => cm.outputVars(n)[0]))}, outputs=${list(cm.view.outputs.map((o) => cm.tensorVar(o.tensor)))}, name=${py(name)})`,
    'model.summary()',
    '',
    `model.compile(optimizer=${optimizer}, loss=${list(losses)}${lossWeights}, metrics=${nOut === 1 ? metrics : `[${perOutput.join(', ')}]`})`,
    '',
    ...dataLines(cm, t.batch_size ?? 16),
    '',
    `history = model.fit(${list(cm.view.inputs.map((n) => `x_${cm.outputVars(n)[0]}`))}, ${nOut === 1 ? list(trained) : `[${trained.join(', ')}]`}, batch_size=${pyNum(t.batch_size ?? 16)}, epochs=${pyNum(t.epochs ?? 5)}, validation_split=0.2)`,
    '',
  ];
  return { ok: true, code: lines.join('\n') };
}
