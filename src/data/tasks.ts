/**
 * Task kinds a dataset declares, with their tensor signatures and default losses, and the
 * Dataset interface every built-in, synthetic or uploaded dataset implements.
 *
 * Shapes use null for the batch and time axes (padded per batch). Integer targets use
 * sparse_categorical_crossentropy (the model ends in Dense(numClasses, softmax)); two classes may
 * optionally use binary_crossentropy with one sigmoid unit; regression uses mse. In aligned and
 * seq2seq targets, id 0 is padding and should be masked out of the loss (batches carry a mask).
 */

export type TaskKind =
  | 'sequence-classification'
  | 'sequence-labelling'
  | 'seq2seq'
  | 'language-model'
  | 'sequence-regression'
  | 'vector-to-sequence';

export type DType = 'int32' | 'float32';
export type LossName = 'sparse_categorical_crossentropy' | 'binary_crossentropy' | 'mse';
export type Shape = readonly (number | null)[];

export interface TensorSignature {
  name: string;
  shape: Shape;
  dtype: DType;
}

export interface TaskSignature {
  kind: TaskKind;
  /** 'many-to-one', 'many-to-many (aligned)', … */
  pattern: string;
  inputs: TensorSignature[];
  target: TensorSignature;
  loss: LossName;
  outputActivation: 'softmax' | 'sigmoid' | 'linear';
  /** Units of the output layer. */
  outputUnits: number;
}

export const TASK_KINDS: readonly TaskKind[] = [
  'sequence-classification',
  'sequence-labelling',
  'seq2seq',
  'language-model',
  'sequence-regression',
  'vector-to-sequence',
];

export const TASK_PATTERNS: Readonly<Record<TaskKind, string>> = {
  'sequence-classification': 'many-to-one',
  'sequence-labelling': 'many-to-many (aligned)',
  seq2seq: 'many-to-many (encoder–decoder, teacher forcing)',
  'language-model': 'many-to-many (next token)',
  'sequence-regression': 'many-to-one (forecasting)',
  'vector-to-sequence': 'one-to-many',
};

/** What the input of a dataset looks like. */
export interface InputSpec {
  /** int32 = token ids (shape [batch, time]); float32 = features (shape [batch, time, featureSize]). */
  dtype: DType;
  featureSize?: number;
  /** Token strings by id (index 0 = padding) when dtype is int32. */
  vocabulary?: readonly string[];
  /**
   * How a typed text becomes these tokens (the dataset's TextVectorization rules), for "Try it"
   * and generation; `prefix`: ids every input starts with (a language model's <start>).
   * Without it, tokenize.ts splits into characters when every token is one character, else words.
   */
  text?: TextSpec;
}

export interface TextSpec {
  readonly standardize: 'lower_and_strip_punctuation' | 'lower' | 'strip_punctuation' | null;
  readonly split: 'whitespace' | 'character' | null;
  readonly lowercase?: 'unicode' | 'ascii';
  readonly prefix?: readonly number[];
}

/** Facts about a dataset that decide its signature. */
export interface TaskFacts {
  input: InputSpec;
  /** Classes (classification, labelling) or target vocabulary size (seq2seq, LM, vector→seq). */
  numClasses?: number;
  /** Values predicted per example in regression (default 1). */
  horizon?: number;
  /** Use one sigmoid unit and binary_crossentropy for 2-class classification. */
  binarySigmoid?: boolean;
}

/** The default loss of a task. */
export function defaultLoss(kind: TaskKind, facts: Pick<TaskFacts, 'numClasses' | 'binarySigmoid'> = {}): LossName {
  if (kind === 'sequence-regression') return 'mse';
  if (kind === 'sequence-classification' && facts.binarySigmoid && facts.numClasses === 2) return 'binary_crossentropy';
  return 'sparse_categorical_crossentropy';
}

function sequenceInput(name: string, input: InputSpec): TensorSignature {
  return input.dtype === 'int32'
    ? { name, shape: [null, null], dtype: 'int32' }
    : { name, shape: [null, null, input.featureSize ?? 1], dtype: 'float32' };
}

/** Input/target shapes, dtypes, loss and output layer of a task. */
export function taskSignature(kind: TaskKind, facts: TaskFacts): TaskSignature {
  const classes = facts.numClasses ?? 0;
  const pattern = TASK_PATTERNS[kind];
  const classify = (target: TensorSignature, inputs: TensorSignature[]): TaskSignature => {
    const binary = defaultLoss(kind, facts) === 'binary_crossentropy';
    return {
      kind,
      pattern,
      inputs,
      target: binary ? { ...target, dtype: 'float32' } : target,
      loss: binary ? 'binary_crossentropy' : 'sparse_categorical_crossentropy',
      outputActivation: binary ? 'sigmoid' : 'softmax',
      outputUnits: binary ? 1 : classes,
    };
  };
  switch (kind) {
    case 'sequence-classification':
      return classify({ name: 'label', shape: [null], dtype: 'int32' }, [sequenceInput('sequence', facts.input)]);
    case 'sequence-labelling':
      return classify({ name: 'tags', shape: [null, null], dtype: 'int32' }, [sequenceInput('sequence', facts.input)]);
    case 'language-model':
      return classify({ name: 'next_tokens', shape: [null, null], dtype: 'int32' }, [sequenceInput('tokens', facts.input)]);
    case 'seq2seq':
      return classify({ name: 'decoder_target', shape: [null, null], dtype: 'int32' }, [
        sequenceInput('encoder_input', facts.input),
        { name: 'decoder_input', shape: [null, null], dtype: 'int32' },
      ]);
    case 'vector-to-sequence':
      return classify({ name: 'sequence', shape: [null, null], dtype: 'int32' }, [
        { name: 'vector', shape: [null, facts.input.featureSize ?? 1], dtype: 'float32' },
        { name: 'decoder_input', shape: [null, null], dtype: 'int32' },
      ]);
    case 'sequence-regression': {
      const horizon = facts.horizon ?? 1;
      return {
        kind,
        pattern,
        inputs: [sequenceInput('series', facts.input)],
        target: { name: 'target', shape: [null, horizon], dtype: 'float32' },
        loss: 'mse',
        outputActivation: 'linear',
        outputUnits: horizon,
      };
    }
  }
}

/**
 * One example. x: token ids (number[]), feature rows ([time][feature]) or, for
 * vector-to-sequence, one feature vector (number[]). y: a class id (classification), per-step ids
 * (labelling, LM, seq2seq and vector→sequence targets) or regression values (number[], horizon).
 */
export interface Example {
  x: number[] | number[][];
  y: number | number[];
}

export interface Dataset {
  id: string;
  name: string;
  description: string;
  /** Where the data comes from (URL or citation). */
  source: string;
  licence: string;
  task: TaskKind;
  inputs: InputSpec;
  numClasses?: number;
  /** Class names (classification) or target tokens by id (sequence targets). */
  labels?: readonly string[];
  /** For seq2seq / vector→sequence: the id that starts decoding (decoder input = [start, …y[:-1]]). */
  startId?: number;
  horizon?: number;
  train: Example[];
  val: Example[];
  test: Example[];
}

/** The signature of a dataset. */
export function datasetSignature(ds: Dataset): TaskSignature {
  return taskSignature(ds.task, { input: ds.inputs, numClasses: ds.numClasses, horizon: ds.horizon });
}

/** Teacher forcing: the decoder input is the target shifted right by one, starting with startId. */
export function teacherForcingInput(target: readonly number[], startId: number): number[] {
  return [startId, ...target.slice(0, -1)];
}

/** A language-model pair from a chunk of ids: x = chunk[:-1], y = chunk[1:]. */
export function nextTokenPair(chunk: readonly number[]): Example {
  if (chunk.length < 2) throw new Error('A language-model chunk needs at least 2 tokens.');
  return { x: chunk.slice(0, -1), y: chunk.slice(1) };
}

/** Cuts a long id stream into non-overlapping LM examples of `length` steps (length + 1 ids each). */
export function languageModelExamples(ids: readonly number[], length: number, stride = length): Example[] {
  if (!Number.isInteger(length) || length < 1) throw new Error(`length must be a positive integer, got ${length}.`);
  const out: Example[] = [];
  for (let start = 0; start + length + 1 <= ids.length; start += stride) out.push(nextTokenPair(ids.slice(start, start + length + 1)));
  return out;
}
