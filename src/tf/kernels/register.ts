/**
 * Registers UnrollRnnForward / UnrollRnnBackward and UnrollAdam (adam.ts) for TF.js's cpu and wasm
 * backends.
 *
 * The kernels read and write the tensors' own memory: on cpu the backend's typed arrays, on wasm
 * views of the TF.js wasm heap (`typedArrayFromHeap`), so nothing is copied in or out. On wasm
 * every output is allocated (`makeOutput`, which may grow the heap and detach older views) before
 * any view is taken.
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { TF } from '../../core/layers/tfjs.ts';
import { BACKWARD_KERNEL, FORWARD_KERNEL, MATMUL_KERNEL, activationCode, backwardShapes, forwardShapes, type RnnAttrs } from './contract.ts';
import { ADAM_KERNEL, adamLoop, type AdamAttrs } from './adam.ts';
import { backwardLoops, forwardLoops, type BackwardArrays, type ForwardArrays, type LoopShape } from './loops.ts';
import { rnnWasm, wasmBackward, wasmForward, wasmMatMul } from './wasmLoops.ts';

/** The WebAssembly SIMD loops when the module is available, else the TypeScript ones (same results). */
function runForwardLoops(s: LoopShape, a: ForwardArrays): void {
  const w = rnnWasm();
  if (w) wasmForward(w, s, a);
  else forwardLoops(s, a);
}

function runBackwardLoops(s: LoopShape, a: BackwardArrays): void {
  const w = rnnWasm();
  if (w) wasmBackward(w, s, a);
  else backwardLoops(s, a);
}

type Info = tfjs.TensorInfo;

interface CpuLike {
  readSync(dataId: object): unknown;
  makeTensorInfo(shape: number[], dtype: tfjs.DataType, values: Float32Array): Info;
}
interface WasmLike {
  makeOutput(shape: number[], dtype: tfjs.DataType): Info;
  typedArrayFromHeap(t: Info): Float32Array;
}

/** Memory access for one kernel call on either backend. */
interface Memory {
  /** Allocate the outputs (all of them, before `view`). */
  alloc(shapes: number[][]): void;
  /** A Float32Array over an input tensor's data. */
  input(t: Info | undefined): Float32Array | null;
  /** The k-th allocated output's array. */
  output(k: number): Float32Array;
  /** The outputs as tensor infos for the engine. */
  results(): Info[];
}

function memory(backend: unknown): Memory {
  const w = backend as Partial<WasmLike>;
  if (typeof w.makeOutput === 'function' && typeof w.typedArrayFromHeap === 'function') {
    const wasm = backend as WasmLike;
    let infos: Info[] = [];
    return {
      alloc: (shapes) => { infos = shapes.map((s) => wasm.makeOutput(s, 'float32')); },
      input: (t) => (t ? wasm.typedArrayFromHeap(t) : null),
      output: (k) => wasm.typedArrayFromHeap(infos[k]),
      results: () => infos,
    };
  }
  const cpu = backend as CpuLike;
  let arrays: Float32Array[] = [], shapes: number[][] = [];
  return {
    alloc: (s) => {
      shapes = s;
      arrays = s.map((shape) => new Float32Array(shape.reduce((a, d) => a * d, 1)));
    },
    input: (t) => {
      if (!t) return null;
      const v = cpu.readSync(t.dataId);
      return v instanceof Float32Array ? v : Float32Array.from(v as ArrayLike<number>);
    },
    output: (k) => arrays[k],
    results: () => arrays.map((a, k) => cpu.makeTensorInfo(shapes[k], 'float32', a)),
  };
}

function loopShape(a: RnnAttrs, B: number, T: number): LoopShape {
  return {
    cell: a.cell, resetAfter: a.resetAfter, act: activationCode(a.activation), ract: activationCode(a.recurrentActivation),
    B, T, u: a.units, returnSequences: a.returnSequences,
  };
}

/** A kernel call's attributes, inputs, and its outputs allocated by name. */
function prepare(args: Parameters<tfjs.KernelFunc>[0], shapes: (a: RnnAttrs, B: number, T: number) => [string, number[]][]) {
  const a = args.attrs as unknown as RnnAttrs;
  if ((a.groups ?? 1) !== 1) throw new Error('fused RNN: stacked layers (attribute groups) run on webgl only; op.ts runs them one by one here');
  if (a.denseSaved) throw new Error('fused RNN: dense saved rows (attribute denseSaved) are written on webgl only');
  if (a.sums) throw new Error('fused RNN: the bias sums (attribute sums) are written on webgl only; op.ts sums dxw here');
  const ins = args.inputs as Record<string, Info | undefined>;
  const [B, T] = (ins.xw ?? ins.gates)!.shape;
  const outs = shapes(a, B, T);
  const mem = memory(args.backend);
  mem.alloc(outs.map(([, s]) => s));
  const names = outs.map(([n]) => n);
  const out = (n: string) => (names.includes(n) ? mem.output(names.indexOf(n)) : null);
  const input = (n: string) => mem.input(ins[n]);
  return { shape: loopShape(a, B, T), input, out, mem };
}

const forward: tfjs.KernelFunc = (args) => {
  const { shape, input, out, mem } = prepare(args, forwardShapes);
  runForwardLoops(shape, {
    xw: input('xw')!, U: input('u')!, br: input('br'), mask: input('mask'), h0: input('h0'), c0: input('c0'), rd: input('rd'),
    out: out('out')!, gates: out('gates'), hprev: out('hprev'), cs: out('cs'), aux: out('aux'),
  });
  return mem.results();
};

const backward: tfjs.KernelFunc = (args) => {
  const { shape, input, out, mem } = prepare(args, backwardShapes);
  runBackwardLoops(shape, {
    dout: input('dout')!, U: input('u')!, mask: input('mask'), rd: input('rd'), c0: input('c0'),
    gates: input('gates')!, hprev: input('hprev')!, cs: input('cs'), aux: input('aux'),
    dxw: out('dxw')!, dh0: out('dh0')!, dc0: out('dc0'), drec: out('drec'), dh: out('dh'),
  });
  return mem.results();
};

/** UnrollMatMul (cpu): the product of the WebAssembly module (op.ts uses it only when the module is there). */
const matMul: tfjs.KernelFunc = ({ inputs, attrs, backend }) => {
  const { a, b, bias } = inputs as Record<string, Info | undefined>;
  const { transposeA, transposeB } = attrs as unknown as { transposeA: boolean; transposeB: boolean };
  const [ra, ca] = a!.shape, [rb, cb] = b!.shape;
  const M = transposeA ? ca : ra, K = transposeA ? ra : ca, N = transposeB ? rb : cb;
  const mem = memory(backend);
  mem.alloc([[M, N]]);
  const w = rnnWasm();
  if (!w) throw new Error('UnrollMatMul: the WebAssembly module is not available');
  wasmMatMul(w, mem.input(a)!, mem.input(b)!, mem.input(bias), M, K, N, transposeA, transposeB, mem.output(0));
  return mem.results();
};

/** UnrollAdam (cpu, wasm): the Adam update of one variable (adam.ts) in one pass. */
const adam: tfjs.KernelFunc = ({ inputs, attrs, backend }) => {
  const { value, m, v, g } = inputs as Record<string, Info>;
  const mem = memory(backend);
  mem.alloc([value.shape, value.shape, value.shape]);
  adamLoop(attrs as unknown as AdamAttrs, mem.input(value)!, mem.input(m)!, mem.input(v)!, mem.input(g)!, mem.output(0), mem.output(1), mem.output(2));
  return mem.results();
};

/**
 * Registers the fused kernels for these backends (default cpu and wasm), replacing earlier
 * registrations of the same names. Safe to call more than once.
 */
export function registerFusedRnnKernels(tf: TF, backends: readonly string[] = ['cpu', 'wasm']): void {
  for (const backendName of backends) {
    for (const [kernelName, kernelFunc] of [[FORWARD_KERNEL, forward], [BACKWARD_KERNEL, backward], [ADAM_KERNEL, adam]] as const) {
      const existing = tf.getKernel(kernelName, backendName);
      if (existing?.kernelFunc === kernelFunc) continue;
      if (existing) tf.unregisterKernel(kernelName, backendName);
      tf.registerKernel({ kernelName, backendName, kernelFunc });
    }
  }
  if (backends.includes('cpu') && tf.getKernel(MATMUL_KERNEL, 'cpu')?.kernelFunc !== matMul) {
    if (tf.getKernel(MATMUL_KERNEL, 'cpu')) tf.unregisterKernel(MATMUL_KERNEL, 'cpu');
    tf.registerKernel({ kernelName: MATMUL_KERNEL, backendName: 'cpu', kernelFunc: matMul });
  }
}
