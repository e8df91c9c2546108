/** Embedding: a lookup table from token ids to vectors. Params input_dim × output_dim. */
import type { Params } from '../types.ts';
import { defineLayer, MAIN_INPUT, MAIN_OUTPUT } from './define.ts';
import { spec } from './common.ts';
import { single } from './tfjs.ts';

export interface EmbeddingParams extends Params {
  readonly input_dim: number;
  readonly output_dim: number;
  readonly mask_zero: boolean;
  readonly embeddings_initializer: string;
}

export const Embedding = defineLayer<EmbeddingParams>({
  kind: 'Embedding',
  kerasClass: 'Embedding',
  defaultName: 'embedding',
  category: 'Core',
  help: 'Turns integer token ids into learned vectors; mask_zero treats id 0 as padding.',
  params: [
    { name: 'input_dim', type: 'int', default: 1000, min: 1, help: 'Vocabulary size: ids must be below this (max_tokens of TextVectorization).' },
    { name: 'output_dim', type: 'int', default: 16, min: 1, help: 'Length of each embedding vector.' },
    { name: 'mask_zero', type: 'bool', default: false, onNode: true, help: 'Treat id 0 as padding: later layers that support masks skip those steps.' },
    spec.initializer('embeddings_initializer', 'uniform', 'Initializer of the embedding table.'),
  ],
  keyParams: ['input_dim', 'output_dim'],
  keras: {
    keys: [
      'input_dim', 'output_dim', 'embeddings_initializer', 'embeddings_regularizer', 'activity_regularizer',
      'embeddings_constraint', 'mask_zero', 'quantization_config',
    ],
    fixed: { embeddings_regularizer: null, activity_regularizer: null, embeddings_constraint: null, quantization_config: null },
    positional: ['input_dim', 'output_dim'],
  },
  inputs: () => [MAIN_INPUT],
  outputs: () => [MAIN_OUTPUT],
  weights: (p) => [{ name: 'embeddings', path: 'embeddings', store: 'vars/0', shape: [p.input_dim, p.output_dim] }],
  // Keras casts float ids to integers inside Embedding (Keras 2 Inputs default to float32), so any dtype is fine.
  infer: (p, ctx) => {
    const x = ctx.inputs[0]!;
    return {
      outputs: [{ shape: [...x.shape, p.output_dim], dtype: 'float32', masked: p.mask_zero }],
      params: { trainable: p.input_dim * p.output_dim, nonTrainable: 0 },
    };
  },
  build: (tf, p, ctx) => single(tf.layers.embedding({
    name: ctx.name, inputDim: p.input_dim, outputDim: p.output_dim, maskZero: p.mask_zero,
    embeddingsInitializer: ctx.kit.initializer(p.embeddings_initializer),
  })),
});
