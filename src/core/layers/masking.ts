/** Masking: marks time steps whose features all equal mask_value as padding (for float sequences). */
import type { Params } from '../types.ts';
import { defineLayer, MAIN_INPUT, MAIN_OUTPUT } from './define.ts';
import { expectRank, fail } from './common.ts';
import { single } from './tfjs.ts';

export interface MaskingParams extends Params {
  readonly mask_value: number;
}

export const Masking = defineLayer<MaskingParams>({
  kind: 'Masking',
  kerasClass: 'Masking',
  defaultName: 'masking',
  category: 'Core',
  help: 'Marks steps whose features all equal mask_value as padding, so RNNs skip them.',
  params: [{ name: 'mask_value', type: 'float', default: 0, help: 'Steps where every feature equals this value are masked.' }],
  keyParams: ['mask_value'],
  keras: { keys: ['mask_value'], buildConfig: false },
  inputs: () => [MAIN_INPUT],
  outputs: () => [MAIN_OUTPUT],
  infer: (_p, ctx) => {
    const x = ctx.inputs[0]!;
    const bad = expectRank(ctx, 'Masking', x, [3], '(batch, time, features)');
    if (bad) return fail(bad);
    return { outputs: [{ ...x, masked: true }], params: { trainable: 0, nonTrainable: 0 } };
  },
  build: (tf, p, ctx) => single(tf.layers.masking({ name: ctx.name, maskValue: p.mask_value })),
});
