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
 * INPUTS.json: for a model with one input, its batch as nested arrays ([batch][T] token ids, or
 * [batch][T][features]); sequences of different lengths are padded with 0 at the end. For several
 * inputs, an object keyed by the Input layers' names. TARGETS.json: the batch's targets (class ids,
 * values, or per-step ids), as a dataset would give them.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type * as tfjs from '@tensorflow/tfjs';
import { readAnyModelFile } from '../core/keras/cli.ts';
import { Inferencer } from '../core/infer.ts';
import type { TF } from '../core/layers/tfjs.ts';
import type { Graph } from '../core/types.ts';
import type { WeightSet } from '../core/weights.ts';

export const INSPECT_USAGE =
  'inspect MODEL --input INPUTS.json [--weights FILE] [--gradients --target TARGETS.json] [--seed N] [--backend wasm|cpu]   print the states, gates (and ∂L/∂h_t) of every recurrent layer as JSON';

export interface InspectIo {
  out: (s: string) => void;
  err: (s: string) => void;
}

class UsageError extends Error {}
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

/** Weights from a file: TF.js model.json (+ its .bin shards); others through the keras readers when present. */
async function readWeights(tf: TF, path: string, graph: Graph): Promise<WeightSet> {
  const { registerUnrollLayers } = await import('../tf/kit.ts');
  const { extractWeights, layersOf } = await import('../tf/weights/apply.ts');
  if (path.endsWith('.json')) {
    const json = await readJson(path, 'weights file') as { modelTopology?: unknown; weightsManifest?: { paths: string[] }[] };
    if (!json.weightsManifest) throw new InputError(`${path}: not a TF.js model.json (no weightsManifest)`);
    registerUnrollLayers(tf);
    const buffers: Uint8Array[] = [];
    for (const g of json.weightsManifest) for (const p of g.paths) buffers.push(new Uint8Array(await readFile(join(dirname(path), p))));
    const total = buffers.reduce((n, b) => n + b.byteLength, 0);
    const data = new Uint8Array(total);
    let o = 0;
    for (const b of buffers) { data.set(b, o); o += b.byteLength; }
    const specs = json.weightsManifest.flatMap((g) => (g as unknown as { weights: tfjs.io.WeightsManifestEntry[] }).weights);
    const model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology as tfjs.io.ModelJSON['modelTopology'], weightSpecs: specs, weightData: data.buffer }));
    try {
      return extractWeights(tf, layersOf(model, graph), graph, { format: 'tfjs', file: path });
    } finally {
      model.dispose();
    }
  }
  throw new InputError(`${path}: unroll inspect reads weights from a TF.js model.json (with its .bin files); other formats: open the model file with its weights (.keras, .h5)`);
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
  const m = await readAnyModelFile(file, { readFile: (f) => readFile(f, 'utf8'), err: io.err });
  if (!m) return 1;
  const graph = m.graph;
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
    if (opts.has('--weights')) {
      const ws = await readWeights(tf, opts.get('--weights')!, graph);
      const r = applyWeights(tf, compiled, graph, ws, { strict: true });
      if (!r.applied.length) throw new InputError(`${opts.get('--weights')}: no layer of the model took these weights`);
    }
    const model = compiled.model;
    // Inputs, in model-input order.
    const raw = await readJson(opts.get('--input')!, 'input file');
    const inputNames = compiled.inputs.map((id) => graph.nodes.find((n) => n.id === id)!.name);
    const perInput = inputNames.length === 1 && Array.isArray(raw) ? [raw] : inputNames.map((name) => {
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new InputError(`${opts.get('--input')}: the model has ${inputNames.length} inputs (${inputNames.join(', ')}): give an object keyed by their names`);
      const v = (raw as Record<string, unknown>)[name];
      if (v === undefined) throw new InputError(`${opts.get('--input')}: no value for the input "${name}"`);
      return v;
    });
    const feeds = perInput.map((v, k) => {
      const { values, shape } = rectangular(v, `input ${inputNames[k]}`);
      const want = model.inputs[k].shape;
      if (shape.length !== want.length) throw new InputError(`input ${inputNames[k]}: expected ${want.length} nesting levels ([batch]${want.length > 2 ? '[T][features]' : '[T]'}), got ${shape.length}`);
      want.forEach((d, i) => {
        if (i > 0 && d !== null && d !== shape[i]) throw new InputError(`input ${inputNames[k]}: axis ${i} has size ${shape[i]}, the model expects ${d}`);
      });
      return tf.tensor(values, shape, model.inputs[k].dtype === 'int32' ? 'int32' : 'float32');
    });
    let gradients: { loss: import('../tf/train/losses.ts').LossName; y: tfjs.Tensor } | undefined;
    if (flags.has('--gradients')) {
      const out = graph.nodes.find((n) => n.id === compiled.outputs[0]?.outputNodeId);
      const loss = (out?.params.loss ?? 'sparse_categorical_crossentropy') as import('../tf/train/losses.ts').LossName;
      const t = rectangular(await readJson(opts.get('--target')!, 'target file'), 'target');
      const y = targetTensors(tf, loss, { y: Float32Array.from(t.values), yShape: t.shape }, model.outputs[0].shape);
      gradients = { loss, y: y.y };
    }
    const r = inspectModel(tf, compiled, graph, { feeds, inference, layerOutputs: false, ...(gradients ? { gradients } : {}) });
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
    if (e instanceof UsageError) { io.err(e.message); return 2; }
    io.err(`${file}: ${(e as Error).message}`);
    return 1;
  }
}
