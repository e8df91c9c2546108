/**
 * CSV parsing with papaparse into a plain table {columns, rows, errors}: the first row is the
 * header (names trimmed), quoted fields may hold commas, quotes ("") and line breaks, a UTF-8 BOM
 * is stripped, blank lines are skipped, line breaks are normalised to \n (also inside quoted
 * texts, so CRLF files and chunk boundaries behave the same). The size limit is checked before parsing. Structural
 * problems (too few / too many fields) are reported in `errors`, not thrown; an empty file throws.
 */
import Papa from 'papaparse';
import { columnList, DataError, formatBytes } from './errors.ts';

/** Default upload limit: 100 MB. */
export const MAX_CSV_BYTES = 100 * 1024 * 1024;

export interface CsvIssue {
  /** 1-based data row (the header is row 0), or null for file-level issues. */
  row: number | null;
  code: string;
  message: string;
}

export interface CsvTable {
  columns: string[];
  rows: Record<string, string>[];
  errors: CsvIssue[];
}

export interface ParseCsvOptions {
  /** Byte limit; defaults to MAX_CSV_BYTES. */
  maxBytes?: number;
}

/** The UTF-8 size of a string in bytes, without allocating an encoded copy. */
export function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

/** Throws a DataError('file-too-large') naming the size and the limit. */
export function assertWithinSizeLimit(bytes: number, limit = MAX_CSV_BYTES): void {
  if (bytes > limit) {
    throw new DataError(
      'file-too-large',
      `The file is too large: ${formatBytes(bytes)} (the limit is ${formatBytes(limit)}). Use a smaller sample of the data.`,
    );
  }
}

/** Removes a leading byte order mark. */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Normalises CRLF and lone CR line breaks to LF. */
export function normalizeNewlines(text: string): string {
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}

/** Throws DataError('empty-file') when there is nothing but whitespace. */
export function assertNotEmpty(text: string): void {
  if (text.trim().length === 0) throw new DataError('empty-file', 'The file is empty: it contains no header row and no data.');
}

/**
 * A column name as a row object can hold it: papaparse builds each row as a plain object, where a
 * column named `__proto__` would set the row's prototype (its cells were lost, and the text column
 * read Object.prototype). Such a column is renamed the way papaparse renames a duplicate header.
 */
export function columnName(h: string): string {
  const t = h.trim();
  return t === '__proto__' ? '__proto___1' : t;
}

/** Papa's common config for our tables. */
export const PAPA_CONFIG = {
  header: true,
  skipEmptyLines: 'greedy',
  transformHeader: columnName,
} as const;

export interface CsvFormat {
  delimiter: string;
  newline: '\n';
}

/**
 * Detects the delimiter (papaparse's guess among , ; tab | …) from the start of a normalised
 * text, so every chunk of a chunked parse uses the same one.
 */
export function sniffCsvFormat(sample: string): CsvFormat {
  const guess = Papa.parse(sample, { preview: 10, newline: '\n' });
  return { delimiter: guess.meta.delimiter || ',', newline: '\n' };
}

/** Keeps real problems: papaparse also "errors" when a one-column file has no delimiter. */
export function isRealIssue(e: Papa.ParseError): boolean {
  return e.code !== 'UndetectableDelimiter';
}

/** Converts a papaparse row object into a clean string record (missing cells become ''). */
export function normalizeRow(raw: Record<string, unknown>, columns: readonly string[]): Record<string, string> {
  const row: Record<string, string> = {};
  for (const c of columns) {
    // Own cells only: a short row has no "constructor" or "toString" cell, not Object's.
    const v = Object.hasOwn(raw, c) ? raw[c] : undefined;
    row[c] = typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);
  }
  return row;
}

/**
 * Maps a papaparse error to a CsvIssue with a 1-based data row. papaparse counts FieldMismatch
 * rows from 0 over data rows, but Quotes rows over the rows of the current parse call (which
 * include the header in the first chunk): `quoteRowBase` is added to the latter (0 for a whole
 * parse or a first chunk, rows-so-far + 1 for later chunks).
 */
export function toIssue(e: Papa.ParseError, quoteRowBase = 0): CsvIssue {
  let row: number | null = null;
  if (typeof e.row === 'number') row = e.type === 'Quotes' ? e.row + quoteRowBase : e.row + 1;
  const where = row === null ? '' : ` (data row ${row})`;
  return { row, code: e.code, message: `${e.message}${where}` };
}

/** Parses a whole CSV string. */
export function parseCsv(text: string, options: ParseCsvOptions = {}): CsvTable {
  assertWithinSizeLimit(utf8ByteLength(text), options.maxBytes ?? MAX_CSV_BYTES);
  const body = normalizeNewlines(stripBom(text));
  assertNotEmpty(body);
  const result = Papa.parse<Record<string, unknown>>(body, { ...PAPA_CONFIG, ...sniffCsvFormat(body.slice(0, 65536)) });
  const columns = result.meta.fields ?? [];
  return finishTable(columns, result.data.map((r) => normalizeRow(r, columns)), result.errors.filter(isRealIssue).map((e) => toIssue(e)));
}

/** Final checks shared by the whole-string and chunked parsers. */
export function finishTable(columns: string[], rows: Record<string, string>[], errors: CsvIssue[]): CsvTable {
  if (columns.length === 0 || columns.every((c) => c === '')) {
    throw new DataError('empty-file', 'The file is empty: it contains no header row and no data.');
  }
  if (rows.length === 0) {
    throw new DataError('no-data-rows', `The file has a header row (${columnList(columns)}) but no data rows.`);
  }
  return { columns, rows, errors };
}
