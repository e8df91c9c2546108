/**
 * TF.js layers whose masking follows Keras 3, registered for serialization.
 *
 * The problem: TF.js 4.22's graph executor (used by predict, fit, evaluate) sets `kwargs.mask` when
 * a layer's first input has a mask and never clears it, so every later layer receives the last mask
 * seen, even when its own input has none (Embedding(mask_zero) → LSTM → RepeatVector → LSTM is
 * silently masked by the encoder's padding, or crashes). It also gives every output of a layer the
 * mask of its first output (RNN states get the sequence mask).
 *
 * The fix: every layer that reads a mask in `call` (SimpleRNN, LSTM, GRU, Bidirectional,
 * GlobalAveragePooling1D) or combines masks (Add, Concatenate) carries `maskIn`, from core's shape
 * inference: whether Keras 3 passes it a mask at all. When false, the layer drops whatever mask it is
 * handed and outputs none. When true, the executor's mask is the real one (the mask of the first
 * input, computed by the layers upstream), so it is used.
 *
 * Also Keras behaviour TF.js lacks: Bidirectional with return_sequences writes zeros at masked
 * steps (tf.keras, Keras 3); GlobalAveragePooling1D takes the mean over unmasked steps; Add's and
 * Concatenate's output masks follow the node's Keras (`maskRule`: OR in Keras 3.4+, AND in Keras 2,
 * none in 3.0–3.3; see src/core/versions.ts), Concatenate's along any axis; a Keras 3 RNN called
 * with initial_state computes unmasked (`maskCall`); Flatten takes rank 2 and unknown sizes.
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { MaskGate, MaskRule, MergeModeTf, TF, TfLayer } from '../core/layers/tfjs.ts';
import type { CellKind } from './kernels/contract.ts';
import { fusedLayerCall, fusedPairCall, runsFused, type RecurrentPath } from './kernels/layer.ts';

type Tensor = tfjs.Tensor;
type Shape = (number | null)[];
type Config = tfjs.serialization.ConfigDict;
/** Keyword arguments of `Layer.call` (`mask`, `training`, `initialState`…). */
export type Kwargs = Record<string, unknown>;

/** kwargs with the mask removed unless Keras passes one into this layer. */
export function gateKwargs(maskIn: boolean, kwargs: Kwargs | undefined): Kwargs {
  return maskIn ? { ...kwargs } : { ...kwargs, mask: null };
}

const NO_MASK = null as unknown as Tensor;

/**
 * A copy of the kwargs for `apply`. TF.js's graph executor hands every layer of a run one shared
 * kwargs object once a mask appears, and RNN/Bidirectional `apply` write `initialState` into it: a
 * later call (the layer's next output, the next layer) then gets the states twice and throws
 * "When inputs is an array, neither initialState or constants should be provided".
 */
export function ownKwargs(kwargs: Kwargs | undefined): Kwargs | undefined {
  return kwargs ? { ...kwargs } : kwargs;
}

function one(x: Tensor | Tensor[]): Tensor {
  return Array.isArray(x) ? x[0] : x;
}

/** The layer constructor behind a TF.js factory function (the classes are not exported). */
function ctorOf<A>(layer: TfLayer): new (args: A) => TfLayer {
  return layer.constructor as new (args: A) => TfLayer;
}

type RnnCtor<A> = new (args: A) => tfjs.RNN;

/** Defines and registers the mask-gated layers for this TF.js instance. */
export function defineMaskedLayers(tf: TF) {
  const L = tf.layers;
  const SimpleRNNBase = L.simpleRNN({ units: 1 }).constructor as RnnCtor<tfjs.SimpleRNNLayerArgs>;
  const LSTMBase = L.lstm({ units: 1 }).constructor as RnnCtor<tfjs.LSTMLayerArgs>;
  type BidiArgs = Parameters<TF['layers']['bidirectional']>[0];
  const BidiBase = ctorOf<BidiArgs>(L.bidirectional({ layer: L.simpleRNN({ units: 1 }) as tfjs.RNN }));
  const AddBase = ctorOf<{ name?: string }>(L.add({}));
  const ConcatBase = ctorOf<{ name?: string; axis?: number }>(L.concatenate({}));

  /**
   * A recurrent class that drops the mask TF.js hands it when Keras would pass none (`maskIn`
   * false), and runs the fused op (src/tf/kernels) unless `recurrentPath` is 'stock'.
   */
  function gatedRnn<A>(Base: RnnCtor<A>, className: string, cellKind: CellKind) {
    class Gated extends Base {
      static className = className;
      readonly maskIn: boolean;
      readonly maskCall: boolean;
      /** Not serialized: loaded models run fused. */
      recurrentPath: RecurrentPath;
      constructor(args: A & MaskGate & { recurrentPath?: RecurrentPath }) {
        super(args);
        this.maskIn = args.maskIn ?? true;
        this.maskCall = args.maskCall ?? this.maskIn;
        this.recurrentPath = args.recurrentPath ?? 'fused';
      }
      /** The fused op's cell (a Bidirectional pairs its directions by it: kernels/layer.ts). */
      readonly fusedCell: CellKind = cellKind;
      fusedKwargs(kwargs: Kwargs): Kwargs {
        return gateKwargs(this.maskIn && this.maskCall, kwargs);
      }
      call(inputs: Tensor | Tensor[], kwargs: Kwargs) {
        const k = this.fusedKwargs(kwargs);
        if (runsFused(this, cellKind)) return fusedLayerCall(tf, this, cellKind, inputs, k);
        return super.call(inputs, k);
      }
      computeMask(inputs: Tensor | Tensor[], mask?: Tensor | Tensor[]) {
        return super.computeMask(inputs, this.maskIn ? mask : undefined);
      }
      apply(inputs: Parameters<tfjs.RNN['apply']>[0], kwargs?: Kwargs) {
        return super.apply(inputs, ownKwargs(kwargs));
      }
      getConfig(): Config {
        return { ...super.getConfig(), maskIn: this.maskIn, maskCall: this.maskCall };
      }
    }
    return Gated;
  }
  const UnrollSimpleRNN = gatedRnn(SimpleRNNBase, 'UnrollSimpleRNN', 'simple');
  const UnrollLSTM = gatedRnn(LSTMBase, 'UnrollLSTM', 'lstm');

  interface UnrollBidiArgs extends MaskGate {
    readonly name?: string;
    readonly layer: TfLayer;
    readonly mergeMode?: MergeModeTf;
    /** Zeros at masked steps when returning sequences (tf.keras, Keras 3); false: the previous output (Keras 2.0–2.3, TF.js). */
    readonly zeroMasked?: boolean;
  }

  class UnrollBidirectional extends BidiBase {
    static className = 'UnrollBidirectional';
    readonly maskIn: boolean;
    readonly maskCall: boolean;
    readonly zeroMasked: boolean;
    /** Whether the wrapped layer returns sequences (then masked steps become zeros). */
    private readonly seqOut: boolean;
    /** 2 when merge_mode is None (forward and backward outputs), else 1. */
    private readonly nMain: number;
    constructor(args: UnrollBidiArgs) {
      super({ name: args.name, layer: args.layer as tfjs.RNN, mergeMode: args.mergeMode ?? null } as BidiArgs);
      this.maskIn = args.maskIn ?? true;
      this.maskCall = args.maskCall ?? this.maskIn;
      this.zeroMasked = args.zeroMasked ?? true;
      this.seqOut = (args.layer as tfjs.RNN).returnSequences;
      this.nMain = args.mergeMode == null ? 2 : 1;
      // TF.js rebuilds both directions from the wrapped layer's config, which has no recurrentPath.
      const path = (args.layer as { recurrentPath?: RecurrentPath }).recurrentPath;
      const self = this as unknown as { forwardLayer: object; backwardLayer: object };
      if (path) for (const d of [self.forwardLayer, self.backwardLayer]) (d as { recurrentPath: RecurrentPath }).recurrentPath = path;
    }
    call(inputs: Tensor | Tensor[], kwargs: Kwargs) {
      const k = gateKwargs(this.maskIn && this.maskCall, kwargs);
      const out = this.pairedCall(inputs, k) ?? super.call(inputs, k);
      const mask = k.mask as Tensor | null | undefined;
      if (!this.seqOut || !this.zeroMasked || mask == null) return out;
      // Keras 3 sets zero_output_for_mask on both directions: zeros at masked steps.
      const list = Array.isArray(out) ? out : [out];
      const zeroed = tf.tidy(() => {
        const m = tf.expandDims(tf.cast(mask, 'float32'), -1);
        return list.map((t, i) => (i < this.nMain ? tf.mul(t, m) : t));
      });
      list.slice(0, this.nMain).forEach((t) => t.dispose());
      return Array.isArray(out) ? zeroed : zeroed[0];
    }
    /**
     * TF.js's Bidirectional.call with both directions as one fused op (kernels/layer.ts
     * `fusedPairCall`; on webgl), or null where it does not apply. The rest is TF.js's: initial
     * states split in halves, the backward output reversed when returning sequences, the merge,
     * the states of the forward direction then the backward one.
     */
    private pairedCall(inputs: Tensor | Tensor[], kwargs: Kwargs): Tensor | Tensor[] | null {
      const self = this as unknown as {
        forwardLayer: object; backwardLayer: object; returnState: boolean; returnSequences: boolean; mergeMode: MergeModeTf | null;
      };
      const initial = kwargs.initialState as Tensor[] | null | undefined;
      const half = (k: 0 | 1): Kwargs => (initial == null ? kwargs : { ...kwargs, initialState: k === 0 ? initial.slice(0, initial.length / 2) : initial.slice(initial.length / 2) });
      // One tidy, as TF.js's call: the directions' own outputs go once merged.
      const merged = tf.tidy(() => {
        const pair = fusedPairCall(tf, self.forwardLayer, self.backwardLayer, inputs, [half(0), half(1)]);
        if (!pair) return undefined;
        let [y, yRev] = pair;
        let states: Tensor[] = [];
        if (self.returnState) {
          states = [...(y as Tensor[]).slice(1), ...(yRev as Tensor[]).slice(1)];
          y = (y as Tensor[])[0];
          yRev = (yRev as Tensor[])[0];
        }
        const f = y as Tensor;
        let b = yRev as Tensor;
        if (self.returnSequences) b = tf.reverse(b, 1);
        const mode = self.mergeMode;
        const output: Tensor | Tensor[] = mode === 'concat' ? tf.concat([f, b], -1)
          : mode === 'sum' ? tf.add(f, b)
          : mode === 'ave' ? tf.mul(0.5, tf.add(f, b))
          : mode === 'mul' ? tf.mul(f, b)
          : [f, b];
        if (!self.returnState) return output;
        return Array.isArray(output) ? [...output, ...states] : [output, ...states];
      }) as Tensor | Tensor[] | undefined;
      return merged ?? null;
    }
    computeMask(inputs: Tensor | Tensor[], mask?: Tensor | Tensor[]) {
      return super.computeMask(inputs, this.maskIn ? mask : undefined);
    }
    apply(inputs: Parameters<tfjs.RNN['apply']>[0], kwargs?: Kwargs) {
      return super.apply(inputs, ownKwargs(kwargs));
    }
    getConfig(): Config {
      return { ...super.getConfig(), maskIn: this.maskIn, maskCall: this.maskCall, zeroMasked: this.zeroMasked };
    }
    static fromConfig<T extends tfjs.serialization.Serializable>(
      cls: tfjs.serialization.SerializableConstructor<T>, config: Config,
    ): T {
      const inner = config.layer as { className: string; config: Config };
      const entry = tf.serialization.SerializationMap.getMap().classNameMap[inner.className];
      if (!entry) throw new Error(`TF.js has no layer class '${inner.className}'`);
      const layer = entry[1](entry[0], inner.config);
      return new cls({ ...config, layer });
    }
  }

  class UnrollGlobalAveragePooling1D extends L.Layer {
    static className = 'UnrollGlobalAveragePooling1D';
    readonly maskIn: boolean;
    constructor(args: { name?: string } & MaskGate) {
      super({ name: args.name });
      this.maskIn = args.maskIn ?? true;
      this.supportsMasking = true;
    }
    computeOutputShape(inputShape: Shape | Shape[]): Shape {
      const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
      return [s[0], s[2]];
    }
    computeMask(): Tensor {
      return NO_MASK; // Keras 3: compute_mask returns None
    }
    call(inputs: Tensor | Tensor[], kwargs: Kwargs): Tensor {
      return tf.tidy(() => {
        const x = one(inputs);
        const mask = this.maskIn ? (kwargs.mask as Tensor | null | undefined) : null;
        if (mask == null) return tf.mean(x, 1);
        // Keras 3: sum(x · m) / sum(m) over time (NaN for a row with every step masked, as in Keras).
        const m = tf.expandDims(tf.cast(mask, x.dtype), 2);
        return tf.div(tf.sum(tf.mul(x, m), 1), tf.sum(m, 1));
      });
    }
    getConfig(): Config {
      return { ...super.getConfig(), maskIn: this.maskIn };
    }
  }

  class UnrollAdd extends AddBase {
    static className = 'UnrollAdd';
    readonly maskIn: boolean;
    readonly maskRule: MaskRule;
    constructor(args: { name?: string; maskRule?: MaskRule } & MaskGate) {
      super({ name: args.name });
      this.maskIn = args.maskIn ?? true;
      this.maskRule = args.maskRule ?? 'or';
    }
    /**
     * Merge.compute_mask of the node's Keras: Keras 3.4+ the OR of the masks when every input has
     * one (else none); Keras 3.0–3.3 none; Keras 2 the AND of the masks present.
     */
    computeMask(_inputs: Tensor | Tensor[], mask?: Tensor | Tensor[]): Tensor {
      if (!this.maskIn || !Array.isArray(mask) || this.maskRule === 'none') return NO_MASK;
      if (this.maskRule === 'or' && mask.some((m) => m == null)) return NO_MASK;
      const ms = mask.filter((m): m is Tensor => m != null);
      if (!ms.length) return NO_MASK;
      const op = this.maskRule === 'or' ? tf.logicalOr : tf.logicalAnd;
      return tf.tidy(() => ms.slice(1).reduce((a, b) => op(a, b), ms[0]));
    }
    getConfig(): Config {
      return { ...super.getConfig(), maskIn: this.maskIn, maskRule: this.maskRule };
    }
  }

  class UnrollConcatenate extends ConcatBase {
    static className = 'UnrollConcatenate';
    readonly maskIn: boolean;
    readonly maskRule: MaskRule;
    private readonly catAxis: number;
    constructor(args: { name?: string; axis?: number; maskRule?: MaskRule } & MaskGate) {
      super({ name: args.name, axis: args.axis ?? -1 });
      this.maskIn = args.maskIn ?? true;
      this.maskRule = args.maskRule ?? 'or';
      this.catAxis = args.axis ?? -1;
    }
    /**
     * Concatenate.compute_mask of the node's Keras. Keras 3.4+: ones for unmasked inputs, masks
     * broadcast to the input's shape, concat, any(-1). Keras 2: ones for unmasked inputs, masks
     * with a trailing axis of 1, concat, all(-1). Keras 3.0–3.3: none.
     */
    computeMask(inputs: Tensor | Tensor[], mask?: Tensor | Tensor[]): Tensor {
      if (!this.maskIn || this.maskRule === 'none' || !Array.isArray(mask) || mask.every((m) => m == null)) return NO_MASK;
      const xs = inputs as Tensor[];
      const and = this.maskRule === 'and';
      return tf.tidy(() => {
        const ms = xs.map((x, i) => {
          const m = mask[i];
          if (m == null) return tf.cast(tf.onesLike(x), 'bool');
          if (m.rank < x.rank) return and ? tf.expandDims(m, -1) : tf.logicalOr(tf.expandDims(m, -1), tf.cast(tf.zerosLike(x), 'bool'));
          return m;
        });
        const cat = tf.concat(ms, this.catAxis);
        return and ? tf.all(cat, -1) : tf.any(cat, -1);
      });
    }
    getConfig(): Config {
      return { ...super.getConfig(), maskIn: this.maskIn, maskRule: this.maskRule };
    }
  }

  class UnrollFlatten extends L.Layer {
    static className = 'UnrollFlatten';
    constructor(args: { name?: string }) {
      super({ name: args.name });
    }
    computeOutputShape(inputShape: Shape | Shape[]): Shape {
      const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
      const rest = s.slice(1);
      return [s[0], rest.every((d) => d !== null) ? (rest as number[]).reduce((a, b) => a * b, 1) : null];
    }
    call(inputs: Tensor | Tensor[]): Tensor {
      const x = one(inputs);
      return tf.reshape(x, [x.shape[0], -1]);
    }
  }

  const classes = {
    UnrollSimpleRNN, UnrollLSTM, UnrollBidirectional, UnrollGlobalAveragePooling1D, UnrollAdd, UnrollConcatenate, UnrollFlatten,
  };
  for (const c of Object.values(classes)) tf.serialization.registerClass(c as unknown as tfjs.serialization.SerializableConstructor<tfjs.serialization.Serializable>);
  return classes;
}
