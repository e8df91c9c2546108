/**
 * The templates teachers start from, one project file each (written by scripts/make-templates.ts),
 * with what the gallery says about them: the task, what the model teaches and its key equation.
 * Each file carries its settings, its dataset and the result training reaches (`expected`); each
 * is validated with the project schema when imported, like any file a user opens.
 */
import type { Project } from '../src/core/project.ts';
import { DEFAULT_PROJECT, loadTemplate as load } from './default.ts';
import lessonSimpleRnn from './lesson-simple-rnn.json' with { type: 'json' };
import initialState from './initial-state.json' with { type: 'json' };
import stackedRnn from './stacked-rnn.json' with { type: 'json' };
import bidirectionalRnn from './bidirectional-rnn.json' with { type: 'json' };
import lstmStack from './lstm-stack.json' with { type: 'json' };
import lstmReturnState from './lstm-return-state.json' with { type: 'json' };
import posTagger from './pos-tagger.json' with { type: 'json' };
import spellDigit from './spell-digit.json' with { type: 'json' };
import encoderDecoder from './encoder-decoder.json' with { type: 'json' };
import nameGenerator from './name-generator.json' with { type: 'json' };
import addingSimpleRnn from './adding-simple-rnn.json' with { type: 'json' };
import addingLstm from './adding-lstm.json' with { type: 'json' };
import forecastGru from './forecast-gru.json' with { type: 'json' };

/** The shapes of sequence tasks the lesson names (its diagram of RNN architectures). */
export type TaskPattern = 'many-to-one' | 'one-to-many' | 'many-to-many (aligned)' | 'encoder–decoder' | 'generative' | 'forecasting';

export interface Template {
  readonly id: string;
  readonly title: string;
  readonly pattern: TaskPattern;
  /** One line: the model in words. */
  readonly description: string;
  /** A paragraph: what the model teaches, what to look at when it trains. */
  readonly teaches: string;
  /** The key equation (Unicode). */
  readonly equation: string;
  /** The lesson step whose model this trains, when there is one. */
  readonly lessonStep?: string;
  /** A template to train next and compare with. */
  readonly compareWith?: string;
  /** The Inside tab's vanishing-gradient experiment on this template's task: these kinds, one after another, overlaid. */
  readonly experiment?: { readonly kinds: readonly ('SimpleRNN' | 'GRU' | 'LSTM')[] };
  readonly project: Project;
}

export const TEMPLATES: readonly Template[] = [
  {
    id: 'sentiment', title: 'Sentiment classifier', pattern: 'many-to-one', project: DEFAULT_PROJECT, lessonStep: 'classifier',
    description: 'The Keras lesson\'s model and settings: token ids → Embedding(1000, 2, mask_zero) → Bidirectional(LSTM(8)) → Dense(3, softmax).',
    teaches: 'A whole tweet in, one of three sentiments out. The Embedding turns each token id into a learned 2-value vector and masks the padding; the two LSTMs read the tweet forwards and backwards and their final states are concatenated; the softmax gives the probability of each class. Trained like the lesson: adam, batch 16, 5 epochs, on synthetic airline tweets (upload the Kaggle CSV in the Data tab to train on the real ones).',
    equation: 'ŷ = softmax(W [h→_T ; h←_1] + b)',
  },
  {
    id: 'lesson-simple-rnn', title: 'SimpleRNN(32) on (10, 2)', pattern: 'many-to-one', project: load(lessonSimpleRnn, 'lesson-simple-rnn'), lessonStep: 'simple-rnn',
    description: 'The lesson\'s first model, SimpleRNN(32) on sequences of 10 steps × 2 features, with a Dense(1) head on the adding problem.',
    teaches: 'Each of the 10 steps is a pair (value, marker); exactly two markers are 1 and the target is the sum of the two marked values. The layer must notice a marker, hold its value in its 32-value state and add the second one: a short memory, which a SimpleRNN manages. Predicting the mean gives MSE ≈ 0.167: anything well below that has learned to remember.',
    equation: 'hₜ = tanh(W_xh xₜ + W_hh hₜ₋₁ + b),  ŷ = w·h₁₀ + c',
  },
  {
    id: 'initial-state', title: 'Spell a digit from the initial state', pattern: 'one-to-many', project: load(initialState, 'initial-state'), lessonStep: 'initial-state',
    description: 'A digit\'s one-hot vector → Dense(32, tanh) → the initial state h₀ of a SimpleRNN that writes the digit\'s name, letter by letter.',
    teaches: 'The lesson\'s initial_state, put to work: the only thing the SimpleRNN knows about the digit is where its state starts. From there it reads the letters it has written so far (teacher forcing: the previous correct letter) and predicts the next one. Change the digit vector and the same weights spell another word — the pattern of image captioning, where an image vector starts the sentence.',
    equation: 'h₀ = tanh(W d + b),  hₜ = tanh(W_xh e(yₜ₋₁) + W_hh hₜ₋₁ + b_h)',
  },
  {
    id: 'stacked-rnn', title: 'Stacked SimpleRNN: compute, then remember', pattern: 'many-to-one', project: load(stackedRnn, 'stacked-rnn'), lessonStep: 'stacked',
    description: 'The lesson\'s stacked model — SimpleRNN(16, return_sequences) → SimpleRNN(8) on (32, 5) — with a Dense(2, softmax) head.',
    teaches: 'Each of the 32 steps carries two random bits a and b, a marker (1 at one of the last 8 steps) and two noise channels; the label says whether a ≠ b at the marked step. XOR is not a weighted sum of a and b, so a single tanh step cannot compute it from xₜ: the first layer computes it at every step and hands its sequence on (return_sequences), the second keeps the value at the marked step until the end. A single SimpleRNN(8) stays at chance (50%) on the same data and budget.',
    equation: 'hₜ⁽¹⁾ = tanh(W⁽¹⁾xₜ + U⁽¹⁾hₜ₋₁⁽¹⁾ + b⁽¹⁾),  hₜ⁽²⁾ = tanh(W⁽²⁾hₜ⁽¹⁾ + U⁽²⁾hₜ₋₁⁽²⁾ + b⁽²⁾)',
  },
  {
    id: 'bidirectional-rnn', title: 'Bidirectional SimpleRNN: look ahead', pattern: 'many-to-many (aligned)', project: load(bidirectionalRnn, 'bidirectional-rnn'), lessonStep: 'bidirectional',
    description: 'The lesson\'s Bidirectional(SimpleRNN(16, return_sequences), merge_mode=\'concat\') on (64, 7), tagging every step.',
    teaches: 'Each step is one of 7 symbols, and its tag is the symbol that comes next. A forward RNN has not seen it yet and can only guess (1 in 7); the backward RNN has just read it. This is the lesson\'s point about "There\'s a light …": the right label can depend on what follows. Replace the Bidirectional by a SimpleRNN(32) and the accuracy stays at chance.',
    equation: 'yₜ = softmax(V [h→ₜ ; h←ₜ] + c)',
  },
  {
    id: 'lstm-stack', title: 'Stacked LSTMs: the most frequent symbol', pattern: 'many-to-one', project: load(lstmStack, 'lstm-stack'), lessonStep: 'lstm',
    description: 'The lesson\'s LSTM(16, return_sequences) → LSTM(16) on (None, 12), with a Dense(12, softmax) head.',
    teaches: 'Sequences of 8 to 24 one-hot symbols (12 kinds); the label is the symbol that occurs most often (chance: 1 in 12). The cell state can keep running counts: cₜ = fₜ ⊙ cₜ₋₁ + iₜ ⊙ c̃ₜ adds for each symbol seen and, with the forget gate near 1, keeps what it added; the first LSTM hands its sequence of states to the second, whose last state feeds the softmax. The time axis is None: each batch is padded with zero steps to its longest sequence, and without a Masking layer (the lesson\'s model has none) the LSTMs read those steps too.',
    equation: 'cₜ = fₜ ⊙ cₜ₋₁ + iₜ ⊙ c̃ₜ',
  },
  {
    id: 'lstm-return-state', title: 'LSTM with return_state: who is leading?', pattern: 'many-to-many (aligned)', project: load(lstmReturnState, 'lstm-return-state'), lessonStep: 'return-state',
    description: 'The lesson\'s LSTM(6, return_state=True, return_sequences=True) on (8, 4), tagging every step; h and c come out as well.',
    teaches: 'Four players score between −1 and 1 at each of 8 steps; the tag of a step is the player with the highest total so far. The LSTM has to keep four running sums in its state. With return_state it also hands out its final h and c — the summary lists three outputs — which an encoder passes on to a decoder (see the encoder–decoder template).',
    equation: 'outputs = (h₁, …, h₈),  state = (h₈, c₈)',
  },
  {
    id: 'pos-tagger', title: 'Part-of-speech tagger', pattern: 'many-to-many (aligned)', project: load(posTagger, 'pos-tagger'),
    description: 'A tag for every word: Embedding → Bidirectional(LSTM(16, return_sequences)) → TimeDistributed(Dense(softmax)).',
    teaches: 'Toy sentences with one tag per word. "light", "watch" and "fly" are ambiguous: after "the", "light" is an adjective if a noun follows ("the light box") and a noun if a verb follows ("the light sees …"). Only the words to the right decide, which is why the tagger reads in both directions. TimeDistributed applies the same Dense to every step.',
    equation: 'tagₜ = argmax softmax(V [h→ₜ ; h←ₜ] + c)',
  },
  {
    id: 'spell-digit', title: 'Spell a digit', pattern: 'one-to-many', project: load(spellDigit, 'spell-digit'),
    description: 'One vector in, a sequence out: Dense → RepeatVector(6) → LSTM(return_sequences) → a letter per step.',
    teaches: 'One-to-many with RepeatVector: the digit\'s vector is copied to each of the 6 steps, and the LSTM, reading the same input every time, uses its state to know how far along the word it is ("seven" then <end> then padding). Compare with "Spell a digit from the initial state", where the vector enters only once, as h₀.',
    equation: 'x₁ = … = x₆ = Dense(d),  yₜ = softmax(V hₜ + c)',
  },
  {
    id: 'encoder-decoder', title: 'Encoder–decoder: reverse a sequence', pattern: 'encoder–decoder', project: load(encoderDecoder, 'encoder-decoder'), lessonStep: 'decoder',
    description: 'The encoder LSTM returns its states h and c; they start the decoder LSTM, which is trained with teacher forcing.',
    teaches: 'The encoder reads a sequence of symbols and keeps only its final h and c (return_state); the decoder starts from them (initial_state) and writes the sequence reversed. In training the decoder reads the correct previous symbol (teacher forcing), so the accuracy shown is teacher-forced; at use time it must feed back its own predictions one step at a time (free-running decoding), which is harder.',
    equation: '(h₀ᵈ, c₀ᵈ) = (h_Tᵉ, c_Tᵉ),  yₜ = softmax(V hₜᵈ + c)',
  },
  {
    id: 'name-generator', title: 'Name generator', pattern: 'generative', project: load(nameGenerator, 'name-generator'),
    description: 'A character-level language model on 8,422 English first names: <start> + name in, the next character out at every step.',
    teaches: 'Self-supervised: the target is the input shifted by one character (the lesson\'s generative RNN, trained with teacher forcing). Once trained it invents names by sampling one character at a time and feeding it back; the temperature T sharpens (T < 1) or flattens (T > 1) the distribution it samples from, and T → 0 is always taking the most likely character.',
    equation: 'p(xₜ₊₁ = k | x≤ₜ) = softmax(zₜ / T)ₖ',
  },
  {
    id: 'adding-simple-rnn', title: 'Vanishing gradients: SimpleRNN, T = 100', pattern: 'many-to-one', project: load(addingSimpleRnn, 'adding-simple-rnn'), compareWith: 'adding-lstm', experiment: { kinds: ['SimpleRNN', 'LSTM'] },
    description: 'The adding problem over 100 steps with a SimpleRNN(32): the marked values are far apart.',
    teaches: 'The same task as the lesson\'s first model, but the two marked values can be up to 99 steps apart. The error signal reaching step t is multiplied by σ′ · W_hhᵀ once per step (the lesson\'s equation 4), so from 50 steps away almost nothing arrives and the SimpleRNN stays at the baseline MSE ≈ 0.167: it predicts the mean. The LSTM twin, with the same data and settings, drops below 0.01 after about five epochs; the experiment button trains both one after the other and overlays their losses and their gradients through time.',
    equation: 'δₜ₋₁ = σ′(aₜ₋₁) ⊙ W_{hh}ᵀ δₜ',
  },
  {
    id: 'adding-lstm', title: 'Vanishing gradients: LSTM, T = 100', pattern: 'many-to-one', project: load(addingLstm, 'adding-lstm'), compareWith: 'adding-simple-rnn', experiment: { kinds: ['SimpleRNN', 'LSTM'] },
    description: 'The same adding problem over 100 steps with an LSTM(32).',
    teaches: 'The LSTM\'s cell state is updated by addition, cₜ = fₜ ⊙ cₜ₋₁ + iₜ ⊙ c̃ₜ, so the gradient through it is multiplied only by the forget gate, which can stay near 1: the error from the last step reaches the marked values 50 or 90 steps back. It still needs patience: here the loss sat at the baseline (0.167) for four epochs, about 750 batches, then fell below 0.01 within two more. The SimpleRNN twin, same data and settings, stays at the baseline.',
    equation: '∂cₜ/∂cₜ₋₁ = diag(fₜ)',
  },
  {
    id: 'forecast-gru', title: 'Forecasting with a GRU', pattern: 'forecasting', project: load(forecastGru, 'forecast-gru'), lessonStep: 'gru',
    description: 'Predict the next value of a noisy sine wave from the previous 30 with a GRU(32).',
    teaches: 'Windows of 30 samples of a sine wave with Gaussian noise (σ = 0.1); the target is the next noisy sample. The noise itself cannot be predicted, so the best possible MSE is about σ² = 0.01: a model that gets near it has learned the wave, and one far below it is looking at something it should not. The GRU gets there with 3/4 of an LSTM\'s parameters.',
    equation: 'hₜ = zₜ ⊙ hₜ₋₁ + (1 − zₜ) ⊙ tanh(W xₜ + b + rₜ ⊙ (U hₜ₋₁ + b′))',
  },
];

export function getTemplate(id: string): Template | undefined {
  return TEMPLATES.find((t) => t.id === id);
}
