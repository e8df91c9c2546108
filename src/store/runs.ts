/**
 * Kept training runs (contract 6): every run with its settings, graph (and summary), dataset,
 * curves, final metrics and weights, in a key-value storage (IndexedDB in the app, through
 * `main.tsx`; memory in tests), surviving reloads. No React, no DOM, no TF.js.
 *
 *   const repo = createRunsRepository(storage, { limitBytes: 200 * MB });
 *   await repo.save(record);                 // upsert; call again as the run goes on
 *   await repo.save(record, weights);        // with its weights (a WeightSet, contract 2)
 *   const runs = await repo.list();          // newest first, without weights
 *   const ws = await repo.weights(id);       // the WeightSet, when kept
 *   await repo.remove(id);
 *
 * Storage layout: `run:<id>` → RunRecord, `weights:<id>` → WeightSet. Size: every record counts its
 * JSON size plus its weights' bytes; when keeping the weights would pass `limitBytes`, the run is
 * kept without them and `save` says so (delete older runs to make room). A quota error from the
 * browser (QuotaExceededError) is reported the same way, with what to do, never thrown.
 */
import type { Graph } from '../core/types.ts';
import type { TrainingSettings } from '../core/project.ts';
import type { WeightSet } from '../core/weights.ts';
import type { Baselines } from '../tf/train/metrics.ts';
import type { EarlyStopInfo, EpochEvent } from '../tf/train/protocol.ts';

export const MB = 1024 * 1024;
export const DEFAULT_RUNS_LIMIT = 200 * MB;
/** Batch points kept per run (the curve is averaged into this many buckets). */
export const MAX_STORED_BATCHES = 1000;

export type RunRecordStatus = 'running' | 'done' | 'stopped' | 'error' | 'interrupted';

export interface StoredBatch {
  /** Batches from the run's start, 1-based (a bucket's last step). */
  readonly step: number;
  /** In epochs: epoch − 1 + batch / batches (the charts' x axis). */
  readonly x: number;
  readonly loss: number;
  readonly accuracy?: number;
}

/** An epoch's results as the engine reports them (without the per-head breakdown). */
export type StoredEpoch = Omit<EpochEvent, 'type' | 'outputs'>;

export interface RunRecord {
  readonly id: string;
  /** Shown in lists and chart legends; defaults to the model in a few words. */
  readonly name: string;
  /** ISO dates. */
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly status: RunRecordStatus;
  /** The project the run was trained in (its name). */
  readonly project: string;
  readonly graph: Graph;
  /** The model in one line ("Embedding → Bidirectional(LSTM 8) → Dense 3") and its size. */
  readonly summary: { readonly text: string; readonly params: number | null; readonly layers: number };
  readonly settings: TrainingSettings;
  readonly dataset: { readonly id: string; readonly name: string; readonly examples?: { readonly train: number; readonly val: number; readonly test: number } };
  readonly backend?: string;
  /** The loss of the first Output with a loss (what the curves show). */
  readonly loss?: string;
  readonly baseline?: Baselines;
  readonly curves: { readonly batches: readonly StoredBatch[]; readonly epochs: readonly StoredEpoch[]; readonly totalEpochs: number };
  readonly test?: { readonly loss: number; readonly accuracy?: number };
  readonly early?: EarlyStopInfo;
  readonly seconds?: number;
  readonly error?: string;
  /** Bytes of the kept weights; null: not kept (or not yet). */
  readonly weightBytes: number | null;
  /** Why the weights were not kept, when they were not. */
  readonly weightsNote?: string;
}

/** What the runs list shows: a record without its graph (smaller to hold in the UI's state). */
export type RunMeta = Omit<RunRecord, 'graph'> & { readonly bytes: number };

/** The key-value storage runs live in. */
export interface RunStorage {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
  del(key: string): Promise<void>;
  keys(): Promise<string[]>;
}

export type SaveResult =
  | { readonly ok: true; readonly weightsKept: boolean; readonly message?: string }
  | { readonly ok: false; readonly message: string };

export interface RunsRepository {
  list(): Promise<RunRecord[]>;
  get(id: string): Promise<RunRecord | undefined>;
  /** Upserts the record; with `weights` (not undefined), also keeps them (null drops them). */
  save(run: RunRecord, weights?: WeightSet | null): Promise<SaveResult>;
  weights(id: string): Promise<WeightSet | undefined>;
  remove(id: string): Promise<void>;
  rename(id: string, name: string): Promise<void>;
  /** Bytes used by all runs and the limit. */
  usage(): Promise<{ readonly bytes: number; readonly limit: number; readonly runs: number }>;
  readonly limitBytes: number;
}

const RUN = 'run:';
const WEIGHTS = 'weights:';

/** Bytes a WeightSet takes (its values; names are small). */
export function weightSetBytes(ws: WeightSet): number {
  let n = 0;
  for (const vars of Object.values(ws.layers)) for (const v of vars) n += v.data.byteLength;
  return n;
}

/** A record's size without weights: its JSON text (UTF-16 in IndexedDB, counted as UTF-8 here). */
export function recordBytes(r: RunRecord): number {
  return new TextEncoder().encode(JSON.stringify(r)).byteLength;
}

export const formatMB = (bytes: number) => `${(bytes / MB).toFixed(bytes < 10 * MB ? 1 : 0)} MB`;

/** Whether an error is the browser's storage quota (QuotaExceededError, Firefox's NS_ERROR_DOM_QUOTA_REACHED). */
export function isQuotaError(e: unknown): boolean {
  const name = (e as { name?: string } | null)?.name ?? '';
  return name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED' || /quota/i.test(String((e as Error)?.message ?? ''));
}

const quotaMessage = (what: string) =>
  `The browser's storage is full: ${what} could not be kept. Delete older runs (Runs list) or free space for this site in the browser's settings.`;

export function createRunsRepository(storage: RunStorage, opts: { limitBytes?: number } = {}): RunsRepository {
  const limitBytes = opts.limitBytes ?? DEFAULT_RUNS_LIMIT;

  const records = async (): Promise<RunRecord[]> => {
    const keys = (await storage.keys()).filter((k) => k.startsWith(RUN));
    const out: RunRecord[] = [];
    for (const k of keys) {
      const r = await storage.get(k);
      if (isRunRecord(r)) out.push(r);
    }
    return out.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
  };

  const used = async (except?: string) => {
    let bytes = 0;
    for (const r of await records()) if (r.id !== except) bytes += recordBytes(r) + (r.weightBytes ?? 0);
    return bytes;
  };

  return {
    limitBytes,
    list: records,
    async get(id) {
      const r = await storage.get(RUN + id);
      return isRunRecord(r) ? r : undefined;
    },
    async save(run, weights) {
      const others = await used(run.id);
      const size = recordBytes(run);
      if (others + size > limitBytes) {
        return { ok: false, message: `Runs storage is full (${formatMB(others)} of ${formatMB(limitBytes)} used): this run could not be kept. Delete older runs to make room.` };
      }
      let record = run;
      let kept = false;
      let message: string | undefined;
      if (weights) {
        const wb = weightSetBytes(weights);
        if (others + size + wb > limitBytes) {
          message = `This run's weights (${formatMB(wb)}) were not kept: runs storage would pass its limit (${formatMB(others + size)} of ${formatMB(limitBytes)} used). Delete older runs to keep the weights of new ones.`;
          record = { ...run, weightBytes: null, weightsNote: message };
          await storage.del(WEIGHTS + run.id).catch(() => undefined);
        } else {
          try {
            await storage.set(WEIGHTS + run.id, weights);
            record = { ...run, weightBytes: wb };
            kept = true;
          } catch (e) {
            if (!isQuotaError(e)) throw e;
            message = quotaMessage('this run\'s weights');
            record = { ...run, weightBytes: null, weightsNote: message };
          }
        }
      } else if (weights === null) {
        await storage.del(WEIGHTS + run.id);
        record = { ...run, weightBytes: null };
      } else {
        // No word on weights: the ones kept before stay (the stored record knows their size).
        const prev = await storage.get(RUN + run.id);
        if (isRunRecord(prev)) {
          const { weightsNote: _, ...rest } = run;
          record = { ...rest, weightBytes: prev.weightBytes, ...(prev.weightsNote ? { weightsNote: prev.weightsNote } : {}) };
        }
      }
      try {
        await storage.set(RUN + run.id, record);
      } catch (e) {
        if (!isQuotaError(e)) throw e;
        if (kept) await storage.del(WEIGHTS + run.id).catch(() => undefined);
        return { ok: false, message: quotaMessage('this run') };
      }
      return message ? { ok: true, weightsKept: kept, message } : { ok: true, weightsKept: kept || (weights === undefined && record.weightBytes !== null) };
    },
    async weights(id) {
      const w = await storage.get(WEIGHTS + id);
      return isWeightSet(w) ? w : undefined;
    },
    async remove(id) {
      await storage.del(WEIGHTS + id);
      await storage.del(RUN + id);
    },
    async rename(id, name) {
      const r = await storage.get(RUN + id);
      if (!isRunRecord(r)) return;
      await storage.set(RUN + id, { ...r, name, updatedAt: new Date().toISOString() });
    },
    async usage() {
      const all = await records();
      return { bytes: all.reduce((a, r) => a + recordBytes(r) + (r.weightBytes ?? 0), 0), limit: limitBytes, runs: all.length };
    },
  };
}

/** A record without its graph, and its size (what lists hold). */
export function runMeta(r: RunRecord): RunMeta {
  const { graph: _, ...meta } = r;
  return { ...meta, bytes: recordBytes(r) + (r.weightBytes ?? 0) };
}

function isRunRecord(x: unknown): x is RunRecord {
  const r = x as Partial<RunRecord> | null;
  return !!r && typeof r.id === 'string' && typeof r.name === 'string' && typeof r.createdAt === 'string' && !!r.graph && Array.isArray(r.graph.nodes)
    && !!r.curves && Array.isArray(r.curves.epochs) && Array.isArray(r.curves.batches) && !!r.settings;
}

function isWeightSet(x: unknown): x is WeightSet {
  const w = x as Partial<WeightSet> | null;
  return !!w && typeof w.layers === 'object' && w.layers !== null && !!w.source;
}

/** An in-memory RunStorage (tests; a fallback when IndexedDB is unavailable). `quotaBytes` simulates a full disk. */
export function memoryRunStorage(opts: { quotaBytes?: number } = {}): RunStorage & { readonly map: Map<string, unknown> } {
  const map = new Map<string, unknown>();
  const size = (v: unknown): number => {
    const w = v as WeightSet;
    if (w && typeof w === 'object' && 'layers' in w && w.source) return weightSetBytes(w);
    return new TextEncoder().encode(JSON.stringify(v)).byteLength;
  };
  return {
    map,
    async get(k) {
      return map.get(k);
    },
    async set(k, v) {
      if (opts.quotaBytes !== undefined) {
        let total = size(v);
        for (const [key, value] of map) if (key !== k) total += size(value);
        if (total > opts.quotaBytes) throw Object.assign(new Error('The quota has been exceeded.'), { name: 'QuotaExceededError' });
      }
      map.set(k, structuredClone(v));
    },
    async del(k) {
      map.delete(k);
    },
    async keys() {
      return [...map.keys()];
    },
  };
}

/** Averages per-batch points into at most `max` buckets (each at its last step), keeping the last point. */
export function decimateBatches(points: readonly StoredBatch[], max = MAX_STORED_BATCHES): StoredBatch[] {
  if (points.length <= max) return [...points];
  const size = Math.ceil(points.length / max);
  const out: StoredBatch[] = [];
  for (let i = 0; i < points.length; i += size) {
    const part = points.slice(i, i + size);
    const last = part[part.length - 1];
    const mean = (f: (p: StoredBatch) => number | undefined) => {
      const v = part.map(f).filter((x): x is number => x !== undefined && Number.isFinite(x));
      return v.length ? v.reduce((a, b) => a + b, 0) / v.length : undefined;
    };
    const acc = mean((p) => p.accuracy);
    out.push({ step: last.step, x: last.x, loss: mean((p) => p.loss) ?? last.loss, ...(acc === undefined ? {} : { accuracy: acc }) });
  }
  return out;
}
