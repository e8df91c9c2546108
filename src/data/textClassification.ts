/**
 * The course's text-classification pipeline as one function: split labelled texts (seeded,
 * 60/20/20 by default), adapt a TextVectorization on the TRAINING texts only, encode labels with
 * a StringLookup (a fixed vocabulary with num_oov_indices 0, or adapted on all labels: most
 * frequent first), and return a Dataset of token-id sequences and class ids.
 */
import { StringLookup } from './stringLookup.ts';
import { DEFAULT_FRACTIONS, splitDataset, type SplitFractions, type Splits } from './split.ts';
import type { Dataset, Example } from './tasks.ts';
import { type Split, type Standardize, TextVectorization } from './textVectorization.ts';

export interface TextLabel {
  text: string;
  label: string;
}

export interface TextClassificationOptions {
  id?: string;
  name?: string;
  description?: string;
  source?: string;
  licence?: string;
  /** Fixed label order, e.g. ['positive', 'negative', 'neutral']; unknown labels throw. */
  labels?: readonly string[];
  maxTokens?: number | null;
  outputSequenceLength?: number | null;
  standardize?: Standardize;
  split?: Split;
  fractions?: SplitFractions;
  seed?: number;
  stratify?: boolean;
}

export interface TextClassificationResult {
  dataset: Dataset;
  vectorizer: TextVectorization;
  labelLookup: StringLookup;
  splits: Splits<TextLabel>;
}

export function buildTextClassification(
  items: readonly TextLabel[],
  options: TextClassificationOptions = {},
): TextClassificationResult {
  const labelLookup = options.labels
    ? new StringLookup({ vocabulary: options.labels, num_oov_indices: 0 })
    : new StringLookup({ num_oov_indices: 0 }).adapt(items.map((i) => i.label));
  // Fail early (before any work) on labels outside a fixed vocabulary.
  for (const item of items) labelLookup.lookup(item.label);
  const splits = splitDataset(items, {
    fractions: options.fractions ?? DEFAULT_FRACTIONS,
    seed: options.seed ?? 0,
    stratifyBy: options.stratify ? (i) => i.label : undefined,
  });
  const vectorizer = new TextVectorization({
    max_tokens: options.maxTokens === undefined ? 1000 : options.maxTokens,
    output_sequence_length: options.outputSequenceLength ?? null,
    standardize: options.standardize,
    split: options.split,
  }).adapt(splits.train.map((i) => i.text));
  const encode = (part: TextLabel[]): Example[] => part.map((i) => ({ x: vectorizer.call(i.text), y: labelLookup.lookup(i.label) }));
  const labels = labelLookup.get_vocabulary();
  return {
    dataset: {
      id: options.id ?? 'text-classification',
      name: options.name ?? 'Text classification',
      description: options.description ?? `Texts labelled ${labels.join(' / ')}.`,
      source: options.source ?? 'Uploaded by the user.',
      licence: options.licence ?? 'As provided by the user.',
      task: 'sequence-classification',
      inputs: { dtype: 'int32', vocabulary: vectorizer.get_vocabulary(), text: { standardize: vectorizer.standardize, split: vectorizer.split, lowercase: vectorizer.lowercase } },
      numClasses: labels.length,
      labels,
      train: encode(splits.train),
      val: encode(splits.val),
      test: encode(splits.test),
    },
    vectorizer,
    labelLookup,
    splits,
  };
}
