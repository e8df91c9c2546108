/**
 * The lesson path: every model the Keras lesson builds, in its order, as data. Each step opens its
 * graph (graphs.ts), shows the lesson's code for it, says what to notice, and gives one thing to
 * try with the effect the core computes. `steps.test.ts` applies each step's action to its graph
 * and checks the stated effect (and the numbers the texts quote) against the core; the end-to-end
 * test does the same through the editor.
 *
 * Text conventions: `code` in backticks; numbers are Keras 3's, as the core computes them.
 */
import type { Graph, ParamValue } from '../../core/types.ts';
import * as graphs from './graphs.ts';
import type { LessonStepId } from './ids.ts';

/** What the learner is asked to change, on a layer named as in the step's graph. */
export type LessonAction =
  /** A parameter of the layer (a toggle on the node or a field in the inspector). */
  | { readonly type: 'param'; readonly node: string; readonly param: string; readonly value: ParamValue }
  /** A parameter of the layer a wrapper (Bidirectional) holds. */
  | { readonly type: 'inner'; readonly node: string; readonly param: string; readonly value: ParamValue }
  /** Train the model with the project's settings (the Train tab). */
  | { readonly type: 'train' };

/** What the learner should then see; each kind is checked against the core (or the training run). */
export type LessonEffect =
  /** The layer's row in the model summary: its output shape and/or parameter count. */
  | { readonly type: 'rows'; readonly rows: readonly { readonly node: string; readonly shape?: string; readonly params?: number }[] }
  /** The layer reports an issue with this code. */
  | { readonly type: 'issue'; readonly node: string; readonly code: string }
  /** Whether a mask travels on the wire out of the layer's output. */
  | { readonly type: 'masked'; readonly node: string; readonly masked: boolean }
  /** The finished run's test metric reaches at least this value. */
  | { readonly type: 'trained'; readonly metric: 'accuracy'; readonly atLeast: number };

export interface LessonStep {
  readonly id: LessonStepId;
  /** The lesson's section. */
  readonly section: string;
  readonly title: string;
  /** How the lesson builds the model: its summary is printed in this form. */
  readonly form: 'sequential' | 'functional';
  /** The lesson's code for this model (verbatim from its cells unless `codeNote` says otherwise). */
  readonly code: string;
  /** Set when the code is not a cell of the lesson: where it comes from. */
  readonly codeNote?: string;
  /** Two or three sentences: what to notice. */
  readonly notice: string;
  /** The step's key equation (Unicode). */
  readonly equation?: string;
  readonly tryThis: { readonly text: string; readonly action: LessonAction; readonly expect: string; readonly effect: LessonEffect };
  /** The template that trains this model on a task (gallery id). */
  readonly template?: string;
  /** The step's graph (a fresh copy on every call). */
  readonly graph: () => Graph;
  /** The project's dataset (the classifier step trains). */
  readonly dataset?: { readonly id: string };
}

export const LESSON_STEPS: readonly LessonStep[] = [
  {
    id: 'simple-rnn',
    section: 'Recurrent neural networks',
    title: 'A SimpleRNN layer',
    form: 'sequential',
    code: `from keras.models import Sequential
from keras.layers import Input, SimpleRNN

rnn_model = Sequential([
    Input(shape=(10, 2)),
    SimpleRNN(32, activation='tanh')  # 'tanh' is the default activation
])

rnn_model.summary()`,
    notice: 'The input is a batch of sequences shaped `(batch_size, sequence_length, num_features)`: `(None, 10, 2)` is 10 steps of 2 features. ' +
      'The same weights are used at every step — W_xh (32 × 2), W_hh (32 × 32) and b (32), so 32·(2 + 32 + 1) = 1,120 parameters however long the sequence is. ' +
      'By default the layer returns only its last hidden state: `(None, 32)`.',
    equation: 'hₜ = tanh(W_xh xₜ + W_hh hₜ₋₁ + b),  h₀ = 0',
    tryThis: {
      text: 'Turn on `return_sequences` on simple_rnn.',
      action: { type: 'param', node: 'simple_rnn', param: 'return_sequences', value: true },
      expect: 'Its output becomes `(None, 10, 32)`, one hidden state per step, and it still has 1,120 parameters: the weights are shared across time.',
      effect: { type: 'rows', rows: [{ node: 'simple_rnn', shape: '(None, 10, 32)', params: 1120 }] },
    },
    template: 'lesson-simple-rnn',
    graph: graphs.simpleRnn,
  },
  {
    id: 'initial-state',
    section: 'Recurrent neural networks',
    title: 'Setting the initial state',
    form: 'functional',
    code: `# Set the initial hidden state of a SimpleRNN layer

rnn_layer = SimpleRNN(3)
dummy_inputs = keras.random.normal((16, 5, 2))
layer_output = rnn_layer(dummy_inputs, initial_state=ops.ones((16, 3)))
layer_output.shape`,
    notice: 'h₀ is zeros unless you pass one. Here a second input, initial_state, feeds the layer\'s h port: one vector per sequence in the batch, with one value per unit — `(16, 3)`. ' +
      'The batch is fixed at 16, as in the lesson\'s dummy tensors, so the output is `(16, 3)`; the layer has 3·(2 + 3 + 1) = 18 parameters and the state adds none.',
    equation: 'h₁ = tanh(W_xh x₁ + W_hh h₀ + b),  h₀ = initial_state',
    tryThis: {
      text: 'Set `units` of simple_rnn to 4.',
      action: { type: 'param', node: 'simple_rnn', param: 'units', value: 4 },
      expect: 'simple_rnn reports that its initial state must be `(None, 4)`, one value per unit, but initial_state gives `(16, 3)`. Set units back to 3 (or give initial_state the shape 4).',
      effect: { type: 'issue', node: 'simple_rnn', code: 'state-shape' },
    },
    template: 'initial-state',
    graph: graphs.initialState,
  },
  {
    id: 'stacked',
    section: 'Recurrent neural networks',
    title: 'Stacked RNNs',
    form: 'functional',
    code: `# Create a SimpleRNN layer that returns sequences
rnn_layer_1 = SimpleRNN(16, return_sequences=True)

# Create the second SimpleRNN layer, this only returns the final state
rnn_layer_2 = SimpleRNN(8)

# Build the stacked RNN model using the functional API
from keras.models import Model
from keras.layers import Input

inputs = Input(shape=(32, 5))
h = rnn_layer_1(inputs)
outputs = rnn_layer_2(h)
stacked_rnn_model = Model(inputs=inputs, outputs=outputs)
stacked_rnn_model.summary()`,
    notice: 'To stack recurrent layers the lower one must hand on its whole sequence of hidden states: with `return_sequences=True`, simple_rnn returns `(None, 32, 16)`, 32 steps of 16 values. ' +
      'simple_rnn_1 reads that sequence as its input, so its input weights are 8 × 16: 8·(16 + 8 + 1) = 200 parameters, and it returns only its last state, `(None, 8)`.',
    equation: 'hₜ⁽ᵏ⁾ = tanh(W_hh⁽ᵏ⁾ hₜ₋₁⁽ᵏ⁾ + W_xh⁽ᵏ⁾ hₜ⁽ᵏ⁻¹⁾ + b⁽ᵏ⁾),  hₜ⁽⁰⁾ = xₜ',
    tryThis: {
      text: 'Turn off `return_sequences` on simple_rnn (the first SimpleRNN).',
      action: { type: 'param', node: 'simple_rnn', param: 'return_sequences', value: false },
      expect: 'simple_rnn_1 now reports an error: SimpleRNN needs (batch, time, features), but simple_rnn returns `(None, 16)` — only its last state, no time axis left to run over. Turn it back on.',
      effect: { type: 'issue', node: 'simple_rnn_1', code: 'rank' },
    },
    template: 'stacked-rnn',
    graph: graphs.stacked,
  },
  {
    id: 'bidirectional',
    section: 'Recurrent neural networks',
    title: 'Bidirectional RNNs',
    form: 'sequential',
    code: `# Build a bidirectional recurrent neural network

from keras.layers import Bidirectional

brnn_model = Sequential([
    Input(shape=(64, 7)),
    Bidirectional(SimpleRNN(16, return_sequences=True), merge_mode='concat')
])

brnn_model.summary()`,
    notice: 'Bidirectional runs two copies of the SimpleRNN, one forwards and one backwards in time, each with its own weights: 2 · 16·(7 + 16 + 1) = 768 parameters. ' +
      'With `merge_mode=\'concat\'` (the default) the two hidden states are concatenated at every step, so the output is `(None, 64, 32)`: at each step the layer knows the past and the future.',
    equation: 'yₜ = [h→ₜ ; h←ₜ]   (concat)',
    tryThis: {
      text: 'Set `merge_mode` of bidirectional to `sum`.',
      action: { type: 'param', node: 'bidirectional', param: 'merge_mode', value: 'sum' },
      expect: 'The output becomes `(None, 64, 16)`: the two directions are added instead of concatenated (`mul` and `ave` give the same shape; None gives two separate outputs). Still 768 parameters.',
      effect: { type: 'rows', rows: [{ node: 'bidirectional', shape: '(None, 64, 16)', params: 768 }] },
    },
    template: 'bidirectional-rnn',
    graph: graphs.bidirectional,
  },
  {
    id: 'lstm',
    section: 'Long Short Term Memory (LSTM)',
    title: 'Stacked LSTMs',
    form: 'sequential',
    code: `# Build an LSTM model

from keras.models import Sequential
from keras.layers import Input, LSTM

lstm = Sequential([
    Input(shape=(None, 12)),
    LSTM(16, return_sequences=True),
    LSTM(16),
])

lstm.summary()`,
    notice: 'An LSTM has four sets of weights — the input gate i, forget gate f, candidate c̃ and output gate o — so 4·u·(i + u + 1) parameters: 4·16·(12 + 16 + 1) = 1,856 for lstm and 4·16·(16 + 16 + 1) = 2,112 for lstm_1, which reads lstm\'s 16-value states. ' +
      '`Input(shape=(None, 12))` leaves the sequence length open: the time axis is None.',
    equation: 'cₜ = fₜ ⊙ cₜ₋₁ + iₜ ⊙ c̃ₜ,   hₜ = oₜ ⊙ tanh(cₜ)',
    tryThis: {
      text: 'Set `units` of lstm (the first LSTM) to 32.',
      action: { type: 'param', node: 'lstm', param: 'units', value: 32 },
      expect: 'lstm now outputs `(None, None, 32)` and has 4·32·(12 + 32 + 1) = 5,760 parameters, and lstm_1 changes too, to 4·16·(32 + 16 + 1) = 3,136: its input is now 32 values wide.',
      effect: { type: 'rows', rows: [{ node: 'lstm', shape: '(None, None, 32)', params: 5760 }, { node: 'lstm_1', params: 3136 }] },
    },
    template: 'lstm-stack',
    graph: graphs.lstmStack,
  },
  {
    id: 'return-state',
    section: 'Long Short Term Memory (LSTM)',
    title: 'return_state: the final h and c',
    form: 'functional',
    code: `# Build an LSTM model that returns its final internal state

from keras.models import Model

inputs = Input(shape=(8, 4))
outputs = LSTM(6, return_state=True, return_sequences=True)(inputs)
lstm2 = Model(inputs=inputs, outputs=outputs)

lstm2.summary()
lstm2.outputs`,
    notice: 'With `return_state=True` the layer returns its final internal state as well as its output: `(outputs, hidden_state, cell_state)`. ' +
      'With `return_sequences=True` the outputs are all 8 steps, `(None, 8, 6)`, while h and c are `(None, 6)`: the model has three outputs, as `lstm2.outputs` lists.',
    equation: 'outputs = (h₁, …, h₈),  hidden_state = h₈,  cell_state = c₈',
    tryThis: {
      text: 'Turn off `return_sequences` on lstm.',
      action: { type: 'param', node: 'lstm', param: 'return_sequences', value: false },
      expect: 'The first output becomes `(None, 6)`: only the last step\'s output, which for an LSTM is the same vector as the hidden state h. The summary now lists `[(None, 6), (None, 6), (None, 6)]`, still with 264 parameters.',
      effect: { type: 'rows', rows: [{ node: 'lstm', shape: '[(None, 6), (None, 6), (None, 6)]', params: 264 }] },
    },
    template: 'lstm-return-state',
    graph: graphs.returnState,
  },
  {
    id: 'decoder',
    section: 'Long Short Term Memory (LSTM)',
    title: 'An LSTM decoder started from another\'s states',
    form: 'functional',
    code: `from keras.models import Model
from keras.layers import Input, LSTM

encoder_inputs = Input(shape=(8, 4), name='encoder_inputs')
_, h, c = LSTM(6, return_state=True, name='encoder')(encoder_inputs)

decoder_inputs = Input(shape=(5, 3), name='decoder_inputs')
decoder_outputs = LSTM(6, return_sequences=True, name='decoder')(
    decoder_inputs, initial_state=[h, c])

model = Model(inputs=[encoder_inputs, decoder_inputs], outputs=decoder_outputs)
model.summary()`,
    codeNote: 'The lesson says it in words — "the LSTM can also be called using the initial_state argument; a list of [hidden_state, cell_state] should be passed" — this is that call written out.',
    notice: 'The encoder\'s final h and c become the decoder\'s h₀ and c₀: everything the encoder read reaches the decoder through these two 6-value vectors. ' +
      'The decoder has 4·6·(3 + 6 + 1) = 240 parameters and the states add none. This is the encoder–decoder of translation models.',
    equation: 'h₀ᵈᵉᶜ = h₈ᵉⁿᶜ,   c₀ᵈᵉᶜ = c₈ᵉⁿᶜ',
    tryThis: {
      text: 'Set `units` of decoder to 8.',
      action: { type: 'param', node: 'decoder', param: 'units', value: 8 },
      expect: 'decoder reports that its initial state h must be `(None, 8)` — one value per unit — but encoder gives `(None, 6)` (and the same for c): the two layers must have the same number of units.',
      effect: { type: 'issue', node: 'decoder', code: 'state-shape' },
    },
    template: 'encoder-decoder',
    graph: graphs.decoder,
  },
  {
    id: 'gru',
    section: 'Long Short Term Memory (LSTM)',
    title: 'The GRU',
    form: 'sequential',
    code: `from keras.models import Sequential
from keras.layers import Input, GRU

gru = Sequential([
    Input(shape=(None, 12)),
    GRU(16, return_sequences=True),
    GRU(16),
])

gru.summary()`,
    codeNote: 'The lesson says "the GRU is also available as the GRU layer in keras.layers, and has a similar API": this is the LSTM model above with GRU layers.',
    notice: 'The GRU combines the forget and input gates into one update gate z and has no separate cell state, so it returns h only. ' +
      'Keras 3\'s GRU uses `reset_after=True`, with two bias vectors: 3·u·(i + u + 2) = 3·16·(12 + 16 + 2) = 1,440 parameters for gru, against 1,856 for the LSTM of the same size.',
    equation: 'hₜ = zₜ ⊙ hₜ₋₁ + (1 − zₜ) ⊙ h̃ₜ',
    tryThis: {
      text: 'Turn off `reset_after` on gru.',
      action: { type: 'param', node: 'gru', param: 'reset_after', value: false },
      expect: 'gru drops to 3·16·(12 + 16 + 1) = 1,392 parameters: one bias instead of two, the GRU as Cho et al. (2014) wrote it (and the only one TF.js has).',
      effect: { type: 'rows', rows: [{ node: 'gru', params: 1392 }] },
    },
    template: 'forecast-gru',
    graph: graphs.gruStack,
  },
  {
    id: 'embedding',
    section: 'Preprocessing and Embedding layers',
    title: 'TextVectorization, StringLookup and Embedding',
    form: 'sequential',
    code: `textvectorization = TextVectorization(max_tokens=1000)
textvectorization.adapt(train_df['text'])
vocabulary = textvectorization.get_vocabulary()

output_labels = ['positive', 'negative', 'neutral']
stringlookup = StringLookup(vocabulary=output_labels, num_oov_indices=0)

embedding = Embedding(1000, 2, mask_zero=True)
print(embedding(t).shape)
embedding(t)._keras_mask`,
    notice: 'TextVectorization turns each tweet into token ids — 0 is padding, 1 is `[UNK]`, at most 1,000 tokens in all — and StringLookup turns the labels positive, negative, neutral into 0, 1, 2. ' +
      'Embedding(1000, 2) is a 1,000 × 2 table of learned vectors (2,000 parameters); with `mask_zero=True` it also makes a mask that is False at padded steps, so later RNN layers skip them (the dashed wire).',
    equation: 'embedding(t)[b, s] = E[t_bs],   mask[b, s] = (t_bs ≠ 0)',
    tryThis: {
      text: 'Turn off `mask_zero` on embedding.',
      action: { type: 'param', node: 'embedding', param: 'mask_zero', value: false },
      expect: 'The wire out of embedding is no longer dashed: no mask travels with the vectors, so padding zeros would be read as a real token. The shape `(None, None, 2)` and the 2,000 parameters stay.',
      effect: { type: 'masked', node: 'embedding', masked: false },
    },
    template: 'sentiment',
    graph: graphs.embedding,
  },
  {
    id: 'classifier',
    section: 'Preprocessing and Embedding layers',
    title: 'The airline-tweets classifier',
    form: 'sequential',
    code: `lstm_classifier = Sequential([
    Input(shape=([None])),
    embedding,
    Bidirectional(LSTM(8)),
    Dense(3, activation='softmax')
])
lstm_classifier.summary()

lstm_classifier.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])
history = lstm_classifier.fit(train_dataloader, validation_data=val_dataloader, epochs=5)
lstm_classifier.evaluate(test_dataloader)`,
    notice: 'The whole model: token ids → Embedding(1000, 2, mask_zero) → Bidirectional(LSTM(8)) → Dense(3, softmax): 2,000 + 2·4·8·(2 + 8 + 1) + 3·(16 + 1) = 2,000 + 704 + 51 = 2,755 parameters. ' +
      'Trained as in the lesson — adam, batch 16, 5 epochs, sparse categorical cross-entropy — on synthetic airline tweets (the Kaggle data cannot be redistributed; upload the real CSV in the Data tab).',
    equation: 'L = −(1/N) Σₙ log ŷₙ[yₙ]',
    tryThis: {
      text: 'Open the Train tab and press Train.',
      action: { type: 'train' },
      expect: 'Five epochs run with live loss and accuracy curves for training and validation, the lesson\'s two plots; the test accuracy comes out at 0.9 or more (the synthetic tweets are easier than the real ones: on the Kaggle CSV this model reaches about 0.79).',
      effect: { type: 'trained', metric: 'accuracy', atLeast: 0.9 },
    },
    template: 'sentiment',
    graph: graphs.classifier,
    dataset: { id: 'airline-sentiment' },
  },
];

export function lessonStep(id: string): LessonStep | undefined {
  return LESSON_STEPS.find((s) => s.id === id);
}
