/**
 * Main-thread side of CSV parsing: runs csvWorker.ts in a Web Worker (where there is one) and
 * resolves with the table; progress is reported as a fraction. Without Worker (Node tests) it
 * parses in place with the same code.
 */
import type { CsvTable } from './csv.ts';
import { parseCsvChunked } from './csvStream.ts';
import { DataError, type DataErrorCode } from './errors.ts';
import type { CsvWorkerMessage } from './csvWorker.ts';

export function parseCsvOffThread(file: Blob | string, onProgress: (fraction: number, rows: number) => void = () => {}): Promise<CsvTable> {
  if (typeof Worker === 'undefined') {
    return parseCsvChunked(file, { onProgress: (p) => onProgress(p.fraction, p.rows) });
  }
  const worker = new Worker(new URL('./csvWorker.ts', import.meta.url), { type: 'module' });
  return new Promise<CsvTable>((resolve, reject) => {
    worker.onmessage = (e: MessageEvent<CsvWorkerMessage>) => {
      const m = e.data;
      if (m.type === 'progress') onProgress(m.fraction, m.rows);
      else {
        worker.terminate();
        if (m.type === 'done') resolve(m.table);
        else reject(new DataError(m.code as DataErrorCode, m.message));
      }
    };
    worker.onerror = (e) => {
      worker.terminate();
      reject(new DataError('parse-error', `The CSV reader stopped: ${e.message}`));
    };
    worker.postMessage({ file });
  });
}
