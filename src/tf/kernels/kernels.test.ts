/**
 * The fused op's implementations agree with each other (TypeScript loops, the WebAssembly SIMD
 * module, the composed TF.js ops used on webgl), the committed wasm module is what its source
 * compiles to, and the layers follow Keras's dropout rule, dispatch a number of kernels that does
 * not grow with the sequence length, and free their tensors (cpu backend).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { chain } from '../../core/build.ts';
import type { Params } from '../../core/types.ts';
import { compileGraph } from '../compile.ts';
import { registerSegmentSumKernel } from '../wasmKernel.ts';
import { composedBackward, composedForward } from './composed.ts';
import {
  BACKWARD_KERNEL, FORWARD_KERNEL, MATMUL_KERNEL, activationCode, backwardOutputs, forwardOutputs, gateCount, outRows,
  type CellKind, type RnnAttrs,
} from './contract.ts';
import { backwardLoops, forwardLoops, type LoopShape } from './loops.ts';
import { rnnWasm, wasmBackward, wasmForward } from './wasmLoops.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
  registerSegmentSumKernel(tf);
  compileGraph(tf, chain([{ kind: 'Input', params: { shape: [2, 1] } }, { kind: 'LSTM', params: { units: 1 } }])); // registers the kernels
});

const rand = (n: number, seed: number, scale = 0.7) =>
  Float32Array.from({ length: n }, (_, i) => scale * Math.sin(12.9898 * (i + 1) + 78.233 * seed) * Math.cos(3.3 * i + seed));
const drop = (n: number, seed: number) => Float32Array.from(rand(n, seed, 1), (v) => (v > -0.2 ? 1.25 : 0));

const VARIANTS: { cell: CellKind; resetAfter: boolean }[] = [
  { cell: 'simple', resetAfter: false }, { cell: 'lstm', resetAfter: false }, { cell: 'gru', resetAfter: true }, { cell: 'gru', resetAfter: false },
];

interface Case {
  readonly a: RnnAttrs;
  readonly B: number;
  readonly T: number;
  readonly inputs: Record<string, Float32Array>;
  readonly shapes: Record<string, number[]>;
}

function makeCase(cell: CellKind, resetAfter: boolean, full: boolean, u: number): Case {
  const B = 3, T = 5, G = gateCount(cell), Gu = G * u;
  const a: RnnAttrs = {
    cell, resetAfter, units: u, activation: 'tanh', recurrentActivation: 'sigmoid', returnSequences: full, saveForGrad: true, tap: true,
  };
  const inputs: Record<string, Float32Array> = { xw: rand(B * T * Gu, 1), u: rand(u * Gu, 2, 0.5) };
  const shapes: Record<string, number[]> = { xw: [B, T, Gu], u: [u, Gu] };
  if (cell === 'gru' && resetAfter) {
    inputs.br = rand(Gu, 3, 0.2);
    shapes.br = [Gu];
  }
  if (full) {
    inputs.mask = Float32Array.from({ length: B * T }, (_, k) => ((k % 4 === 1 || k >= 2 * T) && k % T < 3 ? 0 : 1));
    inputs.h0 = rand(B * u, 4);
    inputs.rd = drop(B * Gu, 5);
    Object.assign(shapes, { mask: [B, T], h0: [B, u], rd: [B, Gu] });
    if (cell === 'lstm') {
      inputs.c0 = rand(B * u, 6);
      shapes.c0 = [B, u];
    }
  }
  return { a, B, T, inputs, shapes };
}

function maxDiff(x: ArrayLike<number>, y: ArrayLike<number>): number {
  expect(x.length).toBe(y.length);
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i] - y[i]));
  return m;
}

describe('the TypeScript loops and the WebAssembly SIMD module agree', () => {
  const w = rnnWasm();
  it('the module compiles here (SIMD available in Node)', () => expect(w).not.toBeNull());
  for (const v of VARIANTS) for (const full of [false, true]) for (const u of [3, 9]) {
    it(`${v.cell}${v.cell === 'gru' ? (v.resetAfter ? ' reset_after' : ' reset_before') : ''}, ${full ? 'mask + h0 + c0 + recurrent dropout + sequences' : 'plain'}, ${u} units`, () => {
      const c = makeCase(v.cell, v.resetAfter, full, u);
      const { B, T, a } = c;
      const Gu = gateCount(a.cell) * u;
      const s: LoopShape = {
        cell: a.cell, resetAfter: a.resetAfter, act: activationCode(a.activation), ract: activationCode(a.recurrentActivation),
        B, T, u, returnSequences: a.returnSequences,
      };
      const fwd = () => ({
        out: new Float32Array(B * outRows(a, T) * u), gates: new Float32Array(B * T * Gu), hprev: new Float32Array(B * T * u),
        cs: a.cell === 'lstm' ? new Float32Array(B * T * u) : null, aux: a.cell === 'gru' ? new Float32Array(B * T * u) : null,
      });
      const i = c.inputs;
      const fin = { xw: i.xw, U: i.u, br: i.br ?? null, mask: i.mask ?? null, h0: i.h0 ?? null, c0: i.c0 ?? null, rd: i.rd ?? null };
      const fa = fwd(), fb = fwd();
      forwardLoops(s, { ...fin, ...fa });
      wasmForward(w!, s, { ...fin, ...fb });
      for (const k of ['out', 'gates', 'hprev', 'cs', 'aux'] as const) if (fa[k]) expect(maxDiff(fa[k]!, fb[k]!), k).toBeLessThan(2e-6);
      const bwd = () => ({
        dxw: new Float32Array(B * T * Gu), dh0: new Float32Array(B * u), dc0: a.cell === 'lstm' ? new Float32Array(B * u) : null,
        drec: a.cell === 'gru' && a.resetAfter ? new Float32Array(B * T * Gu) : null, dh: new Float32Array(B * T * u),
      });
      const bin = {
        dout: rand(B * outRows(a, T) * u, 7), U: i.u, mask: fin.mask, rd: fin.rd, c0: fin.c0,
        gates: fa.gates, hprev: fa.hprev, cs: fa.cs, aux: fa.aux,
      };
      const ba = bwd(), bb = bwd();
      backwardLoops(s, { ...bin, ...ba });
      wasmBackward(w!, s, { ...bin, ...bb });
      for (const k of ['dxw', 'dh0', 'dc0', 'drec', 'dh'] as const) if (ba[k]) expect(maxDiff(ba[k]!, bb[k]!), k).toBeLessThan(2e-6);
    });
  }
});

describe("the WebAssembly module's vectorised tanh and sigmoid", () => {
  it('equal Math.tanh and the logistic function in float64 (abs < 2e-7) from −100 to 100, ±0 and the tails included', () => {
    const w = rnnWasm()!;
    // SimpleRNN with U = 0: the output of each step is act(xw), 16 units = four f32x4 blocks.
    const u = 16, T = 1;
    const xs = Float32Array.from({ length: 4096 }, (_, i) => (i < 2 ? [0, -0][i] : -100 + (200 * i) / 4095));
    const B = xs.length / u;
    for (const [id, f] of [['tanh', Math.tanh], ['sigmoid', (x: number) => 1 / (1 + Math.exp(-x))]] as const) {
      const s: LoopShape = { cell: 'simple', resetAfter: false, act: activationCode(id), ract: activationCode('sigmoid'), B, T, u, returnSequences: false };
      const out = new Float32Array(B * 2 * u);
      wasmForward(w, s, { xw: xs, U: new Float32Array(u * u), br: null, mask: null, h0: null, c0: null, rd: null, out, gates: null, hprev: null, cs: null, aux: null });
      let worst = 0;
      for (let b = 0; b < B; b++) for (let k = 0; k < u; k++) worst = Math.max(worst, Math.abs(out[b * 2 * u + k] - f(xs[b * u + k])));
      expect(worst, id).toBeLessThan(2e-7);
    }
  });
});

describe('the composed TF.js ops (the webgl fallback) equal the registered kernels', () => {
  for (const v of VARIANTS) for (const full of [false, true]) {
    it(`${v.cell}${v.cell === 'gru' ? (v.resetAfter ? ' reset_after' : ' reset_before') : ''}, ${full ? 'mask + h0 + c0 + recurrent dropout + sequences' : 'plain'}`, () => {
      const c = makeCase(v.cell, v.resetAfter, full, 3);
      tf.tidy(() => {
        const ins = Object.fromEntries(Object.entries(c.inputs).map(([k, x]) => [k, tf.tensor(x, c.shapes[k])]));
        const attrs = c.a as unknown as tf.NamedAttrMap;
        const same = (names: string[], got: tf.Tensor[], want: tf.Tensor[]) => {
          expect(got.length).toBe(names.length);
          expect(want.length).toBe(names.length);
          names.forEach((n, j) => {
            expect(got[j].shape, n).toEqual(want[j].shape);
            expect(maxDiff(got[j].dataSync(), want[j].dataSync()), n).toBeLessThan(1e-5);
          });
        };
        const k = tf.engine().runKernel(FORWARD_KERNEL, ins, attrs) as tf.Tensor[];
        const names = forwardOutputs(c.a);
        same(names, composedForward(tf, ins, c.a), k);
        const saved = Object.fromEntries(names.map((n, j) => [n, k[j]]));
        const bins = {
          ...saved, u: ins.u, dout: tf.tensor(rand(k[0].size, 9), k[0].shape),
          ...(ins.mask ? { mask: ins.mask } : {}), ...(ins.rd ? { rd: ins.rd } : {}), ...(ins.c0 ? { c0: ins.c0 } : {}),
        };
        delete (bins as Record<string, unknown>).out;
        same(backwardOutputs(c.a), composedBackward(tf, bins, c.a), tf.engine().runKernel(BACKWARD_KERNEL, bins, attrs) as tf.Tensor[]);
      });
    });
  }
});

describe('UnrollMatMul (the cpu backend\'s products inside the op)', () => {
  it('equals tf.matMul for every transpose combination, with and without bias, across SIMD block sizes', () => {
    for (const [M, K, N] of [[5, 3, 7], [37, 19, 33], [2, 40, 16]]) for (const ta of [false, true]) for (const tb of [false, true]) for (const withBias of [false, true]) {
      tf.tidy(() => {
        const a = tf.tensor(rand(M * K, 1), ta ? [K, M] : [M, K]), b = tf.tensor(rand(K * N, 2), tb ? [N, K] : [K, N]);
        const bias = tf.tensor(rand(N, 3), [N]);
        const got = tf.engine().runKernel(MATMUL_KERNEL, withBias ? { a, b, bias } : { a, b }, { transposeA: ta, transposeB: tb } as unknown as tf.NamedAttrMap) as tf.Tensor[];
        const want = tf.add(tf.matMul(a, b, ta, tb), withBias ? bias : 0);
        expect(got[0].shape).toEqual([M, N]);
        expect(maxDiff(got[0].dataSync(), want.dataSync())).toBeLessThan(1e-5);
      });
    }
  });
});

describe('the committed WebAssembly module', () => {
  it('is what assembly/rnn.ts compiles to (run npm run build:kernels after editing it)', async () => {
    const { committedSource, compileKernels, generatedSource } = await import('../../../scripts/build-kernels.ts');
    expect(committedSource()).toBe(generatedSource(await compileKernels()));
  }, 120_000);
});

/** SimpleRNN, LSTM or GRU on a float input, as a one-layer model. */
function oneLayer(kind: string, params: Params, T: number, I: number) {
  return compileGraph(tf, chain([{ kind: 'Input', params: { shape: [T, I] } }, { kind, params }]));
}

/** The layer's weights set to: kernel = given, recurrent kernel and bias zero. */
function setKernel(m: tf.LayersModel, kernel: tf.Tensor) {
  const layer = m.layers[1];
  layer.setWeights(layer.getWeights().map((w, k) => (k === 0 ? kernel : tf.zerosLike(w))));
}

describe("dropout follows Keras's rule", () => {
  it('inference ignores dropout; training draws one input mask per sequence (constant over time)', () => {
    const T = 6, I = 4, u = 4;
    const { model } = oneLayer('SimpleRNN', { units: u, activation: 'linear', return_sequences: true, dropout: 0.5 }, T, I);
    setKernel(model, tf.eye(I));
    const x = tf.ones([8, T, I]);
    expect(Array.from((model.predict(x) as tf.Tensor).dataSync())).toEqual(Array(8 * T * u).fill(1));
    const y = (model.apply(x, { training: true }) as tf.Tensor).arraySync() as number[][][];
    // With U = 0 each output is (x ⊙ mask)·W: the mask's values 0 or 2, the same at every step of a row.
    const rows = y.map((r) => JSON.stringify(r[0]));
    y.forEach((r) => r.forEach((step) => expect(JSON.stringify(step)).toBe(JSON.stringify(r[0]))));
    expect(new Set(y.flat(2))).toEqual(new Set([0, 2]));
    expect(new Set(rows).size).toBeGreaterThan(1); // different rows, different masks
  });

  it('LSTM: one input mask shared by the gates without recurrent dropout, one per gate with it', () => {
    const T = 1, I = 6, u = 6;
    // Every gate's kernel is the identity, so with a shared mask all four gates see the same z ∈ {0, 2}.
    const kernel = tf.concat([tf.eye(I), tf.eye(I), tf.eye(I), tf.eye(I)], 1);
    const f = (z: number) => { const s = 1 / (1 + Math.exp(-z)); return s * Math.tanh(s * Math.tanh(z)); };
    const allowed = [f(0), f(2)];
    const distinct = (rd: number) => {
      const { model } = oneLayer('LSTM', { units: u, dropout: 0.5, recurrent_dropout: rd }, T, I);
      setKernel(model, kernel);
      const h = (model.apply(tf.ones([64, T, I]), { training: true }) as tf.Tensor).dataSync();
      return Array.from(h);
    };
    const shared = distinct(0);
    shared.forEach((v) => expect(Math.min(...allowed.map((a) => Math.abs(a - v)))).toBeLessThan(1e-6));
    const perGate = distinct(0.5);
    expect(perGate.some((v) => Math.min(...allowed.map((a) => Math.abs(a - v))) > 1e-3)).toBe(true);
  });
});

describe('layers on the fused path', () => {
  const graphFor = (T: number) => chain([
    { kind: 'Input', params: { shape: [T], dtype: 'int32' } },
    { kind: 'Embedding', params: { input_dim: 20, output_dim: 4, mask_zero: true } },
    { kind: 'Bidirectional', params: { layer: { kind: 'LSTM', params: { units: 5 } }, merge_mode: 'concat' } },
    { kind: 'Dense', params: { units: 3, activation: 'softmax' } },
  ]);
  const batch = (T: number) => [
    tf.tensor2d(Array.from({ length: 4 * T }, (_, i) => (i % T > T - 2 ? 0 : 1 + (i % 19))), [4, T], 'int32'),
    tf.tensor1d([0, 1, 2, 1]),
  ];
  const kernelsPerStep = async (recurrent: 'fused' | 'stock', T: number) => {
    const { model } = compileGraph(tf, graphFor(T), undefined, { recurrent });
    model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
    const [x, y] = batch(T);
    await model.trainOnBatch(x, y);
    const info = await tf.profile(async () => { await model.trainOnBatch(x, y); });
    model.dispose();
    return info.kernels.length;
  };

  it('a training step dispatches the same number of kernels for 4 or 12 steps (the stock loop: more per step)', async () => {
    const [f4, f12, s4, s12] = [await kernelsPerStep('fused', 4), await kernelsPerStep('fused', 12), await kernelsPerStep('stock', 4), await kernelsPerStep('stock', 12)];
    expect(f12).toBe(f4);
    expect((s12 - s4) / 8).toBeGreaterThan(50); // TF.js's loop: ~70 kernels per step for two directions
    expect(f4).toBeLessThan(s4);
  });

  it('training and prediction leave no tensors behind', async () => {
    const { model } = compileGraph(tf, graphFor(6));
    model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
    const [x, y] = batch(6);
    await model.trainOnBatch(x, y);
    const before = tf.memory().numTensors;
    for (let k = 0; k < 3; k++) {
      await model.trainOnBatch(x, y);
      tf.dispose(model.predict(x) as tf.Tensor);
    }
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('a layer with an activation the kernels lack (softmax) runs TF.js\'s loop and still trains', async () => {
    const { model } = oneLayer('SimpleRNN', { units: 3, activation: 'softmax' }, 4, 2);
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const loss = await model.trainOnBatch(tf.randomNormal([5, 4, 2], 0, 1, 'float32', 1), tf.zeros([5, 3]));
    expect(Number.isFinite(loss as number)).toBe(true);
    const y = Array.from((model.predict(tf.ones([1, 4, 2])) as tf.Tensor).dataSync());
    expect(y.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  });
});
