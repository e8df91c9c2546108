/**
 * The lab: pages that only tests and benchmarks open, not part of the app.
 * - index.html: the benchmark worker (bench/chromium.bench.ts) that trains bench/lib/models.ts
 *   through Unroll's engine on a chosen TF.js backend;
 * - kernels.html: the WebGL kernels of the fused recurrent op against the cpu kernels and the
 *   stock layers, and their shader dispatches per time step (e2e/webgl-kernels.spec.ts).
 * Built and served by those files (bench/lib/browser.ts):
 *   npx vite build --config e2e/lab/vite.config.ts   → e2e/lab/dist/
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: './',
  logLevel: 'warn',
  worker: { format: 'es' },
  build: {
    outDir: `${root}dist`,
    emptyOutDir: true,
    chunkSizeWarningLimit: 4096,
    rolldownOptions: { input: { index: `${root}index.html`, kernels: `${root}kernels.html` } },
  },
});
