/**
 * Dense: activation(x·W + b) on the last axis, whatever the rank: (None, 16) → (None, k) and
 * (None, T, 16) → (None, T, k). Params i·k + k. Keeps the incoming mask (Keras 3 supports_masking).
 */
import type { Params } from '../types.ts';
import type { KerasHooks, WeightSpec } from './define.ts';
import { defineLayer, MAIN_INPUT, MAIN_OUTPUT, type InferContext, type InferResult } from './define.ts';
import { expectFloat, expectKnownLast, fail, spec } from './common.ts';
import { issues } from '../issues.ts';
import type { TensorInfo } from '../shape.ts';
import { single, type TF, type TfjsKit, type TfLayer } from './tfjs.ts';

export interface DenseParams extends Params {
  readonly units: number;
  readonly activation: string;
  readonly use_bias: boolean;
  readonly kernel_initializer: string;
  readonly bias_initializer: string;
}

/** Dense's rule on one tensor; TimeDistributed(Dense) reuses it. */
export function denseOn(p: DenseParams, x: TensorInfo, ctx: InferContext, kind = 'Dense'): InferResult {
  if (x.shape.length < 2) return fail(issues.rankMismatch(ctx.node.name, kind, 'at least (batch, features)', x.shape, ctx.sources[0]));
  const bad = expectFloat(ctx, kind, x) ?? expectKnownLast(ctx, x);
  if (bad) return fail(bad);
  const i = x.shape[x.shape.length - 1]!;
  return {
    outputs: [{ shape: [...x.shape.slice(0, -1), p.units], dtype: 'float32', masked: x.masked }],
    params: { trainable: i * p.units + (p.use_bias ? p.units : 0), nonTrainable: 0 },
  };
}

/** Dense's variables for input size `i`: kernel (i, units), bias (units). */
export function denseWeights(p: DenseParams, i: number, pathPrefix = '', storePrefix = ''): WeightSpec[] {
  const out: WeightSpec[] = [{ name: 'kernel', path: `${pathPrefix}kernel`, store: `${storePrefix}vars/0`, shape: [i, p.units] }];
  if (p.use_bias) out.push({ name: 'bias', path: `${pathPrefix}bias`, store: `${storePrefix}vars/1`, shape: [p.units] });
  return out;
}

export const denseSpecs = [
  spec.units(3, 'Number of outputs (for classification: the number of classes).'),
  spec.activation('linear', 'softmax for class probabilities, sigmoid for yes/no, linear for numbers.'),
  spec.useBias(),
  spec.initializer('kernel_initializer', 'glorot_uniform', 'Initializer of the weight matrix.'),
  spec.initializer('bias_initializer', 'zeros', 'Initializer of the bias.'),
];

/** Keras 3 Dense get_config() keys; TimeDistributed's inner Dense uses them too. */
export const denseKeras: KerasHooks = {
  keys: [
    'units', 'activation', 'use_bias', 'kernel_initializer', 'bias_initializer', 'kernel_regularizer',
    'bias_regularizer', 'kernel_constraint', 'bias_constraint', 'quantization_config',
  ],
  fixed: { kernel_regularizer: null, bias_regularizer: null, kernel_constraint: null, bias_constraint: null, quantization_config: null },
  positional: ['units'],
};

/** The TF.js Dense for these parameters (TimeDistributed reuses it for its inner layer). */
export function denseLayer(tf: TF, p: DenseParams, name: string, kit: TfjsKit): TfLayer {
  return tf.layers.dense({
    name, units: p.units, activation: kit.activation(p.activation), useBias: p.use_bias,
    kernelInitializer: kit.initializer(p.kernel_initializer), biasInitializer: kit.initializer(p.bias_initializer),
  });
}

export const Dense = defineLayer<DenseParams>({
  kind: 'Dense',
  kerasClass: 'Dense',
  defaultName: 'dense',
  category: 'Core',
  help: 'Fully-connected layer on the last axis: every output unit sees every feature.',
  params: denseSpecs,
  keyParams: ['units', 'activation'],
  keras: denseKeras,
  inputs: () => [MAIN_INPUT],
  outputs: () => [MAIN_OUTPUT],
  infer: (p, ctx) => denseOn(p, ctx.inputs[0]!, ctx),
  weights: (p, inputs) => {
    const x = inputs[0];
    const i = x && x.shape.length >= 2 ? x.shape[x.shape.length - 1] : null;
    return i === null || i === undefined ? null : denseWeights(p, i);
  },
  build: (tf, p, ctx) => single(denseLayer(tf, p, ctx.name, ctx.kit)),
});
