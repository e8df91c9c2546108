/**
 * Dense: activation(x·W + b) on the last axis, whatever the rank: (None, 16) → (None, k) and
 * (None, T, 16) → (None, T, k). Params i·k + k. Keeps the incoming mask (Keras 3 supports_masking).
 */
import type { Params } from '../types.ts';
import { defineLayer, MAIN_INPUT, MAIN_OUTPUT, type InferContext, type InferResult } from './define.ts';
import { expectFloat, expectKnownLast, fail, spec } from './common.ts';
import { issues } from '../issues.ts';
import type { TensorInfo } from '../shape.ts';

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

export const denseSpecs = [
  spec.units(3, 'Number of outputs (for classification: the number of classes).'),
  spec.activation('linear', 'softmax for class probabilities, sigmoid for yes/no, linear for numbers.'),
  spec.useBias(),
  spec.initializer('kernel_initializer', 'glorot_uniform', 'Initializer of the weight matrix.'),
  spec.initializer('bias_initializer', 'zeros', 'Initializer of the bias.'),
];

export const Dense = defineLayer<DenseParams>({
  kind: 'Dense',
  kerasClass: 'Dense',
  defaultName: 'dense',
  category: 'Core',
  help: 'Fully-connected layer on the last axis: every output unit sees every feature.',
  params: denseSpecs,
  keyParams: ['units', 'activation'],
  inputs: () => [MAIN_INPUT],
  outputs: () => [MAIN_OUTPUT],
  infer: (p, ctx) => denseOn(p, ctx.inputs[0]!, ctx),
});
