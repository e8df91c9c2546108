/**
 * Keras 3 activation and initializer names → TF.js, with Keras's definitions where TF.js differs:
 *
 * - `hard_sigmoid`: Keras 3 is relu6(x + 3) / 6; TF.js's `hardSigmoid` is clip(0.2x + 0.5, 0, 1).
 * - `leaky_relu`: Keras 3's negative slope is 0.2 (TF.js has no activation of that name).
 * - `exponential`: missing in TF.js.
 * - `glorot_normal`, `he_normal`, `lecun_normal`: Keras draws from a normal truncated at 2σ with
 *   σ = sqrt(scale / n) / 0.87962566 (so the truncated variance is scale / n); TF.js omits the
 *   correction. We use TF.js's VarianceScaling with the scale raised by 1 / 0.87962566².
 *
 * The custom activations are registered with `tf.serialization.registerClass`, so models that use
 * them serialize to model.json and load back.
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { TF, TfActivation, TfInitializer } from '../core/layers/tfjs.ts';

type Tensor = tfjs.Tensor;

/** A TF.js activation object: what `getActivation` returns and layers call. */
export interface ActivationFn {
  apply(x: Tensor): Tensor;
}

// camelCase: TF.js turns snake_case identifiers into camelCase when it loads a model.
export const HARD_SIGMOID = 'unrollHardSigmoid';
export const LEAKY_RELU = 'unrollLeakyRelu';
export const EXPONENTIAL = 'unrollExponential';

const ACTIVATIONS: Readonly<Record<string, string>> = {
  tanh: 'tanh', sigmoid: 'sigmoid', relu: 'relu', linear: 'linear', softmax: 'softmax', elu: 'elu',
  selu: 'selu', softplus: 'softplus', softsign: 'softsign', hard_sigmoid: HARD_SIGMOID, swish: 'swish',
  silu: 'swish', gelu: 'gelu', exponential: EXPONENTIAL, relu6: 'relu6', leaky_relu: LEAKY_RELU,
  log_softmax: 'logSoftmax', mish: 'mish',
  // Keras 2's hard_sigmoid, clip(0.2x + 0.5, 0, 1), is TF.js's own.
  hard_sigmoid_keras2: 'hardSigmoid',
};

/** Keras's truncated-normal correction: the std of a unit normal truncated at ±2. */
const TRUNC_STD = 0.87962566103423978;

/** Registers the activations TF.js lacks (idempotent per TF.js instance). */
export function registerActivations(tf: TF): void {
  const Base = tf.serialization.Serializable;
  class KerasHardSigmoid extends Base {
    static className = HARD_SIGMOID;
    apply(x: Tensor): Tensor {
      return tf.tidy(() => tf.div(tf.relu6(tf.add(x, 3)), 6));
    }
    getConfig() {
      return {};
    }
  }
  class KerasLeakyRelu extends Base {
    static className = LEAKY_RELU;
    apply(x: Tensor): Tensor {
      return tf.leakyRelu(x, 0.2);
    }
    getConfig() {
      return {};
    }
  }
  class Exponential extends Base {
    static className = EXPONENTIAL;
    apply(x: Tensor): Tensor {
      return tf.exp(x);
    }
    getConfig() {
      return {};
    }
  }
  for (const c of [KerasHardSigmoid, KerasLeakyRelu, Exponential]) tf.serialization.registerClass(c);
}

/** The TF.js identifier for a Keras 3 activation name. */
export function tfActivation(keras: string): TfActivation {
  const id = ACTIVATIONS[keras];
  if (!id) throw new Error(`Unroll cannot build the activation '${keras}' in TF.js`);
  return id as TfActivation;
}

/** The activation object registered under a TF.js identifier (for custom cells). */
export function activationFn(tf: TF, id: string): ActivationFn {
  const entry = tf.serialization.SerializationMap.getMap().classNameMap[id];
  if (!entry) throw new Error(`TF.js has no activation '${id}'`);
  const [cls, fromConfig] = entry;
  return fromConfig(cls, {}) as unknown as ActivationFn;
}

/** The TF.js initializer that draws like the Keras 3 initializer of this name. */
export function tfInitializer(tf: TF, keras: string): TfInitializer {
  const vs = (mode: 'fanIn' | 'fanAvg', scale: number) =>
    tf.initializers.varianceScaling({ scale: scale / (TRUNC_STD * TRUNC_STD), mode, distribution: 'normal' });
  switch (keras) {
    case 'glorot_uniform': return 'glorotUniform';
    case 'glorot_normal': return vs('fanAvg', 1);
    case 'he_uniform': return 'heUniform';
    case 'he_normal': return vs('fanIn', 2);
    case 'lecun_uniform': return 'leCunUniform';
    case 'lecun_normal': return vs('fanIn', 1);
    case 'orthogonal': return 'orthogonal';
    case 'zeros': return 'zeros';
    case 'ones': return 'ones';
    // Keras 3 defaults: uniform ±0.05, normal σ 0.05, truncated σ 0.05 — TF.js's defaults too.
    case 'random_uniform':
    case 'uniform': return 'randomUniform';
    case 'random_normal': return 'randomNormal';
    case 'truncated_normal': return 'truncatedNormal';
    default: throw new Error(`Unroll cannot build the initializer '${keras}' in TF.js`);
  }
}
