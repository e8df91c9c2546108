/**
 * What the command line needs from this folder: `loadAnyModelFile` tells project files from Keras
 * and TF.js files, and `exportCommand` implements `unroll export keras|python|tfjs|svg FILE [-o OUT]`.
 * Pure except for `exportCommand`'s file reading and writing, which go through `ExportIo`.
 */
import { loadProject, PROJECT_FORMAT, type TrainingSettings } from '../project.ts';
import { messageText, parseJsonOnly } from '../json.ts';
import type { Graph } from '../types.ts';
import { importKerasJson } from './import.ts';
import { toKerasModel } from './export.ts';
import { toPython } from '../codegen/python.ts';
import { toTfjs } from '../codegen/tfjs.ts';
import { toSvg } from '../codegen/svg.ts';
import { toKeras3Semantics } from './semantics.ts';

export type AnyModel =
  | {
      ok: true; graph: Graph; name: string;
      /** 'project' or 'keras' (Keras 2/3 JSON, .keras config.json, TF.js model.json). */
      source: 'project' | 'keras';
      /** A Keras Sequential model: its summary has no InputLayer row. */
      sequential: boolean;
      training?: TrainingSettings;
      warnings: string[];
    }
  | { ok: false; error: string };

/** Reads a project file or a Keras / TF.js model file, whichever `text` is. */
export function loadAnyModelFile(text: string, fileName = 'file'): AnyModel {
  const j = parseJsonOnly(text);
  if (!j.ok) return { ok: false, error: `${fileName}: not a project, Keras or TF.js file: ${j.error}` };
  const doc = j.value;
  const d = typeof doc === 'object' && doc !== null && !Array.isArray(doc) ? (doc as Record<string, unknown>) : {};
  if (d.format === PROJECT_FORMAT) {
    const r = loadProject(doc);
    if (!r.ok) return { ok: false, error: messageText(`${fileName}: ${r.error}`) };
    return { ok: true, graph: r.project.graph, name: r.project.name, source: 'project', sequential: false, training: r.project.training, warnings: [] };
  }
  if ('modelTopology' in d || 'class_name' in d) {
    const r = importKerasJson(doc);
    if (!r.ok) return { ok: false, error: messageText(`${fileName}: ${r.error}`) };
    return { ok: true, graph: r.graph, name: r.name, source: 'keras', sequential: r.sequential, warnings: r.warnings };
  }
  return { ok: false, error: `${fileName}: not a project file ("format": "${PROJECT_FORMAT}") nor a Keras or TF.js model (class_name or modelTopology)` };
}

export const EXPORT_FORMATS = ['keras', 'python', 'tfjs', 'svg'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** One model in one format; the text or why not. */
export function exportModel(
  m: { graph: Graph; name: string; training?: TrainingSettings }, format: ExportFormat, form: 'functional' | 'sequential' = 'functional',
): { ok: true; text: string } | { ok: false; error: string } {
  const opts = { name: m.name, training: m.training };
  switch (format) {
    case 'keras': {
      const r = toKerasModel(m.graph, opts);
      return r.ok ? { ok: true, text: r.text } : r;
    }
    case 'python': {
      const r = toPython(m.graph, { ...opts, form });
      return r.ok ? { ok: true, text: r.code } : r;
    }
    case 'tfjs': {
      const r = toTfjs(m.graph, opts);
      return r.ok ? { ok: true, text: r.code } : r;
    }
    case 'svg':
      return { ok: true, text: toSvg(m.graph) };
  }
}

export interface ExportIo {
  out: (s: string) => void;
  err: (s: string) => void;
  readFile: (path: string) => Promise<string>;
  writeFile: (path: string, text: string) => Promise<void>;
}

export const EXPORT_USAGE = 'export keras|python|tfjs|svg FILE [-o OUT] [--keras3] [--sequential]   write the model as Keras 3 JSON, a Keras script, TF.js code or an SVG picture (--keras3: older Keras meanings, Keras 2\'s hard_sigmoid and masks, become Keras 3\'s; --sequential: the script builds a keras.Sequential, for a chain of layers)';

/**
 * Reads and recognises a model file for a command; on failure it says why on `io.err` and returns
 * null (the command exits 1). Warnings of the import go to `io.err` too.
 */
export async function readAnyModelFile(
  file: string, io: { readFile: (path: string) => Promise<string>; err: (s: string) => void },
): Promise<Extract<AnyModel, { ok: true }> | null> {
  let text: string;
  try {
    text = await io.readFile(file);
  } catch (e) {
    io.err(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    return null;
  }
  const m = loadAnyModelFile(text, file);
  if (!m.ok) {
    io.err(m.error);
    return null;
  }
  for (const w of m.warnings) io.err(`warning: ${w}`);
  return m;
}

/** `unroll export FORMAT FILE [-o OUT]`: 0 on success, 1 for a bad file or model, 2 for bad usage. */
export async function exportCommand(args: string[], io: ExportIo): Promise<number> {
  const keras3 = args.includes('--keras3');
  const sequential = args.includes('--sequential');
  const o = args.indexOf('-o');
  const outPath = o >= 0 ? args[o + 1] : undefined;
  const rest = args.filter((a, k) => a !== '--keras3' && a !== '--sequential' && (o < 0 || (k !== o && k !== o + 1)));
  const [format, file] = rest;
  if (!EXPORT_FORMATS.includes(format as ExportFormat) || !file || (o >= 0 && !outPath) || (sequential && format !== 'python')) {
    io.err(`usage: unroll ${EXPORT_USAGE}`);
    return 2;
  }
  const read = await readAnyModelFile(file, io);
  if (!read) return 1;
  const converted = keras3 ? toKeras3Semantics(read.graph) : { graph: read.graph, changed: [] };
  for (const c of converted.changed) io.err(`note: now with Keras 3's meaning: ${c}`);
  const m = { ...read, graph: converted.graph };
  const r = exportModel(m, format as ExportFormat, sequential ? 'sequential' : 'functional');
  if (!r.ok) {
    io.err(`${file}: cannot export: ${r.error}`);
    return 1;
  }
  if (outPath) await io.writeFile(outPath, r.text);
  else io.out(r.text.replace(/\n$/, ''));
  return 0;
}
