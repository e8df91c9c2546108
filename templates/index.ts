/**
 * The templates teachers start from, one project file each (written by scripts/make-templates.ts).
 * Each is validated with the project schema when imported, like any file a user opens.
 */
import { loadProject, type Project } from '../src/core/project.ts';
import sentiment from './sentiment.json';
import stackedRnn from './stacked-rnn.json';
import posTagger from './pos-tagger.json';
import spellDigit from './spell-digit.json';
import encoderDecoder from './encoder-decoder.json';
import addingProblem from './adding-problem.json';
import forecastGru from './forecast-gru.json';
import nameGenerator from './name-generator.json';

export interface Template {
  readonly id: string;
  readonly title: string;
  /** many-to-one, one-to-many, many-to-many or encoder–decoder. */
  readonly pattern: string;
  readonly description: string;
  readonly project: Project;
}

function load(doc: unknown, id: string): Project {
  const r = loadProject(doc);
  if (!r.ok) throw new Error(`template ${id}: ${r.error}`);
  return r.project;
}

export const TEMPLATES: readonly Template[] = [
  { id: 'sentiment', title: 'Sentiment classifier', pattern: 'many-to-one', project: load(sentiment, 'sentiment'),
    description: 'The Keras lesson\'s model: token ids → Embedding(1000, 2, mask_zero) → Bidirectional(LSTM(8)) → Dense(3, softmax).' },
  { id: 'stacked-rnn', title: 'Stacked SimpleRNN', pattern: 'many-to-one', project: load(stackedRnn, 'stacked-rnn'),
    description: 'Two SimpleRNN layers: the first returns sequences (None, 32, 16), the second only its last state (None, 8).' },
  { id: 'pos-tagger', title: 'Part-of-speech tagger', pattern: 'many-to-many', project: load(posTagger, 'pos-tagger'),
    description: 'A tag for every word: Bidirectional LSTM with return_sequences, then TimeDistributed(Dense(softmax)).' },
  { id: 'spell-digit', title: 'Spell a digit', pattern: 'one-to-many', project: load(spellDigit, 'spell-digit'),
    description: 'One vector in, a sequence out: Dense → RepeatVector → LSTM(return_sequences) → a letter per step.' },
  { id: 'encoder-decoder', title: 'Encoder–decoder', pattern: 'encoder-decoder', project: load(encoderDecoder, 'encoder-decoder'),
    description: 'The encoder LSTM returns its states h and c; they start the decoder LSTM (teacher forcing).' },
  { id: 'name-generator', title: 'Name generator', pattern: 'many-to-many (generative)', project: load(nameGenerator, 'name-generator'),
    description: 'A character-level LSTM language model: it reads <start> and a name so far and predicts the next letter; sample new names at a temperature.' },
  { id: 'adding-problem', title: 'The adding problem', pattern: 'many-to-one', project: load(addingProblem, 'adding-problem'),
    description: 'Hochreiter & Schmidhuber\'s long-memory test: add the two marked numbers of a long sequence.' },
  { id: 'forecast-gru', title: 'Forecasting with a GRU', pattern: 'many-to-one', project: load(forecastGru, 'forecast-gru'),
    description: 'Predict the next value of a noisy series from the previous ones.' },
];

export function getTemplate(id: string): Template | undefined {
  return TEMPLATES.find((t) => t.id === id);
}
