/**
 * Helpers shared by layer definitions: common parameter specs, input checks that produce the
 * catalogue's messages, and mask rules.
 */
import { ACTIVATIONS, type ParamSpec } from '../params.ts';
import type { Shape, TensorInfo } from '../shape.ts';
import { issues } from '../issues.ts';
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
};

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
