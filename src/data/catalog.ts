/**
 * Every dataset the app offers, synthetic (generated on the spot) and built-in (fetched lazily
 * from /datasets/), in one list for the dataset panel, and one way to load any of them by id.
 */
import { BUILTIN_DATASETS } from './builtin.ts';
import type { CorpusLoader } from './corpora/loader.ts';
import { makeSyntheticDataset, SYNTHETIC_DATASETS } from './synthetic.ts';
import { TASK_PATTERNS, type Dataset, type TaskKind } from './tasks.ts';

export interface DatasetEntry {
  readonly id: string;
  readonly name: string;
  readonly task: TaskKind;
  /** many-to-one, one-to-many, … */
  readonly pattern: string;
  /** 'synthetic' is generated in the page; 'built-in' is real data fetched when chosen. */
  readonly origin: 'synthetic' | 'built-in';
}

export const DATASETS: readonly DatasetEntry[] = [
  ...SYNTHETIC_DATASETS.map((d) => ({ id: d.id, name: d.name, task: d.task, pattern: TASK_PATTERNS[d.task], origin: 'synthetic' as const })),
  ...BUILTIN_DATASETS.map((d) => ({ id: d.id, name: d.name, task: d.task, pattern: TASK_PATTERNS[d.task], origin: 'built-in' as const })),
];

export function datasetEntry(id: string): DatasetEntry | undefined {
  return DATASETS.find((d) => d.id === id);
}

/** Loads any catalog dataset; built-in ones go through the loader (fetch in the browser). */
export async function loadDataset(id: string, loader: CorpusLoader, options: { seed?: number; size?: number } = {}): Promise<Dataset> {
  const builtin = BUILTIN_DATASETS.find((d) => d.id === id);
  if (builtin) return builtin.load(loader);
  if (SYNTHETIC_DATASETS.some((d) => d.id === id)) return makeSyntheticDataset(id, options);
  throw new Error(`Unknown dataset "${id}". Known: ${DATASETS.map((d) => d.id).join(', ')}.`);
}
