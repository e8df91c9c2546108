/**
 * Choosing the TF.js backend for training, and proving it was really chosen.
 *
 * 'auto' picks the fastest backend for the model: the worker passes a short training probe
 * (probe.ts: a few batches of the run's own model and data), selectBackend times it on every
 * candidate — webgl when a hardware WebGL2 GPU is present, wasm, cpu — and keeps the fastest.
 * Which one wins depends on the model (tiny layers favour the backend with the least overhead per
 * kernel, large ones a GPU), so there is no fixed ranking. Software WebGL (SwiftShader, llvmpipe)
 * is never a candidate: it is the slowest here and its shader compilation alone takes seconds.
 * Without a probe the order above is the rule. `setBackend` can fall back silently, so the result
 * is always checked with `tf.getBackend()`.
 *
 * The segment-sum kernel (trainable Embeddings on wasm; fast on cpu) is registered for wasm and
 * cpu every time, and on webgl one that sums each segment's own rows (kernels/webgl/segmentSum.ts).
 * The wasm backend package must be imported (it registers itself) and, in the browser, told
 * where its .wasm files are (wasmPaths.ts) before `setBackend('wasm')`; the caller does both
 * through `prepareWasm`.
 */
import type { TF } from '../../core/layers/tfjs.ts';
import { prepareRnnWasm } from '../kernels/wasmLoops.ts';
import { registerWebGLRnnKernels } from '../kernels/webgl/kernels.ts';
import { registerWebGLSegmentSumKernel } from '../kernels/webgl/segmentSum.ts';
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

/**
 * The backends 'auto' considers, in order of preference when there is no probe, with the reason
 * in words; `environment` is the part of the reason that describes the machine.
 */
export function autoBackend(env: BackendEnvironment): { order: ('webgl' | 'wasm' | 'cpu')[]; reason: string; environment: string } {
  if (env.webgl2Renderer && !isSoftwareRenderer(env.webgl2Renderer)) {
    const environment = `a hardware WebGL2 GPU is present (${env.webgl2Renderer})`;
    return { order: env.wasm ? ['webgl', 'wasm', 'cpu'] : ['webgl', 'cpu'], reason: environment, environment };
  }
  const why = env.webgl2Renderer ? `WebGL2 is software-rendered (${env.webgl2Renderer}), the slowest backend` : 'no WebGL2 GPU';
  return env.wasm
    ? { order: ['wasm', 'cpu'], reason: `${why}; wasm (SIMD) trains RNNs fastest on the CPU`, environment: why }
    : { order: ['cpu'], reason: `${why} and no wasm backend`, environment: `${why} and no wasm backend` };
}

/** Reads the WebGL2 renderer (works in a worker through OffscreenCanvas) and whether wasm exists. */
export function probeEnvironment(tf: TF): BackendEnvironment {
  let renderer: string | null = null;
  try {
    const canvas = typeof OffscreenCanvas !== 'undefined' ? new OffscreenCanvas(1, 1) : null;
    const gl = canvas?.getContext('webgl2') as WebGL2RenderingContext | null | undefined;
    if (gl) {
      renderer = rendererOf(gl);
      gl.getExtension('WEBGL_lose_context')?.loseContext();
    }
  } catch {
    renderer = null;
  }
  return { webgl2Renderer: renderer, wasm: tf.findBackendFactory('wasm') != null };
}

/** Sets one backend and proves it: `tf.getBackend()` must say so afterwards. */
async function activate(tf: TF, name: 'webgl' | 'wasm' | 'cpu', prepareWasm: () => Promise<void>): Promise<void> {
  if (name === 'wasm') {
    if (!tf.findBackendFactory('wasm')) throw new Error('the wasm backend is not loaded');
    await prepareWasm();
  }
  const ok = await tf.setBackend(name);
  await tf.ready();
  const actual = tf.getBackend();
  if (!ok || actual !== name) throw new Error(`TF.js is on ${actual} instead`);
  registerSegmentSumKernel(tf);
  await prepareRnnWasm(); // the fused RNN kernels' SIMD module (compiled asynchronously in browsers)
  registerWebGLRnnKernels(tf); // the fused RNN kernels' shaders (webgl, WebGL2 only; else nothing)
  if (name === 'webgl') registerWebGLSegmentSumKernel(tf, isSoftwareRenderer(contextRenderer(tf) ?? '')); // Embedding gradients
}

/** A context's renderer: the unmasked name where the browser gives it. */
function rendererOf(gl: WebGLRenderingContext | WebGL2RenderingContext): string {
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  return String(info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
}

/** The renderer of the webgl backend's own context (null when it cannot be read). */
function contextRenderer(tf: TF): string | null {
  try {
    const gl = (tf.backend() as unknown as { gpgpu?: { gl?: WebGL2RenderingContext } }).gpgpu?.gl;
    return gl ? rendererOf(gl) : null;
  } catch {
    return null;
  }
}

const ms = (v: number) => (v >= 10 ? v.toFixed(0) : v.toFixed(1));

/**
 * Sets the backend for a request and returns what was chosen and why. With `probe` (a short
 * training run of the model on the current backend, resolving with ms per batch; see probe.ts),
 * 'auto' times every candidate backend and keeps the fastest; without one, or when every probe
 * fails, it takes the first candidate that starts. Software WebGL is never a candidate (its
 * shaders alone take seconds to compile there). An explicit request that fails (or that TF.js
 * silently replaces) falls back along wasm → cpu and says so in `reason`. Throws only when no
 * backend at all initialises.
 */
export async function selectBackend(
  tf: TF,
  requested: BackendRequest,
  options: { env?: BackendEnvironment; prepareWasm?: () => void | Promise<void>; probe?: () => Promise<number> } = {},
): Promise<BackendChoice> {
  const env = options.env ?? probeEnvironment(tf);
  let wasmPrepared = false;
  const prepareWasm = async () => {
    if (!wasmPrepared) await options.prepareWasm?.();
    wasmPrepared = true;
  };
  const failures: string[] = [];
  if (requested === 'auto' && options.probe) {
    const plan = autoBackend(env);
    if (plan.order.length > 1) {
      const timed: { backend: string; msPerBatch: number }[] = [];
      for (const name of plan.order) {
        try {
          await activate(tf, name, prepareWasm);
        } catch (e) {
          failures.push(`${name} failed: ${(e as Error).message}`);
          continue;
        }
        try {
          timed.push({ backend: name, msPerBatch: await options.probe() });
        } catch {
          // The model itself fails (the run will report it): no timing from this backend.
        }
      }
      if (timed.length) {
        const best = timed.reduce((a, b) => (b.msPerBatch < a.msPerBatch ? b : a));
        await activate(tf, best.backend as 'webgl' | 'wasm' | 'cpu', prepareWasm);
        const list = timed.map((x) => `${x.backend} ${ms(x.msPerBatch)} ms`).join(', ');
        const fell = failures.length ? ` (${failures.join('; ')})` : '';
        return {
          requested, backend: tf.getBackend(), probe: timed,
          reason: `fastest for this model in a short training probe (${list} per batch)${fell}; ${plan.environment}`,
        };
      }
    }
  }
  const plan = requested === 'auto'
    ? autoBackend(env)
    : { order: [requested, ...(['wasm', 'cpu'] as const).filter((b) => b !== requested)], reason: 'chosen in the training settings' };
  for (const name of plan.order) {
    if (failures.some((f) => f.startsWith(`${name} failed`))) continue;
    try {
      await activate(tf, name, prepareWasm);
      const fell = failures.length ? ` (${failures.join('; ')})` : '';
      return { requested, backend: tf.getBackend(), reason: failures.length ? `${name}: the preferred backend failed${fell}` : plan.reason };
    } catch (e) {
      failures.push(`${name} failed: ${(e as Error).message}`);
    }
  }
  throw new Error(`No TF.js backend could start: ${failures.join('; ')}.`);
}
