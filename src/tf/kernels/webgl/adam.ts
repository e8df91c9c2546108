/**
 * `UnrollAdam` (../adam.ts: the Adam update of one variable) on TF.js's webgl backend: three
 * programs, one per output (new w, new m, new v), each reading the old values and the gradient
 * directly, where TF.js's own optimizer runs ~13 programs a variable. The programs are TF.js's
 * packed elementwise kind (4 values a fragment, inputs read with TF.js's own samplers), as TF.js's
 * binary ops, so variables keep the layout TF.js's Adam gave them; every step value (the step's
 * `alpha`) is a uniform and the shapes are TF.js's shape uniforms, so each program compiles once
 * per rank. They need nothing beyond WebGL1.
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { GPGPUProgram, MathBackendWebGL } from '@tensorflow/tfjs-backend-webgl';
import type { TF } from '../../../core/layers/tfjs.ts';
import { ADAM_KERNEL, type AdamAttrs } from '../adam.ts';

/** Marks the Adam programs' source (tests count them). */
export const ADAM_MARK = '// unroll adam\n';

type Output = 'value' | 'm' | 'v';

const M1 = 'vec4 m1 = getMAtOutCoords(); m1 = m1 + (g - m1) * uC1;';
const V1 = 'vec4 v1 = getVAtOutCoords(); v1 = v1 + (g * g - v1) * uC2;';

function program(shape: number[], out: Output): GPGPUProgram {
  const body = {
    m: `${M1} setOutput(m1);`,
    v: `${V1} setOutput(v1);`,
    value: `${M1} ${V1} setOutput(getWAtOutCoords() - m1 * uAlpha / (sqrt(v1) + uEps));`,
  }[out];
  return {
    variableNames: out === 'value' ? ['W', 'M', 'V', 'G'] : out === 'm' ? ['M', 'G'] : ['V', 'G'],
    outputShape: shape,
    packedInputs: true,
    packedOutput: true,
    enableShapeUniforms: shape.length <= 4,
    customUniforms: [
      { name: 'uC1', type: 'float' }, { name: 'uC2', type: 'float' },
      { name: 'uAlpha', type: 'float' }, { name: 'uEps', type: 'float' },
    ],
    userCode: `${ADAM_MARK}
      void main() {
        vec4 g = getGAtOutCoords();
        ${body}
      }`,
  };
}

const adam: tfjs.KernelFunc = ({ inputs, attrs, backend }) => {
  const { value, m, v, g } = inputs as Record<string, tfjs.TensorInfo>;
  const a = attrs as unknown as AdamAttrs;
  const gl = backend as MathBackendWebGL;
  const uniforms = [[1 - a.beta1], [1 - a.beta2], [a.alpha], [a.epsilon]];
  const ins: Record<Output, tfjs.TensorInfo[]> = { value: [value, m, v, g], m: [m, g], v: [v, g] };
  return (['value', 'm', 'v'] as const).map((o) => gl.runWebGLProgram(program(value.shape, o), ins[o], 'float32', uniforms));
};

/** Registers the webgl kernel (idempotent) when TF.js runs webgl; returns whether it is registered. */
export function registerWebGLAdamKernel(tf: TF): boolean {
  if (tf.getBackend() !== 'webgl') return false;
  if (!tf.getKernel(ADAM_KERNEL, 'webgl')) tf.registerKernel({ kernelName: ADAM_KERNEL, backendName: 'webgl', kernelFunc: adam });
  return true;
}
