// Test helper, run in its own Node process: loads exported TF.js models with stock TF.js only
// (no Unroll code, nothing registered) and writes their predictions.
//
//   node src/tf/export/loadStock.mjs job.json out.json
//
// job.json: { "models": [{ "dir": "...", "inputs": [[{ "shape": [...], "dtype": "int32", "data": [...] }, ...], ...] }] }
//   (each entry of `inputs` is one predict call: one tensor per model input)
// out.json: [{ "classes": [...], "predictions": [[{ "shape": [...], "data": [...] }, ...], ...] } | { "error": "..." }]
import * as tf from '@tensorflow/tfjs';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [jobPath, outPath] = process.argv.slice(2);
const job = JSON.parse(readFileSync(jobPath, 'utf8'));
tf.env().set('PROD', true);
await tf.setBackend('cpu');

const results = [];
for (const { dir, inputs } of job.models) {
  try {
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    const buffers = json.weightsManifest.flatMap((g) => g.paths.map((p) => readFileSync(join(dir, p))));
    const bytes = Buffer.concat(buffers);
    const model = await tf.loadLayersModel(tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
      weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
    }));
    const predictions = [];
    for (const call of inputs) {
      const xs = call.map((t) => tf.tensor(t.data, t.shape, t.dtype));
      const ys = model.predict(xs.length === 1 ? xs[0] : xs);
      predictions.push((Array.isArray(ys) ? ys : [ys]).map((y) => ({ shape: y.shape, data: Array.from(y.dataSync()) })));
      tf.dispose([xs, ys]);
    }
    results.push({ classes: model.layers.map((l) => l.getClassName()), predictions });
    model.dispose();
  } catch (e) {
    results.push({ error: String(e && e.stack ? e.stack : e) });
  }
}
writeFileSync(outPath, JSON.stringify(results));
