/**
 * `unroll inspect MODEL --input INPUTS.json [--weights FILE] [--gradients --target TARGETS.json]`:
 * the numbers of "look inside", headless. Runs the model once on the inputs (TF.js in Node, the
 * engine the app uses: src/tf/inspect on the compiled model's own layers) and prints JSON:
 *
 *   {"layers": [{"name", "kind": "LSTM"|"GRU"|"SimpleRNN", "direction": "forward"|"backward",
 *                "h": [batch][T][units], "c": … (LSTM), "gates": {"i","f","g","o"} | {"z","r","g"},
 *                "grad_h": [T] (with --gradients)}, …],
 *    "outputs": [one nested array per model output, [batch]…]}
 *
 * One entry per recurrent layer (two for a Bidirectional, both with its name, and `direction`). The
 * time axis is the input position t: the state after reading input t, also for go_backwards and the
 * backward direction. Masked (padded) steps hold the carried state; their gates are null (the cell
 * is skipped there). grad_h[t] = mean over the batch of ‖∂ℓ_b/∂h_t‖ for each example's own loss
 * (the Output node's loss against --target), null where every example is padding.
 *
 * MODEL and --weights are read as `unroll predict` reads them (src/tf/weights: .keras, full-model
 * .h5, TF.js model.json with its shards; or an architecture — project file, Keras or TF.js JSON —
 * with --weights .keras / .h5 / .weights.h5 / model.json); without weights the model gets fresh ones
 * (seeded, --seed; said on stderr). INPUTS.json is predict's `{"inputs": [one nested array per
 * model input]}` (src/core/inputs.ts; for a one-input model the bare array is fine too); pad
 * sequences to one length with 0 (a masking Embedding then skips the padding). TARGETS.json: the
 * batch's targets (class ids, values, or per-step ids) as nested arrays, as a dataset gives them.
 */
import { readFile } from 'node:fs/promises';
import type * as tfjs from '@tensorflow/tfjs';
import { readModelInputs } from '../core/inputs.ts';
import { Inferencer } from '../core/infer.ts';
import type { TF } from '../core/layers/tfjs.ts';
import { openModelArgs } from '../tf/weights/cli.ts';

export const INSPECT_USAGE =
  'inspect MODEL --input INPUTS.json [--weights FILE] [--gradients --target TARGETS.json] [--seed N] [--backend wasm|cpu]   print the states, gates (and ∂L/∂h_t) of every recurrent layer as JSON';

export interface InspectIo {
  out: (s: string) => void;
  err: (s: string) => void;
}

class InputError extends Error {}

type Nested = number | Nested[];

/** Pads ragged nested arrays with 0 at the end to a rectangular array; returns its values and shape. */
export function rectangular(v: unknown, what: string): { values: number[]; shape: number[] } {
  const shape: number[] = [];
  const measure = (x: unknown, depth: number) => {
    if (Array.isArray(x)) {
      shape[depth] = Math.max(shape[depth] ?? 0, x.length);
      for (const y of x) measure(y, depth + 1);
    } else if (typeof x !== 'number' || !Number.isFinite(x)) {
      throw new InputError(`${what}: every value must be a finite number (found ${JSON.stringify(x)})`);
    }
  };
  measure(v, 0);
  if (!Array.isArray(v) || !shape.length) throw new InputError(`${what}: expected an array (the batch)`);
  const size = shape.reduce((a, b) => a * b, 1);
  const values = new Array<number>(size).fill(0);
  const fill = (x: unknown, depth: number, offset: number) => {
    if (!Array.isArray(x)) {
      if (depth !== shape.length) throw new InputError(`${what}: mixed nesting depths (a number where an array of ${shape[depth]} was expected)`);
      values[offset] = x as number;
      return;
    }
    if (depth === shape.length) throw new InputError(`${what}: mixed nesting depths`);
    const stride = shape.slice(depth + 1).reduce((a, b) => a * b, 1);
    x.forEach((y, k) => fill(y, depth + 1, offset + k * stride));
  };
  fill(v, 0, 0);
  return { values, shape };
}

/** [B*T*u] flat → [B][T][u] nested; NaN → null. */
function nest3(a: Float32Array, B: number, T: number, u: number): (number | null)[][][] {
  return Array.from({ length: B }, (_, b) => Array.from({ length: T }, (_, t) => Array.from({ length: u }, (_, j) => {
    const v = a[(b * T + t) * u + j];
    return Number.isNaN(v) ? null : v;
  })));
}

function nest(values: Float32Array, shape: readonly number[]): Nested {
  const go = (depth: number, offset: number): Nested => {
    if (depth === shape.length) return values[offset];
    const stride = shape.slice(depth + 1).reduce((a, b) => a * b, 1);
    return Array.from({ length: shape[depth] }, (_, k) => go(depth + 1, offset + k * stride));
  };
  return go(0, 0);
}

async function readJson(path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new InputError(`cannot read ${what} ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InputError(`${path}: not JSON (${(e as Error).message})`);
  }
}

export async function inspectCommand(args: string[], io: InspectIo): Promise<number> {
  const opts = new Map<string, string>();
  const flags = new Set<string>();
  const rest: string[] = [];
  for (let k = 0; k < args.length; k++) {
    const a = args[k];
    if (['--input', '--weights', '--target', '--seed', '--backend'].includes(a)) {
      if (args[k + 1] === undefined) { io.err(`usage: unroll ${INSPECT_USAGE}`); return 2; }
      opts.set(a, args[++k]);
    } else if (a === '--gradients') flags.add(a);
    else rest.push(a);
  }
  const [file, extra] = rest;
  const seed = Number(opts.get('--seed') ?? 0);
  const backend = opts.get('--backend') ?? 'wasm';
  if (!file || extra !== undefined || !opts.has('--input') || !Number.isInteger(seed) || !['wasm', 'cpu'].includes(backend) || (flags.has('--gradients') !== opts.has('--target'))) {
    io.err(flags.has('--gradients') !== opts.has('--target') ? 'unroll inspect: --gradients needs --target TARGETS.json (and --target needs --gradients)' : `usage: unroll ${INSPECT_USAGE}`);
    return 2;
  }
  const model = await openModelArgs(file, opts.get('--weights'), io.err);
  if (!model) return 1;
  for (const w of model.warnings) io.err(`warning: ${w}`);
  const graph = model.graph;
  const weights = model.weights;
  if (!weights) io.err(`note: ${file} holds no weights: fresh ones (seed ${seed}); give trained ones with --weights FILE`);
  const inference = new Inferencer().run(graph);
  try {
    const tf = (await import('@tensorflow/tfjs')) as unknown as TF;
    tf.env().set('PROD', true);
    if (backend === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
    if (!(await tf.setBackend(backend).catch(() => false))) await tf.setBackend('cpu');
    const { compileGraph } = await import('../tf/compile.ts');
    const { withSeededRandom } = await import('../tf/train/engine.ts');
    const { inspectModel } = await import('../tf/inspect/probe.ts');
    const { targetTensors } = await import('../tf/train/losses.ts');
    const { applyWeights } = await import('../tf/weights/apply.ts');
    const warn = console.warn;
    console.warn = (...a: unknown[]) => { if (!String(a[0]).startsWith('Orthogonal initializer')) warn(...a); };
    let compiled;
    try {
      compiled = withSeededRandom(seed, () => compileGraph(tf, graph, inference));
    } finally {
      console.warn = warn;
    }
    if (weights) applyWeights(tf, compiled, graph, weights, { strict: true });
    const model = compiled.model;
    // Inputs as `unroll predict` reads them ({"inputs": [...]}; a bare array for one input).
    const inputPath = opts.get('--input')!;
    const raw = await readJson(inputPath, 'input file');
    const doc = Array.isArray(raw) && compiled.inputs.length === 1 ? { inputs: [raw] } : raw;
    const read = readModelInputs(graph, doc);
    if (!read.ok) throw new InputError(`${inputPath}: ${read.error}`);
    const byName = new Map(read.inputs.map((x) => [x.name, x]));
    const feeds = compiled.inputs.map((id) => {
      const x = byName.get(graph.nodes.find((n) => n.id === id)!.name)!;
      return tf.tensor(x.values, [...x.shape], x.dtype);
    });
    let gradients: { loss: import('../tf/train/losses.ts').LossName; y: tfjs.Tensor } | undefined;
    if (flags.has('--gradients')) {
      const out = graph.nodes.find((n) => n.id === compiled.outputs[0]?.outputNodeId);
      const loss = (out?.params.loss ?? 'sparse_categorical_crossentropy') as import('../tf/train/losses.ts').LossName;
      const t = rectangular(await readJson(opts.get('--target')!, 'target file'), 'target');
      const y = targetTensors(tf, loss, { y: Float32Array.from(t.values), yShape: t.shape }, model.outputs[0].shape);
      gradients = { loss, y: y.y };
    }
    const r = await inspectModel(tf, compiled, graph, { feeds, inference, layerOutputs: false, ...(gradients ? { gradients } : {}) });
    tf.dispose([...feeds, ...(gradients ? [gradients.y] : [])]);
    const layers = r.layers.map((l) => ({
      name: l.name, kind: l.kind, direction: l.direction,
      h: nest3(l.h, l.B, l.T, l.units),
      ...(l.c ? { c: nest3(l.c, l.B, l.T, l.units) } : {}),
      gates: Object.fromEntries(Object.entries(l.gates).map(([g, v]) => [g, nest3(v, l.B, l.T, l.units)])),
      ...(l.gradNorm ? { grad_h: l.gradNorm } : {}),
    }));
    io.out(JSON.stringify({ layers, outputs: r.predictions.map((p) => nest(p.values, p.shape)) }));
    return 0;
  } catch (e) {
    io.err(e instanceof InputError ? (e as Error).message : `${file}: ${(e as Error).message}`);
    return 1;
  }
}
