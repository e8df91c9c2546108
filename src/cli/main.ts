/**
 * The command line: `unroll summary FILE` prints the Keras-style summary of a project file.
 * A bad file exits 1 with a one-line reason on stderr. Other commands are registered in COMMANDS.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { inferGraph } from '../core/infer.ts';
import { EXPORT_USAGE, exportCommand, loadAnyModelFile } from '../core/keras/cli.ts';
import { formatSummary, summarize } from '../core/summary.ts';
import { sequentialChain } from '../core/sequential.ts';
import type { Graph } from '../core/types.ts';
import { PREDICT_USAGE } from './predict.ts';
import { excerpt } from '../core/json.ts';

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  /** A terminal for progress bars (stderr when it is one). */
  tty?: { write: (s: string) => void; columns?: number };
  /** Registers what Ctrl-C does (a training run stops before its next batch). */
  onInterrupt?: (stop: () => void) => void;
}

const defaultIo: Io = {
  out: (s) => process.stdout.write(s + '\n'),
  err: (s) => process.stderr.write(s + '\n'),
  ...(process.stderr.isTTY ? { tty: { write: (s: string) => process.stderr.write(s), columns: process.stderr.columns } } : {}),
  onInterrupt: (stop) => process.once('SIGINT', stop),
};

export type Loaded = { ok: true; graph: Graph; name: string; sequential?: boolean } | { ok: false; error: string };

/** Reads a model file of any supported kind. Project files always; Keras/TF.js files when the importer is present. */
export async function loadModelFile(path: string): Promise<Loaded> {
  let text: string;
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
    text = bytes.toString('utf8');
  } catch (e) {
    return { ok: false, error: `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
  }
  // .keras archives and .h5 files: through the weight-file readers (loaded on demand).
  if (bytes[0] === 0x50 || bytes[0] === 0x89) {
    const { openModelFiles } = await import('../tf/weights/files.ts');
    const r = await openModelFiles([{ name: path, bytes: new Uint8Array(bytes) }]);
    if (!r.ok) return { ok: false, error: r.error };
    return { ok: true, graph: r.model.graph, name: r.model.name, sequential: r.model.sequential };
  }
  const r = loadAnyModelFile(text, path);
  if (r.ok) return { ok: true, graph: r.graph, name: r.name, sequential: r.sequential };
  return { ok: false, error: r.error.startsWith(`${path}: `) ? r.error.slice(path.length + 2) : r.error };
}

/** The narrowest table `--columns` accepts (every column keeps a few characters). */
export const MIN_COLUMNS = 40;
/** Longest line of a message on stderr (a file's whole offending value is never echoed). */
export const MAX_MESSAGE = 500;

/**
 * What the terminal gets: control characters (ESC, C1 controls such as CSI) and bidirectional
 * overrides in names and values are written as visible escapes, never raw (line breaks and tabs
 * stay). JSON and generated code hold no raw controls, so their text is unchanged.
 */
export function terminalText(s: string): string {
  return s.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A message line cut to MAX_MESSAGE characters. */
function shortLines(s: string): string {
  return s.split('\n').map((l) => (l.length > MAX_MESSAGE ? `${l.slice(0, MAX_MESSAGE)}… (${l.length.toLocaleString('en-US')} characters)` : l)).join('\n');
}

const USAGE = `usage: unroll <command> [options]

commands:
  summary FILE [--sequential] [--columns N]   print the Keras 3 model.summary() of a project, Keras or TF.js file
  ${EXPORT_USAGE}
  export tfjs-model FILE -o DIR [--flavour stock|unroll] [--seed N]   write a TF.js model (model.json + weights, fresh) for tf.loadLayersModel
  export keras-file MODEL -o OUT.keras [--weights FILE] [--seed N] [--keras3]   write a Keras 3 .keras archive (the file's weights, or fresh ones)
  ${PREDICT_USAGE}
  train PROJECT [--csv FILE --text COL --label COL [--confidence COL:0.5]] [--epochs N] [--batch-size N] [--seed N] [--json] [--save DIR]
        train headless with the app's engine (wasm; --backend cpu); unroll train --help for every option
  inspect MODEL --input INPUTS.json [--weights FILE] [--gradients --target TARGETS.json] [--seed N] [--backend wasm|cpu]   states, gates (and ∂L/∂h_t) of every recurrent layer, as JSON`;

async function summary(args: string[], io: Io): Promise<number> {
  const file = args.find((a, k) => !a.startsWith('--') && args[k - 1] !== '--columns');
  if (!file) {
    io.err('unroll summary: missing FILE');
    return 2;
  }
  const colIdx = args.indexOf('--columns');
  const columns = colIdx >= 0 ? Number(args[colIdx + 1]) : 80;
  if (colIdx >= 0 && !(Number.isInteger(columns) && columns >= MIN_COLUMNS && /^\s*\d+\s*$/.test(args[colIdx + 1] ?? ''))) {
    io.err(`unroll summary: --columns must be a whole number of at least ${MIN_COLUMNS} (got ${args[colIdx + 1] === undefined ? 'nothing' : `"${excerpt(args[colIdx + 1], 40)}"`})`);
    return 2;
  }
  const loaded = await loadModelFile(file);
  if (!loaded.ok) {
    io.err(`${file}: ${loaded.error}`);
    return 1;
  }
  // --sequential: what the same layers print as a keras.Sequential — only for a chain (the editor's Sequential view uses the same test).
  const asked = args.includes('--sequential');
  const chain = asked ? sequentialChain(loaded.graph) : null;
  if (chain && !chain.ok) {
    io.err(`${file}: --sequential: the model is not a Sequential one: ${chain.reason}`);
    return 1;
  }
  const inf = inferGraph(loaded.graph);
  const errors = inf.issues.filter((i) => i.severity === 'error');
  io.out(formatSummary(summarize(loaded.graph, inf, { name: loaded.name, as: asked || loaded.sequential ? 'sequential' : 'functional' }), columns));
  if (errors.length) {
    const byId = new Map(loaded.graph.nodes.map((n) => [n.id, n.name]));
    io.err(`${errors.length} error${errors.length > 1 ? 's' : ''} in the graph:`);
    for (const e of errors) io.err(`  ${e.nodeId ? `${byId.get(e.nodeId)}: ` : ''}${e.message}${e.fix ? ` ${e.fix}` : ''}`);
    return 1;
  }
  return 0;
}

export const COMMANDS: Record<string, (args: string[], io: Io) => Promise<number>> = {
  summary,
  // Loaded on demand: it imports TF.js and the weight-file readers.
  predict: async (args, io) => (await import('./predict.ts')).predictCommand(args, io),
  // Loaded on demand: it imports TF.js.
  inspect: async (args, io) => (await import('./inspect.ts')).inspectCommand(args, io),
  export: async (args, io) => {
    // Loaded on demand: it imports TF.js.
    if (args[0] === 'tfjs-model') return (await import('../tf/export/cli.ts')).tfjsModelCommand(args.slice(1), io);
    if (args[0] === 'keras-file') return (await import('../tf/weights/cli.ts')).kerasFileCommand(args.slice(1), io);
    return exportCommand(args, { ...io, readFile: (p) => readFile(p, 'utf8'), writeFile: (p, t) => writeFile(p, t, 'utf8') });
  },
  train: async (args, io) => {
    // Loaded on demand: it loads the datasets and TF.js.
    const t = await import('./train.ts');
    if (args.includes('--help') || args.includes('-h')) {
      io.out(`usage: unroll ${t.TRAIN_USAGE}`);
      return 0;
    }
    return t.trainCommand(args, io);
  },
};

export async function main(argv: string[], rawIo: Io = defaultIo): Promise<number> {
  const io: Io = { ...rawIo, out: (s) => rawIo.out(terminalText(s)), err: (s) => rawIo.err(terminalText(shortLines(s))) };
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === '--help' || cmd === '-h') {
    io.out(USAGE);
    return cmd ? 0 : 2;
  }
  const run = COMMANDS[cmd];
  if (!run) {
    io.err(`unroll: unknown command "${excerpt(cmd, 60)}"\n${USAGE}`);
    return 2;
  }
  return run(rest, io);
}
