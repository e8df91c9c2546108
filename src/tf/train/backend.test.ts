/**
 * Backend choice: 'auto' prefers a hardware GPU, then wasm, then cpu; software WebGL never wins;
 * the chosen backend is checked with tf.getBackend(), and a failed request falls back and says so.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { autoBackend, isSoftwareRenderer, selectBackend } from './backend.ts';

afterAll(async () => {
  await tf.setBackend('cpu');
});

describe('auto', () => {
  it('recognises software renderers', () => {
    expect(isSoftwareRenderer('ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)')).toBe(true);
    expect(isSoftwareRenderer('llvmpipe (LLVM 15.0.6, 256 bits)')).toBe(true);
    expect(isSoftwareRenderer('ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11 vs_5_0 ps_5_0, D3D11)')).toBe(false);
    expect(isSoftwareRenderer('Apple M2')).toBe(false);
  });

  it('picks webgl only for a hardware GPU, else wasm, else cpu', () => {
    expect(autoBackend({ webgl2Renderer: 'Apple M2', wasm: true }).order[0]).toBe('webgl');
    const sw = autoBackend({ webgl2Renderer: 'SwiftShader Device', wasm: true });
    expect(sw.order).toEqual(['wasm', 'cpu']);
    expect(sw.reason).toMatch(/software-rendered/);
    expect(autoBackend({ webgl2Renderer: null, wasm: false })).toMatchObject({ order: ['cpu'], reason: 'no WebGL2 GPU and no wasm backend' });
  });
});

describe('selectBackend in Node', () => {
  it('cpu: set, checked, segment-sum kernel registered', async () => {
    const c = await selectBackend(tf, 'cpu');
    expect(c).toMatchObject({ requested: 'cpu', backend: 'cpu' });
    expect(tf.getBackend()).toBe('cpu');
    expect(tf.getKernel('UnsortedSegmentSum', 'cpu')?.kernelFunc.name).toBe('kernelFunc');
  });

  it('a webgl request without WebGL falls back and reports why', async () => {
    const c = await selectBackend(tf, 'webgl', { env: { webgl2Renderer: null, wasm: false } });
    expect(c.backend).toBe('cpu');
    expect(c.reason).toMatch(/webgl failed/);
    expect(tf.getBackend()).toBe('cpu');
  });

  it('auto without GPU or wasm is cpu', async () => {
    const c = await selectBackend(tf, 'auto', { env: { webgl2Renderer: null, wasm: false } });
    expect(c).toEqual({ requested: 'auto', backend: 'cpu', reason: 'no WebGL2 GPU and no wasm backend' });
  });
});
