/**
 * Training speed in headless Chromium, side by side in one run: each model of bench/lib/models.ts
 * on TF.js wasm, cpu and webgl, in a module worker like the app's, through the app's engine and
 * backend rule (e2e/lab/). Stock and fused paths interleaved per repeat, as in Node
 * (train.bench.ts, which also runs the PyTorch peer). Every row's backend is the one
 * `tf.getBackend()` reported in the worker; a backend that does not start gives no row.
 *
 * Also the shader programs per time step of an LSTM training step on webgl, fused and stock (the
 * lab page e2e/lab/kernels.html counts the backend's draw calls and the fused op's framebuffer
 * blits). Here WebGL2 is SwiftShader
 * (software): the webgl rows measure shader dispatch overhead and arithmetic on a CPU, not a GPU.
 * Run: npm run bench -- chromium (UNROLL_BENCH_REPEATS, UNROLL_BENCH_MODELS,
 * UNROLL_BENCH_BACKENDS=wasm,webgl to pick).
 */
import { ensureBuild, launchChromium, preview } from './lib/browser.ts';
import { benchModels } from './lib/models.ts';
import { fact, metric, trainRow } from './lib/report.ts';
import { chain } from '../src/core/build.ts';
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
  // Shader programs per time step of an LSTM training step on webgl (forward, backward, Adam): the
  // growth from T = 10 to T = 40 of the feasibility model with one LSTM(32), batch 32.
  if (BACKENDS.includes('webgl')) {
    const lab = await browser.newPage();
    await lab.goto(`${server.url}kernels.html`);
    await lab.waitForSelector('html[data-ready="true"]');
    const graph = chain([
      { kind: 'Input', params: { shape: [null], dtype: 'int32' } },
      { kind: 'Embedding', params: { input_dim: 1000, output_dim: 16, mask_zero: true } },
      { kind: 'LSTM', params: { units: 32 } },
      { kind: 'Dense', params: { units: 3, activation: 'softmax' } },
    ]);
    const lengths = [10, 40];
    for (const recurrent of ['fused', 'stock'] as const) {
      const r = await lab.evaluate((job) => window.lab!.stepDispatches(job as never), { graph, recurrent, lengths, B: 32, vocab: 1000, classes: 3 });
      if (r.backend !== 'webgl') throw new Error(`the lab ran ${r.backend}`);
      const perStep = (r.programs[1] - r.programs[0]) / (lengths[1] - lengths[0]);
      metric(`chromium.webgl.lstm_step.${recurrent}.programs_per_step`, perStep, 'programs', {
        label: `shader programs and copies (blits) per time step of an LSTM(32) training step on webgl, ${recurrent}`, target: recurrent === 'fused' ? '≤ 8' : undefined,
        note: `${r.programs[0]} at T = ${lengths[0]}, ${r.programs[1]} at T = ${lengths[1]}; the fused op's own: ${((r.ours[1] - r.ours[0]) / (lengths[1] - lengths[0])).toFixed(1)} a step`,
      });
    }
    // The feasibility model itself: Bidirectional(LSTM(32)), both directions as one kernel call.
    const bi = models.find((m) => m.name === 'feasibility');
    if (bi) {
      const r = await lab.evaluate((job) => window.lab!.stepDispatches(job as never), { graph: bi.graph, recurrent: 'fused', lengths, B: 32, vocab: 1000, classes: 3 });
      if (r.backend !== 'webgl') throw new Error(`the lab ran ${r.backend}`);
      const perStep = (r.programs[1] - r.programs[0]) / (lengths[1] - lengths[0]);
      metric('chromium.webgl.bilstm_step.fused.programs_per_step', perStep, 'programs', {
        label: 'shader programs and copies per time step of the feasibility model\'s Bidirectional(LSTM(32)) training step on webgl, fused (both directions)',
        note: `${r.programs[0]} at T = ${lengths[0]}, ${r.programs[1]} at T = ${lengths[1]}`,
      });
    }
  }
} finally {
  await browser.close();
  server.stop();
}
if (failures) process.exit(1);
