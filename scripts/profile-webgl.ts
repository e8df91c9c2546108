/**
 * `npx tsx scripts/profile-webgl.ts [MODEL] [--stock] [--T N] [--steps N] [--top N] [--repeat R] [--code]`: where one training
 * step of a benchmark model (bench/lib/models.ts; default feasibility, batch as benchmarked, 40
 * steps) goes on webgl in headless Chromium (SwiftShader where there is no GPU), through the lab
 * page's `profileStep`: the step's wall time, then every shader program and row copy timed with
 * the GPU waited for after each. Waiting adds a round trip to every entry (~0.25 ms here: a tiny
 * program's row shows it), so the shares say what the work is, not what the unsynced step costs.
 * With `--repeat R` each program and copy is also run R more times back to back with one wait at
 * the end, and its row is that run's share: what it costs unsynced, without the round trip (a row
 * then includes the packing programs it runs itself).
 * A tool for working on src/tf/kernels/webgl, not a benchmark (`npm run bench` is that).
 */
import { buildSite, launchChromium, preview } from '../bench/lib/browser.ts';
import { benchModel, MODEL_NAMES, type BenchModelName } from '../bench/lib/models.ts';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const name = (args.find((a) => MODEL_NAMES.includes(a as BenchModelName)) ?? 'feasibility') as BenchModelName;
const recurrent = args.includes('--stock') ? 'stock' : 'fused';
const m = benchModel(name);

buildSite('lab'); // from the current sources: this is for changing them
const server = await preview('lab');
const browser = await launchChromium();
try {
  const page = await browser.newPage();
  page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
  await page.goto(`${server.url}kernels.html`);
  await page.waitForSelector('html[data-ready="true"]');
  const T = flag('--T', name === 'lesson' ? 18 : 40);
  const r = await page.evaluate((job) => window.lab!.profileStep(job), { graph: m.graph, recurrent, T, B: m.settings.batch_size, vocab: 1000, classes: 3, steps: flag('--steps', 4), repeat: flag('--repeat', 0) } as const);
  const total = r.programs.reduce((s, p) => s + p.ms, 0);
  const count = r.programs.reduce((s, p) => s + p.count, 0);
  console.log(`${name}, ${recurrent}, batch ${m.settings.batch_size} × ${T} steps on ${r.backend}: ${r.msPerStep.toFixed(1)} ms a training step (median); ${count} programs and copies; ${r.syncedMsPerStep.toFixed(1)} ms waiting after each`);
  console.log(`unsynced, a step's main thread spends ${r.issue.programsMs.toFixed(1)} ms issuing programs (runWebGLProgram) and ${r.issue.readSyncMs.toFixed(1)} ms in readSync (waiting for the GPU)`);
  for (const p of r.programs.slice(0, flag('--top', 30))) {
    console.log(`${(100 * p.ms / total).toFixed(1).padStart(5)}%  ${p.ms.toFixed(1).padStart(7)} ms  ×${String(p.count).padStart(5)}  ${(p.ms / p.count).toFixed(3)} ms each  ${p.key}`);
    if (args.includes('--code')) console.log(`         ${p.code}`);
  }
} finally {
  await browser.close();
  server.stop();
}
