/**
 * Export menu actions for TF.js model files (`model.json` + `group1-shard1of1.bin`, the layout
 * `tf.loadLayersModel(url)` fetches), downloaded one after the other:
 *
 * - trained: the worker saves the last run's model (Unroll's classes); its topology is converted
 *   to stock TF.js classes here (src/tf/export/stock.ts, pure JSON, no TF.js) and the weights are
 *   reused byte for byte.
 * - fresh weights: TF.js is imported on the main thread only now (its own chunk) and the current
 *   graph is built with the training seed (src/tf/export/files.ts).
 *
 * Stock flavour first; when stock TF.js cannot express the model, the Unroll-classes flavour is
 * exported instead (with README.txt) and the message says why. Warnings and errors go to a toast.
 */
import type { EditorStore } from '../../store/index.ts';
import type { TrainStore } from '../../store/trainStore.ts';
import { download } from '../files.ts';

const MODEL_JSON = 'model.json';
const SHARD = 'group1-shard1of1.bin';

type Files = Record<string, string | Uint8Array | ArrayBuffer | undefined>;

/** Downloads each file, a moment apart (browsers drop downloads started in the same instant). */
async function downloadAll(files: Files): Promise<string[]> {
  const names = Object.keys(files).filter((n) => files[n] !== undefined);
  for (const [i, name] of names.entries()) {
    if (i) await new Promise((r) => setTimeout(r, 250));
    const content = files[name]!;
    const type = name.endsWith('.json') ? 'application/json' : name.endsWith('.txt') ? 'text/plain' : 'application/octet-stream';
    download(name, typeof content === 'string' ? content : new Blob([content as BlobPart], { type }), type);
  }
  return names;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

function report(editor: EditorStore, what: string, names: string[], warnings: string[], fallback?: string) {
  const s = editor.getState();
  const files = names.join(' + ');
  if (fallback) s.notify('info', `Exported the ${what} with Unroll's layer classes (${files}): ${fallback} Call registerUnrollLayers(tf) before tf.loadLayersModel (see README.txt).`);
  else if (warnings.length) s.notify('info', `Exported the ${what} (${files}) for stock TF.js, with notes: ${warnings.join(' ')}`);
  else s.notify('success', `Exported the ${what} (${files}) for stock TF.js.`);
}

/** The last run's trained weights as TF.js files. */
export async function exportTrainedTfjs(editor: EditorStore, train: TrainStore): Promise<void> {
  try {
    const [model, { toStockTopology, unrollClassesIn }, { unrollReadme }] = await Promise.all([
      train.getState().exportModel(), import('../../tf/export/stock.ts'), import('../../tf/export/files.ts'),
    ]);
    const json = JSON.parse(model.modelJson) as { modelTopology: unknown; weightsManifest: { paths: string[]; weights: unknown[] }[] };
    const manifest = [{ paths: [SHARD], weights: json.weightsManifest.flatMap((g) => g.weights) }];
    const stock = toStockTopology(json.modelTopology);
    if (stock.ok) {
      const names = await downloadAll({ [MODEL_JSON]: JSON.stringify({ ...json, modelTopology: stock.modelTopology, weightsManifest: manifest }), [SHARD]: model.weights });
      return report(editor, 'trained model', names, stock.warnings);
    }
    const names = await downloadAll({
      [MODEL_JSON]: JSON.stringify({ ...json, weightsManifest: manifest }), [SHARD]: model.weights, 'README.txt': unrollReadme(unrollClassesIn(json.modelTopology)),
    });
    report(editor, 'trained model', names, [], stock.error);
  } catch (e) {
    editor.getState().notify('error', `Export failed: ${message(e)}`);
  }
}

/** The current graph with freshly initialised (seeded) weights as TF.js files. */
export async function exportFreshTfjs(editor: EditorStore): Promise<void> {
  const s = editor.getState();
  if (s.inference.hasErrors) return s.notify('error', 'Export failed: the graph has errors. Fix the issues first (Issues tab).', { untilEdit: true });
  try {
    const [tf, { exportTfjsModel }] = await Promise.all([import('@tensorflow/tfjs'), import('../../tf/export/files.ts')]);
    // The cpu backend builds a model at once; WebGL would compile shaders first (seconds in software).
    if (tf.getBackend() !== 'cpu') await tf.setBackend('cpu');
    const seed = s.extras.training.seed;
    const stock = await exportTfjsModel(tf, s.graph, { flavour: 'stock', seed });
    if (stock.ok) return report(editor, 'model with fresh weights', await downloadAll({ ...stock.files }), stock.warnings);
    const unroll = await exportTfjsModel(tf, s.graph, { flavour: 'unroll', seed });
    if (!unroll.ok) return s.notify('error', `Export failed: ${unroll.error}`);
    report(editor, 'model with fresh weights', await downloadAll({ ...unroll.files }), [], stock.error);
  } catch (e) {
    s.notify('error', `Export failed: ${message(e)}`);
  }
}
