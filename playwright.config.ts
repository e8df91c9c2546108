import { defineConfig, devices } from '@playwright/test';
import { existsSync } from 'node:fs';

// Debian's Chromium where it exists (this machine and CI); Playwright's own browser elsewhere.
const systemChromium = process.env.UNROLL_CHROMIUM ?? '/usr/bin/chromium';
const launchOptions = existsSync(systemChromium)
  ? {
      executablePath: systemChromium,
      args: ['--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    }
  : {};

/** The production build (`vite build` + `vite preview`): every spec in e2e/ except e2e/dev/. */
const port = Number(process.env.UNROLL_E2E_PORT ?? 4173);
/**
 * The development server exactly as the README starts it (`npm start`) with an emptied dependency
 * cache of its own (so a running `npm start` keeps its cache), for e2e/dev/. Its port is the
 * preview port + 2000: clear of `npm start`'s 5173 and of every helper's dev port. Never reused:
 * a server already on that port would not have a fresh cache.
 */
const devPort = Number(process.env.UNROLL_E2E_DEV_PORT ?? port + 2000);
const devCache = 'node_modules/.vite-e2e-dev';

export default defineConfig({
  testDir: 'e2e',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    viewport: { width: 1440, height: 900 },
    launchOptions,
    trace: 'retain-on-failure',
  },
  projects: [
    { name: 'chromium', testIgnore: 'dev/**', use: { ...devices['Desktop Chrome'], viewport: { width: 1440, height: 900 }, launchOptions } },
    {
      name: 'dev-server',
      testDir: 'e2e/dev',
      use: { ...devices['Desktop Chrome'], baseURL: `http://127.0.0.1:${devPort}`, viewport: { width: 1280, height: 720 }, launchOptions },
    },
  ],
  webServer: [
    {
      command: `npx vite build && npx vite preview --host 127.0.0.1 --port ${port} --strictPort`,
      url: `http://127.0.0.1:${port}`,
      reuseExistingServer: !process.env.CI,
      timeout: 180_000,
    },
    {
      command: `rm -rf ${devCache} && npm start -- --host 127.0.0.1 --port ${devPort} --strictPort`,
      env: { UNROLL_VITE_CACHE_DIR: devCache },
      url: `http://127.0.0.1:${devPort}`,
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: 'pipe',
    },
  ],
});
