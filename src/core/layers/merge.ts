/** What Concatenate and Add share (Keras's `Merge` base): 2..N inputs, one handle each. */
import { formatShape, type Dim, type Shape, type TensorInfo } from '../shape.ts';
import type { PortSpec } from '../types.ts';
import type { InferContext } from './define.ts';

export function mergeInputs(n: number): PortSpec[] {
  return Array.from({ length: n }, (_, k) => ({ name: `input_${k}`, label: `in ${k + 1}` }));
}

export function describeInputs(ctx: InferContext, xs: readonly TensorInfo[]): string {
  return xs.map((x, k) => `${ctx.sources[k]?.node.name ?? `input ${k + 1}`} gives ${formatShape(x.shape)}`).join(', ');
}

/** Keras `_compute_elemwise_op_output_shape` on equal ranks: None is unknown, 1 broadcasts. */
export function elementwiseShape(a: Shape, b: Shape): Shape | null {
  if (a.length !== b.length) return null;
  const out: Dim[] = [];
  for (let k = 0; k < a.length; k++) {
    const i = a[k], j = b[k];
    if (i === null || j === null) out.push(k === 0 ? null : i ?? j);
    else if (i === 1) out.push(j);
    else if (j === 1) out.push(i);
    else if (i !== j) return null;
    else out.push(i);
  }
  return out;
}
