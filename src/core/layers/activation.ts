/** Activation: applies a function element-wise; shape and mask unchanged. */
import type { Params } from '../types.ts';
import { defineLayer, MAIN_INPUT, MAIN_OUTPUT } from './define.ts';
import { spec } from './common.ts';
import { single } from './tfjs.ts';

export interface ActivationParams extends Params {
  readonly activation: string;
}

export const Activation = defineLayer<ActivationParams>({
  kind: 'Activation',
  kerasClass: 'Activation',
  defaultName: 'activation',
  category: 'Core',
  help: 'Applies an activation function to every value.',
  params: [spec.activation('relu', 'The function to apply.')],
  keyParams: ['activation'],
  keras: { keys: ['activation'], positional: ['activation'], buildConfig: false },
  inputs: () => [MAIN_INPUT],
  outputs: () => [MAIN_OUTPUT],
  infer: (_p, ctx) => {
    const x = ctx.inputs[0]!;
    return { outputs: [{ ...x, dtype: 'float32' }], params: { trainable: 0, nonTrainable: 0 } };
  },
  build: (tf, p, ctx) => single(tf.layers.activation({ name: ctx.name, activation: ctx.kit.activation(p.activation) })),
});
