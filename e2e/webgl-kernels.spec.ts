/**
 * The fused recurrent op's WebGL kernels (src/tf/kernels/webgl) in headless Chromium on WebGL2
 * (SwiftShader here), through the lab page e2e/lab/kernels.html (built and served by this spec):
 *
 * - the op on webgl against the cpu kernels on the same inputs, for every cell and option: forward
 *   outputs, final states and saved gates < 1e-5, every input's gradient (x, W, U, bias, h0, c0)
 *   and the ∂h tap relative < 1e-4, both as training runs (the forward's dense rows handed to the
 *   backward) and with a trace armed (the packed saved outputs); every activation the kernels know;
 * - whole models, fused on webgl against TF.js's own recurrent layers (on cpu) with the same
 *   weights: outputs < 1e-5, every weight's gradient relative < 1e-4;
 * - an LSTM training step (forward, backward, Adam) runs at most 8 shader programs per time step
 *   (counted at the backend's draw calls; TF.js's own LSTM on webgl: > 30), on the backend as the
 *   app's selectBackend sets it (which registers the kernels);
 * - Adam's update on webgl (UnrollAdam, three programs a variable) against its cpu kernel;
 * - a training epoch through the app's Trainer on webgl against cpu (fused) and webgl stock: every
 *   batch's loss and the trained weights.
 *
 * Every call reports tf.getBackend(): a silent fallback to another backend fails the test.
 */
import { expect, test, type Page } from '@playwright/test';
import { buildSite, preview } from '../bench/lib/browser.ts';
import { chain } from '../src/core/build.ts';
import { addNode, connect, emptyGraph } from '../src/core/edit.ts';
import type { Graph, Params } from '../src/core/types.ts';
import type { OpSpec } from './lab/kernels.ts';

test.describe.configure({ mode: 'serial' });

let server: { url: string; stop: () => void };

test.beforeAll(async () => {
  test.setTimeout(240_000);
  buildSite('lab');
  server = await preview('lab');
});

test.afterAll(() => server?.stop());

async function openLab(page: Page): Promise<void> {
  await page.goto(`${server.url}kernels.html`);
  await page.waitForSelector('html[data-ready="true"]');
}

const FORWARD = /^(output|state\d|saved_\w+)$/;

async function checkOp(page: Page, spec: OpSpec): Promise<void> {
  const r = await page.evaluate((s) => window.lab!.compareOp(s), spec);
  expect(r.backends, JSON.stringify(spec)).toEqual(['webgl', 'cpu']);
  for (const [name, d] of Object.entries(r.diffs)) {
    const what = `${name} of ${JSON.stringify(spec)}`;
    if (FORWARD.test(name)) expect(d.abs, what).toBeLessThan(1e-5);
    else expect(d.rel, what).toBeLessThan(1e-4);
  }
  expect(Object.keys(r.diffs)).toEqual(expect.arrayContaining(['output', 'state0', 'd_x', 'd_kernel', 'd_recurrentKernel', 'traced_d_x', 'traced_d_recurrentKernel', 'saved_gates', 'saved_hprev']));
}

test('the fused op on WebGL equals the cpu kernels for every cell and option', async ({ page }) => {
  test.setTimeout(300_000);
  await openLab(page);
  const cases: OpSpec[] = [
    { cell: 'lstm', B: 4, T: 6, I: 3, u: 5, mask: 'right', initialState: true, returnSequences: true, tap: true, recurrentDropout: true, dropout: 'gate' },
    { cell: 'lstm', B: 4, T: 7, I: 2, u: 9, mask: 'random', goBackwards: true, tap: true, recurrentActivation: 'hardSigmoid', bias: false },
    { cell: 'simple', B: 4, T: 6, I: 3, u: 5, mask: 'right', initialState: true, returnSequences: true, tap: true, recurrentDropout: true, dropout: 'shared' },
    { cell: 'gru', B: 4, T: 6, I: 3, u: 5, mask: 'right', initialState: true, returnSequences: true, tap: true, recurrentDropout: true, goBackwards: true, recurrentActivation: 'unrollHardSigmoid' },
    { cell: 'gru', resetAfter: false, B: 4, T: 6, I: 3, u: 5, mask: 'random', initialState: true, returnSequences: true, tap: true, recurrentDropout: true, dropout: 'gate' },
    { cell: 'gru', resetAfter: false, B: 3, T: 4, I: 3, u: 4, goBackwards: true, bias: false },
    // Long enough that the per-step rows are stacked in two levels (15 inputs a program).
    { cell: 'lstm', B: 5, T: 40, I: 3, u: 6, mask: 'right', returnSequences: true },
  ];
  for (const c of cases) await checkOp(page, c);
});

test('the two directions of a Bidirectional as one kernel call on WebGL (fusedRnnPair) equal two calls on the cpu kernels', async ({ page }) => {
  test.setTimeout(300_000);
  await openLab(page);
  const cases: OpSpec[] = [
    // u = 5: each layer's U padded to 8 rows inside the stacked U (the converters' layer offsets).
    { cell: 'lstm', B: 4, T: 6, I: 3, u: 5, mask: 'right', initialState: true, returnSequences: true, recurrentDropout: true, dropout: 'gate' },
    { cell: 'lstm', B: 3, T: 5, I: 2, u: 8, mask: 'random', dropout: 'shared' },
    { cell: 'simple', B: 4, T: 6, I: 3, u: 5, mask: 'right', initialState: true, returnSequences: true, recurrentDropout: true, dropout: 'shared' },
    { cell: 'gru', B: 4, T: 6, I: 3, u: 5, mask: 'right', initialState: true, returnSequences: true, recurrentDropout: true },
    { cell: 'gru', B: 2, T: 4, I: 3, u: 4, bias: false },
    { cell: 'gru', resetAfter: false, B: 4, T: 6, I: 3, u: 5, mask: 'random', initialState: true, returnSequences: true, recurrentDropout: true, dropout: 'gate' },
    { cell: 'gru', resetAfter: false, B: 3, T: 4, I: 3, u: 4, bias: false },
  ];
  for (const spec of cases) {
    const r = await page.evaluate((s) => window.lab!.comparePair(s), spec);
    const what = JSON.stringify(spec);
    expect(r.backends, what).toEqual(['webgl', 'cpu']);
    expect(r.paired, what).toEqual([true, false]);
    for (const [name, d] of Object.entries(r.diffs)) {
      if (/:(output|state\d)$/.test(name)) expect(d.abs, `${name} of ${what}`).toBeLessThan(1e-5);
      else expect(d.rel, `${name} of ${what}`).toBeLessThan(1e-4);
    }
    expect(Object.keys(r.diffs), what).toEqual(expect.arrayContaining(['0:output', '1:output', '0:state0', '1:state0', '0:d_x', '1:d_x', '0:d_kernel', '1:d_kernel', '0:d_recurrentKernel', '1:d_recurrentKernel']));
  }
});

test('every activation the kernels know, and rows that fold past the maximum texture size', async ({ page }) => {
  test.setTimeout(300_000);
  await openLab(page);
  const acts = ['linear', 'tanh', 'sigmoid', 'hardSigmoid', 'unrollHardSigmoid', 'relu', 'relu6', 'softsign', 'softplus', 'elu', 'selu', 'unrollLeakyRelu', 'unrollExponential'] as const;
  for (const activation of acts) await checkOp(page, { cell: 'simple', B: 3, T: 3, I: 2, u: 3, activation, returnSequences: true, tap: true, seed: 5 });
  const maxTexture = await page.evaluate(() => {
    const gl = document.createElement('canvas').getContext('webgl2')!;
    return gl.getParameter(gl.MAX_TEXTURE_SIZE) as number;
  });
  // B·T rows > the maximum texture size: the dense textures fold rows side by side.
  const B = 24, T = Math.ceil((maxTexture + 1) / B);
  await checkOp(page, { cell: 'simple', B, T, I: 2, u: 3, mask: 'right', returnSequences: false });
});

test('a batch of a new length compiles none of the op\'s shaders again (lengths change from batch to batch)', async ({ page }) => {
  test.setTimeout(180_000);
  await openLab(page);
  // Lengths up to 14 stack the per-step rows in one level, 15…224 in two: the second level's
  // concat program compiles once, the first time a sequence is that long.
  const lengths = [7, 9, 12, 20, 23, 30];
  for (const spec of [
    { cell: 'lstm', B: 4, I: 3, u: 5, mask: 'right', returnSequences: true, tap: true, recurrentDropout: true },
    { cell: 'gru', resetAfter: false, B: 4, I: 3, u: 5, mask: 'right' },
  ] as Omit<OpSpec, 'T'>[]) {
    const r = await page.evaluate(([x, l]) => window.lab!.compilesPerLength(x as OpSpec, l), [spec, lengths] as [Omit<OpSpec, 'T'>, number[]]);
    expect(r.backend).toBe('webgl');
    test.info().annotations.push({ type: `shaders compiled per length (${spec.cell})`, description: `${lengths.map((T, k) => `T=${T}: ${r.ours[k]} (TF.js's own: ${r.theirs[k]})`).join(', ')}` });
    expect(r.ours[0], JSON.stringify(spec)).toBeGreaterThan(5); // the first length compiles them
    expect([r.ours[1], r.ours[2], r.ours[4], r.ours[5]], JSON.stringify(r)).toEqual([0, 0, 0, 0]);
    expect(r.ours[3], JSON.stringify(r)).toBeLessThanOrEqual(2); // the second stacking level
  }
});

/** A chain over int token ids with a masked Embedding. */
function tokens(...layers: { kind: string; params?: Params }[]): Graph {
  return chain([{ kind: 'Input', params: { shape: [null], dtype: 'int32' } }, { kind: 'Embedding', params: { input_dim: 20, output_dim: 4, mask_zero: true } }, ...layers]);
}

const ids = { values: [1, 2, 3, 4, 0, 0, 5, 6, 1, 2, 3, 4, 3, 0, 0, 0, 0, 0, 7, 8, 9, 10, 11, 12], shape: [4, 6], dtype: 'int32' as const };
const bi = (kind: string, params: Params): { kind: string; params: Params } => ({ kind: 'Bidirectional', params: { layer: { kind, params }, merge_mode: 'concat' } });

test('whole models: the fused path on WebGL equals TF.js\'s own recurrent layers (outputs and every weight\'s gradient)', async ({ page }) => {
  test.setTimeout(300_000);
  await openLab(page);
  const models: [string, Graph, typeof ids[]][] = [];
  models.push(['LSTM return_sequences, go_backwards', tokens({ kind: 'LSTM', params: { units: 5, return_sequences: true, go_backwards: true } }, { kind: 'Dense', params: { units: 2 } }), [ids]]);
  models.push(['Bidirectional(GRU reset_after) stacked on Bidirectional', tokens(bi('GRU', { units: 3, return_sequences: true }), bi('GRU', { units: 2 }), { kind: 'Dense', params: { units: 3, activation: 'softmax' } }), [ids]]);
  models.push(['GRU reset_before (go_backwards) → SimpleRNN', tokens({ kind: 'GRU', params: { units: 4, return_sequences: true, go_backwards: true, reset_after: false } }, { kind: 'SimpleRNN', params: { units: 3 } }), [ids]]);
  // Encoder states into a decoder's initial state (LSTM: h and c).
  let g: Graph = emptyGraph;
  const add = (kind: string, params: Params) => {
    const r = addNode(g, { kind, params });
    g = r.graph;
    return r.node.id;
  };
  const src = add('Input', { shape: [4, 3], dtype: 'float32' });
  const dec = add('Input', { shape: [5, 2], dtype: 'float32' });
  const enc = add('LSTM', { units: 3, return_state: true });
  const d = add('LSTM', { units: 3, return_sequences: true });
  const out = add('Output', {});
  g = connect(g, { source: src, sourcePort: 'output', target: enc, targetPort: 'input' });
  g = connect(g, { source: dec, sourcePort: 'output', target: d, targetPort: 'input' });
  g = connect(g, { source: enc, sourcePort: 'h', target: d, targetPort: 'h' });
  g = connect(g, { source: enc, sourcePort: 'c', target: d, targetPort: 'c' });
  g = connect(g, { source: d, sourcePort: 'output', target: out, targetPort: 'input' });
  const floats = (n: number, seed: number) => Array.from({ length: n }, (_, i) => Math.sin(i * 1.3 + seed));
  models.push(['encoder-decoder with initial_state', g, [
    { values: floats(2 * 4 * 3, 1), shape: [2, 4, 3], dtype: 'float32' } as never,
    { values: floats(2 * 5 * 2, 2), shape: [2, 5, 2], dtype: 'float32' } as never,
  ]]);

  for (const [name, graph, inputs] of models) {
    const r = await page.evaluate((job) => window.lab!.compareModel(job as never), { graph, inputs });
    expect(r.backend, name).toBe('webgl');
    for (const o of r.outputs) expect(o.abs, `${name}: output`).toBeLessThan(1e-5);
    expect(r.grads.length, name).toBeGreaterThan(3);
    for (const gr of r.grads) expect(gr.rel, `${name}: d/d ${gr.name}`).toBeLessThan(1e-4);
  }
});

test('an LSTM training step dispatches at most 8 shader programs (and copies) per time step (the app\'s webgl backend runs the fused kernels)', async ({ page }) => {
  test.setTimeout(240_000);
  await openLab(page);
  const graph = chain([
    { kind: 'Input', params: { shape: [null], dtype: 'int32' } },
    { kind: 'Embedding', params: { input_dim: 50, output_dim: 4, mask_zero: true } },
    { kind: 'LSTM', params: { units: 8 } },
    { kind: 'Dense', params: { units: 3, activation: 'softmax' } },
  ]);
  // Forward, loss, backward and the Adam update of the whole model, at two lengths: what one more
  // time step adds is the recurrent layer's cost per step. The page sets webgl with the app's
  // selectBackend (which registers the kernels) and compiles with the app's compileGraph.
  const lengths = [6, 16];
  const perStep = (xs: number[]) => (xs[1] - xs[0]) / (lengths[1] - lengths[0]);
  const counts: Record<string, { programs: number[]; ours: number[] }> = {};
  for (const recurrent of ['fused', 'stock'] as const) {
    const r = await page.evaluate((job) => window.lab!.stepDispatches(job as never), { graph, recurrent, lengths, B: 4, vocab: 50, classes: 3 });
    expect(r.backend).toBe('webgl');
    expect(r.fusedKernels, 'selectBackend registered the webgl kernels').toBe(true);
    counts[recurrent] = r;
    console.log(`${recurrent}: programs per training step T=${lengths[0]}: ${r.programs[0]}, T=${lengths[1]}: ${r.programs[1]} → ${perStep(r.programs).toFixed(1)} per time step (the op's own: ${perStep(r.ours).toFixed(1)})`);
    test.info().annotations.push({ type: `${recurrent}: programs per time step`, description: perStep(r.programs).toFixed(2) });
  }
  const fused = perStep(counts.fused.programs), ours = perStep(counts.fused.ours), stock = perStep(counts.stock.programs);
  // The fused op: GATES + STATE forward, DZ + CARRY backward a step, and each step's rows copied
  // into the stacked rows (forward: the state row and the gates row — an LSTM's state rows leave
  // the gates out, its GATES output is saved as it is —, backward: one; blits, counted with the
  // programs): 70 GPU commands for 10 more steps, and nothing that grows with the length besides.
  expect(ours).toBeCloseTo(7, 5);
  expect(fused).toBeLessThanOrEqual(8);
  expect(fused).toBeGreaterThanOrEqual(ours);
  // TF.js's own loop on the same backend (~70 kernels a step): the count sees what it should. The
  // one marked program of its step is the Embedding's gradient (Unroll's UnsortedSegmentSum).
  expect(counts.stock.ours).toEqual([1, 1]);
  expect(stock).toBeGreaterThan(30);

  // A Bidirectional LSTM: both directions run as one kernel call (fusedRnnPair), so a time step
  // of the pair costs what one direction's does (14 GPU commands when run one after the other).
  const bi = chain([
    { kind: 'Input', params: { shape: [null], dtype: 'int32' } },
    { kind: 'Embedding', params: { input_dim: 50, output_dim: 4, mask_zero: true } },
    { kind: 'Bidirectional', params: { layer: { kind: 'LSTM', params: { units: 8 } }, merge_mode: 'concat' } },
    { kind: 'Dense', params: { units: 3, activation: 'softmax' } },
  ]);
  const r = await page.evaluate((job) => window.lab!.stepDispatches(job as never), { graph: bi, recurrent: 'fused', lengths, B: 4, vocab: 50, classes: 3 });
  console.log(`Bidirectional(LSTM) fused: ${perStep(r.programs).toFixed(1)} programs per time step (the op's own: ${perStep(r.ours).toFixed(1)})`);
  expect(perStep(r.ours)).toBeCloseTo(7, 5);
  expect(perStep(r.programs)).toBeLessThanOrEqual(8);
});

test('Embedding gradients: the webgl UnsortedSegmentSum sums each segment\'s own rows and equals the cpu kernel', async ({ page }) => {
  test.setTimeout(120_000);
  await openLab(page);
  // Unroll's kernel (as on a software renderer: always), with ids out of range and repeated, and
  // with sorted ids (the order is the identity, not uploaded); a vocabulary over the maximum
  // texture width; and as on a GPU below GPU_MIN_WORK, where TF.js's own kernel runs.
  const cases = [
    { V: 1000, N: 1280, D: 16, ids: 'random', software: true },
    { V: 37, N: 300, D: 5, ids: 'sorted', software: true },
    { V: 20000, N: 500, D: 3, ids: 'random', software: true },
    { V: 40, N: 64, D: 4, ids: 'random', software: false },
  ] as const;
  const ours: number[] = [], programs: number[] = [];
  for (const c of cases) {
    const r = await page.evaluate((s) => window.lab!.compareSegmentSum(s), c);
    expect(r.backend).toBe('webgl');
    expect(r.sum, `${JSON.stringify(c)}: segment sum`).toBeLessThan(1e-5 * Math.max(1, r.scale));
    expect(r.grad, `${JSON.stringify(c)}: gather gradient`).toBeLessThan(1e-5 * Math.max(1, r.scale));
    ours.push(r.ours);
    programs.push(r.programs);
  }
  // Unroll's kernel is one program (the others upload x and the offsets/order); below the GPU
  // threshold TF.js's own runs.
  expect(ours).toEqual([1, 1, 1, 0]);
  expect(programs[3]).toBeGreaterThan(0);
});

test('Adam: the update on webgl is three programs a variable and equals the cpu kernel', async ({ page }) => {
  test.setTimeout(120_000);
  await openLab(page);
  // The benchmark model's variable shapes (an Embedding past the maximum texture width too), odd
  // sizes that leave packed texels half used, and gradients from 1 down to 1e-3.
  const shapes = [[1000, 16], [16, 128], [32, 128], [128], [64, 3], [3], [5, 7], [9], [1, 20000]];
  const r = await page.evaluate((s) => window.lab!.compareAdam(s), { shapes, steps: 5, lr: 0.01 });
  expect(r.backend).toBe('webgl');
  expect(r.kernel, 'UnrollAdam registered on webgl and cpu').toBe(true);
  expect(r.w, 'variables').toBeLessThan(1e-5);
  expect(r.m, 'first moments').toBeLessThan(1e-5);
  expect(r.v, 'second moments').toBeLessThan(1e-5);
  // Three programs a variable (new w, m, v; TF.js's own Adam: ~13 a variable). Besides them only
  // the page's own: packing each gradient it uploaded, and reading one variable back.
  expect(r.ours).toBe(3 * shapes.length);
  expect(r.programs).toBeLessThanOrEqual(r.ours + shapes.length + 1);
  console.log(`Adam on webgl: ${r.programs} programs for ${shapes.length} variables (${r.ours} Adam's own)`);
});

test('training on webgl: the app\'s Trainer (fused op, Adam as UnrollAdam) follows the cpu backend batch by batch, and the stock path on webgl', async ({ page }) => {
  test.setTimeout(180_000);
  await openLab(page);
  // The lesson's model on the benchmark's tweet-length batches (18 of 16, lengths changing from
  // batch to batch), one epoch from seed 42 at a learning rate that moves the weights.
  const run = (backend: 'webgl' | 'cpu', recurrent: 'fused' | 'stock') =>
    page.evaluate((j) => window.lab!.trainingLosses(j), { model: 'lesson' as const, backend, recurrent, learningRate: 0.01 });
  const gl = await run('webgl', 'fused');
  const cpu = await run('cpu', 'fused');
  const stock = await run('webgl', 'stock');
  for (const r of [gl, cpu, stock]) expect(r.error).toBeUndefined();
  expect([gl.backend, cpu.backend, stock.backend]).toEqual(['webgl', 'cpu', 'webgl']);
  expect(gl.losses.length).toBe(18);
  const lossDiff = (a: number[], b: number[]) => Math.max(...a.map((l, k) => Math.abs(l - b[k])));
  const weightDiff = (a: number[][], b: number[][]) => Math.max(...a.map((w, i) => {
    const scale = Math.max(1e-6, ...b[i].map(Math.abs));
    return Math.max(...w.map((v, k) => Math.abs(v - b[i][k]) / scale));
  }));
  console.log(`losses webgl fused ${gl.losses.map((l) => l.toFixed(4)).join(' ')}`);
  console.log(`max |Δ loss|: webgl − cpu ${lossDiff(gl.losses, cpu.losses).toExponential(2)}, fused − stock (webgl) ${lossDiff(gl.losses, stock.losses).toExponential(2)}; weights: ${weightDiff(gl.weights, cpu.weights).toExponential(2)}, ${weightDiff(gl.weights, stock.weights).toExponential(2)}`);
  // Same computation up to float rounding on every batch (a wrong update would show from batch 2).
  // (Measured on SwiftShader: 1.2e-7 both, weights 4e-5 and 1e-6.)
  expect(lossDiff(gl.losses, cpu.losses)).toBeLessThan(1e-4);
  expect(lossDiff(gl.losses, stock.losses)).toBeLessThan(1e-4);
  expect(gl.weights.length).toBe(cpu.weights.length);
  expect(weightDiff(gl.weights, cpu.weights)).toBeLessThan(1e-3);
  expect(weightDiff(gl.weights, stock.weights)).toBeLessThan(1e-3);
});
