/**
 * The weights that came with the open model (a .keras, .h5 or TF.js file the learner opened): kept
 * with the project so they survive a reload (IndexedDB, next to the autosave: the project file does
 * not hold them) and handed to the training worker, whose runs, predictions and "look inside" start
 * from them (layers whose name and shapes still fit; the others get fresh weights).
 *
 *   const weights = createWeightsStore();
 *   linkWeights(weights, editor, client);            // worker gets them; renamed layers keep theirs
 *   attachWeightsPersistence(weights, editor, { write: (s) => idbSet(WEIGHTS_KEY, s) });
 *   restoreWeights(weights, editor, await idbGet(WEIGHTS_KEY));
 *   weights.getState().set(ws);                      // after opening a file; set(null) to forget them
 *
 * Plain zustand vanilla, no TF.js (a WeightSet is data: src/core/weights.ts).
 */
import { createStore } from 'zustand/vanilla';
import { matchWeights, renameWeightLayer, weightSetStats, type WeightSet } from '../core/weights.ts';
import type { EditorStore } from './editorStore.ts';

export const WEIGHTS_KEY = 'unroll:weights:v1';

export interface WeightsState {
  /** The open model's weights, or null (fresh weights). */
  readonly weights: WeightSet | null;
  /** The project (name) they belong to. */
  readonly project: string | null;
  set(weights: WeightSet | null, project?: string): void;
  /** A layer was renamed in the editor: its weights follow. */
  rename(from: string, to: string): void;
}

export type WeightsStore = ReturnType<typeof createWeightsStore>;

export function createWeightsStore() {
  return createStore<WeightsState>()((set, get) => ({
    weights: null,
    project: null,
    set: (weights, project) => set({ weights, project: weights ? project ?? get().project : null }),
    rename(from, to) {
      const w = get().weights;
      if (w && from !== to && w.layers[from]) set({ weights: renameWeightLayer(w, from, to) });
    },
  }));
}

/** Where loaded weights go: the training client's `setWeights`. */
export interface WeightsClient {
  setWeights(weights: WeightSet | null): void;
}

/**
 * Sends the weights to the worker whenever they change (and now), and renames a layer's weights
 * when the editor renames the layer (same node id, new name). Returns a function that stops both.
 */
export function linkWeights(weights: WeightsStore, editor: EditorStore, client: WeightsClient): () => void {
  client.setWeights(weights.getState().weights);
  const stopWeights = weights.subscribe((s, p) => {
    if (s.weights !== p.weights) client.setWeights(s.weights);
  });
  const stopEditor = editor.subscribe((s, p) => {
    if (s.graph === p.graph || !weights.getState().weights) return;
    const before = new Map(p.graph.nodes.map((n) => [n.id, n.name]));
    for (const n of s.graph.nodes) {
      const old = before.get(n.id);
      if (old !== undefined && old !== n.name) weights.getState().rename(old, n.name);
    }
  });
  const stopName = editor.subscribe((s, p) => {
    if (s.name !== p.name && weights.getState().project === p.name) weights.setState({ project: s.name });
  });
  return () => { stopWeights(); stopEditor(); stopName(); };
}

/** What is stored: the weights and the project they belong to. */
export interface SavedWeights {
  readonly project: string;
  readonly weights: WeightSet;
}

export interface WeightsPersistIo {
  /** Writes the weights (null: remove them). */
  readonly write: (saved: SavedWeights | null) => Promise<unknown>;
  readonly onError?: (e: unknown) => void;
}

/** Writes the weights whenever they (or the project they belong to) change. Returns a function that stops. */
export function attachWeightsPersistence(weights: WeightsStore, io: WeightsPersistIo): () => void {
  return weights.subscribe((s, p) => {
    if (s.weights === p.weights && s.project === p.project) return;
    const saved = s.weights && s.project !== null ? { project: s.project, weights: s.weights } : null;
    io.write(saved).catch((e) => io.onError?.(e));
  });
}

/** Puts saved weights back when they belong to the open project. */
export function restoreWeights(weights: WeightsStore, editor: EditorStore, saved: unknown): boolean {
  if (!isSaved(saved)) return false;
  if (saved.project !== editor.getState().name) return false;
  weights.getState().set(saved.weights, saved.project);
  return true;
}

/** One line for the menu: where the weights came from and how many layers of the graph they fit. */
export function describeWeights(weights: WeightSet, editor: EditorStore): string {
  const m = matchWeights(editor.getState().graph, weights);
  const ok = [...m.byNode.values()].filter((x) => x.status === 'ok').length;
  const { values } = weightSetStats(weights);
  const src = weights.source;
  const from = `${src.file ?? 'a file'}${src.kerasVersion ? ` (${/^\d/.test(src.kerasVersion) ? `Keras ${src.kerasVersion}` : src.kerasVersion})` : ''}`;
  return `${from}: ${values.toLocaleString('en-US')} weights, ${ok} of ${m.byNode.size} layers fit`;
}

/** A stored record is trusted only when every variable is whole (nothing saved may break the app). */
function isSaved(x: unknown): x is SavedWeights {
  const o = x as Partial<SavedWeights> | null;
  if (!o || typeof o.project !== 'string' || !o.weights || typeof o.weights.layers !== 'object' || o.weights.layers === null) return false;
  if (!o.weights.source || typeof o.weights.source.format !== 'string') return false;
  return Object.values(o.weights.layers as Record<string, unknown>).every((vars) => Array.isArray(vars) && vars.every((v: { path?: unknown; shape?: unknown; data?: unknown }) => {
    const shape = v?.shape;
    if (!v || typeof v.path !== 'string' || !Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) return false;
    return v.data instanceof Float32Array && v.data.length === shape.reduce((a: number, b: number) => a * b, 1);
  }));
}
