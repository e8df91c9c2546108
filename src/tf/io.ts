/**
 * Saving and loading compiled models in TF.js's own format: `model.json` (topology + weights
 * manifest) and one binary weights file, entirely in memory (the app stores them in IndexedDB or
 * offers them as downloads). Unroll's custom classes (GRU, mask-gated layers, Keras activations)
 * are registered before loading, so a saved model predicts exactly as before.
 *
 *   const files = await saveModelFiles(tf, model);        // { modelJson, weights }
 *   const again = await loadModelFiles(tf, files);
 *
 * This is not the Keras format: a Keras 3 export is src/core/keras's job.
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { TF } from '../core/layers/tfjs.ts';
import { registerUnrollLayers } from './kit.ts';

export const WEIGHTS_FILE = 'weights.bin';

export interface ModelFiles {
  /** The text of model.json (references `WEIGHTS_FILE`). */
  readonly modelJson: string;
  /** The content of weights.bin. */
  readonly weights: ArrayBuffer;
}

/** The model's artifacts (topology, weight specs, weight data) as TF.js's save() produces them. */
export async function saveArtifacts(tf: TF, model: tfjs.LayersModel): Promise<tfjs.io.ModelArtifacts> {
  let saved: tfjs.io.ModelArtifacts | undefined;
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    saved = artifacts;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  if (!saved) throw new Error('TF.js did not hand over the model artifacts');
  return saved;
}

/** Loads a model from artifacts (as saveArtifacts gives them). */
export async function loadArtifacts(tf: TF, artifacts: tfjs.io.ModelArtifacts): Promise<tfjs.LayersModel> {
  registerUnrollLayers(tf);
  return tf.loadLayersModel(tf.io.fromMemory(artifacts));
}

/** model.json text and weights.bin bytes. */
export async function saveModelFiles(tf: TF, model: tfjs.LayersModel): Promise<ModelFiles> {
  return filesFromArtifacts(tf, await saveArtifacts(tf, model));
}

/** model.json text (one weights group, `weightsFile`) and the weight bytes, from artifacts. */
export function filesFromArtifacts(tf: TF, a: tfjs.io.ModelArtifacts, weightsFile = WEIGHTS_FILE): ModelFiles {
  const weights = a.weightData === undefined ? new ArrayBuffer(0) : new tf.io.CompositeArrayBuffer(a.weightData).slice();
  const json = {
    modelTopology: a.modelTopology,
    format: a.format ?? 'layers-model',
    generatedBy: a.generatedBy,
    convertedBy: a.convertedBy ?? null,
    weightsManifest: [{ paths: [weightsFile], weights: a.weightSpecs ?? [] }],
  };
  return { modelJson: JSON.stringify(json), weights };
}

/** Loads a model from model.json text and weights.bin bytes. */
export async function loadModelFiles(tf: TF, files: ModelFiles): Promise<tfjs.LayersModel> {
  const json = JSON.parse(files.modelJson) as tfjs.io.ModelJSON;
  const artifacts = await tf.io.getModelArtifactsForJSON(json, async (manifest) => {
    const specs = manifest.flatMap((group) => group.weights);
    return [specs, files.weights];
  });
  return loadArtifacts(tf, artifacts);
}
