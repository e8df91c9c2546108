/** GlobalAveragePooling1D: (None, T, f) → (None, f), the mean over time; with a mask, over unmasked steps only (Keras 3). */
import type { Params } from '../types.ts';
import { defineLayer, MAIN_INPUT, MAIN_OUTPUT } from './define.ts';
import { expectFloat, expectRank, fail } from './common.ts';
import { single } from './tfjs.ts';

export const GlobalAveragePooling1D = defineLayer<Params>({
  kind: 'GlobalAveragePooling1D',
  kerasClass: 'GlobalAveragePooling1D',
  defaultName: 'global_average_pooling1d',
  category: 'Core',
  help: 'Averages over the time axis (skipping masked padding): a sequence becomes one vector.',
  params: [],
  keras: { keys: ['data_format', 'keepdims'], fixed: { data_format: 'channels_last', keepdims: false }, buildConfig: false, callMask: true },
  inputs: () => [MAIN_INPUT],
  outputs: () => [MAIN_OUTPUT],
  infer: (_p, ctx) => {
    const x = ctx.inputs[0]!;
    const bad = expectRank(ctx, 'GlobalAveragePooling1D', x, [3], '(batch, time, features)') ?? expectFloat(ctx, 'GlobalAveragePooling1D', x);
    if (bad) return fail(bad);
    return { outputs: [{ shape: [x.shape[0], x.shape[2]], dtype: 'float32', masked: false }], params: { trainable: 0, nonTrainable: 0 } };
  },
  build: (_tf, _p, ctx) => single(ctx.kit.globalAveragePooling1D({ name: ctx.name, maskIn: ctx.inputs[0]?.masked ?? false })),
});
