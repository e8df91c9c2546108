/**
 * The data panel's state, separate from the editor store (a dataset is not undone, and only the
 * catalog choice is saved in the project, see dataLink.ts): the chosen entry (a catalog id, or
 * 'csv' for an upload), its status, and for uploads the parsed table, the column mapping and the
 * split options. The catalog and the CSV reader are imported on first use, so the page starts
 * without them. Plain TypeScript: runs in vitest's node environment (the CSV reader then parses
 * in place instead of in a Web Worker).
 *
 *   const data = createDataStore();
 *   await data.getState().upload(file);          // status 'parsing' → table, suggested mapping, built
 *   data.getState().setMapping({ label: 'airline_sentiment' });
 *   data.getState().dataset;                     // Dataset | null (the Train panel reads this)
 */
import { createStore } from 'zustand/vanilla';
import type { CorpusLoader } from '../data/corpora/loader.ts';
import type { CsvTable } from '../data/csv.ts';
import type { ColumnMapping, ExtractReport } from '../data/csvMapping.ts';
import { DataError, type DataErrorCode } from '../data/errors.ts';
import { datasetFromCsv, suggestMapping } from '../data/fromCsv.ts';
import { overview, type DatasetOverview } from '../data/overview.ts';
import { validateFractions, type SplitFractions } from '../data/split.ts';
import type { Dataset } from '../data/tasks.ts';

export type DataStatus = 'idle' | 'loading' | 'parsing' | 'ready' | 'error';

/** Where a problem happened, so the panel shows it next to the control concerned. */
export type DataProblemPlace = 'file' | 'mapping' | 'split' | 'catalog';

export interface DataProblem {
  readonly where: DataProblemPlace;
  readonly code: DataErrorCode | 'load-failed' | 'bad-split';
  readonly message: string;
}

/** How an uploaded CSV becomes a dataset (the lesson's pipeline settings). */
export interface CsvSplitOptions {
  readonly seed: number;
  readonly fractions: SplitFractions;
  readonly stratify: boolean;
  /** TextVectorization max_tokens (counts '' and [UNK]). */
  readonly maxTokens: number;
  /** Decode &amp; &lt; &#39; … in the texts. */
  readonly decodeEntities: boolean;
}

export const DEFAULT_CSV_SPLIT: CsvSplitOptions = {
  seed: 0, fractions: { train: 0.6, val: 0.2, test: 0.2 }, stratify: false, maxTokens: 1000, decodeEntities: true,
};

/** The entry id of an uploaded CSV. */
export const CSV_ENTRY = 'csv';

/** What is kept of an upload across reloads: the parsed file and the person's choices. */
export interface SavedCsv {
  readonly file: { readonly name: string; readonly size: number };
  readonly table: CsvTable;
  readonly mapping: Partial<ColumnMapping>;
  readonly split: CsvSplitOptions;
}

export interface DataState {
  /** 'csv' for an upload, a catalog id (DATASETS), or null when nothing is chosen. */
  readonly entry: string | null;
  /** Options of a catalog dataset (seed, size; saved with the project). */
  readonly options: Readonly<Record<string, unknown>>;
  readonly status: DataStatus;
  /** Parsing progress of an upload. */
  readonly progress: { readonly fraction: number; readonly rows: number } | null;
  readonly file: { readonly name: string; readonly size: number } | null;
  readonly table: CsvTable | null;
  readonly mapping: Partial<ColumnMapping>;
  readonly split: CsvSplitOptions;
  /** The dataset ready for training, or null. */
  readonly dataset: Dataset | null;
  readonly overview: DatasetOverview | null;
  /** What the mapping kept and skipped (uploads). */
  readonly report: ExtractReport | null;
  readonly error: DataProblem | null;

  /** Chooses and loads a catalog dataset (built-in ones are fetched; synthetic ones generated). */
  choose(id: string, options?: Readonly<Record<string, unknown>>): Promise<void>;
  /** Shows a catalog dataset as chosen without loading it yet (a restored project). */
  select(id: string, options?: Readonly<Record<string, unknown>>): void;
  /** Loads the chosen catalog dataset if it is not loaded (panel opened, training asks). */
  ensureLoaded(): Promise<Dataset | null>;
  /** Parses a CSV (off the main thread), suggests a mapping and builds when the mapping is complete. */
  upload(file: Blob & { readonly name?: string }): Promise<void>;
  setMapping(patch: Partial<ColumnMapping>): void;
  setSplit(patch: Partial<CsvSplitOptions>): void;
  /** Builds the dataset from the table with the current mapping and split (datasetFromCsv). */
  build(): void;
  /** Puts back an upload saved earlier (see csvPersist.ts) and builds it. */
  restoreCsv(saved: SavedCsv): void;
  clear(): void;
}

export interface DataStoreOptions {
  /** Where built-in corpora are read from (default: fetch below BASE_URL + 'datasets/'). */
  readonly loader?: CorpusLoader;
}

const EMPTY = {
  entry: null, options: {}, status: 'idle', progress: null, file: null, table: null, mapping: {}, split: DEFAULT_CSV_SPLIT,
  dataset: null, overview: null, report: null, error: null,
} satisfies Partial<DataState>;

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

export function createDataStore(opts: DataStoreOptions = {}) {
  /** Bumped by every choose/upload/clear: a slower earlier request must not overwrite a newer one. */
  let ticket = 0;
  let pending: Promise<void> | null = null;
  const loader = async (): Promise<CorpusLoader> =>
    opts.loader ?? (await import('../data/corpora/loader.ts')).fetchLoader(`${import.meta.env.BASE_URL}datasets/`);

  return createStore<DataState>()((set, get) => ({
    ...EMPTY,

    choose(id, options = {}) {
      const t = ++ticket;
      set({ ...EMPTY, split: get().split, entry: id, options, status: 'loading' });
      pending = (async () => {
        try {
          const { loadDataset } = await import('../data/catalog.ts');
          const dataset = await loadDataset(id, await loader(), options);
          if (t !== ticket) return;
          set({ dataset, overview: overview(dataset), status: 'ready' });
        } catch (e) {
          if (t !== ticket) return;
          set({ status: 'error', error: { where: 'catalog', code: 'load-failed', message: messageOf(e) } });
        } finally {
          if (t === ticket) pending = null;
        }
      })();
      return pending;
    },

    select(id, options = {}) {
      ticket++;
      pending = null;
      set({ ...EMPTY, split: get().split, entry: id, options });
    },

    async ensureLoaded() {
      const s = get();
      if (s.dataset) return s.dataset;
      if (pending) await pending;
      else if (s.entry && s.entry !== CSV_ENTRY && s.status !== 'error') await s.choose(s.entry, s.options);
      return get().dataset;
    },

    async upload(file) {
      const t = ++ticket;
      pending = null;
      const prev = get().mapping;
      set({ ...EMPTY, split: get().split, entry: CSV_ENTRY, status: 'parsing', file: { name: file.name ?? 'upload.csv', size: file.size }, progress: { fraction: 0, rows: 0 } });
      try {
        const { assertWithinSizeLimit } = await import('../data/csv.ts');
        assertWithinSizeLimit(file.size);
        const { parseCsvOffThread } = await import('../data/csvClient.ts');
        const table = await parseCsvOffThread(file, (fraction, rows) => { if (t === ticket) set({ progress: { fraction, rows } }); });
        if (t !== ticket) return;
        const sug = suggestMapping(table.columns);
        // A column the person mapped before stays named when the new file has no match, so a missing column is reported by name.
        const mapping: Partial<ColumnMapping> = {
          text: sug.text ?? prev.text, label: sug.label ?? prev.label,
          confidence: sug.confidence, threshold: sug.confidence ? (prev.threshold ?? sug.threshold) : undefined,
        };
        set({ table, mapping, progress: null, status: 'idle' });
        get().build();
      } catch (e) {
        if (t !== ticket) return;
        const code = e instanceof DataError ? e.code : 'parse-error';
        set({ status: 'error', progress: null, error: { where: 'file', code, message: messageOf(e) } });
      }
    },

    setMapping(patch) {
      set((s) => ({ mapping: { ...s.mapping, ...patch } }));
      get().build();
    },

    setSplit(patch) {
      set((s) => ({ split: { ...s.split, ...patch } }));
      get().build();
    },

    build() {
      const { table, mapping, split, file } = get();
      if (!table) return;
      const clean = { ...EMPTY, entry: CSV_ENTRY, file, table, mapping, split };
      const hasTarget = !!mapping.label || !!mapping.target_sequence;
      if (!mapping.text || !hasTarget) {
        const missing = [!mapping.text && 'the text column', !hasTarget && 'the label column (or a target sequence)'].filter(Boolean).join(' and ');
        return set({ ...clean, error: { where: 'mapping', code: 'invalid-mapping', message: `Choose ${missing} (the file has: ${table.columns.join(', ')}).` } });
      }
      try {
        validateFractions(split.fractions);
      } catch (e) {
        return set({ ...clean, status: 'error', error: { where: 'split', code: 'bad-split', message: messageOf(e) } });
      }
      try {
        const { dataset, report } = datasetFromCsv(table, mapping as ColumnMapping, {
          name: file?.name, seed: split.seed, fractions: split.fractions, stratify: split.stratify,
          maxTokens: split.maxTokens, decodeEntities: split.decodeEntities,
        });
        set({ ...clean, dataset, report, overview: overview(dataset), status: 'ready' });
      } catch (e) {
        const code = e instanceof DataError ? e.code : 'invalid-mapping';
        set({ ...clean, status: 'error', error: { where: 'mapping', code, message: messageOf(e) } });
      }
    },

    restoreCsv(saved) {
      ticket++;
      pending = null;
      set({ ...EMPTY, entry: CSV_ENTRY, file: saved.file, table: saved.table, mapping: saved.mapping, split: { ...DEFAULT_CSV_SPLIT, ...saved.split } });
      get().build();
    },

    clear() {
      ticket++;
      pending = null;
      set({ ...EMPTY, split: get().split });
    },
  }));
}

export type DataStore = ReturnType<typeof createDataStore>;
