/// <reference types="vite/client" />
/**
 * Browser only: where the TF.js wasm backend finds its three .wasm binaries. Vite copies each file
 * imported with `?url` into the build (hashed name) and gives its URL, so nothing has to be copied
 * to public/ by hand and the paths survive any base URL. Call `setWasmPaths(tfjsWasmFiles())`
 * before `tf.setBackend('wasm')` (backend.ts does it through `prepareWasm`). Not used in Node,
 * where the backend reads the files next to its own module.
 */
import plain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import simd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import threadedSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

/** The file map `setWasmPaths` wants (all three names are required, even if threads stay off). */
export function tfjsWasmFiles(): Record<'tfjs-backend-wasm.wasm' | 'tfjs-backend-wasm-simd.wasm' | 'tfjs-backend-wasm-threaded-simd.wasm', string> {
  return {
    'tfjs-backend-wasm.wasm': plain,
    'tfjs-backend-wasm-simd.wasm': simd,
    'tfjs-backend-wasm-threaded-simd.wasm': threadedSimd,
  };
}
