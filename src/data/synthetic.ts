/**
 * Seeded synthetic teaching datasets and their registry. Same id, options and seed → identical
 * data. The generators live in ./synthetic/; this file lists them for the UI.
 */
import type { Dataset, TaskKind } from './tasks.ts';
import { addingProblem } from './synthetic/adding.ts';
import { copyTask, reversalTask } from './synthetic/sequences.ts';
import { noisySine, runningSum } from './synthetic/series.ts';
import { spelledDigits } from './synthetic/spelledDigits.ts';
import { toyTagging } from './synthetic/toyGrammar.ts';
import { airlineSentiment } from './synthetic/airlineTweets.ts';
import { lookAhead, majoritySymbol, markedXor, runningLeader } from './synthetic/lessonTasks.ts';
import type { SyntheticOptions } from './synthetic/common.ts';

export { addingExample, addingProblem, type AddingOptions } from './synthetic/adding.ts';
export { copyTask, reversalTask, symbolVocabulary, type SequenceTaskOptions } from './synthetic/sequences.ts';
export { noisySine, runningSum, type RunningSumOptions, type SineOptions } from './synthetic/series.ts';
export { DIGIT_WORDS, spellDigit, SPELLING_VOCABULARY, spelledDigits, type SpelledDigitsOptions } from './synthetic/spelledDigits.ts';
export { LEXICON, POS_TAGS, TOY_WORDS, toySentence, toyTagging } from './synthetic/toyGrammar.ts';
export type { SyntheticOptions } from './synthetic/common.ts';
export { AIRLINE_LABELS, airlineSentiment, airlineTweets } from './synthetic/airlineTweets.ts';
export { lookAhead, majoritySymbol, markedXor, runningLeader, LOOK_AHEAD_TAGS, MAJORITY_LABELS, MARKED_XOR_LABELS, RUNNING_LEADER_TAGS, type MajorityOptions, type MarkedXorOptions } from './synthetic/lessonTasks.ts';

export interface SyntheticDatasetInfo {
  id: string;
  name: string;
  task: TaskKind;
  make: (options?: SyntheticOptions) => Dataset;
}

export const SYNTHETIC_DATASETS: readonly SyntheticDatasetInfo[] = [
  { id: 'airline-sentiment', name: 'Airline tweets (synthetic sentiment)', task: 'sequence-classification', make: (o) => airlineSentiment(o) },
  { id: 'adding-10', name: 'Adding problem (T = 10)', task: 'sequence-regression', make: (o) => addingProblem({ ...o, length: 10 }) },
  { id: 'adding-50', name: 'Adding problem (T = 50)', task: 'sequence-regression', make: (o) => addingProblem({ ...o, length: 50 }) },
  { id: 'adding-100', name: 'Adding problem (T = 100)', task: 'sequence-regression', make: (o) => addingProblem({ ...o, length: 100 }) },
  { id: 'adding-200', name: 'Adding problem (T = 200)', task: 'sequence-regression', make: (o) => addingProblem({ ...o, length: 200 }) },
  { id: 'copy', name: 'Sequence copy', task: 'seq2seq', make: (o) => copyTask(o) },
  { id: 'reverse', name: 'Sequence reversal', task: 'seq2seq', make: (o) => reversalTask(o) },
  { id: 'toy-pos', name: 'Toy part-of-speech tagging', task: 'sequence-labelling', make: (o) => toyTagging(o) },
  { id: 'digit-spelling', name: 'Spell a digit', task: 'vector-to-sequence', make: (o) => spelledDigits(o) },
  { id: 'noisy-sine', name: 'Noisy sine wave', task: 'sequence-regression', make: (o) => noisySine(o) },
  { id: 'running-sum', name: 'Running sum', task: 'sequence-regression', make: (o) => runningSum(o) },
  { id: 'marked-xor', name: 'Do the two bits differ at the marked step?', task: 'sequence-classification', make: (o) => markedXor(o) },
  { id: 'look-ahead', name: 'Tag each step with the next symbol', task: 'sequence-labelling', make: (o) => lookAhead(o) },
  { id: 'majority-symbol', name: 'The most frequent symbol', task: 'sequence-classification', make: (o) => majoritySymbol(o) },
  { id: 'running-leader', name: 'Who is leading so far?', task: 'sequence-labelling', make: (o) => runningLeader(o) },
];

/** Generates a synthetic dataset by id. */
export function makeSyntheticDataset(id: string, options: SyntheticOptions = {}): Dataset {
  const info = SYNTHETIC_DATASETS.find((d) => d.id === id);
  if (!info) throw new Error(`Unknown synthetic dataset "${id}". Known: ${SYNTHETIC_DATASETS.map((d) => d.id).join(', ')}.`);
  return info.make(options);
}
