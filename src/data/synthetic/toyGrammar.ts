/**
 * A tagged toy grammar for many-to-many tagging (part-of-speech style). Sentences follow
 *   DET (ADJ) NOUN VERB-3sg DET (ADJ) NOUN (ADV)   or   PRON VERB DET (ADJ) NOUN (ADV)
 * and some words are ambiguous, so a tagger must use context: "light" is ADJ, NOUN or VERB,
 * "watch" and "fly" are NOUN or VERB. Tag ids: 0 = padding, then DET ADJ NOUN VERB PRON ADV.
 * Word ids: 0 = '', 1 = '[UNK]', then the lexicon in code point order.
 */
import { mulberry32, randInt, type Rng } from '../random.ts';
import type { Dataset, Example } from '../tasks.ts';
import { SYNTHETIC_LICENCE, SYNTHETIC_SOURCE, type SyntheticOptions, withSplits } from './common.ts';
import { compareCodePoints } from '../vocabulary.ts';

export const POS_TAGS = ['', 'DET', 'ADJ', 'NOUN', 'VERB', 'PRON', 'ADV'] as const;
export type PosTag = (typeof POS_TAGS)[number];

export const LEXICON = {
  DET: ['the', 'a', 'every', 'this'],
  ADJ: ['big', 'small', 'red', 'old', 'light'],
  NOUN: ['dog', 'cat', 'bird', 'box', 'park', 'light', 'watch', 'fly'],
  VERB3: ['sees', 'likes', 'chases', 'finds'],
  VERB: ['see', 'like', 'light', 'watch', 'find', 'fly'],
  PRON: ['they', 'we', 'i', 'you'],
  ADV: ['today', 'quickly', 'again'],
} as const;

/** All words of the lexicon, ids from 2 in code point order. */
export const TOY_WORDS: readonly string[] = [
  '',
  '[UNK]',
  ...[...new Set(Object.values(LEXICON).flat())].sort(compareCodePoints),
];

const pick = <T>(rng: Rng, items: readonly T[]): T => items[randInt(rng, items.length)];

/** One sentence as (word, tag) pairs. */
export function toySentence(rng: Rng): [string, PosTag][] {
  const out: [string, PosTag][] = [];
  const nounPhrase = () => {
    out.push([pick(rng, LEXICON.DET), 'DET']);
    if (rng() < 0.5) out.push([pick(rng, LEXICON.ADJ), 'ADJ']);
    out.push([pick(rng, LEXICON.NOUN), 'NOUN']);
  };
  if (rng() < 0.5) {
    nounPhrase();
    out.push([pick(rng, LEXICON.VERB3), 'VERB']);
  } else {
    out.push([pick(rng, LEXICON.PRON), 'PRON']);
    out.push([pick(rng, LEXICON.VERB), 'VERB']);
  }
  nounPhrase();
  if (rng() < 0.3) out.push([pick(rng, LEXICON.ADV), 'ADV']);
  return out;
}

export function toyTagging(options: SyntheticOptions = {}): Dataset {
  const rng = mulberry32(options.seed ?? 0);
  const wordId = new Map(TOY_WORDS.map((w, i) => [w, i]));
  const tagId = new Map<string, number>(POS_TAGS.map((t, i) => [t, i]));
  const examples: Example[] = [];
  for (let n = 0; n < (options.size ?? 2000); n++) {
    const s = toySentence(rng);
    examples.push({ x: s.map(([w]) => wordId.get(w) ?? 1), y: s.map(([, t]) => tagId.get(t) ?? 0) });
  }
  return withSplits(
    {
      id: 'toy-pos',
      name: 'Toy part-of-speech tagging',
      description: 'Tiny sentences with one tag per word; "light", "watch" and "fly" need context.',
      source: SYNTHETIC_SOURCE,
      licence: SYNTHETIC_LICENCE,
      task: 'sequence-labelling',
      inputs: { dtype: 'int32', vocabulary: TOY_WORDS, text: { standardize: 'lower_and_strip_punctuation', split: 'whitespace' } },
      numClasses: POS_TAGS.length,
      labels: POS_TAGS,
    },
    examples,
    options,
  );
}
