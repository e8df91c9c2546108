/**
 * Output: marks a tensor as a model output and carries its loss. Not a Keras layer: in exported
 * code the tensor feeding it is listed in `Model(outputs=[…])`, its loss in `compile(loss=…)`
 * (None for `none`) and its weight in `loss_weights`.
 *
 * Several Outputs train together as Keras does: the total loss is Σ loss_weight · loss over the
 * Outputs that have a loss. An Output wired to a recurrent state (h, c) gets no loss by default:
 * it is there to be looked at (or to feed an inference model), not to be trained towards a target.
 */
import type { Params } from '../types.ts';
import { formatShape } from '../shape.ts';
import { issues } from '../issues.ts';
import { defineLayer, MAIN_INPUT } from './define.ts';

/** The losses Unroll trains with. */
export const LOSSES = [
  'sparse_categorical_crossentropy', 'categorical_crossentropy', 'binary_crossentropy',
  'mean_squared_error', 'mean_absolute_error',
] as const;

/** What an Output's `loss` may be: a loss, or `none` (Keras `loss=None` for that output). */
export const OUTPUT_LOSSES = [...LOSSES, 'none'] as const;

export type Expects = 'any' | 'per_sequence' | 'per_step';

export interface OutputParams extends Params {
  readonly loss: (typeof OUTPUT_LOSSES)[number];
  readonly loss_weight: number;
  readonly expects: Expects;
}

export const DEFAULT_LOSS: (typeof LOSSES)[number] = 'sparse_categorical_crossentropy';

/** Whether an Output node (its params) is trained: it has a loss. */
export function hasLoss(p: Params): boolean {
  return (p.loss ?? DEFAULT_LOSS) !== 'none';
}

export const Output = defineLayer<OutputParams>({
  kind: 'Output',
  kerasClass: 'Output',
  defaultName: 'output',
  category: 'Outputs',
  isLayer: false,
  help: 'Marks a prediction of the model and the loss it is trained with (none: an output to look at, not trained).',
  params: [
    { name: 'loss', type: 'enum', default: DEFAULT_LOSS, options: OUTPUT_LOSSES, keras: false,
      help: 'sparse_categorical_crossentropy for integer class labels, binary_crossentropy for yes/no, mean_squared_error for numbers; none: not trained (state outputs h, c get none by default).' },
    { name: 'loss_weight', type: 'float', default: 1, min: 0, keras: false,
      help: 'With several Outputs the total loss is the sum of loss_weight × loss (Keras loss_weights).' },
    { name: 'expects', type: 'enum', default: 'any', options: ['any', 'per_sequence', 'per_step'], keras: false,
      help: 'per_sequence: one prediction per example (many-to-one); per_step: one per time step (many-to-many). A dataset sets this.' },
  ],
  keyParams: ['loss'],
  inputs: () => [MAIN_INPUT],
  outputs: () => [],
  onConnect: (p, wire) => (wire.from.state && p.loss === DEFAULT_LOSS ? { loss: 'none' } : undefined),
  infer: (p, ctx) => {
    const x = ctx.inputs[0]!;
    const name = ctx.node.name;
    const out = [];
    if (p.loss === 'none') return { outputs: [], params: { trainable: 0, nonTrainable: 0 } };
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
