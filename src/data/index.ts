/**
 * Public API of the data layer: text preprocessing (Keras-faithful TextVectorization and
 * StringLookup), CSV import and validation, splits, padded batches, task kinds, synthetic and
 * built-in datasets. Pure TypeScript: runs in Node and in Web Workers (no fs, no TF.js, no React).
 */
export * from './errors.ts';
export * from './random.ts';
export * from './vocabulary.ts';
export * from './textVectorization.ts';
export * from './stringLookup.ts';
export * from './htmlEntities.ts';
export * from './csv.ts';
export * from './csvStream.ts';
export * from './csvMapping.ts';
export * from './split.ts';
export * from './batching.ts';
export * from './tasks.ts';
export * from './textClassification.ts';
export * from './synthetic.ts';
export * from './builtin.ts';
export { fetchLoader, memoryLoader, type CorpusLoader } from './corpora/loader.ts';
export { readEmail, htmlToText } from './corpora/email.ts';
export { extractSpamAssassin, spamDataset, SPAM_FILE, SPAM_LABELS } from './corpora/spamAssassin.ts';
export { extractNames, namesGenderDataset, namesGenerationDataset, NAMES_FILE } from './corpora/firstNames.ts';
export { extractCmudict, cmudictDataset, wordFrequencies, CMUDICT_FILE, GRAPHEMES } from './corpora/cmudict.ts';
export { extractMobyDick, mobyDickDataset, MOBY_FILE } from './corpora/mobyDick.ts';
