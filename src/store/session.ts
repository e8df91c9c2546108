/**
 * Starting safely: nothing saved can stop the app from starting.
 *
 * `restoreSession` opens the autosaved project (and the CSV uploaded for it). Around each step it
 * leaves a marker in synchronous storage (localStorage); the app clears it once it has run for a
 * moment (`markStarted`). A marker still there at the next start means the last start died or hung
 * in that step (a page that froze and was reloaded, a crash): that document is not opened again.
 * A document that fails to parse or to open is treated the same. Either way it is moved aside
 * (kept under REJECTED_KEY / CSV_REJECTED_KEY, downloadable from the banner), the autosave is
 * replaced by an empty project, and the result lists what happened so the page can say so.
 *
 * The autosave's last words: `attachAutosave` writes to IndexedDB, whose transactions do not
 * survive a page being unloaded; on `pagehide` the text also goes to localStorage (PENDING_KEY),
 * which is synchronous. A pending text is newer than IndexedDB's (it is removed as soon as an
 * IndexedDB write completes), so the next start prefers it.
 *
 * Storage is injected (`SessionIo`), so this runs in Node tests.
 */
import { emptyGraph } from '../core/edit.ts';
import { excerpt } from '../core/json.ts';
import type { DataStore } from './dataStore.ts';
import type { EditorStore } from './editorStore.ts';
import { restoreCsv, CSV_KEY } from './csvPersist.ts';
import { openProject, parseProjectAsync } from './open.ts';
import { AUTOSAVE_KEY, serializeDoc } from './persist.ts';

export const BOOT_KEY = 'unroll:boot';
export const PENDING_KEY = 'unroll:autosave:pending';
export const REJECTED_KEY = 'unroll:autosave:rejected';
export const CSV_REJECTED_KEY = 'unroll:csv:rejected';

export interface SessionIo {
  /** IndexedDB (idb-keyval in the app). */
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<unknown>;
  /** Synchronous storage (localStorage), or null when there is none. */
  readonly local: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null;
}

/** Something saved that was not opened, kept aside. */
export interface Recovery {
  readonly what: 'project' | 'csv';
  /** Why, in a sentence. */
  readonly reason: string;
  /** Where it is kept (an IndexedDB key). */
  readonly key: string;
}

/** What is kept aside for a rejected document. */
export interface Rejected {
  readonly text: string;
  readonly reason: string;
  readonly at: string;
}

type Phase = 'project' | 'csv';

function readMarker(io: SessionIo): Phase | null {
  try {
    const v = io.local?.getItem(BOOT_KEY);
    return v === 'project' || v === 'csv' ? v : null;
  } catch {
    return null;
  }
}

function writeMarker(io: SessionIo, phase: Phase | null): void {
  try {
    if (phase) io.local?.setItem(BOOT_KEY, phase);
    else io.local?.removeItem(BOOT_KEY);
  } catch {
    // No synchronous storage: a crash at start is then not remembered (the banner still reports parse failures).
  }
}

/** The app ran: the next start opens the autosave normally. */
export function markStarted(io: Pick<SessionIo, 'local'>): void {
  writeMarker(io as SessionIo, null);
}

/** The newest autosaved text: the pagehide copy when there is one, else IndexedDB's. */
async function savedText(io: SessionIo): Promise<unknown> {
  let pending: string | null = null;
  try {
    pending = io.local?.getItem(PENDING_KEY) ?? null;
  } catch {
    pending = null;
  }
  return pending ?? (await io.get(AUTOSAVE_KEY));
}

export interface SessionResult {
  /** The autosaved project was opened. */
  readonly restored: boolean;
  /** What was kept aside, and why. */
  readonly recovered: readonly Recovery[];
}

/**
 * Opens the autosaved project into `store` (and its uploaded CSV into `data`), or an empty project
 * when there is none or it cannot be opened safely; `fallback` opens the default (a template) when
 * nothing was saved.
 */
export async function restoreSession(store: EditorStore, data: DataStore, io: SessionIo, fallback: () => void): Promise<SessionResult> {
  const prior = readMarker(io);
  const recovered: Recovery[] = [];
  const emptyProject = () => store.getState().load({ name: 'untitled', graph: emptyGraph }, { fresh: true });
  const reject = async (what: Phase, text: unknown, reason: string) => {
    const key = what === 'project' ? REJECTED_KEY : CSV_REJECTED_KEY;
    const kept: Rejected = { text: typeof text === 'string' ? text : safeStringify(text), reason, at: new Date().toISOString() };
    try {
      await io.set(key, kept);
      await io.set(what === 'project' ? AUTOSAVE_KEY : CSV_KEY, what === 'project' ? serializeDoc(store.getState()) : null);
      if (what === 'project') io.local?.removeItem(PENDING_KEY);
    } catch {
      // Storage refused: the bad document stays where it was, and the marker keeps the next start safe too.
    }
    recovered.push({ what, reason, key });
  };

  let text: unknown;
  try {
    text = await savedText(io);
  } catch {
    text = undefined; // IndexedDB unavailable (private mode): nothing to restore.
  }
  if (typeof text !== 'string') {
    fallback();
    writeMarker(io, null);
    return { restored: false, recovered };
  }
  if (prior === 'project') {
    emptyProject();
    await reject('project', text, 'the last start did not finish opening it (the page crashed, stopped responding or was closed first)');
    return { restored: false, recovered };
  }
  writeMarker(io, 'project');
  let restored = false;
  try {
    const r = await parseProjectAsync(text);
    if (r.ok) {
      await openProject(store, r.project, { fresh: true });
      restored = true;
    } else {
      emptyProject();
      await reject('project', text, `it is not a valid project file (${excerpt(r.error, 200)})`);
    }
  } catch (e) {
    emptyProject();
    await reject('project', text, `opening it failed (${excerpt((e as Error)?.message ?? e, 200)})`);
  }
  if (!restored) return { restored, recovered };
  // The pagehide copy is now the document: make it IndexedDB's too.
  try {
    if (io.local?.getItem(PENDING_KEY) !== null && io.local?.getItem(PENDING_KEY) !== undefined) {
      await io.set(AUTOSAVE_KEY, text);
      io.local?.removeItem(PENDING_KEY);
    }
  } catch {
    // kept in localStorage for the next start
  }

  let csv: unknown;
  try {
    csv = await io.get(CSV_KEY);
  } catch {
    csv = undefined;
  }
  if (csv !== undefined && csv !== null) {
    if (prior === 'csv') {
      await reject('csv', csv, 'the last start did not finish restoring it (the page crashed, stopped responding or was closed first)');
    } else {
      writeMarker(io, 'csv');
      try {
        restoreCsv(data, store, csv);
      } catch (e) {
        data.getState().clear();
        await reject('csv', csv, `restoring it failed (${excerpt((e as Error)?.message ?? e, 200)})`);
      }
    }
  }
  return { restored, recovered };
}

function safeStringify(v: unknown): string {
  try {
    return JSON.stringify(v);
  } catch {
    return String(v);
  }
}
