/**
 * Helpers shared by layer definitions: common parameter specs, input checks that produce the
 * catalogue's messages, and mask rules.
 */
import { ACTIVATIONS, type ParamSpec } from '../params.ts';
import type { Shape, TensorInfo } from '../shape.ts';
import { issues } from '../issues.ts';
import { nodeSemantics, SEMANTICS_IDS, SEMANTICS_PARAM } from '../versions.ts';
import type { Params } from '../types.ts';
import type { InferContext, InferResult, LocalIssue } from './define.ts';

export const INITIALIZERS = [
  'glorot_uniform', 'glorot_normal', 'he_uniform', 'he_normal', 'lecun_uniform', 'lecun_normal',
  'orthogonal', 'zeros', 'ones', 'random_uniform', 'random_normal', 'truncated_normal', 'uniform',
] as const;

export const spec = {
  units: (def: number, help = 'Size of the output vector (number of units).'): ParamSpec => ({
    name: 'units', type: 'int', default: def, min: 1, help,
  }),
  activation: (def: string, help = 'Activation applied to the output.'): ParamSpec => ({
    name: 'activation', type: 'enum', default: def, options: ACTIVATIONS, help,
  }),
  useBias: (): ParamSpec => ({ name: 'use_bias', type: 'bool', default: true, help: 'Whether the layer adds a learned bias vector.' }),
  initializer: (name: string, def: string, help: string): ParamSpec => ({
    name, type: 'enum', default: def, options: INITIALIZERS, help,
  }),
  rate: (name: string, help: string): ParamSpec => ({
    name, type: 'float', default: 0, min: 0, max: 1, maxExclusive: true, help,
  }),
  inputCount: (): ParamSpec => ({
    name: 'n_inputs', type: 'int', default: 2, min: 2, keras: false,
    help: 'How many tensors this layer combines (one handle each).',
  }),
  /** Which Keras's meaning the layer follows where versions differ (src/core/versions.ts). */
  semantics: (what: string): ParamSpec => ({
    name: SEMANTICS_PARAM, type: 'enum', default: 'keras3', options: SEMANTICS_IDS, keras: false,
    help: `Whose meaning ${what} follows: Keras 3.4+ (today's), Keras 3.0–3.3, tf.keras 2.4–2.15 or Keras 2.0–2.3 / TF.js. Set from the file a model was opened from; "Use Keras 3 semantics" converts.`,
  }),
};

/**
 * Whether a merge layer's output carries a mask, by the node's Keras (versions.ts): Keras 2 ANDs the
 * masks present, Keras 3.0–3.3 gives none, Keras 3.4+ ORs them when every input has one (Add) or
 * when any has one (Concatenate, which counts an unmasked input as all true).
 */
export function mergeMasked(p: Params, xs: readonly TensorInfo[], concat: boolean): boolean {
  const rule = nodeSemantics(p).mergeMask;
  if (rule === 'none') return false;
  if (rule === 'or' && !concat) return xs.every((x) => x.masked);
  return xs.some((x) => x.masked);
}

export function fail(issue: LocalIssue, outputs = 1): InferResult {
  return { outputs: Array(outputs).fill(null), params: null, issues: [issue] };
}

/** Checks the rank of the main input; returns an issue or null. */
export function expectRank(
  ctx: InferContext, kind: string, x: TensorInfo, ranks: readonly number[], expected: string, index = 0,
): LocalIssue | null {
  if (ranks.includes(x.shape.length)) return null;
  return issues.rankMismatch(ctx.node.name, kind, expected, x.shape, ctx.sources[index]);
}

/** Float layers refuse integer token ids with a fix that names Embedding. */
export function expectFloat(ctx: InferContext, kind: string, x: TensorInfo): LocalIssue | null {
  return x.dtype === 'int32' ? issues.intoFloatLayer(ctx.node.name, kind, ctx.sources[0]) : null;
}

/** The last axis must be known to size the weights. */
export function expectKnownLast(ctx: InferContext, x: TensorInfo, what = 'the size of the last axis'): LocalIssue | null {
  const d = x.shape[x.shape.length - 1];
  return d === null ? issues.unknownDim(ctx.node.name, what, x.shape, ctx.sources[0]) : null;
}

/** Output for a layer that keeps shape, dtype and mask (Dropout, Activation). */
export function passThrough(x: TensorInfo): TensorInfo {
  return x;
}

/** Keras 3: a layer without `supports_masking` destroys an incoming mask and warns. */
export function dropMask(ctx: InferContext, kind: string, x: TensorInfo, out: TensorInfo): { out: TensorInfo; issue?: LocalIssue } {
  if (!x.masked) return { out };
  return { out: { ...out, masked: false }, issue: issues.maskDropped(ctx.node.name, kind) };
}

export function withShape(x: TensorInfo, shape: Shape, masked = x.masked): TensorInfo {
  return { shape, dtype: 'float32', masked };
}
