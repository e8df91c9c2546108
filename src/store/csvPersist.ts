/**
 * Keeps an uploaded CSV across reloads (the project file cannot hold it): once an upload builds a
 * dataset, its parsed table, column mapping and split are written (through `write`, IndexedDB in
 * the app) under the project's name; at start, `restoreCsv` puts it back when the restored project
 * is the one it was uploaded for and has no catalog dataset chosen. Returns a function that stops
 * saving.
 */
import { CSV_ENTRY, type DataStore, type SavedCsv } from './dataStore.ts';
import type { EditorStore } from './editorStore.ts';

export const CSV_KEY = 'unroll:csv';

export interface SavedUpload extends SavedCsv {
  /** The project the file was uploaded in. */
  readonly project: string;
}

export interface CsvPersistIo {
  readonly write: (saved: SavedUpload) => Promise<unknown>;
  readonly onError?: (e: unknown) => void;
}

export function attachCsvPersistence(data: DataStore, editor: EditorStore, io: CsvPersistIo): () => void {
  return data.subscribe((s, p) => {
    if (s.entry !== CSV_ENTRY || !s.file || !s.table || s.status !== 'ready') return;
    if (p.status === 'ready' && s.table === p.table && s.mapping === p.mapping && s.split === p.split) return;
    io.write({ project: editor.getState().name, file: s.file, table: s.table, mapping: s.mapping, split: s.split }).catch((e) => io.onError?.(e));
  });
}

/** Puts a saved upload back when it belongs to the open project and nothing else is chosen. */
export function restoreCsv(data: DataStore, editor: EditorStore, saved: unknown): boolean {
  if (!isSavedUpload(saved)) return false;
  const s = editor.getState();
  if (saved.project !== s.name || s.extras.dataset) return false;
  data.getState().restoreCsv(saved);
  return true;
}

function isSavedUpload(x: unknown): x is SavedUpload {
  const o = x as Partial<SavedUpload> | null;
  return !!o && typeof o.project === 'string' && !!o.file && !!o.table && Array.isArray(o.table.columns) && Array.isArray(o.table.rows) && typeof o.mapping === 'object' && typeof o.split === 'object';
}
