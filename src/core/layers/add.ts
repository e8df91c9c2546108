/** Add: element-wise sum of 2..N tensors of the same shape (a residual connection). */
import type { Shape, TensorInfo } from '../shape.ts';
import type { Params } from '../types.ts';
import { issues } from '../issues.ts';
import { defineLayer, MAIN_OUTPUT } from './define.ts';
import { fail, mergeMasked, spec } from './common.ts';
import { nodeSemantics } from '../versions.ts';
import { describeInputs, elementwiseShape, mergeInputs } from './merge.ts';
import { anyMasked, applySymbolic, type TfSymbolic } from './tfjs.ts';

export interface AddParams extends Params {
  readonly n_inputs: number;
}

export const Add = defineLayer<AddParams>({
  kind: 'Add',
  kerasClass: 'Add',
  defaultName: 'add',
  category: 'Merge',
  swapsWith: ['Concatenate'],
  help: 'Adds tensors of the same shape element by element (e.g. a residual connection).',
  params: [spec.inputCount(), spec.semantics('its output mask')],
  keras: { keys: [] },
  inputs: (p) => mergeInputs(p.n_inputs),
  outputs: () => [MAIN_OUTPUT],
  infer: (p, ctx) => {
    const xs = ctx.inputs as TensorInfo[];
    let shape: Shape | null = xs[0].shape;
    for (const x of xs.slice(1)) {
      shape = shape && elementwiseShape(shape, x.shape);
    }
    if (!shape) return fail(issues.mergeShapes(ctx.node.name, 'Add', `the shapes differ: ${describeInputs(ctx, xs)}`));
    return {
      outputs: [{ shape, dtype: xs.every((x) => x.dtype === 'int32') ? 'int32' : 'float32', masked: mergeMasked(p, xs, false) }],
      params: { trainable: 0, nonTrainable: 0 },
    };
  },
  build: (_tf, p, ctx) => {
    const layer = ctx.kit.add({ name: ctx.name, maskIn: anyMasked(ctx.inputs), maskRule: nodeSemantics(p).mergeMask });
    return { layer, apply: (xs) => applySymbolic(layer, xs as TfSymbolic[]) };
  },
});
