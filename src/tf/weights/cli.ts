/**
 * `unroll export keras-file MODEL -o OUT.keras [--weights FILE] [--seed N]`: writes a Keras 3
 * `.keras` archive (kerasFile.ts) for any model file Unroll opens. The weights are the file's own
 * (a .keras, .h5 or TF.js model with its shards, or `--weights`), else fresh ones drawn by Keras's
 * initializers through TF.js (`--seed` makes them reproducible). Exit 1 with one line for a bad file
 * or a model Keras 3 cannot hold; 2 for bad usage.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { WeightSet } from '../../core/weights.ts';
import { openModelFiles, type InputFile, type OpenedModel } from './files.ts';
import { toKeras3Semantics } from '../../core/keras/semantics.ts';

export interface CliIo {
  out: (s: string) => void;
  err: (s: string) => void;
}

export const KERAS_FILE_USAGE = 'export keras-file MODEL -o OUT.keras [--weights FILE] [--seed N] [--keras3]   write a Keras 3 .keras archive (config, weights, fresh optimizer state)';

/**
 * Reads a model file (with its TF.js shards) and an optional weights file, and opens them as the
 * app does. A file that cannot be read or opened is reported on `err` in one line; null then.
 */
export async function openModelArgs(file: string, weightsFile: string | undefined, err: (s: string) => void): Promise<OpenedModel | null> {
  let files: InputFile[];
  try {
    files = await readModelFile(file);
    if (weightsFile) files.push(...(await readModelFile(weightsFile)));
  } catch (e) {
    const x = e as NodeJS.ErrnoException;
    err(x.code ? `cannot read ${x.path ?? file}: ${x.code}` : x.message);
    return null;
  }
  const opened = await openModelFiles(files);
  if (!opened.ok) {
    err(opened.error);
    return null;
  }
  return opened.model;
}

/** A model file and, for a TF.js model.json, the shards it names (next to it). */
export async function readModelFile(path: string): Promise<InputFile[]> {
  const bytes = new Uint8Array(await readFile(path));
  const out: InputFile[] = [{ name: path, bytes }];
  if (bytes[0] !== 0x7b /* { */) return out;
  let doc: unknown;
  try {
    doc = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return out; // the reader says what is wrong
  }
  const manifest = (doc as { weightsManifest?: unknown })?.weightsManifest;
  for (const g of Array.isArray(manifest) ? (manifest as { paths?: unknown }[]) : []) {
    for (const p of Array.isArray(g.paths) ? g.paths : []) {
      const shard = join(dirname(path), String(p));
      try {
        out.push({ name: shard, bytes: new Uint8Array(await readFile(shard)) });
      } catch {
        throw new Error(`${path} names the weight file ${String(p)}, which is not next to it (${shard})`);
      }
    }
  }
  return out;
}

export async function kerasFileCommand(args: string[], io: CliIo): Promise<number> {
  const opts = new Map<string, string | undefined>();
  const rest: string[] = [];
  for (let k = 0; k < args.length; k++) {
    if (['-o', '--weights', '--seed'].includes(args[k])) opts.set(args[k], args[++k]);
    else if (args[k] === '--keras3') opts.set('--keras3', '1');
    else rest.push(args[k]);
  }
  const [file, extra] = rest;
  const out = opts.get('-o');
  const seedText = opts.get('--seed');
  const seed = seedText === undefined ? undefined : Number(seedText);
  if (!file || extra !== undefined || !out || (seed !== undefined && !Number.isInteger(seed)) || (opts.has('--weights') && !opts.get('--weights'))) {
    io.err(`usage: unroll ${KERAS_FILE_USAGE}`);
    return 2;
  }
  const model = await openModelArgs(file, opts.get('--weights'), io.err);
  if (!model) return 1;
  const converted = opts.has('--keras3') ? toKeras3Semantics(model.graph) : { graph: model.graph, changed: [] };
  for (const c of converted.changed) io.err(`note: now with Keras 3's meaning: ${c}`);
  const m = { ...model, graph: converted.graph };
  let weights: WeightSet | null = m.weights;
  if (!weights) {
    const tf = await import('@tensorflow/tfjs');
    tf.env().set('PROD', true);
    await tf.setBackend('cpu');
    const [{ compileGraph }, { withSeededRandom }, { extractWeights }] = await Promise.all([import('../compile.ts'), import('../export/files.ts'), import('./apply.ts')]);
    const warn = console.warn;
    console.warn = (...a: unknown[]) => {
      if (!String(a[0]).startsWith('Orthogonal initializer')) warn(...a);
    };
    try {
      const build = () => compileGraph(tf, m.graph);
      const c = seed === undefined ? build() : withSeededRandom(seed, build);
      weights = extractWeights(tf, c, m.graph, { format: 'browser', savedAt: new Date().toISOString() });
      c.model.dispose();
    } catch (e) {
      io.err(`${file}: cannot build the model for fresh weights: ${(e as Error).message.split('\n')[0]}`);
      return 1;
    } finally {
      console.warn = warn;
    }
  }
  const { writeKerasFile } = await import('./kerasFile.ts');
  const r = await writeKerasFile(m.graph, weights, { name: m.name, training: m.project?.training });
  if (!r.ok) {
    io.err(`${file}: cannot write a .keras file: ${r.error}`);
    return 1;
  }
  for (const w of m.warnings) if (!(converted.changed.length && / semantics, as in the file \(/.test(w))) io.err(`warning: ${w}`);
  await writeFile(out, r.bytes);
  io.out(`wrote ${out} (Keras 3 .keras, ${m.weights ? `weights from ${m.weights.source.file ?? file}` : `fresh weights${seed === undefined ? '' : `, seed ${seed}`}`})`);
  return 0;
}
