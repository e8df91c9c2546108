/**
 * Padded mini-batches as plain typed arrays ({x, shape, y, yShape}) that a TF.js worker can wrap
 * with tf.tensor(x, shape, dtype) without copying.
 *
 * - padding 'longest' (default): each batch is padded with padValue (0) to its longest sequence,
 *   like the course's collate_fn; or { length }: every batch has that length, padding and
 *   truncating at the end ('post', default) or the start ('pre', Keras pad_sequences' default).
 * - Shuffling is seeded per epoch: epoch e uses the seed deriveSeed(seed, e).
 * - bucketByLength: after shuffling, pools of batchSize · bucketPool examples are sorted by
 *   length and cut into batches, whose order is then shuffled — less padding, still random.
 * - Sequence targets (number[]) are padded to their own longest length (post), or share x's
 *   length and sides when alignTargets is set (tagging, language models); a mask (1 = real step)
 *   comes with them. With startId, a teacher-forcing decoder input ([start, …y[:-1]]) is added.
 */
import type { Dataset, DType, Example } from './tasks.ts';
import { deriveSeed, mulberry32, shuffleInPlace } from './random.ts';

export type NumericArray = Int32Array | Float32Array;

export interface Batch {
  x: NumericArray;
  shape: number[];
  y: NumericArray;
  yShape: number[];
  /** 1 for real target steps, 0 for padding (sequence targets only), shape yShape. */
  mask?: Float32Array;
  /** Teacher-forcing decoder input (when startId is set), shape yShape. */
  decoderInput?: Int32Array;
  /** Unpadded x lengths (after truncation). */
  lengths: Int32Array;
  /** Indices of the examples in the input array. */
  indices: number[];
}

export interface BatchOptions {
  batchSize: number;
  padding?: 'longest' | { length: number };
  padSide?: 'post' | 'pre';
  truncateSide?: 'post' | 'pre';
  padValue?: number;
  shuffle?: boolean;
  seed?: number;
  epoch?: number;
  bucketByLength?: boolean;
  /** Batches per bucketing pool (default 50). */
  bucketPool?: number;
  dropRemainder?: boolean;
  xDtype?: DType;
  yDtype?: DType;
  /** x is one fixed-size vector per example (vector-to-sequence), not a sequence. */
  xIsVector?: boolean;
  alignTargets?: boolean;
  startId?: number;
}

/** The number of batches an epoch yields. */
export function countBatches(n: number, batchSize: number, dropRemainder = false): number {
  return dropRemainder ? Math.floor(n / batchSize) : Math.ceil(n / batchSize);
}

function seqLength(x: Example['x']): number {
  return x.length;
}

/** The example order of one epoch, already grouped into batches. */
export function batchOrder(examples: readonly Example[], o: BatchOptions): number[][] {
  if (!Number.isInteger(o.batchSize) || o.batchSize < 1) throw new Error(`batchSize must be a positive integer, got ${o.batchSize}.`);
  const order = examples.map((_, i) => i);
  const shuffle = o.shuffle ?? false;
  const seed = deriveSeed(o.seed ?? 0, o.epoch ?? 0);
  const rng = mulberry32(seed);
  if (shuffle) shuffleInPlace(order, rng);
  if (o.bucketByLength) {
    const pool = o.batchSize * (o.bucketPool ?? 50);
    for (let start = 0; start < order.length; start += pool) {
      const part = order.slice(start, start + pool).sort((a, b) => seqLength(examples[a].x) - seqLength(examples[b].x));
      order.splice(start, part.length, ...part);
    }
  }
  const batches: number[][] = [];
  for (let start = 0; start < order.length; start += o.batchSize) {
    const b = order.slice(start, start + o.batchSize);
    if (b.length < o.batchSize && o.dropRemainder) break;
    batches.push(b);
  }
  if (o.bucketByLength && shuffle) shuffleInPlace(batches, rng);
  return batches;
}

function alloc(dtype: DType, n: number): NumericArray {
  return dtype === 'int32' ? new Int32Array(n) : new Float32Array(n);
}

/** Cuts a sequence to at most `length` steps from the chosen side. */
function truncate<T>(seq: readonly T[], length: number, side: 'post' | 'pre'): readonly T[] {
  if (seq.length <= length) return seq;
  return side === 'post' ? seq.slice(0, length) : seq.slice(seq.length - length);
}

/** Writes sequences into a [B, T(, F)] buffer with padding on the chosen side. */
function fillSequences(
  seqs: readonly (readonly (number | readonly number[])[])[],
  length: number,
  features: number,
  dtype: DType,
  padValue: number,
  padSide: 'post' | 'pre',
): NumericArray {
  const out = alloc(dtype, seqs.length * length * features);
  out.fill(padValue);
  seqs.forEach((seq, b) => {
    const offset = padSide === 'post' ? 0 : length - seq.length;
    seq.forEach((step, t) => {
      const base = (b * length + offset + t) * features;
      if (typeof step === 'number') out[base] = step;
      else for (let f = 0; f < features; f++) out[base + f] = step[f];
    });
  });
  return out;
}

/** Builds one batch from the examples at `indices`. */
export function collate(examples: readonly Example[], indices: readonly number[], o: BatchOptions): Batch {
  const padValue = o.padValue ?? 0;
  const padSide = o.padSide ?? 'post';
  const truncSide = o.truncateSide ?? 'post';
  const xDtype = o.xDtype ?? 'int32';
  const yDtype = o.yDtype ?? 'int32';
  const items = indices.map((i) => examples[i]);
  const B = items.length;
  let x: NumericArray;
  let shape: number[];
  let lengths: Int32Array;
  let T = 0;
  if (o.xIsVector) {
    const F = items[0].x.length;
    x = alloc(xDtype, B * F);
    items.forEach((e, b) => (e.x as number[]).forEach((v, f) => (x[b * F + f] = v)));
    shape = [B, F];
    lengths = new Int32Array(B).fill(1);
  } else {
    const fixed = o.padding && o.padding !== 'longest' ? o.padding.length : null;
    const seqs = items.map((e) => (fixed === null ? e.x : truncate(e.x as (number | number[])[], fixed, truncSide)));
    T = fixed ?? Math.max(0, ...seqs.map((s) => s.length));
    const first = seqs.find((s) => s.length > 0)?.[0];
    const F = Array.isArray(first) ? first.length : 1;
    x = fillSequences(seqs as (number | number[])[][], T, F, xDtype, padValue, padSide);
    shape = Array.isArray(first) ? [B, T, F] : [B, T];
    lengths = Int32Array.from(seqs, (s) => s.length);
  }
  if (typeof items[0].y === 'number') {
    const y = alloc(yDtype, B);
    items.forEach((e, b) => (y[b] = e.y as number));
    return { x, shape, y, yShape: [B], lengths, indices: indices.slice() };
  }
  const align = o.alignTargets && !o.xIsVector;
  const ySeqs = items.map((e) => (align ? truncate(e.y as number[], T, truncSide) : (e.y as number[])));
  const Ty = align ? T : Math.max(0, ...ySeqs.map((s) => s.length));
  const ySide = align ? padSide : 'post';
  const y = fillSequences(ySeqs, Ty, 1, yDtype, padValue, ySide);
  const mask = fillSequences(ySeqs.map((s) => s.map(() => 1)), Ty, 1, 'float32', 0, ySide) as Float32Array;
  const batch: Batch = { x, shape, y, yShape: [B, Ty], mask, lengths, indices: indices.slice() };
  if (o.startId !== undefined) {
    const start = o.startId;
    const dec = ySeqs.map((s) => (s.length === 0 ? [] : [start, ...s.slice(0, -1)]));
    batch.decoderInput = fillSequences(dec, Ty, 1, 'int32', padValue, 'post') as Int32Array;
  }
  return batch;
}

/** All batches of one epoch. */
export function makeBatches(examples: readonly Example[], options: BatchOptions): Batch[] {
  if (examples.length === 0) return [];
  return batchOrder(examples, options).map((idx) => collate(examples, idx, options));
}

/** Lazily yields the batches of one epoch (for large datasets). */
export function* iterateBatches(examples: readonly Example[], options: BatchOptions): Generator<Batch> {
  if (examples.length === 0) return;
  for (const idx of batchOrder(examples, options)) yield collate(examples, idx, options);
}

/** Batch options that suit a dataset's task (dtypes, target alignment, teacher forcing). */
export function datasetBatchOptions(ds: Dataset, batchSize: number, extra: Partial<BatchOptions> = {}): BatchOptions {
  const regression = ds.task === 'sequence-regression';
  return {
    batchSize,
    xDtype: ds.inputs.dtype,
    yDtype: regression ? 'float32' : 'int32',
    xIsVector: ds.task === 'vector-to-sequence',
    alignTargets: ds.task === 'sequence-labelling' || ds.task === 'language-model',
    startId: ds.task === 'seq2seq' || ds.task === 'vector-to-sequence' ? ds.startId : undefined,
    ...extra,
  };
}
