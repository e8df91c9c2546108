/**
 * One layer's Keras config, both ways: Unroll parameters → the Keras 3 `get_config()` dict (with
 * defaults written out, initializers as Keras 3 objects) and any Keras 2, Keras 3 or TF.js config
 * → Unroll parameters. The generic rules read the parameter specs and the kind's `keras` hooks
 * (layers/define.ts); kinds override only what differs (Input, Bidirectional, TimeDistributed).
 *
 *   layerObject('LSTM', params, 'lstm', [null, 8, 4])   // {module, class_name, config, registered_name, build_config}
 *   readLayerParams('LSTM', config, warnings)            // Params, or throws KerasReadError naming the field
 */
import { checkParam, KERAS2_HARD_SIGMOID, withDefaults, type ParamSpec } from '../params.ts';
export { KERAS2_HARD_SIGMOID } from '../params.ts';
import { getLayer, layerByKerasClass } from '../registry.ts';
import type { Params, ParamValue } from '../types.ts';
import type { KerasConfigContext, KerasDict, KerasJson, KerasReadContext, LayerDef } from '../layers/define.ts';

/** An import problem; the message names the layer or field. */
export class KerasReadError extends Error {}

/** Keras 3 version whose `get_config()` formats this module writes. */
export const KERAS_VERSION = '3.16.0';

export function dtypePolicy(name = 'float32'): KerasDict {
  return { module: 'keras', class_name: 'DTypePolicy', config: { name }, registered_name: null };
}

/** Unroll initializer name → Keras 3 class and the config Keras writes for its defaults. */
const INITIALIZERS: Record<string, readonly [string, KerasDict]> = {
  glorot_uniform: ['GlorotUniform', { seed: null }],
  glorot_normal: ['GlorotNormal', { seed: null }],
  he_uniform: ['HeUniform', { seed: null }],
  he_normal: ['HeNormal', { seed: null }],
  lecun_uniform: ['LecunUniform', { seed: null }],
  lecun_normal: ['LecunNormal', { seed: null }],
  orthogonal: ['Orthogonal', { seed: null, gain: 1.0 }],
  zeros: ['Zeros', {}],
  ones: ['Ones', {}],
  random_uniform: ['RandomUniform', { seed: null, minval: -0.05, maxval: 0.05 }],
  uniform: ['RandomUniform', { seed: null, minval: -0.05, maxval: 0.05 }],
  random_normal: ['RandomNormal', { seed: null, mean: 0.0, stddev: 0.05 }],
  truncated_normal: ['TruncatedNormal', { seed: null, mean: 0.0, stddev: 0.05 }],
};

/** `GlorotUniform` / `glorotUniform` → `glorot_uniform` (TF.js and Keras 2 spell names both ways). */
export function snake(s: string): string {
  return s.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/([A-Z])([A-Z][a-z])/g, '$1_$2').toLowerCase();
}

export function isInitializerSpec(s: ParamSpec): boolean {
  return s.name.endsWith('_initializer');
}

export function initializerObject(name: string): KerasDict {
  const [cls, config] = INITIALIZERS[name] ?? INITIALIZERS.glorot_uniform;
  return { module: 'keras.initializers', class_name: cls, config, registered_name: null };
}

function isDict(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Keras 2 / TF.js VarianceScaling settings → the named initializer they are. */
function varianceScalingName(c: Record<string, unknown>): string | null {
  const dist = String(c.distribution ?? 'truncated_normal');
  const uniform = dist === 'uniform';
  if (c.mode === 'fan_avg' && c.scale === 1) return uniform ? 'glorot_uniform' : 'glorot_normal';
  if (c.mode === 'fan_in' && c.scale === 2) return uniform ? 'he_uniform' : 'he_normal';
  if (c.mode === 'fan_in' && c.scale === 1) return uniform ? 'lecun_uniform' : 'lecun_normal';
  return null;
}

/** An initializer as Unroll reads it: the nearest one it offers, and whether that is exactly the file's. */
export interface ReadInitializer {
  readonly name: string;
  /** False when the file's initializer (class or settings) is not one Unroll draws from: it is kept for export. */
  readonly exact: boolean;
}

/**
 * Reads an initializer (a name, a Keras 2/3 object, a TF.js identifier). `preferred` is the
 * parameter's default: it breaks ties between aliases (uniform / random_uniform) and stands in
 * for initializers Unroll does not offer (Identity, Constant, …). Never throws for a class name.
 */
export function readInitializer(v: unknown, field: string, preferred: string): ReadInitializer {
  let cls: string;
  let config: Record<string, unknown> = {};
  if (typeof v === 'string') cls = v;
  else if (isDict(v) && typeof v.class_name === 'string') {
    cls = v.class_name;
    if (isDict(v.config)) config = v.config;
  } else throw new KerasReadError(`${field}: expected an initializer name or object (got ${JSON.stringify(v)})`);
  let name = snake(cls.replace(/Initializer$/, '')); // Keras 3.0 wrote OrthogonalInitializer
  if (name === 'variance_scaling') name = varianceScalingName(config) ?? name;
  if (name === 'one') name = 'ones';
  if (name === 'zero') name = 'zeros';
  if (name === 'normal') name = 'random_normal';
  if (name === 'le_cun_uniform') name = 'lecun_uniform';
  if (name === 'le_cun_normal') name = 'lecun_normal';
  if (!(name in INITIALIZERS)) return { name: preferred, exact: false };
  const [keras, defaults] = INITIALIZERS[name];
  if (INITIALIZERS[preferred]?.[0] === keras) name = preferred;
  const changed = Object.keys(config).some((k) => {
    if (['scale', 'mode', 'distribution'].includes(k)) return false;
    const d = (defaults as Record<string, unknown>)[k];
    return config[k] !== null && config[k] !== d && !(d === undefined && k === 'seed');
  });
  return { name, exact: !changed };
}

function toJson(v: ParamValue | undefined): KerasJson {
  return v === undefined ? null : (v as KerasJson);
}

/** The kind's nested-layer name: its own, or the kind's Keras stem. */
export function nestedName(layer: { kind: string; name?: unknown }): string {
  return typeof layer.name === 'string' && layer.name ? layer.name : (getLayer(layer.kind)?.defaultName ?? snake(layer.kind));
}

/** A write problem (a value Keras 3 cannot hold); the message names the layer and what to do. */
export class KerasWriteError extends Error {}

/**
 * The body of `get_config()` after name/trainable/dtype, from the kind's keys and its parameter
 * specs; values the importer kept (`keptValues`) are written back where the parameter still has
 * the value it was read as, and keys Keras 3 does not know only when the file came from Keras 3.
 */
export function genericConfig(def: LayerDef, p: Params, kept: KeptValues = {}, name = def.defaultName): Record<string, KerasJson> {
  const out: Record<string, KerasJson> = {};
  const specs = new Map(def.params.filter((s) => s.keras !== false).map((s) => [s.name, s]));
  for (const key of def.keras?.keys ?? []) {
    const s = specs.get(key);
    const k = kept[key];
    if (s) {
      if (p[key] === KERAS2_HARD_SIGMOID) {
        throw new KerasWriteError(`${name}: ${key} is Keras 2's hard_sigmoid (clip(0.2x + 0.5, 0, 1)), which Keras 3 does not have. Convert the model to Keras 3 semantics first (its hard_sigmoid is relu6(x + 3) / 6; predictions change slightly: --keras3 on the command line), or export it to TF.js, which has Keras 2's`);
      }
      if (k && k.param !== undefined && JSON.stringify(k.param) === JSON.stringify(p[key] ?? null)) out[key] = k.value;
      else out[key] = isInitializerSpec(s) ? initializerObject(String(p[key])) : toJson(p[key]);
    } else out[key] = k ? k.value : def.keras?.fixed?.[key] ?? null;
  }
  if (String(kept[VERSION_KEY]?.value ?? '').startsWith('3')) {
    for (const [key, k] of Object.entries(kept)) if (!(key in out) && !NOT_CONFIG.has(key) && !specs.has(key)) out[key] = k.value;
  }
  return out;
}

/** The full `get_config()` of a layer (with name, trainable and the dtype policy). */
export function layerConfig(kind: string, params: Params, name: string, inputShape: KerasJson, trainable = true): KerasDict {
  const def = getLayer(kind);
  if (!def) throw new Error(`unknown layer kind ${kind}`);
  const p = withDefaults(def.params, params);
  const ctx: KerasConfigContext = {
    name, inputShape, nestedName,
    nested: (layer, n, shape, patch) => {
      const o = layerObject(layer.kind, layer.params, n, shape);
      return { ...o, config: { ...(o.config as KerasDict), ...patch } };
    },
  };
  const kept = keptValues(params);
  const body = def.keras?.toConfig ? def.keras.toConfig(p, ctx) : genericConfig(def, p, kept, name);
  if (def.keras?.wholeConfig) return body;
  const dtype = typeof kept.dtype?.value === 'string' ? kept.dtype.value : 'float32';
  // Keras's base Layer.get_config adds activity_regularizer after the dtype when one is set.
  const activity: KerasDict = kept.activity_regularizer && !(def.keras?.keys ?? []).includes('activity_regularizer') ? { activity_regularizer: kept.activity_regularizer.value } : {};
  return { name, trainable, dtype: dtypePolicy(dtype), ...activity, ...body };
}

/** A layer as `serialize_keras_object` writes it: module, class_name, config, registered_name, build_config. */
export function layerObject(kind: string, params: Params, name: string, buildShape: KerasJson, trainable = true, buildConfig?: KerasDict): KerasDict {
  const def = getLayer(kind)!;
  const o: Record<string, KerasJson> = {
    module: 'keras.layers', class_name: def.kerasClass,
    config: layerConfig(kind, params, name, buildShape, trainable), registered_name: null,
  };
  if (def.keras?.buildConfig !== false && !def.keras?.wholeConfig) o.build_config = buildConfig ?? { input_shape: buildShape };
  return o;
}

/** Keys whose non-default value changes shapes in a way Unroll cannot build: refused, naming the key. */
const REFUSED: Record<string, KerasJson> = { keepdims: false, data_format: 'channels_last', time_major: false };

/** Config keys that are structure, not settings: the importer reads them itself (never kept). */
const NOT_CONFIG = new Set([
  'name', 'trainable', 'dtype', 'batch_input_shape', 'batch_shape', 'input_shape', 'batch_size', 'input_length', 'sparse', 'ragged',
  'build_config', 'optional', '_version',
]);

/** The node parameter that holds what the importer kept: per Keras key, JSON text of `{ value, param? }`. */
export const KEPT_PARAM = 'keras_kept';
/** Inside the kept values: the Keras version of the file ('2.1.6', '3.6.0', 'tfjs-layers 4.22.0'). */
export const VERSION_KEY = '_version';


/** One kept value: the file's JSON, and the parameter value Unroll read it as (when it maps to a parameter). */
export interface KeptEntry {
  readonly value: KerasJson;
  readonly param?: ParamValue;
}
export type KeptValues = { readonly [key: string]: KeptEntry };

/** The kept values of a node's (or nested layer's) raw parameters. */
export function keptValues(params: Params | undefined): KeptValues {
  const raw = params?.[KEPT_PARAM];
  if (!isDict(raw)) return {};
  const out: Record<string, KeptEntry> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (typeof v !== 'string') continue;
    try {
      const e = JSON.parse(v) as KeptEntry;
      if (isDict(e) && 'value' in e) out[k] = e;
    } catch {
      // a damaged entry is dropped, never fatal
    }
  }
  return out;
}

/** Keys kept that change training or outputs when ignored (listed once as "kept, not used in the browser"). */
function changesTraining(key: string, value: KerasJson): boolean {
  if (/_regularizer$|_constraint$/.test(key)) return value !== null;
  if (key === 'stateful' || key === 'zero_output_for_mask') return value === true;
  return false;
}

/** How the importer reads one file: its Keras semantics, and where it collects notes. */
export interface ReadOptions {
  /** Keras version of the file (its `keras_version`), when known. */
  readonly version?: string;
  /** Keras 2 (and TF.js) meanings: hard_sigmoid is clip(0.2x + 0.5, 0, 1). */
  readonly keras2?: boolean;
  /** Kept keys that change training ("kept, not used in the browser"), as `key` or `key=value`. */
  readonly unused: string[];
  /** Kept keys Unroll does not know at all. */
  readonly unknown: string[];
  /** Layers whose hard_sigmoid follows Keras 2. */
  readonly keras2HardSigmoid: string[];
}

export function readOptions(version: string | undefined, keras2: boolean): ReadOptions {
  return { version, keras2, unused: [], unknown: [], keras2HardSigmoid: [] };
}

function readValue(s: ParamSpec, v: unknown, field: string): ParamValue {
  if (s.type === 'enum' && typeof v === 'string' && !s.options.includes(v)) {
    const sn = snake(v);
    if (s.options.includes(sn)) return sn;
  }
  if (s.type === 'enum' && s.name.endsWith('activation') && v === null) return 'linear';
  if (s.type === 'shape' && Array.isArray(v)) return v as (number | null)[];
  if (isDict(v) && s.type !== 'layer') {
    // A Keras 3 serialized function ({class_name: 'function', config: 'tanh'}) or a dtype policy ({config: {name}}).
    if (typeof v.config === 'string') return readValue(s, v.config, field);
    const name = isDict(v.config) ? v.config.name : undefined;
    if (typeof name === 'string') return name;
    throw new KerasReadError(`${field}: expected a ${s.type} (got ${JSON.stringify(v)})`);
  }
  return v as ParamValue;
}

/** A dtype (string, Keras 3 DTypePolicy / FloatDTypePolicy, Keras 2 Policy) → its policy name. */
export function dtypeName(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (isDict(v) && isDict(v.config) && typeof v.config.name === 'string') return v.config.name;
  return null;
}

/**
 * The generic reading of a config for `kind`: every Keras parameter Unroll models, checked; what
 * it does not model is kept in `keras_kept` (written back on export), never dropped.
 */
export function genericParams(kind: string, config: KerasDict, opts: ReadOptions, where = kind): Params {
  const def = getLayer(kind)!;
  const out: Record<string, ParamValue> = {};
  const kept: Record<string, string> = {};
  const keep = (key: string, value: KerasJson, param?: ParamValue) => {
    kept[key] = JSON.stringify(param === undefined ? { value } : { value, param });
  };
  const specNames = new Set<string>();
  for (const s of def.params) {
    if (s.keras === false) continue;
    specNames.add(s.name);
    if (!(s.name in config)) continue;
    const raw = config[s.name];
    let v: ParamValue;
    if (isInitializerSpec(s)) {
      const r = readInitializer(raw, s.name, String(s.default));
      v = r.name;
      if (!r.exact) {
        keep(s.name, raw, v);
        opts.unused.push(`${where} ${s.name}=${typeof raw === 'string' ? raw : (raw as { class_name?: string }).class_name}`);
      }
    } else {
      v = readValue(s, raw, s.name);
      if (v === 'hard_sigmoid' && s.name.endsWith('activation') && opts.keras2) {
        v = KERAS2_HARD_SIGMOID;
        opts.keras2HardSigmoid.push(`${where} (${s.name})`);
      }
    }
    const bad = checkParam(s, v);
    if (bad) throw new KerasReadError(`${s.name}: ${bad}`);
    out[s.name] = v;
  }
  for (const [k, d] of Object.entries(REFUSED)) {
    if (k in config && config[k] !== null && config[k] !== d) {
      throw new KerasReadError(`${k}=${JSON.stringify(config[k])} is not supported by Unroll (only ${JSON.stringify(d)})`);
    }
  }
  const fixed = def.keras?.fixed ?? {};
  for (const [k, v] of Object.entries(config)) {
    if (specNames.has(k) || NOT_CONFIG.has(k) || k in REFUSED) continue;
    if (k in fixed && (v === null || JSON.stringify(v) === JSON.stringify(fixed[k]))) continue;
    if (!(k in fixed) && (def.keras?.keys ?? []).includes(k)) continue; // a key another hook writes (Bidirectional's layer…)
    if (!(k in fixed) && v === null) continue;
    keep(k, v);
    if (changesTraining(k, v)) opts.unused.push(`${where} ${k}${typeof v === 'boolean' ? `=${v ? 'True' : 'False'}` : ''}`);
    else if (!(k in fixed) && !KNOWN_HARMLESS.has(k)) opts.unknown.push(`${where} ${k}`);
  }
  const dt = dtypeName(config.dtype);
  if (dt && dt !== 'float32' && kind !== 'Input') {
    keep('dtype', dt);
    opts.unused.push(`${where} dtype=${dt}`);
  }
  if (Object.keys(kept).length) {
    if (opts.version) kept[VERSION_KEY] = JSON.stringify({ value: opts.version });
    out[KEPT_PARAM] = kept;
  }
  return out;
}

/** Keys of other Keras versions that change nothing Unroll computes (kept and written back where Keras accepts them). */
const KNOWN_HARMLESS = new Set(['implementation', 'use_cudnn', 'seed', 'unroll', 'lora_rank', 'lora_alpha', 'quantization_config', 'autocast']);

/** Reads one layer config into Unroll parameters (defaults filled); throws KerasReadError. */
export function readLayerParams(kind: string, config: KerasDict, opts: ReadOptions = readOptions(undefined, false), where = kind): Params {
  const def = getLayer(kind)!;
  const ctx: KerasReadContext = {
    generic: (k, c) => genericParams(k, c, opts, where),
    nested: (obj, field) => {
      if (!isDict(obj) || typeof obj.class_name !== 'string') throw new KerasReadError(`${field}: expected a layer object with class_name and config`);
      const inner = layerByKerasClass(obj.class_name);
      if (!inner || !def.params.some((s) => s.type === 'layer' && s.kinds.includes(inner.kind))) {
        throw new KerasReadError(`${field}: ${obj.class_name} cannot be wrapped by ${def.kerasClass} in Unroll`);
      }
      // A wrapper sets zero_output_for_mask on its inner layers itself (Bidirectional): not the layer's own setting.
      const { zero_output_for_mask: _zero, ...c } = isDict(obj.config) ? (obj.config as KerasDict) : {};
      const name = typeof c.name === 'string' ? c.name : inner.defaultName;
      const params = readLayerParams(inner.kind, c, opts, `${where}.${name}`);
      return { kind: inner.kind, params, name };
    },
  };
  const p = def.keras?.fromConfig ? def.keras.fromConfig(config, ctx) : genericParams(kind, config, opts, where);
  const kept = p[KEPT_PARAM];
  const full = withDefaults(def.params, p);
  return kept === undefined ? full : { ...full, [KEPT_PARAM]: kept };
}
