/**
 * The kit build hooks receive (see src/core/layers/tfjs.ts): Unroll's TF.js layer classes and the
 * Keras → TF.js name maps, for one TF.js instance. `tfjsKit(tf)` registers the custom classes with
 * `tf.serialization` the first time (needed before loading a saved model too) and is cached.
 */
import type { TF, TfjsKit } from '../core/layers/tfjs.ts';
import { registerActivations, tfActivation, tfInitializer } from './activations.ts';
import { defineGru } from './gru.ts';
import { defineMaskedLayers } from './maskGate.ts';

const kits = new WeakMap<object, TfjsKit>();

export function tfjsKit(tf: TF): TfjsKit {
  const cached = kits.get(tf);
  if (cached) return cached;
  registerActivations(tf);
  const { UnrollGRU } = defineGru(tf);
  const m = defineMaskedLayers(tf);
  const kit: TfjsKit = {
    activation: tfActivation,
    initializer: (name) => tfInitializer(tf, name),
    simpleRNN: (a) => new m.UnrollSimpleRNN(a),
    lstm: (a) => new m.UnrollLSTM(a),
    gru: (a) => new UnrollGRU(a),
    bidirectional: (a) => new m.UnrollBidirectional(a),
    globalAveragePooling1D: (a) => new m.UnrollGlobalAveragePooling1D(a),
    add: (a) => new m.UnrollAdd(a),
    concatenate: (a) => new m.UnrollConcatenate(a),
    flatten: (a) => new m.UnrollFlatten(a),
  };
  kits.set(tf, kit);
  return kit;
}

/** Registers Unroll's custom classes (activations, GRU, mask-gated layers) for loading models. */
export function registerUnrollLayers(tf: TF): void {
  tfjsKit(tf);
}
