/**
 * Output: marks a tensor as a model output and carries its loss. Not a Keras layer: in exported
 * code the tensor feeding it is listed in `Model(outputs=[…])` and its loss in `compile(loss=…)`.
 */
import type { Params } from '../types.ts';
import { formatShape } from '../shape.ts';
import { issues } from '../issues.ts';
import { defineLayer, MAIN_INPUT } from './define.ts';

export const LOSSES = [
  'sparse_categorical_crossentropy', 'categorical_crossentropy', 'binary_crossentropy',
  'mean_squared_error', 'mean_absolute_error',
] as const;

export type Expects = 'any' | 'per_sequence' | 'per_step';

export interface OutputParams extends Params {
  readonly loss: (typeof LOSSES)[number];
  readonly expects: Expects;
}

export const Output = defineLayer<OutputParams>({
  kind: 'Output',
  kerasClass: 'Output',
  defaultName: 'output',
  category: 'Outputs',
  isLayer: false,
  help: 'Marks the prediction of the model and the loss it is trained with.',
  params: [
    { name: 'loss', type: 'enum', default: 'sparse_categorical_crossentropy', options: LOSSES, keras: false,
      help: 'sparse_categorical_crossentropy for integer class labels, binary_crossentropy for yes/no, mean_squared_error for numbers.' },
    { name: 'expects', type: 'enum', default: 'any', options: ['any', 'per_sequence', 'per_step'], keras: false,
      help: 'per_sequence: one prediction per example (many-to-one); per_step: one per time step (many-to-many). A dataset sets this.' },
  ],
  keyParams: ['loss'],
  inputs: () => [MAIN_INPUT],
  outputs: () => [],
  infer: (p, ctx) => {
    const x = ctx.inputs[0]!;
    const name = ctx.node.name;
    const out = [];
    if (p.expects === 'per_sequence' && x.shape.length !== 2) {
      out.push(issues.outputExpects(name, 'one prediction per sequence (None, classes)', x.shape, ctx.sources[0]));
    } else if (p.expects === 'per_step' && x.shape.length !== 3) {
      out.push(issues.outputExpects(name, 'one prediction for every time step (None, time, classes)', x.shape, ctx.sources[0]));
    }
    const last = x.shape[x.shape.length - 1];
    if (p.loss === 'sparse_categorical_crossentropy' && last === 1) {
      out.push({
        code: 'loss-units', severity: 'warning' as const, port: 'input',
        message: `sparse_categorical_crossentropy needs one probability per class, but ${ctx.sources[0]?.node.name ?? 'the prediction'} gives ${formatShape(x.shape)}: a single unit.`,
        fix: 'Set the units of the last Dense to the number of classes with softmax, or use binary_crossentropy with sigmoid for two classes.',
      });
    }
    return { outputs: [], params: { trainable: 0, nonTrainable: 0 }, issues: out };
  },
});
