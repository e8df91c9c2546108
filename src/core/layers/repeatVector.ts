/** RepeatVector(n): (None, f) → (None, n, f); feeds one vector to every step of a decoder (one-to-many). */
import type { Params } from '../types.ts';
import { defineLayer, MAIN_INPUT, MAIN_OUTPUT } from './define.ts';
import { dropMask, expectRank, fail } from './common.ts';
import { single } from './tfjs.ts';

export interface RepeatVectorParams extends Params {
  readonly n: number;
}

export const RepeatVector = defineLayer<RepeatVectorParams>({
  kind: 'RepeatVector',
  kerasClass: 'RepeatVector',
  defaultName: 'repeat_vector',
  category: 'Core',
  help: 'Repeats a vector n times to make a sequence: the bridge from one vector to many steps.',
  params: [{ name: 'n', type: 'int', default: 8, min: 1, help: 'How many time steps to make.' }],
  keyParams: ['n'],
  keras: { keys: ['n'], positional: ['n'] },
  inputs: () => [MAIN_INPUT],
  outputs: () => [MAIN_OUTPUT],
  infer: (p, ctx) => {
    const x = ctx.inputs[0]!;
    const bad = expectRank(ctx, 'RepeatVector', x, [2], '(batch, features): one vector per example');
    if (bad) return fail(bad);
    const { out, issue } = dropMask(ctx, 'RepeatVector', x, { shape: [x.shape[0], p.n, x.shape[1]], dtype: x.dtype, masked: false });
    return { outputs: [out], params: { trainable: 0, nonTrainable: 0 }, issues: issue ? [issue] : [] };
  },
  build: (tf, p, ctx) => single(tf.layers.repeatVector({ name: ctx.name, n: p.n })),
});
