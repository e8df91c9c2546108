/**
 * Keras 3's GRU as TF.js classes. TF.js 4.22's GRU refuses `reset_after=true`, Keras 3's default,
 * which also changes the parameter count (3u(i+u+2) instead of 3u(i+u+1)) and the bias shape
 * ((2, 3u): input bias row, recurrent bias row). This cell implements both variants with Keras's
 * weight layout and gate order (z, r, h), as in keras/src/layers/rnn/gru.py (implementation 2):
 *
 *   x_z, x_r, x_h = split(x·W + b_in)
 *   reset_after:  i_z, i_r, i_h = split(h·U + b_rec);  r_h = r ⊙ i_h
 *   reset_before: i_z, i_r = split(h·U[:, :2u]);       r_h = (r ⊙ h)·U[:, 2u:]
 *   z = σ(x_z + i_z),  r = σ(x_r + i_r),  h̃ = tanh(x_h + r_h),  h' = z ⊙ h + (1 − z) ⊙ h̃
 *
 * This cell is the layer's 'stock' path (TF.js's rnn() loop); by default UnrollGRU runs the fused
 * op (src/tf/kernels), which also follows Keras's dropout rule exactly. Here dropout (training
 * only) multiplies the input by one mask and the state by another, each drawn once per call; the
 * mix uses the un-dropped state, as Keras 3 does (Keras draws one mask per gate when
 * recurrent_dropout > 0, this cell one for all three).
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { MaskGate, TF, TfActivation, TfInitializer } from '../core/layers/tfjs.ts';
import { activationFn, type ActivationFn } from './activations.ts';
import { fusedLayerCall, runsFused, type RecurrentPath } from './kernels/layer.ts';
import { gateKwargs, ownKwargs, type Kwargs } from './maskGate.ts';

type Tensor = tfjs.Tensor;
type Initializer = ReturnType<TF['initializers']['ones']>;
type Shape = (number | null)[];

export interface GruArgs extends MaskGate {
  readonly name?: string;
  readonly units: number;
  readonly activation?: TfActivation;
  readonly recurrentActivation?: TfActivation;
  readonly useBias?: boolean;
  readonly resetAfter?: boolean;
  readonly kernelInitializer?: TfInitializer | SerializedInit;
  readonly recurrentInitializer?: TfInitializer | SerializedInit;
  readonly biasInitializer?: TfInitializer | SerializedInit;
  readonly dropout?: number;
  readonly recurrentDropout?: number;
  readonly returnSequences?: boolean;
  readonly returnState?: boolean;
  readonly goBackwards?: boolean;
  readonly stateful?: boolean;
}

interface SerializedInit {
  readonly className: string;
  readonly config: tfjs.serialization.ConfigDict;
}

/** An initializer from a TF.js identifier, an instance, or its serialized form. */
function toInitializer(tf: TF, v: TfInitializer | SerializedInit | undefined, def: string): Initializer {
  if (v !== undefined && typeof v !== 'string') {
    if ('apply' in v) return v as Initializer;
    const entry = tf.serialization.SerializationMap.getMap().classNameMap[v.className];
    if (!entry) throw new Error(`TF.js has no initializer '${v.className}'`);
    return entry[1](entry[0], v.config) as unknown as Initializer;
  }
  const i = tf.initializers;
  const byId: Record<string, () => Initializer> = {
    glorotUniform: () => i.glorotUniform({}), glorotNormal: () => i.glorotNormal({}), heUniform: () => i.heUniform({}),
    heNormal: () => i.heNormal({}), leCunUniform: () => i.leCunUniform({}), leCunNormal: () => i.leCunNormal({}),
    orthogonal: () => i.orthogonal({}), zeros: () => i.zeros(), ones: () => i.ones(),
    randomUniform: () => i.randomUniform({}), randomNormal: () => i.randomNormal({}), truncatedNormal: () => i.truncatedNormal({}),
  };
  const make = byId[v ?? def];
  if (!make) throw new Error(`Unroll's GRU does not know the initializer '${v}'`);
  return make();
}

function serializeInit(init: Initializer): SerializedInit {
  return { className: init.getClassName(), config: init.getConfig() };
}

/** Defines and registers UnrollGRUCell and UnrollGRU for this TF.js instance. */
export function defineGru(tf: TF) {
  class UnrollGRUCell extends tf.layers.RNNCell {
    static className = 'UnrollGRUCell';
    readonly units: number;
    readonly stateSize: number;
    readonly resetAfter: boolean;
    readonly useBias: boolean;
    readonly dropout: number;
    readonly recurrentDropout: number;
    /** TF.js activation identifiers (the fused kernels read them). */
    readonly activationId: string;
    readonly recurrentActivationId: string;
    private readonly act: ActivationFn;
    private readonly recAct: ActivationFn;
    private readonly inits: { kernel: Initializer; recurrent: Initializer; bias: Initializer };
    kernel: tfjs.LayerVariable | null = null;
    recurrentKernel: tfjs.LayerVariable | null = null;
    bias: tfjs.LayerVariable | null = null;

    constructor(args: GruArgs) {
      super({ name: args.name });
      this.units = args.units;
      this.stateSize = args.units;
      this.resetAfter = args.resetAfter ?? true;
      this.useBias = args.useBias ?? true;
      this.dropout = Math.min(1, Math.max(0, args.dropout ?? 0));
      this.recurrentDropout = Math.min(1, Math.max(0, args.recurrentDropout ?? 0));
      this.activationId = args.activation ?? 'tanh';
      this.recurrentActivationId = args.recurrentActivation ?? 'sigmoid';
      this.act = activationFn(tf, this.activationId);
      this.recAct = activationFn(tf, this.recurrentActivationId);
      this.inits = {
        kernel: toInitializer(tf, args.kernelInitializer, 'glorotUniform'),
        recurrent: toInitializer(tf, args.recurrentInitializer, 'orthogonal'),
        bias: toInitializer(tf, args.biasInitializer, 'zeros'),
      };
      this.dropoutMask = null as unknown as Tensor;
      this.recurrentDropoutMask = null as unknown as Tensor;
    }

    build(inputShape: Shape | Shape[]): void {
      const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
      const i = shape[shape.length - 1]!;
      const u3 = 3 * this.units;
      this.kernel = this.addWeight('kernel', [i, u3], 'float32', this.inits.kernel, undefined, true);
      this.recurrentKernel = this.addWeight('recurrent_kernel', [this.units, u3], 'float32', this.inits.recurrent, undefined, true);
      this.bias = this.useBias
        ? this.addWeight('bias', this.resetAfter ? [2, u3] : [u3], 'float32', this.inits.bias, undefined, true)
        : null;
      this.built = true;
    }

    /** One step: inputs are [x_t, h_{t-1}]; returns [h_t, h_t]. */
    call(inputs: Tensor | Tensor[], kwargs: Kwargs): Tensor[] {
      return tf.tidy(() => {
        const [x0, h0] = inputs as Tensor[];
        const training = kwargs.training === true;
        const u = this.units;
        let x = x0;
        let h = h0;
        if (training && this.dropout > 0 && this.dropout < 1) {
          if (this.dropoutMask == null) this.dropoutMask = tf.keep(tf.dropout(tf.onesLike(x), this.dropout));
          x = tf.mul(x, this.dropoutMask as Tensor);
        }
        if (training && this.recurrentDropout > 0 && this.recurrentDropout < 1) {
          if (this.recurrentDropoutMask == null) this.recurrentDropoutMask = tf.keep(tf.dropout(tf.onesLike(h), this.recurrentDropout));
          h = tf.mul(h, this.recurrentDropoutMask as Tensor);
        }
        let inBias: Tensor | null = null;
        let recBias: Tensor | null = null;
        if (this.bias) {
          const b = this.bias.read();
          if (this.resetAfter) [inBias, recBias] = tf.unstack(b, 0);
          else inBias = b;
        }
        const rk = this.recurrentKernel!.read();
        let mx = tf.matMul(x, this.kernel!.read());
        if (inBias) mx = tf.add(mx, inBias);
        const [xz, xr, xh] = tf.split(mx, 3, -1);
        let inner = tf.matMul(h, this.resetAfter ? rk : tf.slice(rk, [0, 0], [u, 2 * u]));
        if (recBias) inner = tf.add(inner, recBias);
        const [rz, rr, ih] = tf.split(inner, this.resetAfter ? 3 : 2, -1);
        const z = this.recAct.apply(tf.add(xz, rz));
        const r = this.recAct.apply(tf.add(xr, rr));
        const rh = this.resetAfter ? tf.mul(r, ih) : tf.matMul(tf.mul(r, h), tf.slice(rk, [0, 2 * u], [u, u]));
        const hh = this.act.apply(tf.add(xh, rh));
        // Keras 3 mixes with h_tm1 itself (its dropped-out copies only feed the matrix products).
        const out = tf.add(tf.mul(z, h0), tf.mul(tf.sub(1, z), hh));
        return [out, out];
      });
    }

    getConfig(): tfjs.serialization.ConfigDict {
      return {
        ...super.getConfig(),
        units: this.units, activation: this.activationId, recurrentActivation: this.recurrentActivationId, useBias: this.useBias,
        resetAfter: this.resetAfter, dropout: this.dropout, recurrentDropout: this.recurrentDropout,
        kernelInitializer: serializeInit(this.inits.kernel) as unknown as tfjs.serialization.ConfigDict,
        recurrentInitializer: serializeInit(this.inits.recurrent) as unknown as tfjs.serialization.ConfigDict,
        biasInitializer: serializeInit(this.inits.bias) as unknown as tfjs.serialization.ConfigDict,
      };
    }
  }

  class UnrollGRU extends tf.layers.RNN {
    static className = 'UnrollGRU';
    readonly maskIn: boolean;
    /** Whether call uses the mask (false: Keras 3 called with initial_state); see MaskGate. */
    readonly maskCall: boolean;
    /** 'fused' (default; not serialized) runs src/tf/kernels, 'stock' TF.js's rnn() loop. */
    recurrentPath: RecurrentPath;

    constructor(args: GruArgs & { recurrentPath?: RecurrentPath }) {
      const cell = new UnrollGRUCell(args);
      super({ ...args, cell } as unknown as ConstructorParameters<typeof tf.layers.RNN>[0]);
      this.maskIn = args.maskIn ?? true;
      this.maskCall = args.maskCall ?? this.maskIn;
      this.recurrentPath = args.recurrentPath ?? 'fused';
    }

    /** The fused op's cell (a Bidirectional pairs its directions by it: kernels/layer.ts). */
    readonly fusedCell = 'gru' as const;
    fusedKwargs(kwargs: Kwargs): Kwargs {
      return gateKwargs(this.maskIn && this.maskCall, kwargs);
    }

    call(inputs: Tensor | Tensor[], kwargs: Kwargs): Tensor | Tensor[] {
      if (runsFused(this, 'gru')) return fusedLayerCall(tf, this, 'gru', inputs, this.fusedKwargs(kwargs));
      // Fresh dropout masks for every call, as Keras draws them once per sequence.
      const cell = this.cell as UnrollGRUCell;
      tf.dispose([cell.dropoutMask, cell.recurrentDropoutMask].filter((m): m is Tensor => m != null));
      cell.dropoutMask = null as unknown as Tensor;
      cell.recurrentDropoutMask = null as unknown as Tensor;
      return super.call(inputs, gateKwargs(this.maskIn && this.maskCall, kwargs));
    }

    computeMask(inputs: Tensor | Tensor[], mask?: Tensor | Tensor[]): Tensor | Tensor[] {
      return super.computeMask(inputs, this.maskIn ? mask : undefined);
    }

    apply(inputs: Parameters<tfjs.RNN['apply']>[0], kwargs?: Kwargs) {
      return super.apply(inputs, ownKwargs(kwargs));
    }

    getConfig(): tfjs.serialization.ConfigDict {
      return { ...super.getConfig(), maskIn: this.maskIn, maskCall: this.maskCall };
    }

    static fromConfig<T extends tfjs.serialization.Serializable>(
      cls: tfjs.serialization.SerializableConstructor<T>, config: tfjs.serialization.ConfigDict,
    ): T {
      return new cls(config);
    }
  }

  tf.serialization.registerClass(UnrollGRUCell);
  tf.serialization.registerClass(UnrollGRU);
  return { UnrollGRUCell, UnrollGRU };
}
