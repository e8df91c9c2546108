/**
 * Recent projects, and opening a project as a new document without losing the current one.
 * Opening a template, a lesson step or a blank canvas puts the current document in the recent
 * list first — unless it is exactly what was opened last and nothing but positions changed (an
 * untouched template can be opened again from the gallery). The list lives in injected storage
 * (IndexedDB in the app, an object in tests), newest first, at most `limit` entries; identical
 * documents are kept once.
 *
 *   const recent = createRecentStore({ read: () => idbGet(RECENT_KEY), write: (e) => idbSet(RECENT_KEY, e) });
 *   await recent.getState().restore();
 *   openAsNew(editor, recent, template.project, { layout: true });
 */
import { createStore } from 'zustand/vanilla';
import { z } from 'zod/v4';
import { serializeDoc } from './persist.ts';
import type { EditorStore } from './editorStore.ts';
import type { EditorState, ProjectExtras } from './state.ts';
import type { Graph } from '../core/types.ts';
import { parseProject, type Project } from '../core/project.ts';

export const RECENT_KEY = 'unroll:recent:v1';

export interface RecentEntry {
  /** Unique in the list. */
  readonly id: string;
  readonly name: string;
  /** ms since the epoch. */
  readonly savedAt: number;
  /** Layers in the graph (for the list). */
  readonly layers: number;
  /** The project file text. */
  readonly text: string;
}

const entrySchema = z.object({ id: z.string(), name: z.string(), savedAt: z.number(), layers: z.number(), text: z.string() });

export interface RecentState {
  readonly entries: readonly RecentEntry[];
  /** The position-free signature of the document as it was last opened; null when it is the user's own work. */
  readonly baseline: string | null;
  /** Reads the stored list (bad entries are dropped; storage errors leave it empty). */
  restore(): Promise<void>;
  /** Puts a document first in the list (an identical one already there moves up). */
  add(doc: Pick<EditorState, 'graph' | 'name' | 'extras'>): void;
  remove(id: string): void;
  setBaseline(signature: string | null): void;
}

export interface RecentOptions {
  read(): Promise<unknown> | unknown;
  write(entries: readonly RecentEntry[]): Promise<unknown> | void;
  limit?: number;
  now?: () => number;
  onError?(e: unknown): void;
}

/** What makes two documents the same work: everything saved except node positions. */
export function docSignature(doc: { readonly graph: Graph; readonly name: string; readonly extras?: Partial<ProjectExtras> }): string {
  return JSON.stringify({
    name: doc.name,
    nodes: doc.graph.nodes.map((n) => [n.id, n.kind, n.name, n.params]),
    edges: doc.graph.edges.map((e) => [e.source, e.sourcePort, e.target, e.targetPort]),
    training: doc.extras?.training ?? null,
    dataset: doc.extras?.dataset ?? null,
  });
}

export function createRecentStore(o: RecentOptions) {
  const limit = o.limit ?? 12;
  const now = o.now ?? Date.now;
  let counter = 0;
  const save = (entries: readonly RecentEntry[]) => {
    try {
      const r = o.write(entries);
      if (r && typeof (r as Promise<unknown>).catch === 'function') (r as Promise<unknown>).catch((e) => o.onError?.(e));
    } catch (e) {
      o.onError?.(e);
    }
  };
  return createStore<RecentState>()((set, get) => ({
    entries: [],
    baseline: null,
    async restore() {
      let raw: unknown;
      try {
        raw = await o.read();
      } catch (e) {
        o.onError?.(e);
        return;
      }
      const list = Array.isArray(raw) ? raw.flatMap((x) => {
        const r = entrySchema.safeParse(x);
        return r.success ? [r.data] : [];
      }) : [];
      // Entries added before the stored list arrived stay first.
      const mine = get().entries;
      set({ entries: [...mine, ...list.filter((e) => !mine.some((m) => m.text === e.text || m.id === e.id))].slice(0, limit) });
    },
    add(doc) {
      const text = serializeDoc(doc);
      const sig = docSignature(doc);
      const entry: RecentEntry = { id: `r${now().toString(36)}-${(counter++).toString(36)}`, name: doc.name, savedAt: now(), layers: doc.graph.nodes.length, text };
      const rest = get().entries.filter((e) => {
        const p = parseProject(e.text);
        return !(p.ok && docSignature({ graph: p.project.graph, name: p.project.name, extras: p.project }) === sig);
      });
      const entries = [entry, ...rest].slice(0, limit);
      set({ entries });
      save(entries);
    },
    remove(id) {
      const entries = get().entries.filter((e) => e.id !== id);
      set({ entries });
      save(entries);
    },
    setBaseline: (baseline) => set({ baseline }),
  }));
}

export type RecentStore = ReturnType<typeof createRecentStore>;

/** Whether the current document is worth keeping: it is not the untouched document last opened, and not empty. */
export function hasOwnWork(editor: EditorStore, recent: RecentStore): boolean {
  const s = editor.getState();
  if (s.graph.nodes.length === 0) return false;
  return docSignature(s) !== recent.getState().baseline;
}

/**
 * Opens a project as a new document: the current one goes to the recent list first (when it holds
 * work of its own). Undo history starts afresh. Returns whether the previous document was kept.
 */
export function openAsNew(
  editor: EditorStore,
  recent: RecentStore,
  project: { readonly name: string; readonly graph: Graph } & Partial<Pick<Project, 'training' | 'dataset'>>,
  opts: { layout?: boolean } = {},
): boolean {
  const kept = hasOwnWork(editor, recent);
  if (kept) recent.getState().add(editor.getState());
  editor.getState().load(project, { fresh: true, layout: opts.layout });
  recent.getState().setBaseline(docSignature(editor.getState()));
  return kept;
}

/** Opens a recent entry (the current document is kept the same way); the entry leaves the list. */
export function openRecent(editor: EditorStore, recent: RecentStore, id: string): { ok: true; kept: boolean } | { ok: false; error: string } {
  const e = recent.getState().entries.find((x) => x.id === id);
  if (!e) return { ok: false, error: 'That recent project is gone.' };
  const p = parseProject(e.text);
  if (!p.ok) return { ok: false, error: `This recent project could not be read (${p.error}).` };
  recent.getState().remove(id);
  const kept = openAsNew(editor, recent, p.project);
  // A reopened project is the user's work: changing it or not, opening something else keeps it.
  recent.getState().setBaseline(null);
  return { ok: true, kept };
}
