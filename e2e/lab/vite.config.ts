/**
 * The lab: pages that only tests and benchmarks open, not part of the app.
 * - index.html: the benchmark worker (bench/chromium.bench.ts) that trains bench/lib/models.ts
 *   through Unroll's engine on a chosen TF.js backend.
 * Built and served by bench/lib/browser.ts:
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
  },
});
