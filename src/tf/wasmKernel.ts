/**
 * An `UnsortedSegmentSum` kernel: the gradient of `gather`, hence of every trainable Embedding.
 * TF.js 4.22's wasm backend has none (training an Embedding fails with "Kernel 'UnsortedSegmentSum'
 * not registered for backend 'wasm'"), and the cpu backend's loops once per segment over the whole
 * input (6–10× slower for a vocabulary of 1000). This one adds each row of `x` to the row of its
 * segment in a single pass. Call once after the backend is chosen and before training:
 *
 *   registerSegmentSumKernel(tf);            // wasm and cpu
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { TF } from '../core/layers/tfjs.ts';

type Values = Float32Array | Int32Array | Uint8Array;

/** The backend methods the kernel uses: cpu has makeTensorInfo; wasm has makeOutput. */
interface KernelBackendLike {
  readSync(dataId: object): unknown;
  makeTensorInfo?(shape: number[], dtype: tfjs.DataType, values: Values): tfjs.TensorInfo;
  makeOutput?(shape: number[], dtype: tfjs.DataType): tfjs.TensorInfo;
  typedArrayFromHeap?(t: tfjs.TensorInfo): Values;
}

/** Sums the rows of `x` (rows = the leading axes of `segmentIds`) into `numSegments` rows. */
export function segmentSum(x: ArrayLike<number>, ids: ArrayLike<number>, inner: number, numSegments: number, out: Values): void {
  for (let r = 0; r < ids.length; r++) {
    const s = ids[r];
    if (s < 0 || s >= numSegments) continue; // TF drops out-of-range ids
    const o = s * inner, i = r * inner;
    for (let k = 0; k < inner; k++) out[o + k] += x[i + k];
  }
}

const kernelFunc: tfjs.KernelFunc = ({ inputs, attrs, backend }) => {
  const { x, segmentIds } = inputs as { x: tfjs.TensorInfo; segmentIds: tfjs.TensorInfo };
  const numSegments = (attrs as { numSegments: number }).numSegments;
  const b = backend as unknown as KernelBackendLike;
  const xv = b.readSync(x.dataId) as Values;
  const ids = b.readSync(segmentIds.dataId) as Values;
  const tail = x.shape.slice(segmentIds.shape.length);
  const inner = tail.reduce((a, d) => a * d, 1);
  const shape = [numSegments, ...tail];
  const out = x.dtype === 'int32' ? new Int32Array(numSegments * inner) : new Float32Array(numSegments * inner);
  segmentSum(xv, ids, inner, numSegments, out);
  if (b.makeTensorInfo) return b.makeTensorInfo(shape, x.dtype, out);
  if (b.makeOutput && b.typedArrayFromHeap) {
    const t = b.makeOutput(shape, x.dtype);
    b.typedArrayFromHeap(t).set(out);
    return t;
  }
  throw new Error('UnsortedSegmentSum: this backend has neither makeTensorInfo nor makeOutput');
};

/**
 * Registers the kernel for these backends, replacing an existing one (cpu's slow kernel).
 * Safe to call more than once.
 */
export function registerSegmentSumKernel(tf: TF, backends: readonly string[] = ['wasm', 'cpu']): void {
  for (const backendName of backends) {
    if (tf.getKernel('UnsortedSegmentSum', backendName)?.kernelFunc === kernelFunc) continue;
    if (tf.getKernel('UnsortedSegmentSum', backendName)) tf.unregisterKernel('UnsortedSegmentSum', backendName);
    tf.registerKernel({ kernelName: 'UnsortedSegmentSum', backendName, kernelFunc });
  }
}
