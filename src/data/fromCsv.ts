/**
 * An uploaded CSV to a Dataset: map the columns, keep rows whose confidence is above the
 * threshold, split (seeded, optionally stratified), adapt TextVectorization on the training texts
 * and encode labels with StringLookup, exactly as the Keras lesson does.
 */
import type { CsvTable } from './csv.ts';
import { DataError } from './errors.ts';
import { extractLabelledTexts, type ColumnMapping, type ExtractReport } from './csvMapping.ts';
import type { SplitFractions } from './split.ts';
import type { Dataset } from './tasks.ts';
import { buildTextClassification } from './textClassification.ts';
import { splitDataset, DEFAULT_FRACTIONS } from './split.ts';
import { TextVectorization, type Split } from './textVectorization.ts';
import { END, START } from './synthetic/common.ts';

export interface CsvDatasetOptions {
  /** Sequence-to-sequence: split targets into words (default) or characters. */
  readonly targetSplit?: Split;
  readonly name?: string;
  readonly maxTokens?: number;
  readonly fractions?: SplitFractions;
  readonly seed?: number;
  readonly stratify?: boolean;
  readonly decodeEntities?: boolean;
  /** Fixed label order (e.g. the lesson's ['positive', 'negative', 'neutral']); otherwise most frequent first. */
  readonly labels?: readonly string[];
}

export interface CsvDataset {
  readonly dataset: Dataset;
  readonly report: ExtractReport;
}

/** Guesses a mapping from column names (text / label / confidence), for a first suggestion. */
export function suggestMapping(columns: readonly string[]): Partial<ColumnMapping> {
  const find = (...keys: string[]) => columns.find((c) => keys.some((k) => c.toLowerCase() === k)) ?? columns.find((c) => keys.some((k) => c.toLowerCase().includes(k)));
  const text = find('text', 'tweet', 'sentence', 'review', 'message', 'content');
  const confidence = find('confidence');
  const label = columns.find((c) => c !== confidence && /sentiment|label|class|category|target/i.test(c) && !/confidence|reason/i.test(c));
  return { text, label, confidence, threshold: confidence ? 0.5 : undefined };
}

export function datasetFromCsv(table: CsvTable, mapping: ColumnMapping, options: CsvDatasetOptions = {}): CsvDataset {
  if (mapping.label === undefined && mapping.target_sequence === undefined) {
    throw new DataError('invalid-mapping', 'Map a label column (text classification) or a target sequence column (sequence-to-sequence).');
  }
  const { examples, report } = extractLabelledTexts(table, mapping, { decodeEntities: options.decodeEntities ?? true });
  if (mapping.target_sequence !== undefined) {
    if (examples.length < 5) throw tooFew(examples.length, report.totalRows);
    return { dataset: seq2seqDataset(examples.map((e) => ({ text: e.text, target: e.targetText ?? '' })), mapping, options), report };
  }
  if (examples.length < 5) throw tooFew(examples.length, report.totalRows);
  const { dataset } = buildTextClassification(examples.map((e) => ({ text: e.text, label: e.label })), {
    id: 'csv',
    name: options.name ?? 'Uploaded CSV',
    description: `Column "${mapping.text}" → label "${mapping.label}"${mapping.confidence ? `, ${mapping.confidence} > ${mapping.threshold ?? 0.5}` : ''}.`,
    source: 'Uploaded by the user',
    licence: 'The uploader\'s',
    labels: options.labels,
    maxTokens: options.maxTokens ?? 1000,
    fractions: options.fractions,
    seed: options.seed ?? 0,
    stratify: options.stratify,
  });
  return { dataset, report };
}

function tooFew(n: number, total: number): DataError {
  return new DataError('too-few-rows', `Only ${n} usable row${n === 1 ? '' : 's'} after filtering (${total} in the file): a split needs at least 5.`);
}

/**
 * Sequence-to-sequence from two text columns: source ids from a TextVectorization adapted on the
 * training inputs; target ids from one adapted on the training targets, with `<start>` (1) and
 * `<end>` (2) added (target vocabulary: '', <start>, <end>, [UNK], tokens…); each target ends with
 * `<end>`, and the decoder input is the target shifted right after `<start>` (teacher forcing).
 */
function seq2seqDataset(items: { text: string; target: string }[], mapping: ColumnMapping, options: CsvDatasetOptions): Dataset {
  const splits = splitDataset(items, { fractions: options.fractions ?? DEFAULT_FRACTIONS, seed: options.seed ?? 0 });
  const source = new TextVectorization({ max_tokens: options.maxTokens ?? 1000 }).adapt(splits.train.map((i) => i.text));
  const target = new TextVectorization({ max_tokens: options.maxTokens ?? 1000, split: options.targetSplit ?? 'whitespace' }).adapt(splits.train.map((i) => i.target));
  const tv = target.get_vocabulary();
  const labels = ['', START, END, ...tv.slice(1)];
  const encode = (i: { text: string; target: string }) => ({
    x: source.call(i.text),
    y: [...target.call(i.target).map((id) => id + 2), 2],
  });
  return {
    id: 'csv',
    name: options.name ?? 'Uploaded CSV',
    description: `Column "${mapping.text}" → sequence "${mapping.target_sequence}".`,
    source: 'Uploaded by the user',
    licence: 'The uploader\'s',
    task: 'seq2seq',
    inputs: { dtype: 'int32', vocabulary: source.get_vocabulary(), text: { standardize: source.standardize, split: source.split, lowercase: source.lowercase } },
    numClasses: labels.length,
    labels,
    startId: 1,
    train: splits.train.map(encode),
    val: splits.val.map(encode),
    test: splits.test.map(encode),
  };
}
