/**
 * A typed text as the dataset's model sees it: standardised and split by the dataset's own
 * TextVectorization rules (`inputs.text`), each token looked up in its vocabulary, unknown ones
 * marked: `[UNK]` (id 1) where the vocabulary has it, left out where it has none (a character
 * model's alphabet). Without rules, a vocabulary of single characters splits into characters
 * (whitespace skipped), any other into words.
 */
import { splitText, standardizeText } from './textVectorization.ts';
import type { InputSpec } from './tasks.ts';

export interface TypedToken {
  /** The token as the vectorizer made it (after standardising). */
  readonly token: string;
  /** Its id, or -1 when it is not in a vocabulary without [UNK] (it is left out). */
  readonly id: number;
  readonly unknown: boolean;
  /** A prefix token the dataset adds (<start>), not typed. */
  readonly added?: boolean;
}

export interface Tokenized {
  readonly tokens: readonly TypedToken[];
  /** The ids the model gets (prefix included, left-out tokens not). */
  readonly ids: readonly number[];
  /** Said when something was left out. */
  readonly note?: string;
}

const OOV = '[UNK]';

export function tokenizeText(input: Pick<InputSpec, 'vocabulary' | 'text'>, text: string): Tokenized {
  const vocab = input.vocabulary ?? [];
  const index = new Map<string, number>();
  vocab.forEach((t, i) => {
    if (i > 0 && !index.has(t)) index.set(t, i);
  });
  const spec = input.text;
  let pieces: string[];
  if (spec) pieces = splitText(standardizeText(text, spec.standardize, spec.lowercase ?? 'unicode'), spec.split);
  else {
    const chars = vocab.slice(1).every((t) => [...t].length <= 1 || /^<.*>$|^\[.*\]$/.test(t));
    pieces = chars ? Array.from(text).filter((c) => !/\s/.test(c)) : text.trim().split(/\s+/).filter(Boolean);
  }
  const hasOov = vocab[1] === OOV;
  const prefix: TypedToken[] = (spec?.prefix ?? []).map((id) => ({ token: vocab[id] ?? `#${id}`, id, unknown: false, added: true }));
  const typed: TypedToken[] = pieces.map((p) => {
    const id = index.get(p);
    if (id !== undefined) return { token: p, id, unknown: p === OOV };
    return { token: p, id: hasOov ? 1 : -1, unknown: true };
  });
  const tokens = [...prefix, ...typed];
  const dropped = typed.filter((t) => t.id < 0);
  return {
    tokens,
    ids: tokens.filter((t) => t.id >= 0).map((t) => t.id),
    ...(dropped.length ? { note: `Not in the vocabulary, left out: ${[...new Set(dropped.map((t) => JSON.stringify(t.token)))].join(', ')}.` } : {}),
  };
}

/**
 * Numbers typed for a float input: "0.1, 0.5; 0.2 0.7" → rows of `featureSize` values (steps
 * separated by ';' or new lines, or a flat list cut into rows). A message when they do not fit.
 */
export function parseSeries(text: string, featureSize: number): { rows: number[][] } | { error: string } {
  const steps = /[;\n]/.test(text) ? text.split(/[;\n]+/) : null;
  const nums = (s: string) => s.split(/[\s,]+/).filter(Boolean).map(Number);
  const flat = steps ? steps.map(nums) : [nums(text)];
  if (flat.flat().some((v) => !Number.isFinite(v))) return { error: 'Type numbers only, e.g. 0.1, 0.5, 0.9.' };
  let rows: number[][];
  if (steps && flat.every((r) => r.length === featureSize)) rows = flat;
  else {
    const all = flat.flat();
    if (all.length === 0) return { error: 'Type at least one value.' };
    if (all.length % featureSize) return { error: `Each step has ${featureSize} value${featureSize > 1 ? 's' : ''}: ${all.length} is not a multiple of ${featureSize}.` };
    rows = Array.from({ length: all.length / featureSize }, (_, k) => all.slice(k * featureSize, (k + 1) * featureSize));
  }
  return { rows };
}
