/**
 * A long run keeps the page responsive (issue 10, contract 8): the default model trains 3,000
 * batches (or for 150 s) on a large synthetic dataset (25,000 airline tweets, 13,775 of them to
 * train: about the size of the lesson's real 14,640-row CSV; 3,444 batches of 4 an epoch) in the
 * production build while the Long Tasks API and a Chromium trace watch the main thread. No task
 * may keep the main thread busy for over 50 ms, the main thread's cost per second must not grow as
 * the run gets longer (second half vs first half), the charts render at most ~4 times a second
 * and draw a bounded number of points however many batches arrived. The development build's
 * numbers are a bench row (bench/longtasks.bench.ts).
 *
 * Wall-clock long tasks (what the Long Tasks API reports) are listed too. On a machine shared with
 * other work a task of 3 ms of CPU can take 60 ms of wall-clock while the OS runs something else,
 * so the limit is checked on each task's main-thread CPU time from the trace; on an idle machine
 * the two agree.
 */
import { expect, test } from '@playwright/test';
import { Editor } from './editor.ts';
import { trainWithLongTasks } from './longTasks.ts';

const BATCHES = Number(process.env.UNROLL_LONGTASK_BATCHES ?? 3000);
/**
 * CI budget: the span is capped at 150 s (3,000 batches take ~110 s on an idle 2-core machine); a
 * busy machine trains fewer in that time, and at least a third of them must have trained.
 */
const MAX_MS = Number(process.env.UNROLL_LONGTASK_MAX_MS ?? 150_000);

test.setTimeout(MAX_MS + 240_000);

test(`the default model trains ${BATCHES} batches without a long task on the main thread`, async ({ page, browser }) => {
  const ed = new Editor(page);
  await ed.open();
  const run = await trainWithLongTasks(page, { size: 25_000, batchSize: 4, batches: BATCHES, maxMs: MAX_MS, browser });
  const list = (ts: readonly { start: number; duration: number; cpu?: number }[]) =>
    ts.map((t) => `${(t.start / 1000).toFixed(1)}s:${t.duration.toFixed(0)}${t.cpu === undefined ? '' : `/${t.cpu.toFixed(0)}cpu`}`).join(' ');
  test.info().annotations.push({
    type: 'long tasks',
    description: `${run.batches} batches in ${run.seconds.toFixed(0)} s on ${run.backend}; ${run.events} batch events, ${run.renders} chart renders, ` +
      `${run.drawnPoints} points drawn; main thread ${run.cpuMsPerS.map((v) => v.toFixed(1)).join(' → ')} ms CPU/s; ` +
      `Long Tasks API: ${run.apiTasks.length} (halves ${run.halves.join(' / ')}), worst ${run.worstMs.toFixed(0)} ms wall; ` +
      `worst task CPU ${run.worstCpuMs?.toFixed(1)} ms; trace, tasks over 50 ms wall (${run.traceTasks.length}), the 12 with most CPU: ` +
      list([...run.traceTasks].sort((a, b) => (b.cpu ?? 0) - (a.cpu ?? 0)).slice(0, 12)),
  });
  expect(run.batches).toBeGreaterThanOrEqual(Math.min(BATCHES, 250));
  expect(run.worstCpuMs, 'no task keeps the main thread busy for over 50 ms').toBeLessThanOrEqual(50);
  expect(run.cpuMsPerS[1], 'the main thread\'s cost does not grow with the run').toBeLessThanOrEqual(run.cpuMsPerS[0] * 1.3 + 5);
  expect(run.renders / run.seconds, 'chart renders a second').toBeLessThanOrEqual(5);
  // Four lines, each decimated: the raw envelope ≤ 4 points a bucket, the smoothed line 1, epochs few.
  expect(run.drawnPoints).toBeLessThanOrEqual(5 * 160 + 2 * 100);
});
