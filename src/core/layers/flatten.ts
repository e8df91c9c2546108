/** Flatten: (None, a, b, …) → (None, a·b·…); an unknown axis gives an unknown size, as in Keras. */
import type { Params } from '../types.ts';
import { product } from '../shape.ts';
import { defineLayer, MAIN_INPUT, MAIN_OUTPUT } from './define.ts';
import { dropMask } from './common.ts';

export const Flatten = defineLayer<Params>({
  kind: 'Flatten',
  kerasClass: 'Flatten',
  defaultName: 'flatten',
  category: 'Core',
  help: 'Flattens every axis after the batch into one (needs a fixed sequence length to be useful).',
  params: [],
  inputs: () => [MAIN_INPUT],
  outputs: () => [MAIN_OUTPUT],
  infer: (_p, ctx) => {
    const x = ctx.inputs[0]!;
    const { out, issue } = dropMask(ctx, 'Flatten', x, { shape: [x.shape[0], product(x.shape.slice(1))], dtype: x.dtype, masked: false });
    return { outputs: [out], params: { trainable: 0, nonTrainable: 0 }, issues: issue ? [issue] : [] };
  },
});
