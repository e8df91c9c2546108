/**
 * A training run interrupted by a reload says so at the next start. While a run is going, a
 * small record of it (when it started, how far it got, what it trains) sits in synchronous
 * storage (localStorage in the app); the run's end (done, stopped, failed) removes it. A record
 * found at start is a run that never ended: the page offers to train it again.
 */
import type { TrainStore } from './trainStore.ts';

export const RUN_KEY = 'unroll:training:active';

export interface InterruptedRun {
  readonly startedAt: string;
  readonly epoch: number;
  readonly epochs: number;
  readonly datasetId: string | null;
}

type Local = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** Keeps the record of the running run in `local`. Returns a function that stops. */
export function attachRunMarker(train: TrainStore, local: Local | null): () => void {
  if (!local) return () => {};
  let startedAt = '';
  return train.subscribe((s, p) => {
    try {
      const active = s.status === 'starting' || s.status === 'running' || s.status === 'paused';
      if (!active) {
        if (p.status === 'starting' || p.status === 'running' || p.status === 'paused') local.removeItem(RUN_KEY);
        return;
      }
      if (p.status !== s.status && s.status === 'starting') startedAt = new Date().toISOString();
      if (s.status === p.status && s.progress?.epoch === p.progress?.epoch) return;
      const rec: InterruptedRun = {
        startedAt,
        epoch: s.progress?.epoch ?? 0,
        epochs: s.progress?.epochs ?? s.settings?.epochs ?? 0,
        datasetId: null,
      };
      local.setItem(RUN_KEY, JSON.stringify(rec));
    } catch {
      // storage refused: the interruption just goes unreported
    }
  });
}

/** The run a previous page left unfinished (and forgets it), or null. */
export function takeInterruptedRun(local: Local | null): InterruptedRun | null {
  if (!local) return null;
  try {
    const v = local.getItem(RUN_KEY);
    local.removeItem(RUN_KEY);
    if (!v) return null;
    const o = JSON.parse(v) as Partial<InterruptedRun>;
    return {
      startedAt: typeof o.startedAt === 'string' ? o.startedAt : '',
      epoch: Number.isFinite(o.epoch) ? Number(o.epoch) : 0,
      epochs: Number.isFinite(o.epochs) ? Number(o.epochs) : 0,
      datasetId: typeof o.datasetId === 'string' ? o.datasetId : null,
    };
  } catch {
    return null;
  }
}
