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

export interface CsvDatasetOptions {
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
  if (mapping.label === undefined) throw new DataError('invalid-mapping', 'Map a label column: Unroll trains text classifiers from CSV files.');
  const { examples, report } = extractLabelledTexts(table, mapping, { decodeEntities: options.decodeEntities ?? true });
  if (examples.length < 5) {
    throw new DataError('too-few-rows', `Only ${examples.length} usable row${examples.length === 1 ? '' : 's'} after filtering (${report.totalRows} in the file): a split needs at least 5.`);
  }
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
