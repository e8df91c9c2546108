/** Messages between the benchmark page and its training worker. */
import type { BenchModel } from '../../bench/lib/models.ts';
import type { TrainPath } from '../../bench/lib/training.ts';

export interface BenchJob {
  readonly model: BenchModel;
  readonly backend: 'wasm' | 'cpu' | 'webgl';
  readonly paths: readonly TrainPath[];
  readonly repeats: number;
}

export type BenchReply =
  | { readonly ok: true; readonly backend: string; readonly reason: string; readonly renderer: string | null; readonly repeats: Record<string, number[]> }
  | { readonly ok: false; readonly error: string; readonly backend?: string };
