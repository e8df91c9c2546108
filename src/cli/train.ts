/**
 * `unroll train PROJECT …`: trains a project headless with the app's own engine
 * (src/tf/train/engine.ts) on TF.js's wasm backend (cpu with --backend cpu).
 *
 *   npx unroll train templates/sentiment.json --csv Tweets.csv --text text --label airline_sentiment \
 *     --confidence airline_sentiment_confidence:0.5 --epochs 5 --json --save model/
 *
 * The dataset is the CSV (built exactly as the editor's Data tab builds it: same parser, filters,
 * split and vocabulary) or the project's catalog dataset (--dataset ID to choose another). A bad
 * CSV, a model that does not fit the data, or a failed run exits 1 with the editor's message.
 * On a terminal a progress bar runs on stderr; each epoch prints a line (Keras's logs), or with
 * --json one JSON object per line on stdout: one per epoch, then
 * `{"test": {"loss", "accuracy"}, "seconds", "backend"}`.
 * --save DIR writes the trained model as TF.js files (stock classes where plain TF.js can load
 * it, else Unroll's classes with a README.txt); --save FILE.keras a Keras 3 archive.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inferGraph } from '../core/infer.ts';
import { loadAnyModelFile } from '../core/keras/cli.ts';
import { parseProject, trainingSchema, type Project, type TrainingSettings } from '../core/project.ts';
import type { Graph } from '../core/types.ts';
import { bindDataset, checkBinding } from '../data/bind.ts';
import { loadDataset } from '../data/catalog.ts';
import type { CorpusLoader } from '../data/corpora/loader.ts';
import { parseCsvChunked } from '../data/csvStream.ts';
import type { ColumnMapping } from '../data/csvMapping.ts';
import { DataError } from '../data/errors.ts';
import { datasetFromCsv } from '../data/fromCsv.ts';
import type { Dataset } from '../data/tasks.ts';
import { getTemplate, TEMPLATES } from '../../templates/index.ts';

export const TRAIN_USAGE = `train PROJECT [--csv FILE --text COL (--label COL | --target-seq COL) [--confidence COL:0.5]]
        [--dataset ID [--size N]] [--epochs N] [--batch-size N] [--learning-rate X] [--seed N] [--split-seed N] [--stratify]
        [--max-tokens N] [--fit] [--backend wasm|cpu] [--json] [--save DIR | --save FILE.keras]
      train a project (file or template id) headless with the app's engine; --json: one JSON object per epoch, then the test`;

export interface TrainIo {
  out: (s: string) => void;
  err: (s: string) => void;
  /** A terminal for the progress bar (stderr when it is a TTY). */
  tty?: { write: (s: string) => void; columns?: number };
  /** Called with a function that stops the run (Ctrl-C). */
  onInterrupt?: (stop: () => void) => void;
}

interface Options {
  project: string;
  csv?: string;
  text?: string;
  label?: string;
  targetSeq?: string;
  confidence?: { column: string; threshold: number };
  dataset?: string;
  size?: number;
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  seed?: number;
  splitSeed: number;
  stratify: boolean;
  maxTokens: number;
  fit: boolean;
  backend: 'wasm' | 'cpu';
  json: boolean;
  save?: string;
}

const VALUE_FLAGS = ['--csv', '--text', '--label', '--target-seq', '--confidence', '--dataset', '--size', '--epochs', '--batch-size', '--learning-rate', '--seed', '--split-seed', '--max-tokens', '--backend', '--save'];
const BOOL_FLAGS = ['--stratify', '--fit', '--json'];

/** Parses the arguments; a string is the usage problem. */
export function parseTrainArgs(args: readonly string[]): Options | string {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  const rest: string[] = [];
  for (let k = 0; k < args.length; k++) {
    const a = args[k];
    if (VALUE_FLAGS.includes(a)) {
      if (k + 1 >= args.length) return `${a} needs a value`;
      values.set(a, args[++k]);
    } else if (BOOL_FLAGS.includes(a)) flags.add(a);
    else if (a.startsWith('--')) return `unknown option ${a}`;
    else rest.push(a);
  }
  if (rest.length !== 1) return rest.length ? `one PROJECT expected, got ${rest.join(' ')}` : 'missing PROJECT';
  const int = (flag: string, min: number): number | undefined | string => {
    const v = values.get(flag);
    if (v === undefined) return undefined;
    const n = Number(v);
    return Number.isInteger(n) && n >= min ? n : `${flag} must be a whole number ≥ ${min} (got ${v})`;
  };
  const o: Options = {
    project: rest[0], splitSeed: 0, stratify: flags.has('--stratify'), maxTokens: 1000, fit: flags.has('--fit'),
    backend: 'wasm', json: flags.has('--json'),
  };
  for (const [flag, key, min] of [['--size', 'size', 5], ['--epochs', 'epochs', 1], ['--batch-size', 'batchSize', 1], ['--seed', 'seed', -2147483648], ['--split-seed', 'splitSeed', 0], ['--max-tokens', 'maxTokens', 3]] as const) {
    const v = int(flag, min);
    if (typeof v === 'string') return v;
    if (v !== undefined) (o as unknown as Record<string, number>)[key] = v;
  }
  const lr = values.get('--learning-rate');
  if (lr !== undefined) {
    if (!(Number(lr) > 0)) return `--learning-rate must be a positive number (got ${lr})`;
    o.learningRate = Number(lr);
  }
  const backend = values.get('--backend');
  if (backend !== undefined) {
    if (backend !== 'wasm' && backend !== 'cpu') return `--backend must be wasm or cpu (got ${backend})`;
    o.backend = backend;
  }
  o.csv = values.get('--csv');
  o.text = values.get('--text');
  o.label = values.get('--label');
  o.targetSeq = values.get('--target-seq');
  o.dataset = values.get('--dataset');
  o.save = values.get('--save');
  const conf = values.get('--confidence');
  if (conf !== undefined) {
    // COL or COL:THRESHOLD (the column name may itself contain ':').
    const m = /^(.*):([-+]?\d*\.?\d+(?:e[-+]?\d+)?)$/i.exec(conf);
    o.confidence = m && m[1] ? { column: m[1], threshold: Number(m[2]) } : { column: conf, threshold: 0.5 };
  }
  if (o.csv !== undefined) {
    if (!o.text) return '--csv needs --text COL (the column with the texts)';
    if (!o.label === !o.targetSeq) return '--csv needs --label COL (classification) or --target-seq COL (sequence-to-sequence)';
    if (o.dataset) return '--csv and --dataset cannot be used together';
  } else if (o.text || o.label || o.targetSeq || o.confidence) return '--text, --label, --target-seq and --confidence go with --csv FILE';
  if (o.size !== undefined && o.csv) return '--size is for synthetic catalog datasets, not --csv';
  return o;
}

/** Reads built-in corpora from the repository's public/datasets/ (what the app fetches). */
function fileLoader(): CorpusLoader {
  const dir = resolve(dirname(fileURLToPath(import.meta.url)), '../../public/datasets');
  return {
    loadText: (f) => readFile(join(dir, f), 'utf8'),
    loadJson: async (f) => JSON.parse(await readFile(join(dir, f), 'utf8')) as unknown,
  };
}

type Loaded = { graph: Graph; training: Project['training']; dataset: Project['dataset']; name: string };

/** A project file, any model file Unroll opens (default settings), or a template id. */
async function loadProjectArg(path: string, io: TrainIo): Promise<Loaded | null> {
  if (!existsSync(path)) {
    const t = getTemplate(path);
    if (t) return { graph: t.project.graph, training: t.project.training, dataset: t.project.dataset, name: t.id };
    io.err(`cannot read ${path}: no such file or template (templates: ${TEMPLATES.map((x) => x.id).join(', ')})`);
    return null;
  }
  const text = await readFile(path, 'utf8');
  const p = parseProject(text);
  if (p.ok) return { graph: p.project.graph, training: p.project.training, dataset: p.project.dataset, name: p.project.name };
  const m = loadAnyModelFile(text, path);
  if (!m.ok) {
    io.err(m.error.startsWith(`${path}: `) ? m.error : `${path}: ${m.error}`);
    return null;
  }
  for (const w of m.warnings) io.err(`warning: ${w}`);
  return { graph: m.graph, training: trainingSchema.parse({}), dataset: null, name: m.name };
}

/** The CSV as the Data tab builds it; null after printing the editor's message. */
async function csvDataset(o: Options, io: TrainIo): Promise<Dataset | null> {
  let text: string;
  try {
    text = await readFile(o.csv!, 'utf8');
  } catch (e) {
    io.err(`cannot read ${o.csv}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    return null;
  }
  const mapping: ColumnMapping = {
    text: o.text!,
    ...(o.label ? { label: o.label } : { target_sequence: o.targetSeq! }),
    ...(o.confidence ? { confidence: o.confidence.column, threshold: o.confidence.threshold } : {}),
  };
  try {
    const table = await parseCsvChunked(text);
    const { dataset, report } = datasetFromCsv(table, mapping, {
      name: basename(o.csv!), seed: o.splitSeed, stratify: o.stratify, maxTokens: o.maxTokens, decodeEntities: true,
    });
    for (const w of report.warnings) io.err(`warning: ${w}`);
    if (!o.json) {
      io.err(`${basename(o.csv!)}: ${report.totalRows.toLocaleString('en-US')} rows, ${report.kept.toLocaleString('en-US')} kept → ` +
        `${dataset.train.length} train / ${dataset.val.length} val / ${dataset.test.length} test; vocabulary ${dataset.inputs.vocabulary?.length ?? 0}; ` +
        `labels ${(dataset.labels ?? []).join(', ')}`);
    }
    return dataset;
  } catch (e) {
    io.err(`${o.csv}: ${e instanceof DataError ? e.message : (e as Error).message}`);
    return null;
  }
}

const fixed = (v: number | undefined, digits = 4) => (v === undefined || Number.isNaN(v) ? '—' : v.toFixed(digits));

/** A one-line bar: `epoch 2/5 ━━━━━━━╺────── 45/120 · loss 0.5312 · acc 0.8123 · 12 ms/batch`. */
function bar(epoch: number, epochs: number, batch: number, batches: number, loss: number, acc: number | undefined, ms: number, columns = 100): string {
  const width = Math.max(10, Math.min(30, columns - 70));
  const filled = Math.round((batch / batches) * width);
  return `\repoch ${epoch}/${epochs} ${'━'.repeat(filled)}${'─'.repeat(width - filled)} ${batch}/${batches} · loss ${fixed(loss)}${acc === undefined ? '' : ` · acc ${fixed(acc)}`} · ${Math.round(ms)} ms/batch\u001b[K`;
}

const jsonNumber = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? null : v);

export async function trainCommand(args: string[], io: TrainIo): Promise<number> {
  const o = parseTrainArgs(args);
  if (typeof o === 'string') {
    io.err(`unroll train: ${o}\nusage: unroll ${TRAIN_USAGE}`);
    return 2;
  }
  const loaded = await loadProjectArg(o.project, io);
  if (!loaded) return 1;
  let graph = loaded.graph;
  const errors = inferGraph(graph).issues.filter((i) => i.severity === 'error');
  if (errors.length) {
    const names = new Map(graph.nodes.map((n) => [n.id, n.name]));
    io.err(`${o.project}: the graph has ${errors.length} error${errors.length > 1 ? 's' : ''}; fix them first:`);
    for (const e of errors) io.err(`  ${e.nodeId ? `${names.get(e.nodeId)}: ` : ''}${e.message}${e.fix ? ` ${e.fix}` : ''}`);
    return 1;
  }

  // The dataset: the CSV, --dataset, or the project's choice.
  let dataset: Dataset | null;
  if (o.csv) dataset = await csvDataset(o, io);
  else {
    const choice = o.dataset ? { id: o.dataset, options: {} } : loaded.dataset;
    if (!choice) {
      io.err(`${o.project}: the project has no dataset: give --csv FILE (with --text and --label) or --dataset ID.`);
      return 1;
    }
    const opts = choice.options as { seed?: unknown; size?: unknown };
    try {
      dataset = await loadDataset(choice.id, fileLoader(), {
        ...(typeof opts.seed === 'number' ? { seed: opts.seed } : {}), ...(typeof opts.size === 'number' ? { size: opts.size } : {}),
        ...(o.size !== undefined ? { size: o.size } : {}),
      });
    } catch (e) {
      io.err(`${o.project}: ${(e as Error).message}`);
      dataset = null;
    }
  }
  if (!dataset) return 1;

  // Model ↔ data, with the editor's messages ("Fit model to data" is --fit).
  if (o.fit) {
    const b = bindDataset(graph, dataset);
    for (const c of b.changes) if (!o.json) io.err(`fit: ${c}`);
    if (b.problems.length) {
      io.err(`The model does not fit the dataset "${dataset.name}", even after fitting:`);
      for (const p of b.problems) io.err(`- ${p.message}${p.fix ? ` ${p.fix}` : ''}`);
      return 1;
    }
    graph = b.graph;
  } else {
    const problems = checkBinding(graph, dataset);
    if (problems.length) {
      io.err(`The model does not fit the dataset "${dataset.name}":`);
      for (const p of problems) io.err(`- ${p.message}${p.fix ? ` ${p.fix}` : ''}`);
      io.err('Use --fit to set these for you (the editor\'s "Fit model to data").');
      return 1;
    }
  }

  const parsed = trainingSchema.safeParse({
    ...loaded.training, backend: o.backend,
    ...(o.epochs !== undefined ? { epochs: o.epochs } : {}),
    ...(o.batchSize !== undefined ? { batch_size: o.batchSize } : {}),
    ...(o.learningRate !== undefined ? { learning_rate: o.learningRate } : {}),
    ...(o.seed !== undefined ? { seed: o.seed } : {}),
  });
  if (!parsed.success) {
    io.err(`${o.project}: training settings: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    return 1;
  }
  const settings: TrainingSettings = parsed.data;

  // TF.js, loaded only for this command.
  const tf = await import('@tensorflow/tfjs');
  tf.env().set('PROD', true); // no "install tfjs-node" banner
  if (o.backend === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
  const [{ selectBackend }, { Trainer }] = await Promise.all([import('../tf/train/backend.ts'), import('../tf/train/engine.ts')]);
  const choice = await selectBackend(tf, o.backend, { env: { webgl2Renderer: null, wasm: o.backend === 'wasm' } });
  if (choice.backend !== o.backend) {
    io.err(`unroll train: the ${o.backend} backend did not start (${choice.reason}).`);
    return 1;
  }
  const warn = console.warn;
  console.warn = (...a: unknown[]) => {
    if (!String(a[0]).startsWith('Orthogonal initializer')) warn(...a);
  };

  let failed: string | undefined;
  let lastDraw = 0;
  const tty = io.tty;
  const clearBar = () => tty?.write('\r\u001b[K');
  const trainer = new Trainer({
    tf, graph, dataset, settings, backend: choice, predictions: 0,
    onEvent: (e) => {
      switch (e.type) {
        case 'batch': {
          const now = performance.now();
          if (tty && (now - lastDraw > 100 || e.batch === e.batches)) {
            lastDraw = now;
            tty.write(bar(e.epoch, settings.epochs, e.batch, e.batches, e.loss, e.accuracy, e.msPerBatch, tty.columns));
          }
          return;
        }
        case 'epoch':
          clearBar();
          if (o.json) {
            io.out(JSON.stringify({
              epoch: e.epoch, loss: jsonNumber(e.loss),
              ...(e.accuracy === undefined ? {} : { accuracy: jsonNumber(e.accuracy) }),
              val_loss: jsonNumber(e.val_loss),
              ...(e.val_accuracy === undefined ? {} : { val_accuracy: jsonNumber(e.val_accuracy) }),
              seconds: e.seconds,
            }));
          } else {
            io.out(`Epoch ${e.epoch}/${settings.epochs} · ${e.seconds.toFixed(1)} s · loss ${fixed(e.loss)}${e.accuracy === undefined ? '' : ` · accuracy ${fixed(e.accuracy)}`}` +
              ` · val_loss ${fixed(e.val_loss)}${e.val_accuracy === undefined ? '' : ` · val_accuracy ${fixed(e.val_accuracy)}`}`);
          }
          return;
        case 'error':
          clearBar();
          failed = e.message;
          return;
        case 'stopped':
          clearBar();
          failed = `Stopped before epoch ${e.epoch}, batch ${e.batch}.`;
          return;
        default:
      }
    },
  });
  io.onInterrupt?.(() => trainer.stop());
  let done;
  try {
    if (!o.json) io.err(`training ${loaded.name} on ${dataset.name} · ${settings.epochs} epochs · batch ${settings.batch_size} · ${choice.backend}`);
    done = await trainer.run();
  } finally {
    console.warn = warn;
  }
  if (!done) {
    io.err(failed ?? 'Training failed.');
    trainer.model?.dispose();
    return failed?.startsWith('Stopped') ? 130 : 1;
  }
  if (o.json) {
    io.out(JSON.stringify({
      test: { loss: jsonNumber(done.test.loss), ...(done.test.accuracy === undefined ? {} : { accuracy: jsonNumber(done.test.accuracy) }) },
      seconds: done.seconds, backend: choice.backend,
    }));
  } else {
    if (done.early?.stoppedEpoch) io.out(`Early stopping at epoch ${done.early.stoppedEpoch} (best ${done.early.monitor} at epoch ${done.early.bestEpoch}${done.early.restored ? ', weights restored' : ''}).`);
    io.out(`Test · loss ${fixed(done.test.loss)}${done.test.accuracy === undefined ? '' : ` · accuracy ${fixed(done.test.accuracy)}`} · ${done.seconds.toFixed(1)} s on ${choice.backend}`);
  }
  let code = 0;
  if (o.save) code = await save(tf, graph, trainer.model!, o.save, io, o.json, loaded.name, settings);
  trainer.model?.dispose();
  return code;
}

/** Writes the trained model as TF.js files into DIR (stock classes when TF.js can load them). */
async function save(
  tf: typeof import('@tensorflow/tfjs'), graph: Graph, model: import('@tensorflow/tfjs').LayersModel, dir: string, io: TrainIo, quiet: boolean,
  modelName: string, training: TrainingSettings,
): Promise<number> {
  if (dir.endsWith('.keras')) {
    // The trained weights as a WeightSet, in a Keras 3 archive (src/tf/weights, contract 2).
    const [{ extractWeights, layersOf }, { writeKerasFile }] = await Promise.all([import('../tf/weights/apply.ts'), import('../tf/weights/kerasFile.ts')]);
    const weights = extractWeights(tf, layersOf(model, graph), graph, { format: 'browser', savedAt: new Date().toISOString() });
    const r = await writeKerasFile(graph, weights, { name: modelName, training });
    if (!r.ok) {
      io.err(`--save ${dir}: cannot write a .keras file: ${r.error}`);
      return 1;
    }
    await mkdir(dirname(resolve(dir)), { recursive: true });
    await writeFile(dir, r.bytes);
    if (!quiet) io.err(`wrote ${dir} (Keras 3 .keras, trained weights)`);
    return 0;
  }
  const { exportTfjsModel } = await import('../tf/export/files.ts');
  let r = await exportTfjsModel(tf, graph, { flavour: 'stock', weights: model });
  let flavour = 'stock';
  if (!r.ok) {
    io.err(`note: stock TF.js cannot express this model (${r.error}); writing Unroll's classes.`);
    r = await exportTfjsModel(tf, graph, { flavour: 'unroll', weights: model });
    flavour = 'unroll';
  }
  if (!r.ok) {
    io.err(`--save ${dir}: ${r.error}`);
    return 1;
  }
  await mkdir(dir, { recursive: true });
  const names = Object.keys(r.files) as (keyof typeof r.files)[];
  for (const name of names) await writeFile(join(dir, name), r.files[name]!);
  if (!quiet) io.err(`wrote ${names.map((n) => join(dir, n)).join(', ')} (${flavour} TF.js, trained weights)`);
  return 0;
}
