/**
 * One layer's Keras config, both ways: Unroll parameters → the Keras 3 `get_config()` dict (with
 * defaults written out, initializers as Keras 3 objects) and any Keras 2, Keras 3 or TF.js config
 * → Unroll parameters. The generic rules read the parameter specs and the kind's `keras` hooks
 * (layers/define.ts); kinds override only what differs (Input, Bidirectional, TimeDistributed).
 *
 *   layerObject('LSTM', params, 'lstm', [null, 8, 4])   // {module, class_name, config, registered_name, build_config}
 *   readLayerParams('LSTM', config, warnings)            // Params, or throws KerasReadError naming the field
 */
import { checkParam, withDefaults, type ParamSpec } from '../params.ts';
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

/** Reads an initializer (name or object); `preferred` breaks ties between aliases (uniform / random_uniform). */
export function readInitializer(v: unknown, field: string, preferred: string, warnings: string[]): string {
  let cls: string;
  let config: Record<string, unknown> = {};
  if (typeof v === 'string') cls = v;
  else if (isDict(v) && typeof v.class_name === 'string') {
    cls = v.class_name;
    if (isDict(v.config)) config = v.config;
  } else throw new KerasReadError(`${field}: expected an initializer name or object (got ${JSON.stringify(v)})`);
  let name = snake(cls);
  if (name === 'variance_scaling') name = varianceScalingName(config) ?? name;
  if (name === 'one') name = 'ones';
  if (name === 'zero') name = 'zeros';
  if (name === 'normal') name = 'random_normal';
  if (!(name in INITIALIZERS)) throw new KerasReadError(`${field}: initializer ${cls} is not one Unroll offers`);
  const [keras, defaults] = INITIALIZERS[name];
  if (INITIALIZERS[preferred]?.[0] === keras) name = preferred;
  const changed = Object.keys(config).filter((k) => {
    if (['scale', 'mode', 'distribution'].includes(k)) return false;
    const d = (defaults as Record<string, unknown>)[k];
    return config[k] !== null && config[k] !== d && !(d === undefined && k === 'seed');
  });
  if (changed.length) warnings.push(`${field}: ${cls} settings ${changed.map((k) => `${k}=${JSON.stringify(config[k])}`).join(', ')} are not kept (Keras defaults used)`);
  return name;
}

function toJson(v: ParamValue | undefined): KerasJson {
  return v === undefined ? null : (v as KerasJson);
}

/** The kind's nested-layer name: its own, or the kind's Keras stem. */
export function nestedName(layer: { kind: string; name?: unknown }): string {
  return typeof layer.name === 'string' && layer.name ? layer.name : (getLayer(layer.kind)?.defaultName ?? snake(layer.kind));
}

/** The body of `get_config()` after name/trainable/dtype, from the kind's keys and its parameter specs. */
export function genericConfig(def: LayerDef, p: Params): Record<string, KerasJson> {
  const out: Record<string, KerasJson> = {};
  const specs = new Map(def.params.filter((s) => s.keras !== false).map((s) => [s.name, s]));
  for (const key of def.keras?.keys ?? []) {
    const s = specs.get(key);
    if (s) out[key] = isInitializerSpec(s) ? initializerObject(String(p[key])) : toJson(p[key]);
    else out[key] = def.keras?.fixed?.[key] ?? null;
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
  const body = def.keras?.toConfig ? def.keras.toConfig(p, ctx) : genericConfig(def, p);
  if (def.keras?.wholeConfig) return body;
  return { name, trainable, dtype: dtypePolicy(), ...body };
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

/** Keys Keras writes that Unroll cannot honour: a non-default value changes shapes, so it is refused. */
const REFUSED: Record<string, KerasJson> = { keepdims: false, data_format: 'channels_last', stateful: false, time_major: false };

function readValue(s: ParamSpec, v: unknown, field: string, warnings: string[]): ParamValue {
  if (isInitializerSpec(s)) return readInitializer(v, field, String(s.default), warnings);
  if (s.type === 'enum' && typeof v === 'string' && !s.options.includes(v)) {
    const sn = snake(v);
    if (s.options.includes(sn)) return sn;
  }
  if (s.type === 'enum' && s.name.endsWith('activation') && v === null) return 'linear';
  if (s.type === 'shape' && Array.isArray(v)) return v as (number | null)[];
  if (isDict(v) && s.type !== 'layer') {
    const name = isDict(v.config) ? v.config.name : undefined;
    if (typeof name === 'string') return name; // a Keras 3 dtype policy or a serialized function
    throw new KerasReadError(`${field}: expected a ${s.type} (got ${JSON.stringify(v)})`);
  }
  return v as ParamValue;
}

/** The generic reading of a config for `kind`: every Keras parameter Unroll models, checked. */
export function genericParams(kind: string, config: KerasDict, warnings: string[]): Params {
  const def = getLayer(kind)!;
  const out: Record<string, ParamValue> = {};
  for (const s of def.params) {
    if (s.keras === false || !(s.name in config)) continue;
    const v = readValue(s, config[s.name], s.name, warnings);
    const bad = checkParam(s, v);
    if (bad) throw new KerasReadError(`${s.name}: ${bad}`);
    out[s.name] = v;
  }
  for (const [k, d] of Object.entries(REFUSED)) {
    if (k in config && config[k] !== null && config[k] !== d) {
      throw new KerasReadError(`${k}=${JSON.stringify(config[k])} is not supported by Unroll (only ${JSON.stringify(d)})`);
    }
  }
  for (const [k, d] of Object.entries(def.keras?.fixed ?? {})) {
    if (k in REFUSED || !(k in config) || config[k] === null || JSON.stringify(config[k]) === JSON.stringify(d)) continue;
    warnings.push(`${k}=${JSON.stringify(config[k])} is not kept (Unroll uses ${JSON.stringify(d)})`);
  }
  return out;
}

/** Reads one layer config into Unroll parameters (defaults filled); throws KerasReadError. */
export function readLayerParams(kind: string, config: KerasDict, warnings: string[]): Params {
  const def = getLayer(kind)!;
  const ctx: KerasReadContext = {
    generic: (k, c) => genericParams(k, c, warnings),
    nested: (obj, field) => {
      if (!isDict(obj) || typeof obj.class_name !== 'string') throw new KerasReadError(`${field}: expected a layer object with class_name and config`);
      const inner = layerByKerasClass(obj.class_name);
      if (!inner || !def.params.some((s) => s.type === 'layer' && s.kinds.includes(inner.kind))) {
        throw new KerasReadError(`${field}: ${obj.class_name} cannot be wrapped by ${def.kerasClass} in Unroll`);
      }
      const c = isDict(obj.config) ? (obj.config as KerasDict) : {};
      // A wrapper sets zero_output_for_mask on its inner layers itself (Bidirectional): no warning.
      const own: string[] = [];
      const params = withDefaults(inner.params, readLayerParams(inner.kind, c, own));
      warnings.push(...own.filter((w) => !w.startsWith('zero_output_for_mask')).map((w) => `${field}: ${w}`));
      return { kind: inner.kind, params, name: typeof c.name === 'string' ? c.name : inner.defaultName };
    },
  };
  const p = def.keras?.fromConfig ? def.keras.fromConfig(config, ctx) : genericParams(kind, config, warnings);
  return withDefaults(def.params, p);
}
