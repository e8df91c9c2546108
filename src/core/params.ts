/**
 * Layer parameters declared as data: Keras name, type, default, limits and help. The inspector,
 * validation, project-file loading, Keras import/export and code generation all read these specs.
 */
import type { ParamValue, Params } from './types.ts';

interface SpecBase {
  /** The Keras argument name (`return_sequences`), or an Unroll-only name when `keras` is false. */
  readonly name: string;
  readonly help: string;
  /** False for parameters that are not Keras constructor arguments (e.g. a merge layer's input count). */
  readonly keras?: boolean;
  /** Shown as a toggle on the node itself, not only in the inspector. */
  readonly onNode?: boolean;
}

export type ParamSpec =
  | (SpecBase & { readonly type: 'int'; readonly default: number | null; readonly min?: number; readonly max?: number; readonly nullable?: boolean })
  | (SpecBase & { readonly type: 'float'; readonly default: number; readonly min?: number; readonly max?: number; readonly maxExclusive?: boolean })
  | (SpecBase & { readonly type: 'bool'; readonly default: boolean })
  | (SpecBase & { readonly type: 'enum'; readonly default: string | null; readonly options: readonly (string | null)[] })
  | (SpecBase & { readonly type: 'shape'; readonly default: readonly (number | null)[]; readonly minRank?: number })
  | (SpecBase & { readonly type: 'layer'; readonly default: { readonly kind: string; readonly params: Params }; readonly kinds: readonly string[] });

export interface ParamProblem {
  readonly param: string;
  readonly message: string;
}

/**
 * Keras 2's (and TF.js's) `hard_sigmoid`, clip(0.2x + 0.5, 0, 1). Keras 3 renamed nothing but
 * changed the function (relu6(x + 3) / 6), so a Keras 2 file's hard_sigmoid is read as this.
 */
export const KERAS2_HARD_SIGMOID = 'hard_sigmoid_keras2';

/** The activations Keras 3 accepts by name that Unroll offers (and Keras 2's hard_sigmoid, for Keras 2 files). */
export const ACTIVATIONS = [
  'tanh', 'sigmoid', 'relu', 'linear', 'softmax', 'elu', 'selu', 'softplus', 'softsign',
  'hard_sigmoid', 'swish', 'gelu', 'exponential', 'relu6', 'leaky_relu', 'log_softmax', 'mish', 'silu',
  KERAS2_HARD_SIGMOID,
] as const;

function isInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

/** Checks one value against its spec; returns a message naming the limit, or null when fine. */
export function checkParam(spec: ParamSpec, v: ParamValue | undefined): string | null {
  switch (spec.type) {
    case 'int':
      if (v === null && spec.nullable) return null;
      if (!isInt(v)) return `${spec.name} must be a whole number${spec.nullable ? ' or None' : ''}`;
      if (spec.min !== undefined && v < spec.min) return `${spec.name} must be at least ${spec.min} (got ${v})`;
      if (spec.max !== undefined && v > spec.max) return `${spec.name} must be at most ${spec.max} (got ${v})`;
      return null;
    case 'float':
      if (typeof v !== 'number' || !Number.isFinite(v)) return `${spec.name} must be a number`;
      if (spec.min !== undefined && v < spec.min) return `${spec.name} must be at least ${spec.min} (got ${v})`;
      if (spec.max !== undefined && (spec.maxExclusive ? v >= spec.max : v > spec.max))
        return `${spec.name} must be ${spec.maxExclusive ? 'below' : 'at most'} ${spec.max} (got ${v})`;
      return null;
    case 'bool':
      return typeof v === 'boolean' ? null : `${spec.name} must be true or false`;
    case 'enum':
      return spec.options.includes(v as string | null)
        ? null
        : `${spec.name} must be one of ${spec.options.map((o) => (o === null ? 'None' : `'${o}'`)).join(', ')} (got ${JSON.stringify(v)})`;
    case 'shape': {
      if (!Array.isArray(v)) return `${spec.name} must be a list of sizes such as [None, 12]`;
      if (v.length < (spec.minRank ?? 1)) return `${spec.name} needs at least ${spec.minRank ?? 1} axis`;
      for (const d of v) {
        if (d !== null && (!isInt(d) || d < 1)) return `${spec.name}: every size must be a whole number ≥ 1 or None (got ${JSON.stringify(d)})`;
      }
      return null;
    }
    case 'layer': {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return `${spec.name} must be a layer`;
      const kind = (v as { kind?: unknown }).kind;
      if (typeof kind !== 'string' || !spec.kinds.includes(kind))
        return `${spec.name} must wrap one of ${spec.kinds.join(', ')} (got ${JSON.stringify(kind)})`;
      return null;
    }
  }
}

/** Fills defaults for missing parameters; keeps unknown keys out. */
export function withDefaults(specs: readonly ParamSpec[], raw: Params | undefined): Params {
  const out: Record<string, ParamValue> = {};
  for (const s of specs) {
    const v = raw?.[s.name];
    out[s.name] = v === undefined ? (s.default as ParamValue) : v;
  }
  return out;
}

/** All problems of a parameter set (after defaults are filled). */
export function checkParams(specs: readonly ParamSpec[], p: Params): ParamProblem[] {
  const problems: ParamProblem[] = [];
  for (const s of specs) {
    const m = checkParam(s, p[s.name]);
    if (m) problems.push({ param: s.name, message: m });
  }
  return problems;
}

export function defaultParams(specs: readonly ParamSpec[]): Params {
  return withDefaults(specs, undefined);
}

/**
 * A shape as people type it, in Python's spelling or plainer: `10, 2`, `(10, 2)`, `[10, 2]`,
 * `10 2`, `None, 12`, `(12,)`, `10×2`. Sizes are whole numbers or None (`none`, `null` and `?` read
 * as None). Returns the sizes, or what could not be read and how to write it. Limits (≥ 1, the
 * rank) are checkParam's.
 */
export function parseShapeText(text: string): { ok: true; shape: (number | null)[] } | { ok: false; message: string } {
  let t = text.trim();
  const open = t[0], close = t[t.length - 1];
  if ((open === '(' && close === ')') || (open === '[' && close === ']')) t = t.slice(1, -1);
  const tokens = t.split(/[\s,×*]+|(?<=\d)x(?=\d)/i).filter(Boolean);
  const example = 'e.g. 10, 2 or None, 12';
  if (!tokens.length) return { ok: false, message: `Write the size of each axis, ${example}` };
  const shape: (number | null)[] = [];
  for (const tok of tokens) {
    if (/^(none|null|\?)$/i.test(tok)) shape.push(null);
    else if (/^\d+$/.test(tok)) shape.push(Number(tok));
    else return { ok: false, message: `"${tok}" is not a size: use whole numbers or None, ${example}` };
  }
  return { ok: true, shape };
}
