/**
 * Unroll's saved TF.js topology → a topology that **stock** TF.js 4.22 loads (no
 * `registerUnrollLayers`). Pure JSON work; no TF.js needed.
 *
 * Unroll's classes extend or mirror stock classes with the same weights (names, shapes, order), so
 * the conversion renames classes and drops Unroll-only keys (`mask_in`); the weights file is reused
 * byte for byte. Checked layouts:
 *
 * | Unroll class | stock class | weights |
 * |---|---|---|
 * | UnrollLSTM / UnrollSimpleRNN | LSTM / SimpleRNN | subclasses: identical |
 * | UnrollGRU, reset_after=false | GRU | `kernel (i,3u)`, `recurrent_kernel (u,3u)`, `bias (3u)`, gates z, r, h: identical |
 * | UnrollBidirectional (and its inner layer) | Bidirectional | subclass: `forward_x/…`, `backward_x/…` |
 * | UnrollAdd / UnrollConcatenate | Add / Concatenate | none |
 * | UnrollGlobalAveragePooling1D | GlobalAveragePooling1D | none |
 * | UnrollFlatten (rank 2 or unknown sizes) | Reshape `target_shape: [-1]` | none (stock Flatten refuses these inputs) |
 *
 * Refused (no stock equivalent): GRU with reset_after=true, Keras's hard_sigmoid, leaky_relu and
 * exponential activations. Exported with warnings: where stock TF.js handles *masks* differently
 * (padded inputs only) — see `stockWarnings` below.
 */

type Json = Record<string, unknown>;

/** A layer entry of `modelTopology.config.layers`, or a nested `{class_name, config}`. */
interface LayerJson {
  class_name: string;
  config: Json;
  name?: string;
  [key: string]: unknown;
}

export const STOCK_CLASS: Readonly<Record<string, string>> = {
  UnrollLSTM: 'LSTM',
  UnrollSimpleRNN: 'SimpleRNN',
  UnrollGRU: 'GRU',
  UnrollBidirectional: 'Bidirectional',
  UnrollAdd: 'Add',
  UnrollConcatenate: 'Concatenate',
  UnrollGlobalAveragePooling1D: 'GlobalAveragePooling1D',
  UnrollFlatten: 'Reshape',
};

/** Config keys only Unroll's classes read (TF.js writes config keys in snake_case). */
const UNROLL_ONLY_KEYS = ['mask_in', 'mask_call', 'zero_masked', 'mask_rule'];

const RNN_CLASSES = new Set(['UnrollLSTM', 'UnrollSimpleRNN', 'UnrollGRU']);

/** Unroll's Keras activations as TF.js serializes them, and why stock TF.js cannot stand in. */
const KERAS_ONLY_ACTIVATIONS: Readonly<Record<string, string>> = {
  unroll_hard_sigmoid: "the activation hard_sigmoid: Keras computes relu6(x + 3) / 6, stock TF.js's hardSigmoid is clip(0.2x + 0.5, 0, 1)",
  unroll_leaky_relu: 'the activation leaky_relu: stock TF.js has no leaky_relu activation (Keras: slope 0.2)',
  unroll_exponential: 'the activation exponential: stock TF.js has no exponential activation',
};
for (const k of Object.keys(KERAS_ONLY_ACTIVATIONS)) {
  // Also accept the camelCase spelling (the identifier before TF.js snake-cases it).
  (KERAS_ONLY_ACTIVATIONS as Record<string, string>)[k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())] = KERAS_ONLY_ACTIVATIONS[k];
}

const UNROLL_FLAVOUR_HINT = 'or export with the Unroll classes (flavour "unroll", CLI `--flavour unroll`) and call registerUnrollLayers(tf) before tf.loadLayersModel';

export type StockConversion =
  | { ok: true; modelTopology: Json; warnings: string[] }
  | { ok: false; error: string };

function isObj(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isLayer(v: unknown): v is LayerJson {
  return isObj(v) && typeof v.class_name === 'string' && isObj(v.config);
}

function layerName(l: LayerJson): string {
  return String(l.name ?? l.config.name ?? l.class_name);
}

/** Keras-only activation names anywhere in a layer's config (nested layers included). */
function kerasOnlyActivations(config: Json): string[] {
  const found: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === 'string' && KERAS_ONLY_ACTIVATIONS[v]) found.push(KERAS_ONLY_ACTIVATIONS[v]);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (isObj(v)) Object.values(v).forEach(walk);
  };
  walk(config);
  return [...new Set(found)];
}

/**
 * One layer (top-level or wrapped) converted to its stock class; `problems` gets the reasons it
 * cannot be. `where` names it in messages.
 */
function convertLayer(l: LayerJson, where: string, problems: string[]): LayerJson {
  const config: Json = { ...l.config };
  for (const k of UNROLL_ONLY_KEYS) delete config[k];
  let cls = l.class_name;
  if (cls === 'UnrollGRU' && config.reset_after !== false) {
    problems.push(
      `${where}: a GRU with reset_after=true (Keras 3's default) cannot be exported for stock TF.js, whose GRU only has ` +
      'reset_after=false. Turn reset_after off in the inspector (the weights change meaning: retrain), ' + UNROLL_FLAVOUR_HINT + '.',
    );
  }
  if (cls === 'UnrollFlatten') {
    // Stock Flatten needs rank ≥ 3 and known sizes; reshape(x, [batch, -1]) is what UnrollFlatten does.
    config.target_shape = [-1];
  }
  if (cls.startsWith('Unroll')) {
    const stock = STOCK_CLASS[cls];
    if (!stock) problems.push(`${where}: the Unroll class ${cls} has no stock TF.js equivalent; ${UNROLL_FLAVOUR_HINT.replace(/^or /, '')}.`);
    else cls = stock;
  }
  for (const key of ['layer', 'backward_layer']) {
    const inner = config[key];
    if (isLayer(inner)) config[key] = convertLayer(inner, `${where} (its inner ${STOCK_CLASS[inner.class_name] ?? inner.class_name} '${layerName(inner)}')`, problems);
  }
  return { ...l, class_name: cls, config };
}

/** Layers whose mask output Keras and stock TF.js disagree on, or that read masks differently. */
function stockWarnings(layers: readonly LayerJson[]): string[] {
  const warnings: string[] = [];
  const maskSources = layers
    .filter((l) => (l.class_name === 'Embedding' && l.config.mask_zero === true) || l.class_name === 'Masking')
    .map(layerName);
  const sources = maskSources.map((n) => `'${n}'`).join(', ');
  for (const l of layers) {
    const name = layerName(l);
    const maskIn = l.config.mask_in === true;
    const inner = isLayer(l.config.layer) ? l.config.layer : undefined;
    switch (l.class_name) {
      case 'UnrollGlobalAveragePooling1D':
        if (maskIn) {
          warnings.push(
            `${name}: stock TF.js's GlobalAveragePooling1D ignores the mask and averages padded steps too (Keras 3 averages ` +
            'only unmasked steps). Predictions differ for padded inputs; inputs without padding give the same result.',
          );
        }
        break;
      case 'UnrollBidirectional':
        if (maskIn && l.config.mask_call !== false && l.config.zero_masked !== false && inner?.config.return_sequences === true) {
          warnings.push(
            `${name}: with padded inputs, stock TF.js's Bidirectional outputs the last unmasked value again at padded steps ` +
            '(Keras 3 outputs zeros there). Outputs at real steps are the same; per-step outputs at padded steps differ ' +
            '(e.g. a TimeDistributed or Dense after it).',
          );
        }
        break;
      case 'UnrollAdd':
        if (maskIn) {
          warnings.push(
            `${name}: its inputs carry a mask, and stock TF.js's Add computes its output mask wrongly (an extra leading axis, ` +
            'the last input ignored): a layer after it that uses the mask may fail or differ for padded inputs.',
          );
        }
        break;
      case 'UnrollConcatenate':
        if (maskIn && l.config.mask_rule !== 'and') {
          warnings.push(
            `${name}: its inputs carry a mask, and stock TF.js combines the masks with AND where ` +
            `${l.config.mask_rule === 'none' ? 'Keras 3.0–3.3 (whose meaning this model keeps) gives no mask' : 'Keras 3 uses OR'} (and fails ` +
            'along the time axis when only some inputs are masked): layers after it that use the mask can differ for padded inputs.',
          );
        }
        break;
    }
    if ((RNN_CLASSES.has(l.class_name) || l.class_name === 'UnrollBidirectional') && (!maskIn || l.config.mask_call === false) && maskSources.length) {
      warnings.push(
        `${name}: ${maskIn ? 'called with initial_state, it gets no mask in Keras 3' : 'Keras 3 passes no mask into this layer'}, but stock TF.js's graph executor hands it the last mask it saw ` +
        `(from ${sources}). With padded inputs it may then skip steps Keras does not skip; if its sequence is longer than the ` +
        'masked one (e.g. RepeatVector(n) with n above the input length) prediction may fail. Otherwise inputs without padding ' +
        'give the same result.',
      );
    }
  }
  return warnings;
}

/**
 * Converts a TF.js `modelTopology` written by Unroll (TF.js's save format) into one stock TF.js
 * loads, or says why it cannot. The weight manifest and data stay as they are.
 */
export function toStockTopology(modelTopology: unknown): StockConversion {
  if (!isObj(modelTopology) || !isObj(modelTopology.config) || !Array.isArray(modelTopology.config.layers)) {
    return { ok: false, error: 'the model topology has no layer list (config.layers)' };
  }
  const layers = (modelTopology.config.layers as unknown[]).filter(isLayer);
  const problems: string[] = [];
  for (const l of layers) {
    for (const why of kerasOnlyActivations(l.config)) {
      problems.push(
        `${layerName(l)}: ${why}. Choose another activation in the inspector (e.g. sigmoid, relu), ${UNROLL_FLAVOUR_HINT}.`,
      );
    }
  }
  const converted = layers.map((l) => convertLayer(l, layerName(l), problems));
  if (problems.length) {
    const head = problems.length === 1 ? 'Stock TF.js cannot express this model exactly:' : `Stock TF.js cannot express this model exactly (${problems.length} layers):`;
    return { ok: false, error: `${head}\n${problems.map((p) => `  ${p}`).join('\n')}` };
  }
  return {
    ok: true,
    modelTopology: { ...modelTopology, config: { ...modelTopology.config, layers: converted } },
    warnings: stockWarnings(layers),
  };
}

/** The Unroll classes and Keras activations a topology uses (for the unroll flavour's README). */
export function unrollClassesIn(modelTopology: unknown): string[] {
  const found = new Set<string>();
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (isObj(v)) {
      if (typeof v.class_name === 'string' && v.class_name.startsWith('Unroll')) found.add(v.class_name);
      Object.values(v).forEach(walk);
    } else if (typeof v === 'string' && KERAS_ONLY_ACTIVATIONS[v]) found.add(`activation ${v}`);
  };
  walk(modelTopology);
  return [...found].sort();
}
