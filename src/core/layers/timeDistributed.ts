/**
 * TimeDistributed(Dense): applies the same Dense to every time step. (None, T, i) → (None, T, k).
 * Params: those of the inner Dense. Keeps the mask.
 */
import { withDefaults } from '../params.ts';
import type { Params } from '../types.ts';
import { defineLayer, MAIN_INPUT, MAIN_OUTPUT } from './define.ts';
import { denseOn, denseSpecs, denseWeights, type DenseParams } from './dense.ts';
import { expectRank, fail } from './common.ts';
import { denseLayer } from './dense.ts';
import { single } from './tfjs.ts';

export interface TimeDistributedParams extends Params {
  readonly layer: { readonly kind: string; readonly params: Params };
}

export function innerDense(p: TimeDistributedParams): DenseParams {
  return withDefaults(denseSpecs, p.layer.params) as DenseParams;
}

export const TimeDistributed = defineLayer<TimeDistributedParams>({
  kind: 'TimeDistributed',
  kerasClass: 'TimeDistributed',
  defaultName: 'time_distributed',
  category: 'Wrappers',
  help: 'Applies the wrapped Dense layer to every time step independently (many-to-many outputs).',
  params: [
    { name: 'layer', type: 'layer', default: { kind: 'Dense', params: { units: 3 } }, kinds: ['Dense'], help: 'The layer applied at each time step.' },
  ],
  keras: {
    keys: ['layer'],
    positional: ['layer'],
    callMask: true,
    // The inner layer is built on one time step: (batch, features).
    toConfig: (p, ctx) => {
      const s = ctx.inputShape;
      const step = Array.isArray(s) ? [s[0], ...s.slice(2)] : null;
      return { layer: ctx.nested(p.layer, ctx.nestedName(p.layer), step) };
    },
    fromConfig: (c, ctx) => ({ layer: ctx.nested(c.layer, 'layer') }),
  },
  inputs: () => [MAIN_INPUT],
  outputs: () => [MAIN_OUTPUT],
  // The inner layer's variables, stored under `layer/` (Keras 3 saving_lib walks the `layer` attribute).
  weights: (p, inputs) => {
    const x = inputs[0];
    const i = x && x.shape.length >= 2 ? x.shape[x.shape.length - 1] : null;
    if (i === null || i === undefined) return null;
    const n = (p.layer as { name?: unknown }).name;
    return denseWeights(innerDense(p), i, `${typeof n === 'string' && n ? n : 'dense'}/`, 'layer/');
  },
  infer: (p, ctx) => {
    const x = ctx.inputs[0]!;
    const bad = expectRank(ctx, 'TimeDistributed', x, [3], '(batch, time, features)');
    if (bad) return fail(bad);
    const inner = denseOn(innerDense(p), { ...x, shape: [x.shape[0], ...x.shape.slice(2)] }, ctx, 'TimeDistributed(Dense)');
    const o = inner.outputs[0];
    if (!o) return inner;
    return { ...inner, outputs: [{ ...o, shape: [x.shape[0], x.shape[1], ...o.shape.slice(1)], masked: x.masked }] };
  },
  // The inner Dense is named 'dense' as in Keras; its weights are scoped under this layer's name.
  build: (tf, p, ctx) => single(tf.layers.timeDistributed({ name: ctx.name, layer: denseLayer(tf, innerDense(p), 'dense', ctx.kit) })),
});
