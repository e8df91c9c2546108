/**
 * The layer catalog: every kind Unroll offers, built from one definition file per kind. Palette,
 * inspector, inference, import and export all look kinds up here; nothing else switches on kind.
 */
import type { LayerDef, Category } from './layers/define.ts';
import { Input } from './layers/input.ts';
import { Embedding } from './layers/embedding.ts';
import { SimpleRNN } from './layers/simpleRnn.ts';
import { LSTM } from './layers/lstm.ts';
import { GRU } from './layers/gru.ts';
import { Bidirectional } from './layers/bidirectional.ts';
import { Dense } from './layers/dense.ts';
import { TimeDistributed } from './layers/timeDistributed.ts';
import { RepeatVector } from './layers/repeatVector.ts';
import { Dropout } from './layers/dropout.ts';
import { Masking } from './layers/masking.ts';
import { Activation } from './layers/activation.ts';
import { Flatten } from './layers/flatten.ts';
import { Concatenate } from './layers/concatenate.ts';
import { Add } from './layers/add.ts';
import { GlobalAveragePooling1D } from './layers/globalAveragePooling1D.ts';
import { Output } from './layers/output.ts';

export const LAYERS: readonly LayerDef[] = [
  Input, Embedding, SimpleRNN, LSTM, GRU, Bidirectional, Dense, TimeDistributed, RepeatVector,
  Dropout, Masking, Activation, Flatten, Concatenate, Add, GlobalAveragePooling1D, Output,
];

const BY_KIND = new Map(LAYERS.map((d) => [d.kind, d]));
const BY_KERAS_CLASS = new Map(LAYERS.filter((d) => d.isLayer !== false).map((d) => [d.kerasClass, d]));

export function getLayer(kind: string): LayerDef | undefined {
  return BY_KIND.get(kind);
}

export function layerByKerasClass(cls: string): LayerDef | undefined {
  return BY_KERAS_CLASS.get(cls);
}

export const CATEGORIES: readonly Category[] = ['Inputs', 'Recurrent', 'Core', 'Wrappers', 'Merge', 'Outputs'];

export function layersIn(category: Category): LayerDef[] {
  return LAYERS.filter((d) => d.category === category);
}
