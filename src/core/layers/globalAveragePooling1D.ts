/** GlobalAveragePooling1D: (None, T, f) → (None, f), the mean over time; with a mask, over unmasked steps only (Keras 3). */
import type { Params } from '../types.ts';
import { defineLayer, MAIN_INPUT, MAIN_OUTPUT } from './define.ts';
import { expectFloat, expectRank, fail } from './common.ts';

export const GlobalAveragePooling1D = defineLayer<Params>({
  kind: 'GlobalAveragePooling1D',
  kerasClass: 'GlobalAveragePooling1D',
  defaultName: 'global_average_pooling1d',
  category: 'Core',
  help: 'Averages over the time axis (skipping masked padding): a sequence becomes one vector.',
  params: [],
  inputs: () => [MAIN_INPUT],
  outputs: () => [MAIN_OUTPUT],
  infer: (_p, ctx) => {
    const x = ctx.inputs[0]!;
    const bad = expectRank(ctx, 'GlobalAveragePooling1D', x, [3], '(batch, time, features)') ?? expectFloat(ctx, 'GlobalAveragePooling1D', x);
    if (bad) return fail(bad);
    return { outputs: [{ shape: [x.shape[0], x.shape[2]], dtype: 'float32', masked: false }], params: { trainable: 0, nonTrainable: 0 } };
  },
});
