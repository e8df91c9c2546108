/**
 * The models and data of the training benchmarks (issue 12's table plus GRU and SimpleRNN
 * variants), shared by the Node rows (train.bench.ts), the Chromium rows (chromium.bench.ts) and
 * the PyTorch peer (peers/torch_rnn.py gets the very same batches).
 *
 * - feasibility: Embedding(1000, 16, mask_zero) → Bidirectional(LSTM(32)) → Dense(3), 32 × 40 steps
 * - gru / simplernn: the same with GRU(32) (Keras 3's reset_after=True) / SimpleRNN(32)
 * - lesson: the seed's model, Embedding(1000, 2, mask_zero) → Bidirectional(LSTM(8)) → Dense(3),
 *   batches of 16 tweet-like sequences (lengths 2–36, mean ≈ 18 tokens, as the airline tweets of
 *   the lesson after TextVectorization), padded per batch to the longest, as the lesson's collate_fn.
 *
 * Token ids are uniform in 1…999 and labels uniform in 0…2, seeded: speed does not depend on them.
 */
import { setParams } from '../../src/core/edit.ts';
import type { TrainingSettings } from '../../src/core/project.ts';
import type { Graph } from '../../src/core/types.ts';
import { makeBatches } from '../../src/data/batching.ts';
import { mulberry32 } from '../../src/data/random.ts';
import type { Dataset, Example } from '../../src/data/tasks.ts';
import { batchOptions } from '../../src/tf/train/feeds.ts';
import { getTemplate } from '../../templates/index.ts';

export type BenchModelName = 'feasibility' | 'lesson' | 'gru' | 'simplernn';

export interface BenchModel {
  readonly name: BenchModelName;
  readonly describe: string;
  readonly graph: Graph;
  readonly dataset: Dataset;
  readonly settings: TrainingSettings;
  /** Batches dropped at the start of every repeat (first-call compilation, allocation). */
  readonly warmup: number;
  /** Batches measured per repeat. */
  readonly measured: number;
  /** The same model for the PyTorch peer. */
  readonly torch: { readonly cell: 'lstm' | 'gru' | 'rnn'; readonly vocab: number; readonly emb: number; readonly units: number; readonly classes: number; readonly mask: boolean };
}

export const MODEL_NAMES: readonly BenchModelName[] = ['feasibility', 'lesson', 'gru', 'simplernn'];

const VOCAB = 1000;

function dataset(examples: Example[]): Dataset {
  return {
    id: 'bench', name: 'bench', description: 'random tokens (benchmark)', source: 'generated', licence: 'CC0',
    task: 'sequence-classification',
    inputs: { dtype: 'int32', vocabulary: Array.from({ length: VOCAB }, (_, i) => (i === 0 ? '' : `t${i}`)) },
    numClasses: 3, labels: ['negative', 'neutral', 'positive'], train: examples, val: [], test: [],
  };
}

function examples(n: number, seed: number, length: (rand: () => number) => number): Example[] {
  const rand = mulberry32(seed);
  return Array.from({ length: n }, () => {
    const len = length(rand);
    return { x: Array.from({ length: len }, () => 1 + Math.floor(rand() * (VOCAB - 1))), y: Math.floor(rand() * 3) };
  });
}

/** Tweet-like token counts: normal(18, 7) rounded, clipped to 2…36. */
function tweetLength(rand: () => number): number {
  const u = Math.max(rand(), 1e-12), v = rand();
  const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  return Math.min(36, Math.max(2, Math.round(18 + 7 * z)));
}

export function benchModel(name: BenchModelName): BenchModel {
  const template = getTemplate('sentiment')!.project;
  const settings: TrainingSettings = { ...template.training, epochs: 1, optimizer: 'adam', learning_rate: 0.001, seed: 42 };
  const warmup = 2, measured = 8;
  if (name === 'lesson') {
    const g = setParams(template.graph, 'n2', { input_dim: VOCAB, output_dim: 2, mask_zero: true });
    const graph = setParams(g, 'n3', { layer: { kind: 'LSTM', params: { units: 8 } } });
    return {
      name, graph, settings: { ...settings, batch_size: 16 }, warmup, measured: 16,
      describe: 'Embedding(1000, 2, mask_zero) → Bidirectional(LSTM(8)) → Dense(3), the seed\'s model; batch 16 tweet-like sequences (2–36 tokens, mean ≈ 18), padded per batch',
      dataset: dataset(examples((warmup + 16) * 16, 2, tweetLength)),
      torch: { cell: 'lstm', vocab: VOCAB, emb: 2, units: 8, classes: 3, mask: true },
    };
  }
  const kind = name === 'feasibility' ? 'LSTM' : name === 'gru' ? 'GRU' : 'SimpleRNN';
  const g = setParams(template.graph, 'n2', { input_dim: VOCAB, output_dim: 16, mask_zero: true });
  const graph = setParams(g, 'n3', { layer: { kind, params: { units: 32 } } });
  return {
    name, graph, settings: { ...settings, batch_size: 32 }, warmup, measured,
    describe: `Embedding(1000, 16, mask_zero) → Bidirectional(${kind}(32)${kind === 'GRU' ? ', reset_after=True' : ''}) → Dense(3); batch 32 × 40 steps`,
    dataset: dataset(examples((warmup + measured) * 32, 1, () => 40)),
    torch: { cell: kind === 'LSTM' ? 'lstm' : kind === 'GRU' ? 'gru' : 'rnn', vocab: VOCAB, emb: 16, units: 32, classes: 3, mask: true },
  };
}

/** The batches the Trainer trains on in its first epoch (same order), as plain arrays for the peer. */
export function epochBatches(m: BenchModel): { x: number[]; shape: number[]; lengths: number[]; y: number[] }[] {
  return makeBatches(m.dataset.train, batchOptions(m.dataset, m.settings.batch_size, { seed: m.settings.seed, epoch: 1 })).map((b) => ({
    x: Array.from(b.x), shape: [...b.shape], lengths: Array.from(b.lengths), y: Array.from(b.y),
  }));
}

/** The models to run: all, or those named in a comma-separated list (UNROLL_BENCH_MODELS). */
export function benchModels(names: string | undefined = typeof process !== 'undefined' ? process.env?.UNROLL_BENCH_MODELS : undefined): BenchModel[] {
  const wanted = names ? names.split(',').map((s) => s.trim()).filter(Boolean) : [...MODEL_NAMES];
  for (const w of wanted) if (!MODEL_NAMES.includes(w as BenchModelName)) throw new Error(`unknown bench model "${w}" (${MODEL_NAMES.join(', ')})`);
  return wanted.map((w) => benchModel(w as BenchModelName));
}
