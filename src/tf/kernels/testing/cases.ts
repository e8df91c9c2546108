/**
 * Tests only: the fused op's checks, written once and run on each backend (fused.test.ts on cpu,
 * fused.wasm.test.ts on wasm). Against the float64 reference (reference.ts: Keras's equations and
 * finite differences) for every option, and against TF.js's own loop (the layers' 'stock' path)
 * on whole models: outputs, final states and the gradient of every weight.
 */
import * as tf from '@tensorflow/tfjs';
import { expect, it, vi } from 'vitest';
import { chain } from '../../../core/build.ts';
import { addNode, connect, emptyGraph } from '../../../core/edit.ts';
import type { Graph, Params } from '../../../core/types.ts';
import { compileGraph } from '../../compile.ts';
import { FUSED_ACTIVATIONS, gateCount, type CellKind, type FusedActivation } from '../contract.ts';
import { fusedRnn, type FusedRnnSpec } from '../op.ts';
import { lossCoefficients, refForward, refGradient, refStateGradient, type DiffKey, type RefInputs, type RefSpec } from './reference.ts';

type Tensor = tf.Tensor;

/** Deterministic pseudo-random values in [-scale, scale]. */
function values(n: number, seed: number, scale = 0.6): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => scale * Math.sin(12.9898 * (i + 1) + 78.233 * seed) * Math.cos(3.3 * i + seed));
}

/** Dropout masks with values 0 or 1/(1 − rate). */
function dropMask(n: number, seed: number, rate = 0.4): Float64Array {
  return Float64Array.from(values(n, seed, 1), (v) => (v > rate * 2 - 1 ? 1 / (1 - rate) : 0));
}

export interface OpCase {
  readonly name: string;
  readonly cell: CellKind;
  readonly resetAfter?: boolean;
  readonly units?: number;
  readonly activation?: FusedActivation;
  readonly recurrentActivation?: FusedActivation;
  readonly returnSequences?: boolean;
  readonly goBackwards?: boolean;
  readonly bias?: boolean;
  readonly mask?: boolean;
  readonly initialState?: boolean;
  /** 'shared': one input mask [B, I]; 'perGate': [B, G, I] and a recurrent mask [B, G, u]. */
  readonly dropout?: 'shared' | 'perGate' | 'recurrentOnly';
  readonly B?: number;
  readonly T?: number;
  readonly I?: number;
}

function build(c: OpCase): { spec: RefSpec; ref: RefInputs } {
  const B = c.B ?? 3, T = c.T ?? 5, I = c.I ?? 3, u = c.units ?? 3;
  const G = gateCount(c.cell);
  const Gu = G * u;
  const gruAfter = c.cell === 'gru' && (c.resetAfter ?? true);
  const spec: RefSpec = {
    cell: c.cell, resetAfter: c.resetAfter ?? true, units: u,
    activation: c.activation ?? 'tanh', recurrentActivation: c.recurrentActivation ?? 'sigmoid',
    returnSequences: c.returnSequences ?? false, goBackwards: c.goBackwards ?? false,
  };
  // Row 0 real throughout, row 1 right-padded, row 2 left-padded (masked first steps), row 3 (if any) all masked.
  const mask = c.mask
    ? Float64Array.from({ length: B * T }, (_, k) => {
      const b = Math.floor(k / T), t = k % T;
      return b === 1 ? (t < T - 2 ? 1 : 0) : b === 2 ? (t >= 2 ? 1 : 0) : b === 3 ? 0 : 1;
    })
    : null;
  const perGate = c.dropout === 'perGate';
  const ref: RefInputs = {
    B, T, I,
    x: values(B * T * I, 1, 1),
    W: values(I * Gu, 2),
    U: values(u * Gu, 3),
    b: c.bias === false ? null : values(gruAfter ? 2 * Gu : Gu, 4, 0.3),
    mask,
    h0: c.initialState ? values(B * u, 5) : null,
    c0: c.initialState && c.cell === 'lstm' ? values(B * u, 6) : null,
    dmask: c.dropout === 'shared' || perGate ? dropMask(perGate ? B * G * I : B * I, 7) : null,
    rdmask: perGate || c.dropout === 'recurrentOnly' ? dropMask(B * Gu, 8) : null,
  };
  return { spec, ref };
}

const f32 = (a: Float64Array | null, shape: number[]) => (a ? tf.tensor(Float32Array.from(a), shape) : null);

/** Runs the fused op on the case; returns its outputs and the gradients of the test loss. */
function runFused(c: OpCase, spec: RefSpec, ref: RefInputs) {
  const { B, T, I } = ref;
  const u = spec.units, G = gateCount(spec.cell), Gu = G * u;
  const gruAfter = spec.cell === 'gru' && spec.resetAfter;
  return tf.tidy(() => {
    const diff: Partial<Record<DiffKey, Tensor>> = {
      x: f32(ref.x, [B, T, I])!, W: f32(ref.W, [I, Gu])!, U: f32(ref.U, [u, Gu])!,
    };
    if (ref.b) diff.b = f32(ref.b, gruAfter ? [2, Gu] : [Gu])!;
    if (ref.h0) diff.h0 = f32(ref.h0, [B, u])!;
    if (ref.c0) diff.c0 = f32(ref.c0, [B, u])!;
    const keys = Object.keys(diff) as DiffKey[];
    const mask = f32(ref.mask, [B, T]);
    const dm = ref.dmask ? f32(ref.dmask, ref.dmask.length === B * I ? [B, I] : [B, G, I]) : null;
    const rd = f32(ref.rdmask, [B, G, u]);
    const fusedSpec: FusedRnnSpec = {
      cell: spec.cell, resetAfter: spec.resetAfter, units: u,
      activation: spec.activation as FusedActivation, recurrentActivation: spec.recurrentActivation as FusedActivation,
      returnSequences: spec.returnSequences, goBackwards: spec.goBackwards,
    };
    const run = (...ts: Tensor[]) => {
      const v = Object.fromEntries(keys.map((k, i) => [k, ts[i]])) as Record<DiffKey, Tensor>;
      return fusedRnn(tf, fusedSpec, {
        x: v.x, kernel: v.W, recurrentKernel: v.U, bias: v.b ?? null, mask,
        initialState: v.h0 ? [v.h0, ...(v.c0 ? [v.c0] : [])] : null, dropoutMask: dm, recurrentDropoutMask: rd,
      });
    };
    const loss = (...ts: Tensor[]) => {
      const { output, states } = run(...ts);
      return [output, ...states].reduce((acc: Tensor, y, k) => {
        const w = tf.tensor(Float32Array.from(lossCoefficients(y.size, k)), y.shape);
        return tf.add(acc, tf.sum(tf.mul(y, w)));
      }, tf.scalar(0)) as tf.Scalar;
    };
    const inputs = keys.map((k) => diff[k]!);
    const { output, states } = run(...inputs);
    const grads = tf.grads(loss)(inputs);
    return {
      output: output.dataSync() as Float32Array,
      outputShape: output.shape,
      states: states.map((s) => s.dataSync() as Float32Array),
      grads: Object.fromEntries(keys.map((k, i) => [k, grads[i].dataSync() as Float32Array])) as Partial<Record<DiffKey, Float32Array>>,
      keys,
    };
  });
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

/** Forward (abs < 1e-5) and every gradient (relative to its largest entry, < 1e-4) against the reference. */
export function checkAgainstReference(c: OpCase): void {
  const { spec, ref } = build(c);
  const got = runFused(c, spec, ref);
  const want = refForward(spec, ref);
  expect(got.outputShape).toEqual(spec.returnSequences ? [ref.B, ref.T, spec.units] : [ref.B, spec.units]);
  expect(maxAbsDiff(got.output, want.output), 'output').toBeLessThan(1e-5);
  want.states.forEach((s, k) => expect(maxAbsDiff(got.states[k], s), `state ${k}`).toBeLessThan(1e-5));
  for (const key of got.keys) {
    const g = refGradient(spec, ref, key);
    const scale = Math.max(maxAbs(g), 1e-3);
    expect(maxAbsDiff(got.grads[key]!, g) / scale, `d/d${key} (max |g| ${scale.toExponential(2)})`).toBeLessThan(1e-4);
  }
}

const VARIANTS: { name: string; cell: CellKind; resetAfter?: boolean }[] = [
  { name: 'SimpleRNN', cell: 'simple' },
  { name: 'LSTM', cell: 'lstm' },
  { name: 'GRU reset_after', cell: 'gru', resetAfter: true },
  { name: 'GRU reset_before', cell: 'gru', resetAfter: false },
];

const OPTIONS: Omit<OpCase, 'name' | 'cell'>[] = [
  {},
  { returnSequences: true, goBackwards: true },
  { returnSequences: true, mask: true, initialState: true, B: 4 },
  { mask: true, goBackwards: true, initialState: true, B: 4 },
  { returnSequences: true, dropout: 'shared' },
  { returnSequences: true, dropout: 'perGate', mask: true, initialState: true },
  { dropout: 'recurrentOnly', goBackwards: true },
  { bias: false, activation: 'relu', recurrentActivation: 'hardSigmoid', returnSequences: true },
  // Wider than one SIMD block of 16 columns, plus a tail.
  { units: 9, B: 2, T: 4, returnSequences: true, mask: true },
];

function optionName(o: Omit<OpCase, 'name' | 'cell'>): string {
  const parts = Object.entries(o).map(([k, v]) => (v === true ? k : `${k}=${v}`));
  return parts.length ? parts.join(', ') : 'defaults';
}

/** Registers the reference tests (call from a test file after choosing the backend). */
export function referenceTests(): void {
  for (const v of VARIANTS) {
    for (const o of OPTIONS) {
      it(`${v.name}: ${optionName(o)} — outputs, states and gradients equal Keras's equations`, () => {
        checkAgainstReference({ ...v, ...o, name: v.name });
      });
    }
  }
  it('every activation the kernels know, as activation and as recurrent activation', () => {
    for (const act of FUSED_ACTIVATIONS) {
      checkAgainstReference({ name: act, cell: 'simple', activation: act, returnSequences: true, T: 3 });
      checkAgainstReference({ name: act, cell: 'lstm', activation: act === 'unrollExponential' ? 'tanh' : act, recurrentActivation: act, T: 3, units: 2 });
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Whole models: the fused path against TF.js's own loop.

/** Model outputs and the gradients of every trainable weight for a fixed loss of all outputs. */
function modelRun(m: tf.LayersModel, xs: Tensor[], training = false) {
  const apply = () => (training ? m.apply(xs, { training: true }) as Tensor | Tensor[] : m.predictOnBatch(xs));
  return tf.tidy(() => {
    const loss = () => {
      const ys = apply();
      return (Array.isArray(ys) ? ys : [ys]).reduce((acc: Tensor, y, k) => {
        const w = tf.tensor(Float32Array.from(lossCoefficients(y.size, k)), y.shape);
        return tf.add(acc, tf.sum(tf.mul(y, w)));
      }, tf.scalar(0)) as tf.Scalar;
    };
    const vars = m.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val);
    const { grads } = tf.variableGrads(loss, vars);
    const ys = apply();
    return {
      outputs: (Array.isArray(ys) ? ys : [ys]).map((y) => y.dataSync() as Float32Array),
      grads: m.trainableWeights.map((w, i) => ({ name: w.originalName, g: grads[vars[i].name].dataSync() as Float32Array })),
    };
  });
}

/**
 * Runs `f` with Math.random fixed, so every unseeded tf.randomUniform (each dropout mask) starts
 * the same stream: both paths, and the test itself, draw the same masks.
 */
function withFixedRandom<T>(f: () => T): T {
  const spy = vi.spyOn(Math, 'random').mockReturnValue(0.3721);
  try {
    return f();
  } finally {
    spy.mockRestore();
  }
}

/**
 * Compiles the graph twice (fused, stock), copies the weights across and compares everything.
 * `training`: the models run in training mode (dropout active) with Math.random fixed.
 */
export function checkAgainstStock(g: Graph, xs: Tensor[], training = false): void {
  const stock = compileGraph(tf, g, undefined, { recurrent: 'stock' });
  const fused = compileGraph(tf, g, undefined, { recurrent: 'fused' });
  try {
    fused.model.setWeights(stock.model.getWeights());
    const run = (m: tf.LayersModel) => (training ? withFixedRandom(() => modelRun(m, xs, true)) : modelRun(m, xs));
    const a = run(stock.model), b = run(fused.model);
    a.outputs.forEach((y, k) => expect(maxAbsDiff(b.outputs[k], y), `output ${k}`).toBeLessThan(1e-5));
    expect(b.grads.map((x) => x.name)).toEqual(a.grads.map((x) => x.name));
    a.grads.forEach(({ name, g: ga }, k) => {
      const scale = Math.max(maxAbs(ga), 1e-3);
      expect(maxAbsDiff(b.grads[k].g, ga) / scale, `d/d ${name}`).toBeLessThan(1e-4);
    });
  } finally {
    stock.model.dispose();
    fused.model.dispose();
  }
}

const ids = () => tf.tensor2d([[1, 2, 3, 4, 0, 0], [5, 6, 1, 2, 3, 4], [3, 0, 0, 0, 0, 0]], [3, 6], 'int32');

function rnn(kind: string, params: Params): Params {
  return { layer: { kind, params }, merge_mode: 'concat' };
}

const KINDS: [string, Params][] = [
  ['SimpleRNN', {}], ['LSTM', {}], ['GRU', { reset_after: true }], ['GRU', { reset_after: false }],
];

/** Registers the model-level comparisons with TF.js's loop. */
export function stockTests(): void {
  for (const [kind, extra] of KINDS) {
    const label = `${kind}${extra.reset_after === false ? ' reset_before' : ''}`;
    it(`${label} after a masked Embedding (return_sequences × go_backwards) equals TF.js's loop`, () => {
      for (const rs of [false, true]) for (const gb of [false, true]) {
        const g = chain([
          { kind: 'Input', params: { shape: [6], dtype: 'int32' } },
          { kind: 'Embedding', params: { input_dim: 7, output_dim: 3, mask_zero: true } },
          { kind, params: { units: 4, return_sequences: rs, go_backwards: gb, ...extra } },
        ]);
        checkAgainstStock(g, [ids()]);
      }
    });
    it(`Bidirectional(${label}) with a mask and return_sequences, and stacked on another, equals TF.js's loop`, () => {
      const g = chain([
        { kind: 'Input', params: { shape: [6], dtype: 'int32' } },
        { kind: 'Embedding', params: { input_dim: 7, output_dim: 3, mask_zero: true } },
        { kind: 'Bidirectional', params: rnn(kind, { units: 3, return_sequences: true, ...extra }) },
        { kind: 'Bidirectional', params: rnn(kind, { units: 2, ...extra }) },
        { kind: 'Dense', params: { units: 2 } },
      ]);
      checkAgainstStock(g, [ids()]);
    });
  }

  it('Bidirectional in every merge mode (concat, sum, mul, ave) × return_sequences, each cell, over a mask, equals TF.js\'s loop', () => {
    for (const [kind, extra] of KINDS) for (const merge_mode of ['concat', 'sum', 'mul', 'ave']) for (const rs of [false, true]) {
      const g = chain([
        { kind: 'Input', params: { shape: [6], dtype: 'int32' } },
        { kind: 'Embedding', params: { input_dim: 7, output_dim: 3, mask_zero: true } },
        { kind: 'Bidirectional', params: { layer: { kind, params: { units: 3, return_sequences: rs, ...extra } }, merge_mode } },
      ]);
      checkAgainstStock(g, [ids()]);
    }
  });

  it('SimpleRNN with dropout and recurrent_dropout in training (Bidirectional, masked; same masks drawn) equals TF.js\'s loop', () => {
    // TF.js's SimpleRNN draws the masks as Keras does (one [B, I], one [B, u] per sequence); its LSTM
    // and GRU always draw one per gate, so those are checked against Keras's equations instead
    // (modelReferenceTests).
    for (const rs of [false, true]) {
      const g = chain([
        { kind: 'Input', params: { shape: [6], dtype: 'int32' } },
        { kind: 'Embedding', params: { input_dim: 7, output_dim: 3, mask_zero: true } },
        { kind: 'Bidirectional', params: rnn('SimpleRNN', { units: 3, return_sequences: rs, dropout: 0.3, recurrent_dropout: 0.4 }) },
        { kind: 'Dense', params: { units: 2 } },
      ]);
      checkAgainstStock(g, [ids()], true);
    }
  });

  it('stacked LSTM → GRU (go_backwards, reset_before) → SimpleRNN on float input equals TF.js\'s loop', () => {
    const g = chain([
      { kind: 'Input', params: { shape: [5, 3], dtype: 'float32' } },
      { kind: 'LSTM', params: { units: 4, return_sequences: true } },
      { kind: 'GRU', params: { units: 3, return_sequences: true, go_backwards: true, reset_after: false } },
      { kind: 'SimpleRNN', params: { units: 2, activation: 'relu' } },
    ]);
    checkAgainstStock(g, [tf.randomNormal([2, 5, 3], 0, 1, 'float32', 3)]);
  });

  it('encoder return_state → decoder initial_state, Bidirectional return_state with merge_mode None, equal TF.js\'s loop', () => {
    for (const [kind, extra] of KINDS) {
      let g: Graph = emptyGraph;
      const add = (k: string, params: Params) => {
        const r = addNode(g, { kind: k, params });
        g = r.graph;
        return r.node.id;
      };
      const src = add('Input', { shape: [4, 3], dtype: 'float32' });
      const dec = add('Input', { shape: [5, 2], dtype: 'float32' });
      const enc = add('Bidirectional', { layer: { kind, params: { units: 3, return_state: true, ...extra } }, merge_mode: null });
      const d = add(kind, { units: 3, return_sequences: true, return_state: true, ...extra });
      const out1 = add('Output', {});
      const out2 = add('Output', {});
      const out3 = add('Output', {});
      g = connect(g, { source: src, sourcePort: 'output', target: enc, targetPort: 'input' });
      g = connect(g, { source: dec, sourcePort: 'output', target: d, targetPort: 'input' });
      g = connect(g, { source: enc, sourcePort: 'forward_h', target: d, targetPort: 'h' });
      if (kind === 'LSTM') g = connect(g, { source: enc, sourcePort: 'backward_c', target: d, targetPort: 'c' });
      g = connect(g, { source: d, sourcePort: 'output', target: out1, targetPort: 'input' });
      g = connect(g, { source: d, sourcePort: 'h', target: out2, targetPort: 'input' });
      g = connect(g, { source: enc, sourcePort: 'output_backward', target: out3, targetPort: 'input' });
      checkAgainstStock(g, [tf.randomNormal([2, 4, 3], 0, 1, 'float32', 1), tf.randomNormal([2, 5, 2], 0, 1, 'float32', 2)]);
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Whole Bidirectional layers against Keras's equations: both directions in float64, merged as
// Keras merges them, dropout in training; gradients of every weight by finite differences.

/** Builds a graph node by node: add(kind, params) → id; wire(source, port, target) to its 'input'. */
function graphBuilder() {
  let g: Graph = emptyGraph;
  const add = (kind: string, params: Params) => {
    const r = addNode(g, { kind, params });
    g = r.graph;
    return r.node.id;
  };
  const wire = (source: string, sourcePort: string, target: string) => { g = connect(g, { source, sourcePort, target, targetPort: 'input' }); };
  return { add, wire, graph: () => g };
}

type MergeMode = 'concat' | 'sum' | 'mul' | 'ave' | null;

interface BiCase {
  readonly kind: 'SimpleRNN' | 'LSTM' | 'GRU';
  readonly resetAfter?: boolean;
  readonly merge: MergeMode;
  readonly returnSequences: boolean;
  readonly dropout?: number;
  readonly recurrentDropout?: number;
}

/**
 * Keras's Bidirectional: the backward direction's sequence flipped back to input order; with
 * return_sequences both directions output zeros at masked steps (Keras sets zero_output_for_mask
 * on them); then merged.
 */
function refBidirectional(c: BiCase, spec: RefSpec, fw: RefInputs, bw: RefInputs): Float64Array[] {
  const { B, T } = fw, u = spec.units;
  const a = refForward(spec, fw).output;
  const r = refForward({ ...spec, goBackwards: true }, bw).output;
  const b = spec.returnSequences ? new Float64Array(r.length) : r;
  if (spec.returnSequences) {
    for (let n = 0; n < B; n++) for (let t = 0; t < T; t++) b.set(r.subarray((n * T + T - 1 - t) * u, (n * T + T - t) * u), (n * T + t) * u);
    if (fw.mask) for (let k = 0; k < B * T; k++) if (!fw.mask[k]) { a.fill(0, k * u, (k + 1) * u); b.fill(0, k * u, (k + 1) * u); }
  }
  if (c.merge === null) return [a, b];
  if (c.merge === 'concat') {
    const rows = a.length / u;
    const out = new Float64Array(2 * a.length);
    for (let k = 0; k < rows; k++) {
      out.set(a.subarray(k * u, (k + 1) * u), 2 * k * u);
      out.set(b.subarray(k * u, (k + 1) * u), (2 * k + 1) * u);
    }
    return [out];
  }
  const op = { sum: (x: number, y: number) => x + y, mul: (x: number, y: number) => x * y, ave: (x: number, y: number) => (x + y) / 2 }[c.merge];
  return [a.map((v, k) => op(v, b[k]))];
}

function refBiLoss(c: BiCase, spec: RefSpec, fw: RefInputs, bw: RefInputs): number {
  let sum = 0;
  refBidirectional(c, spec, fw, bw).forEach((y, k) => {
    const w = lossCoefficients(y.length, k);
    for (let i = 0; i < y.length; i++) sum += w[i] * y[i];
  });
  return sum;
}

/** Checks one Bidirectional case on a compiled model (fused path) against the reference. */
export function checkBidirectionalAgainstReference(c: BiCase): void {
  const cell = CELL_FOR[c.kind];
  const resetAfter = c.resetAfter ?? true;
  const training = (c.dropout ?? 0) > 0 || (c.recurrentDropout ?? 0) > 0;
  const { spec: s0, ref: fw } = build({ name: c.kind, cell, resetAfter, mask: true, B: 3, T: 4, I: 2, units: 2 });
  const spec: RefSpec = { ...s0, returnSequences: c.returnSequences };
  for (let r = 0; r < fw.B * fw.T; r++) if (!fw.mask![r]) fw.x.fill(0, r * fw.I, (r + 1) * fw.I);
  const bw: RefInputs = { ...fw, W: values(fw.W.length, 12), U: values(fw.U.length, 13), b: values(fw.b!.length, 14, 0.3) };
  const { B, T, I } = fw, u = spec.units, G = gateCount(cell), Gu = G * u;

  const { add, wire, graph } = graphBuilder();
  const input = add('Input', { shape: [T, I], dtype: 'float32' });
  const masking = add('Masking', { mask_value: 0 });
  wire(input, 'output', masking);
  const bi = add('Bidirectional', {
    layer: {
      kind: c.kind,
      params: { units: u, return_sequences: c.returnSequences, dropout: c.dropout ?? 0, recurrent_dropout: c.recurrentDropout ?? 0, ...(cell === 'gru' ? { reset_after: resetAfter } : {}) },
    },
    merge_mode: c.merge,
  });
  wire(masking, 'output', bi);
  for (const port of c.merge === null ? ['output_forward', 'output_backward'] : ['output']) wire(bi, port, add('Output', {}));
  const g = graph();
  const { model } = compileGraph(tf, g, undefined, { recurrent: 'fused' });
  try {
    const layer = model.getLayer(g.nodes.find((n) => n.id === bi)!.name);
    const bShape = cell === 'gru' && resetAfter ? [2, Gu] : [Gu];
    const arrays = [fw.W, fw.U, fw.b!, bw.W, bw.U, bw.b!];
    const shapes = [[I, Gu], [u, Gu], bShape, [I, Gu], [u, Gu], bShape];
    layer.setWeights(arrays.map((a, k) => tf.tensor(Float32Array.from(a), shapes[k])));
    const x = tf.tensor(Float32Array.from(fw.x), [B, T, I]);
    const got = withFixedRandom(() => {
      // The masks the layer draws: Math.random is fixed, so each draw of a shape gives the same values.
      const draw = (rate: number, shape: number[]): Float64Array => {
        const ones = tf.ones(shape);
        const mask = tf.dropout(ones, rate);
        const out = Float64Array.from(mask.dataSync());
        tf.dispose([ones, mask]);
        return out;
      };
      const perGate = cell !== 'simple' && (c.recurrentDropout ?? 0) !== 0;
      if ((c.dropout ?? 0) > 0) fw.dmask = bw.dmask = draw(c.dropout!, perGate ? [B, G, I] : [B, I]);
      if ((c.recurrentDropout ?? 0) > 0) fw.rdmask = bw.rdmask = draw(c.recurrentDropout!, [B, G, u]);
      return modelRun(model, [x], training);
    });
    x.dispose();
    if (training) expect(fw.dmask ?? fw.rdmask, 'some mask drops something').toSatisfy((m: Float64Array) => m.some((v) => v === 0));
    const want = refBidirectional(c, spec, fw, bw);
    want.forEach((y, k) => expect(maxAbsDiff(got.outputs[k], y), `output ${k}`).toBeLessThan(1e-5));
    const names = ['forward kernel', 'forward recurrent_kernel', 'forward bias', 'backward kernel', 'backward recurrent_kernel', 'backward bias'];
    expect(got.grads).toHaveLength(6);
    arrays.forEach((v, k) => {
      const ref = new Float64Array(v.length);
      const eps = 1e-6;
      for (let i = 0; i < v.length; i++) {
        const keep = v[i];
        v[i] = keep + eps;
        const up = refBiLoss(c, spec, fw, bw);
        v[i] = keep - eps;
        const down = refBiLoss(c, spec, fw, bw);
        v[i] = keep;
        ref[i] = (up - down) / (2 * eps);
      }
      const scale = Math.max(maxAbs(ref), 1e-3);
      expect(maxAbsDiff(got.grads[k].g, ref) / scale, `d/d ${names[k]} (${got.grads[k].name})`).toBeLessThan(1e-4);
    });
  } finally {
    model.dispose();
  }
}

/** Registers the whole-layer comparisons with Keras's equations. */
export function modelReferenceTests(): void {
  const kinds: { label: string; kind: BiCase['kind']; resetAfter?: boolean }[] = [
    { label: 'SimpleRNN', kind: 'SimpleRNN' }, { label: 'LSTM', kind: 'LSTM' },
    { label: 'GRU reset_after', kind: 'GRU', resetAfter: true }, { label: 'GRU reset_before', kind: 'GRU', resetAfter: false },
  ];
  for (const k of kinds) {
    it(`Bidirectional(${k.label}) over a mask, every merge mode (concat, sum, mul, ave, None) — outputs and every weight's gradient equal Keras's equations`, () => {
      for (const merge of ['concat', 'sum', 'mul', 'ave', null] as const) {
        checkBidirectionalAgainstReference({ ...k, merge, returnSequences: merge === 'concat' || merge === 'mul' });
      }
    });
    it(`Bidirectional(${k.label}) training with dropout, and with dropout + recurrent_dropout (masks per sequence, Keras's rule) — equals Keras's equations`, () => {
      checkBidirectionalAgainstReference({ ...k, merge: 'concat', returnSequences: true, dropout: 0.4 });
      checkBidirectionalAgainstReference({ ...k, merge: 'sum', returnSequences: false, dropout: 0.3, recurrentDropout: 0.5 });
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Trace and gradient taps on compiled models, against the reference's per-step values.

interface TraceCase {
  readonly name: string;
  readonly kind: 'SimpleRNN' | 'LSTM' | 'GRU';
  readonly params?: Params;
  readonly mask?: boolean;
  readonly goBackwards?: boolean;
  readonly returnSequences?: boolean;
}

const CELL_FOR: Record<TraceCase['kind'], CellKind> = { SimpleRNN: 'simple', LSTM: 'lstm', GRU: 'gru' };

/** A reference case whose masked positions have all-zero inputs (so a Masking layer finds them). */
function traceCase(c: TraceCase) {
  const cell = CELL_FOR[c.kind];
  const { spec, ref } = build({
    name: c.name, cell, resetAfter: (c.params?.reset_after as boolean | undefined) ?? true, mask: c.mask, B: 4,
    goBackwards: c.goBackwards, returnSequences: c.returnSequences,
  });
  if (ref.mask) for (let r = 0; r < ref.B * ref.T; r++) if (!ref.mask[r]) ref.x.fill(0, r * ref.I, (r + 1) * ref.I);
  return { spec, ref, cell };
}

/** Input → (Masking) → the layer (with return_state) → one Output per port; weights from the reference. */
function traceModel(c: TraceCase, spec: RefSpec, ref: RefInputs) {
  const { add, wire, graph } = graphBuilder();
  const input = add('Input', { shape: [ref.T, ref.I], dtype: 'float32' });
  let src = input;
  if (c.mask) {
    src = add('Masking', { mask_value: 0 });
    wire(input, 'output', src);
  }
  const layer = add(c.kind, {
    units: spec.units, return_sequences: spec.returnSequences, go_backwards: spec.goBackwards, return_state: true, ...c.params,
  });
  wire(src, 'output', layer);
  for (const port of ['output', 'h', ...(c.kind === 'LSTM' ? ['c'] : [])]) wire(layer, port, add('Output', {}));
  const g = graph();
  const compiled = compileGraph(tf, g);
  const name = g.nodes.find((n) => n.id === layer)!.name;
  const G = gateCount(spec.cell), Gu = G * spec.units;
  const gruAfter = spec.cell === 'gru' && spec.resetAfter;
  compiled.model.getLayer(name).setWeights([
    tf.tensor(Float32Array.from(ref.W), [ref.I, Gu]), tf.tensor(Float32Array.from(ref.U), [spec.units, Gu]),
    tf.tensor(Float32Array.from(ref.b!), gruAfter ? [2, Gu] : [Gu]),
  ]);
  return { model: compiled.model, name, x: tf.tensor(Float32Array.from(ref.x), [ref.B, ref.T, ref.I]) };
}

const TRACE_CASES: TraceCase[] = [
  { name: 'SimpleRNN, masked, go_backwards', kind: 'SimpleRNN', mask: true, goBackwards: true },
  { name: 'LSTM, masked, return_sequences', kind: 'LSTM', mask: true, returnSequences: true },
  { name: 'LSTM, go_backwards', kind: 'LSTM', goBackwards: true },
  { name: 'GRU reset_after, masked, go_backwards, return_sequences', kind: 'GRU', mask: true, goBackwards: true, returnSequences: true },
  { name: 'GRU reset_before, masked', kind: 'GRU', params: { reset_after: false }, mask: true },
];

/** Registers the trace and tap tests. */
export function traceTests(traceRecurrent: typeof import('../trace.ts').traceRecurrent, gradientTap: typeof import('../trace.ts').gradientTap): void {
  for (const c of TRACE_CASES) {
    it(`${c.name}: the trace's h, c and gates by input position equal Keras's steps; masked positions carry the state`, async () => {
      const { spec, ref } = traceCase(c);
      const { model, name, x } = traceModel(c, spec, ref);
      const want = refForward(spec, ref).steps;
      const t = await traceRecurrent(tf, model, name, x);
      expect(t.kind).toBe(c.kind);
      expect(t.directions).toHaveLength(1);
      const d = t.directions[0];
      expect([d.direction, d.goBackwards, d.B, d.T, d.units]).toEqual(['forward', !!c.goBackwards, ref.B, ref.T, spec.units]);
      expect(maxAbsDiff(d.h, want.h), 'h').toBeLessThan(1e-5);
      if (c.kind === 'LSTM') expect(maxAbsDiff(d.c!, want.c), 'c').toBeLessThan(1e-5);
      if (c.mask) expect(Array.from(d.mask!)).toEqual(Array.from(ref.mask!));
      expect(Object.keys(d.gates)).toEqual(Object.keys(want.gates));
      for (const [gname, gv] of Object.entries(want.gates)) {
        const got = d.gates[gname];
        for (let i = 0; i < gv.length; i++) {
          if (Number.isNaN(gv[i])) expect(got[i]).toBe(0); // masked: the cell did not run
          else expect(Math.abs(got[i] - gv[i]), `${gname}[${i}]`).toBeLessThan(1e-5);
        }
      }
      model.dispose();
    });

    it(`${c.name}: a gradient tap gives ∂L/∂h_t of every example and position (finite differences), then disarms`, async () => {
      const { spec, ref } = traceCase(c);
      const { model, name, x } = traceModel(c, spec, ref);
      const want = refStateGradient(spec, ref);
      const loss = () => {
        const ys = model.predictOnBatch(x) as Tensor[];
        return ys.reduce((acc: Tensor, y, k) => tf.add(acc, tf.sum(tf.mul(y, tf.tensor(Float32Array.from(lossCoefficients(y.size, k)), y.shape)))), tf.scalar(0)) as tf.Scalar;
      };
      const tap = gradientTap(tf, model, name);
      tf.dispose(model.predictOnBatch(x)); // a forward pass alone delivers nothing
      expect(tap.ready).toBe(false);
      tf.dispose(tf.variableGrads(loss).grads);
      expect(tap.ready).toBe(true);
      const g = (await tap.read())!;
      const d = g.directions[0];
      expect([d.B, d.T, d.units, d.goBackwards]).toEqual([ref.B, ref.T, spec.units, !!c.goBackwards]);
      const scale = Math.max(maxAbs(want), 1e-3);
      expect(maxAbsDiff(d.dh, want) / scale).toBeLessThan(1e-4);
      if (c.mask) expect(Array.from(d.mask!)).toEqual(Array.from(ref.mask!));
      expect(await tap.read()).toBeNull(); // read once; the tap is disarmed
      model.dispose();
    });
  }

  it('Bidirectional(LSTM) over a mask: both directions traced by input position; a tap during trainOnBatch fires once', async () => {
    const { spec, ref } = traceCase({ name: 'bidi', kind: 'LSTM', mask: true, returnSequences: true });
    const g = chain([
      { kind: 'Input', params: { shape: [ref.T, ref.I], dtype: 'float32' } },
      { kind: 'Masking', params: { mask_value: 0 } },
      { kind: 'Bidirectional', params: { layer: { kind: 'LSTM', params: { units: spec.units, return_sequences: true } }, merge_mode: 'concat' } },
    ]);
    const { model } = compileGraph(tf, g);
    const bidi = model.layers.find((l) => l.getClassName() === 'UnrollBidirectional')!;
    const Gu = 4 * spec.units;
    const w = (a: Float64Array, shape: number[]) => tf.tensor(Float32Array.from(a), shape);
    // The backward direction gets its own weights: the forward ones scaled.
    const back = { ...ref, W: ref.W.map((v) => 0.7 * v), U: ref.U.map((v) => -0.5 * v), b: ref.b!.map((v) => v + 0.1) };
    bidi.setWeights([w(ref.W, [ref.I, Gu]), w(ref.U, [spec.units, Gu]), w(ref.b!, [Gu]), w(back.W, [ref.I, Gu]), w(back.U, [spec.units, Gu]), w(back.b, [Gu])]);
    const x = w(ref.x, [ref.B, ref.T, ref.I]);
    const t = await traceRecurrent(tf, model, bidi.name, x);
    expect(t.directions.map((d) => [d.direction, d.goBackwards])).toEqual([['forward', false], ['backward', true]]);
    const wantF = refForward(spec, ref).steps, wantB = refForward({ ...spec, goBackwards: true }, back).steps;
    expect(maxAbsDiff(t.directions[0].h, wantF.h)).toBeLessThan(1e-5);
    expect(maxAbsDiff(t.directions[1].h, wantB.h)).toBeLessThan(1e-5);
    expect(maxAbsDiff(t.directions[1].c!, wantB.c)).toBeLessThan(1e-5);

    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const y = tf.zeros([ref.B, ref.T, 2 * spec.units]);
    const tap = gradientTap(tf, model, bidi.name);
    await model.trainOnBatch(x, y);
    expect(tap.ready).toBe(true);
    const before = tf.memory().numTensors;
    await model.trainOnBatch(x, y); // disarmed: an ordinary batch
    expect(tf.memory().numTensors).toBe(before);
    const r = (await tap.read())!;
    expect(r.directions).toHaveLength(2);
    for (const d of r.directions) {
      expect(d.dh.length).toBe(ref.B * ref.T * spec.units);
      expect(d.dh.every(Number.isFinite)).toBe(true);
      expect(Array.from(d.mask!)).toEqual(Array.from(ref.mask!));
    }
    // Row 3 is all padding: no gradient reaches its states through the (zeroed) outputs.
    const row3 = r.directions[0].dh.subarray(3 * ref.T * spec.units);
    expect(maxAbs(row3)).toBe(0);
    model.dispose();
  });

  it("a 'stock' model is traced with the same kernels, and a softmax RNN says why it cannot be", async () => {
    const c: TraceCase = { name: 'stock', kind: 'GRU', mask: true };
    const { spec, ref } = traceCase(c);
    const g = chain([
      { kind: 'Input', params: { shape: [ref.T, ref.I], dtype: 'float32' } },
      { kind: 'Masking', params: { mask_value: 0 } },
      { kind: 'GRU', params: { units: spec.units } },
    ]);
    const { model } = compileGraph(tf, g, undefined, { recurrent: 'stock' });
    const layer = model.layers.find((l) => l.getClassName() === 'UnrollGRU')!;
    const Gu = 3 * spec.units;
    layer.setWeights([tf.tensor(Float32Array.from(ref.W), [ref.I, Gu]), tf.tensor(Float32Array.from(ref.U), [spec.units, Gu]), tf.tensor(Float32Array.from(ref.b!), [2, Gu])]);
    const t = await traceRecurrent(tf, model, layer.name, tf.tensor(Float32Array.from(ref.x), [ref.B, ref.T, ref.I]));
    expect(maxAbsDiff(t.directions[0].h, refForward(spec, ref).steps.h)).toBeLessThan(1e-5);
    model.dispose();
    const soft = compileGraph(tf, chain([{ kind: 'Input', params: { shape: [3, 2] } }, { kind: 'SimpleRNN', params: { units: 2, activation: 'softmax' } }]));
    await expect(traceRecurrent(tf, soft.model, soft.model.layers[1].name, tf.ones([1, 3, 2]))).rejects.toThrow(/did not run for this layer/);
    soft.model.dispose();
  });
}
