/**
 * Chunked CSV parsing for Web Workers: papaparse's `chunk` callback over a string, reporting
 * progress after each chunk so the UI can show a bar. Same output and checks as parseCsv
 * (csv.ts). A File/Blob is size-checked (Blob.size) before it is read, then read as text: under
 * the 100 MB limit that is cheap, and it lets line breaks be normalised first, which avoids
 * papaparse's spurious quote errors when a CRLF pair is split across two chunks.
 */
import Papa from 'papaparse';
import {
  assertNotEmpty,
  assertWithinSizeLimit,
  type CsvFormat,
  type CsvIssue,
  type CsvTable,
  finishTable,
  isRealIssue,
  MAX_CSV_BYTES,
  normalizeNewlines,
  normalizeRow,
  PAPA_CONFIG,
  sniffCsvFormat,
  stripBom,
  toIssue,
  utf8ByteLength,
} from './csv.ts';

export interface CsvProgress {
  /** Data rows parsed so far. */
  rows: number;
  /** Fraction of the input consumed, in [0, 1]. */
  fraction: number;
}

export interface ChunkedCsvOptions {
  /** Characters (strings) or bytes (files) per chunk; papaparse's default if omitted. */
  chunkSize?: number;
  maxBytes?: number;
  onProgress?: (progress: CsvProgress) => void;
}

type Row = Record<string, unknown>;

/** Parses a CSV string or File/Blob chunk by chunk. */
export async function parseCsvChunked(input: string | Blob, options: ChunkedCsvOptions = {}): Promise<CsvTable> {
  const limit = options.maxBytes ?? MAX_CSV_BYTES;
  if (typeof input === 'string') {
    assertWithinSizeLimit(utf8ByteLength(input), limit);
    const body = normalizeNewlines(stripBom(input));
    assertNotEmpty(body);
    return parseChunks(body, sniffCsvFormat(body.slice(0, 65536)), options);
  }
  assertWithinSizeLimit(input.size, limit);
  return parseCsvChunked(await input.text(), options);
}

function parseChunks(input: string, format: CsvFormat, options: ChunkedCsvOptions): Promise<CsvTable> {
  const total = input.length;
  return new Promise<CsvTable>((resolve, reject) => {
    let columns: string[] | null = null;
    const rows: Record<string, string>[] = [];
    const errors: CsvIssue[] = [];
    let first = true;
    const config: Papa.ParseLocalConfig<Row, Papa.LocalFile> = {
      ...PAPA_CONFIG,
      ...format,
      chunkSize: options.chunkSize,
      chunk: (results: Papa.ParseResult<Row>) => {
        columns ??= results.meta.fields ?? [];
        const quoteRowBase = first ? 0 : rows.length + 1;
        first = false;
        for (const e of results.errors) if (isRealIssue(e)) errors.push(toIssue(e, quoteRowBase));
        for (const r of results.data) rows.push(normalizeRow(r, columns));
        const fraction = total === 0 ? 1 : Math.min(1, results.meta.cursor / total);
        options.onProgress?.({ rows: rows.length, fraction });
      },
      complete: () => {
        try {
          resolve(finishTable(columns ?? [], rows, errors));
        } catch (err) {
          reject(err);
        }
      },
      error: (err: Error) => reject(err),
    };
    // papaparse streams strings (StringStreamer) with `chunk`, but its typings only describe
    // chunked parsing for files, hence the cast.
    Papa.parse<Row, Papa.LocalFile>(input as unknown as Papa.LocalFile, config);
  });
}
