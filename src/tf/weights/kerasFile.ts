/**
 * Writes a Keras 3 `.keras` archive for a graph and its weights, in Keras 3's own layout
 * (keras/src/saving/saving_lib.py `_save_model_to_fileobj`, H5IOStore), so `keras.saving.load_model`
 * opens it:
 *
 *   config.json        the model's `serialize_keras_object` (src/core/keras/export.ts: toKerasJson)
 *   metadata.json      {"keras_version": …, "date_saved": "YYYY-MM-DD@HH:MM:SS"}
 *   model.weights.h5   vars/                                  (the model's own: none; attr name)
 *                      layers/<key>/vars/<i>                  <key> = class stem + counter in model.layers order
 *                      layers/lstm/cell/vars/0..2             RNN weights live in the cell
 *                      layers/bidirectional/forward_layer/cell/vars/…, …/backward_layer/cell/vars/…
 *                      layers/time_distributed/layer/vars/0..1
 *                      optimizer/vars/0..                     iterations, learning_rate, then its slots
 *
 * Every saveable's `vars` group carries its `name` attribute, as Keras 3.10+ writes it. The
 * optimizer's state is a fresh one (iterations 0; zero moments, Adagrad's accumulators at 0.1), the
 * state Keras builds when it compiles the loaded model: it loads without a mismatch warning, and
 * training in Keras continues from the weights with a new optimizer state.
 *
 *   const r = await writeKerasFile(graph, weights, { name: 'sentiment', training });
 *   if (r.ok) download(r.bytes, 'sentiment.keras');
 */
import { KERAS_VERSION } from '../../core/keras/config.ts';
import { keras3Graph, modelView, toKerasJson } from '../../core/keras/export.ts';
import type { TrainingSettings } from '../../core/project.ts';
import { getLayer } from '../../core/registry.ts';
import type { Graph } from '../../core/types.ts';
import { matchWeights, renameWeightLayer, weightSpecs, type WeightSet } from '../../core/weights.ts';
import { writeH5, type H5DatasetSpec, type H5GroupSpec } from './h5.ts';
import { kerasLayerKeys } from './files.ts';
import { zip } from './zip.ts';

export interface KerasSaveOptions {
  /** The model's name (config.json and the root `vars` group). */
  readonly name?: string;
  /** Optimizer, learning rate and metrics for compile_config and the optimizer's variables. */
  readonly training?: Partial<TrainingSettings>;
  /** When the file is saved (metadata.json); now by default. */
  readonly date?: Date;
}

export type KerasSaveResult = { ok: true; bytes: Uint8Array; files: { config: string; metadata: string; weights: Uint8Array } } | { ok: false; error: string };

/** A mutable tree to fill, turned into H5GroupSpec at the end. */
interface Tree {
  attrs: Record<string, string>;
  children: Map<string, Tree | H5DatasetSpec>;
}

const tree = (name?: string): Tree => ({ attrs: name === undefined ? {} : { name }, children: new Map() });

function child(t: Tree, key: string): Tree {
  let c = t.children.get(key);
  if (!c) {
    c = tree();
    t.children.set(key, c);
  }
  if ('data' in c) throw new Error(`${key} is both a group and a dataset`);
  return c;
}

function spec(t: Tree): H5GroupSpec {
  return { attrs: t.attrs, children: new Map([...t.children].map(([k, v]) => [k, 'data' in v ? v : spec(v)])) };
}

/** Keras's date_saved format: 2026-12-01@21:23:40. */
function kerasDate(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}@${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** Per trainable variable, the optimizer's slots in Keras 3's build order, and their initial value. */
const SLOTS: Record<string, { names: readonly string[]; init: number }> = {
  adam: { names: ['momentum', 'velocity'], init: 0 },
  rmsprop: { names: ['velocity'], init: 0 }, // momentum 0, centered False: no other slots
  adagrad: { names: ['accumulator'], init: 0.1 }, // initial_accumulator_value
  sgd: { names: [], init: 0 }, // momentum 0: no momentums
};

export async function writeKerasFile(graph: Graph, weights: WeightSet, opts: KerasSaveOptions = {}): Promise<KerasSaveResult> {
  const name = opts.name ?? 'functional';
  const json = toKerasJson(graph, { name, training: opts.training });
  if (!json.ok) return json;
  // Keras 3 names (no "/"): the weights follow the renamed layers.
  const g = keras3Graph(graph);
  let ws = weights;
  graph.nodes.forEach((n, k) => {
    if (g.nodes[k].name !== n.name) ws = renameWeightLayer(ws, n.name, g.nodes[k].name);
  });
  const view = modelView(g);
  if (typeof view === 'string') return { ok: false, error: view };
  const m = matchWeights(g, ws, view.inference);
  if (m.problems.length) return { ok: false, error: `the weights do not fit the model: ${m.problems[0]}` };
  if (m.missing.length) return { ok: false, error: `there are no weights for layer${m.missing.length > 1 ? 's' : ''} ${m.missing.join(', ')}` };

  const root = tree();
  root.children.set('vars', tree(name));
  const layersGroup = child(root, 'layers');
  const keys = kerasLayerKeys(view.layers.map((n) => ({ name: n.name, className: getLayer(n.kind)!.kerasClass })));
  const specs = new Map(weightSpecs(g, view.inference).map((s) => [s.nodeId, s]));
  const trainable: { shape: readonly number[] }[] = [];
  for (const n of view.layers) {
    const lg = child(layersGroup, keys.get(n.name)!);
    lg.children.set('vars', tree(n.name));
    const s = specs.get(n.id);
    const match = m.byNode.get(n.id);
    if (!s || match?.status !== 'ok') continue;
    s.vars.forEach((v, k) => {
      // store 'forward_layer/cell/vars/0' ↔ path 'bidirectional/forward_lstm/lstm_cell/kernel': each
      // nested saveable's group is named by its attribute and carries the nested layer's name.
      const groups = v.store.split('/').slice(0, -2);
      const names = v.path.split('/').slice(1, -1);
      let at = lg;
      groups.forEach((gk, j) => {
        at = child(at, gk);
        if (!at.children.has('vars')) at.children.set('vars', tree(names[j]));
      });
      const varsGroup = child(at, 'vars');
      const data = match.vars[k].data;
      varsGroup.children.set(v.store.split('/').pop()!, { data, shape: [...v.shape] });
      if (n.params.trainable !== false) trainable.push(v);
    });
  }

  // The optimizer Keras compiles from compile_config, built on the trainable variables.
  const compile = json.json.compile_config as { optimizer?: unknown } | undefined;
  const opt = opts.training?.optimizer ?? 'adam';
  const slots = SLOTS[opt];
  if (compile && slots) {
    const optimizer = compile.optimizer;
    const lrIsVariable = typeof optimizer === 'string' || typeof (optimizer as { config?: { learning_rate?: unknown } })?.config?.learning_rate === 'number';
    const lr = typeof optimizer === 'string' ? defaultLr(opt) : Number((optimizer as { config: { learning_rate: number } }).config.learning_rate ?? defaultLr(opt));
    const ov = tree(opt);
    let i = 0;
    ov.children.set(String(i++), { data: BigInt64Array.of(0n), shape: [] });
    if (lrIsVariable) ov.children.set(String(i++), { data: Float32Array.of(lr), shape: [] });
    for (const v of trainable) {
      for (let s = 0; s < slots.names.length; s++) {
        ov.children.set(String(i++), { data: new Float32Array(v.shape.reduce((a, b) => a * b, 1)).fill(slots.init), shape: [...v.shape] });
      }
    }
    child(root, 'optimizer').children.set('vars', ov);
  }

  const h5 = await writeH5(spec(root));
  const config = JSON.stringify(json.json);
  const metadata = JSON.stringify({ keras_version: KERAS_VERSION, date_saved: kerasDate(opts.date ?? new Date()) });
  const bytes = await zip({ 'metadata.json': metadata, 'config.json': config, 'model.weights.h5': h5 });
  return { ok: true, bytes, files: { config, metadata, weights: h5 } };
}

function defaultLr(opt: string): number {
  return opt === 'sgd' ? 0.01 : 0.001;
}
