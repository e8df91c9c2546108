/** Dropout: zeroes a fraction `rate` of the values while training; shape and mask unchanged. */
import type { Params } from '../types.ts';
import { defineLayer, MAIN_INPUT, MAIN_OUTPUT } from './define.ts';
import { single } from './tfjs.ts';

export interface DropoutParams extends Params {
  readonly rate: number;
}

export const Dropout = defineLayer<DropoutParams>({
  kind: 'Dropout',
  kerasClass: 'Dropout',
  defaultName: 'dropout',
  category: 'Core',
  help: 'Randomly zeroes a fraction of the values while training, against overfitting.',
  params: [{ name: 'rate', type: 'float', default: 0.5, min: 0, max: 1, maxExclusive: true, help: 'Fraction of the values to drop (0 ≤ rate < 1).' }],
  keyParams: ['rate'],
  keras: { keys: ['rate', 'seed', 'noise_shape'], fixed: { seed: null, noise_shape: null }, positional: ['rate'], buildConfig: false },
  inputs: () => [MAIN_INPUT],
  outputs: () => [MAIN_OUTPUT],
  infer: (_p, ctx) => ({ outputs: [ctx.inputs[0]!], params: { trainable: 0, nonTrainable: 0 } }),
  build: (tf, p, ctx) => single(tf.layers.dropout({ name: ctx.name, rate: p.rate })),
});
