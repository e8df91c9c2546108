/** Concatenate: joins 2..N tensors along `axis` (default the last); every other axis must agree. */
import type { Dim, TensorInfo } from '../shape.ts';
import type { Params } from '../types.ts';
import { issues } from '../issues.ts';
import { defineLayer, MAIN_OUTPUT } from './define.ts';
import { fail, mergeMasked, spec } from './common.ts';
import { nodeSemantics } from '../versions.ts';
import { describeInputs, mergeInputs } from './merge.ts';
import { anyMasked, applySymbolic, type TfSymbolic } from './tfjs.ts';

export interface ConcatenateParams extends Params {
  readonly axis: number;
  readonly n_inputs: number;
}

export const Concatenate = defineLayer<ConcatenateParams>({
  kind: 'Concatenate',
  kerasClass: 'Concatenate',
  defaultName: 'concatenate',
  category: 'Merge',
  swapsWith: ['Add'],
  help: 'Joins several tensors side by side along one axis (default: the features).',
  params: [
    { name: 'axis', type: 'int', default: -1, min: -8, max: 8, help: 'Axis to join along; -1 is the last (features).' },
    spec.inputCount(),
    spec.semantics('its output mask'),
  ],
  keyParams: ['axis'],
  keras: { keys: ['axis'] },
  inputs: (p) => mergeInputs(p.n_inputs),
  outputs: () => [MAIN_OUTPUT],
  infer: (p, ctx) => {
    const xs = ctx.inputs as TensorInfo[];
    const r = xs[0].shape.length;
    const name = ctx.node.name;
    if (xs.some((x) => x.shape.length !== r)) {
      return fail(issues.mergeShapes(name, 'Concatenate', `all inputs need the same rank, but ${describeInputs(ctx, xs)}`));
    }
    const axis = p.axis < 0 ? r + p.axis : p.axis;
    if (axis < 1 || axis >= r) {
      return fail(issues.mergeShapes(name, 'Concatenate', `axis ${p.axis} does not exist (or is the batch axis) for inputs of rank ${r}`));
    }
    const out: Dim[] = [];
    for (let k = 0; k < r; k++) {
      const dims = xs.map((x) => x.shape[k]);
      if (k === axis) {
        out.push(dims.some((d) => d === null) ? null : (dims as number[]).reduce((a, b) => a + b, 0));
        continue;
      }
      const known = dims.filter((d): d is number => d !== null);
      if (known.some((d) => d !== known[0])) {
        return fail(issues.mergeShapes(name, 'Concatenate', `they must agree on every axis except ${p.axis}, but ${describeInputs(ctx, xs)}`));
      }
      out.push(known.length ? known[0] : null);
    }
    return {
      outputs: [{ shape: out, dtype: xs.every((x) => x.dtype === 'int32') ? 'int32' : 'float32', masked: mergeMasked(p, xs, true) }],
      params: { trainable: 0, nonTrainable: 0 },
    };
  },
  build: (_tf, p, ctx) => {
    const layer = ctx.kit.concatenate({ name: ctx.name, axis: p.axis, maskIn: anyMasked(ctx.inputs), maskRule: nodeSemantics(p).mergeMask });
    return { layer, apply: (xs) => applySymbolic(layer, xs as TfSymbolic[]) };
  },
});
