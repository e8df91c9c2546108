/**
 * The fused recurrent op as plain loops over Float32Arrays: forward and backward through time for
 * SimpleRNN, LSTM and GRU (both reset_after), following the step equations in README.md. Rows of
 * the batch are independent, so each row runs its whole sequence before the next (its state stays
 * in cache; U, u × Gu floats, is shared).
 *
 * These loops are the cpu and wasm backends' kernels (`register.ts` hands them the tensors' memory
 * directly: the TF.js cpu backend's arrays, or views of the TF.js wasm heap — no copies).
 */
import type { CellKind } from './contract.ts';

// Activation codes: indices into FUSED_ACTIVATIONS (contract.ts).
const LINEAR = 0, TANH = 1, SIGMOID = 2, HARD_SIGMOID = 3, KERAS_HARD_SIGMOID = 4, RELU = 5, RELU6 = 6,
  SOFTSIGN = 7, SOFTPLUS = 8, ELU = 9, SELU = 10, LEAKY_RELU = 11, EXPONENTIAL = 12;
const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_SCALE = 1.0507009873554804934193349852946;

/** Activation `code` at x (TF.js's definitions). */
export function activate(code: number, x: number): number {
  switch (code) {
    case TANH: return Math.tanh(x);
    case SIGMOID: return 1 / (1 + Math.exp(-x));
    case LINEAR: return x;
    case HARD_SIGMOID: return Math.min(1, Math.max(0, 0.2 * x + 0.5));
    case KERAS_HARD_SIGMOID: return Math.min(6, Math.max(0, x + 3)) / 6;
    case RELU: return x > 0 ? x : 0;
    case RELU6: return Math.min(6, Math.max(0, x));
    case SOFTSIGN: return x / (1 + Math.abs(x));
    case SOFTPLUS: return Math.log(1 + Math.exp(x));
    case ELU: return x > 0 ? x : Math.exp(x) - 1;
    case SELU: return x > 0 ? SELU_SCALE * x : SELU_SCALE * SELU_ALPHA * (Math.exp(x) - 1);
    case LEAKY_RELU: return x > 0 ? x : 0.2 * x;
    case EXPONENTIAL: return Math.exp(x);
    default: throw new Error(`fused RNN: unknown activation code ${code}`);
  }
}

/** The derivative of activation `code`, written in terms of its output y = act(x). */
export function derivative(code: number, y: number): number {
  switch (code) {
    case TANH: return 1 - y * y;
    case SIGMOID: return y * (1 - y);
    case LINEAR: return 1;
    case HARD_SIGMOID: return y > 0 && y < 1 ? 0.2 : 0;
    case KERAS_HARD_SIGMOID: return y > 0 && y < 1 ? 1 / 6 : 0;
    case RELU: return y > 0 ? 1 : 0;
    case RELU6: return y > 0 && y < 6 ? 1 : 0;
    case SOFTSIGN: { const a = 1 - Math.abs(y); return a * a; }
    case SOFTPLUS: return 1 - Math.exp(-y);
    case ELU: return y > 0 ? 1 : y + 1;
    case SELU: return y > 0 ? SELU_SCALE : y + SELU_SCALE * SELU_ALPHA;
    case LEAKY_RELU: return y > 0 ? 1 : 0.2;
    case EXPONENTIAL: return y;
    default: throw new Error(`fused RNN: unknown activation code ${code}`);
  }
}

export interface LoopShape {
  readonly cell: CellKind;
  readonly resetAfter: boolean;
  readonly act: number;
  readonly ract: number;
  readonly B: number;
  readonly T: number;
  readonly u: number;
  readonly returnSequences: boolean;
}

export interface ForwardArrays {
  readonly xw: Float32Array;
  readonly U: Float32Array;
  readonly br: Float32Array | null;
  readonly mask: Float32Array | null;
  readonly h0: Float32Array | null;
  readonly c0: Float32Array | null;
  /** [B, Gu]: recurrent dropout, one mask per gate block (Keras implementation 1). */
  readonly rd: Float32Array | null;
  readonly out: Float32Array;
  /** Saved for the backward pass (all null unless saveForGrad). */
  readonly gates: Float32Array | null;
  readonly hprev: Float32Array | null;
  readonly cs: Float32Array | null;
  readonly aux: Float32Array | null;
}

/** Forward through time: writes `out` (and the saved arrays when given). */
export function forwardLoops(s: LoopShape, a: ForwardArrays): void {
  const { cell, resetAfter, act, ract, B, T, u } = s;
  const G = cell === 'lstm' ? 4 : cell === 'gru' ? 3 : 1;
  const Gu = G * u;
  const Tout = s.returnSequences ? T : 1;
  const R = Tout + (cell === 'lstm' ? 2 : 1);
  const { xw, U, br, mask, h0, c0, rd, out, gates, hprev, cs, aux } = a;
  const save = gates !== null;
  const gruBefore = cell === 'gru' && !resetAfter;
  const h = new Float64Array(u), c = new Float64Array(u), yprev = new Float64Array(u);
  const hp = new Float64Array(u), z = new Float64Array(Gu), rhp = new Float64Array(u);
  // z[j] += Σ_k (h ⊙ rd_block)[k] · U[k, j] for the columns j of gate blocks g0 … g1−1.
  const project = (b: number, g0: number, g1: number) => {
    for (let g = g0; g < g1; g++) {
      for (let k = 0; k < u; k++) {
        const hk = rd ? h[k] * rd[b * Gu + g * u + k] : h[k];
        if (hk === 0) continue;
        const row = k * Gu + g * u;
        for (let j = 0; j < u; j++) z[g * u + j] += hk * U[row + j];
      }
    }
  };
  for (let b = 0; b < B; b++) {
    for (let k = 0; k < u; k++) {
      h[k] = h0 ? h0[b * u + k] : 0;
      c[k] = c0 ? c0[b * u + k] : 0;
      yprev[k] = 0;
    }
    const outRow = b * R * u;
    for (let t = 0; t < T; t++) {
      const bt = b * T + t;
      const real = mask === null || mask[bt] !== 0;
      if (save) {
        hprev!.set(h, bt * u);
        if (!real) {
          gates!.fill(0, bt * Gu, (bt + 1) * Gu);
          if (aux) aux.fill(0, bt * u, (bt + 1) * u);
        }
      }
      if (real) {
        const xo = bt * Gu;
        // z = xw_t + (h ⊙ rd)·U. GRU reset_after: the h block holds the recurrent part alone
        // (r multiplies it); reset_before: the h block waits for r.
        const xBlocks = cell === 'gru' ? 2 : G;
        for (let j = 0; j < Gu; j++) z[j] = j < xBlocks * u ? xw[xo + j] : 0;
        project(b, 0, gruBefore ? 2 : G);
        if (cell === 'simple') {
          for (let k = 0; k < u; k++) {
            const v = activate(act, z[k]);
            h[k] = v;
            if (save) gates![xo + k] = v;
          }
        } else if (cell === 'lstm') {
          for (let k = 0; k < u; k++) {
            const i = activate(ract, z[k]);
            const f = activate(ract, z[u + k]);
            const g = activate(act, z[2 * u + k]);
            const o = activate(ract, z[3 * u + k]);
            const cn = f * c[k] + i * g;
            c[k] = cn;
            h[k] = o * activate(act, cn);
            if (save) {
              gates![xo + k] = i;
              gates![xo + u + k] = f;
              gates![xo + 2 * u + k] = g;
              gates![xo + 3 * u + k] = o;
            }
          }
        } else if (resetAfter) {
          for (let k = 0; k < u; k++) {
            const recH = z[2 * u + k] + (br ? br[2 * u + k] : 0);
            const zg = activate(ract, z[k] + (br ? br[k] : 0));
            const r = activate(ract, z[u + k] + (br ? br[u + k] : 0));
            const g = activate(act, xw[xo + 2 * u + k] + r * recH);
            h[k] = zg * h[k] + (1 - zg) * g;
            if (save) {
              gates![xo + k] = zg;
              gates![xo + u + k] = r;
              gates![xo + 2 * u + k] = g;
              aux![bt * u + k] = recH;
            }
          }
        } else {
          // Candidate: x_h + (r ⊙ h ⊙ rd_h)·U_h.
          for (let k = 0; k < u; k++) {
            const r = activate(ract, z[u + k]);
            hp[k] = rd ? h[k] * rd[b * Gu + 2 * u + k] : h[k];
            rhp[k] = r * hp[k];
            if (save) {
              gates![xo + u + k] = r;
              aux![bt * u + k] = rhp[k];
            }
          }
          for (let j = 0; j < u; j++) z[2 * u + j] = xw[xo + 2 * u + j];
          for (let k = 0; k < u; k++) {
            const v = rhp[k];
            if (v === 0) continue;
            const row = k * Gu + 2 * u;
            for (let j = 0; j < u; j++) z[2 * u + j] += v * U[row + j];
          }
          for (let k = 0; k < u; k++) {
            const zg = activate(ract, z[k]);
            const g = activate(act, z[2 * u + k]);
            h[k] = zg * h[k] + (1 - zg) * g;
            if (save) {
              gates![xo + k] = zg;
              gates![xo + 2 * u + k] = g;
            }
          }
        }
        for (let k = 0; k < u; k++) yprev[k] = h[k];
      }
      if (cs) for (let k = 0; k < u; k++) cs[bt * u + k] = c[k];
      if (s.returnSequences) for (let k = 0; k < u; k++) out[outRow + t * u + k] = yprev[k];
    }
    if (!s.returnSequences) for (let k = 0; k < u; k++) out[outRow + k] = yprev[k];
    for (let k = 0; k < u; k++) out[outRow + Tout * u + k] = h[k];
    if (cell === 'lstm') for (let k = 0; k < u; k++) out[outRow + (Tout + 1) * u + k] = c[k];
  }
}

export interface BackwardArrays {
  readonly dout: Float32Array;
  readonly U: Float32Array;
  readonly mask: Float32Array | null;
  readonly rd: Float32Array | null;
  readonly c0: Float32Array | null;
  readonly gates: Float32Array;
  readonly hprev: Float32Array;
  readonly cs: Float32Array | null;
  readonly aux: Float32Array | null;
  readonly dxw: Float32Array;
  readonly dh0: Float32Array;
  readonly dc0: Float32Array | null;
  readonly drec: Float32Array | null;
  /** [B, T, u]: ∂L/∂h_t of each example (null unless tap). */
  readonly dh: Float32Array | null;
}

/** Backward through time: writes dxw, dh0 (dc0, drec, dh when given). */
export function backwardLoops(s: LoopShape, a: BackwardArrays): void {
  const { cell, resetAfter, act, ract, B, T, u } = s;
  const G = cell === 'lstm' ? 4 : cell === 'gru' ? 3 : 1;
  const Gu = G * u;
  const Tout = s.returnSequences ? T : 1;
  const R = Tout + (cell === 'lstm' ? 2 : 1);
  const { dout, U, mask, rd, c0, gates, hprev, cs, aux, dxw, dh0, dc0, drec, dh: tap } = a;
  const gruBefore = cell === 'gru' && !resetAfter;
  const ds = new Float64Array(u), dsc = new Float64Array(u), dyc = new Float64Array(u);
  const dh = new Float64Array(u), dz = new Float64Array(Gu), dr = new Float64Array(Gu), dhp = new Float64Array(u);
  for (let b = 0; b < B; b++) {
    const outRow = b * R * u;
    for (let k = 0; k < u; k++) {
      ds[k] = dout[outRow + Tout * u + k];
      dsc[k] = cell === 'lstm' ? dout[outRow + (Tout + 1) * u + k] : 0;
      dyc[k] = 0;
    }
    for (let t = T - 1; t >= 0; t--) {
      const bt = b * T + t;
      const xo = bt * Gu;
      const dyRow = s.returnSequences ? outRow + t * u : t === T - 1 ? outRow : -1;
      for (let k = 0; k < u; k++) dh[k] = dyc[k] + (dyRow >= 0 ? dout[dyRow + k] : 0);
      const real = mask === null || mask[bt] !== 0;
      if (!real) {
        // The output repeats the previous one; the states carry over unchanged.
        for (let k = 0; k < u; k++) {
          dyc[k] = dh[k];
          if (tap) tap[bt * u + k] = ds[k] + dh[k];
        }
        dxw.fill(0, xo, xo + Gu);
        if (drec) drec.fill(0, xo, xo + Gu);
        continue;
      }
      for (let k = 0; k < u; k++) {
        dh[k] += ds[k];
        dyc[k] = 0;
        if (tap) tap[bt * u + k] = dh[k];
        dhp[k] = 0;
      }
      const ho = bt * u;
      if (cell === 'simple') {
        for (let k = 0; k < u; k++) dz[k] = dh[k] * derivative(act, gates[xo + k]);
      } else if (cell === 'lstm') {
        for (let k = 0; k < u; k++) {
          const i = gates[xo + k], f = gates[xo + u + k], g = gates[xo + 2 * u + k], o = gates[xo + 3 * u + k];
          const cNow = cs![ho + k];
          const cPrev = t > 0 ? cs![ho - u + k] : c0 ? c0[b * u + k] : 0;
          const ac = activate(act, cNow);
          const dc = dsc[k] + dh[k] * o * derivative(act, ac);
          dz[k] = dc * g * derivative(ract, i);
          dz[u + k] = dc * cPrev * derivative(ract, f);
          dz[2 * u + k] = dc * i * derivative(act, g);
          dz[3 * u + k] = dh[k] * ac * derivative(ract, o);
          dsc[k] = dc * f;
        }
      } else {
        for (let k = 0; k < u; k++) {
          const zg = gates[xo + k], r = gates[xo + u + k], g = gates[xo + 2 * u + k];
          const da = dh[k] * (1 - zg) * derivative(act, g);
          dz[k] = dh[k] * (hprev[ho + k] - g) * derivative(ract, zg);
          dz[2 * u + k] = da;
          dhp[k] = dh[k] * zg; // the mix uses the state itself, not its dropped-out copy
          if (resetAfter) {
            dz[u + k] = da * aux![ho + k] * derivative(ract, r);
            dr[k] = dz[k];
            dr[u + k] = dz[u + k];
            dr[2 * u + k] = da * r;
          }
        }
        if (gruBefore) {
          // d(r ⊙ hp_h) = da_h · U_hᵀ, then to r and through hp_h = h ⊙ rd_h to h.
          for (let k = 0; k < u; k++) {
            const row = k * Gu + 2 * u;
            let acc = 0;
            for (let j = 0; j < u; j++) acc += dz[2 * u + j] * U[row + j];
            const r = gates[xo + u + k];
            const rdh = rd ? rd[b * Gu + 2 * u + k] : 1;
            dz[u + k] = acc * hprev[ho + k] * rdh * derivative(ract, r);
            dhp[k] += acc * r * rdh;
          }
        }
      }
      for (let j = 0; j < Gu; j++) dxw[xo + j] = dz[j];
      const drow = cell === 'gru' && resetAfter ? dr : dz;
      if (drec) for (let j = 0; j < Gu; j++) drec[xo + j] = drow[j];
      // dh_{t−1} += Σ_g (drow_g · U_gᵀ) ⊙ rd_g (GRU reset_before: the z and r blocks; h went above)
      const blocks = gruBefore ? 2 : G;
      for (let k = 0; k < u; k++) {
        let acc = dhp[k];
        for (let g = 0; g < blocks; g++) {
          const row = k * Gu + g * u;
          let sum = 0;
          for (let j = 0; j < u; j++) sum += drow[g * u + j] * U[row + j];
          acc += rd ? sum * rd[b * Gu + g * u + k] : sum;
        }
        ds[k] = acc;
      }
    }
    for (let k = 0; k < u; k++) dh0[b * u + k] = ds[k];
    if (dc0) for (let k = 0; k < u; k++) dc0[b * u + k] = dsc[k];
  }
}
