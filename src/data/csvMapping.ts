/**
 * Column mapping and validation: turns a parsed CSV table into labelled texts, with the course's
 * filters and clear messages. Rules, in order, each row counted once in the report:
 * 1. a row whose label cell is empty (after trimming) is unlabelled: counted, skipped, warned;
 * 2. a row whose text cell is empty is skipped (counted);
 * 3. with a confidence column, a row whose confidence is not a number is skipped (counted), and a
 *    row is kept only if confidence > threshold (default 0.5; `<= threshold` is filtered out);
 * 4. with a target column (regression), a row whose target is not a number is skipped (counted);
 * 5. with a target-sequence column (sequence-to-sequence), a row whose target text is empty is
 *    skipped and counted as unlabelled.
 * Labels are trimmed; texts are kept verbatim except for optional HTML-entity decoding.
 * Fatal problems throw DataError: bad mapping, a missing column (named, with the available
 * ones), no usable rows, and a label column with only one class.
 */
import { z } from '../core/zod.ts';
import type { CsvTable } from './csv.ts';
import { columnList, DataError, shortValue } from './errors.ts';
import { decodeHtmlEntities } from './htmlEntities.ts';
import { plural } from '../core/plural.ts';

export const ColumnMappingSchema = z
  .object({
    text: z.string().min(1),
    label: z.string().min(1).optional(),
    target: z.string().min(1).optional(),
    /** A text column to produce from the input text (sequence-to-sequence). */
    target_sequence: z.string().min(1).optional(),
    confidence: z.string().min(1).optional(),
    threshold: z.number().finite().optional(),
  })
  .refine((m) => m.label !== undefined || m.target !== undefined || m.target_sequence !== undefined, {
    message: 'Map a label column (classification), a target column (regression) or a target sequence column (sequence-to-sequence).',
  });

export type ColumnMapping = z.infer<typeof ColumnMappingSchema>;

export interface LabelledText {
  text: string;
  /** The trimmed label ('' when only a regression target is mapped). */
  label: string;
  confidence?: number;
  target?: number;
  /** The target text (sequence-to-sequence). */
  targetText?: string;
  /** 1-based data row in the file. */
  row: number;
}

export interface ExtractReport {
  totalRows: number;
  kept: number;
  unlabelled: number;
  emptyText: number;
  invalidConfidence: number;
  belowThreshold: number;
  invalidTarget: number;
  /** Rows kept per label, labels in order of first appearance. */
  classCounts: Record<string, number>;
  warnings: string[];
}

export interface ExtractOptions {
  /** Decode &amp; &lt; &gt; &quot; &#39; … in texts (default false). */
  decodeEntities?: boolean;
}

/** Validates a mapping against a table's columns; throws DataError for bad input. */
export function validateMapping(table: CsvTable, mapping: unknown): ColumnMapping {
  const parsed = ColumnMappingSchema.safeParse(mapping);
  if (!parsed.success) {
    const msg = parsed.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
    throw new DataError('invalid-mapping', `Invalid column mapping: ${msg}`);
  }
  const m = parsed.data;
  const roles: [string, string | undefined][] = [
    ['text', m.text],
    ['label', m.label],
    ['target', m.target],
    ['target sequence', m.target_sequence],
    ['confidence', m.confidence],
  ];
  for (const [role, column] of roles) {
    if (column !== undefined && !table.columns.includes(column)) {
      throw new DataError(
        'missing-column',
        `The ${role} column "${shortValue(column)}" is not in the file. Available columns: ${columnList(table.columns)}.`,
      );
    }
  }
  return m;
}

/** Applies a mapping to a table: filtered, labelled texts and a report of what was skipped. */
export function extractLabelledTexts(
  table: CsvTable,
  mapping: unknown,
  options: ExtractOptions = {},
): { examples: LabelledText[]; report: ExtractReport } {
  const m = validateMapping(table, mapping);
  const threshold = m.threshold ?? 0.5;
  const report: ExtractReport = {
    totalRows: table.rows.length,
    kept: 0,
    unlabelled: 0,
    emptyText: 0,
    invalidConfidence: 0,
    belowThreshold: 0,
    invalidTarget: 0,
    classCounts: {},
    warnings: [],
  };
  const examples: LabelledText[] = [];
  table.rows.forEach((row, i) => {
    const label = m.label === undefined ? '' : (row[m.label] ?? '').trim();
    if (m.label !== undefined && label === '') return void report.unlabelled++;
    const raw = row[m.text] ?? '';
    if (raw.trim() === '') return void report.emptyText++;
    const example: LabelledText = { text: options.decodeEntities ? decodeHtmlEntities(raw) : raw, label, row: i + 1 };
    if (m.target_sequence !== undefined) {
      const t = row[m.target_sequence] ?? '';
      if (t.trim() === '') return void report.unlabelled++;
      example.targetText = options.decodeEntities ? decodeHtmlEntities(t) : t;
    }
    if (m.confidence !== undefined) {
      const cell = (row[m.confidence] ?? '').trim();
      const c = cell === '' ? NaN : Number(cell);
      if (!Number.isFinite(c)) return void report.invalidConfidence++;
      if (!(c > threshold)) return void report.belowThreshold++;
      example.confidence = c;
    }
    if (m.target !== undefined) {
      const cell = (row[m.target] ?? '').trim();
      const t = cell === '' ? NaN : Number(cell);
      if (!Number.isFinite(t)) return void report.invalidTarget++;
      example.target = t;
    }
    examples.push(example);
    if (m.label !== undefined) report.classCounts[label] = (report.classCounts[label] ?? 0) + 1;
  });
  report.kept = examples.length;
  if (report.unlabelled > 0) {
    const column = m.label ?? m.target_sequence;
    report.warnings.push(`${plural(report.unlabelled, 'row has', 'rows have')} no ${m.label !== undefined ? 'label' : 'target sequence'} in column "${shortValue(column)}" and ${report.unlabelled === 1 ? 'was' : 'were'} skipped.`);
  }
  if (report.emptyText > 0) report.warnings.push(`${plural(report.emptyText, 'row has', 'rows have')} an empty text and ${report.emptyText === 1 ? 'was' : 'were'} skipped.`);
  if (report.invalidConfidence > 0) {
    report.warnings.push(`${plural(report.invalidConfidence, 'row has', 'rows have')} a confidence that is not a number and ${report.invalidConfidence === 1 ? 'was' : 'were'} skipped.`);
  }
  if (report.belowThreshold > 0) {
    report.warnings.push(`${plural(report.belowThreshold, 'row', 'rows')} with confidence <= ${threshold} ${report.belowThreshold === 1 ? 'was' : 'were'} filtered out.`);
  }
  if (report.invalidTarget > 0) {
    report.warnings.push(`${plural(report.invalidTarget, 'row has', 'rows have')} a target that is not a number and ${report.invalidTarget === 1 ? 'was' : 'were'} skipped.`);
  }
  if (examples.length === 0) {
    throw new DataError('no-usable-rows', `No usable rows are left out of ${report.totalRows}. ${report.warnings.join(' ')}`.trim());
  }
  const classes = Object.keys(report.classCounts);
  if (m.label !== undefined && classes.length < 2) {
    throw new DataError(
      'single-class',
      `The label column "${shortValue(m.label)}" has only one class ("${shortValue(classes[0])}") in ${plural(examples.length, 'usable row', 'usable rows')}; a classifier needs at least two classes.`,
    );
  }
  return { examples, report };
}
