/**
 * The Adam update (adam.ts, optimizer.ts `unrollAdam`) on cpu and wasm (Node): the UnrollAdam
 * kernel and the composed TF.js ops against their equations in float64, the optimizer over several
 * steps (fused and composed) against TF.js's AdamOptimizer's equations, its kernels (one a
 * variable), its weights round trip, and where Keras 3's placement of ε would differ.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../data/random.ts';
import { unrollAdam, makeOptimizer, setLearningRate } from '../train/optimizer.ts';
import { ADAM_KERNEL, adamAlpha, adamUpdate, composedAdam } from './adam.ts';
import { registerFusedRnnKernels } from './register.ts';

const B1 = 0.9, B2 = 0.999, EPS = 1e-7;

const randoms = (rand: () => number, n: number, scale = 1) => Array.from({ length: n }, () => (rand() * 2 - 1) * scale);

/**
 * One Adam step in float64 at step t (1-based): the new w, m, v. 'keras' is keras/src/optimizers/
 * adam.py (w − m·alpha / (√v + ε), also the kernel's form), 'tfjs' TF.js's AdamOptimizer
 * (w − lr·m̂ / (√v̂ + ε)).
 */
function refStep(w: number[], m: number[], v: number[], g: number[], lr: number, t: number, placement: 'keras' | 'tfjs') {
  const m1 = m.map((mk, k) => mk + (g[k] - mk) * (1 - B1));
  const v1 = v.map((vk, k) => vk + (g[k] * g[k] - vk) * (1 - B2));
  if (placement === 'tfjs') {
    return { w: w.map((wk, k) => wk - (lr * (m1[k] / (1 - B1 ** t))) / (Math.sqrt(v1[k] / (1 - B2 ** t)) + EPS)), m: m1, v: v1 };
  }
  const alpha = (lr * Math.sqrt(1 - B2 ** t)) / (1 - B1 ** t);
  return { w: w.map((wk, k) => wk - (m1[k] * alpha) / (Math.sqrt(v1[k]) + EPS)), m: m1, v: v1 };
}

const maxRel = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let d = 0;
  for (let k = 0; k < a.length; k++) d = Math.max(d, Math.abs(a[k] - b[k]) / Math.max(1e-3, Math.abs(b[k])));
  return d;
};

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`Adam on ${backend}`, () => {
    beforeAll(async () => {
      expect(await tf.setBackend(backend)).toBe(true);
      expect(tf.getBackend()).toBe(backend);
      registerFusedRnnKernels(tf);
    });

    it('the UnrollAdam kernel and the composed ops equal their equations (float64) at steps 1 and 50', () => {
      expect(tf.getKernel(ADAM_KERNEL, backend)).toBeDefined();
      const rand = mulberry32(5);
      const n = 7 * 5;
      const w = randoms(rand, n), g = randoms(rand, n, 0.1);
      const m = randoms(rand, n, 0.01), v = randoms(rand, n, 1e-4).map(Math.abs);
      for (const t of [1, 50]) {
        const want = refStep(w, m, v, g, 0.01, t, 'keras');
        const attrs = { alpha: adamAlpha(0.01, B1, B2, t), beta1: B1, beta2: B2, epsilon: EPS };
        const ts = [w, m, v, g].map((a) => tf.tensor2d(a, [7, 5]));
        for (const run of [adamUpdate, composedAdam]) {
          const [w1, m1, v1] = run(tf, attrs, ts[0], ts[1], ts[2], ts[3]);
          expect(maxRel(w1.dataSync(), want.w), `${run.name} w, t=${t}`).toBeLessThan(1e-6);
          expect(maxRel(m1.dataSync(), want.m), `${run.name} m`).toBeLessThan(1e-6);
          expect(maxRel(v1.dataSync(), want.v), `${run.name} v`).toBeLessThan(1e-6);
          tf.dispose([w1, m1, v1]);
        }
        tf.dispose(ts);
      }
    });

    it('the optimizer follows TF.js\'s AdamOptimizer\'s equations over 6 steps, fused and composed; the fused one runs one kernel a variable', async () => {
      const rand = mulberry32(9);
      const shapes = [[3, 4], [5]];
      const size = (s: number[]) => s.reduce((a, d) => a * d, 1);
      const init = shapes.map((s) => randoms(rand, size(s)));
      // Gradient scales down to 1e-6, where where ε sits matters.
      const grads = Array.from({ length: 6 }, (_, k) => shapes.map((s) => randoms(rand, size(s), 10 ** -(k + 1))));
      for (const fused of [true, false]) {
        const vars = shapes.map((s, i) => tf.variable(tf.tensor(init[i], s), true, `adam_w${i}_${fused}_${backend}`));
        const opt = unrollAdam(tf, 0.01, fused);
        let want = init.map((w) => ({ w, m: w.map(() => 0), v: w.map(() => 0) }));
        for (let step = 0; step < 6; step++) {
          const map: tf.NamedTensorMap = {};
          vars.forEach((x, i) => { map[x.name] = tf.tensor(grads[step][i], shapes[i]); });
          const before = tf.memory().numTensors;
          const profile = await tf.profile(() => { opt.applyGradients(map as never); });
          // Nothing left behind but the moments (created at the first step).
          expect(tf.memory().numTensors - before).toBe(step === 0 ? 2 * vars.length : 0);
          const names = profile.kernels.map((k) => k.name);
          if (fused) expect(names.filter((k) => k === ADAM_KERNEL).length, names.join()).toBe(vars.length);
          else expect(names).not.toContain(ADAM_KERNEL);
          if (fused && step > 0) expect(names, 'one kernel a variable, nothing else').toEqual(vars.map(() => ADAM_KERNEL));
          tf.dispose(Object.values(map));
          want = want.map((s, i) => refStep(s.w, s.m, s.v, grads[step][i], 0.01, step + 1, 'tfjs'));
          vars.forEach((x, i) => expect(maxRel(x.dataSync(), want[i].w), `fused=${fused} step ${step + 1} w${i}`).toBeLessThan(1e-5));
        }
        expect(opt.iterations).toBe(6);
        opt.dispose();
        tf.dispose(vars);
      }
    });

    it('equals TF.js\'s AdamOptimizer, tiny gradients included, where Keras 3\'s placement of ε takes smaller steps', () => {
      const run = (make: () => tf.Optimizer, scale: number) => {
        const x = tf.variable(tf.tensor1d([1, -2, 3]), true, `adam_cmp_${backend}_${Math.random()}`);
        const opt = make();
        const g = tf.tensor1d([1, -1, 0.5].map((a) => a * scale));
        for (let k = 0; k < 3; k++) opt.applyGradients({ [x.name]: g } as never);
        const out = Array.from(x.dataSync());
        tf.dispose([x, g]);
        opt.dispose();
        return out;
      };
      const moved = (a: number[]) => a.map((v, k) => v - [1, -2, 3][k]);
      for (const scale of [1, 1e-7]) {
        const ours = moved(run(() => makeOptimizer(tf, { optimizer: 'adam', learning_rate: 0.01 }), scale));
        const theirs = moved(run(() => tf.train.adam(0.01, B1, B2, EPS), scale));
        const keras = (() => {
          let s = { w: [1, -2, 3], m: [0, 0, 0], v: [0, 0, 0] };
          for (let t = 1; t <= 3; t++) s = refStep(s.w, s.m, s.v, [1, -1, 0.5].map((a) => a * scale), 0.01, t, 'keras');
          return moved(s.w);
        })();
        // The steps are differences of float32 values near 1: ~1e-7 absolute rounding on steps of ~1e-3.
        expect(maxRel(ours, theirs), `scale ${scale}`).toBeLessThan(1e-3);
        if (scale === 1) expect(maxRel(ours, keras)).toBeLessThan(1e-3);
        // 1e-7 gradients: Keras's ε is TF.js's over √(1 − β2^t) (31× at t = 1): its steps are smaller.
        else {
          expect(maxRel(ours, keras)).toBeGreaterThan(0.2);
          ours.forEach((d, k) => expect(Math.abs(keras[k])).toBeLessThan(Math.abs(d)));
        }
      }
    });

    it('keeps TF.js\'s weights layout (iterations, moments by name): saved and restored, it goes on as before', async () => {
      const x = tf.variable(tf.tensor2d([[1, 2], [3, 4]]), true, `adam_save_${backend}`);
      const g = tf.tensor2d([[0.1, -0.2], [0.3, -0.4]]);
      const a = unrollAdam(tf, 0.05, true);
      a.applyGradients({ [x.name]: g } as never);
      a.applyGradients({ [x.name]: g } as never);
      const saved = await a.getWeights();
      expect(saved.map((s) => s.name)).toEqual(['iter', `${x.name}/m`, `${x.name}/v`]);
      const b = unrollAdam(tf, 0.05, true);
      await b.setWeights(saved.map((s) => ({ name: s.name, tensor: tf.clone(s.tensor) })));
      expect(b.iterations).toBe(2);
      const start = x.clone();
      a.applyGradients({ [x.name]: g } as never);
      const viaA = Array.from(x.dataSync());
      x.assign(start);
      b.applyGradients({ [x.name]: g } as never);
      expect(maxRel(x.dataSync(), viaA)).toBeLessThan(1e-7);
      // A lowered learning rate is the next step's.
      setLearningRate(b, 0);
      const before = Array.from(x.dataSync());
      b.applyGradients({ [x.name]: g } as never);
      expect(Array.from(x.dataSync())).toEqual(before);
      tf.dispose([x, g, start]);
      a.dispose();
      b.dispose();
    });
  });
}
