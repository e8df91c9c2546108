/**
 * The Python export: a complete Keras 3 training script (any backend) for the project, not a stub.
 * It reads the same data (the uploaded CSV with Unroll's pipeline — filters, seeded split,
 * TextVectorization / StringLookup with Keras's rules: pipeline.py.ts — or the catalog dataset's
 * examples exported next to it as JSON), builds the same functional model (layer names, every
 * non-default parameter, kept regularizers and constraints), compiles it with the project's
 * optimizer, learning rate, clipping, losses, loss weights and metrics, trains with its batch size,
 * epochs, seed, early stopping, learning-rate schedule and class weights, evaluates on the test
 * split, and saves a `.keras` file. It starts from the browser-trained weights when their
 * `.keras` file is next to it, and has an opt-in multi-device block (keras.distribution.DataParallel
 * on the JAX backend: UNROLL_DATA_PARALLEL=1). Without a dataset it trains on placeholder arrays of
 * the right shapes.
 *
 *   const r = toPython(graph, { name, training, data: { kind: 'csv', file: 'tweets.csv', … } });
 */
import { getLayer } from '../registry.ts';
import { callArgs } from '../keras/export.ts';
import type { TrainingSettings } from '../project.ts';
import type { GraphNode, Params, ParamValue } from '../types.ts';
import { keptValues } from '../keras/config.ts';
import { keras3Graph } from '../keras/export.ts';
import { KERAS2_HARD_SIGMOID } from '../params.ts';
import { olderSemantics, semanticDifferences } from '../keras/semantics.ts';
import { PIPELINE_PY } from './pipeline.py.ts';
import { sequentialChain } from '../sequential.ts';
import type { Graph } from '../types.ts';
import { codeModel, concreteShape, constructorArgs, innerLayer, tokenLimit, type CodeModel } from './common.ts';
import { pyComment, pyDocstring, pyNum, pyStr } from './literals.ts';

export interface CodeOptions {
  readonly name?: string;
  readonly training?: Partial<TrainingSettings>;
  /** Where the training data come from (Python export only); placeholder arrays when absent. */
  readonly data?: ScriptData;
  /**
   * 'sequential': build_model writes `keras.Sequential([keras.Input(...), layers..., ...])`, as the
   * lesson does; only for a chain (core/sequential.ts), otherwise the result says why not.
   */
  readonly form?: 'functional' | 'sequential';
}

/** The data of the training script. */
export type ScriptData =
  | {
      /** An uploaded CSV, read and prepared by the script exactly as Unroll prepares it. */
      readonly kind: 'csv';
      readonly file: string;
      readonly text: string;
      readonly label?: string;
      readonly target_sequence?: string;
      readonly target_split?: 'whitespace' | 'character';
      readonly confidence?: string;
      readonly threshold: number;
      readonly seed: number;
      readonly fractions: { readonly train: number; readonly val: number; readonly test: number };
      readonly stratify: boolean;
      readonly max_tokens: number;
      readonly decode_entities: boolean;
      readonly labels?: readonly string[];
    }
  | {
      /** A catalog dataset's examples (already split and encoded by Unroll), exported as JSON next to the script. */
      readonly kind: 'file';
      readonly file: string;
      readonly name: string;
      readonly task: string;
    };

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

/** Keras 3's getter for a kept object, by its key: regularizers, constraints, initializers. */
function getterFor(key: string): string | null {
  if (/_regularizer$/.test(key)) return 'keras.regularizers.get';
  if (/_constraint$/.test(key)) return 'keras.constraints.get';
  if (/_initializer$/.test(key)) return 'keras.initializers.get';
  return null;
}

/** A JSON value as a Python literal (kept Keras configs). */
function pyJson(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return pyNum(v);
  if (typeof v === 'string') return pyStr(v);
  if (Array.isArray(v)) return `[${v.map(pyJson).join(', ')}]`;
  return `{${Object.entries(v as Record<string, unknown>).map(([k, x]) => `${pyStr(k)}: ${pyJson(x)}`).join(', ')}}`;
}

/** Arguments for what the importer kept (regularizers, constraints, initializer settings, stateful…), as Keras 3 takes them. */
function keptArgs(kind: string, params: Params, written: ReadonlySet<string>): string[] {
  const def = getLayer(kind)!;
  const kept = keptValues(params);
  const out: string[] = [];
  for (const key of def.keras?.keys ?? []) {
    const k = kept[key];
    if (!k || k.value === null) continue;
    const spec = def.params.find((s) => s.name === key);
    if (spec && (k.param === undefined || JSON.stringify(k.param) !== JSON.stringify(params[key] ?? spec.default))) continue; // changed since import
    const get = getterFor(key);
    const value = get && typeof k.value === 'object' ? `${get}(${pyJson(k.value)})` : pyJson(k.value);
    if (written.has(key)) continue;
    out.push(`${key}=${value}`);
  }
  return out;
}

/** A parameter value in a constructor call: Keras 2's hard_sigmoid is the script's own function. */
function argValue(name: string, v: ParamValue | undefined, asTuple: boolean): string {
  if (name.endsWith('activation') && v === KERAS2_HARD_SIGMOID) return 'hard_sigmoid_keras2';
  return py(v, asTuple);
}

/** `layers.LSTM(8, return_sequences=True)` for a kind and its parameters. */
function constructor(kind: string, params: Record<string, ParamValue | undefined>, extra: string[] = []): string {
  const def = getLayer(kind)!;
  const written = new Set<string>();
  const args = constructorArgs(kind, params).map((a) => {
    const spec = def.params.find((s) => s.name === a.name)!;
    let value: string;
    if (spec.type === 'layer') {
      const inner = innerLayer(a.value);
      const innerDef = getLayer(inner.kind)!;
      const named = inner.name && inner.name !== innerDef.defaultName ? [`name=${py(inner.name)}`] : [];
      value = constructor(inner.kind, inner.params, named);
    } else value = argValue(a.name, a.value, spec.type === 'shape');
    written.add(a.name);
    return a.positional ? value : `${a.name}=${value}`;
  });
  return `layers.${def.kerasClass}(${[...args, ...keptArgs(kind, params as Params, written), ...extra].join(', ')})`;
}

/** `keras.Input(shape=..., name=...)` of an Input node. */
function inputCall(n: GraphNode): string {
  const shape = py(n.params.shape as ParamValue, true);
  const extra = [n.params.dtype && n.params.dtype !== 'float32' ? `dtype=${py(n.params.dtype)}` : '', n.params.batch_size ? `batch_size=${py(n.params.batch_size as ParamValue)}` : ''];
  return `keras.Input(shape=${shape}${extra.filter(Boolean).map((e) => `, ${e}`).join('')}, name=${py(n.name)})`;
}

/** A layer's constructor call with its name (and trainable=False), without the tensor it is called on. */
function layerCall(n: GraphNode): string {
  return constructor(n.kind, n.params, [...(n.params.trainable === false ? ['trainable=False'] : []), `name=${py(n.name)}`]);
}

function layerLine(cm: CodeModel, n: GraphNode): string {
  const outs = cm.outputVars(n);
  const lhs = outs.length === 1 ? outs[0] : outs.join(', ');
  if (n.kind === 'Input') return `${lhs} = ${inputCall(n)}`;
  const { main, merge, states } = callArgs(cm.view, n);
  const x = merge ? `[${main.map((r) => cm.tensorVar(r)).join(', ')}]` : cm.tensorVar(main[0]);
  const init = states.length ? `, initial_state=[${states.map((r) => cm.tensorVar(r)).join(', ')}]` : '';
  return `${lhs} = ${layerCall(n)}(${x}${init})`;
}

const DEFAULT_LR: Record<string, number> = { adam: 0.001, sgd: 0.01, rmsprop: 0.001, adagrad: 0.001 };

/** A Python tuple of sizes after the example count `n`: `(n,)`, `(n, 20, 5)`. */
function sizes(dims: readonly number[]): string {
  return dims.length ? `(n, ${dims.join(', ')})` : '(n,)';
}

function list(items: string[]): string {
  return items.length === 1 ? items[0] : `[${items.join(', ')}]`;
}

/** Placeholder arrays for the inputs and targets (a graph without a dataset), inside main(). */
function placeholderLines(cm: CodeModel): string[] {
  const fixed = cm.view.inputs.map((n) => n.params.batch_size).find((b) => typeof b === 'number') as number | undefined;
  const lines = [
    '# No dataset is bound to the model in Unroll: placeholder arrays of the right shapes and',
    '# dtypes (free axes get 20 steps). Replace them with your data.',
    `n = ${pyNum(fixed ? fixed * 8 : 128)}  # number of examples`,
    'rng = np.random.default_rng(SEED)',
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

const OPTIMIZERS: Record<string, string> = { adam: 'Adam', sgd: 'SGD', rmsprop: 'RMSprop', adagrad: 'Adagrad' };

/** A settings value as a Python literal (objects of the project file). */
function settingsLiteral(v: unknown): string {
  return pyJson(v);
}

const BATCHES_PY = `
def make_batches(keras, examples, data, loss, n_inputs, batch_size, shuffle, seed):
    """Batches as Unroll trains on them: model inputs x (then the teacher-forcing decoder input
    [start, y0, ..., y_{T-2}] for sequence-to-sequence), targets padded with 0, and a sample weight
    of 0 at padded target steps (Unroll always leaves padding out of the loss)."""

    class Batches(keras.utils.PyDataset):
        def __init__(self):
            super().__init__()
            self.order = list(range(len(examples)))
            self.epoch = 0
            if shuffle:
                shuffle_in_place(self.order, mulberry32(derive_seed(seed, 1)))

        def __len__(self):
            return math.ceil(len(examples) / batch_size)

        def on_epoch_end(self):
            self.epoch += 1
            if shuffle:
                shuffle_in_place(self.order, mulberry32(derive_seed(seed, self.epoch + 1)))

        def __getitem__(self, b):
            part = [examples[i] for i in self.order[b * batch_size: (b + 1) * batch_size]]
            int_x = data["inputs"].get("dtype") == "int32"
            xs = [pad([e["x"] for e in part], "int32" if int_x else "float32")]
            if n_inputs > 1:  # teacher forcing: the target shifted right after the start id
                xs.append(pad([[data.get("startId", 1)] + list(e["y"])[:-1] for e in part], "int32"))
            per_step = isinstance(part[0]["y"], list) and data["task"] != "sequence-regression"
            if loss in ("mean_squared_error", "mean_absolute_error"):
                y = pad([e["y"] for e in part], "float32")
            elif loss == "binary_crossentropy":
                y = pad([e["y"] for e in part], "float32")
                y = y.reshape(y.shape + (1,)) if not per_step else y
            else:
                y = pad([e["y"] for e in part], "int32")
            if loss == "categorical_crossentropy":
                y = np.eye(int(data["numClasses"]), dtype="float32")[y]
            inputs = tuple(xs) if len(xs) > 1 else xs[0]
            if per_step:
                ids = pad([e["y"] for e in part], "int32")
                return inputs, y, (ids != 0).astype("float32")
            return inputs, y

    return Batches()


def class_weights(setting, data):
    """Keras class_weight: given weights, or 'balanced' = n / (classes present * count), as in Unroll."""
    if setting is None:
        return None
    if setting != "balanced":
        return {int(k): float(v) for k, v in setting.items()}
    counts = {}
    for e in data["train"]:
        counts[int(e["y"])] = counts.get(int(e["y"]), 0) + 1
    n = sum(counts.values())
    return {c: (n / (len(counts) * counts[c]) if c in counts else 1.0) for c in range(int(data["numClasses"]))}
`;

/** The Keras 3 training script. */
export function toPython(graphIn: Graph, opts: CodeOptions = {}): CodeResult {
  const graph = keras3Graph(graphIn);
  const cm = codeModel(graph);
  if (typeof cm === 'string') return { ok: false, error: cm };
  const chain = opts.form === 'sequential' ? sequentialChain(graph) : null;
  if (chain && !chain.ok) return { ok: false, error: `the model cannot be written as keras.Sequential: ${chain.reason}` };
  const t = opts.training ?? {};
  const name = opts.name ?? (chain ? 'sequential' : 'functional');
  const opt = t.optimizer ?? 'adam';
  const lr = t.learning_rate ?? DEFAULT_LR[opt];
  const outputs = cm.view.outputs;
  const losses = outputs.map((o) => (o.loss === 'none' ? null : o.loss));
  const weights = outputs.map((o) => o.weight);
  const trainedIdx = outputs.findIndex((o) => o.loss !== 'none');
  const clip = t.clipnorm != null ? { clipnorm: t.clipnorm } : t.clipvalue != null ? { clipvalue: t.clipvalue } : t.global_clipnorm != null ? { global_clipnorm: t.global_clipnorm } : {};
  const keras2 = graph.nodes.some((n) => JSON.stringify(n.params).includes(`"${KERAS2_HARD_SIGMOID}"`));
  // Mask meanings of an older Keras (hard_sigmoid has its own function below).
  const older = semanticDifferences(graph).filter((d) => !d.key.endsWith('activation'));
  const file = name.trim().replace(/[\\/:*?"<>|\s]+/g, '_') || 'model';
  const data = opts.data;
  const indent = (lines: string[]) => lines.map((l) => (l ? `    ${l}` : l));
  const fitLines = data
    ? [
        '    data = csv_dataset(DATA) if DATA["kind"] == "csv" else json.load(open(DATA["file"], encoding="utf-8"))',
        `    print(f"{len(data['train'])} training, {len(data['val'])} validation and {len(data['test'])} test examples ({data['task']})")`,
        `    loss = ${py(losses[trainedIdx] ?? 'mean_squared_error')}`,
        `    batches = lambda part, shuffle: make_batches(keras, data[part], data, loss, ${cm.view.inputs.length}, BATCH_SIZE, shuffle, SEED)`,
        '    history = model.fit(',
        '        batches("train", True), validation_data=batches("val", False) if data["val"] else None, epochs=EPOCHS,',
        '        callbacks=callbacks, class_weight=class_weights(CLASS_WEIGHT, data) if data["task"] == "sequence-classification" else None,',
        '    )',
        '    results = model.evaluate(batches("test", False), return_dict=True) if data["test"] else {}',
        '    with open(f"{SAVE_TO}.preprocessing.json", "w", encoding="utf-8") as f:',
        '        json.dump({"vocabulary": data["inputs"].get("vocabulary"), "labels": data.get("labels")}, f, ensure_ascii=False)',
      ]
    : [
        ...indent(placeholderLines(cm)),
        `    history = model.fit(${list(cm.view.inputs.map((n) => `x_${cm.outputVars(n)[0]}`))}, ${outputs.length === 1 ? list(outputs.flatMap((o, k) => (o.loss === 'none' ? [] : [`y_${k}`]))) : `[${outputs.flatMap((o, k) => (o.loss === 'none' ? [] : [`y_${k}`])).join(', ')}]`}, batch_size=BATCH_SIZE, epochs=EPOCHS, validation_split=0.2, callbacks=callbacks)`,
        '    results = {}',
      ];
  const metrics = t.metrics ?? ['accuracy'];
  const lines = [
    pyDocstring(`${name}: train the Unroll model with Keras 3 (any backend) on the same data, split and settings.`),
    '# Run: python3 this_file.py   (pip install keras numpy, and jax, tensorflow or torch as the backend)',
    '# Multi-device: UNROLL_DATA_PARALLEL=1 python3 this_file.py   (JAX backend, keras.distribution.DataParallel)',
    ...(older.length ? [
      `# The file this model came from meant some layers as ${olderSemantics(graph).map((x) => x.label).join(', ')} did; Keras 3 runs them with its own meaning:`,
      `OLDER_KERAS_MEANINGS = [${older.map((d) => pyStr(`${d.node} ${d.what}`)).join(', ')}]`,
    ] : []),
    'import csv',
    'import json',
    'import math',
    'import os',
    'import re',
    '',
    'import numpy as np',
    '',
    '# --- Settings, as in the Unroll project ------------------------------------------------------',
    `MODEL_NAME = ${py(name)}`,
    `SEED = ${pyNum(t.seed ?? 42)}`,
    `EPOCHS = ${pyNum(t.epochs ?? 5)}`,
    `BATCH_SIZE = ${pyNum(t.batch_size ?? 16)}`,
    `OPTIMIZER = ${py(opt)}`,
    `LEARNING_RATE = ${pyNum(lr)}`,
    `CLIPPING = ${settingsLiteral(clip)}`,
    `LOSSES = ${settingsLiteral(losses)}`,
    `LOSS_WEIGHTS = ${weights.every((w) => w === 1) ? 'None' : settingsLiteral(weights)}`,
    `METRICS = ${settingsLiteral(metrics)}`,
    `EARLY_STOPPING = ${settingsLiteral(t.early_stopping ?? null)}`,
    `LR_SCHEDULE = ${settingsLiteral(t.lr_schedule ?? { kind: 'constant' })}`,
    `CLASS_WEIGHT = ${settingsLiteral(t.class_weight ?? null)}`,
    `DATA = ${data ? settingsLiteral(data) : 'None'}${data?.kind === 'file' ? `  # ${pyComment(`the ${data.name} examples Unroll trains on, exported with this script`)}` : ''}`,
    '# Weights trained in the browser (Export → Keras 3 model with weights): training starts from them when the file is here.',
    `START_FROM = os.environ.get("UNROLL_START_FROM", ${pyStr(`${file}.keras`)})`,
    `SAVE_TO = ${pyStr(`${file}.trained.keras`)}`,
    'USE_DATA_PARALLEL = os.environ.get("UNROLL_DATA_PARALLEL") == "1"',
    PIPELINE_PY.trimEnd(),
    BATCHES_PY.trimEnd(),
    '',
    '',
    'def build_model(keras, layers):',
    `    """The model as drawn in Unroll (Keras 3 ${chain ? 'Sequential model' : 'functional API'}, the same layer names)."""`,
    ...(keras2 ? [
      '',
      '    def hard_sigmoid_keras2(x):',
      '        """Keras 2\'s hard_sigmoid, clip(0.2x + 0.5, 0, 1), which the file this model came from used (Keras 3\'s is relu6(x + 3) / 6)."""',
      '        return keras.ops.clip(0.2 * x + 0.5, 0.0, 1.0)',
      '',
    ] : []),
    ...(chain?.ok
      ? [
          '    return keras.Sequential([',
          ...chain.layers.map((n) => `        ${n === chain.layers[0] ? inputCall(n) : layerCall(n)},`),
          '    ], name=MODEL_NAME)',
        ]
      : [
          ...indent(cm.view.layers.map((n) => layerLine(cm, n))),
          `    return keras.Model(inputs=${list(cm.view.inputs.map((n) => cm.outputVars(n)[0]))}, outputs=${list(outputs.map((o) => cm.tensorVar(o.tensor)))}, name=MODEL_NAME)`,
        ]),
    '',
    '',
    'def main():',
    '    if USE_DATA_PARALLEL:',
    '        # Opt-in multi-device training: every local device (GPU/TPU) holds a copy of the model and',
    '        # each batch is split across them. DataParallel needs the JAX backend, chosen before import.',
    '        os.environ.setdefault("KERAS_BACKEND", "jax")',
    '    import keras',
    '    from keras import layers',
    '',
    '    keras.utils.set_random_seed(SEED)',
    '    if USE_DATA_PARALLEL:',
    '        devices = keras.distribution.list_devices()',
    '        keras.distribution.set_distribution(keras.distribution.DataParallel(devices=devices))',
    '        print(f"DataParallel over {len(devices)} devices")',
    '    model = build_model(keras, layers)',
    '    model.summary()',
    '    if START_FROM and os.path.exists(START_FROM):',
    '        model.load_weights(START_FROM)',
    '        print(f"starting from the weights in {START_FROM}")',
    '',
    '    learning_rate = LEARNING_RATE',
    '    if LR_SCHEDULE["kind"] == "exponential_decay":',
    '        learning_rate = keras.optimizers.schedules.ExponentialDecay(',
    '            LEARNING_RATE, LR_SCHEDULE["decay_steps"], LR_SCHEDULE["decay_rate"], staircase=LR_SCHEDULE["staircase"])',
    `    optimizer = {${Object.entries(OPTIMIZERS).map(([k, c]) => `${py(k)}: keras.optimizers.${c}`).join(', ')}}[OPTIMIZER](learning_rate=learning_rate, **CLIPPING)`,
    '    trained = [k for k, l in enumerate(LOSSES) if l is not None]',
    '    metrics = METRICS if len(LOSSES) == 1 else [METRICS if l is not None else [] for l in LOSSES]',
    '    model.compile(optimizer=optimizer, loss=LOSSES[0] if len(LOSSES) == 1 else LOSSES, loss_weights=LOSS_WEIGHTS, metrics=metrics)',
    '    callbacks = []',
    '    if EARLY_STOPPING:',
    '        callbacks.append(keras.callbacks.EarlyStopping(**EARLY_STOPPING))',
    '    if LR_SCHEDULE["kind"] == "reduce_on_plateau":',
    '        callbacks.append(keras.callbacks.ReduceLROnPlateau(**{k: v for k, v in LR_SCHEDULE.items() if k != "kind"}))',
    '    assert trained, "the model has no output with a loss"',
    '',
    ...fitLines,
    '    print(json.dumps({"test": {k: float(v) for k, v in results.items()}}))',
    '    model.save(SAVE_TO)',
    '    print(f"saved {SAVE_TO}")',
    '',
    '',
    'if __name__ == "__main__":',
    '    main()',
    '',
  ];
  return { ok: true, code: lines.join('\n') };
}
