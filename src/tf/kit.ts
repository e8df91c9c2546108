/**
 * The kit build hooks receive (see src/core/layers/tfjs.ts): Unroll's TF.js layer classes and the
 * Keras → TF.js name maps, for one TF.js instance. `tfjsKit(tf)` registers the custom classes with
 * `tf.serialization` and the fused recurrent kernels (src/tf/kernels: cpu, wasm, and webgl when
 * that backend is active) the first time (needed before loading a saved model too) and is cached. `{ recurrent: 'stock' }` gives a kit whose recurrent
 * layers run TF.js's own loop instead of the fused op (benchmarks, comparisons).
 */
import type { TF, TfjsKit } from '../core/layers/tfjs.ts';
import { registerActivations, tfActivation, tfInitializer } from './activations.ts';
import { defineGru } from './gru.ts';
import type { RecurrentPath } from './kernels/layer.ts';
import { registerFusedRnnKernels } from './kernels/register.ts';
import { registerWebGLRnnKernels } from './kernels/webgl/kernels.ts';
import { defineMaskedLayers } from './maskGate.ts';

export interface KitOptions {
  /** How SimpleRNN, LSTM and GRU (also inside Bidirectional) run: 'fused' (default) or 'stock'. */
  readonly recurrent?: RecurrentPath;
}

type Classes = ReturnType<typeof defineMaskedLayers> & ReturnType<typeof defineGru>;
const classes = new WeakMap<object, Classes>();
const kits = new WeakMap<object, Map<RecurrentPath, TfjsKit>>();

function classesFor(tf: TF): Classes {
  let c = classes.get(tf);
  if (!c) {
    registerActivations(tf);
    registerFusedRnnKernels(tf);
    registerWebGLRnnKernels(tf); // when TF.js is on webgl (WebGL2) now; selectBackend registers them when it sets webgl
    c = { ...defineGru(tf), ...defineMaskedLayers(tf) };
    classes.set(tf, c);
  }
  return c;
}

export function tfjsKit(tf: TF, options: KitOptions = {}): TfjsKit {
  const path = options.recurrent ?? 'fused';
  let byPath = kits.get(tf);
  if (!byPath) kits.set(tf, (byPath = new Map()));
  const cached = byPath.get(path);
  if (cached) return cached;
  const m = classesFor(tf);
  const kit: TfjsKit = {
    activation: tfActivation,
    initializer: (name) => tfInitializer(tf, name),
    simpleRNN: (a) => new m.UnrollSimpleRNN({ ...a, recurrentPath: path }),
    lstm: (a) => new m.UnrollLSTM({ ...a, recurrentPath: path }),
    gru: (a) => new m.UnrollGRU({ ...a, recurrentPath: path }),
    bidirectional: (a) => new m.UnrollBidirectional(a),
    globalAveragePooling1D: (a) => new m.UnrollGlobalAveragePooling1D(a),
    add: (a) => new m.UnrollAdd(a),
    concatenate: (a) => new m.UnrollConcatenate(a),
    flatten: (a) => new m.UnrollFlatten(a),
  };
  byPath.set(path, kit);
  return kit;
}

/** Registers Unroll's custom classes (activations, GRU, mask-gated layers) and kernels for loading models. */
export function registerUnrollLayers(tf: TF): void {
  classesFor(tf);
}
