/** Input: the model's entry point. `shape` excludes the batch axis; None leaves an axis free (e.g. time). */
import type { DType } from '../shape.ts';
import type { Params } from '../types.ts';
import { defineLayer, MAIN_OUTPUT } from './define.ts';
import type { TfLayer } from './tfjs.ts';

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
  keras: {
    // Keras 3 InputLayer.get_config(); Keras 2 and TF.js write `batch_input_shape` instead of `batch_shape`.
    keys: ['batch_shape', 'dtype', 'sparse', 'ragged', 'name', 'optional'],
    wholeConfig: true,
    toConfig: (p, ctx) => ({
      batch_shape: [p.batch_size, ...p.shape], dtype: p.dtype, sparse: false, ragged: false, name: ctx.name, optional: false,
    }),
    fromConfig: (c) => {
      const batch = c.batch_shape ?? c.batch_input_shape;
      if (!Array.isArray(batch) || batch.length < 2 || !batch.every((d) => d === null || (Number.isInteger(d) && (d as number) > 0))) {
        throw new Error(`batch_shape: expected a list of sizes with the batch axis first, such as [null, 10, 2] (got ${JSON.stringify(batch)})`);
      }
      const dt = typeof c.dtype === 'string' ? c.dtype : 'float32';
      return { shape: batch.slice(1) as (number | null)[], dtype: /^u?int/.test(dt) ? 'int32' : 'float32', batch_size: batch[0] as number | null };
    },
  },
  inputs: () => [],
  outputs: () => [MAIN_OUTPUT],
  infer: (p) => ({
    outputs: [{ shape: [p.batch_size, ...p.shape], dtype: p.dtype, masked: false }],
    params: { trainable: 0, nonTrainable: 0 },
  }),
  build: (tf, p, ctx) => {
    const t = tf.input({ name: ctx.name, batchShape: [p.batch_size, ...p.shape], dtype: p.dtype });
    return { layer: t.sourceLayer as TfLayer, apply: () => [t] };
  },
});
