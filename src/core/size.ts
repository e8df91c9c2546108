/**
 * How big a model is (contract 3): parameters, the bytes its weights take, and the memory one
 * batch needs — the outputs of every layer, plus the per-step states and gates a recurrent layer
 * keeps for backpropagation through time. Keras limits none of these; Unroll warns when a model is
 * large (inference adds the warnings) and refuses only what cannot be allocated here
 * (`buildProblem`, for the callers that allocate: compile, train).
 *
 *   const s = modelSize(graph, inference, { batch: 32 });   // params, paramBytes, activationBytes, trainingBytes
 *   formatBytes(s.trainingBytes)                              // '1.2 GB'
 *
 * Unknown axes (None) other than the batch count as `timeSteps` (default 100). Every value is
 * float32 (4 bytes), as TF.js stores them.
 */
import type { GraphInference } from './infer.ts';
import type { Graph, Issue } from './types.ts';

export interface SizeOptions {
  /** Examples per batch (default 32, Keras's `fit` default). */
  readonly batch?: number;
  /** Length assumed for unknown (None) axes other than the batch (default 100). */
  readonly timeSteps?: number;
}

export interface NodeSize {
  readonly params: number;
  /** This layer's outputs for one batch, plus its per-step recurrent storage. */
  readonly activationBytes: number;
}

export interface ModelSize {
  readonly params: number;
  readonly trainable: number;
  readonly nonTrainable: number;
  /** params × 4. */
  readonly paramBytes: number;
  /** Forward activations of one batch (what backpropagation keeps). */
  readonly activationBytes: number;
  /**
   * An estimate for training one batch: the weights, their gradients and Adam's two moments
   * (4 × paramBytes), and the activations with their gradients (2 × activationBytes).
   */
  readonly trainingBytes: number;
  /** The largest single layer by parameters (its node id), or null for a model without weights. */
  readonly largestLayer: { readonly nodeId: string; readonly params: number } | null;
  readonly batch: number;
  readonly timeSteps: number;
  readonly perNode: ReadonlyMap<string, NodeSize>;
}

const BYTES = 4;
/** Per-step values a recurrent cell keeps for backpropagation, per unit: outputs, states and gates. */
const STEP_STORE: Record<string, number> = { SimpleRNN: 2, LSTM: 6, GRU: 4 };

/** Parameters above which a model gets a size warning. */
export const LARGE_PARAMS = 10_000_000;
/** Training memory (one batch) above which a model gets a size warning. */
export const LARGE_TRAINING_BYTES = 512 * 2 ** 20;
/** The most a browser tab can give one model's weights here: TF.js's wasm backend addresses 4 GB. */
export const MAX_WEIGHT_BYTES = 4 * 2 ** 30;

export function modelSize(graph: Graph, inference: GraphInference, opts: SizeOptions = {}): ModelSize {
  const batch = opts.batch ?? 32;
  const T = opts.timeSteps ?? 100;
  const perNode = new Map<string, NodeSize>();
  let activation = 0;
  let largest: { nodeId: string; params: number } | null = null;
  // The wire into each node's main input, indexed once (a search per node was quadratic).
  const mainInput = new Map<string, (typeof graph.edges)[number]>();
  for (const e of graph.edges) if (e.targetPort === 'input' && !mainInput.has(e.target)) mainInput.set(e.target, e);
  for (const n of graph.nodes) {
    const ni = inference.node(n.id);
    if (!ni || n.kind === 'Output') continue;
    const params = ni.params ? ni.params.trainable + ni.params.nonTrainable : 0;
    let elements = 0;
    for (const t of ni.outputTensors) {
      if (!t) continue;
      let e = 1;
      t.shape.forEach((d, k) => (e *= k === 0 ? batch : d ?? T));
      elements += e;
    }
    // Recurrent layers keep every step's states and gates for the backward pass.
    const inner = n.kind === 'Bidirectional' ? (n.params.layer as { kind?: string; params?: { units?: number } } | undefined) : undefined;
    const rk = inner?.kind ?? n.kind;
    // The file's value as it is (inference reports one that is not a number).
    const u = inner ? inner.params?.units : n.params.units;
    const units = typeof u === 'number' ? u : 0;
    if (STEP_STORE[rk] && units > 0) {
      const main = ni.outputTensors[0];
      const src = mainInput.get(n.id);
      const x = src ? inference.edgeTensor(src) : null;
      const steps = x && x.shape.length === 3 ? x.shape[1] ?? T : main?.shape.length === 3 ? main.shape[1] ?? T : T;
      elements += STEP_STORE[rk] * units * steps * batch * (inner ? 2 : 1);
    }
    const bytes = elements * BYTES;
    activation += bytes;
    perNode.set(n.id, { params, activationBytes: bytes });
    if (params > 0 && (!largest || params > largest.params)) largest = { nodeId: n.id, params };
  }
  const { trainable, nonTrainable } = inference.totals;
  const params = trainable + nonTrainable;
  return {
    params, trainable, nonTrainable,
    paramBytes: params * BYTES,
    activationBytes: activation,
    trainingBytes: 4 * params * BYTES + 2 * activation,
    largestLayer: largest,
    batch, timeSteps: T, perNode,
  };
}

/** Bytes in Keras's summary notation (1024-based, two decimals): '10.76 KB', '1.20 GB'. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  const k = Math.max(0, Math.min(units.length - 1, Math.floor(Math.log(Math.max(bytes, 1)) / Math.log(1024))));
  return `${(bytes / 1024 ** k).toFixed(2)} ${units[k]}`;
}

function compact(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} B`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)} M`;
  return n.toLocaleString('en-US');
}

/** Warnings for a large model (inference adds them to the graph's issues). */
export function sizeIssues(size: ModelSize): Issue[] {
  const out: Issue[] = [];
  if (size.params >= LARGE_PARAMS || size.trainingBytes >= LARGE_TRAINING_BYTES) {
    out.push({
      code: 'model-large', severity: 'warning', nodeId: size.largestLayer?.nodeId,
      message: `A large model: ${compact(size.params)} parameters (${formatBytes(size.paramBytes)} of weights); ` +
        `training a batch of ${size.batch}${size.timeSteps ? ` (unknown lengths taken as ${size.timeSteps} steps)` : ''} needs about ` +
        `${formatBytes(size.trainingBytes)} (weights, gradients, Adam's moments and ${formatBytes(size.activationBytes)} of activations).`,
      fix: 'It still builds and trains; in the browser that is slow and can run out of memory: lower the batch size, the units or the vocabulary, or train it with the Python script (Export → Python).',
    });
  }
  return out;
}

/**
 * Why a model cannot be allocated here, or null. For callers that are about to build or train
 * (before anything is allocated); inference itself never refuses a model for its size.
 */
export function buildProblem(size: ModelSize, maxWeightBytes = MAX_WEIGHT_BYTES): string | null {
  if (size.paramBytes > maxWeightBytes) {
    return `The model cannot be built here: its weights need ${formatBytes(size.paramBytes)} (${compact(size.params)} parameters), more than the ${formatBytes(maxWeightBytes)} this browser backend can hold. Use the Python export to train it with Keras.`;
  }
  return null;
}
