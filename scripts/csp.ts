/**
 * The Content-Security-Policy of the built app (SECURITY.md explains each directive). vite.config.ts
 * writes it into the built index.html as a <meta> tag (it holds on any static host) and sends it,
 * with the directives a <meta> cannot carry, as a header from `vite preview`. The development
 * server (`npm start`) sends none: Vite's hot reload injects inline scripts.
 *
 * What the app needs, and nothing else:
 * - scripts, workers and fetches from its own origin only (the training and CSV workers are
 *   module workers built to files; TF.js's .wasm files and h5wasm are served by the app itself);
 * - 'wasm-unsafe-eval': compiling WebAssembly (the TF.js wasm backend, h5wasm, Unroll's fused
 *   kernels) — it allows WebAssembly.compile/instantiate, not eval or new Function;
 * - images from data: and blob: (the SVG/PNG export preview, canvas snapshots);
 * - inline style attributes (React Flow positions nodes with style="transform: …"); no inline scripts.
 */
export const CSP_DIRECTIVES: Readonly<Record<string, string>> = {
  'default-src': "'self'",
  'script-src': "'self' 'wasm-unsafe-eval'",
  'worker-src': "'self'",
  'connect-src': "'self'",
  'img-src': "'self' data: blob:",
  'style-src': "'self' 'unsafe-inline'",
  'font-src': "'self' data:",
  'object-src': "'none'",
  'base-uri': "'self'",
  'form-action': "'none'",
};

/** Only valid in a header (a <meta> policy ignores them, with a console warning). */
export const CSP_HEADER_ONLY: Readonly<Record<string, string>> = {
  'frame-ancestors': "'none'",
};

const text = (d: Readonly<Record<string, string>>) => Object.entries(d).map(([k, v]) => `${k} ${v}`).join('; ');

/** The policy for the <meta> tag. */
export const CSP_META = text(CSP_DIRECTIVES);
/** The policy for the header of `vite preview`. */
export const CSP_HEADER = text({ ...CSP_DIRECTIVES, ...CSP_HEADER_ONLY });
