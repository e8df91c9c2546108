/**
 * Node only: what the browser benchmarks share — a production build made once per `npm run bench`
 * run, `vite preview` on a free port, and Chromium launched like the end-to-end tests (Debian's
 * /usr/bin/chromium with playwright.config.ts's arguments, Playwright's own browser elsewhere).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { chromium, type Browser } from '@playwright/test';
import config from '../../playwright.config.ts';

/** The app (dist/) or the lab pages (e2e/lab/: the bench worker, the WebGL kernel checks; built to e2e/lab/dist/). */
export type Site = 'app' | 'lab';

const SITES: Record<Site, { config?: string; outDir: string }> = {
  app: { outDir: 'dist' },
  lab: { config: 'e2e/lab/vite.config.ts', outDir: 'e2e/lab/dist' },
};

/**
 * Builds a site unless this `npm run bench` run (UNROLL_BENCH_RUN) already built it. Run on its own,
 * a bench file builds when the output is missing or `--build` is given.
 */
export function ensureBuild(site: Site): void {
  const { outDir } = SITES[site];
  const stamp = `${outDir}/.bench-run`;
  const run = process.env.UNROLL_BENCH_RUN;
  const fresh = run ? existsSync(stamp) && readFileSync(stamp, 'utf8') === run : existsSync(`${outDir}/index.html`) && !process.argv.includes('--build');
  if (fresh) return;
  buildSite(site);
  if (run) writeFileSync(stamp, run);
}

/** Builds a site now (tests: always from the current sources). */
export function buildSite(site: Site): void {
  const cfg = SITES[site].config;
  const b = spawnSync('npx', ['vite', 'build', ...(cfg ? ['--config', cfg] : [])], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (b.status !== 0) throw new Error(`vite build of ${site} failed`);
}

/** A free TCP port on 127.0.0.1 (so benches of several worktrees never share a server). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function waitForServer(url: string, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const ok = await new Promise<boolean>((res) => get(url, (r) => { r.resume(); res(r.statusCode === 200); }).on('error', () => res(false)));
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the server did not answer at ${url}`);
}

/** Serves a built site with `vite preview`; `stop()` ends it (also on exit). */
export async function preview(site: Site): Promise<{ url: string; stop: () => void }> {
  const port = await freePort();
  const cfg = SITES[site].config;
  return serve(['vite', 'preview', ...(cfg ? ['--config', cfg] : []), '--host', '127.0.0.1', '--port', String(port), '--strictPort'], port);
}

/**
 * The development server (`vite`, what `npm start` runs) on a free port, with a dependency cache
 * of its own (`node_modules/.vite-bench-dev`, kept between runs) so a running `npm start` is not
 * disturbed; `stop()` ends it (also on exit).
 */
export async function devServer(): Promise<{ url: string; stop: () => void }> {
  const port = await freePort();
  return serve(['vite', '--host', '127.0.0.1', '--port', String(port), '--strictPort'], port, { UNROLL_VITE_CACHE_DIR: 'node_modules/.vite-bench-dev' }, 120_000);
}

async function serve(args: string[], port: number, env: Record<string, string> = {}, waitMs = 30_000): Promise<{ url: string; stop: () => void }> {
  const server = spawn('npx', args, { stdio: 'ignore', detached: true, env: { ...process.env, ...env } });
  const stop = () => {
    try {
      process.kill(-server.pid!, 'SIGTERM');
    } catch {
      // already gone
    }
  };
  process.on('exit', stop);
  const url = `http://127.0.0.1:${port}/`;
  try {
    await waitForServer(url, waitMs);
  } catch (e) {
    stop();
    throw e;
  }
  return { url, stop };
}

/** Chromium as the end-to-end tests launch it, plus `args`. */
export async function launchChromium(args: string[] = []): Promise<Browser> {
  const launch = (config.projects?.[0]?.use?.launchOptions ?? config.use?.launchOptions ?? {}) as { executablePath?: string; args?: string[] };
  return chromium.launch({ executablePath: launch.executablePath, args: [...(launch.args ?? []), ...args] });
}
