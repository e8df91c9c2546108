// AssemblyScript source of the fused recurrent kernels (compiled to WebAssembly with SIMD by
// `npm run build:kernels` into ../rnnWasm.generated.ts). The same algorithm as ../loops.ts, in
// float32, with the per-step matrix-vector products vectorised (f32x4, 16 columns at a time, the
// accumulators in registers). Pointers are byte offsets into this module's memory, laid out by
// ../wasmLoops.ts; 0 means "absent". Activation codes are the indices of FUSED_ACTIVATIONS.

const LINEAR = 0, TANH = 1, SIGMOID = 2, HARD_SIGMOID = 3, KERAS_HARD_SIGMOID = 4, RELU = 5, RELU6 = 6,
  SOFTSIGN = 7, SOFTPLUS = 8, ELU = 9, SELU = 10, LEAKY_RELU = 11, EXPONENTIAL = 12;
const SELU_ALPHA: f32 = 1.6732632423543772848170429916717;
const SELU_SCALE: f32 = 1.0507009873554804934193349852946;

@inline function ld(p: usize, i: i32): f32 {
  return load<f32>(p + (<usize>i << 2));
}
@inline function st(p: usize, i: i32, v: f32): void {
  store<f32>(p + (<usize>i << 2), v);
}

function act(code: i32, x: f32): f32 {
  switch (code) {
    case TANH: return Mathf.tanh(x);
    case SIGMOID: return <f32>1 / (<f32>1 + Mathf.exp(-x));
    case LINEAR: return x;
    case HARD_SIGMOID: return min<f32>(1, max<f32>(0, <f32>0.2 * x + <f32>0.5));
    case KERAS_HARD_SIGMOID: return min<f32>(6, max<f32>(0, x + 3)) / 6;
    case RELU: return x > 0 ? x : 0;
    case RELU6: return min<f32>(6, max<f32>(0, x));
    case SOFTSIGN: return x / (<f32>1 + Mathf.abs(x));
    case SOFTPLUS: return Mathf.log(<f32>1 + Mathf.exp(x));
    case ELU: return x > 0 ? x : Mathf.exp(x) - 1;
    case SELU: return x > 0 ? SELU_SCALE * x : SELU_SCALE * SELU_ALPHA * (Mathf.exp(x) - 1);
    case LEAKY_RELU: return x > 0 ? x : <f32>0.2 * x;
    case EXPONENTIAL: return Mathf.exp(x);
    default: return x;
  }
}

// f32x4 exp: Cephes's expf (x = n·ln 2 + r, |r| ≤ ln 2 / 2, a degree-6 polynomial for e^r, 2^n
// through the exponent bits), relative error ~1e-7; the input clamped to ±87 (normal results).
@inline function expv(x: v128): v128 {
  x = f32x4.min(f32x4.max(x, f32x4.splat(-87)), f32x4.splat(87));
  const n = f32x4.nearest(f32x4.mul(x, f32x4.splat(1.44269504088896341)));
  const r = f32x4.add(f32x4.sub(x, f32x4.mul(n, f32x4.splat(0.693359375))), f32x4.mul(n, f32x4.splat(2.12194440e-4)));
  const z = f32x4.mul(r, r);
  let q = f32x4.add(f32x4.mul(f32x4.splat(1.9875691500e-4), r), f32x4.splat(1.3981999507e-3));
  q = f32x4.add(f32x4.mul(q, r), f32x4.splat(8.3334519073e-3));
  q = f32x4.add(f32x4.mul(q, r), f32x4.splat(4.1665795894e-2));
  q = f32x4.add(f32x4.mul(q, r), f32x4.splat(1.6666665459e-1));
  q = f32x4.add(f32x4.mul(q, r), f32x4.splat(5.0000001201e-1));
  q = f32x4.add(f32x4.add(f32x4.mul(q, z), r), f32x4.splat(1));
  return f32x4.mul(q, i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23));
}

/**
 * p[0 … n) = act(code, p[…]) in place: tanh and sigmoid four at a time (tanh x = 1 − 2/(e^{2x}+1),
 * absolute error ~1e-7; sigmoid 1/(1 + e^{−x})), the rest and the tail by `act`.
 */
function actv(code: i32, p: usize, n: i32): void {
  let i = 0;
  const one = f32x4.splat(1);
  if (code == TANH) {
    for (; i + 4 <= n; i += 4) {
      const a = p + (<usize>i << 2);
      const e = expv(f32x4.mul(v128.load(a), f32x4.splat(2)));
      v128.store(a, f32x4.sub(one, f32x4.div(f32x4.splat(2), f32x4.add(e, one))));
    }
  } else if (code == SIGMOID) {
    for (; i + 4 <= n; i += 4) {
      const a = p + (<usize>i << 2);
      v128.store(a, f32x4.div(one, f32x4.add(one, expv(f32x4.neg(v128.load(a))))));
    }
  }
  for (; i < n; i++) st(p, i, act(code, ld(p, i)));
}

/** The derivative of activation `code` in terms of its output y. */
function dact(code: i32, y: f32): f32 {
  switch (code) {
    case TANH: return <f32>1 - y * y;
    case SIGMOID: return y * (<f32>1 - y);
    case LINEAR: return 1;
    case HARD_SIGMOID: return y > 0 && y < 1 ? <f32>0.2 : 0;
    case KERAS_HARD_SIGMOID: return y > 0 && y < 1 ? <f32>1 / <f32>6 : 0;
    case RELU: return y > 0 ? 1 : 0;
    case RELU6: return y > 0 && y < 6 ? 1 : 0;
    case SOFTSIGN: { const a = <f32>1 - Mathf.abs(y); return a * a; }
    case SOFTPLUS: return <f32>1 - Mathf.exp(-y);
    case ELU: return y > 0 ? 1 : y + 1;
    case SELU: return y > 0 ? SELU_SCALE : y + SELU_SCALE * SELU_ALPHA;
    case LEAKY_RELU: return y > 0 ? 1 : <f32>0.2;
    case EXPONENTIAL: return y;
    default: return 1;
  }
}

/**
 * acc[j] += Σ_k v[k] · M[k·ldm + j] for j < n (acc, v, M: f32 arrays). Columns in blocks of 16
 * (four f32x4 accumulators kept in registers across the k loop), then of 4, then one at a time.
 */
function gemvAdd(acc: usize, v: usize, M: usize, K: i32, n: i32, ldm: i32): void {
  const rowBytes = <usize>ldm << 2;
  let j = 0;
  for (; j + 16 <= n; j += 16) {
    const a = acc + (<usize>j << 2);
    let a0 = v128.load(a), a1 = v128.load(a, 16), a2 = v128.load(a, 32), a3 = v128.load(a, 48);
    let m = M + (<usize>j << 2);
    for (let k = 0; k < K; k++) {
      const s = f32x4.splat(ld(v, k));
      a0 = f32x4.add(a0, f32x4.mul(s, v128.load(m)));
      a1 = f32x4.add(a1, f32x4.mul(s, v128.load(m, 16)));
      a2 = f32x4.add(a2, f32x4.mul(s, v128.load(m, 32)));
      a3 = f32x4.add(a3, f32x4.mul(s, v128.load(m, 48)));
      m += rowBytes;
    }
    v128.store(a, a0);
    v128.store(a, a1, 16);
    v128.store(a, a2, 32);
    v128.store(a, a3, 48);
  }
  for (; j + 4 <= n; j += 4) {
    const a = acc + (<usize>j << 2);
    let a0 = v128.load(a);
    let m = M + (<usize>j << 2);
    for (let k = 0; k < K; k++) {
      a0 = f32x4.add(a0, f32x4.mul(f32x4.splat(ld(v, k)), v128.load(m)));
      m += rowBytes;
    }
    v128.store(a, a0);
  }
  for (; j < n; j++) {
    let s = ld(acc, j);
    for (let k = 0; k < K; k++) s += ld(v, k) * ld(M, k * ldm + j);
    st(acc, j, s);
  }
}

@inline function copy(dst: usize, src: usize, n: i32): void {
  memory.copy(dst, src, <usize>n << 2);
}
@inline function zero(dst: usize, n: i32): void {
  memory.fill(dst, 0, <usize>n << 2);
}

/**
 * z[block g] += (h ⊙ rd_g)·U[:, block g] for the gate blocks g0 … g1−1 (rd: [Gu] for this row or 0;
 * without it one product over all the blocks' columns). hp: u floats of scratch.
 */
function project(z: usize, h: usize, rd: usize, U: usize, hp: usize, u: i32, Gu: i32, g0: i32, g1: i32): void {
  if (!rd) {
    gemvAdd(z + (<usize>(g0 * u) << 2), h, U + (<usize>(g0 * u) << 2), u, (g1 - g0) * u, Gu);
    return;
  }
  for (let g = g0; g < g1; g++) {
    for (let k = 0; k < u; k++) st(hp, k, ld(h, k) * ld(rd, g * u + k));
    gemvAdd(z + (<usize>(g * u) << 2), hp, U + (<usize>(g * u) << 2), u, u, Gu);
  }
}

/**
 * Forward through time (README.md "UnrollRnnForward"). cell: 0 SimpleRNN, 1 LSTM, 2 GRU.
 * rd: [B, Gu] (a recurrent-dropout mask per gate block) or 0. scratch: 6u + Gu floats.
 */
export function forward(
  cell: i32, resetAfter: i32, actC: i32, ractC: i32, B: i32, T: i32, u: i32, retSeq: i32,
  xw: usize, U: usize, br: usize, mask: usize, h0: usize, c0: usize, rd: usize,
  out: usize, gates: usize, hprev: usize, cs: usize, aux: usize, scratch: usize,
): void {
  const G = cell == 1 ? 4 : cell == 2 ? 3 : 1;
  const Gu = G * u;
  const Tout = retSeq ? T : 1;
  const R = Tout + (cell == 1 ? 2 : 1);
  const save = gates != 0;
  const h = scratch, c = h + (<usize>u << 2), yprev = c + (<usize>u << 2), hp = yprev + (<usize>u << 2);
  const rhp = hp + (<usize>u << 2), z = rhp + (<usize>u << 2);
  const gruBefore = cell == 2 && !resetAfter;
  const xCols = cell == 2 ? 2 * u : Gu;
  for (let b = 0; b < B; b++) {
    if (h0) copy(h, h0 + (<usize>(b * u) << 2), u); else zero(h, u);
    if (c0) copy(c, c0 + (<usize>(b * u) << 2), u); else zero(c, u);
    zero(yprev, u);
    const rdRow: usize = rd ? rd + (<usize>(b * Gu) << 2) : 0;
    const outRow = b * R * u;
    for (let t = 0; t < T; t++) {
      const bt = b * T + t;
      const real = mask == 0 || ld(mask, bt) != 0;
      if (save) {
        copy(hprev + (<usize>(bt * u) << 2), h, u);
        if (!real) {
          zero(gates + (<usize>(bt * Gu) << 2), Gu);
          if (aux) zero(aux + (<usize>(bt * u) << 2), u);
        }
      }
      if (real) {
        const xo = bt * Gu;
        copy(z, xw + (<usize>xo << 2), xCols);
        if (Gu > xCols) zero(z + (<usize>xCols << 2), Gu - xCols);
        project(z, h, rdRow, U, hp, u, Gu, 0, gruBefore ? 2 : G);
        if (cell == 0) {
          actv(actC, z, u);
          copy(h, z, u);
          if (save) copy(gates + (<usize>xo << 2), z, u);
        } else if (cell == 1) {
          actv(ractC, z, 2 * u);
          actv(actC, z + (<usize>(2 * u) << 2), u);
          actv(ractC, z + (<usize>(3 * u) << 2), u);
          for (let k = 0; k < u; k++) st(c, k, ld(z, u + k) * ld(c, k) + ld(z, k) * ld(z, 2 * u + k));
          copy(rhp, c, u);
          actv(actC, rhp, u);
          for (let k = 0; k < u; k++) st(h, k, ld(z, 3 * u + k) * ld(rhp, k));
          if (save) copy(gates + (<usize>xo << 2), z, Gu);
        } else if (resetAfter) {
          if (br) for (let j = 0; j < Gu; j++) st(z, j, ld(z, j) + ld(br, j));
          actv(ractC, z, 2 * u);
          for (let k = 0; k < u; k++) st(rhp, k, ld(xw, xo + 2 * u + k) + ld(z, u + k) * ld(z, 2 * u + k));
          if (save) copy(aux + (<usize>(bt * u) << 2), z + (<usize>(2 * u) << 2), u);
          actv(actC, rhp, u);
          for (let k = 0; k < u; k++) {
            const zg = ld(z, k), g = ld(rhp, k);
            st(h, k, zg * ld(h, k) + (<f32>1 - zg) * g);
            if (save) {
              st(gates, xo + k, zg);
              st(gates, xo + u + k, ld(z, u + k));
              st(gates, xo + 2 * u + k, g);
            }
          }
        } else {
          actv(ractC, z, 2 * u);
          for (let k = 0; k < u; k++) {
            const r = ld(z, u + k);
            const v = r * ld(h, k) * (rdRow ? ld(rdRow, 2 * u + k) : <f32>1);
            st(rhp, k, v);
            if (save) {
              st(gates, xo + u + k, r);
              st(aux, bt * u + k, v);
            }
          }
          const zh = z + (<usize>(2 * u) << 2);
          copy(zh, xw + (<usize>(xo + 2 * u) << 2), u);
          gemvAdd(zh, rhp, U + (<usize>(2 * u) << 2), u, u, Gu);
          actv(actC, zh, u);
          for (let k = 0; k < u; k++) {
            const zg = ld(z, k);
            const g = ld(zh, k);
            st(h, k, zg * ld(h, k) + (<f32>1 - zg) * g);
            if (save) {
              st(gates, xo + k, zg);
              st(gates, xo + 2 * u + k, g);
            }
          }
        }
        copy(yprev, h, u);
      }
      if (cs) copy(cs + (<usize>(bt * u) << 2), c, u);
      if (retSeq) copy(out + (<usize>(outRow + t * u) << 2), yprev, u);
    }
    if (!retSeq) copy(out + (<usize>outRow << 2), yprev, u);
    copy(out + (<usize>(outRow + Tout * u) << 2), h, u);
    if (cell == 1) copy(out + (<usize>(outRow + (Tout + 1) * u) << 2), c, u);
  }
}

/**
 * Backward through time (README.md "UnrollRnnBackward"). scratch: 7u + 2·Gu + u·Gu floats
 * (the last part holds Uᵀ, so dh = dz·Uᵀ is a vectorised product too). tap: [B, T, u] or 0.
 */
export function backward(
  cell: i32, resetAfter: i32, actC: i32, ractC: i32, B: i32, T: i32, u: i32, retSeq: i32,
  dout: usize, U: usize, mask: usize, rd: usize, c0: usize, gates: usize, hprev: usize, cs: usize, aux: usize,
  dxw: usize, dh0: usize, dc0: usize, drec: usize, tap: usize, scratch: usize,
): void {
  const G = cell == 1 ? 4 : cell == 2 ? 3 : 1;
  const Gu = G * u;
  const Tout = retSeq ? T : 1;
  const R = Tout + (cell == 1 ? 2 : 1);
  const ds = scratch, dsc = ds + (<usize>u << 2), dyc = dsc + (<usize>u << 2), dh = dyc + (<usize>u << 2);
  const dhp = dh + (<usize>u << 2), drhp = dhp + (<usize>u << 2), tmp = drhp + (<usize>u << 2);
  const dz = tmp + (<usize>u << 2), dr = dz + (<usize>Gu << 2), UT = dr + (<usize>Gu << 2);
  for (let k = 0; k < u; k++) for (let j = 0; j < Gu; j++) st(UT, j * u + k, ld(U, k * Gu + j));
  const gruBefore = cell == 2 && !resetAfter;
  const blocks = gruBefore ? 2 : G;
  for (let b = 0; b < B; b++) {
    const outRow = b * R * u;
    const rdRow: usize = rd ? rd + (<usize>(b * Gu) << 2) : 0;
    copy(ds, dout + (<usize>(outRow + Tout * u) << 2), u);
    if (cell == 1) copy(dsc, dout + (<usize>(outRow + (Tout + 1) * u) << 2), u); else zero(dsc, u);
    zero(dyc, u);
    for (let t = T - 1; t >= 0; t--) {
      const bt = b * T + t;
      const xo = bt * Gu;
      const ho = bt * u;
      const dyRow = retSeq ? outRow + t * u : t == T - 1 ? outRow : -1;
      for (let k = 0; k < u; k++) st(dh, k, ld(dyc, k) + (dyRow >= 0 ? ld(dout, dyRow + k) : 0));
      const real = mask == 0 || ld(mask, bt) != 0;
      if (!real) {
        for (let k = 0; k < u; k++) {
          st(dyc, k, ld(dh, k));
          if (tap) st(tap, ho + k, ld(ds, k) + ld(dh, k));
        }
        zero(dxw + (<usize>xo << 2), Gu);
        if (drec) zero(drec + (<usize>xo << 2), Gu);
        continue;
      }
      for (let k = 0; k < u; k++) {
        const v = ld(dh, k) + ld(ds, k);
        st(dh, k, v);
        if (tap) st(tap, ho + k, v);
      }
      zero(dyc, u);
      zero(dhp, u);
      if (cell == 0) {
        for (let k = 0; k < u; k++) st(dz, k, ld(dh, k) * dact(actC, ld(gates, xo + k)));
      } else if (cell == 1) {
        copy(tmp, cs + (<usize>ho << 2), u);
        actv(actC, tmp, u);
        for (let k = 0; k < u; k++) {
          const i = ld(gates, xo + k), f = ld(gates, xo + u + k), g = ld(gates, xo + 2 * u + k), o = ld(gates, xo + 3 * u + k);
          const cPrev: f32 = t > 0 ? ld(cs, ho - u + k) : c0 ? ld(c0, b * u + k) : 0;
          const ac = ld(tmp, k);
          const dhk = ld(dh, k);
          const dc = ld(dsc, k) + dhk * o * dact(actC, ac);
          st(dz, k, dc * g * dact(ractC, i));
          st(dz, u + k, dc * cPrev * dact(ractC, f));
          st(dz, 2 * u + k, dc * i * dact(actC, g));
          st(dz, 3 * u + k, dhk * ac * dact(ractC, o));
          st(dsc, k, dc * f);
        }
      } else {
        for (let k = 0; k < u; k++) {
          const zg = ld(gates, xo + k), r = ld(gates, xo + u + k), g = ld(gates, xo + 2 * u + k);
          const dhk = ld(dh, k);
          const da = dhk * (<f32>1 - zg) * dact(actC, g);
          st(dz, k, dhk * (ld(hprev, ho + k) - g) * dact(ractC, zg));
          st(dz, 2 * u + k, da);
          st(dhp, k, dhk * zg);
          if (resetAfter) {
            const drk = da * ld(aux, ho + k) * dact(ractC, r);
            st(dz, u + k, drk);
            st(dr, k, ld(dz, k));
            st(dr, u + k, drk);
            st(dr, 2 * u + k, da * r);
          }
        }
        if (gruBefore) {
          zero(drhp, u);
          gemvAdd(drhp, dz + (<usize>(2 * u) << 2), UT + (<usize>(2 * u * u) << 2), u, u, u);
          for (let k = 0; k < u; k++) {
            const r = ld(gates, xo + u + k);
            const rdh: f32 = rdRow ? ld(rdRow, 2 * u + k) : 1;
            const a = ld(drhp, k);
            st(dz, u + k, a * ld(hprev, ho + k) * rdh * dact(ractC, r));
            st(dhp, k, ld(dhp, k) + a * r * rdh);
          }
        }
      }
      copy(dxw + (<usize>xo << 2), dz, Gu);
      const drow = cell == 2 && resetAfter ? dr : dz;
      if (drec) copy(drec + (<usize>xo << 2), drow, Gu);
      if (!rdRow) {
        gemvAdd(dhp, drow, UT, blocks * u, u, u);
      } else {
        for (let g = 0; g < blocks; g++) {
          zero(tmp, u);
          gemvAdd(tmp, drow + (<usize>(g * u) << 2), UT + (<usize>(g * u * u) << 2), u, u, u);
          for (let k = 0; k < u; k++) st(dhp, k, ld(dhp, k) + ld(tmp, k) * ld(rdRow, g * u + k));
        }
      }
      copy(ds, dhp, u);
    }
    copy(dh0 + (<usize>(b * u) << 2), ds, u);
    if (dc0) copy(dc0 + (<usize>(b * u) << 2), dsc, u);
  }
}

/** First free byte after the module's static data (the math tables): where the caller's arrays may start. */
export function heapBase(): usize {
  return __heap_base;
}

/**
 * C = A·B (+ bias on every row): A [M, K], B [K, N], C [M, N], bias [N] or 0. The cpu backend's
 * matrix products of the fused op (projection, dW, dx, dU) run here: one vectorised
 * matrix-vector product per row of C.
 */
export function matmul(M: i32, K: i32, N: i32, A: usize, B: usize, C: usize, bias: usize): void {
  for (let i = 0; i < M; i++) {
    const c = C + (<usize>(i * N) << 2);
    if (bias) copy(c, bias, N); else zero(c, N);
    gemvAdd(c, A + (<usize>(i * K) << 2), B, K, N, N);
  }
}
