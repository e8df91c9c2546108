/** Flatten: (None, a, b, …) → (None, a·b·…); an unknown axis gives an unknown size, as in Keras. */
import type { Params } from '../types.ts';
import { product } from '../shape.ts';
import { defineLayer, MAIN_INPUT, MAIN_OUTPUT } from './define.ts';
import { dropMask } from './common.ts';
import { single } from './tfjs.ts';

export const Flatten = defineLayer<Params>({
  kind: 'Flatten',
  kerasClass: 'Flatten',
  defaultName: 'flatten',
  category: 'Core',
  help: 'Flattens every axis after the batch into one (needs a fixed sequence length to be useful).',
  params: [],
  keras: { keys: ['data_format'], fixed: { data_format: 'channels_last' } },
  inputs: () => [MAIN_INPUT],
  outputs: () => [MAIN_OUTPUT],
  infer: (_p, ctx) => {
    const x = ctx.inputs[0]!;
    const { out, issue } = dropMask(ctx, 'Flatten', x, { shape: [x.shape[0], product(x.shape.slice(1))], dtype: x.dtype, masked: false });
    return { outputs: [out], params: { trainable: 0, nonTrainable: 0 }, issues: issue ? [issue] : [] };
  },
  // TF.js's Flatten needs rank ≥ 3 with every size known; Keras's also takes rank 2 and None sizes.
  build: (tf, _p, ctx) => {
    const s = ctx.inputs[0]?.shape ?? [];
    const stock = s.length >= 3 && s.slice(1).every((d) => d !== null);
    return single(stock ? tf.layers.flatten({ name: ctx.name }) : ctx.kit.flatten({ name: ctx.name }));
  },
});
