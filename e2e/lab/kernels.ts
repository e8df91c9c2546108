/**
 * Lab page: the fused recurrent op's WebGL kernels checked in the browser (e2e/webgl-kernels.spec.ts).
 *
 *   window.lab.compareOp(spec)   the op on webgl against the cpu kernels, same inputs: forward
 *                                outputs, final states, saved gates, ∂ of every input (x, W, U,
 *                                bias, h0, c0) and the ∂h tap
 *   window.lab.dispatches(spec)  shader programs the webgl backend runs for one forward + backward
 *                                of the op (counted at its draw calls)
 *   window.lab.compareModel(job) a whole model (an Unroll graph), fused on webgl against TF.js's own
 *                                recurrent layers (stock, cpu), same weights: outputs and every weight's gradient
 *   window.lab.compilesPerLength(spec, lengths)  shader programs compiled at each sequence length
 *   window.lab.stepDispatches(job)  shader programs of one training step (forward, backward, Adam
 *                                update) of a model, fused or stock, at given sequence lengths,
 *                                on the backend as the app's selectBackend sets it
 *   window.lab.compareAdam(spec) Adam's update (UnrollAdam's webgl programs) against the cpu kernel
 *                                over several steps, and the programs one update runs
 *   window.lab.trainingLosses(job)  the app's Trainer for one epoch of a benchmark model on one
 *                                backend and path: every batch's loss, and the trained weights
 *   window.lab.comparePair(spec) two layers (a Bidirectional's directions) through fusedRnnPair: one
 *                                kernel call on webgl against two on the cpu kernels
 *   window.lab.profileStep(job)  where a training step's time goes on webgl, program by program
 *                                (scripts/profile-webgl.ts prints it)
 *
 * Every call sets its backend and reports `tf.getBackend()`, so a silent fallback cannot pass.
 */
import * as tf from '@tensorflow/tfjs';
import type { MathBackendWebGL } from '@tensorflow/tfjs-backend-webgl';
import type { Graph } from '../../src/core/types.ts';
import { mulberry32 } from '../../src/data/random.ts';
import { compileGraph } from '../../src/tf/compile.ts';
import type { FusedActivation } from '../../src/tf/kernels/contract.ts';
import { fusedRnn, fusedRnnPair, hasFusedKernels, pairs, type FusedRnnSpec, type FusedRnnTensors } from '../../src/tf/kernels/op.ts';
import { registerFusedRnnKernels } from '../../src/tf/kernels/register.ts';
import { registerWebGLRnnKernels } from '../../src/tf/kernels/webgl/kernels.ts';
import { MARK } from '../../src/tf/kernels/webgl/programs.ts';
import { registerWebGLSegmentSumKernel } from '../../src/tf/kernels/webgl/segmentSum.ts';
import { ADAM_MARK } from '../../src/tf/kernels/webgl/adam.ts';
import { selectBackend } from '../../src/tf/train/backend.ts';
import { Trainer } from '../../src/tf/train/engine.ts';
import { unrollAdam, makeOptimizer } from '../../src/tf/train/optimizer.ts';
import { benchModel, type BenchModelName } from '../../bench/lib/models.ts';

export interface OpSpec {
  readonly cell: 'simple' | 'lstm' | 'gru';
  readonly resetAfter?: boolean;
  readonly B: number;
  readonly T: number;
  readonly I: number;
  readonly u: number;
  readonly activation?: FusedActivation;
  readonly recurrentActivation?: FusedActivation;
  readonly returnSequences?: boolean;
  readonly goBackwards?: boolean;
  /** none; right padding (random lengths, one row fully masked); or a random pattern. */
  readonly mask?: 'none' | 'right' | 'random';
  readonly initialState?: boolean;
  readonly bias?: boolean;
  /** Input dropout: one mask shared by the gates, or one per gate (Keras with recurrent_dropout > 0). */
  readonly dropout?: 'shared' | 'gate';
  readonly recurrentDropout?: boolean;
  readonly tap?: boolean;
  readonly seed?: number;
}

type Arrays = Record<string, number[]>;

export interface OpResult {
  readonly backend: string;
  readonly values: Arrays;
}

export interface Comparison {
  readonly backends: [string, string];
  /** Per compared value: max |webgl − cpu| and that divided by max |cpu|. */
  readonly diffs: Record<string, { abs: number; rel: number; scale: number }>;
}

function randoms(rand: () => number, n: number, scale = 1): number[] {
  return Array.from({ length: n }, () => (rand() * 2 - 1) * scale);
}

/** The op's inputs and the loss weights, as plain arrays (the same on every backend). */
function inputsOf(s: OpSpec) {
  const rand = mulberry32(s.seed ?? 1);
  const G = s.cell === 'lstm' ? 4 : s.cell === 'gru' ? 3 : 1;
  const Gu = G * s.u;
  const resetAfter = s.cell === 'gru' && (s.resetAfter ?? true);
  const mask: number[] | null = s.mask && s.mask !== 'none' ? [] : null;
  if (mask) {
    for (let b = 0; b < s.B; b++) {
      const len = b === 1 ? 0 : 1 + Math.floor(rand() * s.T);
      for (let t = 0; t < s.T; t++) mask.push(s.mask === 'right' ? (t < len ? 1 : 0) : b === 1 ? 0 : rand() < 0.7 ? 1 : 0);
    }
  }
  const Tout = (s.returnSequences ?? false) ? s.T : 1;
  return {
    x: randoms(rand, s.B * s.T * s.I),
    kernel: randoms(rand, s.I * Gu, 0.5),
    recurrentKernel: randoms(rand, s.u * Gu, 0.5),
    bias: (s.bias ?? true) ? randoms(rand, (resetAfter ? 2 : 1) * Gu, 0.3) : null,
    mask,
    h0: s.initialState ? randoms(rand, s.B * s.u) : null,
    c0: s.initialState && s.cell === 'lstm' ? randoms(rand, s.B * s.u) : null,
    dropout: s.dropout ? Array.from({ length: s.B * s.I * (s.dropout === 'gate' ? G : 1) }, () => (rand() < 0.3 ? 0 : 1 / 0.7)) : null,
    rd: s.recurrentDropout ? Array.from({ length: s.B * Gu }, () => (rand() < 0.3 ? 0 : 1 / 0.7)) : null,
    wy: randoms(rand, s.B * Tout * s.u),
    ws: [randoms(rand, s.B * s.u), randoms(rand, s.B * s.u)],
    G, Gu, resetAfter, Tout,
  };
}

async function useBackend(name: 'webgl' | 'cpu'): Promise<string> {
  await tf.setBackend(name);
  await tf.ready();
  registerFusedRnnKernels(tf as never);
  registerWebGLRnnKernels(tf as never);
  const actual = tf.getBackend();
  if (actual !== name) throw new Error(`asked for ${name}, TF.js runs ${actual}`);
  return actual;
}

function specOf(s: OpSpec, resetAfter: boolean): FusedRnnSpec {
  return {
    cell: s.cell, resetAfter, units: s.u,
    activation: s.activation ?? 'tanh', recurrentActivation: s.recurrentActivation ?? 'sigmoid',
    returnSequences: s.returnSequences ?? false, goBackwards: s.goBackwards ?? false,
  };
}

/** Forward, gradients of a weighted sum of every output, saved tensors and the tap, on one backend. */
async function runOp(s: OpSpec, backend: 'webgl' | 'cpu'): Promise<OpResult> {
  const name = await useBackend(backend);
  const d = inputsOf(s);
  const spec = specOf(s, d.resetAfter);
  const values: Arrays = {};
  const read = async (k: string, t: tf.Tensor) => { values[k] = Array.from(await t.data()); };
  const x = tf.tensor3d(d.x, [s.B, s.T, s.I]);
  const kernel = tf.tensor2d(d.kernel, [s.I, d.Gu]);
  const rec = tf.tensor2d(d.recurrentKernel, [s.u, d.Gu]);
  const bias = d.bias ? (d.resetAfter ? tf.tensor2d(d.bias, [2, d.Gu]) : tf.tensor1d(d.bias)) : null;
  const mask = d.mask ? tf.tensor2d(d.mask, [s.B, s.T]) : null;
  const h0 = d.h0 ? tf.tensor2d(d.h0, [s.B, s.u]) : null;
  const c0 = d.c0 ? tf.tensor2d(d.c0, [s.B, s.u]) : null;
  const dropoutMask = d.dropout ? tf.tensor(d.dropout, s.dropout === 'gate' ? [s.B, d.G, s.I] : [s.B, s.I]) : null;
  const rd = d.rd ? tf.tensor2d(d.rd, [s.B, d.Gu]) : null;
  const wy = tf.tensor(d.wy, d.Tout > 1 ? [s.B, d.Tout, s.u] : [s.B, s.u]);
  const ws = d.ws.map((w) => tf.tensor2d(w, [s.B, s.u]));
  const initial = [h0, c0].filter((t): t is tf.Tensor2D => t != null);
  const wrt: [string, tf.Tensor][] = [['x', x], ['kernel', kernel], ['recurrentKernel', rec], ...(bias ? [['bias', bias] as [string, tf.Tensor]] : []),
    ...initial.map((t, k) => [k === 0 ? 'h0' : 'c0', t] as [string, tf.Tensor])];
  let tap: tf.Tensor | null = null;
  const traced: tf.Tensor[] = [];
  // Twice: as training runs it (on webgl the forward hands its dense rows to the backward), and
  // with a trace armed (the packed saved outputs, read back here, feed the backward).
  const f = (trace: boolean) => (...args: tf.Tensor[]) => {
    const [xa, ka, ra] = args;
    let k = 3;
    const ba = bias ? args[k++] : null;
    const init = initial.length ? args.slice(k) : null;
    const r = fusedRnn(tf as never, spec, {
      x: xa, kernel: ka, recurrentKernel: ra, bias: ba, mask, initialState: init, dropoutMask, recurrentDropoutMask: rd,
    }, {
      ...(s.tap ? { onTap: (dh: tf.Tensor) => { if (tap) tap.dispose(); tap = dh; } } : {}),
      ...(trace ? {
        onTrace: (saved) => {
          traced.push(saved.gates, saved.hprev, ...(saved.cs ? [saved.cs] : []), ...(saved.aux ? [saved.aux] : []), saved.out);
          if (saved.mask) traced.push(saved.mask);
        },
      } : {}),
    });
    let loss = tf.sum(tf.mul(r.output, wy));
    r.states.forEach((st, i) => { loss = tf.add(loss, tf.sum(tf.mul(st, ws[i]))); });
    return loss as tf.Scalar;
  };
  const forward = tf.tidy(() => {
    const r = fusedRnn(tf as never, spec, { x, kernel, recurrentKernel: rec, bias, mask, initialState: initial.length ? initial : null, dropoutMask, recurrentDropoutMask: rd });
    return [r.output, ...r.states];
  });
  await read('output', forward[0]);
  for (let k = 1; k < forward.length; k++) await read(`state${k - 1}`, forward[k]);
  const { value, grads } = tf.tidy(() => tf.valueAndGrads(f(false))(wrt.map(([, t]) => t)));
  await read('loss', value);
  for (let k = 0; k < wrt.length; k++) await read(`d_${wrt[k][0]}`, grads[k]);
  if (tap) await read('tap', tap);
  const withTrace = tf.tidy(() => tf.valueAndGrads(f(true))(wrt.map(([, t]) => t)));
  for (let k = 0; k < wrt.length; k++) await read(`traced_d_${wrt[k][0]}`, withTrace.grads[k]);
  tf.dispose([withTrace.value, ...withTrace.grads]);
  const names = ['gates', 'hprev', ...(s.cell === 'lstm' ? ['cs'] : []), ...(s.cell === 'gru' ? ['aux'] : []), 'out'];
  for (let k = 0; k < names.length; k++) await read(`saved_${names[k]}`, traced[k]);
  tf.dispose([...forward, value, ...grads, ...traced, ...(tap ? [tap] : []), x, kernel, rec, wy, ...ws, ...notNull([bias, mask, h0, c0, dropoutMask, rd])]);
  return { backend: name, values };
}

const notNull = (xs: (tf.Tensor | null)[]): tf.Tensor[] => xs.filter((t): t is tf.Tensor => t != null);

function diff(a: number[], b: number[]): { abs: number; rel: number; scale: number } {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} vs ${b.length}`);
  let abs = 0, scale = 0;
  for (let i = 0; i < a.length; i++) {
    if (!Number.isFinite(a[i]) || !Number.isFinite(b[i])) return { abs: Infinity, rel: Infinity, scale };
    abs = Math.max(abs, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return { abs, rel: scale > 0 ? abs / scale : abs, scale };
}

/** Every value the cpu run gave, webgl's against it. */
function compareRuns(gl: OpResult, cpu: OpResult): Comparison {
  const diffs: Comparison['diffs'] = {};
  for (const k of Object.keys(cpu.values)) {
    if (!gl.values[k]) throw new Error(`webgl did not give ${k}`);
    diffs[k] = diff(gl.values[k], cpu.values[k]);
  }
  return { backends: [gl.backend, cpu.backend], diffs };
}

async function compareOp(s: OpSpec): Promise<Comparison> {
  const gl = await runOp(s, 'webgl');
  return compareRuns(gl, await runOp(s, 'cpu'));
}

/**
 * Shader programs run by the webgl backend during `f`: every draw call (`executeProgram`), and
 * those of the fused op's own programs (marked source) among them.
 */
async function countPrograms(f: () => Promise<void>, mark = MARK): Promise<{ all: number; ours: number }> {
  const backend = tf.backend() as MathBackendWebGL;
  const gpgpu = backend.gpgpu;
  const execute = gpgpu.executeProgram.bind(gpgpu);
  const run = backend.runWebGLProgram.bind(backend);
  let all = 0, ours = 0, current = false;
  gpgpu.executeProgram = () => {
    all++;
    if (current) ours++;
    execute();
  };
  // The op also copies rows between textures with framebuffer blits (no program, but a GPU
  // command all the same): counted with its programs.
  const gl = gpgpu.gl as WebGL2RenderingContext;
  const blit = gl.blitFramebuffer;
  gl.blitFramebuffer = (...args: Parameters<WebGL2RenderingContext['blitFramebuffer']>) => {
    all++;
    ours++;
    blit.apply(gl, args);
  };
  backend.runWebGLProgram = (program, ...rest) => {
    const outer = current;
    current = program.userCode.includes(mark);
    try {
      return run(program, ...rest);
    } finally {
      current = outer;
    }
  };
  try {
    await f();
  } finally {
    gpgpu.executeProgram = execute;
    backend.runWebGLProgram = run;
    gl.blitFramebuffer = blit;
  }
  return { all, ours };
}

/** Programs for the op's forward and backward at T steps (after a warm-up run that compiles them). */
async function dispatches(s: OpSpec): Promise<{ backend: string; programs: number }> {
  const backend = await useBackend('webgl');
  const d = inputsOf(s);
  const spec = specOf(s, d.resetAfter);
  const x = tf.tensor3d(d.x, [s.B, s.T, s.I]);
  const kernel = tf.tensor2d(d.kernel, [s.I, d.Gu]);
  const rec = tf.tensor2d(d.recurrentKernel, [s.u, d.Gu]);
  const bias = d.bias ? (d.resetAfter ? tf.tensor2d(d.bias, [2, d.Gu]) : tf.tensor1d(d.bias)) : null;
  const mask = d.mask ? tf.tensor2d(d.mask, [s.B, s.T]) : null;
  const step = async () => {
    const g = tf.tidy(() => tf.grads((xa: tf.Tensor, ka: tf.Tensor, ra: tf.Tensor) => {
      const r = fusedRnn(tf as never, spec, { x: xa, kernel: ka, recurrentKernel: ra, bias, mask, initialState: null, dropoutMask: null, recurrentDropoutMask: null });
      return tf.sum(r.output) as tf.Scalar;
    })([x, kernel, rec]));
    await Promise.all(g.map((t) => t.data()));
    tf.dispose(g);
  };
  await step();
  const programs = (await countPrograms(step)).all;
  tf.dispose([x, kernel, rec, ...notNull([bias, mask])]);
  return { backend, programs };
}

/**
 * Shader programs compiled while the op runs forward and backward at each length in turn (same
 * batch): the op's own (marked) and TF.js's (the projection, reshapes, …). After the first length,
 * a new length should compile none of the op's own.
 */
async function compilesPerLength(s: OpSpec, lengths: readonly number[]): Promise<{ backend: string; ours: number[]; theirs: number[] }> {
  const backend = await useBackend('webgl');
  const gpgpu = (tf.backend() as MathBackendWebGL).gpgpu;
  const original = gpgpu.createProgram.bind(gpgpu);
  let ours = 0, theirs = 0;
  gpgpu.createProgram = (shader) => {
    if ((gpgpu.gl.getShaderSource(shader) ?? '').includes(MARK)) ours++;
    else theirs++;
    return original(shader);
  };
  const r = { backend, ours: [] as number[], theirs: [] as number[] };
  try {
    for (const T of lengths) {
      ours = theirs = 0;
      await runOp({ ...s, T }, 'webgl');
      r.ours.push(ours);
      r.theirs.push(theirs);
    }
  } finally {
    gpgpu.createProgram = original;
  }
  return r;
}

export interface ModelJob {
  readonly graph: Graph;
  /** Model inputs as nested arrays, with their dtypes. */
  readonly inputs: readonly { readonly values: number[]; readonly shape: number[]; readonly dtype: 'int32' | 'float32' }[];
}

/** Σ_k Σ y_k ⊙ w_k with fixed pseudo-random weights w_k: a loss that reaches every output element. */
function weightedSum(ys: tf.Tensor[]): tf.Scalar {
  return ys.reduce((acc: tf.Tensor, y, k) => {
    const w = tf.tensor(Float32Array.from({ length: y.size }, (_, i) => Math.sin(1.7 * i + 0.9 * k + 0.3)), y.shape);
    return tf.add(acc, tf.sum(tf.mul(y, w)));
  }, tf.scalar(0)) as tf.Scalar;
}

/** The model's outputs and every trainable weight's gradient for `weightedSum` of its outputs. */
async function outputsAndGrads(m: tf.LayersModel, inputs: ModelJob['inputs']) {
  const xs = inputs.map((x) => tf.tensor(x.values, x.shape, x.dtype));
  const vars = m.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val);
  const { grads, outs } = tf.tidy(() => {
    const { grads: g } = tf.variableGrads(() => {
      const ys = m.predictOnBatch(xs);
      return weightedSum(Array.isArray(ys) ? ys : [ys]);
    }, vars);
    const ys = m.predictOnBatch(xs);
    return { grads: vars.map((v) => g[v.name]), outs: Array.isArray(ys) ? ys : [ys] };
  });
  const r = {
    outputs: await Promise.all(outs.map(async (y) => Array.from(await y.data()))),
    grads: await Promise.all(grads.map(async (g, k) => ({ name: m.trainableWeights[k].originalName, g: Array.from(await g.data()) }))),
  };
  tf.dispose([...grads, ...outs, ...xs]);
  return r;
}

/**
 * A whole model, fused on webgl against TF.js's own recurrent layers (stock, on cpu: the
 * reference, and no shaders to compile for it) with the same weights: outputs and every
 * trainable weight's gradient.
 */
async function compareModel(job: ModelJob): Promise<{ backend: string; outputs: { abs: number; scale: number }[]; grads: { name: string; abs: number; rel: number }[] }> {
  await useBackend('cpu');
  const stock = compileGraph(tf as never, job.graph, undefined, { recurrent: 'stock' });
  const weights = stock.model.getWeights().map((w) => ({ values: w.dataSync().slice(), shape: w.shape }));
  const a = await outputsAndGrads(stock.model, job.inputs);
  stock.model.dispose();
  const backend = await useBackend('webgl');
  const fused = compileGraph(tf as never, job.graph, undefined, { recurrent: 'fused' });
  try {
    const ws = weights.map((w) => tf.tensor(w.values, w.shape));
    fused.model.setWeights(ws);
    tf.dispose(ws);
    const b = await outputsAndGrads(fused.model, job.inputs);
    return {
      backend,
      outputs: a.outputs.map((y, k) => { const d = diff(b.outputs[k], y); return { abs: d.abs, scale: d.scale }; }),
      grads: a.grads.map((g, k) => {
        if (b.grads[k].name !== g.name) throw new Error(`weights differ: ${b.grads[k].name} vs ${g.name}`);
        const d = diff(b.grads[k].g, g.g);
        return { name: g.name, abs: d.abs, rel: d.abs / Math.max(d.scale, 1e-3) };
      }),
    };
  } finally {
    fused.model.dispose();
  }
}

export interface StepJob {
  readonly graph: Graph;
  readonly recurrent: 'fused' | 'stock';
  /** Sequence lengths to count at (token ids 1…vocab−1, batch B). */
  readonly lengths: readonly number[];
  readonly B: number;
  readonly vocab: number;
  readonly classes: number;
}

/**
 * Shader programs of one training step (forward, loss, backward, Adam update) of a model whose
 * input is token ids, at each length (after a warm-up step at that length, which compiles): all
 * of them, and the fused op's own. The backend is set as the app's worker sets it
 * (`selectBackend`, which registers the webgl kernels), not by this page.
 */
async function stepDispatches(job: StepJob): Promise<{ backend: string; programs: number[]; ours: number[]; fusedKernels: boolean }> {
  const choice = await selectBackend(tf as never, 'webgl');
  const backend = tf.getBackend();
  if (choice.backend !== 'webgl' || backend !== 'webgl') throw new Error(`asked for webgl, TF.js runs ${backend} (${choice.reason})`);
  const c = compileGraph(tf as never, job.graph, undefined, { recurrent: job.recurrent });
  // The app's optimizer: Adam, its update one kernel a variable on the fused path, TF.js ops on stock.
  const opt = makeOptimizer(tf as never, { optimizer: 'adam', learning_rate: 1e-3 }, { fused: job.recurrent === 'fused' });
  const rand = mulberry32(3);
  const programs: number[] = [], ours: number[] = [];
  try {
    for (const T of job.lengths) {
      const x = tf.tensor2d(Array.from({ length: job.B * T }, () => 1 + Math.floor(rand() * (job.vocab - 1))), [job.B, T], 'int32');
      const y = tf.oneHot(tf.tensor1d(Array.from({ length: job.B }, () => Math.floor(rand() * job.classes)), 'int32'), job.classes);
      const step = async () => {
        const loss = opt.minimize(() => tf.losses.softmaxCrossEntropy(y, c.model.predictOnBatch(x) as tf.Tensor) as tf.Scalar, true);
        await loss!.data();
        loss!.dispose();
      };
      await step();
      const n = await countPrograms(step);
      programs.push(n.all);
      ours.push(n.ours);
      tf.dispose([x, y]);
    }
    return { backend, programs, ours, fusedKernels: hasFusedKernels(tf as never) };
  } finally {
    opt.dispose();
    c.model.dispose();
  }
}

export interface SegmentSumSpec {
  readonly V: number;
  readonly N: number;
  readonly D: number;
  /** 'random' (with ids out of range), 'sorted' (in range, ascending: the order is the identity). */
  readonly ids: 'random' | 'sorted';
  /** Register the kernel as for a software renderer (always used) or a GPU (used above GPU_MIN_WORK). */
  readonly software: boolean;
  readonly seed?: number;
}

/**
 * UnsortedSegmentSum on webgl (Unroll's kernel, or TF.js's where it delegates) against the cpu
 * backend, and the gradient of an Embedding-like gather: max |webgl − cpu| of each, and the
 * programs webgl ran for the segment sum.
 */
async function compareSegmentSum(spec: SegmentSumSpec): Promise<{ backend: string; sum: number; grad: number; scale: number; programs: number; ours: number }> {
  const rand = mulberry32(spec.seed ?? 11);
  const ids = Array.from({ length: spec.N }, () => Math.floor(rand() * (spec.V + 6)) - 3);
  const used = spec.ids === 'sorted' ? ids.map((s) => Math.min(spec.V - 1, Math.max(0, s))).sort((a, b) => a - b) : ids;
  const x = randoms(rand, spec.N * spec.D);
  const table = randoms(rand, spec.V * spec.D);
  const w = randoms(rand, spec.N * spec.D);
  const run = async (name: 'webgl' | 'cpu') => {
    const backend = await useBackend(name);
    if (name === 'webgl') registerWebGLSegmentSumKernel(tf as never, spec.software);
    const xs = tf.tensor2d(x, [spec.N, spec.D]);
    const is = tf.tensor1d(used, 'int32');
    const inRange = tf.tensor1d(used.map((s) => Math.min(spec.V - 1, Math.max(0, s))), 'int32');
    const W = tf.tensor2d(table, [spec.V, spec.D]);
    const wt = tf.tensor2d(w, [spec.N, spec.D]);
    let programs = 0, ours = 0;
    const sum = name === 'webgl'
      ? await (async () => {
        let out: tf.Tensor | null = null;
        ({ all: programs, ours } = await countPrograms(async () => { out = tf.unsortedSegmentSum(xs, is, spec.V); await out.data(); }));
        return out!;
      })()
      : tf.unsortedSegmentSum(xs, is, spec.V);
    const grad = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, inRange), wt)))(W);
    const r = { backend, sum: Array.from(await sum.data()), grad: Array.from(await grad.data()), programs, ours };
    tf.dispose([xs, is, inRange, W, wt, sum, grad]);
    return r;
  };
  const gl = await run('webgl');
  const cpu = await run('cpu');
  const d = (a: number[], b: number[]) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
  return { backend: gl.backend, sum: d(gl.sum, cpu.sum), grad: d(gl.grad, cpu.grad), scale: Math.max(...cpu.sum.map(Math.abs)), programs: gl.programs, ours: gl.ours };
}

export interface AdamSpec {
  readonly shapes: readonly (readonly number[])[];
  readonly steps: number;
  readonly lr: number;
  readonly seed?: number;
}

/**
 * Adam (optimizer.ts unrollAdam, fused) over `steps` updates of variables of these shapes,
 * on webgl (UnrollAdam's programs) and on cpu (its cpu kernel), from the same values and
 * gradients: max difference relative to each tensor's largest value, of the variables and both moments; and on webgl the programs
 * of the last update, all of them and Adam's own.
 */
async function compareAdam(spec: AdamSpec): Promise<{ backend: string; w: number; m: number; v: number; programs: number; ours: number; kernel: boolean }> {
  const rand = mulberry32(spec.seed ?? 21);
  const size = (s: readonly number[]) => s.reduce((a, d) => a * d, 1);
  const init = spec.shapes.map((s) => randoms(rand, size(s)));
  const grads = Array.from({ length: spec.steps }, (_, k) => spec.shapes.map((s) => randoms(rand, size(s)).map((g) => g * 10 ** -(k % 4))));
  const run = async (name: 'webgl' | 'cpu') => {
    const backend = await useBackend(name);
    const vars = spec.shapes.map((s, i) => tf.variable(tf.tensor(init[i], [...s]), true, `lab_adam_${name}_${i}_${Math.random()}`));
    const opt = unrollAdam(tf as never, spec.lr, true);
    let counted = { all: 0, ours: 0 };
    for (let k = 0; k < spec.steps; k++) {
      const map: tf.NamedTensorMap = {};
      vars.forEach((x, i) => { map[x.name] = tf.tensor(grads[k][i], [...spec.shapes[i]]); });
      const step = async () => { opt.applyGradients(map as never); await vars[0].data(); };
      if (name === 'webgl' && k === spec.steps - 1) counted = await countPrograms(step, ADAM_MARK);
      else await step();
      tf.dispose(Object.values(map));
    }
    const weights = await opt.getWeights();
    const n = vars.length;
    const r = {
      backend, counted, kernel: tf.getKernel('UnrollAdam', name) != null,
      w: await Promise.all(vars.map(async (x) => Array.from(await x.data()))),
      m: await Promise.all(weights.slice(1, 1 + n).map(async (x) => Array.from(await x.tensor.data()))),
      v: await Promise.all(weights.slice(1 + n).map(async (x) => Array.from(await x.tensor.data()))),
    };
    opt.dispose();
    tf.dispose(vars);
    return r;
  };
  const gl = await run('webgl');
  const cpu = await run('cpu');
  // Per tensor: the largest difference over the tensor's largest value (a moment that cancels to
  // ~0 carries the rounding of its terms, ~1e-8 at values of 0.1).
  const rel = (a: number[][], b: number[][]) => a.reduce((m, xs, i) => {
    const scale = Math.max(1e-30, ...b[i].map(Math.abs));
    return xs.reduce((mm, x, k) => Math.max(mm, Math.abs(x - b[i][k]) / scale), m);
  }, 0);
  return { backend: gl.backend, w: rel(gl.w, cpu.w), m: rel(gl.m, cpu.m), v: rel(gl.v, cpu.v), programs: gl.counted.all, ours: gl.counted.ours, kernel: gl.kernel && cpu.kernel };
}

export interface TrainingJob {
  readonly model: BenchModelName;
  readonly backend: 'webgl' | 'cpu';
  readonly recurrent: 'fused' | 'stock';
  readonly learningRate: number;
}

/**
 * One epoch of a benchmark model (bench/lib/models.ts: its data, seed 42) through the app's
 * Trainer on the backend as selectBackend sets it: each batch's loss and the trained weights.
 */
async function trainingLosses(job: TrainingJob): Promise<{ backend: string; losses: number[]; weights: number[][]; error?: string }> {
  const choice = await selectBackend(tf as never, job.backend);
  const backend = tf.getBackend();
  if (choice.backend !== job.backend || backend !== job.backend) throw new Error(`asked for ${job.backend}, TF.js runs ${backend} (${choice.reason})`);
  const m = benchModel(job.model);
  const losses: number[] = [];
  let error: string | undefined;
  const trainer = new Trainer({
    tf: tf as never, graph: m.graph, dataset: m.dataset, recurrent: job.recurrent,
    settings: { ...m.settings, learning_rate: job.learningRate, backend: job.backend },
    onEvent: (e) => {
      if (e.type === 'batch') losses.push(e.loss);
      if (e.type === 'error') error = e.message;
    },
  });
  await trainer.run();
  const model = trainer.resumeState()?.compiled.model;
  const weights = model ? await Promise.all(model.getWeights().map(async (w) => Array.from(await w.data()))) : [];
  trainer.dispose();
  return { backend, losses, weights, ...(error ? { error } : {}) };
}


export interface ProfileJob {
  readonly graph: Graph;
  readonly recurrent: 'fused' | 'stock';
  readonly T: number;
  readonly B: number;
  readonly vocab: number;
  readonly classes: number;
  /** Training steps timed (after one warm-up step). */
  readonly steps: number;
  /**
   * When set, each program and blit is also run this many more times back to back with one wait
   * at the end, and its row's time is that run's share: the unsynced cost, without the round trip.
   */
  readonly repeat?: number;
}

/**
 * Where a training step's time goes on webgl: the step's wall time unsynced (median), then the same
 * steps with the GPU waited for (one texel of the output read back) after every program and blit,
 * timed per program, exclusive of the programs it runs itself (its TF.js class and output shape, or
 * for the fused op's dense programs their inputs and output texture). Waiting inflates the total by
 * the round trips and loses overlap; the shares are what it is for.
 */
async function profileStep(job: ProfileJob): Promise<{ backend: string; msPerStep: number; syncedMsPerStep: number; programs: { key: string; count: number; ms: number; code: string }[]; issue: { programsMs: number; readSyncMs: number } }> {
  const choice = await selectBackend(tf as never, 'webgl');
  if (choice.backend !== 'webgl' || tf.getBackend() !== 'webgl') throw new Error(`asked for webgl, TF.js runs ${tf.getBackend()} (${choice.reason})`);
  const c = compileGraph(tf as never, job.graph, undefined, { recurrent: job.recurrent });
  const opt = makeOptimizer(tf as never, { optimizer: 'adam', learning_rate: 1e-3 }, { fused: job.recurrent === 'fused' });
  const rand = mulberry32(5);
  const x = tf.tensor2d(Array.from({ length: job.B * job.T }, () => 1 + Math.floor(rand() * (job.vocab - 1))), [job.B, job.T], 'int32');
  const y = tf.oneHot(tf.tensor1d(Array.from({ length: job.B }, () => Math.floor(rand() * job.classes)), 'int32'), job.classes);
  const step = async () => {
    const loss = opt.minimize(() => tf.losses.softmaxCrossEntropy(y, c.model.predictOnBatch(x) as tf.Tensor) as tf.Scalar, true);
    await loss!.data();
    loss!.dispose();
  };
  const backend = tf.backend() as MathBackendWebGL;
  const gpgpu = backend.gpgpu;
  const gl = gpgpu.gl as WebGL2RenderingContext;
  const run = backend.runWebGLProgram.bind(backend);
  const blit = gl.blitFramebuffer;
  try {
    await step();
    const wall: number[] = [];
    // Unsynced, the main thread's time inside runWebGLProgram (outermost calls) and in readSync
    // (which waits for the GPU): what issuing the programs costs, and where a step waits.
    let inPrograms = 0, inReads = 0, depth = 0;
    const readSync = backend.readSync.bind(backend);
    backend.runWebGLProgram = (...args: Parameters<typeof run>) => {
      const t0 = performance.now();
      depth++;
      try { return run(...args); } finally { if (--depth === 0) inPrograms += performance.now() - t0; }
    };
    backend.readSync = (dataId: object) => {
      const t0 = performance.now();
      try { return readSync(dataId as never); } finally { inReads += performance.now() - t0; }
    };
    for (let k = 0; k < job.steps; k++) {
      const t0 = performance.now();
      await step();
      wall.push(performance.now() - t0);
    }
    backend.runWebGLProgram = run;
    backend.readSync = readSync;
    const issue = { programsMs: inPrograms / job.steps, readSyncMs: inReads / job.steps };
    const table = new Map<string, { count: number; ms: number; code: string }>();
    const add = (k: string, ms: number, code = '') => {
      const e = table.get(k) ?? { count: 0, ms: 0, code };
      e.count++;
      e.ms += ms;
      table.set(k, e);
    };
    // gl.finish does not wait here; reading one texel back does (Chrome's command buffer is in order).
    const fb = gl.createFramebuffer()!;
    const texel = new Float32Array(4);
    const waitFor = (texture: WebGLTexture | null) => {
      const read = gl.getParameter(gl.READ_FRAMEBUFFER_BINDING);
      gl.bindFramebuffer(gl.READ_FRAMEBUFFER, fb);
      gl.framebufferTexture2D(gl.READ_FRAMEBUFFER, gl.COLOR_ATTACHMENT0, gl.TEXTURE_2D, texture, 0);
      gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.FLOAT, texel);
      gl.framebufferTexture2D(gl.READ_FRAMEBUFFER, gl.COLOR_ATTACHMENT0, gl.TEXTURE_2D, null, 0);
      gl.bindFramebuffer(gl.READ_FRAMEBUFFER, read);
    };
    // Exclusive times: a program's nested programs (packing its inputs) are counted on their own.
    const stack: number[] = [];
    const repeat = job.repeat ?? 0;
    let repeating = false;
    gl.blitFramebuffer = (...args: Parameters<WebGL2RenderingContext['blitFramebuffer']>) => {
      const t0 = performance.now();
      blit.apply(gl, args);
      const draw = gl.getParameter(gl.DRAW_FRAMEBUFFER_BINDING);
      const read = gl.getParameter(gl.READ_FRAMEBUFFER_BINDING);
      const wait = () => {
        gl.bindFramebuffer(gl.READ_FRAMEBUFFER, draw);
        gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.FLOAT, texel);
        gl.bindFramebuffer(gl.READ_FRAMEBUFFER, read);
      };
      wait();
      let ms = performance.now() - t0;
      if (repeat) {
        const t1 = performance.now();
        for (let r = 0; r < repeat; r++) blit.apply(gl, args);
        wait();
        ms = (performance.now() - t1) / repeat;
      }
      add('blit', ms);
      if (stack.length) stack[stack.length - 1] += ms;
    };
    backend.runWebGLProgram = (program, inputs, outputDtype, customUniformValues, preventEagerUnpacking, customTexShape) => {
      if (repeating) return run(program, inputs, outputDtype, customUniformValues, preventEagerUnpacking, customTexShape);
      const name = program.constructor.name === 'Object'
        ? `${program.userCode.includes(MARK) ? 'fused' : program.userCode.includes(ADAM_MARK) ? 'adam' : 'dense'}(${program.variableNames.join(',')})→${customTexShape?.join('x') ?? program.outputShape.join('x')}`
        : `${program.constructor.name}(${program.outputShape.join('x')})`;
      stack.push(0);
      const t0 = performance.now();
      const out = run(program, inputs, outputDtype, customUniformValues, preventEagerUnpacking, customTexShape);
      const tex = (backend as unknown as { texData: { get(id: object): { texture?: { texture: WebGLTexture } } } }).texData.get(out.dataId).texture;
      if (tex) waitFor(tex.texture);
      let ms = performance.now() - t0;
      if (repeat && tex) {
        repeating = true;
        const t1 = performance.now();
        let last: tf.TensorInfo | null = null;
        for (let r = 0; r < repeat; r++) {
          if (last) backend.disposeIntermediateTensorInfo(last);
          last = run(program, inputs, outputDtype, customUniformValues, preventEagerUnpacking, customTexShape);
        }
        const lt = (backend as unknown as { texData: { get(id: object): { texture?: { texture: WebGLTexture } } } }).texData.get(last!.dataId).texture;
        if (lt) waitFor(lt.texture);
        ms = (performance.now() - t1) / repeat;
        backend.disposeIntermediateTensorInfo(last!);
        repeating = false;
      }
      // Repeated, a row includes the programs it runs itself (they are not rows of their own then).
      const nested = stack.pop()! * (repeat ? 0 : 1);
      add(name, ms - nested, program.userCode.replace(/\s+/g, ' ').slice(0, 400));
      if (stack.length) stack[stack.length - 1] += ms;
      return out;
    };
    const t0 = performance.now();
    for (let k = 0; k < job.steps; k++) await step();
    const synced = (performance.now() - t0) / job.steps;
    const programs = [...table].map(([k, e]) => ({ key: k, count: e.count / job.steps, ms: e.ms / job.steps, code: e.code })).sort((a, b) => b.ms - a.ms);
    gl.deleteFramebuffer(fb);
    wall.sort((a, b) => a - b);
    return { backend: 'webgl', msPerStep: wall[Math.floor(wall.length / 2)], syncedMsPerStep: synced, programs, issue };
  } finally {
    backend.runWebGLProgram = run;
    gl.blitFramebuffer = blit;
    tf.dispose([x, y]);
    opt.dispose();
    c.model.dispose();
  }
}


/**
 * Two layers of one configuration (the second with go_backwards flipped, its own weights and
 * inputs from seed + 1) through `fusedRnnPair` on one backend: outputs, states and the gradients
 * of every input of both, and whether they ran as one kernel call (`pairs`).
 */
async function runPair(s: OpSpec, backend: 'webgl' | 'cpu'): Promise<OpResult & { paired: boolean }> {
  const name = await useBackend(backend);
  const specs = [s, { ...s, seed: (s.seed ?? 1) + 1, goBackwards: !(s.goBackwards ?? false) }];
  const ds = specs.map(inputsOf);
  const fspecs = specs.map((sp, k) => specOf(sp, ds[k].resetAfter)) as [FusedRnnSpec, FusedRnnSpec];
  const values: Arrays = {};
  const read = async (k: string, t: tf.Tensor) => { values[k] = Array.from(await t.data()); };
  const own = ds.map((d) => {
    const wrt: [string, tf.Tensor][] = [
      ['x', tf.tensor3d(d.x, [s.B, s.T, s.I])], ['kernel', tf.tensor2d(d.kernel, [s.I, d.Gu])], ['recurrentKernel', tf.tensor2d(d.recurrentKernel, [s.u, d.Gu])],
    ];
    if (d.bias) wrt.push(['bias', d.resetAfter ? tf.tensor2d(d.bias, [2, d.Gu]) : tf.tensor1d(d.bias)]);
    if (d.h0) wrt.push(['h0', tf.tensor2d(d.h0, [s.B, s.u])]);
    if (d.c0) wrt.push(['c0', tf.tensor2d(d.c0, [s.B, s.u])]);
    return {
      wrt,
      mask: d.mask ? tf.tensor2d(d.mask, [s.B, s.T]) : null,
      dropoutMask: d.dropout ? tf.tensor(d.dropout, s.dropout === 'gate' ? [s.B, d.G, s.I] : [s.B, s.I]) : null,
      rd: d.rd ? tf.tensor2d(d.rd, [s.B, d.Gu]) : null,
      wy: tf.tensor(d.wy, d.Tout > 1 ? [s.B, d.Tout, s.u] : [s.B, s.u]),
      ws: d.ws.map((w) => tf.tensor2d(w, [s.B, s.u])),
    };
  });
  // Both layers see the same mask, as the directions of a Bidirectional do.
  const mask = own[0].mask;
  const tensorsOf = (k: number, args: tf.Tensor[]): FusedRnnTensors => {
    const o = own[k];
    const at = (nm: string) => { const i = o.wrt.findIndex(([n]) => n === nm); return i < 0 ? null : args[i]; };
    const init = [at('h0'), at('c0')].filter((t): t is tf.Tensor => t != null);
    return { x: at('x')!, kernel: at('kernel')!, recurrentKernel: at('recurrentKernel')!, bias: at('bias'), mask, initialState: init.length ? init : null, dropoutMask: o.dropoutMask, recurrentDropoutMask: o.rd };
  };
  const n0 = own[0].wrt.length;
  const all = [...own[0].wrt, ...own[1].wrt].map(([, t]) => t);
  const split = (args: tf.Tensor[]) => [tensorsOf(0, args.slice(0, n0)), tensorsOf(1, args.slice(n0))] as [FusedRnnTensors, FusedRnnTensors];
  const paired = pairs(tf as never, fspecs, split(all));
  const f = (...args: tf.Tensor[]) => {
    const rs = fusedRnnPair(tf as never, fspecs, split(args));
    let loss: tf.Tensor = tf.scalar(0);
    rs.forEach((r, k) => {
      loss = tf.add(loss, tf.sum(tf.mul(r.output, own[k].wy)));
      r.states.forEach((st, i) => { loss = tf.add(loss, tf.sum(tf.mul(st, own[k].ws[i]))); });
    });
    return loss as tf.Scalar;
  };
  const forward = tf.tidy(() => fusedRnnPair(tf as never, fspecs, split(all)).flatMap((r) => [r.output, ...r.states]));
  const per = forward.length / 2;
  for (let k = 0; k < forward.length; k++) await read(`${Math.floor(k / per)}:${k % per === 0 ? 'output' : `state${(k % per) - 1}`}`, forward[k]);
  const { value, grads } = tf.tidy(() => tf.valueAndGrads(f)(all));
  await read('loss', value);
  const wrtNames = [...own[0].wrt.map(([n]) => `0:d_${n}`), ...own[1].wrt.map(([n]) => `1:d_${n}`)];
  for (let k = 0; k < grads.length; k++) await read(wrtNames[k], grads[k]);
  tf.dispose([...forward, value, ...grads, ...all, ...own.flatMap((o) => [o.wy, ...o.ws, ...notNull([o.mask, o.dropoutMask, o.rd])])]);
  return { backend: name, values, paired };
}

/** `fusedRnnPair` on webgl (one kernel call) against the cpu kernels (two calls), same inputs. */
async function comparePair(s: OpSpec): Promise<Comparison & { paired: [boolean, boolean] }> {
  const gl = await runPair(s, 'webgl');
  const cpu = await runPair(s, 'cpu');
  return { ...compareRuns(gl, cpu), paired: [gl.paired, cpu.paired] };
}

declare global {
  interface Window {
    lab?: { compareOp: typeof compareOp; dispatches: typeof dispatches; compareModel: typeof compareModel; stepDispatches: typeof stepDispatches; compilesPerLength: typeof compilesPerLength; compareSegmentSum: typeof compareSegmentSum; compareAdam: typeof compareAdam; trainingLosses: typeof trainingLosses; profileStep: typeof profileStep; comparePair: typeof comparePair };
  }
}

window.lab = { compareOp, dispatches, compareModel, stepDispatches, compilesPerLength, compareSegmentSum, compareAdam, trainingLosses, profileStep, comparePair };
document.documentElement.dataset.ready = 'true';
