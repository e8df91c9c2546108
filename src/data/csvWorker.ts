/**
 * Web Worker entry: parses an uploaded CSV off the main thread and reports progress, so a large
 * file never freezes the page. Messages: in `{ file: Blob | string }`; out `{ type: 'progress',
 * fraction, rows }`, then `{ type: 'done', table }` or `{ type: 'error', code, message }`.
 */
import { parseCsvChunked } from './csvStream.ts';
import { DataError } from './errors.ts';

export type CsvWorkerMessage =
  | { type: 'progress'; fraction: number; rows: number }
  | { type: 'done'; table: import('./csv.ts').CsvTable }
  | { type: 'error'; code: string; message: string };

const scope = self as unknown as { onmessage: ((e: MessageEvent<{ file: Blob | string }>) => void) | null; postMessage: (m: CsvWorkerMessage) => void };

scope.onmessage = async (e) => {
  try {
    let last = 0;
    const table = await parseCsvChunked(e.data.file, {
      chunkSize: 1 << 20,
      onProgress: (p) => {
        if (p.fraction - last >= 0.02 || p.fraction === 1) {
          last = p.fraction;
          scope.postMessage({ type: 'progress', fraction: p.fraction, rows: p.rows });
        }
      },
    });
    scope.postMessage({ type: 'done', table });
  } catch (err) {
    const code = err instanceof DataError ? err.code : 'parse-error';
    scope.postMessage({ type: 'error', code, message: (err as Error).message });
  }
};
