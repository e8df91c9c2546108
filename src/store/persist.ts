/**
 * Saving: the document as a project file (the same text for download and autosave), and a debounced
 * autosave that writes it on every document change. The storage is injected, so tests run in node;
 * the app passes IndexedDB (idb-keyval).
 *
 *   const stop = attachAutosave(store, { write: (t) => idbSet(AUTOSAVE_KEY, t) });
 */
import { parseProject, PROJECT_FORMAT, PROJECT_VERSION, serializeProject, type ParseResult, type Project } from '../core/project.ts';
import type { EditorStore } from './editorStore.ts';
import type { EditorState } from './state.ts';

export const AUTOSAVE_KEY = 'unroll:autosave:v1';

/**
 * The project file text of the current document. The store holds a valid document (every load
 * validated it, every edit is a core command), so it is written as it is, field by field in the
 * schema's order, without validating it again (that took longer than writing a large graph).
 */
export function serializeDoc(s: Pick<EditorState, 'graph' | 'name' | 'extras'>): string {
  const doc: Project = {
    format: PROJECT_FORMAT,
    version: PROJECT_VERSION,
    name: s.name,
    graph: {
      nodes: s.graph.nodes.map((n) => ({ id: n.id, kind: n.kind, name: n.name, params: n.params as Project['graph']['nodes'][number]['params'], position: { x: n.position.x, y: n.position.y } })),
      edges: s.graph.edges.map((e) => ({ id: e.id, source: e.source, sourcePort: e.sourcePort, target: e.target, targetPort: e.targetPort })),
    },
    training: s.extras.training,
    dataset: s.extras.dataset,
  };
  return serializeProject(doc);
}

/** Parses saved text back (migrates and validates like any opened file). */
export function restoreDoc(text: string): ParseResult {
  return parseProject(text);
}

/** `<name>.unroll.json`, with characters that file systems dislike replaced. */
export function fileNameFor(name: string): string {
  const base = name.trim().replace(/[\\/:*?"<>|\s]+/g, '_') || 'untitled';
  return `${base}.unroll.json`;
}

export interface AutosaveOptions {
  write(text: string): Promise<unknown> | void;
  /**
   * A synchronous copy (localStorage in the app), made by `flush()` when a write has not been
   * confirmed yet: on `pagehide` an IndexedDB transaction may never complete.
   */
  writeSync?(text: string): void;
  /** A `write` completed with this text. */
  onSaved?(text: string): void;
  /** Milliseconds to wait after the last change (default 250). */
  delay?: number;
  onError?(e: unknown): void;
  /** While this returns false nothing is written (another tab owns the project). */
  enabled?(): boolean;
}

/** Writes the document after every change (debounced). Returns `{ flush, stop }`. */
export function attachAutosave(store: EditorStore, o: AutosaveOptions) {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let pending = false;
  /** The last text handed to `write` and not confirmed yet. */
  let unconfirmed: string | null = null;
  const enabled = () => o.enabled?.() ?? true;
  const save = () => {
    timer = null;
    pending = false;
    if (!enabled()) return;
    try {
      const text = serializeDoc(store.getState());
      unconfirmed = text;
      const done = () => {
        if (unconfirmed === text) unconfirmed = null;
        o.onSaved?.(text);
      };
      const r = o.write(text);
      if (r && typeof (r as Promise<unknown>).then === 'function') (r as Promise<unknown>).then(done, (e) => o.onError?.(e));
      else done();
    } catch (e) {
      o.onError?.(e);
    }
  };
  const unsub = store.subscribe((s, prev) => {
    if (s.graph === prev.graph && s.name === prev.name && s.extras === prev.extras) return;
    pending = true;
    if (timer) clearTimeout(timer);
    timer = setTimeout(save, o.delay ?? 250);
  });
  return {
    /** Saves now if a change is waiting, and keeps a synchronous copy of what is not confirmed (call on pagehide). */
    flush() {
      if (timer) clearTimeout(timer);
      timer = null;
      if (pending) save();
      if (unconfirmed !== null && enabled()) {
        try {
          o.writeSync?.(unconfirmed);
        } catch (e) {
          o.onError?.(e);
        }
      }
    },
    /** Saves now (when enabled), whether or not something changed. */
    saveNow() {
      if (timer) clearTimeout(timer);
      save();
    },
    stop() {
      if (timer) clearTimeout(timer);
      unsub();
    },
  };
}
