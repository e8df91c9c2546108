/**
 * From a Dataset to what a compiled model eats: which batch field feeds which model input, the
 * batch options of the task, checks that the data fit the model, and readable texts of examples
 * (for the predictions shown after training).
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { TF } from '../../core/layers/tfjs.ts';
import { datasetBatchOptions, type Batch, type BatchOptions } from '../../data/batching.ts';
import { datasetSignature, type Dataset, type Example } from '../../data/tasks.ts';
import { plural } from '../../core/plural.ts';

/** Batch fields in the order of the dataset's inputs: x, then the teacher-forcing decoder input. */
export type FeedField = 'x' | 'decoderInput';

/**
 * The batch field for each model input (model inputs follow the graph order of the Input nodes,
 * which is also the order bindDataset matches to the dataset's inputs: encoder, then decoder).
 */
export function feedFields(ds: Dataset, modelInputs: number): FeedField[] {
  const sig = datasetSignature(ds);
  if (modelInputs < 1 || modelInputs > sig.inputs.length) {
    throw new Error(`The dataset gives ${sig.inputs.length} input${sig.inputs.length > 1 ? 's' : ''} (${sig.inputs.map((i) => i.name).join(', ')}) but the model has ${modelInputs}.`);
  }
  return (['x', 'decoderInput'] as const).slice(0, modelInputs);
}

/** The task's batch options for training (seeded shuffle per epoch) or evaluation (in order). */
export function batchOptions(ds: Dataset, batchSize: number, shuffle: { seed: number; epoch: number } | null): BatchOptions {
  return datasetBatchOptions(ds, batchSize, shuffle ? { shuffle: true, seed: shuffle.seed, epoch: shuffle.epoch } : { shuffle: false });
}

/** The input tensors of one batch, in model-input order. */
export function inputTensors(tf: TF, batch: Batch, fields: readonly FeedField[], dtypes: readonly string[]): tfjs.Tensor[] {
  return fields.map((f, k) => {
    if (f === 'x') return tf.tensor(batch.x, batch.shape, dtypes[k] === 'int32' ? 'int32' : 'float32');
    if (!batch.decoderInput) throw new Error('The model has a decoder input but the dataset gives no teacher-forcing input (startId).');
    return tf.tensor(batch.decoderInput, batch.yShape, 'int32');
  });
}

function finite(v: number | number[] | number[][]): boolean {
  if (typeof v === 'number') return Number.isFinite(v);
  return v.every((u) => finite(u));
}

/** A problem with the data in words, or undefined: NaN/Infinity values, labels ≥ the output units. */
export function checkData(ds: Dataset, categorical: boolean, units: number): string | undefined {
  for (const [part, xs] of [['train', ds.train], ['val', ds.val], ['test', ds.test]] as const) {
    const bad = xs.findIndex((e) => !finite(e.x) || !finite(e.y));
    if (bad >= 0) return `The ${part} data has a missing or infinite value (example ${bad + 1}). Remove or fill such rows before training.`;
    if (!categorical) continue;
    for (const e of xs) {
      const ys = typeof e.y === 'number' ? [e.y] : e.y;
      const top = Math.max(...ys);
      if (top >= units) return `A ${part} label has id ${top}, but the output predicts only ${plural(units, 'class', 'classes')} (ids 0–${units - 1}). Set the units of the last Dense to at least ${top + 1}.`;
    }
  }
  if (ds.train.length === 0) return 'The dataset has no training examples.';
  return undefined;
}

const short = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(3));

/** Joins tokens: characters without spaces, words with spaces; padding (id 0) left out. */
function tokens(ids: readonly number[], vocab: readonly string[] | undefined): string {
  if (!vocab) return ids.map(short).join(' ');
  const words = ids.filter((i) => i !== 0).map((i) => vocab[i] ?? `#${i}`);
  return words.every((w) => [...w].length <= 1) ? words.join('') : words.join(' ');
}

/** A readable text of an example's input. */
export function describeInput(ds: Dataset, x: Example['x']): string {
  if (x.length > 0 && Array.isArray(x[0])) {
    const rows = x as number[][];
    const head = rows.slice(0, 6).map((r) => (r.length === 1 ? short(r[0]) : `(${r.map(short).join(', ')})`));
    return `[${head.join(', ')}${rows.length > 6 ? ', …' : ''}] (${rows.length} steps)`;
  }
  return ds.inputs.dtype === 'int32' ? tokens(x as number[], ds.inputs.vocabulary) : `[${(x as number[]).map(short).join(', ')}]`;
}

/** A readable text of a target or prediction: a class name, a token string or numbers. */
export function describeTarget(ds: Dataset, y: number | readonly number[], regression: boolean): string {
  if (regression) return (typeof y === 'number' ? [y] : y).map(short).join(', ');
  if (typeof y === 'number') return ds.labels?.[y] ?? String(y);
  return tokens(y, ds.labels);
}
