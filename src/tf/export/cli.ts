/**
 * `unroll export tfjs-model FILE -o DIR [--flavour stock|unroll] [--seed N]`: writes model.json and
 * group1-shard1of1.bin (and README.txt for the unroll flavour) into DIR, with fresh weights.
 * TF.js is imported here, dynamically, so other commands do not load it (src/cli/main.ts imports
 * this module only for this command).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readAnyModelFile } from '../../core/keras/cli.ts';
import { exportTfjsModel, TFJS_EXPORT_FLAVOURS, type TfjsExportFlavour } from './files.ts';

export const TFJS_MODEL_USAGE =
  'export tfjs-model FILE -o DIR [--flavour stock|unroll] [--seed N]   write a TF.js model (model.json + weights, fresh) for tf.loadLayersModel';

export interface CliIo {
  out: (s: string) => void;
  err: (s: string) => void;
}

/** 0 on success, 1 for a bad file or a model the flavour cannot express, 2 for bad usage. */
export async function tfjsModelCommand(args: string[], io: CliIo): Promise<number> {
  const opts = new Map<string, string | undefined>();
  const rest: string[] = [];
  for (let k = 0; k < args.length; k++) {
    if (['-o', '--flavour', '--seed'].includes(args[k])) opts.set(args[k], args[++k]);
    else rest.push(args[k]);
  }
  const [file, extra] = rest;
  const dir = opts.get('-o');
  const flavour = (opts.get('--flavour') ?? 'stock') as TfjsExportFlavour;
  const seedText = opts.get('--seed');
  const seed = seedText === undefined ? undefined : Number(seedText);
  if (!file || extra !== undefined || !dir || !TFJS_EXPORT_FLAVOURS.includes(flavour) || (seed !== undefined && !Number.isInteger(seed))) {
    io.err(`usage: unroll ${TFJS_MODEL_USAGE}`);
    return 2;
  }
  const m = await readAnyModelFile(file, { readFile: (f) => readFile(f, 'utf8'), err: io.err });
  if (!m) return 1;

  const tf = await import('@tensorflow/tfjs');
  tf.env().set('PROD', true); // no "install tfjs-node" banner, no orthogonal-size notes
  await tf.setBackend('cpu');
  // TF.js notes on stderr that orthogonal initialisation of big matrices is slow: not the user's concern.
  const warn = console.warn;
  console.warn = (...a: unknown[]) => {
    if (!String(a[0]).startsWith('Orthogonal initializer')) warn(...a);
  };
  const r = await exportTfjsModel(tf, m.graph, { flavour, seed }).finally(() => {
    console.warn = warn;
  });
  if (!r.ok) {
    io.err(`${file}: cannot export: ${r.error}`);
    return 1;
  }
  for (const w of r.warnings) io.err(`warning: ${w}`);
  await mkdir(dir, { recursive: true });
  const names = Object.keys(r.files) as (keyof typeof r.files)[];
  for (const name of names) await writeFile(join(dir, name), r.files[name]!);
  io.out(`wrote ${names.map((n) => join(dir, n)).join(', ')} (${flavour} TF.js)`);
  return 0;
}
