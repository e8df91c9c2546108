/**
 * Choosing the TF.js backend for training, and proving it was really chosen.
 *
 * Measured here (FACTS.md, ms per batch of 32 × 40 steps, Embedding → BiLSTM(32) → Dense):
 * wasm with SIMD 165, cpu 401, webgl on SwiftShader (software WebGL) 945. So 'auto' is:
 * webgl when a real (hardware) WebGL2 GPU is present, else wasm, else cpu. `setBackend` can fall
 * back silently, so the result is always checked with `tf.getBackend()`.
 *
 * The segment-sum kernel (trainable Embeddings on wasm; fast on cpu) is registered for wasm and
 * cpu every time. The wasm backend package must be imported (it registers itself) and, in the
 * browser, told where its .wasm files are (wasmPaths.ts) before `setBackend('wasm')`; the caller
 * does both through `prepareWasm`.
 */
import type { TF } from '../../core/layers/tfjs.ts';
import { registerSegmentSumKernel } from '../wasmKernel.ts';
import type { BackendChoice } from './protocol.ts';

export type BackendRequest = 'auto' | 'webgl' | 'wasm' | 'cpu';

/** What the environment offers, found by `probeEnvironment` (or given by tests). */
export interface BackendEnvironment {
  /** The WebGL2 renderer string (UNMASKED_RENDERER_WEBGL), or null without WebGL2. */
  readonly webgl2Renderer: string | null;
  /** Whether the wasm backend is registered (its package was imported). */
  readonly wasm: boolean;
}

const SOFTWARE = /swiftshader|llvmpipe|softpipe|software|basic render|microsoft basic|mesa offscreen|lavapipe/i;

/** True for software rasterisers (SwiftShader, llvmpipe, …), where webgl is the slowest backend. */
export function isSoftwareRenderer(renderer: string): boolean {
  return SOFTWARE.test(renderer);
}

/** The backend 'auto' would pick, in order of preference, with the reason in words. */
export function autoBackend(env: BackendEnvironment): { order: ('webgl' | 'wasm' | 'cpu')[]; reason: string } {
  if (env.webgl2Renderer && !isSoftwareRenderer(env.webgl2Renderer)) {
    return { order: ['webgl', 'wasm', 'cpu'], reason: `a hardware WebGL2 GPU is present (${env.webgl2Renderer})` };
  }
  const why = env.webgl2Renderer ? `WebGL2 is software-rendered (${env.webgl2Renderer}), the slowest backend` : 'no WebGL2 GPU';
  return env.wasm
    ? { order: ['wasm', 'cpu'], reason: `${why}; wasm (SIMD) trains RNNs fastest on the CPU` }
    : { order: ['cpu'], reason: `${why} and no wasm backend` };
}

/** Reads the WebGL2 renderer (works in a worker through OffscreenCanvas) and whether wasm exists. */
export function probeEnvironment(tf: TF): BackendEnvironment {
  let renderer: string | null = null;
  try {
    const canvas = typeof OffscreenCanvas !== 'undefined' ? new OffscreenCanvas(1, 1) : null;
    const gl = canvas?.getContext('webgl2') as WebGL2RenderingContext | null | undefined;
    if (gl) {
      const info = gl.getExtension('WEBGL_debug_renderer_info');
      renderer = String(info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
      gl.getExtension('WEBGL_lose_context')?.loseContext();
    }
  } catch {
    renderer = null;
  }
  return { webgl2Renderer: renderer, wasm: tf.findBackendFactory('wasm') != null };
}

/**
 * Sets the backend for a request and returns what was chosen and why. An explicit request that
 * fails (or that TF.js silently replaces) falls back along wasm → cpu and says so in `reason`.
 * Throws only when no backend at all initialises.
 */
export async function selectBackend(
  tf: TF,
  requested: BackendRequest,
  options: { env?: BackendEnvironment; prepareWasm?: () => void | Promise<void> } = {},
): Promise<BackendChoice> {
  const env = options.env ?? probeEnvironment(tf);
  const plan = requested === 'auto'
    ? autoBackend(env)
    : { order: [requested, ...(['wasm', 'cpu'] as const).filter((b) => b !== requested)], reason: 'chosen in the training settings' };
  const failures: string[] = [];
  let wasmPrepared = false;
  for (const name of plan.order) {
    try {
      if (name === 'wasm') {
        if (!tf.findBackendFactory('wasm')) throw new Error('the wasm backend is not loaded');
        if (!wasmPrepared) await options.prepareWasm?.();
        wasmPrepared = true;
      }
      const ok = await tf.setBackend(name);
      await tf.ready();
      const actual = tf.getBackend();
      if (!ok || actual !== name) throw new Error(`TF.js is on ${actual} instead`);
      registerSegmentSumKernel(tf);
      const fell = failures.length ? ` (${failures.join('; ')})` : '';
      return { requested, backend: actual, reason: failures.length ? `${name}: the preferred backend failed${fell}` : plan.reason };
    } catch (e) {
      failures.push(`${name} failed: ${(e as Error).message}`);
    }
  }
  throw new Error(`No TF.js backend could start: ${failures.join('; ')}.`);
}
