/**
 * Training speed in headless Chromium, side by side in one run: each model of bench/lib/models.ts
 * on TF.js wasm, cpu and webgl, in a module worker like the app's, through the app's engine and
 * backend rule (e2e/lab/). Stock and fused paths interleaved per repeat, as in Node
 * (train.bench.ts, which also runs the PyTorch peer). Every row's backend is the one
 * `tf.getBackend()` reported in the worker; a backend that does not start gives no row.
 *
 * Here WebGL2 is SwiftShader (software): the webgl rows measure shader dispatch overhead on a
 * CPU, not a GPU. Run: npm run bench -- chromium (UNROLL_BENCH_REPEATS, UNROLL_BENCH_MODELS,
 * UNROLL_BENCH_BACKENDS=wasm,webgl to pick).
 */
import { ensureBuild, launchChromium, preview } from './lib/browser.ts';
import { benchModels } from './lib/models.ts';
import { fact, trainRow } from './lib/report.ts';
import { trainingPaths } from './lib/training.ts';
import type { BenchJob, BenchReply } from '../e2e/lab/protocol.ts';

const REPEATS = Number(process.env.UNROLL_BENCH_REPEATS ?? 3);
const BACKENDS = (process.env.UNROLL_BENCH_BACKENDS ?? 'wasm,cpu,webgl').split(',') as BenchJob['backend'][];
const models = benchModels();
const paths = trainingPaths();

ensureBuild('lab');
const server = await preview('lab');
const browser = await launchChromium();
let failures = 0;
try {
  fact('chromium', `${browser.version()} (headless)`);
  const page = await browser.newPage();
  page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
  await page.goto(server.url);
  await page.waitForSelector('html[data-ready="true"]');
  let renderer: string | null | undefined;
  for (const m of models) {
    for (const backend of BACKENDS) {
      const job: BenchJob = { model: m, backend, paths, repeats: REPEATS };
      const reply = await page.evaluate((j) => window.benchTrain!(j), job) as BenchReply;
      if (!reply.ok) {
        failures++;
        console.error(`${m.name} on ${backend}: ${reply.error}`);
        continue;
      }
      if (reply.backend !== backend) throw new Error(`asked for ${backend}, the worker ran ${reply.backend}`);
      if (renderer === undefined) {
        renderer = reply.renderer;
        fact('webgl_renderer', renderer ?? 'no WebGL2');
      }
      for (const path of paths) {
        trainRow({ model: m.name, backend, where: 'chromium', path, repeats: reply.repeats[path], batches: m.measured, batch_size: m.settings.batch_size });
      }
    }
  }
} finally {
  await browser.close();
  server.stop();
}
if (failures) process.exit(1);
