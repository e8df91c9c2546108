/**
 * The training worker's side of "see inside" (issue 11), wired into host.ts:
 *
 * - `inspect`: runs the model once on one input (a dataset example padded as in its batch, typed
 *   text, or typed numbers) with the latest run's weights when that run trained this graph, else
 *   fresh seeded ones; answers with every recurrent layer's states and gates, ∂L/∂h_t (when the
 *   example has a target), the saliency of each input position, every layer's output, the
 *   prediction, the lesson's identities checked on these numbers, and the weight sizes per gate.
 * - `weight-stats`: the size of each gate block of the latest run's weights.
 * - gradient sampling during a run: after a batch (engine.ts `afterBatch`), every N batches or
 *   'auto' (so that sampling costs about a tenth of the training time, and always at the first
 *   batch and at each epoch's end), ‖∂L/∂h_t‖ on a fixed probe batch (the first 8 validation
 *   examples), posted as a `gradients` message.
 *
 * All of it uses src/tf/inspect on the compiled model's own layers.
 */
import type * as tfjs from '@tensorflow/tfjs';
import { Inferencer, type GraphInference } from '../../core/infer.ts';
import type { TF } from '../../core/layers/tfjs.ts';
import type { Graph } from '../../core/types.ts';
import { recurrentSpecOf, timeSource } from '../../core/unrolled.ts';
import { makeBatches, type Batch } from '../../data/batching.ts';
import { tokenizeText } from '../../data/tokenize.ts';
import type { Dataset, Example } from '../../data/tasks.ts';
import { compileGraph, GraphError, type CompiledModel } from '../compile.ts';
import { compiledFromModel, graphKey, sameModel } from '../inspect/compiled.ts';
import { inspectModel, type Inside, type LayerInside } from '../inspect/probe.ts';
import { weightStats } from '../inspect/weights.ts';
import type { WeightSet } from '../../core/weights.ts';
import { applyWeights } from '../weights/apply.ts';
import type { AfterBatch } from './engine.ts';
import { withSeededRandom } from './engine.ts';
import { batchOptions, describeTarget, feedFields, inputTensors } from './feeds.ts';
import { isCategorical, isClassification, targetTensors, type LossName } from './losses.ts';
import type {
  DatasetSource, FromWorker, GradientSample, GradientsEvery, InsideFact, InsideToWorker, InspectRequest, InspectResult,
} from './protocol.ts';

export interface InsideHostOptions {
  readonly post: (msg: FromWorker) => void;
  /** TF.js with a backend for this request (the running one while a run trains). */
  readonly tf: (backend: InspectRequest['backend']) => Promise<{ tf: TF; backend: string }>;
  readonly dataset: (src: DatasetSource) => Promise<Dataset>;
  /** The latest run's graph and model (trained, stopped or still training), if any. */
  readonly run: () => { readonly graph: Graph; readonly model: tfjs.LayersModel; readonly batches: number } | undefined;
  /** Weights loaded from a file (set-weights, issue 8): a model with no run yet starts from them. */
  readonly loadedWeights?: () => WeightSet | null;
}

const PROBE_EXAMPLES = 8;
/** Share of the training time gradient sampling may take in 'auto'. */
const AUTO_SHARE = 0.1;

/** A short text for a number. */
const short = (v: number) => (Number.isInteger(v) ? String(v) : Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(2));

function lossOf(graph: Graph): LossName {
  const out = graph.nodes.find((n) => n.kind === 'Output');
  return (out?.params.loss ?? 'sparse_categorical_crossentropy') as LossName;
}

/** Token ids of a typed text, by the dataset's own TextVectorization rules (src/data/tokenize.ts). */
export function encodeText(ds: Dataset, text: string): { ids: number[]; unknown: string[] } {
  if (!ds.inputs.vocabulary) throw new Error(`The dataset "${ds.name}" has no vocabulary: type numbers, or pick an example.`);
  const t = tokenizeText(ds.inputs, text);
  if (!t.ids.length) throw new Error('None of the typed tokens is in the vocabulary.');
  return { ids: [...t.ids], unknown: t.tokens.filter((x) => x.unknown && !x.added).map((x) => x.token) };
}

/** The readable token of each position of one example's row of a batch field. */
function tokensOf(values: ArrayLike<number>, T: number, F: number, vocab: readonly string[] | undefined, length: number): { tokens: string[]; padding: boolean[] } {
  const tokens: string[] = [];
  const padding: boolean[] = [];
  for (let t = 0; t < T; t++) {
    const pad = t >= length;
    padding.push(pad);
    if (F === 1 && vocab) tokens.push(pad ? '' : vocab[values[t]] ?? `#${values[t]}`);
    else tokens.push(pad ? '' : Array.from({ length: F }, (_, f) => short(values[t * F + f])).join(' '));
  }
  return { tokens, padding };
}

/** The prediction of one example, readable. */
function describePrediction(ds: Dataset | undefined, loss: LossName, values: Float32Array, shape: readonly number[]): InspectResult['prediction'] {
  const vals = Array.from(values);
  const classes = shape[shape.length - 1];
  if (isCategorical(loss) && shape.length === 2) {
    const top = vals.map((p, k) => ({ label: ds?.labels?.[k] ?? String(k), p })).sort((a, b) => b.p - a.p).slice(0, 3);
    return { text: `${top[0].label} (${(top[0].p * 100).toFixed(1)}%)`, values: vals, shape, top };
  }
  if (isCategorical(loss) && shape.length === 3) {
    const ids = Array.from({ length: shape[1] }, (_, t) => {
      const row = vals.slice(t * classes, (t + 1) * classes);
      return row.indexOf(Math.max(...row));
    });
    return { text: ds ? describeTarget(ds, ids, false) : ids.join(' '), values: vals, shape };
  }
  if (loss === 'binary_crossentropy') return { text: vals.map((p) => `${(p * 100).toFixed(1)}%`).join(', '), values: vals, shape };
  return { text: vals.slice(0, 8).map(short).join(', ') + (vals.length > 8 ? ', …' : ''), values: vals, shape };
}

const sci = (v: number) => (v === 0 ? '0' : v.toExponential(1));

/** The lesson's identities, checked on this pass's numbers (batch of one). */
export function factsOf(graph: Graph, inference: GraphInference, inside: Inside): InsideFact[] {
  const facts: InsideFact[] = [];
  const at = (a: ArrayLike<number>, u: number, t: number) => Array.from({ length: u }, (_, j) => a[t * u + j]);
  const diff = (a: number[], b: number[]) => Math.max(0, ...a.map((v, j) => Math.abs(v - b[j])));
  for (const l of inside.layers) {
    const who = `${l.name}${l.direction === 'backward' ? ' (backward)' : ''}`;
    const spec = recurrentSpecOf(graph, inference, l.nodeId);
    const cellIdx = l.direction === 'backward' ? 1 : 0;
    const cell = spec?.cells[cellIdx];
    if (!cell || !l.h.length) continue;
    const u = l.units, T = l.T;
    const final = at(l.h, u, l.goBackwards ? 0 : T - 1);
    // The outputs that are this chain's own (a Bidirectional merges them unless merge_mode is None).
    const mine = spec.cells.length === 1 || spec.merge === null;
    const outPort = spec.outputPorts[spec.cells.length === 1 ? 0 : cellIdx];
    const out = mine ? inside.outputs.find((o) => o.nodeId === l.nodeId && o.port === outPort) : undefined;
    if (out && cell.returnSequences) {
      // Keras returns a go_backwards layer's sequence in reading order: its last step is the last read.
      const d = diff(at(out.values, u, T - 1), final);
      facts.push({ text: `${who}: the last step of the return_sequences output equals the final state h (largest difference ${sci(d)}).`, holds: d < 1e-5, value: d });
    } else if (out) {
      const d = diff(Array.from(out.values.slice(0, u)), final);
      facts.push({ text: `${who}: the output is the state h after the last step read (largest difference ${sci(d)}).`, holds: d < 1e-5, value: d });
    }
    const hPort = spec.stateOutputPorts[cellIdx][0];
    const hOut = hPort ? inside.outputs.find((o) => o.nodeId === l.nodeId && o.port === hPort) : undefined;
    if (hOut) {
      const d = diff(Array.from(hOut.values.slice(0, u)), final);
      facts.push({ text: `${who}: return_state's h is the same final state (largest difference ${sci(d)}).`, holds: d < 1e-5, value: d });
    }
    // Padding: masked steps carry the previous state (in reading order; before the first, h₀).
    const wired = spec.initialStatePorts[cellIdx].some((port) => graph.edges.some((e) => e.target === l.nodeId && e.targetPort === port));
    const order = Array.from({ length: T }, (_, k) => (l.goBackwards ? T - 1 - k : k));
    let masked = 0, change = 0;
    order.forEach((t, k) => {
      if (l.real[t]) return;
      masked++;
      if (k === 0 && wired) return; // h₀ comes from elsewhere: not in this trace
      const before = k === 0 ? new Array<number>(u).fill(0) : at(l.h, u, order[k - 1]);
      change = Math.max(change, diff(at(l.h, u, t), before));
    });
    if (masked) {
      facts.push({ text: `${who}: at the ${masked} padded step${masked > 1 ? 's' : ''} the state is carried over unchanged (largest change ${sci(change)}).`, holds: change === 0, value: change });
    }
    const gateNames = cell.gates.filter((g) => g.activation === 'recurrent_activation').map((g) => g.trace);
    if (gateNames.length) {
      let lo = Infinity, hi = -Infinity;
      for (const g of gateNames) for (const v of l.gates[g] ?? []) if (!Number.isNaN(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
      if (lo <= hi) facts.push({ text: `${who}: every gate value (${gateNames.join(', ')}) lies in (0, 1): from ${lo.toFixed(3)} to ${hi.toFixed(3)}.`, holds: lo > 0 && hi < 1, value: Math.max(-lo, hi - 1) });
      const eq = cell.kind === 'LSTM' ? 'c_t = f ⊙ c_(t−1) + i ⊙ g and h_t = o ⊙ tanh(c_t)' : 'h_t = z ⊙ h_(t−1) + (1 − z) ⊙ g';
      facts.push({ text: `${who}: ${eq} at every step (largest difference ${sci(l.identityError)}).`, holds: l.identityError < 1e-5, value: l.identityError });
    }
  }
  return facts;
}

export function createInsideHost(o: InsideHostOptions) {
  let every: GradientsEvery = 'auto';
  let fresh: { key: string; compiled: CompiledModel; loaded: string | null } | undefined;
  const weightIds = new WeakMap<WeightSet, number>();
  let nextWeights = 1;

  const modelFor = (tf: TF, req: InspectRequest, inference: GraphInference): { compiled: CompiledModel; trained: boolean; note: string } => {
    const run = o.run();
    if (req.weights === 'current' && run && sameModel(run.graph, req.graph)) {
      return {
        compiled: compiledFromModel(run.model, req.graph, inference), trained: true,
        note: `The weights of the last training run (${run.batches} batch${run.batches === 1 ? '' : 'es'} trained).`,
      };
    }
    // Weights loaded from a file, when there are: layers whose names and shapes fit take them.
    const ws = req.weights === 'current' ? o.loadedWeights?.() ?? null : null;
    if (ws && !weightIds.has(ws)) weightIds.set(ws, nextWeights++);
    const key = `${graphKey(req.graph)}|${req.seed}|${ws ? weightIds.get(ws) : 0}`;
    if (fresh?.key !== key) {
      if (fresh) fresh.compiled.model.dispose();
      fresh = undefined;
      const compiled = withSeededRandom(req.seed, () => compileGraph(tf, req.graph, inference));
      let loaded: string | null = null;
      if (ws) {
        const r = applyWeights(tf, compiled, req.graph, ws);
        if (r.applied.length) loaded = `Weights loaded from ${ws.source.file ?? 'a file'} (${r.applied.join(', ')}${r.missing.length ? `; fresh for ${r.missing.join(', ')}` : ''}).`;
      }
      fresh = { key, compiled, loaded };
    }
    if (fresh.loaded) return { compiled: fresh.compiled, trained: false, note: fresh.loaded };
    const why = req.weights === 'fresh' ? '' : run ? ' (the last run trained a different graph)' : ' (nothing was trained yet)';
    return { compiled: fresh.compiled, trained: false, note: `Fresh weights drawn with seed ${req.seed}${why}: an untrained model.` };
  };

  const inspect = async (req: InspectRequest): Promise<InspectResult> => {
    const t0 = performance.now();
    const { tf, backend } = await o.tf(req.backend);
    const inference = new Inferencer().run(req.graph);
    if (inference.hasErrors) throw new GraphError(inference.issues.filter((i) => i.severity === 'error'), new Map(req.graph.nodes.map((n) => [n.id, n.name])));
    const ds = req.dataset ? await o.dataset(req.dataset) : undefined;
    const { compiled, trained, note } = modelFor(tf, req, inference);
    const model = compiled.model;
    const loss = lossOf(req.graph);
    const dtypes = model.inputs.map((i) => i.dtype);
    const src = req.source;
    let feeds: tfjs.Tensor[];
    let batch: Batch | undefined;
    let example: Example | undefined;
    let typed: { values: number[]; T: number; F: number } | undefined;
    let unknownNote = '';
    if (src.kind === 'example') {
      if (!ds) throw new Error('Pick a dataset first (Data tab) to look inside one of its examples.');
      const list = ds[src.split];
      example = list[src.index];
      if (!example) throw new Error(`The ${src.split} set has ${list.length} examples; there is no example ${src.index + 1}.`);
      // Padded as in its batch (in order, like evaluation): to the batch's longest sequence.
      const size = Math.max(1, src.batchSize ?? 1);
      const start = Math.floor(src.index / size) * size;
      const padTo = Math.max(...list.slice(start, start + size).map((e) => e.x.length));
      const opts = batchOptions(ds, 1, null);
      [batch] = makeBatches([example], ds.task === 'vector-to-sequence' ? opts : { ...opts, padding: { length: padTo } });
      feeds = inputTensors(tf, batch, feedFields(ds, model.inputs.length), dtypes);
    } else {
      if (model.inputs.length !== 1) throw new Error('This model has several inputs: pick a dataset example instead of typing one.');
      if (src.kind === 'text') {
        if (!ds) throw new Error('Pick a dataset first: typed text is turned into token ids with its vocabulary.');
        const { ids, unknown } = encodeText(ds, src.text);
        if (unknown.length) unknownNote = ` Not in the vocabulary: ${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? ', …' : ''}.`;
        typed = { values: ids, T: ids.length, F: 1 };
        feeds = [tf.tensor(ids, [1, ids.length], dtypes[0] === 'int32' ? 'int32' : 'float32')];
      } else {
        const rows = src.rows;
        const F = rows[0]?.length ?? 0;
        const want = model.inputs[0].shape;
        if (!rows.length || rows.some((r) => r.length !== F || r.some((v) => !Number.isFinite(v)))) throw new Error('Type one row of numbers per step, each row the same length (e.g. "0.3 1" per line).');
        if (want.length === 3 && want[2] !== null && want[2] !== F) throw new Error(`The model expects ${want[2]} number${want[2] === 1 ? '' : 's'} per step; the rows have ${F}.`);
        if (want.length === 2 && F !== 1) throw new Error('The model expects one value (a token id) per step.');
        typed = { values: rows.flat(), T: rows.length, F };
        feeds = [want.length === 2 ? tf.tensor(rows.flat(), [1, rows.length], dtypes[0] === 'int32' ? 'int32' : 'float32') : tf.tensor(rows.flat(), [1, rows.length, F])];
      }
    }
    const outShape = model.outputs[0].shape;
    let targets: { y: tfjs.Tensor; weights?: tfjs.Tensor } | undefined;
    if (batch && example) {
      try {
        targets = targetTensors(tf, loss, batch, outShape);
      } catch {
        targets = undefined; // the targets do not fit the output: no gradients through time
      }
    }
    let inside: Inside;
    try {
      inside = await inspectModel(tf, compiled, req.graph, {
        feeds, inference, saliency: true, ...(targets ? { gradients: { loss, y: targets.y, ...(targets.weights ? { weights: targets.weights } : {}) } } : {}),
      });
    } finally {
      tf.dispose([...feeds, ...(targets ? [targets.y, ...(targets.weights ? [targets.weights] : [])] : [])]);
    }
    // Tokens of the time source of the first recurrent layer (the dataset input or the decoder input).
    const first = inside.layers[0]?.nodeId;
    const source = (first && timeSource(req.graph, inference, first)) || compiled.inputs[0];
    const k = Math.max(0, compiled.inputs.indexOf(source));
    let shown: { tokens: string[]; padding: boolean[] } = { tokens: [], padding: [] };
    if (batch && example && ds) {
      const field = feedFields(ds, model.inputs.length)[k];
      if (field === 'decoderInput' && batch.decoderInput) {
        const y = example.y as number[];
        shown = tokensOf(batch.decoderInput, batch.yShape[1], 1, ds.labels, y.length);
      } else if (batch.shape.length >= 2 && ds.task !== 'vector-to-sequence') {
        shown = tokensOf(batch.x, batch.shape[1], batch.shape[2] ?? 1, ds.inputs.dtype === 'int32' ? ds.inputs.vocabulary : undefined, batch.lengths[0]);
      }
    } else if (typed) {
      shown = tokensOf(typed.values, typed.T, typed.F, typed.F === 1 && ds?.inputs.dtype === 'int32' ? ds.inputs.vocabulary : undefined, typed.T);
    }
    const pred = inside.predictions[0];
    return {
      weights: trained ? 'trained' : 'fresh', weightsNote: note + unknownNote, backend,
      tokens: shown.tokens, padding: shown.padding,
      layers: inside.layers, outputs: inside.outputs,
      prediction: pred ? describePrediction(ds, loss, pred.values, pred.shape) : { text: '', values: [], shape: [] },
      ...(example && ds ? { target: describeTarget(ds, example.y, !isClassification(loss)) } : {}),
      ...(inside.loss !== undefined ? { loss: inside.loss } : {}),
      ...(inside.saliency ? { saliency: inside.saliency } : {}),
      facts: factsOf(req.graph, inference, inside),
      weightStats: weightStats(compiled, req.graph, inference),
      ms: performance.now() - t0,
    };
  };

  const handle = async (msg: InsideToWorker): Promise<void> => {
    switch (msg.type) {
      case 'inside-settings':
        every = msg.gradientsEvery;
        return;
      case 'weight-stats': {
        const run = o.run();
        if (!run || !sameModel(run.graph, msg.graph)) {
          o.post({ type: 'weight-stats', requestId: msg.requestId, stats: null, trained: false });
          return;
        }
        const inference = new Inferencer().run(msg.graph);
        o.post({ type: 'weight-stats', requestId: msg.requestId, stats: weightStats(compiledFromModel(run.model, msg.graph, inference), msg.graph, inference), trained: true });
        return;
      }
      case 'inspect':
        try {
          o.post({ type: 'inspected', requestId: msg.requestId, result: await inspect(msg.request) });
        } catch (e) {
          o.post({ type: 'inspect-error', requestId: msg.requestId, message: (e as Error).message ?? String(e) });
        }
    }
  };

  /**
   * The `afterBatch` hook of one run: samples ‖∂L/∂h_t‖ on a fixed probe batch. Undefined when the
   * graph has no recurrent layer. Sampling errors never stop training (the sample is skipped).
   */
  const sampler = (tf: TF, runId: number, graph: Graph, ds: Dataset): ((info: AfterBatch) => Promise<void>) | undefined => {
    const inference = new Inferencer().run(graph);
    if (inference.hasErrors || !graph.nodes.some((n) => recurrentSpecOf(graph, inference, n.id))) return undefined;
    const examples = (ds.val.length ? ds.val : ds.train).slice(0, PROBE_EXAMPLES);
    if (!examples.length) return undefined;
    const [batch] = makeBatches(examples, batchOptions(ds, examples.length, null));
    const loss = lossOf(graph);
    let compiled: CompiledModel | undefined;
    let last = -Infinity;
    let gap = 1;
    let failed = false;
    return async (info) => {
      if (every === 'off' || failed) return;
      const step = (info.epoch - 1) * info.batches + info.batch;
      const due = step === 1 || info.batch === info.batches || (typeof every === 'number' ? step % every === 0 : step - last >= gap);
      if (!due) return;
      const t0 = performance.now();
      try {
        compiled ??= compiledFromModel(info.model, graph, inference);
        const model = compiled.model;
        const feeds = inputTensors(tf, batch, feedFields(ds, model.inputs.length), model.inputs.map((i) => i.dtype));
        const t = targetTensors(tf, loss, batch, model.outputs[0].shape);
        let r: Inside;
        try {
          r = await inspectModel(tf, compiled, graph, { feeds, inference, trace: false, layerOutputs: false, gradients: { loss, y: t.y, ...(t.weights ? { weights: t.weights } : {}) } });
        } finally {
          tf.dispose([...feeds, t.y, ...(t.weights ? [t.weights] : [])]);
        }
        const ms = performance.now() - t0;
        const sample: GradientSample = {
          epoch: info.epoch, batch: info.batch, step, loss: (r.loss ?? NaN) / examples.length, ms,
          layers: r.layers.map((l: LayerInside) => ({ nodeId: l.nodeId, name: l.name, direction: l.direction, gradNorm: l.gradNorm ?? [] })),
        };
        last = step;
        gap = Math.max(1, Math.ceil(ms / (AUTO_SHARE * Math.max(info.msPerBatch, 1))));
        o.post({ type: 'gradients', runId, sample });
      } catch {
        failed = true; // e.g. targets that do not fit: the run trains on without samples
      }
    };
  };

  return { handle, sampler };
}
