/** Input: the model's entry point. `shape` excludes the batch axis; None leaves an axis free (e.g. time). */
import type { DType } from '../shape.ts';
import type { Params } from '../types.ts';
import { defineLayer, MAIN_OUTPUT } from './define.ts';

export interface InputParams extends Params {
  readonly shape: readonly (number | null)[];
  readonly dtype: DType;
  readonly batch_size: number | null;
}

export const Input = defineLayer<InputParams>({
  kind: 'Input',
  kerasClass: 'InputLayer',
  defaultName: 'input_layer',
  category: 'Inputs',
  help: 'Where data enters the model: its shape per example (without the batch axis) and dtype.',
  params: [
    { name: 'shape', type: 'shape', default: [null, 12], help: 'Shape of one example, e.g. [None] for token ids of any length or [None, 12] for sequences of 12 features. None = any size.' },
    { name: 'dtype', type: 'enum', default: 'float32', options: ['float32', 'int32'], help: 'int32 for token ids (before an Embedding), float32 for numbers.' },
    { name: 'batch_size', type: 'int', default: null, nullable: true, min: 1, help: 'Fixed batch size; None (usual) accepts any.' },
  ],
  keyParams: ['shape', 'dtype'],
  inputs: () => [],
  outputs: () => [MAIN_OUTPUT],
  infer: (p) => ({
    outputs: [{ shape: [p.batch_size, ...p.shape], dtype: p.dtype, masked: false }],
    params: { trainable: 0, nonTrainable: 0 },
  }),
});
