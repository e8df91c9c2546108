/**
 * Opening files in the editor — the toolbar's Open, "Open model…" and a drop on the canvas all come
 * here: an Unroll project file opens as before; a Keras 3 `.keras`, a Keras 2 `.h5`, a Keras or TF.js
 * JSON (with its `.bin` shards, or a `.weights.h5` next to a config, chosen together) opens as a
 * model with its weights, which the weights store keeps (and hands to the worker). The readers
 * (fflate, h5wasm) load on first use. A file that cannot be opened leaves the current model as it
 * is, and the toast says why in one line.
 */
import type { EditorStore } from '../../store/index.ts';
import type { WeightsStore } from '../../store/weightsStore.ts';
import { openProjectFile } from '../files.ts';

const MAX_BYTES = 2 * 1024 ** 3;

/** Accepted by the file pickers. */
export const MODEL_FILES = '.keras,.h5,.hdf5,.json,.bin,application/json,application/zip';

async function isProjectFile(f: File): Promise<boolean> {
  if (!/\.json$/i.test(f.name) || f.size > 50 * 1024 ** 2) return false;
  try {
    const doc = JSON.parse(await f.text()) as { format?: unknown; class_name?: unknown; modelTopology?: unknown };
    return !(doc && typeof doc === 'object' && ('class_name' in doc || 'modelTopology' in doc));
  } catch {
    return true; // the project reader says what is wrong with it
  }
}

/** Opens one or more files; true when the document changed. */
export async function openFiles(store: EditorStore, weights: WeightsStore, files: readonly File[]): Promise<boolean> {
  const s = store.getState();
  if (!files.length) return false;
  if (files.length === 1 && (await isProjectFile(files[0]))) {
    const ok = await openProjectFile(store, files[0]);
    if (ok) weights.getState().set(null);
    return ok;
  }
  const big = files.find((f) => f.size > MAX_BYTES);
  if (big) {
    s.notify('error', `${big.name} is ${(big.size / 1024 ** 3).toFixed(1)} GB: too large to open in a browser tab. The current model is unchanged.`);
    return false;
  }
  const names = files.map((f) => f.name).join(', ');
  let inputs: { name: string; bytes: Uint8Array }[];
  try {
    inputs = await Promise.all(files.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })));
  } catch {
    s.notify('error', `${names} could not be read. The current model is unchanged.`);
    return false;
  }
  const { openModelFiles } = await import('../../tf/weights/files.ts');
  const r = await openModelFiles(inputs);
  if (!r.ok) {
    s.notify('error', `${r.error}. The current model is unchanged.`);
    return false;
  }
  const m = r.model;
  const project = m.project;
  s.load({ name: m.name, graph: m.graph, ...(project ? { training: project.training, dataset: project.dataset } : {}) });
  weights.getState().set(m.weights, m.name);
  const what = m.weights ? `with its trained weights (${m.weights.source.kerasVersion ? `${/^\d/.test(m.weights.source.kerasVersion) ? 'Keras ' : ''}${m.weights.source.kerasVersion}` : m.weights.source.format})` : 'without weights (fresh ones)';
  s.notify(m.warnings.length ? 'info' : 'success', `Opened ${names} ${what}${m.warnings.length ? `. Notes: ${m.warnings.join('; ')}` : ''}`);
  return true;
}
