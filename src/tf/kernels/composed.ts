/**
 * The fused op's contract (README.md) written as TF.js ops: the implementation used on backends
 * with no registered kernel (webgl until its shader kernels are registered, webgpu, …) and the
 * executable reference for new kernels. The input projection is already hoisted (xw), so a step
 * costs one matMul plus the gate ops — a few dozen kernels per step forward and backward instead
 * of TF.js's ~70 for an LSTM training step, but still one dispatch each.
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { TF } from '../../core/layers/tfjs.ts';
import { gateCount, type FusedActivation, type RnnAttrs } from './contract.ts';

type Tensor = tfjs.Tensor;
type InputMap = Record<string, Tensor | undefined>;

const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_SCALE = 1.0507009873554804934193349852946;

/** act(x) as TF.js ops. */
export function activationOp(tf: TF, id: FusedActivation, x: Tensor): Tensor {
  switch (id) {
    case 'linear': return x;
    case 'tanh': return tf.tanh(x);
    case 'sigmoid': return tf.sigmoid(x);
    case 'hardSigmoid': return tf.clipByValue(tf.add(tf.mul(x, 0.2), 0.5), 0, 1);
    case 'unrollHardSigmoid': return tf.div(tf.relu6(tf.add(x, 3)), 6);
    case 'relu': return tf.relu(x);
    case 'relu6': return tf.relu6(x);
    case 'softsign': return tf.div(x, tf.add(tf.abs(x), 1));
    case 'softplus': return tf.softplus(x);
    case 'elu': return tf.elu(x);
    case 'selu': return tf.selu(x);
    case 'unrollLeakyRelu': return tf.leakyRelu(x, 0.2);
    case 'unrollExponential': return tf.exp(x);
  }
}

/** act'(x) as TF.js ops, from y = act(x). */
export function derivativeOp(tf: TF, id: FusedActivation, y: Tensor): Tensor {
  const between = (lo: number, hi: number, v: number) => tf.mul(tf.cast(tf.logicalAnd(tf.greater(y, lo), tf.less(y, hi)), 'float32'), v);
  const positive = (yes: number, no: Tensor | number) => tf.where(tf.greater(y, 0), tf.fill(y.shape, yes), typeof no === 'number' ? tf.fill(y.shape, no) : no);
  switch (id) {
    case 'linear': return tf.onesLike(y);
    case 'tanh': return tf.sub(1, tf.square(y));
    case 'sigmoid': return tf.mul(y, tf.sub(1, y));
    case 'hardSigmoid': return between(0, 1, 0.2);
    case 'unrollHardSigmoid': return between(0, 1, 1 / 6);
    case 'relu': return tf.cast(tf.greater(y, 0), 'float32');
    case 'relu6': return between(0, 6, 1);
    case 'softsign': return tf.square(tf.sub(1, tf.abs(y)));
    case 'softplus': return tf.sub(1, tf.exp(tf.neg(y)));
    case 'elu': return positive(1, tf.add(y, 1));
    case 'selu': return positive(SELU_SCALE, tf.add(y, SELU_SCALE * SELU_ALPHA));
    case 'unrollLeakyRelu': return positive(1, 0.2);
    case 'unrollExponential': return y;
  }
}

/** Per-step [B, 1] masks as booleans and as 0/1 floats (null without a mask). */
function stepMasks(tf: TF, mask: Tensor | undefined, T: number) {
  if (!mask) return null;
  const cols = tf.unstack(tf.reshape(mask, [mask.shape[0], T, 1]), 1);
  return cols.map((m) => ({ f: tf.cast(tf.notEqual(m, 0), 'float32'), b: tf.notEqual(m, 0) }));
}

function splitCols(tf: TF, x: Tensor, n: number): Tensor[] {
  return tf.split(x, n, 1);
}

/** The recurrent kernel's gate blocks, and the recurrent-dropout mask's (null without one). */
function blocks(tf: TF, U: Tensor, rd: Tensor | undefined, G: number) {
  return { U: splitCols(tf, U, G), rd: rd ? splitCols(tf, rd, G) : null };
}

/** (h ⊙ rd_g)·U_g for the gate blocks [g0, g1), concatenated (one product without dropout). */
function project(tf: TF, h: Tensor, U: Tensor, bl: ReturnType<typeof blocks>, g0: number, g1: number, G: number): Tensor {
  if (!bl.rd) return tf.matMul(h, g0 === 0 && g1 === G ? U : tf.concat(bl.U.slice(g0, g1), 1));
  const parts = [];
  for (let g = g0; g < g1; g++) parts.push(tf.matMul(tf.mul(h, bl.rd[g]), bl.U[g]));
  return parts.length === 1 ? parts[0] : tf.concat(parts, 1);
}

/** UnrollRnnForward as TF.js ops; returns the outputs named by forwardOutputs(attrs). */
export function composedForward(tf: TF, inputs: InputMap, a: RnnAttrs): Tensor[] {
  const { xw, u: U, br, mask, h0, c0, rd } = inputs as Record<string, Tensor>;
  const [B, T] = xw.shape;
  const u = a.units;
  const G = gateCount(a.cell);
  const act = (x: Tensor) => activationOp(tf, a.activation, x);
  const ract = (x: Tensor) => activationOp(tf, a.recurrentActivation, x);
  const xs = tf.unstack(xw, 1);
  const ms = stepMasks(tf, mask, T);
  const bl = blocks(tf, U, rd, G);
  let h = h0 ?? tf.zeros([B, u]);
  let c = a.cell === 'lstm' ? c0 ?? tf.zeros([B, u]) : null;
  let yprev: Tensor = tf.zeros([B, u]);
  const ys: Tensor[] = [], gatesT: Tensor[] = [], hps: Tensor[] = [], css: Tensor[] = [], auxs: Tensor[] = [];
  for (let t = 0; t < T; t++) {
    let hn: Tensor, cn: Tensor | null = null, gates: Tensor, aux: Tensor | null = null;
    if (a.cell === 'simple') {
      hn = act(tf.add(xs[t], project(tf, h, U, bl, 0, 1, G)));
      gates = hn;
    } else if (a.cell === 'lstm') {
      const [zi, zf, zg, zo] = splitCols(tf, tf.add(xs[t], project(tf, h, U, bl, 0, 4, G)), 4);
      const i = ract(zi), f = ract(zf), g = act(zg), o = ract(zo);
      cn = tf.add(tf.mul(f, c!), tf.mul(i, g));
      hn = tf.mul(o, act(cn));
      gates = tf.concat([i, f, g, o], 1);
    } else {
      const [xz, xr, xh] = splitCols(tf, xs[t], 3);
      let z: Tensor, r: Tensor, g: Tensor;
      if (a.resetAfter) {
        const [rz, rr, rh] = splitCols(tf, tf.add(project(tf, h, U, bl, 0, 3, G), br), 3);
        z = ract(tf.add(xz, rz));
        r = ract(tf.add(xr, rr));
        g = act(tf.add(xh, tf.mul(r, rh)));
        aux = rh;
      } else {
        const [rz, rr] = splitCols(tf, project(tf, h, U, bl, 0, 2, G), 2);
        z = ract(tf.add(xz, rz));
        r = ract(tf.add(xr, rr));
        aux = tf.mul(r, bl.rd ? tf.mul(h, bl.rd[2]) : h);
        g = act(tf.add(xh, tf.matMul(aux, bl.U[2])));
      }
      // Keras mixes with the state itself, not its dropped-out copy.
      hn = tf.add(tf.mul(z, h), tf.mul(tf.sub(1, z), g));
      gates = tf.concat([z, r, g], 1);
    }
    hps.push(h);
    if (ms) {
      const m = ms[t];
      h = tf.where(m.b, hn, h);
      if (c && cn) c = tf.where(m.b, cn, c);
      yprev = tf.where(m.b, hn, yprev);
      gates = tf.mul(gates, m.f);
      if (aux) aux = tf.mul(aux, m.f);
    } else {
      h = hn;
      if (cn) c = cn;
      yprev = hn;
    }
    ys.push(yprev);
    gatesT.push(gates);
    if (c) css.push(c);
    if (aux) auxs.push(aux);
  }
  const rows = a.returnSequences ? ys : [yprev];
  const out = tf.stack([...rows, h, ...(c ? [c] : [])], 1);
  if (!a.saveForGrad) return [out];
  return [
    out, tf.stack(gatesT, 1), tf.stack(hps, 1),
    ...(a.cell === 'lstm' ? [tf.stack(css, 1)] : []),
    ...(a.cell === 'gru' ? [tf.stack(auxs, 1)] : []),
  ];
}

/** Σ_g (d_g·U_gᵀ) ⊙ rd_g over the gate blocks [0, n) (one product without dropout). */
function unproject(tf: TF, d: Tensor, U: Tensor, bl: ReturnType<typeof blocks>, n: number, G: number, u: number): Tensor {
  if (!bl.rd) return tf.matMul(n === G ? d : tf.slice(d, [0, 0], [d.shape[0], n * u]), n === G ? U : tf.concat(bl.U.slice(0, n), 1), false, true);
  const ds = splitCols(tf, d, G);
  let acc: Tensor | null = null;
  for (let g = 0; g < n; g++) {
    const v = tf.mul(tf.matMul(ds[g], bl.U[g], false, true), bl.rd[g]);
    acc = acc ? tf.add(acc, v) : v;
  }
  return acc!;
}

/** UnrollRnnBackward as TF.js ops; returns the outputs named by backwardOutputs(attrs). */
export function composedBackward(tf: TF, inputs: InputMap, a: RnnAttrs): Tensor[] {
  const { dout, u: U, mask, rd, c0, gates, hprev, cs, aux } = inputs as Record<string, Tensor>;
  const [B, T] = gates.shape;
  const u = a.units;
  const G = gateCount(a.cell);
  const dact = (y: Tensor) => derivativeOp(tf, a.activation, y);
  const dract = (y: Tensor) => derivativeOp(tf, a.recurrentActivation, y);
  const Tout = a.returnSequences ? T : 1;
  const douts = tf.unstack(dout, 1);
  const gs = tf.unstack(gates, 1), hps = tf.unstack(hprev, 1);
  const css = cs ? tf.unstack(cs, 1) : null;
  const auxs = aux ? tf.unstack(aux, 1) : null;
  const ms = stepMasks(tf, mask, T);
  const bl = blocks(tf, U, rd, G);
  let ds = douts[Tout];
  let dsc: Tensor | null = a.cell === 'lstm' ? douts[Tout + 1] : null;
  let dyc: Tensor = tf.zeros([B, u]);
  const dxws: Tensor[] = Array(T), drecs: Tensor[] = Array(T), taps: Tensor[] = Array(T);
  for (let t = T - 1; t >= 0; t--) {
    const dy = a.returnSequences ? douts[t] : t === T - 1 ? douts[0] : null;
    const g = dy ? tf.add(dyc, dy) : dyc;
    const dh = tf.add(ds, g);
    if (a.tap) taps[t] = dh;
    let dz: Tensor, drec: Tensor, dsNew: Tensor, dscNew: Tensor | null = null;
    if (a.cell === 'simple') {
      dz = tf.mul(dh, dact(gs[t]));
      drec = dz;
      dsNew = unproject(tf, dz, U, bl, 1, G, u);
    } else if (a.cell === 'lstm') {
      const [i, f, gg, o] = splitCols(tf, gs[t], 4);
      const cPrev = t > 0 ? css![t - 1] : c0 ?? tf.zeros([B, u]);
      const ac = activationOp(tf, a.activation, css![t]);
      const dc = tf.add(dsc!, tf.mul(tf.mul(dh, o), dact(ac)));
      dz = tf.concat([
        tf.mul(tf.mul(dc, gg), dract(i)), tf.mul(tf.mul(dc, cPrev), dract(f)),
        tf.mul(tf.mul(dc, i), dact(gg)), tf.mul(tf.mul(dh, ac), dract(o)),
      ], 1);
      drec = dz;
      dscNew = tf.mul(dc, f);
      dsNew = unproject(tf, dz, U, bl, 4, G, u);
    } else {
      const [z, r, gg] = splitCols(tf, gs[t], 3);
      const da = tf.mul(tf.mul(dh, tf.sub(1, z)), dact(gg));
      const dzz = tf.mul(tf.mul(dh, tf.sub(hps[t], gg)), dract(z));
      const direct = tf.mul(dh, z);
      if (a.resetAfter) {
        const dr = tf.mul(tf.mul(da, auxs![t]), dract(r));
        dz = tf.concat([dzz, dr, da], 1);
        drec = tf.concat([dzz, dr, tf.mul(da, r)], 1);
        dsNew = tf.add(direct, unproject(tf, drec, U, bl, 3, G, u));
      } else {
        const rdh = bl.rd ? bl.rd[2] : null;
        const drhp = tf.matMul(da, bl.U[2], false, true);
        const hpH = rdh ? tf.mul(hps[t], rdh) : hps[t];
        const dr = tf.mul(tf.mul(drhp, hpH), dract(r));
        const viaH = tf.mul(drhp, r);
        dz = tf.concat([dzz, dr, da], 1);
        drec = dz;
        dsNew = tf.add(tf.add(direct, rdh ? tf.mul(viaH, rdh) : viaH), unproject(tf, dz, U, bl, 2, G, u));
      }
    }
    if (ms) {
      const m = ms[t];
      dxws[t] = tf.mul(dz, m.f);
      drecs[t] = tf.mul(drec, m.f);
      // Masked step: the state gradient passes on, the output's goes to the previous output.
      ds = tf.where(m.b, dsNew, ds);
      if (dsc && dscNew) dsc = tf.where(m.b, dscNew, dsc);
      dyc = tf.where(m.b, tf.zerosLike(g), g);
    } else {
      dxws[t] = dz;
      drecs[t] = drec;
      ds = dsNew;
      if (dscNew) dsc = dscNew;
      dyc = tf.zerosLike(g);
    }
  }
  const outs = [tf.stack(dxws, 1), ds];
  if (a.cell === 'lstm') outs.push(dsc!);
  if (a.cell === 'gru' && a.resetAfter) outs.push(tf.stack(drecs, 1));
  if (a.tap) outs.push(tf.stack(taps, 1));
  return outs;
}
