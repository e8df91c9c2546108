/**
 * UnrollRnnForward / UnrollRnnBackward for TF.js's webgl backend (WebGL2). The time loop runs here
 * in JavaScript: two shader programs a step forward and two (GRU reset_before: three) backward
 * (programs.ts), on dense RGBA textures; the op's inputs are converted into that layout once per
 * call, each step's row is copied into place in one texture of every step's rows (a framebuffer
 * blit; stacked by concat programs only where that texture folds), and the op's outputs are
 * written back as ordinary tensors.
 * `registerWebGLRnnKernels(tf)` registers both kernels; nothing here imports TF.js or its webgl
 * package at run time (the backend object arrives with each call).
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { MathBackendWebGL } from '@tensorflow/tfjs-backend-webgl';
import type { TF } from '../../../core/layers/tfjs.ts';
import { registerWebGLAdamKernel } from './adam.ts';
import { BACKWARD_KERNEL, FORWARD_KERNEL, backwardOutputs, forwardOutputs, outRows, perLayer, type RnnAttrs } from '../contract.ts';
import {
  carryLayout, carryProgram, dense, dzProgram, gateCount, gatesProgram, geometry, gradLayout, initCarryProgram, initStateProgram,
  partialSumProgram, pickProgram, resetGradProgram, stackProgram, sumProgram, stateLayout, stateProgram, texShape, toDenseProgram, transposeUProgram, u4Of,
  type CellShape, type Dense, type DenseProgram, type Geometry, type OutputProgram, type Reader, type Saved, type Uniform,
} from './programs.ts';

type Info = tfjs.TensorInfo;

/** A dense matrix on the GPU. */
interface DenseInfo {
  readonly info: Info;
  readonly d: Dense;
}

/** The context's limits, read once: texture size and how many textures a concat program may read. */
const LIMITS = new WeakMap<WebGLRenderingContext | WebGL2RenderingContext, { maxTexture: number; fan: number }>();

/** Two framebuffers of our own per context, for copying rows between textures (`Run.copyRows`). */
const BLIT = new WeakMap<WebGLRenderingContext | WebGL2RenderingContext, { read: WebGLFramebuffer; draw: WebGLFramebuffer }>();

/** One kernel call: runs programs and frees every intermediate at the end. */
class Run {
  private readonly temps: Info[] = [];
  readonly maxTexture: number;
  readonly fan: number;

  constructor(readonly backend: MathBackendWebGL, readonly T: number) {
    const gl = backend.gpgpu.gl;
    let limits = LIMITS.get(gl);
    if (!limits) {
      const units = Math.min(16, gl.getParameter(gl.MAX_TEXTURE_IMAGE_UNITS) as number);
      limits = { maxTexture: gl.getParameter(gl.MAX_TEXTURE_SIZE) as number, fan: Math.max(2, Math.min(15, units - 1)) };
      LIMITS.set(gl, limits);
    }
    this.maxTexture = limits.maxTexture;
    this.fan = limits.fan;
  }

  /** The values of a program's custom uniforms: the step `t` and the sequence length `uT`. */
  private uniforms(names: readonly Uniform[], t: number): number[][] | undefined {
    return names.length ? names.map((n) => (n === 't' ? [t] : [this.T])) : undefined;
  }

  /** Runs a dense-output program (for step `t` when it is a per-step program). */
  dense(p: DenseProgram, inputs: Info[], t = 0): DenseInfo {
    const info = this.backend.runWebGLProgram(p, inputs, 'float32', this.uniforms(p.uniforms, t), false, p.texShape);
    this.temps.push(info);
    return { info, d: p.dense };
  }

  /** Runs a program whose (ordinary tensor) result is a kernel output. */
  output(p: OutputProgram, inputs: Info[]): Info {
    return this.backend.runWebGLProgram(p, inputs, 'float32', this.uniforms(p.uniforms, 0));
  }

  /**
   * A dense matrix from TF.js's texture pool with no program run: its texels are undefined until
   * written (`copyRows`). Mirrors what runWebGLProgram does for a DENSE output of this texel shape.
   */
  alloc(d: Dense): DenseInfo {
    const [h, w] = texShape(d);
    const b = this.backend;
    const info = b.makeTensorInfo([h, 4 * w], 'float32');
    const data = b.texData.get(info.dataId);
    data.isPacked = true;
    data.texShape = [2 * h, 2 * w];
    b.uploadToGPU(info.dataId);
    this.temps.push(info);
    return { info, d };
  }

  /**
   * Blocks of `blockRows` rows stacked in one matrix of geometry `stacked` (block k at row
   * k·blockRows): `put(x, k)` copies a block into place as soon as it is computed (one blit; its own
   * texture goes back to the pool), and `result()` gives the stacked matrix. A folded matrix's block
   * is not one rectangle of texels: there the blocks are kept and stacked by concat programs at
   * the end.
   */
  rowStack(stacked: Dense, blockRows: number): { put(x: DenseInfo, k: number): void; result(): DenseInfo } {
    const into = stacked.fold === 1 ? this.alloc(stacked) : null;
    const kept: DenseInfo[] = [];
    return {
      put: (x, k) => {
        if (!into) kept[k] = x;
        else {
          this.copyRows(x, into, k * blockRows);
          this.free(x);
        }
      },
      result: () => into ?? this.stack(kept),
    };
  }

  /**
   * Copies all rows of `src` into rows `row0 …` of `dst` (both unfolded, the same width) with one
   * framebuffer blit — a copy on the GPU, no shader program. Leaves TF.js's framebuffer bound as
   * it found it and the scissor test on, as TF.js keeps it.
   */
  copyRows(src: DenseInfo, dst: DenseInfo, row0: number): void {
    const gl = this.backend.gpgpu.gl as WebGL2RenderingContext;
    let fb = BLIT.get(gl);
    if (!fb) {
      fb = { read: gl.createFramebuffer()!, draw: gl.createFramebuffer()! };
      BLIT.set(gl, fb);
    }
    const tex = (x: DenseInfo) => this.backend.texData.get(x.info.dataId).texture!.texture;
    const [rows, w] = texShape(src.d);
    gl.bindFramebuffer(gl.READ_FRAMEBUFFER, fb.read);
    gl.framebufferTexture2D(gl.READ_FRAMEBUFFER, gl.COLOR_ATTACHMENT0, gl.TEXTURE_2D, tex(src), 0);
    gl.bindFramebuffer(gl.DRAW_FRAMEBUFFER, fb.draw);
    gl.framebufferTexture2D(gl.DRAW_FRAMEBUFFER, gl.COLOR_ATTACHMENT0, gl.TEXTURE_2D, tex(dst), 0);
    gl.disable(gl.SCISSOR_TEST);
    gl.blitFramebuffer(0, 0, w, rows, 0, row0, w, row0 + rows, gl.COLOR_BUFFER_BIT, gl.NEAREST);
    gl.enable(gl.SCISSOR_TEST);
    gl.framebufferTexture2D(gl.DRAW_FRAMEBUFFER, gl.COLOR_ATTACHMENT0, gl.TEXTURE_2D, null, 0);
    gl.bindFramebuffer(gl.READ_FRAMEBUFFER, fb.read);
    gl.framebufferTexture2D(gl.READ_FRAMEBUFFER, gl.COLOR_ATTACHMENT0, gl.TEXTURE_2D, null, 0);
    gl.bindFramebuffer(gl.FRAMEBUFFER, this.backend.gpgpu.framebuffer);
  }

  /** Hands an intermediate over as a kernel output: not freed at the end. */
  keep(x: DenseInfo): Info {
    const k = this.temps.indexOf(x.info);
    if (k >= 0) this.temps.splice(k, 1);
    return x.info;
  }

  /** Runs `p` with its inputs by name (the program's variableNames). */
  named(p: DenseProgram, infos: Record<string, DenseInfo | undefined>, t = 0): DenseInfo {
    return this.dense(p, p.variableNames.map((n) => {
      const x = infos[n];
      if (!x) throw new Error(`fused RNN on WebGL: no input ${n} for a program`);
      return x.info;
    }), t);
  }

  free(x: DenseInfo): void {
    const k = this.temps.indexOf(x.info);
    if (k >= 0) this.temps.splice(k, 1);
    this.backend.disposeIntermediateTensorInfo(x.info);
  }

  finish(): void {
    for (const x of this.temps) this.backend.disposeIntermediateTensorInfo(x);
    this.temps.length = 0;
  }

  /**
   * Rows of equal width stacked in order, by concat programs of `fan` inputs: a short group
   * repeats its last part, so every level has one program whatever the sequence length (no new
   * shader for a batch of a new length); the rows past the real ones are never read.
   */
  stack(parts: DenseInfo[]): DenseInfo {
    let level = parts;
    while (level.length > 1) {
      const next: DenseInfo[] = [];
      for (let k = 0; k < level.length; k += this.fan) {
        const group = level.slice(k, k + this.fan);
        while (group.length < this.fan) group.push(group[group.length - 1]);
        const out = dense(group.reduce((n, g) => n + g.d.rows, 0), group[0].d.w, this.maxTexture);
        next.push(this.dense(stackProgram(group.map((g) => g.d), out), group.map((g) => g.info)));
      }
      level = next;
    }
    return level[0];
  }
}

function cellShape(a: RnnAttrs, B: number, T: number, ins: Record<string, Info | undefined>): CellShape {
  const groups = a.groups ?? 1;
  if (!(Number.isInteger(groups) && groups >= 1 && B % groups === 0)) throw new Error(`fused RNN on WebGL: ${B} batch rows do not split into ${groups} layers`);
  return {
    cell: a.cell, resetAfter: a.resetAfter, B, T, u: a.units, activation: a.activation, recurrentActivation: a.recurrentActivation,
    returnSequences: a.returnSequences, hasMask: !!ins.mask, hasRd: !!ins.rd, hasBr: !!ins.br, groups,
    // LSTM and SimpleRNN state rows leave out the gates when nothing reads them from there: the
    // forward then saves the GATES outputs' own rows (denseSaved), or saves nothing.
    lean: a.cell !== 'gru' && (!!a.denseSaved || !a.saveForGrad),
    tap: !!a.tap,
  };
}

/**
 * The geometry of each dense stack the forward hands to the backward (attribute denseSaved), by
 * its data id: the backward reads them as they are. (The tensors' shapes are their texels, not
 * [B, T, ·].)
 */
const SAVED = new WeakMap<object, { readonly d: Dense; readonly B: number; readonly T: number }>();

function savedOf(x: Info | undefined, what: string): { readonly d: Dense; readonly B: number; readonly T: number } {
  const m = x ? SAVED.get(x.dataId) : undefined;
  if (!m) throw new Error(`fused RNN on WebGL: ${what} is not the forward kernel's dense ${what} (attribute denseSaved)`);
  return m;
}

/** U ([groups·u, G·u], the layers' U stacked) as the dense `ud`: layer p's rows at p·U4, padding rows 0. */
function udProgram(s: CellShape, g: Geometry): DenseProgram {
  const { u } = s, U4 = 4 * u4Of(u);
  const reader: Reader = s.groups > 1 && U4 !== u
    ? { rank: 2, args: (row, col) => `(${row} / ${U4}) * ${u} + ${row} - (${row} / ${U4}) * ${U4}, ${col}` }
    : read2;
  return toDenseProgram(g.ud, u, gateCount(s.cell), reader, [], { per: U4, valid: u });
}

const present = <T,>(...xs: (T | undefined | null | false)[]): T[] => xs.filter((x): x is T => x != null && x !== false);

/** GLSL reading value `col` of row `row` of a [rows/per, per, n] or [rows, n] tensor X. */
const read3 = (per: string): Reader => ({ rank: 3, args: (row, col) => `${row} / ${per}, ${row} - (${row} / ${per}) * ${per}, ${col}` });
const read2: Reader = { rank: 2, args: (row, col) => `${row}, ${col}` };
const read1: Reader = { rank: 1, args: (_row, col) => col };
const readMask: Reader = { ...read2, unpacked: true };

/**
 * The pick program's `where` for element (b, r, j) of stack row `rowExpr`, at texel offset `at`
 * (gate groups of u when `grouped`: then elements j, j + 1 share a texel only for an even u).
 */
function where3(rowExpr: string, at: string, u: number, grouped: boolean): string {
  const u4 = u4Of(u);
  const split = grouped ? `int q = c.z / ${u}; int jj = c.z - q * ${u};` : 'int q = 0; int jj = c.z;';
  return `int b = c.x, r = c.y; ${split} row = ${rowExpr}; x = ${at} + q * ${u4} + jj / 4; lane = jj - (jj / 4) * 4;`;
}

/** Output `name` once per layer (contract.ts PER_LAYER): `pick(rows of a layer, layer k)`. */
function perLayerPick(outs: Record<string, Info>, name: string, s: CellShape, pick: (Bk: number, k: number) => Info): void {
  const Bk = s.B / s.groups;
  perLayer([name], s.groups).forEach((n, k) => { outs[n] = pick(Bk, k); });
}

type Body = (run: Run, a: RnnAttrs, ins: Record<string, Info | undefined>, s: CellShape) => Info[];

/** A kernel function: B and T from `shape`, one `Run` whose intermediates are freed at the end. */
function kernel(shape: (ins: Record<string, Info | undefined>, a: RnnAttrs) => [number, number], body: Body): tfjs.KernelFunc {
  return ({ inputs, attrs, backend }) => {
    const a = attrs as unknown as RnnAttrs;
    const ins = inputs as Record<string, Info | undefined>;
    const [B, T] = shape(ins, a);
    const run = new Run(backend as MathBackendWebGL, T);
    try {
      return body(run, a, ins, cellShape(a, B, T, ins));
    } finally {
      run.finish();
    }
  };
}

// A grouped call's projections come per layer (contract.ts PER_LAYER).
const forward = kernel((ins, a) => [ins.xw!.shape[0] * (a.groups ?? 1), ins.xw!.shape[1]], (run, a, ins, s) => {
  const { B, T, u, cell } = s;
  const G = gateCount(cell);
  const g = geometry(s, run.maxTexture);
  const L = stateLayout(s);
  const denseSaved = !!a.denseSaved && a.saveForGrad;
  const gru = cell === 'gru', after = gru && a.resetAfter;

  const layers = perLayer(['xw'], s.groups).map((n) => ins[n]!);
  const xw = run.dense(toDenseProgram(g.xw, u, G, read3('uT'), ['uT'], g.xw.rows, layers.length), layers);
  const ud = run.dense(udProgram(s, g), [ins.u!]);
  const unit = (x: Info | undefined) => (x ? run.dense(toDenseProgram(g.unit, u, 1, read2, []), [x]) : undefined);
  const mask = ins.mask ? run.dense(toDenseProgram(g.mask, 'uT', 1, readMask, ['uT']), [ins.mask]) : undefined;
  const rd = ins.rd ? run.dense(toDenseProgram(g.rd, u, G, read2, []), [ins.rd]) : undefined;
  const br = after && ins.br ? run.dense(toDenseProgram(g.br, u, G, s.groups > 1 ? read2 : read1, []), [ins.br]) : undefined;
  const h0 = unit(ins.h0), c0 = unit(ins.c0);

  const gatesP = gatesProgram(s, g), stateP = stateProgram(s, g);
  const init = run.dense(initStateProgram(s, g, { h0: !!h0, c0: !!c0 }), present(h0, c0).map((x) => x.info));
  // The state rows of every step when the outputs need them, stacked: row k·B + b, k = 0 the
  // initial state, k = t + 1 after step t.
  const keep = a.saveForGrad || a.returnSequences;
  const rows = keep ? run.rowStack(g.stack((T + 1) * B, L.width), B) : null;
  // Lean rows leave the gates out: saved, the GATES outputs are stacked as they are (row t·B + b).
  const gateRows = s.lean && a.saveForGrad ? run.rowStack(g.stack(T * B, g.gates.w), B) : null;
  let S = init;
  for (let t = 0; t < T; t++) {
    const A = run.dense(gatesP, present(S, ud, rd, after ? br : xw).map((x) => x.info), t);
    const next = run.dense(stateP, present(A, S, gru && xw, gru && !after && ud, mask, gru && !after && rd).map((x) => x.info), t);
    if (gateRows) gateRows.put(A, t);
    else run.free(A);
    if (rows) rows.put(S, t);
    else run.free(S);
    S = next;
  }

  const R = outRows(a, T);
  const outWhere = (stackRow: (k: string) => string) => {
    const Tout = a.returnSequences ? 'uT' : '1';
    const region = `(r < ${Tout} ? ${L.y} : r == ${Tout} ? ${L.h} : ${Math.max(L.c, 0)})`;
    const k = a.returnSequences ? '(r < uT ? r + 1 : uT)' : 'uT';
    return `int b = c.x, r = c.y; row = ${stackRow(k)}; x = ${region} + c.z / 4; lane = c.z - (c.z / 4) * 4;`;
  };
  if (!rows) return [run.output(pickProgram([B, R, u], S.d, outWhere(() => 'b'), true), [S.info])];
  rows.put(S, T);
  const ST = rows.result();
  const out = run.output(pickProgram([B, R, u], ST.d, outWhere((k) => `${k} * ${B} + b`), true), [ST.info]);
  if (!a.saveForGrad) return [out];
  const outs: Record<string, Info> = { out };
  perLayerPick(outs, 'hprev', s, (Bk, k) => run.output(pickProgram([Bk, T, u], ST.d, where3(`r * ${B} + ${k * Bk} + b`, `${L.h}`, u, false), true), [ST.info]));
  if (denseSaved) {
    const hand = (x: DenseInfo) => {
      SAVED.set(x.info.dataId, { d: x.d, B, T });
      return run.keep(x);
    };
    outs.stateRows = hand(ST);
    if (gateRows) outs.gateRows = hand(gateRows.result());
    if (gru && !after) outs.aux = run.output(pickProgram([B, T, u], ST.d, where3(`(r + 1) * ${B} + b`, `${L.aux}`, u, false), true), [ST.info]);
    return forwardOutputs(a).map((n) => outs[n]);
  }
  outs.gates = run.output(pickProgram([B, T, G * u], ST.d, where3(`(r + 1) * ${B} + b`, `${L.gm}`, u, true), u % 2 === 0), [ST.info]);
  if (cell === 'lstm') outs.cs = run.output(pickProgram([B, T, u], ST.d, where3(`(r + 1) * ${B} + b`, `${L.c}`, u, false), true), [ST.info]);
  if (gru) outs.aux = run.output(pickProgram([B, T, u], ST.d, where3(`(r + 1) * ${B} + b`, `${L.aux}`, u, false), true), [ST.info]);
  return forwardOutputs(a).map((n) => outs[n]);
});

// B and T: from the saved gates, or from the forward's dense state rows (attribute denseSaved).
const backward = kernel((ins, a) => {
  if (!a.denseSaved) return [ins.gates!.shape[0], ins.gates!.shape[1]];
  const m = savedOf(ins.stateRows, 'stateRows');
  return [m.B, m.T];
}, (run, a, ins, s) => {
  const { B, T, u, cell, resetAfter } = s;
  const G = gateCount(cell);
  const g = geometry(s, run.maxTexture);
  const C = carryLayout(cell, u);
  const D = gradLayout(s);
  const gru = cell === 'gru', before = gru && !resetAfter;
  const R = `(${a.returnSequences ? 'uT' : '1'} + ${cell === 'lstm' ? 2 : 1})`;

  const named: Record<string, DenseInfo | undefined> = {};
  named.dout = run.dense(toDenseProgram(g.dout, u, 1, read3(R), ['uT']), [ins.dout!]);
  named.ut = run.dense(transposeUProgram(u, G, g.ut, s.groups), [ins.u!]);
  if (ins.mask) named.mask = run.dense(toDenseProgram(g.mask, 'uT', 1, readMask, ['uT']), [ins.mask]);
  if (ins.rd) named.rd = run.dense(toDenseProgram(g.rd, u, G, read2, []), [ins.rd]);
  // What the forward saved: its own dense stacks as they are, or its packed outputs converted.
  let saved: Saved;
  if (a.denseSaved) {
    const states = savedOf(ins.stateRows, 'stateRows').d;
    named.ST = { info: ins.stateRows!, d: states };
    const gates = s.lean ? savedOf(ins.gateRows, 'gateRows').d : null;
    if (gates) named.GS = { info: ins.gateRows!, d: gates };
    saved = { kind: 'rows', states, gates };
  } else {
    const seq = (x: Info | undefined, groups: number) => (x ? run.dense(toDenseProgram(g.seq(groups), u, groups, read3('uT'), ['uT']), [x]) : undefined);
    named.gates = seq(ins.gates, G)!;
    const hprevs = perLayer(['hprev'], s.groups).map((n) => ins[n]!);
    if (gru) named.hp = run.dense(toDenseProgram(g.seq(1), u, 1, read3('uT'), ['uT'], g.seq(1).rows, hprevs.length), hprevs);
    named.cs = seq(ins.cs, 1);
    named.aux = seq(ins.aux, 1);
    if (ins.c0) named.c0 = run.dense(toDenseProgram(g.unit, u, 1, read2, []), [ins.c0]);
    saved = { kind: 'packed', c0: !!ins.c0 };
  }

  const dzP = dzProgram(s, g, saved), carryP = carryProgram(s, g, saved);
  const resetP = before ? resetGradProgram(s, g, saved) : null;
  let carry = run.dense(initCarryProgram(s, g), [named.dout.info]);
  // The per-step rows D_t (and GRU reset_before's R_t), stacked time-major: row t·B + b.
  const dRows = run.rowStack(g.stack(T * B, D.width), B);
  const rRows = resetP ? run.rowStack(g.stack(T * B, g.reset.w), B) : null;
  for (let t = T - 1; t >= 0; t--) {
    const Dt = run.named(dzP, { ...named, C: carry }, t);
    const Rt = resetP ? run.named(resetP, { ...named, D: Dt }, t) : undefined;
    const next = run.named(carryP, { ...named, D: Dt, C: carry, R: Rt }, t);
    run.free(carry);
    carry = next;
    dRows.put(Dt, t);
    if (Rt) rRows!.put(Rt, t);
  }

  const DS = dRows.result();
  const outs: Record<string, Info> = {};
  const RS = rRows?.result();
  perLayerPick(outs, 'dxw', s, (Bk, k) => (RS
    ? run.output(pickProgram([Bk, T, G * u], RS.d, where3(`r * ${B} + ${k * Bk} + b`, '0', u, true), u % 2 === 0), [RS.info])
    : run.output(pickProgram([Bk, T, G * u], DS.d, where3(`r * ${B} + ${k * Bk} + b`, `${D.dxw}`, u, true), u % 2 === 0), [DS.info])));
  const at2 = (off: number) => `int b = c.x; row = b; x = ${off} + c.y / 4; lane = c.y - (c.y / 4) * 4;`;
  outs.dh0 = run.output(pickProgram([B, u], carry.d, at2(C.dh), true), [carry.info]);
  if (cell === 'lstm') outs.dc0 = run.output(pickProgram([B, u], carry.d, at2(C.dc), true), [carry.info]);
  if (gru && resetAfter) perLayerPick(outs, 'drec', s, (Bk, k) => run.output(pickProgram([Bk, T, G * u], DS.d, where3(`r * ${B} + ${k * Bk} + b`, `${D.drec}`, u, true), u % 2 === 0), [DS.info]));
  if (a.sums) {
    // Per step and layer, then over the steps (partialSumProgram).
    const sums = (name: string, from: DenseInfo, at: number) => {
      const partial = run.dense(partialSumProgram(from.d, at, G * u4Of(u), B, s.groups, g.stack(T * s.groups, G * u4Of(u))), [from.info]);
      perLayerPick(outs, name, s, (_, k) => run.output(sumProgram(G, u, partial.d, s.groups, k), [partial.info]));
    };
    sums('dxwSum', RS ?? DS, RS ? 0 : D.dxw);
    if (gru && resetAfter) sums('drecSum', DS, D.drec);
  }
  if (a.tap) outs.dh = run.output(pickProgram([B, T, u], DS.d, where3(`r * ${B} + b`, `${D.tap}`, u, false), true), [DS.info]);
  return backwardOutputs(a).map((n) => outs[n]);
});

/**
 * Registers the webgl kernels of the fused recurrent op (idempotent) when TF.js runs WebGL2 — the
 * shaders use texelFetch and vector indexing. Without them (WebGL1) the op runs its composed
 * TF.js ops. Also registers UnrollAdam's programs (adam.ts), on WebGL1 too. Call after the webgl backend is set (backend.ts does); elsewhere it does nothing.
 */
export function registerWebGLRnnKernels(tf: TF): boolean {
  registerWebGLAdamKernel(tf); // the optimizer's programs need WebGL1 only
  if (tf.getBackend() !== 'webgl' || tf.env().getNumber('WEBGL_VERSION') !== 2) return false;
  if (!tf.getKernel(FORWARD_KERNEL, 'webgl')) tf.registerKernel({ kernelName: FORWARD_KERNEL, backendName: 'webgl', kernelFunc: forward });
  if (!tf.getKernel(BACKWARD_KERNEL, 'webgl')) tf.registerKernel({ kernelName: BACKWARD_KERNEL, backendName: 'webgl', kernelFunc: backward });
  return true;
}
