/**
 * `UnsortedSegmentSum` for TF.js's webgl backend when segments are many: the gradient of `gather`,
 * hence of every trainable Embedding (a [N, D] gradient summed into [vocabulary, D]).
 *
 * TF.js 4.22's webgl kernel has every output element compare all N segment ids — vocabulary × N × D
 * steps: 20 M for the benchmark's Embedding(1000, 16) at 32 × 40 tokens, 0.5 G for a 10,000-word
 * vocabulary at 32 × 100. On SwiftShader that one program took ~90 ms of a ~250 ms training step.
 * This kernel reads the ids (N integers) to the CPU, sorts the positions by segment there (a
 * counting sort, O(N + vocabulary)), uploads the offsets and the order, and sums each segment's
 * own rows in one program: vocabulary × D outputs, N × D additions in all, in position order (as
 * TF.js's cpu kernel adds them).
 *
 * Reading the ids waits for the GPU to produce them (usually they are the model's input, uploaded
 * at the start of the step, so little is pending). That wait is worth it on a software renderer
 * always, and on a GPU only when the comparisons are many: below `GPU_MIN_WORK` and for shapes other
 * than gather's gradient (ids of rank 1, x of rank 2) the call goes to TF.js's own kernel.
 * Out-of-range ids are dropped, as TF does.
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { GPGPUProgram, MathBackendWebGL } from '@tensorflow/tfjs-backend-webgl';
import type { TF } from '../../../core/layers/tfjs.ts';
import { MARK } from './programs.ts';

/** vocabulary × N × D above which a hardware GPU uses this kernel (a guess: not measured on a GPU here). */
export const GPU_MIN_WORK = 1 << 26;

/** Positions grouped by segment, in position order within a segment; ids outside [0, numSegments) dropped. */
export function segmentOrder(ids: ArrayLike<number>, numSegments: number): { offsets: Int32Array; order: Int32Array } {
  const offsets = new Int32Array(numSegments + 1);
  for (let i = 0; i < ids.length; i++) {
    const s = ids[i];
    if (s >= 0 && s < numSegments) offsets[s + 1]++;
  }
  for (let s = 0; s < numSegments; s++) offsets[s + 1] += offsets[s];
  const order = new Int32Array(offsets[numSegments]);
  const next = offsets.slice(0, numSegments);
  for (let i = 0; i < ids.length; i++) {
    const s = ids[i];
    if (s >= 0 && s < numSegments) order[next[s]++] = i;
  }
  return { offsets, order };
}

function program(numSegments: number, inner: number, hasOrder: boolean): GPGPUProgram {
  return {
    variableNames: hasOrder ? ['x', 'offsets', 'order'] : ['x', 'offsets'],
    outputShape: [numSegments, inner],
    // Shapes as uniforms: one compilation per layer, not per batch length (N changes with it).
    enableShapeUniforms: true,
    userCode: `${MARK}
      void main() {
        ivec2 c = getOutputCoords();
        int k1 = int(getOffsets(c.x + 1));
        float sum = 0.0;
        for (int k = int(getOffsets(c.x)); k < k1; k++) {
          sum += getX(${hasOrder ? 'int(getOrder(k))' : 'k'}, c.y);
        }
        setOutput(sum);
      }`,
  };
}

interface Registration {
  readonly original: tfjs.KernelFunc;
  /** Whether the context renders in software (then this kernel always pays). */
  readonly software: boolean;
}

const REGISTERED = new WeakMap<object, Registration>();

function kernelFor(reg: Registration): tfjs.KernelFunc {
  return (args) => {
    const { x, segmentIds } = args.inputs as { x: tfjs.TensorInfo; segmentIds: tfjs.TensorInfo };
    const numSegments = (args.attrs as { numSegments: number }).numSegments;
    const backend = args.backend as MathBackendWebGL;
    const N = segmentIds.shape.reduce((a, d) => a * d, 1);
    const inner = x.shape.slice(1).reduce((a, d) => a * d, 1);
    const fits = segmentIds.shape.length === 1 && x.shape.length === 2 && x.shape[0] === N && x.dtype === 'float32' && N > 0 && inner > 0 && numSegments > 0;
    if (!fits || (!reg.software && numSegments * N * inner < GPU_MIN_WORK)) return reg.original(args);
    const ids = backend.readSync(segmentIds.dataId) as ArrayLike<number>;
    const { offsets, order } = segmentOrder(ids, numSegments);
    // Without dropped ids and already in order (ids sorted), the order is the identity: not uploaded.
    const identity = order.every((p, k) => p === k);
    const off = backend.makeTensorInfo([numSegments + 1], 'int32', offsets);
    const ord = identity ? null : backend.makeTensorInfo([order.length], 'int32', order);
    try {
      return backend.runWebGLProgram(program(numSegments, inner, !identity), ord ? [x, off, ord] : [x, off], 'float32');
    } finally {
      backend.disposeIntermediateTensorInfo(off);
      if (ord) backend.disposeIntermediateTensorInfo(ord);
    }
  };
}

/**
 * Replaces the webgl backend's UnsortedSegmentSum with this one (keeping TF.js's for the cases it
 * delegates). Call when the webgl backend is set; `software` says whether its renderer is a
 * software rasteriser. Idempotent; returns false when TF.js is not on webgl.
 */
export function registerWebGLSegmentSumKernel(tf: TF, software: boolean): boolean {
  if (tf.getBackend() !== 'webgl') return false;
  const current = tf.getKernel('UnsortedSegmentSum', 'webgl');
  if (!current) return false;
  const prior = REGISTERED.get(current.kernelFunc as object);
  const original = prior ? prior.original : current.kernelFunc;
  if (prior && prior.software === software) return true;
  const reg: Registration = { original, software };
  const kernelFunc = kernelFor(reg);
  REGISTERED.set(kernelFunc, reg);
  tf.unregisterKernel('UnsortedSegmentSum', 'webgl');
  tf.registerKernel({ kernelName: 'UnsortedSegmentSum', backendName: 'webgl', kernelFunc });
  return true;
}
