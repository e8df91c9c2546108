/**
 * Pure helpers that shape a training run for display: smoothing and the x-axis in epochs (the
 * chart series themselves: chartFeed.ts), the backend line, the binding problems inside
 * an engine error, and a graph signature that ignores node positions (to tell whether the graph
 * on the canvas is still the one being trained).
 */
import type { Graph } from '../../core/types.ts';
import type { BackendChoice } from '../../tf/train/protocol.ts';
import type { BatchPoint } from '../../store/trainStore.ts';

export type { XY } from './decimate.ts';

/** Debiased exponential moving average: weight 0 returns the values, 0.9 smooths a lot. */
export function smooth(values: readonly number[], weight = 0.6): number[] {
  const ema = new Ema(weight);
  return values.map((v) => ema.push(v));
}

/** The same average one value at a time (live charts). */
export class Ema {
  private last = 0;
  private n = 0;
  constructor(readonly weight = 0.6) {}
  push(v: number): number {
    this.n++;
    this.last = this.last * this.weight + (1 - this.weight) * v;
    return this.last / (1 - this.weight ** this.n);
  }
}

/** Batch b of n in epoch e sits at e − 1 + b/n on an x-axis in epochs; epoch e's result at e. */
export const batchX = (b: Pick<BatchPoint, 'epoch' | 'batch' | 'batches'>): number => b.epoch - 1 + b.batch / b.batches;

/** "WebGL is software-rendered here" from the engine's longer reason; the full text goes in a tooltip. */
export function backendSummary(b: BackendChoice): { backend: string; why: string; fellBack: boolean } {
  const fellBack = b.requested !== 'auto' && b.requested !== b.backend;
  let why = b.reason;
  if (fellBack) why = `${b.requested} failed here, fell back`;
  else if (b.probe?.length) {
    // 'auto' timed this model on each candidate (backend.ts): the numbers say why.
    why = `fastest here: ${b.probe.map((p) => `${p.backend} ${p.msPerBatch >= 10 ? Math.round(p.msPerBatch) : p.msPerBatch.toFixed(1)} ms`).join(', ')} per batch`;
    if (/software-rendered/.test(b.reason)) why += '; WebGL is software-rendered';
  } else if (/software-rendered/.test(b.reason)) why = 'WebGL is software-rendered here';
  else if (/hardware WebGL2 GPU/.test(b.reason)) why = 'hardware WebGL2 GPU';
  else if (/no WebGL2/.test(b.reason)) why = 'no WebGL2 here';
  else if (/chosen in the training settings/.test(b.reason)) why = 'chosen in the settings';
  return { backend: b.backend, why, fellBack };
}

/** The engine's binding error lists one problem per "- " line; returns [intro, problems]. */
export function splitBindingError(message: string): { intro: string; problems: string[] } {
  const lines = message.split('\n');
  const problems = lines.filter((l) => l.startsWith('- ')).map((l) => l.slice(2));
  return { intro: lines.filter((l) => !l.startsWith('- ')).join(' ').trim(), problems };
}

/** What the model is, without where its nodes sit: equal signatures train the same model. */
export function graphSignature(g: Graph): string {
  return JSON.stringify([
    g.nodes.map((n) => [n.id, n.kind, n.name, n.params]),
    g.edges.map((e) => [e.source, e.sourcePort, e.target, e.targetPort]),
  ]);
}

/** 0.8312 → "83.1%". */
export const pct = (v: number | undefined): string => (v === undefined || !Number.isFinite(v) ? '–' : `${(v * 100).toFixed(1)}%`);

/** Loss values with 4 significant digits. */
export const num = (v: number | undefined): string => (v === undefined || !Number.isFinite(v) ? '–' : v.toPrecision(4));
