/**
 * The runs list the UI shows (over the repository of runs.ts), and the recorder that keeps every
 * training run of the train store in it.
 *
 *   const runs = createRunsStore({ repo });
 *   await runs.getState().load();          // runs of earlier sessions ('running' ones → 'interrupted')
 *   attachRunRecorder({ train, runs, weights: () => client.trainedWeights() });
 *   runs.getState().toggleOverlay(id);      // draw that run on the charts too
 *   const r = await runs.getState().restore(id);   // { record, weights } to put back into the editor
 *
 * The recorder writes a run when it starts, after every epoch (curves and the latest numbers) and
 * when it ends (final metrics, and the trained weights fetched from the worker). Continuing a run
 * extends its record. Storage problems (full, quota) become `message`, never exceptions.
 */
import { createStore } from 'zustand/vanilla';
import { inferGraph } from '../core/infer.ts';
import { getLayer } from '../core/registry.ts';
import type { Graph, Params } from '../core/types.ts';
import type { WeightSet } from '../core/weights.ts';
import { decimateBatches, runMeta, type RunMeta, type RunRecord, type RunsRepository, type StoredBatch } from './runs.ts';
import type { TrainState, TrainStore } from './trainStore.ts';

export interface RunsState {
  readonly runs: readonly RunMeta[];
  readonly loaded: boolean;
  /** The last storage problem or note (full, quota, weights not kept), for a toast or the list. */
  readonly message: string | null;
  /** Runs drawn on the charts with the current one, in the order they were picked. */
  readonly overlay: readonly string[];
  /** Curves of overlaid runs, by id (loaded on demand). */
  readonly curves: Readonly<Record<string, RunRecord['curves']>>;
  readonly usage: { readonly bytes: number; readonly limit: number } | null;

  load(): Promise<void>;
  remove(id: string): Promise<void>;
  rename(id: string, name: string): Promise<void>;
  toggleOverlay(id: string): Promise<void>;
  clearMessage(): void;
  /** The whole record and its weights (undefined when they were not kept). */
  restore(id: string): Promise<{ record: RunRecord; weights: WeightSet | undefined } | null>;
  /** Called by the recorder: puts a saved record into the list. */
  upsert(meta: RunMeta, message?: string): void;
}

export interface RunsStoreOptions {
  readonly repo: RunsRepository;
}

export function createRunsStore(opts: RunsStoreOptions) {
  const { repo } = opts;
  const store = createStore<RunsState>()((set, get) => ({
    runs: [], loaded: false, message: null, overlay: [], curves: {}, usage: null,

    async load() {
      try {
        const all = await repo.list();
        // A run still 'running' in storage belongs to a session that ended (reload, closed tab).
        for (const r of all) {
          if (r.status !== 'running' || active.has(r.id)) continue;
          const fixed: RunRecord = { ...r, status: 'interrupted', updatedAt: new Date().toISOString() };
          await repo.save(fixed);
          all[all.indexOf(r)] = fixed;
        }
        set({ runs: all.map(runMeta), loaded: true, usage: await repo.usage() });
      } catch (e) {
        set({ loaded: true, message: `The kept runs could not be read: ${(e as Error).message}` });
      }
    },
    async remove(id) {
      await repo.remove(id);
      const { [id]: _, ...curves } = get().curves;
      set((s) => ({ runs: s.runs.filter((r) => r.id !== id), overlay: s.overlay.filter((x) => x !== id), curves }));
      set({ usage: await repo.usage() });
    },
    async rename(id, name) {
      const clean = name.trim();
      if (!clean) return;
      await repo.rename(id, clean);
      set((s) => ({ runs: s.runs.map((r) => (r.id === id ? { ...r, name: clean } : r)) }));
    },
    async toggleOverlay(id) {
      const s = get();
      if (s.overlay.includes(id)) {
        set({ overlay: s.overlay.filter((x) => x !== id) });
        return;
      }
      // Ticked at once (the list shows it); the curves follow from storage.
      set({ overlay: [...s.overlay, id] });
      const r = await repo.get(id);
      if (!r) {
        set((t) => ({ overlay: t.overlay.filter((x) => x !== id) }));
        return;
      }
      set((t) => ({ curves: { ...t.curves, [id]: r.curves } }));
    },
    clearMessage() {
      set({ message: null });
    },
    async restore(id) {
      const record = await repo.get(id);
      if (!record) return null;
      return { record, weights: record.weightBytes !== null ? await repo.weights(id) : undefined };
    },
    upsert(meta, message) {
      set((s) => {
        const i = s.runs.findIndex((r) => r.id === meta.id);
        const runs = i >= 0 ? s.runs.map((r, k) => (k === i ? meta : r)) : [meta, ...s.runs];
        return { runs, ...(message ? { message } : {}) };
      });
    },
  }));
  /** Runs this session is recording (not interrupted). */
  const active = new Set<string>();
  return Object.assign(store, { active, repo });
}

export type RunsStore = ReturnType<typeof createRunsStore>;

/** "Embedding → Bidirectional(LSTM 8) → Dense 3": the layers from the inputs, with their sizes. */
export function modelLine(graph: Graph): string {
  const size = (kind: string, p: Params): string => {
    const inner = p.layer as { kind: string; params: Params } | undefined;
    if (inner && typeof inner === 'object' && 'kind' in inner) return `${kind}(${size(inner.kind, inner.params)})`;
    const n = p.units ?? p.output_dim;
    return typeof n === 'number' ? `${kind} ${n}` : kind;
  };
  const parts = graph.nodes.filter((n) => getLayer(n.kind)?.isLayer !== false && n.kind !== 'Input' && n.kind !== 'Dropout').map((n) => size(n.kind, n.params));
  return parts.join(' → ') || 'empty graph';
}

const newId = () => `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

/** The batch points of a train store as stored curve points (x in epochs). */
function storedBatches(s: TrainState): StoredBatch[] {
  return decimateBatches(s.batches.map((b) => ({
    step: b.step, x: b.epoch - 1 + b.batch / b.batches, loss: b.loss, ...(b.accuracy === undefined ? {} : { accuracy: b.accuracy }),
  })));
}

export interface RecorderOptions {
  readonly train: TrainStore;
  readonly runs: RunsStore;
  /** The trained weights of the run that just ended (the worker's model); rejects when there are none. */
  readonly weights?: () => Promise<WeightSet>;
  /** Called with each save problem (also kept in the runs store's `message`). */
  readonly onMessage?: (message: string) => void;
}

/** Keeps every run of `train` in `runs`. Returns a function that stops recording. */
export function attachRunRecorder(o: RecorderOptions): () => void {
  const { train, runs } = o;
  let current: RunRecord | null = null;
  let queue: Promise<unknown> = Promise.resolve();
  let seenRun = train.getState().run;

  const write = (r: RunRecord, weights?: WeightSet | null) => {
    queue = queue.then(async () => {
      const res = await runs.repo.save(r, weights);
      const message = res.message;
      const saved = res.ok ? (await runs.repo.get(r.id)) ?? r : r;
      if (res.ok) runs.getState().upsert(runMeta(saved), message);
      else runs.setState({ message });
      if (r.status !== 'running') runs.setState({ usage: await runs.repo.usage() });
      if (message) o.onMessage?.(message);
    }).catch((e) => {
      const message = `The run could not be kept: ${(e as Error).message}`;
      runs.setState({ message });
      o.onMessage?.(message);
    });
    return queue;
  };

  const snapshot = (s: TrainState, base: RunRecord): RunRecord => ({
    ...base,
    updatedAt: new Date().toISOString(),
    backend: s.backend?.backend ?? base.backend,
    loss: s.info?.loss ?? base.loss,
    baseline: s.info?.baseline ?? base.baseline,
    curves: { batches: storedBatches(s), epochs: s.epochs.map(({ outputs: _, ...e }) => e), totalEpochs: s.info?.epochs ?? s.progress?.epochs ?? base.curves.totalEpochs },
    ...(s.info ? { dataset: { ...base.dataset, examples: s.info.examples } } : {}),
  });

  const begin = (s: TrainState) => {
    const graph = s.graph!;
    const inf = inferGraph(graph);
    let params: number | null = 0;
    for (const n of inf.nodes.values()) params = n.params && params !== null ? params + n.params.trainable + n.params.nonTrainable : null;
    const now = new Date().toISOString();
    const record: RunRecord = {
      id: newId(), name: modelLine(graph), createdAt: now, updatedAt: now, status: 'running', project: s.project ?? 'untitled', graph,
      summary: { text: modelLine(graph), params, layers: graph.nodes.filter((n) => getLayer(n.kind)?.isLayer !== false).length },
      settings: s.settings!, dataset: s.dataset ?? { id: 'unknown', name: 'unknown' },
      curves: { batches: [], epochs: [], totalEpochs: s.settings!.epochs }, weightBytes: null,
    };
    runs.active.add(record.id);
    return record;
  };

  return train.subscribe((s, p) => {
    // A new run (or a continued one, which extends the current record).
    if (s.run !== seenRun && s.status === 'starting') {
      seenRun = s.run;
      if (!(s.continued && current)) current = begin(s);
      else current = { ...current, status: 'running', settings: s.settings ?? current.settings };
      return;
    }
    if (!current) return;
    if (s.info && !p.info) void write(snapshot(s, current = { ...current, status: 'running' }));
    else if (s.epochs.length !== p.epochs.length) void write(current = snapshot(s, current));
    if (s.status !== p.status && (s.status === 'done' || s.status === 'stopped' || s.status === 'error')) {
      const r: RunRecord = {
        ...snapshot(s, current), status: s.status,
        ...(s.test ? { test: s.test } : {}), ...(s.early ? { early: s.early } : {}), ...(s.seconds !== null ? { seconds: s.seconds } : {}),
        ...(s.error ? { error: s.error.message } : {}),
      };
      current = r;
      const id = r.id;
      if (s.exportable && o.weights) {
        // Fetched outside the write queue (write appends to it).
        void o.weights().then((ws) => write(r, ws), () => write(r)).finally(() => runs.active.delete(id));
      } else {
        void write(r).finally(() => runs.active.delete(id));
      }
    }
  });
}
