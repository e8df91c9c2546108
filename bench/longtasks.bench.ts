/**
 * The main thread while the default model trains a long run (issue 10), in the development build
 * (`vite`, what `npm start` serves) and in the production build (`vite preview`): the same
 * measurement as e2e/longtasks.spec.ts (e2e/longTasks.ts), reported as rows instead of asserted.
 *
 * - `worst_task_ms`: the longest task the Long Tasks API saw (wall-clock; target: production
 *   < 50 ms, development < 200 ms);
 * - `worst_task_cpu_ms`: the most main-thread CPU one task took (Chromium trace), which is the
 *   app's own cost when other work shares the cores;
 * - `long_tasks`: Long Tasks API entries in the first and second half of the run;
 * - `main_cpu_ms_per_s`: the main thread's CPU time per second of training, second half (flat:
 *   about the first half's).
 *
 * Run: `npm run bench -- longtasks` (UNROLL_BENCH_LONGTASK_BATCHES, default 1500).
 */
import { trainWithLongTasks, type LongTaskRun } from '../e2e/longTasks.ts';
import { devServer, ensureBuild, launchChromium, preview } from './lib/browser.ts';
import { fact, metric } from './lib/report.ts';

const BATCHES = Number(process.env.UNROLL_BENCH_LONGTASK_BATCHES ?? 1500);

async function measure(url: string): Promise<LongTaskRun> {
  const browser = await launchChromium();
  try {
    fact('chromium', browser.version());
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(url);
    await page.waitForSelector('html[data-ready="true"]', { timeout: 120_000 });
    return await trainWithLongTasks(page, { size: 25_000, batchSize: 4, batches: BATCHES, maxMs: 600_000, browser });
  } finally {
    await browser.close();
  }
}

function report(build: 'dev' | 'prod', r: LongTaskRun): void {
  const what = build === 'dev' ? 'development build (npm start)' : 'production build';
  const note = `${r.batches} batches in ${r.seconds.toFixed(0)} s on ${r.backend}, ${r.events} batch events, ${r.renders} chart renders`;
  metric(`longtasks.${build}.worst_task_ms`, r.worstMs, 'ms', { target: build === 'dev' ? '< 200 ms' : '< 50 ms', label: `longest main-thread task (Long Tasks API), ${what}`, note });
  if (r.worstCpuMs !== null) metric(`longtasks.${build}.worst_task_cpu_ms`, r.worstCpuMs, 'ms', { target: '< 50 ms', label: `most main-thread CPU in one task (trace), ${what}` });
  metric(`longtasks.${build}.long_tasks.first_half`, r.halves[0], 'tasks', { label: `Long Tasks API entries, first half of the run, ${what}` });
  metric(`longtasks.${build}.long_tasks.second_half`, r.halves[1], 'tasks', { target: '≤ first half', label: `Long Tasks API entries, second half, ${what}` });
  metric(`longtasks.${build}.main_cpu_ms_per_s.first_half`, r.cpuMsPerS[0], 'ms/s', { label: `main-thread CPU per second of training, first half, ${what}` });
  metric(`longtasks.${build}.main_cpu_ms_per_s.second_half`, r.cpuMsPerS[1], 'ms/s', { target: '≈ first half', label: `main-thread CPU per second of training, second half, ${what}` });
}

const dev = await devServer();
try {
  report('dev', await measure(dev.url));
} finally {
  dev.stop();
}
ensureBuild('app');
const prod = await preview('app');
try {
  report('prod', await measure(prod.url));
} finally {
  prod.stop();
}
