/**
 * The workbench's requests in the training worker (issue 13): evaluation over a whole split,
 * generation from a language model, free-running decoding of an encoder–decoder (greedy and beam,
 * through the lesson's inference models), "Try it" on a typed input, and calling a graph that has
 * never been trained on a sample or random input (the lesson's `rnn_model(inputs)`).
 *
 * Every request names the graph, the dataset and the settings. The model it runs is, in order:
 * the last run's model when the graph (positions aside) and the dataset are the same ('trained');
 * else the graph built (seeded) with the weights the editor holds (a loaded file or a restored
 * run: 'loaded'); else fresh weights ('fresh'). Built models are kept while the key stays the same.
 * All heavy work stays here: the main thread gets plain, small results.
 */
import type * as tfjs from '@tensorflow/tfjs';
import { Inferencer } from '../../core/infer.ts';
import type { TF } from '../../core/layers/tfjs.ts';
import type { TrainingSettings } from '../../core/project.ts';
import { modelSignature } from '../../core/signature.ts';
import type { Graph } from '../../core/types.ts';
import type { WeightSet } from '../../core/weights.ts';
import { makeBatches } from '../../data/batching.ts';
import { gaussian, mulberry32 } from '../../data/random.ts';
import type { Dataset, Example } from '../../data/tasks.ts';
import { parseSeries, tokenizeText, type TypedToken } from '../../data/tokenize.ts';
import { compileGraph } from '../compile.ts';
import { applyWeights } from '../weights/apply.ts';
import { beamSearch, sampleSequence, type StepFn } from './decode.ts';
import { Trainer, withSeededRandom, type Compiled, type Head } from './engine.ts';
import { batchOptions, describeInput, describeTarget, inputTensors } from './feeds.ts';
import { inferenceModels, type InferenceModels } from './inference.ts';
import { classificationReport, confusionMatrix, type Baselines, type ClassificationReport, baselines } from './metrics.ts';
import type { DatasetSource } from './protocol.ts';

// ---- the messages (re-exported by protocol.ts in the workbench block) ----

export type WorkbenchRequest =
  | { readonly op: 'evaluate'; readonly split: 'test' | 'val' }
  | { readonly op: 'generate'; readonly prompt: string; readonly temperature: number; readonly maxLength: number; readonly seed: number; readonly count: number }
  | { readonly op: 'decode'; readonly text?: string; readonly example?: Example; readonly beam: number; readonly maxLength?: number }
  | { readonly op: 'decode-eval'; readonly count: number; readonly beam: number }
  | { readonly op: 'try'; readonly text?: string; readonly example?: Example }
  | { readonly op: 'call'; readonly input: 'random' | 'sample'; readonly seed: number; readonly steps: number };

export interface WorkbenchMessage {
  readonly type: 'workbench';
  readonly requestId: number;
  readonly graph: Graph;
  /** Null only for `call` on a graph without a dataset. */
  readonly dataset: DatasetSource | null;
  readonly settings: TrainingSettings;
  readonly request: WorkbenchRequest;
}

/** Which weights answered: the last run's, the editor's loaded ones, or fresh (seeded) ones. */
export type WeightsUsed = 'trained' | 'loaded' | 'fresh';

export interface EvalRow {
  /** Index in the split. */
  readonly i: number;
  readonly input: string;
  readonly truth: string;
  readonly predicted: string;
  /** The model's probability of its prediction (classification per sequence). */
  readonly probability?: number;
  readonly correct?: boolean;
  /** Per-step targets: the share of real steps predicted right. */
  readonly stepAccuracy?: number;
  /** Taggers: each input token with its true and predicted tag. */
  readonly tokens?: readonly { readonly token: string; readonly truth: string; readonly predicted: string }[];
  /** Regression: the values. */
  readonly values?: { readonly truth: readonly number[]; readonly predicted: readonly number[] };
}

export interface Evaluation {
  readonly op: 'evaluate';
  readonly weights: WeightsUsed;
  readonly split: 'test' | 'val';
  readonly kind: 'classes' | 'tags' | 'sequence' | 'regression';
  readonly loss: number;
  readonly accuracy?: number;
  readonly labels: readonly string[];
  /** counts[truth][predicted] over examples (or real steps for taggers); absent for > 60 classes. */
  readonly confusion?: number[][];
  readonly report?: ClassificationReport;
  readonly rows: readonly EvalRow[];
  readonly baseline: Baselines;
}

export interface Generated {
  readonly op: 'generate';
  readonly weights: WeightsUsed;
  readonly prompt: readonly TypedToken[];
  readonly note?: string;
  readonly temperature: number;
  readonly samples: readonly { readonly text: string; readonly tokens: readonly string[]; readonly ended: boolean; readonly seed: number }[];
}

export interface DecodedBeam {
  readonly text: string;
  readonly tokens: readonly string[];
  readonly logProb: number;
  readonly ended: boolean;
}

export interface Decoded {
  readonly op: 'decode';
  readonly weights: WeightsUsed;
  readonly input: string;
  readonly tokens: readonly TypedToken[];
  readonly note?: string;
  readonly truth?: string;
  /** Greedy first, then the beams of width `beam` (when > 1), best first. */
  readonly greedy: DecodedBeam;
  readonly beams: readonly DecodedBeam[];
  /** What the encoder handed the decoder (first values of each state). */
  readonly states: readonly { readonly name: string; readonly values: readonly number[]; readonly size: number }[];
  /** The teacher-forced prediction of the same example (when it has a target). */
  readonly teacherForced?: string;
}

export interface DecodeEvaluation {
  readonly op: 'decode-eval';
  readonly weights: WeightsUsed;
  readonly count: number;
  readonly beam: number;
  /** Share of sequences decoded exactly right, and of target steps right (position by position). */
  readonly greedy: { readonly exact: number; readonly tokens: number };
  readonly beamResult?: { readonly exact: number; readonly tokens: number };
  readonly teacherForced: { readonly exact: number; readonly tokens: number };
  readonly rows: readonly { readonly input: string; readonly truth: string; readonly greedy: string; readonly beam?: string; readonly teacherForced: string }[];
}

export interface Tried {
  readonly op: 'try';
  readonly weights: WeightsUsed;
  readonly tokens: readonly TypedToken[];
  readonly note?: string;
  readonly kind: 'classes' | 'tags' | 'next' | 'decoded' | 'values' | 'sequence';
  readonly classes?: readonly { readonly label: string; readonly p: number }[];
  readonly tags?: readonly { readonly token: string; readonly tag: string; readonly p: number }[];
  readonly next?: readonly { readonly token: string; readonly p: number }[];
  readonly decoded?: string;
  readonly values?: readonly number[];
  readonly sequence?: string;
}

export interface CalledTensor {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: string;
  /** Row-major values of the first example (at most 512). */
  readonly values: readonly number[];
  readonly size: number;
}

export interface Called {
  readonly op: 'call';
  readonly weights: WeightsUsed;
  readonly input: 'random' | 'sample';
  readonly inputs: readonly CalledTensor[];
  readonly outputs: readonly (CalledTensor & { readonly from: string })[];
}

export type WorkbenchResult = Evaluation | Generated | Decoded | DecodeEvaluation | Tried | Called;

export type WorkbenchReply =
  | { readonly type: 'workbench-result'; readonly requestId: number; readonly result: WorkbenchResult }
  | { readonly type: 'workbench-error'; readonly requestId: number; readonly message: string };

// ---- the host side ----

export interface WorkbenchHostOptions {
  readonly post: (msg: WorkbenchReply) => void;
  /** TF.js with a backend (chosen for the request's backend setting when none is yet). */
  readonly tf: (backend: TrainingSettings['backend']) => Promise<TF>;
  readonly dataset: (src: DatasetSource) => Promise<Dataset>;
  /** The last run: its trainer and what it trained on (graph signature + dataset key). */
  readonly run: () => { trainer: Trainer; key: string } | undefined;
  readonly loadedWeights: () => WeightSet | null;
}

/** What identifies a dataset for "is this the model trained on it" (examples are not compared). */
export function datasetKey(src: DatasetSource | null): string {
  if (!src) return 'none';
  if (src.kind === 'id') return JSON.stringify([src.id, src.options ?? {}]);
  const d = src.dataset;
  return JSON.stringify([d.id, d.name, d.task, d.inputs.vocabulary?.length ?? 0, d.labels ?? [], d.numClasses ?? 0]);
}

export const modelKey = (graph: Graph, dataKey: string) => JSON.stringify([modelSignature(graph), dataKey]);

const LIMIT = 512;

export function createWorkbenchHost(o: WorkbenchHostOptions) {
  let built: { key: string; trainer: Trainer; weights: WeightsUsed; loaded: WeightSet | null } | undefined;
  let modelsOf: { trainer: Trainer; models: InferenceModels } | undefined;

  const disposeBuilt = () => {
    try {
      built?.trainer.model?.dispose();
    } catch {
      // already disposed
    }
    built = undefined;
  };

  /** The model for a request with a dataset (a Trainer that is built, maybe never run). */
  const modelFor = (tf: TF, msg: WorkbenchMessage, ds: Dataset): { trainer: Trainer; weights: WeightsUsed } => {
    const key = modelKey(msg.graph, datasetKey(msg.dataset));
    const run = o.run();
    if (run && run.key === key && run.trainer.model) return { trainer: run.trainer, weights: 'trained' };
    const loaded = o.loadedWeights();
    if (built && built.key === key && built.loaded === loaded) return built;
    disposeBuilt();
    const trainer = new Trainer({ tf, graph: msg.graph, dataset: ds, settings: msg.settings, initialWeights: loaded });
    trainer.build();
    const applied = (trainer.initialWeights?.applied.length ?? 0) > 0;
    built = { key, trainer, weights: applied ? 'loaded' : 'fresh', loaded };
    return built;
  };

  const handle = async (msg: WorkbenchMessage): Promise<void> => {
    try {
      const tf = await o.tf(msg.settings.backend);
      const r = msg.request;
      let result: WorkbenchResult;
      if (r.op === 'call') result = callModel(tf, msg, r, msg.dataset ? await o.dataset(msg.dataset) : null, o);
      else {
        if (!msg.dataset) throw new Error('Choose a dataset first (Data tab): it gives the vocabulary and the labels.');
        const ds = await o.dataset(msg.dataset);
        const { trainer, weights } = modelFor(tf, msg, ds);
        const c = trainer.parts!;
        const models = () => {
          if (modelsOf?.trainer !== trainer) modelsOf = { trainer, models: inferenceModels(tf, c.graphModel, msg.graph, new Inferencer().run(msg.graph), c.heads[0].outputNodeId) };
          return modelsOf.models;
        };
        switch (r.op) {
          case 'evaluate': result = evaluate(tf, trainer, ds, r.split, weights); break;
          case 'generate': result = generate(tf, c, ds, r, weights); break;
          case 'decode': result = decode(tf, c, ds, r, weights, models); break;
          case 'decode-eval': result = decodeEvaluation(tf, c, ds, r, weights, models); break;
          case 'try': result = tryInput(tf, c, ds, r, weights, models); break;
        }
      }
      o.post({ type: 'workbench-result', requestId: msg.requestId, result });
    } catch (e) {
      o.post({ type: 'workbench-error', requestId: msg.requestId, message: (e as Error).message ?? String(e) });
    }
  };
  return { handle, dispose: disposeBuilt };
}

// ---- evaluation ----

function headOutput(_c: Compiled, ys: tfjs.Tensor | tfjs.Tensor[]): tfjs.Tensor {
  return Array.isArray(ys) ? ys[0] : ys;
}

/** Probabilities of the first head for a batch of examples (rows: [B, K] or [B, T, K]; binary: [B, 1]). */
function predictBatch(tf: TF, c: Compiled, ds: Dataset, examples: readonly Example[]) {
  const [batch] = makeBatches(examples as Example[], batchOptions(ds, examples.length, null));
  const pred = tf.tidy(() => headOutput(c, c.train.predict(inputTensors(tf, batch, c.fields, c.dtypes)) as tfjs.Tensor | tfjs.Tensor[]));
  const values = pred.arraySync() as number[][] | number[][][];
  pred.dispose();
  return values;
}

const CHUNK = 256;

function evaluate(tf: TF, trainer: Trainer, ds: Dataset, split: 'test' | 'val', weights: WeightsUsed): Evaluation {
  const c = trainer.parts!;
  const head = c.heads[0];
  const examples = ds[split];
  const { loss, accuracy } = trainer.evaluate(examples);
  const labels = ds.labels ?? [];
  const rows: EvalRow[] = [];
  const truths: number[] = [], preds: number[] = [];
  const regression = !head.classify;
  const perStep = head.outShape.length === 3;
  const tagger = perStep && ds.task === 'sequence-labelling';
  const vocab = ds.inputs.vocabulary;
  for (let start = 0; start < examples.length; start += CHUNK) {
    const part = examples.slice(start, start + CHUNK);
    const values = predictBatch(tf, c, ds, part);
    part.forEach((e, k) => {
      const i = start + k;
      const out = values[k];
      const input = describeInput(ds, e.x);
      if (regression) {
        const predicted = (perStep ? (out as number[][]).map((r) => r[0]) : (out as number[])).slice(0, typeof e.y === 'number' ? 1 : e.y.length);
        const truth = typeof e.y === 'number' ? [e.y] : e.y;
        rows.push({ i, input, truth: describeTarget(ds, e.y, true), predicted: describeTarget(ds, predicted, true), values: { truth, predicted } });
        return;
      }
      if (!perStep) {
        const p = out as number[];
        const [id, prob] = head.loss === 'binary_crossentropy' ? (p[0] > 0.5 ? [1, p[0]] : [0, 1 - p[0]]) : [p.indexOf(Math.max(...p)), Math.max(...p)];
        const y = e.y as number;
        truths.push(y);
        preds.push(id);
        rows.push({ i, input, truth: labels[y] ?? String(y), predicted: labels[id] ?? String(id), probability: prob, correct: id === y });
        return;
      }
      const ys = e.y as number[];
      const steps = (out as number[][]).slice(0, ys.length).map((p) => (head.loss === 'binary_crossentropy' ? (p[0] > 0.5 ? 1 : 0) : p.indexOf(Math.max(...p))));
      let right = 0;
      ys.forEach((y, t) => {
        truths.push(y);
        preds.push(steps[t]);
        if (steps[t] === y) right++;
      });
      const row: EvalRow = {
        i, input, truth: describeTarget(ds, ys, false), predicted: describeTarget(ds, steps, false),
        correct: right === ys.length, stepAccuracy: right / ys.length,
        ...(tagger ? { tokens: (e.x as number[]).slice(0, ys.length).map((x, t) => ({ token: vocab?.[x] ?? String(x), truth: labels[ys[t]] ?? String(ys[t]), predicted: labels[steps[t]] ?? String(steps[t]) })) } : {}),
      };
      rows.push(row);
    });
  }
  const k = head.loss === 'binary_crossentropy' ? 2 : head.outShape[head.outShape.length - 1] ?? 1;
  const classLabels = labels.length ? labels : Array.from({ length: k }, (_, i) => String(i));
  const confusion = !regression && k <= 60 ? confusionMatrix(truths, preds, k) : undefined;
  return {
    op: 'evaluate', weights, split, kind: regression ? 'regression' : !perStep ? 'classes' : tagger ? 'tags' : 'sequence',
    loss, ...(accuracy === undefined ? {} : { accuracy }), labels: classLabels,
    ...(confusion ? { confusion, report: classificationReport(confusion, classLabels) } : {}),
    rows, baseline: baselines(ds, head.loss),
  };
}

// ---- language models ----

function lmStep(tf: TF, c: Compiled): StepFn {
  return (prefixes) => prefixes.map((p) => {
    const probs = tf.tidy(() => {
      const x = tf.tensor2d([p as number[]], [1, p.length], 'int32');
      const y = headOutput(c, c.train.predict(x) as tfjs.Tensor | tfjs.Tensor[]);
      return y.slice([0, p.length - 1, 0], [1, 1, -1]).reshape([-1]);
    });
    const v = probs.dataSync();
    probs.dispose();
    return v;
  });
}

const endId = (ds: Dataset) => (ds.labels ?? ds.inputs.vocabulary ?? []).indexOf('<end>');
const joinTokens = (tokens: readonly string[]) => (tokens.every((t) => [...t].length <= 1) ? tokens.join('') : tokens.join(' '));

function generate(tf: TF, c: Compiled, ds: Dataset, r: Extract<WorkbenchRequest, { op: 'generate' }>, weights: WeightsUsed): Generated {
  if (ds.task !== 'language-model') throw new Error(`Sampling is for next-token models; this dataset is ${ds.task}.`);
  const t = tokenizeText(ds.inputs, r.prompt);
  if (!t.ids.length) throw new Error('Type a prompt to start from (this model has no start token).');
  const vocab = ds.labels ?? ds.inputs.vocabulary ?? [];
  const end = endId(ds);
  const banned = [0, ...vocab.flatMap((v, i) => (v === '<start>' || v === '[UNK]' ? [i] : []))];
  const step = lmStep(tf, c);
  const samples = Array.from({ length: Math.max(1, Math.min(20, r.count)) }, (_, k) => {
    const seed = r.seed + k;
    const s = sampleSequence(step, { prefix: t.ids, end, maxLength: r.maxLength, temperature: r.temperature, seed, banned });
    const typed = t.tokens.filter((x) => !x.added && x.id >= 0).map((x) => vocab[x.id]);
    const tokens = [...typed, ...s.tokens.map((id) => vocab[id] ?? `#${id}`)];
    return { text: joinTokens(tokens), tokens, ended: s.ended, seed };
  });
  return { op: 'generate', weights, prompt: t.tokens, ...(t.note ? { note: t.note } : {}), temperature: r.temperature, samples };
}

// ---- encoder–decoder ----

function targetMax(ds: Dataset): number {
  let m = 1;
  for (const e of ds.test.length ? ds.test : ds.train) if (Array.isArray(e.y)) m = Math.max(m, e.y.length);
  return m;
}

/** Source ids from typed text or an example (the encoder input). */
function sourceOf(ds: Dataset, text: string | undefined, example: Example | undefined): { ids: number[] | number[][]; tokens: readonly TypedToken[]; note?: string; input: string } {
  if (example) return { ids: example.x, tokens: [], input: describeInput(ds, example.x) };
  if (ds.inputs.dtype === 'float32') {
    const s = parseSeries(text ?? '', ds.inputs.featureSize ?? 1);
    if ('error' in s) throw new Error(s.error);
    const vec = ds.task === 'vector-to-sequence';
    return { ids: vec ? s.rows.flat() : s.rows, tokens: [], input: text ?? '' };
  }
  const t = tokenizeText(ds.inputs, text ?? '');
  if (!t.ids.length) throw new Error('Type something to decode.');
  return { ids: [...t.ids], tokens: t.tokens, ...(t.note ? { note: t.note } : {}), input: text ?? '' };
}

function beamText(ds: Dataset, b: { tokens: number[]; logProb: number; ended: boolean }): DecodedBeam {
  const vocab = ds.labels ?? [];
  const tokens = b.tokens.map((id) => vocab[id] ?? `#${id}`);
  return { text: joinTokens(tokens), tokens, logProb: b.logProb, ended: b.ended };
}

function teacherForced(tf: TF, c: Compiled, ds: Dataset, e: Example): number[] {
  const values = predictBatch(tf, c, ds, [e]) as number[][][];
  const ys = e.y as number[];
  return values[0].slice(0, ys.length).map((p) => p.indexOf(Math.max(...p)));
}

function decodeOne(tf: TF, c: Compiled, ds: Dataset, m: InferenceModels, source: number[] | number[][], beam: number, maxLength: number) {
  const end = endId(ds);
  const start = ds.startId ?? 1;
  const { step, states, dispose } = decoderWithStates(tf, m, ds, source);
  try {
    const o = { prefix: [start], end, maxLength, banned: [0, start] };
    const greedy = beamSearch(step, { ...o, k: 1 })[0];
    const beams = beam > 1 ? beamSearch(step, { ...o, k: beam }) : [];
    return { greedy, beams, states };
  } finally {
    dispose();
  }
}

/** The decoder step with the encoder's states computed once; `dispose` frees them. */
function decoderWithStates(tf: TF, m: InferenceModels, ds: Dataset, source: number[] | number[][]) {
  const x = ds.inputs.dtype === 'int32'
    ? tf.tensor2d([source as number[]], [1, source.length], 'int32')
    : ds.task === 'vector-to-sequence' ? tf.tensor2d([source as number[]], [1, source.length], 'float32') : tf.tensor3d([source as number[][]], undefined, 'float32');
  const out = m.encoder.predict(x) as tfjs.Tensor | tfjs.Tensor[];
  x.dispose();
  const kept = Array.isArray(out) ? out : [out];
  const states = kept.map((s, k) => {
    const v = s.dataSync();
    return { name: m.states[k].name, values: Array.from(v.slice(0, 16)), size: v.length };
  });
  const step: StepFn = (prefixes) => {
    const B = prefixes.length, L = prefixes[0].length;
    const probs = tf.tidy(() => {
      const dec = tf.tensor2d(prefixes.flat() as number[], [B, L], 'int32');
      const tiled = kept.map((s) => tf.tile(s, [B, ...Array(s.rank - 1).fill(1)]));
      const y = m.decoder.predict([dec, ...tiled]) as tfjs.Tensor;
      return y.slice([0, L - 1, 0], [B, 1, -1]).reshape([B, -1]);
    });
    const rows = probs.arraySync() as number[][];
    probs.dispose();
    return rows;
  };
  return { step, states, dispose: () => tf.dispose(kept) };
}

function decode(tf: TF, c: Compiled, ds: Dataset, r: Extract<WorkbenchRequest, { op: 'decode' }>, weights: WeightsUsed, models: () => InferenceModels): Decoded {
  const src = sourceOf(ds, r.text, r.example);
  const maxLength = r.maxLength ?? 2 * targetMax(ds) + 2;
  const { greedy, beams, states } = decodeOne(tf, c, ds, models(), src.ids, r.beam, maxLength);
  const truth = r.example && Array.isArray(r.example.y) ? describeTarget(ds, r.example.y, false) : undefined;
  const tf0 = r.example && Array.isArray(r.example.y) ? describeTarget(ds, teacherForced(tf, c, ds, r.example), false) : undefined;
  return {
    op: 'decode', weights, input: src.input, tokens: src.tokens, ...(src.note ? { note: src.note } : {}),
    ...(truth !== undefined ? { truth } : {}), greedy: beamText(ds, greedy), beams: beams.map((b) => beamText(ds, b)), states,
    ...(tf0 !== undefined ? { teacherForced: tf0 } : {}),
  };
}

function decodeEvaluation(tf: TF, c: Compiled, ds: Dataset, r: Extract<WorkbenchRequest, { op: 'decode-eval' }>, weights: WeightsUsed, models: () => InferenceModels): DecodeEvaluation {
  const examples = ds.test.slice(0, Math.max(1, Math.min(500, r.count)));
  const maxLength = 2 * targetMax(ds) + 2;
  const score = () => ({ exact: 0, tokens: 0, steps: 0 });
  const g = score(), b = score(), t = score();
  const add = (s: ReturnType<typeof score>, got: number[], want: number[]) => {
    const body = want[want.length - 1] === endId(ds) ? want.slice(0, -1) : want;
    if (got.length === body.length && got.every((x, k) => x === body[k])) s.exact++;
    body.forEach((y, k) => { if (got[k] === y) s.tokens++; });
    s.steps += body.length;
  };
  const rows: DecodeEvaluation['rows'][number][] = [];
  const m = models();
  for (const e of examples) {
    const want = e.y as number[];
    const one = decodeOne(tf, c, ds, m, e.x, r.beam, maxLength);
    add(g, one.greedy.tokens, want);
    if (r.beam > 1) add(b, one.beams[0].tokens, want);
    const forced = teacherForced(tf, c, ds, e);
    const end = endId(ds);
    const forcedBody = forced.indexOf(end) >= 0 ? forced.slice(0, forced.indexOf(end)) : forced;
    add(t, forcedBody, want);
    if (rows.length < 50) {
      rows.push({
        input: describeInput(ds, e.x), truth: describeTarget(ds, want, false), greedy: beamText(ds, one.greedy).text,
        ...(r.beam > 1 ? { beam: beamText(ds, one.beams[0]).text } : {}), teacherForced: describeTarget(ds, forced, false),
      });
    }
  }
  const n = examples.length;
  const out = (s: ReturnType<typeof score>) => ({ exact: s.exact / n, tokens: s.steps ? s.tokens / s.steps : 0 });
  return { op: 'decode-eval', weights, count: n, beam: r.beam, greedy: out(g), ...(r.beam > 1 ? { beamResult: out(b) } : {}), teacherForced: out(t), rows };
}

// ---- try it ----

function tryInput(tf: TF, c: Compiled, ds: Dataset, r: Extract<WorkbenchRequest, { op: 'try' }>, weights: WeightsUsed, models: () => InferenceModels): Tried {
  const head: Head = c.heads[0];
  const labels = ds.labels ?? [];
  const vocab = ds.inputs.vocabulary ?? [];
  const src = sourceOf(ds, r.text, r.example);
  const base = { op: 'try' as const, weights, tokens: src.tokens, ...(src.note ? { note: src.note } : {}) };
  if (ds.task === 'seq2seq' || (ds.task === 'vector-to-sequence' && c.fields.length === 2)) {
    const one = decodeOne(tf, c, ds, models(), src.ids, 1, 2 * targetMax(ds) + 2);
    return { ...base, kind: 'decoded', decoded: beamText(ds, one.greedy).text };
  }
  const example: Example = { x: src.ids, y: typeof ds.train[0]?.y === 'number' ? 0 : [0] };
  const values = predictBatch(tf, c, ds, [{ ...example, y: Array.isArray(example.y) ? new Array(Array.isArray(src.ids) ? src.ids.length : 1).fill(0) : 0 }]);
  const out = values[0];
  if (!head.classify) {
    const v = head.outShape.length === 3 ? (out as number[][]).map((r0) => r0[0]) : (out as number[]);
    return { ...base, kind: 'values', values: v };
  }
  if (head.outShape.length === 2) {
    const p = out as number[];
    const probs = head.loss === 'binary_crossentropy' ? [1 - p[0], p[0]] : p;
    const classes = probs.map((q, k) => ({ label: labels[k] ?? String(k), p: q })).sort((a, b) => b.p - a.p);
    return { ...base, kind: 'classes', classes };
  }
  const steps = out as number[][];
  if (ds.task === 'language-model') {
    const last = steps[steps.length - 1];
    const next = last.map((q, k) => ({ token: (labels[k] ?? vocab[k] ?? String(k)), p: q })).sort((a, b) => b.p - a.p).slice(0, 5);
    return { ...base, kind: 'next', next };
  }
  if (ds.task === 'vector-to-sequence') {
    const ids = steps.map((q) => q.indexOf(Math.max(...q)));
    const end = endId(ds);
    const body = end >= 0 && ids.includes(end) ? ids.slice(0, ids.indexOf(end)) : ids;
    return { ...base, kind: 'sequence', sequence: joinTokens(body.filter((i) => i > 0).map((i) => labels[i] ?? String(i))) };
  }
  const typed = src.tokens.filter((t) => t.id >= 0);
  const tags = steps.slice(0, typed.length || steps.length).map((q, k) => {
    const id = q.indexOf(Math.max(...q));
    return { token: typed[k]?.token ?? vocab[(src.ids as number[])[k]] ?? String(k), tag: labels[id] ?? String(id), p: q[id] };
  });
  return { ...base, kind: 'tags', tags };
}

// ---- calling a graph without training ----

function tensorView(t: tfjs.Tensor, name: string): CalledTensor {
  const v = t.dataSync();
  const per = t.shape.length > 1 ? t.size / t.shape[0] : t.size;
  return { name, shape: t.shape, dtype: t.dtype, values: Array.from(v.slice(0, Math.min(per, LIMIT))), size: per };
}

function callModel(tf: TF, msg: WorkbenchMessage, r: Extract<WorkbenchRequest, { op: 'call' }>, ds: Dataset | null, o: WorkbenchHostOptions): Called {
  const graph = msg.graph;
  const run = o.run();
  const trainedHere = run && JSON.parse(run.key)[0] === modelSignature(graph) ? run.trainer : undefined;
  let model: tfjs.LayersModel;
  let weights: WeightsUsed;
  let dispose = false;
  let compiledInputs: readonly string[];
  let outputs: { outputNodeId: string; nodeId: string; port: string }[];
  if (trainedHere?.parts) {
    model = trainedHere.parts.model;
    compiledInputs = trainedHere.parts.graphModel.inputs;
    outputs = [...trainedHere.parts.graphModel.outputs];
    weights = 'trained';
  } else {
    const c = withSeededRandom(msg.settings.seed, () => compileGraph(tf, graph));
    const loaded = o.loadedWeights();
    weights = 'fresh';
    if (loaded) {
      const a = applyWeights(tf, c, graph, loaded);
      if (a.applied.length) weights = 'loaded';
    }
    model = c.model;
    compiledInputs = c.inputs;
    outputs = [...c.outputs];
    dispose = true;
  }
  const names = new Map(graph.nodes.map((n) => [n.id, n]));
  try {
    const rand = mulberry32(r.seed >>> 0);
    let feeds: tfjs.Tensor[];
    if (r.input === 'sample') {
      if (!ds || !ds.test.length && !ds.train.length) throw new Error('There is no sample without a dataset: call it on random input, or pick a dataset.');
      const e = (ds.test.length ? ds.test : ds.train)[0];
      const [batch] = makeBatches([e], batchOptions(ds, 1, null));
      feeds = inputTensors(tf, batch, (['x', 'decoderInput'] as const).slice(0, model.inputs.length), model.inputs.map((i) => i.dtype));
    } else {
      feeds = model.inputs.map((inp, k) => {
        const shape = inp.shape.map((d, a) => (a === 0 ? 1 : d ?? r.steps)) as number[];
        const size = shape.reduce((x, y) => x * y, 1);
        if (inp.dtype === 'int32') {
          const node = names.get(compiledInputs[k]);
          const limit = vocabLimit(graph, node?.id ?? '');
          return tf.tensor(Int32Array.from({ length: size }, () => 1 + Math.floor(rand() * (limit - 1))), shape, 'int32');
        }
        return tf.tensor(Float32Array.from({ length: size }, () => gaussian(rand)), shape, 'float32');
      });
    }
    const ys = model.predict(feeds.length === 1 ? feeds[0] : feeds) as tfjs.Tensor | tfjs.Tensor[];
    const list = Array.isArray(ys) ? ys : [ys];
    const result: Called = {
      op: 'call', weights, input: r.input,
      inputs: feeds.map((t, k) => tensorView(t, names.get(compiledInputs[k])?.name ?? `input_${k}`)),
      outputs: list.map((t, k) => {
        const out = outputs[k];
        const src = names.get(out.nodeId);
        return { ...tensorView(t, names.get(out.outputNodeId)?.name ?? `output_${k}`), from: `${src?.name ?? out.nodeId}${out.port === 'output' ? '' : `.${out.port}`}` };
      }),
    };
    tf.dispose([...feeds, ...list]);
    return result;
  } finally {
    if (dispose) model.dispose();
  }
}

/** Token ids for random input stay below the input_dim of the layers reading this Input (default 10). */
function vocabLimit(graph: Graph, inputId: string): number {
  const dims = graph.edges.filter((e) => e.source === inputId).map((e) => graph.nodes.find((n) => n.id === e.target)?.params.input_dim).filter((d): d is number => typeof d === 'number');
  return Math.max(2, dims.length ? Math.min(...dims) : 10);
}
