/**
 * Built-in real datasets, loaded lazily through an injectable CorpusLoader (corpora/loader.ts).
 * The compact files are produced by scripts/extract-corpora.ts into public/datasets/ and fetched
 * by the app from /datasets/. Each entry records its source and licence.
 */
import type { CorpusLoader } from './corpora/loader.ts';
import { CMUDICT_FILE, CMUDICT_LICENCE, CMUDICT_SOURCE, cmudictDataset } from './corpora/cmudict.ts';
import { NAMES_FILE, NAMES_LICENCE, NAMES_SOURCE, namesGenderDataset, namesGenerationDataset } from './corpora/firstNames.ts';
import { MOBY_FILE, MOBY_LICENCE, MOBY_SOURCE, mobyDickDataset } from './corpora/mobyDick.ts';
import { SPAM_FILE, SPAM_LICENCE, SPAM_SOURCE, spamDataset } from './corpora/spamAssassin.ts';
import type { Dataset, TaskKind } from './tasks.ts';

export interface BuiltinDatasetInfo {
  id: string;
  name: string;
  task: TaskKind;
  file: string;
  source: string;
  licence: string;
  load: (loader: CorpusLoader) => Promise<Dataset>;
}

export const BUILTIN_DATASETS: readonly BuiltinDatasetInfo[] = [
  {
    id: 'spam-assassin',
    name: 'SpamAssassin: spam or ham',
    task: 'sequence-classification',
    file: SPAM_FILE,
    source: SPAM_SOURCE,
    licence: SPAM_LICENCE,
    load: async (l) => spamDataset(await l.loadJson(SPAM_FILE)),
  },
  {
    id: 'first-names-gender',
    name: 'First names: female or male',
    task: 'sequence-classification',
    file: NAMES_FILE,
    source: NAMES_SOURCE,
    licence: NAMES_LICENCE,
    load: async (l) => namesGenderDataset(await l.loadJson(NAMES_FILE)),
  },
  {
    id: 'first-names-generate',
    name: 'First names: generate new ones',
    task: 'language-model',
    file: NAMES_FILE,
    source: NAMES_SOURCE,
    licence: NAMES_LICENCE,
    load: async (l) => namesGenerationDataset(await l.loadJson(NAMES_FILE)),
  },
  {
    id: 'cmudict-g2p',
    name: 'Spelling → pronunciation (CMUdict)',
    task: 'seq2seq',
    file: CMUDICT_FILE,
    source: CMUDICT_SOURCE,
    licence: CMUDICT_LICENCE,
    load: async (l) => cmudictDataset(await l.loadJson(CMUDICT_FILE)),
  },
  {
    id: 'moby-dick-chars',
    name: 'Moby Dick, character by character',
    task: 'language-model',
    file: MOBY_FILE,
    source: MOBY_SOURCE,
    licence: MOBY_LICENCE,
    load: async (l) => mobyDickDataset(await l.loadText(MOBY_FILE)),
  },
];

/** Loads a built-in dataset by id through the given loader. */
export async function loadBuiltinDataset(id: string, loader: CorpusLoader): Promise<Dataset> {
  const info = BUILTIN_DATASETS.find((d) => d.id === id);
  if (!info) throw new Error(`Unknown built-in dataset "${id}". Known: ${BUILTIN_DATASETS.map((d) => d.id).join(', ')}.`);
  return info.load(loader);
}
