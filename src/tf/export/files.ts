/**
 * Exporting a graph as TF.js model files (`model.json` + `group1-shard1of1.bin`), the layout
 * `tf.loadLayersModel(url)` fetches and `tfjs-converter` writes.
 *
 *   const r = await exportTfjsModel(tf, graph, { flavour: 'stock' });            // fresh weights
 *   const r = await exportTfjsModel(tf, graph, { flavour: 'stock', weights: trained });
 *   if (r.ok) { r.files['model.json']; r.files['group1-shard1of1.bin']; r.warnings }
 *
 * Flavours:
 * - `stock`: loads in plain TF.js (no Unroll code). Unroll's classes become their stock classes
 *   (stock.ts); models stock TF.js cannot express exactly are refused with a reason; mask
 *   differences that only matter for padded inputs come back as `warnings`.
 * - `unroll`: Unroll's classes as saved (Keras 3 behaviour everywhere, any model); the reader must
 *   call `registerUnrollLayers(tf)` first. A `README.txt` in the files says how.
 *
 * Fresh weights: `seed` makes them reproducible. TF.js 4.22 has no global seed; its random ops seed
 * their generator from `Math.random()` when no seed is given, so Unroll swaps `Math.random` for a
 * seeded generator (mulberry32) while it builds the model (synchronously) and restores it after.
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { TF } from '../../core/layers/tfjs.ts';
import { mulberry32 } from '../../core/rng.ts';
import type { Graph } from '../../core/types.ts';
import { compileGraph } from '../compile.ts';
import { filesFromArtifacts, saveArtifacts } from '../io.ts';
import { toStockTopology, unrollClassesIn } from './stock.ts';

export type TfjsExportFlavour = 'stock' | 'unroll';
export const TFJS_EXPORT_FLAVOURS: readonly TfjsExportFlavour[] = ['stock', 'unroll'];

export const MODEL_JSON = 'model.json';
export const WEIGHTS_SHARD = 'group1-shard1of1.bin';
export const README_TXT = 'README.txt';

export interface TfjsExportOptions {
  readonly flavour: TfjsExportFlavour;
  /** A trained model compiled from this graph (compileGraph); without it, fresh weights. */
  readonly weights?: tfjs.LayersModel;
  /** Seed for fresh weights (ignored with `weights`). */
  readonly seed?: number;
}

export interface TfjsModelFiles {
  readonly 'model.json': string;
  readonly 'group1-shard1of1.bin': Uint8Array;
  /** Only for the unroll flavour: how to load the model. */
  readonly 'README.txt'?: string;
}

export type TfjsExport =
  | { ok: true; files: TfjsModelFiles; warnings: string[] }
  | { ok: false; error: string };

/** Runs `f` with `Math.random` replaced by a seeded generator. */
export function withSeededRandom<T>(seed: number, f: () => T): T {
  const original = Math.random;
  Math.random = mulberry32(seed);
  try {
    return f();
  } finally {
    Math.random = original;
  }
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Writes the model as TF.js files in the chosen flavour, or says why it cannot. */
export async function exportTfjsModel(tf: TF, graph: Graph, opts: TfjsExportOptions): Promise<TfjsExport> {
  let model = opts.weights;
  let fresh = false;
  if (!model) {
    try {
      const build = () => compileGraph(tf, graph).model;
      model = opts.seed === undefined ? build() : withSeededRandom(opts.seed, build);
      fresh = true;
    } catch (e) {
      return { ok: false, error: message(e) };
    }
  }
  try {
    const artifacts = await saveArtifacts(tf, model);
    if (opts.flavour === 'unroll') {
      const f = filesFromArtifacts(tf, artifacts, WEIGHTS_SHARD);
      return {
        ok: true,
        files: { [MODEL_JSON]: f.modelJson, [WEIGHTS_SHARD]: new Uint8Array(f.weights), [README_TXT]: unrollReadme(unrollClassesIn(artifacts.modelTopology)) },
        warnings: [],
      };
    }
    const stock = toStockTopology(artifacts.modelTopology);
    if (!stock.ok) return stock;
    const stockArtifacts: tfjs.io.ModelArtifacts = { ...artifacts, modelTopology: stock.modelTopology as tfjs.io.ModelArtifacts['modelTopology'] };
    const mismatch = await weightMismatch(tf, stockArtifacts);
    if (mismatch) return { ok: false, error: `internal error: the stock TF.js model does not take Unroll's weights (${mismatch})` };
    const f = filesFromArtifacts(tf, stockArtifacts, WEIGHTS_SHARD);
    return { ok: true, files: { [MODEL_JSON]: f.modelJson, [WEIGHTS_SHARD]: new Uint8Array(f.weights) }, warnings: stock.warnings };
  } catch (e) {
    return { ok: false, error: message(e) };
  } finally {
    if (fresh) model.dispose();
  }
}

/** Every `*_initializer` replaced by zeros: the check below builds the model without random draws. */
function zeroInitializers(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(zeroInitializers);
  if (typeof v !== 'object' || v === null) return v;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, k.endsWith('_initializer') && x != null ? { class_name: 'Zeros', config: {} } : zeroInitializers(x)]));
}

/**
 * Loads the converted topology with stock classes and the weight specs (TF.js matches weights by
 * name and checks shapes): a message when they do not fit, else undefined.
 */
async function weightMismatch(tf: TF, a: tfjs.io.ModelArtifacts): Promise<string | undefined> {
  let m: tfjs.LayersModel | undefined;
  try {
    m = await tf.loadLayersModel(tf.io.fromMemory({ ...a, modelTopology: zeroInitializers(a.modelTopology) as tfjs.io.ModelArtifacts['modelTopology'] }));
    const expected = (a.weightSpecs ?? []).map((s) => `${s.name}:${s.shape.join('x')}`).sort();
    const got = m.weights.map((w) => `${w.originalName}:${w.shape.join('x')}`).sort();
    if (expected.join() !== got.join()) return `expected ${expected.join(', ')}; stock has ${got.join(', ')}`;
    return undefined;
  } catch (e) {
    return message(e);
  } finally {
    m?.dispose();
  }
}

/** The unroll flavour's README.txt. */
export function unrollReadme(classes: readonly string[]): string {
  return `This TensorFlow.js model was exported by Unroll with Unroll's own layer classes
(${classes.length ? classes.join(', ') : 'none in this model, but exported in this flavour'}),
which make TF.js 4.22 behave exactly like Keras 3 (GRU with reset_after=true, masked means,
Keras's hard_sigmoid / leaky_relu / exponential, masks at every layer).

Stock TF.js does not know these classes: register them before loading, or tf.loadLayersModel
fails with "Unknown layer: Unroll...".

  import * as tf from '@tensorflow/tfjs';
  import { registerUnrollLayers } from './src/tf/kit.ts';   // from Unroll's source code

  registerUnrollLayers(tf);                                   // once, with your tf module
  const model = await tf.loadLayersModel('https://example.com/model/model.json');
  // model.json and group1-shard1of1.bin must be served from the same folder.

registerUnrollLayers(tf) lives in Unroll's src/tf/kit.ts; it needs only the TF.js module you pass in.

A model that uses no Keras-only feature can instead be exported in the "stock" flavour
(CLI: unroll export tfjs-model FILE -o DIR --flavour stock), which plain TF.js loads.
`;
}
