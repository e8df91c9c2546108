/**
 * Trains the default model (the sentiment template) on a large synthetic airline-tweets dataset
 * through the Train panel, as a person would, and watches the main thread from the first batch
 * until `batches` batches have trained (or `maxMs` has passed), then stops the run. Shared by e2e/longtasks.spec.ts
 * (production build) and bench/longtasks.bench.ts (development and production builds).
 *
 * Three views of the main thread:
 * - the Long Tasks API in the page (every task over 50 ms, wall-clock);
 * - a Chromium trace of the same span: each long task's wall time *and* its main-thread CPU time,
 *   which tells the app's own work from time the OS gave to other processes (on a busy machine a
 *   2 ms task can take 60 ms of wall-clock);
 * - the main thread's CPU time (CDP `Performance.getMetrics` ThreadTime), first half vs second
 *   half of the span: the cost per second must stay flat as the charts fill.
 *
 * Page code is passed as strings: tsx (the bench) would wrap named inner functions in a helper
 * the page lacks.
 */
import type { Browser, Page } from '@playwright/test';

export interface LongTaskOptions {
  /** Tweets generated (about 60% train after the confidence filter and the split). */
  readonly size: number;
  readonly batchSize: number;
  /** Trained batches to measure over. */
  readonly batches: number;
  /** Measures at most this long (ms from the first batch), however many batches that is. */
  readonly maxMs: number;
  /** Gives up waiting for the first batch after this long (ms). */
  readonly startMs?: number;
  /** Records a Chromium trace of the span (per-task CPU time). */
  readonly browser?: Browser;
}

export interface LongTask {
  /** ms since the first batch. */
  readonly start: number;
  /** Wall-clock ms. */
  readonly duration: number;
  /** Main-thread CPU ms (from the trace; undefined without one). */
  readonly cpu?: number;
}

export interface LongTaskRun {
  /** Batches trained in the measured span. */
  readonly batches: number;
  readonly seconds: number;
  /** Batch events the main thread received (the worker sends at most ~10 a second). */
  readonly events: number;
  /** Long tasks the Long Tasks API reported in the span (wall-clock > 50 ms). */
  readonly apiTasks: readonly LongTask[];
  /** Tasks over 50 ms in the trace, with their CPU time (empty without a trace). */
  readonly traceTasks: readonly LongTask[];
  /** Long Tasks API entries in the first and in the second half of the span (halved by batches, or by time at the cap). */
  readonly halves: readonly [number, number];
  /** The longest task, wall-clock (0 when none). */
  readonly worstMs: number;
  /** The most CPU time any one task took (from the trace; null without one). */
  readonly worstCpuMs: number | null;
  /** Main-thread CPU ms per second of training, first and second half. */
  readonly cpuMsPerS: readonly [number, number];
  /** Renders of the charts in the span, and the points the loss chart draws at its end. */
  readonly renders: number;
  readonly drawnPoints: number;
  readonly backend: string | null;
}

type Snap = { status: string; step: number; events: number; now: number; backend: string | null; renders: number; drawn: number; cpu: number };

export async function trainWithLongTasks(page: Page, o: LongTaskOptions): Promise<LongTaskRun> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const threadTime = async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    return 1000 * (metrics.find((m) => m.name === 'ThreadTime')?.value ?? NaN);
  };
  const snap = async (): Promise<Snap> => {
    const s = await page.evaluate(`(() => {
      const t = window.__unroll.train.getState();
      const last = t.batches[t.batches.length - 1];
      const wrap = document.querySelector('.train-charts-wrap');
      const chart = document.querySelector('figure[aria-label="Loss chart"]');
      return {
        status: t.status, step: last ? last.step : 0, events: t.batches.length, now: performance.now(), backend: t.backend ? t.backend.backend : null,
        renders: Number(wrap ? wrap.getAttribute('data-renders') : 0), drawn: Number(chart ? chart.getAttribute('data-drawn-points') : 0),
      };
    })()`) as Omit<Snap, 'cpu'>;
    return { ...s, cpu: await threadTime() };
  };

  await page.evaluate(`(() => {
    const s = window.__unroll.store.getState();
    s.setDataset({ id: 'airline-sentiment', options: { size: ${o.size}, seed: 1 } });
    s.setTraining({ epochs: 100, batch_size: ${o.batchSize}, optimizer: 'adam', learning_rate: 0.005 });
    window.__longTasks = [];
    new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longTasks.push([e.startTime, e.duration]); })
      .observe({ type: 'longtask', buffered: false });
  })()`);
  await page.getByRole('tab', { name: 'Train' }).click();
  const panel = page.getByRole('region', { name: 'Train', exact: true });
  await panel.getByRole('button', { name: 'Train', exact: true }).click();

  const startBy = Date.now() + (o.startMs ?? 120_000);
  let end = Infinity;
  let first: Snap | undefined;
  let mid: Snap | undefined;
  let last: Snap;
  let tracing = false;
  try {
    for (;;) {
      await page.waitForTimeout(first ? 1000 : 250);
      last = await snap();
      if (last.status === 'error' || last.status === 'done' || last.status === 'stopped') throw new Error(`the run ended early (${last.status})`);
      if (!first && last.step > 0) {
        if (o.browser) {
          await o.browser.startTracing(page, { categories: ['toplevel'] });
          tracing = true;
        }
        first = last = await snap();
        end = Date.now() + o.maxMs;
      }
      if (!first && Date.now() > startBy) throw new Error(`no batch trained within ${o.startMs ?? 120_000} ms`);
      if (first && !mid && (last.step - first.step >= o.batches / 2 || Date.now() > end - o.maxMs / 2)) mid = last;
      if (first && (last.step - first.step >= o.batches || Date.now() > end)) break;
    }
  } catch (e) {
    if (tracing) await o.browser!.stopTracing().catch(() => undefined);
    throw e;
  }
  const f = first!, m = mid ?? last;
  const trace = tracing ? await o.browser!.stopTracing() : null;
  const raw = await page.evaluate('window.__longTasks') as [number, number][];
  await panel.getByRole('button', { name: 'Stop training' }).click();
  await cdp.detach();

  const span = last.now - f.now;
  const apiTasks = raw.filter(([t]) => t >= f.now && t <= last.now).map(([t, d]) => ({ start: t - f.now, duration: d }));
  const traceTasks = trace ? longTasksInTrace(trace) : [];
  const rate = (a: Snap, b: Snap) => (b.cpu - a.cpu) / ((b.now - a.now) / 1000);
  return {
    batches: last.step - f.step,
    seconds: span / 1000,
    events: last.events - f.events,
    apiTasks,
    traceTasks,
    halves: [apiTasks.filter((t) => t.start < m.now - f.now).length, apiTasks.filter((t) => t.start >= m.now - f.now).length],
    worstMs: Math.max(0, ...apiTasks.map((t) => t.duration)),
    worstCpuMs: trace ? Math.max(0, ...traceTasks.map((t) => t.cpu ?? 0)) : null,
    cpuMsPerS: [rate(f, m), rate(m, last)],
    renders: last.renders - f.renders,
    drawnPoints: last.drawn,
    backend: last.backend,
  };
}

interface TraceEvent { name: string; ph: string; pid: number; tid: number; ts: number; dur?: number; tdur?: number; args?: { name?: string } }

/** Tasks over 50 ms on the page's main thread (the renderer main thread with the most tasks). */
export function longTasksInTrace(trace: Buffer): LongTask[] {
  const parsed = JSON.parse(trace.toString('utf8')) as { traceEvents?: TraceEvent[] } | TraceEvent[];
  const events = Array.isArray(parsed) ? parsed : parsed.traceEvents ?? [];
  const mains = new Set(events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const tasks = new Map<string, TraceEvent[]>();
  for (const e of events) {
    const key = `${e.pid}:${e.tid}`;
    if (e.ph !== 'X' || (e.name !== 'ThreadControllerImpl::RunTask' && e.name !== 'RunTask') || !mains.has(key)) continue;
    const list = tasks.get(key) ?? [];
    list.push(e);
    tasks.set(key, list);
  }
  const main = [...tasks.values()].sort((a, b) => b.length - a.length)[0] ?? [];
  const t0 = main.reduce((m, e) => Math.min(m, e.ts), Infinity);
  return main.filter((e) => (e.dur ?? 0) > 50_000).map((e) => ({ start: (e.ts - t0) / 1000, duration: (e.dur ?? 0) / 1000, cpu: (e.tdur ?? 0) / 1000 }));
}
