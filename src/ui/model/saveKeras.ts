/**
 * Export → "Keras model (.keras)": a Keras 3 archive that `keras.saving.load_model` opens
 * (src/tf/weights/kerasFile.ts, loaded on first use), with the weights of the last training run
 * (from the worker), or else the weights that came with the open model when every layer fits them.
 */
import { matchWeights, type WeightSet } from '../../core/weights.ts';
import type { EditorStore } from '../../store/index.ts';
import type { TrainStore } from '../../store/trainStore.ts';
import type { WeightsStore } from '../../store/weightsStore.ts';
import { trainingClient } from '../../tf/train/client.ts';
import { download } from '../files.ts';

const base = (name: string) => name.trim().replace(/[\\/:*?"<>|\s]+/g, '_') || 'model';

/** The loaded weights when they fit every layer of the current graph. */
export function fittingWeights(editor: EditorStore, weights: WeightsStore): WeightSet | null {
  const w = weights.getState().weights;
  if (!w) return null;
  const m = matchWeights(editor.getState().graph, w);
  return m.problems.length || m.missing.length ? null : w;
}

export async function saveKerasFile(editor: EditorStore, train: TrainStore, weights: WeightsStore): Promise<void> {
  const s = editor.getState();
  let ws: WeightSet | null = null;
  let from = '';
  try {
    if (train.getState().exportable) {
      ws = await trainingClient().trainedWeights();
      from = 'the weights of the last training run';
    } else {
      ws = fittingWeights(editor, weights);
      from = `the weights of ${ws?.source.file ?? 'the opened file'}`;
    }
    if (!ws) return s.notify('error', 'There are no weights to save yet: train the model (Train tab), or open a model file that has them.');
    const { writeKerasFile } = await import('../../tf/weights/kerasFile.ts');
    const r = await writeKerasFile(s.graph, ws, { name: s.name, training: s.extras.training });
    if (!r.ok) return s.notify('error', `Saving as .keras failed: ${r.error}`);
    const file = `${base(s.name)}.keras`;
    download(file, new Blob([r.bytes as BlobPart], { type: 'application/zip' }), 'application/zip');
    s.notify('success', `Saved ${file} with ${from} (Keras 3: keras.saving.load_model opens it).`);
  } catch (e) {
    s.notify('error', `Saving as .keras failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}
