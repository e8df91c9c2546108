/**
 * Pure helpers that shape a training run for display: chart series (per batch, smoothed, on an
 * x-axis in epochs; per epoch, train vs validation), the backend line, the binding problems inside
 * an engine error, and a graph signature that ignores node positions (to tell whether the graph
 * on the canvas is still the one being trained).
 */
import type { Graph } from '../../core/types.ts';
import type { BackendChoice } from '../../tf/train/protocol.ts';
import type { BatchPoint, EpochPoint } from '../../store/trainStore.ts';

/** A chart point: x in epochs (batch b of n in epoch e sits at e − 1 + b/n; epoch e's result at e). */
export interface XY {
  readonly x: number;
  readonly y: number;
}

export interface MetricSeries {
  /** Every reported batch value, faint. */
  readonly raw: XY[];
  /** The same, smoothed (debiased exponential moving average, as TensorBoard). */
  readonly smooth: XY[];
  readonly train: XY[];
  readonly val: XY[];
}

/** Debiased exponential moving average: weight 0 returns the values, 0.9 smooths a lot. */
export function smooth(values: readonly number[], weight = 0.6): number[] {
  let last = 0;
  return values.map((v, i) => {
    last = last * weight + (1 - weight) * v;
    return last / (1 - weight ** (i + 1));
  });
}

/** Chart series of `loss` or `accuracy` (an empty series when the run does not report it). */
export function metricSeries(batches: readonly BatchPoint[], epochs: readonly EpochPoint[], metric: 'loss' | 'accuracy', weight = 0.6): MetricSeries {
  const pts = batches.filter((b) => Number.isFinite(b[metric]));
  const raw = pts.map((b) => ({ x: b.epoch - 1 + b.batch / b.batches, y: b[metric] as number }));
  const ys = smooth(raw.map((p) => p.y), weight);
  const valKey = metric === 'loss' ? 'val_loss' : 'val_accuracy';
  return {
    raw,
    smooth: raw.map((p, i) => ({ x: p.x, y: ys[i] })),
    train: epochs.filter((e) => Number.isFinite(e[metric])).map((e) => ({ x: e.epoch, y: e[metric] as number })),
    val: epochs.filter((e) => Number.isFinite(e[valKey])).map((e) => ({ x: e.epoch, y: e[valKey] as number })),
  };
}

/** "WebGL is software-rendered here" from the engine's longer reason; the full text goes in a tooltip. */
export function backendSummary(b: BackendChoice): { backend: string; why: string; fellBack: boolean } {
  const fellBack = b.requested !== 'auto' && b.requested !== b.backend;
  let why = b.reason;
  if (fellBack) why = `${b.requested} failed here, fell back`;
  else if (/software-rendered/.test(b.reason)) why = 'WebGL is software-rendered here';
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
