/**
 * The WebAssembly (SIMD) build of the fused loops (assembly/rnn.ts → rnnWasm.generated.ts), with
 * the same signatures as loops.ts: `wasmForward(shape, arrays)` / `wasmBackward(shape, arrays)`.
 *
 * The module has its own memory (TF.js's wasm heap belongs to another module), so each call
 * copies its inputs in and its outputs out — O(B·T·Gu) floats against O(B·T·u·Gu) arithmetic.
 * Compiling the 6 kB module synchronously is refused on a browser's main thread (limit 4 kB);
 * `prepareRnnWasm()` compiles it asynchronously, and until then (or where WebAssembly SIMD is
 * missing) `rnnWasm()` is null and the TypeScript loops run.
 */
import type { CellKind } from './contract.ts';
import type { BackwardArrays, ForwardArrays, LoopShape } from './loops.ts';
import { RNN_WASM_BASE64 } from './rnnWasm.generated.ts';

interface Exports {
  readonly memory: WebAssembly.Memory;
  forward(...args: number[]): void;
  backward(...args: number[]): void;
  matmul(M: number, K: number, N: number, A: number, B: number, C: number, bias: number): void;
  heapBase(): number;
}

let instance: Exports | null = null;
let failed = false;
let pending: Promise<void> | null = null;

function bytes(): Uint8Array<ArrayBuffer> {
  const s = atob(RNN_WASM_BASE64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

function instantiate(module: WebAssembly.Module): void {
  instance = new WebAssembly.Instance(module, { env: { abort: () => { throw new Error('rnn wasm: abort'); } } }).exports as unknown as Exports;
}

/** Compiles the module asynchronously (call before training in a browser). Never rejects. */
export function prepareRnnWasm(): Promise<void> {
  if (instance || failed) return Promise.resolve();
  pending ??= (async () => {
    try {
      const b = bytes();
      if (!WebAssembly.validate(b)) throw new Error('no WebAssembly SIMD');
      instantiate(await WebAssembly.compile(b));
    } catch {
      failed = true;
    }
  })();
  return pending;
}

/** The instantiated module, compiling it synchronously when allowed (Node, workers); else null. */
export function rnnWasm(): Exports | null {
  if (instance || failed) return instance;
  try {
    const b = bytes();
    if (!WebAssembly.validate(b)) {
      failed = true;
      return null;
    }
    instantiate(new WebAssembly.Module(b));
  } catch {
    // A browser's main thread refuses synchronous compiles of this size: use the TypeScript
    // loops until prepareRnnWasm() has compiled it.
    void prepareRnnWasm();
    return null;
  }
  return instance;
}

const CELL: Record<CellKind, number> = { simple: 0, lstm: 1, gru: 2 };

/** A bump layout of f32 arrays in the module's memory after its static data, 16-byte aligned (0 = absent). */
class Arena {
  private top: number;
  private readonly parts: { ptr: number; src: Float32Array | null; len: number }[] = [];
  constructor(private readonly w: Exports) {
    this.top = Math.ceil(Math.max(16, w.heapBase()) / 16) * 16;
  }
  place(len: number, src: Float32Array | null = null): number {
    const ptr = this.top;
    this.top += Math.ceil((len * 4) / 16) * 16;
    this.parts.push({ ptr, src, len });
    return ptr;
  }
  input(a: Float32Array | null): number {
    return a ? this.place(a.length, a) : 0;
  }
  output(a: Float32Array | null): number {
    return a ? this.place(a.length) : 0;
  }
  /** Grows the memory to fit and copies the inputs in. */
  load(): Float32Array {
    const need = this.top - this.w.memory.buffer.byteLength;
    if (need > 0) this.w.memory.grow(Math.ceil(need / 65536));
    const heap = new Float32Array(this.w.memory.buffer);
    for (const p of this.parts) if (p.src) heap.set(p.src, p.ptr / 4);
    return heap;
  }
}

function read(heap: Float32Array, ptr: number, into: Float32Array | null): void {
  if (into && ptr) into.set(heap.subarray(ptr / 4, ptr / 4 + into.length));
}

function shapeArgs(s: LoopShape): number[] {
  return [CELL[s.cell], s.resetAfter ? 1 : 0, s.act, s.ract, s.B, s.T, s.u, s.returnSequences ? 1 : 0];
}

function gates(cell: CellKind): number {
  return cell === 'lstm' ? 4 : cell === 'gru' ? 3 : 1;
}

export function wasmForward(w: Exports, s: LoopShape, a: ForwardArrays): void {
  const m = new Arena(w);
  const ins = [a.xw, a.U, a.br, a.mask, a.h0, a.c0, a.rd].map((x) => m.input(x));
  const outs = [a.out, a.gates, a.hprev, a.cs, a.aux];
  const outPtrs = outs.map((x) => m.output(x));
  const scratch = m.place(6 * s.u + gates(s.cell) * s.u);
  m.load();
  w.forward(...shapeArgs(s), ...ins, ...outPtrs, scratch);
  const heap = new Float32Array(w.memory.buffer);
  outs.forEach((o, k) => read(heap, outPtrs[k], o));
}

export function wasmBackward(w: Exports, s: LoopShape, a: BackwardArrays): void {
  const m = new Arena(w);
  const ins = [a.dout, a.U, a.mask, a.rd, a.c0, a.gates, a.hprev, a.cs, a.aux].map((x) => m.input(x));
  const outs = [a.dxw, a.dh0, a.dc0, a.drec, a.dh];
  const outPtrs = outs.map((x) => m.output(x));
  const Gu = gates(s.cell) * s.u;
  const scratch = m.place(7 * s.u + 2 * Gu + s.u * Gu);
  m.load();
  w.backward(...shapeArgs(s), ...ins, ...outPtrs, scratch);
  const heap = new Float32Array(w.memory.buffer);
  outs.forEach((o, k) => read(heap, outPtrs[k], o));
}

/** [r, c] row-major → its transpose [c, r]. */
function transpose(a: Float32Array, r: number, c: number): Float32Array {
  const out = new Float32Array(a.length);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = a[i * c + j];
  return out;
}

/**
 * op(A)·op(B) (+ bias) into `out` [M, N], with the module's vectorised product. A is [M, K]
 * ([K, M] when transposeA), B is [K, N] ([N, K] when transposeB); transposes are done here first.
 */
export function wasmMatMul(
  w: Exports, a: Float32Array, b: Float32Array, bias: Float32Array | null, M: number, K: number, N: number,
  transposeA: boolean, transposeB: boolean, out: Float32Array,
): void {
  const m = new Arena(w);
  const pa = m.input(transposeA ? transpose(a, K, M) : a);
  const pb = m.input(transposeB ? transpose(b, N, K) : b);
  const pbias = m.input(bias);
  const pc = m.output(out);
  m.load();
  w.matmul(M, K, N, pa, pb, pc, pbias);
  read(new Float32Array(w.memory.buffer), pc, out);
}
