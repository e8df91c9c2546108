/**
 * Tests only: Keras 3's recurrent layers written out step by step in float64 (keras/src/layers/rnn
 * and backend rnn(): masked steps carry the states and repeat the previous output, zeros before
 * the first real step; go_backwards processes and returns the reversed sequence; dropout masks per
 * sequence, on the input shared or per gate, on the state per gate; GRU mixes with the un-dropped
 * state), and
 * gradients by central finite differences of that computation. Independent of the kernels: no
 * shared code, no derivative formulas.
 */
import type { CellKind } from '../contract.ts';

export interface RefSpec {
  readonly cell: CellKind;
  readonly resetAfter: boolean;
  readonly units: number;
  readonly activation: string;
  readonly recurrentActivation: string;
  readonly returnSequences: boolean;
  readonly goBackwards: boolean;
}

/** Row-major float64 arrays; absent = not used. */
export interface RefInputs {
  readonly B: number;
  readonly T: number;
  readonly I: number;
  x: Float64Array;
  W: Float64Array;
  U: Float64Array;
  /** [Gu], or [2, Gu] for GRU reset_after; null without bias. */
  b: Float64Array | null;
  mask: Float64Array | null;
  h0: Float64Array | null;
  c0: Float64Array | null;
  /** Input dropout, scaled: [B, I] shared by the gates, or [B, G, I] one per gate. */
  dmask: Float64Array | null;
  /** Recurrent dropout, scaled: [B, G, u] (one per gate block). */
  rdmask: Float64Array | null;
}

const SELU_A = 1.6732632423543772848170429916717, SELU_S = 1.0507009873554804934193349852946;

/** Keras 3 / TF.js activations by TF.js identifier. */
export function refActivation(id: string, x: number): number {
  switch (id) {
    case 'linear': return x;
    case 'tanh': return Math.tanh(x);
    case 'sigmoid': return 1 / (1 + Math.exp(-x));
    case 'hardSigmoid': return Math.max(0, Math.min(1, 0.2 * x + 0.5));
    case 'unrollHardSigmoid': return Math.max(0, Math.min(6, x + 3)) / 6;
    case 'relu': return Math.max(0, x);
    case 'relu6': return Math.max(0, Math.min(6, x));
    case 'softsign': return x / (1 + Math.abs(x));
    case 'softplus': return Math.log1p(Math.exp(x));
    case 'elu': return x > 0 ? x : Math.expm1(x);
    case 'selu': return x > 0 ? SELU_S * x : SELU_S * SELU_A * Math.expm1(x);
    case 'unrollLeakyRelu': return x > 0 ? x : 0.2 * x;
    case 'unrollExponential': return Math.exp(x);
    default: throw new Error(`reference: no activation ${id}`);
  }
}

export interface RefOutputs {
  /** [B, T, u] with returnSequences, else [B, u]. */
  output: Float64Array;
  /** h (and c) [B, u]. */
  states: Float64Array[];
  /** By input position: h and c after the step that read it, the gates there (NaN at masked positions). */
  steps: { h: Float64Array; c: Float64Array; gates: Record<string, Float64Array> };
}

/** Adds eps to h (and the output it repeats) after the step that reads position `t` of row `b`, unit `k`. */
export interface Injection {
  readonly b: number;
  readonly t: number;
  readonly k: number;
  readonly eps: number;
}

export function refForward(s: RefSpec, p: RefInputs, inject?: Injection): RefOutputs {
  const { B, T, I } = p;
  const u = s.units;
  const G = s.cell === 'lstm' ? 4 : s.cell === 'gru' ? 3 : 1;
  const Gu = G * u;
  const f = (x: number) => refActivation(s.activation, x);
  const g = (x: number) => refActivation(s.recurrentActivation, x);
  const output = new Float64Array(s.returnSequences ? B * T * u : B * u);
  const hT = new Float64Array(B * u), cT = new Float64Array(B * u);
  const bIn = (j: number) => (p.b ? p.b[j] : 0);
  const bRec = (j: number) => (p.b && s.cell === 'gru' && s.resetAfter ? p.b[Gu + j] : 0);
  const perGateIn = p.dmask !== null && p.dmask.length === B * G * I;
  const stepH = new Float64Array(B * T * u), stepC = new Float64Array(B * T * u);
  const names = s.cell === 'lstm' ? ['i', 'f', 'g', 'o'] : s.cell === 'gru' ? ['z', 'r', 'g'] : [];
  const stepGates: Record<string, Float64Array> = Object.fromEntries(names.map((n) => [n, new Float64Array(B * T * u).fill(NaN)]));
  for (let b = 0; b < B; b++) {
    let h = Array.from({ length: u }, (_, k) => (p.h0 ? p.h0[b * u + k] : 0));
    let c = Array.from({ length: u }, (_, k) => (p.c0 ? p.c0[b * u + k] : 0));
    let prevOut = Array<number>(u).fill(0);
    for (let step = 0; step < T; step++) {
      const t = s.goBackwards ? T - 1 - step : step;
      // Input of gate block gi: x ⊙ its dropout mask (one shared mask, or one per gate).
      const xin = (gi: number, i: number) => p.x[(b * T + t) * I + i] * (p.dmask ? p.dmask[perGateIn ? (b * G + gi) * I + i : b * I + i] : 1);
      const xW = (j: number) => {
        let a = bIn(j);
        for (let i = 0; i < I; i++) a += xin(Math.floor(j / u), i) * p.W[i * Gu + j];
        return a;
      };
      // State seen by gate block gi: h ⊙ its recurrent-dropout mask.
      const hd = (gi: number) => h.map((v, k) => v * (p.rdmask ? p.rdmask[(b * G + gi) * u + k] : 1));
      const hU = (v: number[], j: number) => v.reduce((a, vk, k) => a + vk * p.U[k * Gu + j], 0);
      let hn: number[], cn = c;
      let gates: number[][] = [];
      if (s.cell === 'simple') {
        hn = Array.from({ length: u }, (_, j) => f(xW(j) + hU(hd(0), j)));
      } else if (s.cell === 'lstm') {
        const z = Array.from({ length: Gu }, (_, j) => xW(j) + hU(hd(Math.floor(j / u)), j));
        const i = z.slice(0, u).map(g), fg = z.slice(u, 2 * u).map(g), cc = z.slice(2 * u, 3 * u).map(f), o = z.slice(3 * u).map(g);
        cn = c.map((ck, k) => fg[k] * ck + i[k] * cc[k]);
        hn = o.map((ok, k) => ok * f(cn[k]));
        gates = [i, fg, cc, o];
      } else {
        const z = Array.from({ length: u }, (_, k) => g(xW(k) + hU(hd(0), k) + bRec(k)));
        const r = Array.from({ length: u }, (_, k) => g(xW(u + k) + hU(hd(1), u + k) + bRec(u + k)));
        const hh = s.resetAfter
          ? Array.from({ length: u }, (_, k) => f(xW(2 * u + k) + r[k] * (hU(hd(2), 2 * u + k) + bRec(2 * u + k))))
          : Array.from({ length: u }, (_, k) => f(xW(2 * u + k) + hU(r.map((rk, m) => rk * hd(2)[m]), 2 * u + k)));
        hn = hh.map((v, k) => z[k] * h[k] + (1 - z[k]) * v); // Keras mixes with h_tm1 itself
        gates = [z, r, hh];
      }
      const real = !p.mask || p.mask[b * T + t] !== 0;
      if (real) {
        h = hn;
        c = cn;
        prevOut = hn;
        gates.forEach((gv, n) => gv.forEach((v, k) => { stepGates[names[n]][(b * T + t) * u + k] = v; }));
      }
      if (inject && inject.b === b && inject.t === t) {
        h = [...h];
        h[inject.k] += inject.eps;
        prevOut = real ? h : prevOut.map((v, k) => (k === inject.k ? v + inject.eps : v));
      }
      for (let k = 0; k < u; k++) {
        stepH[(b * T + t) * u + k] = h[k];
        stepC[(b * T + t) * u + k] = c[k];
      }
      if (s.returnSequences) for (let k = 0; k < u; k++) output[(b * T + step) * u + k] = prevOut[k];
    }
    if (!s.returnSequences) for (let k = 0; k < u; k++) output[b * u + k] = prevOut[k];
    for (let k = 0; k < u; k++) {
      hT[b * u + k] = h[k];
      cT[b * u + k] = c[k];
    }
  }
  return { output, states: s.cell === 'lstm' ? [hT, cT] : [hT], steps: { h: stepH, c: stepC, gates: stepGates } };
}

/** Σ of every output and state element times a fixed pseudo-random coefficient (the test loss). */
export function lossCoefficients(n: number, seed: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => Math.sin(1.7 * i + seed) + 0.3);
}

export function refLoss(s: RefSpec, p: RefInputs, inject?: Injection): number {
  const { output, states } = refForward(s, p, inject);
  const all = [output, ...states];
  let sum = 0, off = 0;
  for (const a of all) {
    const w = lossCoefficients(a.length, off);
    for (let i = 0; i < a.length; i++) sum += w[i] * a[i];
    off += 1;
  }
  return sum;
}

export type DiffKey = 'x' | 'W' | 'U' | 'b' | 'h0' | 'c0';

/** ∂refLoss/∂p[key] by central differences (float64, step 1e-6). */
export function refGradient(s: RefSpec, p: RefInputs, key: DiffKey): Float64Array {
  const v = p[key]!;
  const out = new Float64Array(v.length);
  const eps = 1e-6;
  for (let i = 0; i < v.length; i++) {
    const keep = v[i];
    v[i] = keep + eps;
    const up = refLoss(s, p);
    v[i] = keep - eps;
    const down = refLoss(s, p);
    v[i] = keep;
    out[i] = (up - down) / (2 * eps);
  }
  return out;
}

/** ∂refLoss/∂h at input position t of row b (h after the step that reads it), [B, T, u], by central differences. */
export function refStateGradient(s: RefSpec, p: RefInputs): Float64Array {
  const u = s.units;
  const out = new Float64Array(p.B * p.T * u);
  const eps = 1e-6;
  for (let b = 0; b < p.B; b++) for (let t = 0; t < p.T; t++) for (let k = 0; k < u; k++) {
    out[(b * p.T + t) * u + k] = (refLoss(s, p, { b, t, k, eps }) - refLoss(s, p, { b, t, k, eps: -eps })) / (2 * eps);
  }
  return out;
}
