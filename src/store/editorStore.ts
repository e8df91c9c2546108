/**
 * The editor store: a factory, so every canvas and every test gets its own. Plain TypeScript
 * (zustand vanilla + zundo), testable without a DOM. Actions call the core's pure commands; after
 * every change of the graph the `withDerived` middleware runs the store's one Inferencer and
 * refreshes the derived views, also when zundo restores a graph on undo/redo.
 *
 *   const store = createEditorStore({ graph, name: 'sentiment' });
 *   store.getState().addNode('LSTM', { x: 0, y: 0 });
 *   store.getState().undo();
 */
import { isLayerName } from '../core/infer.ts';
import { createStore, type StateCreator, type StoreMutatorIdentifier } from 'zustand/vanilla';
import { temporal } from 'zundo';
import * as edit from '../core/edit.ts';
import { emptyGraph } from '../core/edit.ts';
import { Inferencer, resolveNode } from '../core/infer.ts';
import { trainingSchema } from '../core/project.ts';
import { getLayer } from '../core/registry.ts';
import type { Graph, Params, XY } from '../core/types.ts';
import { derive } from './derive.ts';
import { summarize } from '../core/summary.ts';
import { nearestInDirection, freeSpot, pasteOffset } from './geometry.ts';
import type { ConnectCheck, DocSlice, EditorState, ProjectExtras } from './state.ts';

/** What undo/redo restores: the document graph only (no selection, sizes or drag state). */
export type History = Pick<DocSlice, 'graph'>;

/** Keras accepts these layer names (same rule as the core's name check). */
const DEFAULT_SIZE = { width: 220, height: 120 };
const MAX_MESSAGES = 4;

export const defaultExtras = (): ProjectExtras => ({ training: trainingSchema.parse({}), dataset: null });

export interface StoreOptions {
  readonly graph?: Graph;
  readonly name?: string;
  readonly extras?: ProjectExtras;
  /** Undo steps kept (default 200). */
  readonly limit?: number;
}

/** Graphs with more nodes than this get their summary one task after each change. */
export const LATE_SUMMARY = 2000;

type Setter = (partial: Partial<EditorState> | ((s: EditorState) => Partial<EditorState>)) => void;

/** Middleware: whenever a `set` changes the graph, recompute inference and views in the same update. */
function withDerived<Mos extends [StoreMutatorIdentifier, unknown][]>(
  inferencer: Inferencer,
  config: StateCreator<EditorState, [], Mos>,
): StateCreator<EditorState, [], Mos> {
  return (set, get, api) => {
    // A large graph's summary is computed in a task of its own, right after the edit's update
    // (the two together made one long task per edit).
    let summaryTimer: ReturnType<typeof setTimeout> | null = null;
    const summaryLater = () => {
      if (summaryTimer) return;
      summaryTimer = setTimeout(() => {
        summaryTimer = null;
        const s = get();
        set({ summary: summarize(s.graph, s.inference) } as Partial<EditorState>);
      }, 0);
    };
    const derivedSet: Setter = (partial) =>
      set((s) => {
        const p = typeof partial === 'function' ? partial(s) : partial;
        if (!p.graph || p.graph === s.graph) return p;
        const graph = p.graph;
        const later = graph.nodes.length > LATE_SUMMARY;
        const d = derive(graph, inferencer.run(graph), s.views ? s : undefined, { summary: !later });
        if (later) summaryLater();
        const alive = (id: string) => d.byId.has(id);
        const edgeIds = new Set(graph.edges.map((e) => e.id));
        return {
          ...p, ...d,
          selected: (p.selected ?? s.selected).filter(alive),
          selectedEdges: (p.selectedEdges ?? s.selectedEdges).filter((id) => edgeIds.has(id)),
          drag: null,
        };
      });
    return config(derivedSet as typeof set, get, api);
  };
}

export function createEditorStore(opts: StoreOptions = {}) {
  const inferencer = new Inferencer();
  /** Infers trial wires while dragging: kept across checks, so each check recomputes only what the wire changes. */
  const trialInferencer = new Inferencer();
  const graph0 = opts.graph ?? emptyGraph;
  let msgId = 0;
  let checkCache: { graph: Graph; results: Map<string, ConnectCheck> } | null = null;

  const store = createStore<EditorState>()(
    withDerived(inferencer, temporal<EditorState, [], [], History>(
      (set, get) => {
        // An edit makes the messages about the graph as it was stale (the refused wire, the export refused for its errors).
        const fresh = (): Partial<EditorState> => (get().messages.some((m) => m.untilEdit) ? { messages: get().messages.filter((m) => !m.untilEdit) } : {});
        const commit = (graph: Graph, extra: Partial<EditorState> = {}) => set({ ...fresh(), ...extra, graph });
        const sizeOf = (id: string) => get().sizes[id] ?? DEFAULT_SIZE;
        /** The layer a node wraps in its parameter `spec`, when `spec` is a wrapped-layer parameter of its kind (not `units`, say). */
        const wrapped = (id: string, spec: string) => {
          const n = get().byId.get(id);
          const isLayer = n && getLayer(n.kind)?.params.some((p) => p.name === spec && p.type === 'layer');
          const inner = isLayer ? (n.params[spec] as { kind?: unknown; params?: unknown } | undefined) : undefined;
          return inner && typeof inner.kind === 'string' && inner.params && typeof inner.params === 'object' ? (inner as { kind: string; params: Params }) : undefined;
        };
        const firstIn = (g: Graph, id: string) => resolveNode(g.nodes.find((n) => n.id === id)!).inputs[0]?.name;

        return {
          graph: graph0,
          name: opts.name ?? 'untitled',
          extras: opts.extras ?? defaultExtras(),
          ...derive(graph0, inferencer.run(graph0)),
          selected: [], selectedEdges: [], sizes: {}, drag: null, clipboard: null, pasteCount: 0, renaming: null, messages: [], needsLayout: false,

          load(project, o = {}) {
            const g: Graph = { nodes: project.graph.nodes, edges: project.graph.edges };
            commit(g, {
              name: project.name,
              extras: { training: project.training ?? get().extras.training, dataset: project.dataset ?? null },
              selected: [], selectedEdges: [], pasteCount: 0, renaming: null, sizes: {}, needsLayout: !!o.layout,
              // A new project starts without the old one's messages.
              messages: [],
            });
            if (o.fresh) store.temporal.getState().clear();
          },
          warmUp: (graph) => { inferencer.run(graph); },
          setName: (name) => set({ name }),
          setTraining(patch) {
            const cur = get().extras.training;
            const r = trainingSchema.safeParse({ ...cur, ...patch });
            if (!r.success || JSON.stringify(r.data) === JSON.stringify(cur)) return;
            set((s) => ({ extras: { ...s.extras, training: r.data } }));
          },
          setDataset(choice) {
            const cur = get().extras.dataset;
            if (JSON.stringify(cur) === JSON.stringify(choice)) return;
            set((s) => ({ extras: { ...s.extras, dataset: choice } }));
          },
          replaceGraph: (graph) => { if (graph !== get().graph) commit(graph); },

          addNode(kind, position = { x: 0, y: 0 }) {
            const r = edit.addNode(get().graph, { kind, position });
            commit(r.graph, { selected: [r.node.id], selectedEdges: [] });
            return r.node.id;
          },

          addNext(kind, fallback) {
            const s = get();
            const from = s.selected.length ? s.byId.get(s.selected[s.selected.length - 1]) : undefined;
            if (!from) return s.addNode(kind, fallback);
            const size = sizeOf(from.id);
            // The selected layer already feeds something: the new one goes into that wire
            // (from → new → what from fed), and the layers after it move right to make room.
            const fed = s.graph.edges.some((e) => e.source === from.id && e.sourcePort === s.inference.node(from.id)?.outputs[0]?.name);
            if (fed) {
              const at = { x: from.position.x + size.width + 90, y: from.position.y };
              const added = edit.addNode(s.graph, { kind, position: at });
              const def = getLayer(kind);
              // Patches to try when a plain splice would break the next layer: each on-node switch on.
              const tries = (def?.params ?? []).filter((p) => p.onNode && p.type === 'bool' && p.default === false).map((p) => ({ [p.name]: true }));
              const r = edit.spliceAfter(added.graph, from.id, added.node.id, tries);
              if (r.spliced) {
                const shift = DEFAULT_SIZE.width + 90;
                const moved = new Map(r.graph.nodes.filter((n) => n.id !== added.node.id && n.position.x > from.position.x).map((n) => [n.id, { x: n.position.x + shift, y: n.position.y }]));
                commit(edit.moveNodes(r.graph, moved), { selected: [added.node.id], selectedEdges: [] });
                return added.node.id;
              }
            }
            const pos = freeSpot(s.graph, s.sizes, { x: from.position.x + size.width + 90, y: from.position.y }, DEFAULT_SIZE);
            let { graph, node } = edit.addNode(s.graph, { kind, position: pos });
            const out = s.inference.node(from.id)?.outputs[0]?.name;
            const into = firstIn(graph, node.id);
            if (out && into) {
              const c = { source: from.id, sourcePort: out, target: node.id, targetPort: into };
              if (edit.canConnect(graph, c).ok) graph = edit.connect(graph, c);
            }
            commit(graph, { selected: [node.id], selectedEdges: [] });
            return node.id;
          },

          checkConnection(c) {
            const g = get().graph;
            if (!checkCache || checkCache.graph !== g) checkCache = { graph: g, results: new Map() };
            const key = `${c.source}|${c.sourcePort}|${c.target}|${c.targetPort}`;
            let r = checkCache.results.get(key);
            if (!r) {
              r = edit.canConnect(g, c, { before: get().inference, trial: trialInferencer });
              checkCache.results.set(key, r);
            }
            return r;
          },

          connect(c) {
            const r = get().checkConnection(c);
            if (!r.ok) {
              get().notify('error', r.reason, { untilEdit: true });
              return r;
            }
            const g = get().graph;
            const old = edit.wireInto(g, c);
            if (old && old.source === c.source && old.sourcePort === c.sourcePort) return r; // the same wire again
            commit(edit.connect(g, c));
            if (old) {
              // An input takes one wire: say which one the new wire replaced (undo brings it back).
              const name = (id: string) => get().byId.get(id)?.name ?? id;
              const port = (id: string, p: string, out: boolean) => {
                const ports = out ? get().inference.node(id)?.outputs : get().inference.node(id)?.inputs;
                return ports && ports.length > 1 ? `.${ports.find((x) => x.name === p)?.label ?? p}` : '';
              };
              get().notify('info', `Replaced the wire ${name(old.source)}${port(old.source, old.sourcePort, true)} → ${name(c.target)}${port(c.target, c.targetPort, false)}: an input takes one wire. Undo (Ctrl+Z) puts it back.`, { untilEdit: true });
            }
            return r;
          },

          changeKind(id, kind) {
            const s = get();
            const n = s.byId.get(id);
            // Only into a kind the layer swaps with (what the inspector offers); anything else leaves the graph as it is.
            if (!n || n.kind === kind || !getLayer(n.kind)?.swapsWith?.includes(kind)) return;
            const r = edit.changeKind(s.graph, id, kind);
            commit(r.graph);
            const notes = [
              r.droppedParams.length ? `${r.droppedParams.join(', ')} ${r.droppedParams.length > 1 ? 'have' : 'has'} no ${kind} equivalent` : '',
              r.droppedEdges.length ? `the wire${r.droppedEdges.length > 1 ? 's' : ''} into ${r.droppedEdges.map((e) => (e.target === id ? e.targetPort : e.sourcePort)).join(', ')} went (${kind} has no such port)` : '',
            ].filter(Boolean);
            if (notes.length) get().notify('info', `${n.name} is now a ${kind}: ${notes.join('; ')}. Undo (Ctrl+Z) changes it back.`, { untilEdit: true });
          },

          applyFix(action) {
            if (!get().byId.has(action.nodeId)) return;
            if (action.inner) get().setInnerParams(action.nodeId, action.inner, action.params);
            else get().setParams(action.nodeId, action.params);
          },

          removeNodes: (ids) => { if (ids.length) commit(edit.removeNodes(get().graph, ids)); },
          removeEdges: (ids) => { if (ids.length) commit(edit.removeEdges(get().graph, ids)); },
          removeSelection() {
            const s = get();
            if (!s.selected.length && !s.selectedEdges.length) return;
            commit(edit.removeNodes(edit.removeEdges(s.graph, s.selectedEdges), s.selected), { selected: [], selectedEdges: [] });
          },

          setParams: (id, patch) => commit(edit.setParams(get().graph, id, patch)),
          setInnerParams(id, spec, patch) {
            const inner = wrapped(id, spec);
            if (!inner) return;
            get().setParams(id, { [spec]: { kind: inner.kind, params: { ...inner.params, ...patch } } });
          },
          setInnerKind(id, spec, kind) {
            const inner = wrapped(id, spec);
            const def = getLayer(kind);
            if (!inner || !def || inner.kind === kind) return;
            const names = new Set(def.params.map((p) => p.name));
            const params = Object.fromEntries(Object.entries(inner.params).filter(([k]) => names.has(k)));
            get().setParams(id, { [spec]: { kind, params } });
          },

          rename(id, name) {
            const s = get();
            const n = s.byId.get(id);
            if (!n) return 'No such layer.';
            const v = name.trim();
            if (v === n.name) return null;
            if (!isLayerName(v)) return 'A layer needs a name.';
            if (s.graph.nodes.some((m) => m.id !== id && m.name === v)) return `Another layer is already called ${v}.`;
            commit(edit.rename(s.graph, id, v));
            return null;
          },
          startRename: (id) => set({ renaming: id }),

          moveNodes(positions, o = {}) {
            const t = store.temporal.getState();
            if (o.history === false) t.pause();
            commit(edit.moveNodes(get().graph, positions), { needsLayout: false });
            if (o.history === false) t.resume();
          },
          dragMove(positions) {
            const drag = new Map(get().drag ?? []);
            for (const [id, p] of positions) drag.set(id, p);
            set({ drag });
          },
          dragEnd() {
            const d = get().drag;
            if (!d?.size) return set({ drag: null });
            const moved = [...d].filter(([id, p]) => {
              const n = get().byId.get(id);
              return n && (n.position.x !== p.x || n.position.y !== p.y);
            });
            if (moved.length) commit(edit.moveNodes(get().graph, new Map(moved)), { drag: null });
            else set({ drag: null });
          },

          select: (nodes, edges = []) => set({ selected: nodes, selectedEdges: edges }),
          selectAll: () => set((s) => ({ selected: s.graph.nodes.map((n) => n.id), selectedEdges: s.graph.edges.map((e) => e.id) })),
          navigate(dir) {
            const s = get();
            if (!s.graph.nodes.length) return;
            const cur = s.selected[s.selected.length - 1];
            let next: string | undefined;
            if (dir === 'next' || dir === 'prev') {
              const order = [...s.inference.order, ...s.graph.nodes.map((n) => n.id).filter((id) => !s.inference.order.includes(id))];
              const k = cur ? order.indexOf(cur) : -1;
              const step = dir === 'next' ? 1 : -1;
              next = k < 0 ? order[step > 0 ? 0 : order.length - 1] : order[(k + step + order.length) % order.length];
            } else next = cur ? nearestInDirection(s.graph, s.sizes, cur, dir) : s.inference.order[0];
            if (next) set({ selected: [next], selectedEdges: [] });
          },

          copy() {
            const s = get();
            if (!s.selected.length) return;
            set({ clipboard: edit.fragmentOf(s.graph, s.selected), pasteCount: 0 });
          },
          cut() {
            get().copy();
            get().removeSelection();
          },
          paste(at) {
            const s = get();
            if (!s.clipboard?.nodes.length) return;
            const k = s.pasteCount + 1;
            // A pointer that is not a finite position pastes where a paste without one goes.
            const pointer = at && Number.isFinite(at.x) && Number.isFinite(at.y) ? at : undefined;
            const r = edit.paste(s.graph, s.clipboard, pasteOffset(s.graph, s.clipboard, s.sizes, pointer, k));
            commit(r.graph, { selected: r.ids, selectedEdges: [], pasteCount: k });
          },
          duplicate() {
            const s = get();
            if (!s.selected.length) return;
            const fragment = edit.fragmentOf(s.graph, s.selected);
            const r = edit.paste(s.graph, fragment, pasteOffset(s.graph, fragment, s.sizes, undefined, 1));
            commit(r.graph, { selected: r.ids, selectedEdges: [] });
          },

          undo: () => { store.temporal.getState().undo(); set(fresh()); },
          redo: () => { store.temporal.getState().redo(); set(fresh()); },

          setSizes: (sizes) => set((s) => ({ sizes: { ...s.sizes, ...sizes } })),
          notify: (level, text, o) =>
            set((s) => ({ messages: [...s.messages.filter((m) => m.text !== text), { id: ++msgId, level, text, ...(o?.untilEdit ? { untilEdit: true } : {}) }].slice(-MAX_MESSAGES) })),
          dismiss: (id) => set((s) => ({ messages: s.messages.filter((m) => m.id !== id) })),
        };
      },
      {
        partialize: (s): History => ({ graph: s.graph }),
        equality: (a, b) => a.graph === b.graph,
        limit: opts.limit ?? 200,
      },
    )),
  );
  return store;
}

export type EditorStore = ReturnType<typeof createEditorStore>;

/** The positions and sizes of nodes, for code that places things (exported for tests). */
export type { XY };
