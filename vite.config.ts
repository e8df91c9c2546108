import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';
import { CSP_HEADER, CSP_META } from './scripts/csp.ts';

/** The built index.html carries the Content-Security-Policy (scripts/csp.ts) right after its charset, before any script. */
const csp = (): Plugin => ({
  name: 'unroll-csp',
  apply: 'build',
  transformIndexHtml: {
    order: 'post',
    handler: (html) => {
      const charset = /<meta charset="[^"]*"\s*\/?>/i;
      if (!charset.test(html)) throw new Error('index.html: no <meta charset> to put the Content-Security-Policy after');
      return html.replace(charset, (m) => `${m}\n    <meta http-equiv="Content-Security-Policy" content="${CSP_META}" />`);
    },
  },
});

export default defineConfig({
  plugins: [react(), csp()],
  server: { port: 5173, strictPort: false },
  // `vite preview` serves the build with the policy as a header too (frame-ancestors needs one).
  preview: { headers: { 'Content-Security-Policy': CSP_HEADER, 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer' } },
  worker: { format: 'es' },
  // The dev-server smoke test (e2e/dev/) starts `npm start` with its own, emptied dependency cache.
  ...(process.env.UNROLL_VITE_CACHE_DIR ? { cacheDir: process.env.UNROLL_VITE_CACHE_DIR } : {}),
  optimizeDeps: {
    // The dependency scanner starts at index.html and does not follow `new Worker(new URL(…))`, so
    // a package only a worker imports (the TF.js wasm backend) was found on the first Train click:
    // Vite re-optimised and reloaded the page, losing the run. Scan the workers as entries too (a
    // package a new worker imports is found at start-up), and name the training worker's packages
    // outright. e2e/dev/devserver.spec.ts checks this with a fresh node_modules/.vite.
    entries: ['index.html', 'src/**/worker.ts', 'src/**/*Worker.ts', 'src/**/*.worker.ts', '!src/**/*.test.ts'],
    include: ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm'],
  },
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'bin/**/*.test.ts', 'bench/**/*.test.ts', 'templates/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
    pool: 'threads',
    testTimeout: 60_000,
  },
});
