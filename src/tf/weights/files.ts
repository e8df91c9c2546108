/**
 * Model files with their weights, whatever made them (no TF.js here; zip and HDF5 libraries load
 * on first use):
 *
 * - Keras 3 `.keras` archives: config.json + metadata.json + model.weights.h5, the weights at
 *   `layers/<key>/…/vars/<i>` where <key> is the layer's class stem plus a counter in
 *   `model.layers` order (`lstm`, `lstm_1`; Keras 3.10+ also writes the layer's name as the `vars`
 *   group's `name` attribute, which wins when present); Keras 2.13–2.15's `keras_v3` files keep them
 *   under `_layer_checkpoint_dependencies/` instead.
 * - Keras 2 (and Keras 3 legacy) full-model `.h5`: the `model_config` attribute and
 *   `model_weights/<layer>/<weight name>`, each layer's order from its `weight_names` attribute.
 * - Weights only — Keras 3 `.weights.h5` or Keras 2 `save_weights` HDF5 — next to a config
 *   (config.json, a Keras / TF.js JSON or a project file) given with it.
 * - TF.js `model.json` with its `.bin` shards (float32, int32, float16, and uint8/uint16 quantized
 *   weights, dequantized as TF.js does).
 * - Project files and Keras / TF.js JSON without weights (architecture only).
 *
 *   const r = await openModelFiles([{ name: 'model.keras', bytes }]);
 *   if (r.ok) { r.model.graph; r.model.weights /* WeightSet or null *\/ }
 *
 * Never throws for bad input: `{ ok: false, error }` is one line naming the file and what is wrong.
 */
import { parseProject, PROJECT_FORMAT, type Project } from '../../core/project.ts';
import { importKerasJson, type ImportResult } from '../../core/keras/import.ts';
import { modelView } from '../../core/keras/export.ts';
import { getLayer } from '../../core/registry.ts';
import type { Graph } from '../../core/types.ts';
import { sizeOf, shapeText, weightSpecs, type LayerWeightSpec, type WeightSet, type WeightSource, type WeightVariable } from '../../core/weights.ts';
import { H5Error, isHdf5, readH5, type H5Dataset, type H5Group } from './h5.ts';
import { isZip, unzip, ZipError } from './zip.ts';
import { messageText } from '../../core/json.ts';

export interface InputFile {
  /** The file's name (a path is fine: only its base name is matched against TF.js manifests). */
  readonly name: string;
  readonly bytes: Uint8Array;
}

export interface OpenedModel {
  readonly graph: Graph;
  readonly name: string;
  readonly sequential: boolean;
  /** Notes for the user (kept keys, Keras 2 semantics, mask operations left out…). */
  readonly warnings: readonly string[];
  /** The trained weights in the files, or null (architecture only). */
  readonly weights: WeightSet | null;
  /** Training settings of a project file. */
  readonly project?: Project;
  /** 'project' for Unroll's own files, else the container: 'keras', 'h5', 'tfjs', 'json'. */
  readonly format: 'project' | 'keras' | 'h5' | 'tfjs' | 'json';
  readonly kerasVersion?: string;
}

export type OpenResult = { ok: true; model: OpenedModel } | { ok: false; error: string };

class FileError extends Error {}

function fail(msg: string): never {
  throw new FileError(msg);
}

const base = (name: string) => name.split(/[\\/]/).pop() ?? name;
const decoder = new TextDecoder();

function parseJson(bytes: Uint8Array, what: string): unknown {
  try {
    return JSON.parse(decoder.decode(bytes)); // TextDecoder drops a UTF-8 BOM
  } catch (e) {
    return fail(`${what} is not valid JSON (${(e as Error).message})`);
  }
}

type Dict = Record<string, unknown>;
const isDict = (v: unknown): v is Dict => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Keras's `naming.to_snake_case`, which names the `layers/<key>` groups of model.weights.h5. */
export function kerasSnake(name: string): string {
  const a = name.replace(/\W+/g, '');
  const b = a.replace(/(.)([A-Z][a-z]+)/g, '$1_$2');
  return b.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
}

/** The `layers/<key>` key of every layer, in `model.layers` order (saving_lib `_save_container_state`). */
export function kerasLayerKeys(order: readonly { name: string; className: string }[]): Map<string, string> {
  const used = new Map<string, number>();
  const out = new Map<string, string>();
  for (const l of order) {
    const stem = kerasSnake(l.className);
    const n = used.get(stem);
    const key = n === undefined ? stem : `${stem}_${n + 1}`;
    used.set(stem, n === undefined ? 0 : n + 1);
    out.set(l.name, key);
  }
  return out;
}

/** A graph's layers in Keras's `model.layers` order, with their Keras classes (for weights without a config). */
function graphLayerOrder(graph: Graph): { name: string; className: string }[] {
  const view = modelView(graph);
  const nodes = typeof view === 'string' ? graph.nodes.filter((n) => getLayer(n.kind)?.isLayer !== false) : view.layers;
  return nodes.map((n) => ({ name: n.name, className: getLayer(n.kind)!.kerasClass }));
}

function float32Of(d: H5Dataset, where: string): Float32Array {
  try {
    return d.float32();
  } catch {
    return fail(`${where} does not hold numbers`);
  }
}

/** Weights stored the Keras 3 way (`layers/<key>/…/vars/<i>`), matched to the graph's layers. */
export function keras3Weights(root: H5Group, graph: Graph, order: readonly { name: string; className: string }[], source: WeightSource, what: string): WeightSet {
  const container = root.group('layers') ?? root.group('_layer_checkpoint_dependencies');
  if (!container) fail(`${what} has no "layers" group: it is not a Keras 3 weights file`);
  const keys = kerasLayerKeys(order);
  // Keras 3.10+ names each layer's `vars` group after the layer: use it when it is there.
  const byName = new Map<string, string>();
  for (const [key, g] of container.children) {
    const n = g.kind === 'group' ? g.group('vars')?.str('name') : undefined;
    if (n) byName.set(n, key);
  }
  const layers: Record<string, WeightVariable[]> = {};
  for (const spec of weightSpecs(graph)) {
    const key = byName.get(spec.layer) ?? keys.get(spec.layer);
    const g = key ? container.group(key) : undefined;
    if (!g) fail(`${what} has no weights for layer "${spec.layer}" (looked for ${container.path}/${key ?? '?'})`);
    layers[spec.layer] = spec.vars.map((v) => {
      const d = g.dataset(v.store);
      if (!d) fail(`${what}: ${g.path}/${v.store} (${spec.layer} ${v.name}) is missing`);
      return checked(spec, v.name, v.path, d, `${g.path}/${v.store}`);
    });
  }
  return { layers, source };
}

function checked(spec: LayerWeightSpec, name: string, path: string, d: H5Dataset, where: string): WeightVariable {
  const want = spec.vars.find((v) => v.path === path)!.shape;
  const shape = [...d.shape];
  if (shape.length !== want.length || shape.some((x, k) => x !== want[k])) {
    fail(`${where}: ${spec.layer} ${name} has shape ${shapeText(shape)} in the file, the model needs ${shapeText(want)}`);
  }
  return { path, shape, data: float32Of(d, where) };
}

/** Weights stored the Keras 2 way (a group per layer name, order from `weight_names`). */
export function keras2Weights(group: H5Group, graph: Graph, source: WeightSource, what: string): WeightSet {
  const layers: Record<string, WeightVariable[]> = {};
  for (const spec of weightSpecs(graph)) {
    const g = group.group(spec.layer);
    if (!g) fail(`${what} has no weights for layer "${spec.layer}"`);
    const names = g.strings('weight_names') ?? [];
    if (names.length !== spec.vars.length) {
      fail(`${what}: layer "${spec.layer}" has ${names.length} weights (${names.join(', ') || 'none'}), the ${spec.kind} layer needs ${spec.vars.length} (${spec.vars.map((v) => v.name).join(', ')})`);
    }
    layers[spec.layer] = names.map((wn, k) => {
      const d = g.dataset(wn);
      if (!d) fail(`${what}: weight ${wn} of layer "${spec.layer}" is missing`);
      return checked(spec, spec.vars[k].name, spec.vars[k].path, d, `${g.path}/${wn}`);
    });
  }
  return { layers, source };
}

// ---- TF.js ----

interface ManifestEntry {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype?: string;
  readonly quantization?: { readonly dtype: string; readonly scale?: number; readonly min?: number };
}

function float16ToFloat32(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

/** One manifest entry's values from its group's bytes at `offset`; returns the values and the bytes used. */
function decodeEntry(bytes: Uint8Array, offset: number, e: ManifestEntry, what: string): { data: Float32Array; used: number } {
  const n = sizeOf(e.shape);
  const q = e.quantization;
  const need = (per: number) => {
    if (offset + n * per > bytes.length) fail(`${what}: the shards end before weight ${e.name} (${n} values at byte ${offset}, ${bytes.length} bytes in all)`);
  };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(n);
  if (q) {
    const per = q.dtype === 'uint8' ? 1 : 2;
    need(per);
    for (let k = 0; k < n; k++) {
      const at = offset + k * per;
      if (q.dtype === 'float16') out[k] = float16ToFloat32(view.getUint16(at, true));
      else {
        const v = per === 1 ? view.getUint8(at) : view.getUint16(at, true);
        out[k] = v * (q.scale ?? 1) + (q.min ?? 0);
      }
    }
    return { data: out, used: n * per };
  }
  const dtype = e.dtype ?? 'float32';
  if (dtype !== 'float32' && dtype !== 'int32') fail(`${what}: weight ${e.name} is ${dtype}, not float32`);
  need(4);
  for (let k = 0; k < n; k++) out[k] = dtype === 'float32' ? view.getFloat32(offset + 4 * k, true) : view.getInt32(offset + 4 * k, true);
  return { data: out, used: 4 * n };
}

/** TF.js weights (manifest + shard bytes), grouped by layer name (the longest layer name that prefixes the weight name). */
export function tfjsWeights(manifest: unknown, shard: (path: string) => Uint8Array | undefined, graph: Graph, source: WeightSource, what: string): WeightSet {
  if (!Array.isArray(manifest)) fail(`${what}: weightsManifest is not a list`);
  const specs = weightSpecs(graph);
  const names = [...specs.map((s) => s.layer)].sort((a, b) => b.length - a.length);
  const found = new Map<string, { shape: number[]; data: Float32Array; name: string }[]>();
  for (const [g, group] of manifest.entries()) {
    if (!isDict(group) || !Array.isArray(group.paths) || !Array.isArray(group.weights)) fail(`${what}: weightsManifest[${g}] needs paths and weights`);
    const parts = group.paths.map((p) => {
      const b = shard(String(p));
      if (!b) fail(`${what} names the weight file ${String(p)}, which was not given with it`);
      return b;
    });
    const bytes = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
    let at = 0;
    for (const p of parts) {
      bytes.set(p, at);
      at += p.length;
    }
    let offset = 0;
    for (const e of group.weights as ManifestEntry[]) {
      if (!isDict(e) || typeof e.name !== 'string' || !Array.isArray(e.shape)) fail(`${what}: weightsManifest[${g}] has an entry without name and shape`);
      const { data, used } = decodeEntry(bytes, offset, e, what);
      offset += used;
      const layer = names.find((l) => e.name === l || e.name.startsWith(`${l}/`));
      if (!layer) continue; // optimizer state or a layer the graph does not have
      found.set(layer, [...(found.get(layer) ?? []), { shape: [...e.shape], data, name: e.name }]);
    }
  }
  const layers: Record<string, WeightVariable[]> = {};
  for (const spec of specs) {
    const vals = found.get(spec.layer);
    if (!vals) fail(`${what} has no weights for layer "${spec.layer}"`);
    if (vals.length !== spec.vars.length) fail(`${what}: layer "${spec.layer}" has ${vals.length} weights (${vals.map((v) => v.name).join(', ')}), the ${spec.kind} layer needs ${spec.vars.length}`);
    layers[spec.layer] = vals.map((v, k) => {
      const want = spec.vars[k].shape;
      if (v.shape.length !== want.length || v.shape.some((d, j) => d !== want[j])) {
        fail(`${what}: ${v.name} has shape ${shapeText(v.shape)}, layer "${spec.layer}" needs ${shapeText(want)} for ${spec.vars[k].name}`);
      }
      return { path: spec.vars[k].path, shape: v.shape, data: v.data };
    });
  }
  return { layers, source };
}

// ---- opening ----

interface Arch {
  readonly graph: Graph;
  readonly name: string;
  readonly sequential: boolean;
  readonly warnings: readonly string[];
  readonly kerasVersion?: string;
  readonly layerOrder: readonly { name: string; className: string }[];
  readonly project?: Project;
  readonly doc?: Dict;
}

function fromImport(r: ImportResult, what: string): Arch {
  if (!r.ok) fail(`${what}: ${r.error}`);
  return { graph: r.graph, name: r.name, sequential: r.sequential, warnings: r.warnings, kerasVersion: r.kerasVersion, layerOrder: r.layerOrder };
}

/** A JSON document: a project file, or a Keras / TF.js model. */
function archFromJson(doc: unknown, what: string, kerasVersion?: string): Arch {
  if (isDict(doc) && doc.format === PROJECT_FORMAT) {
    const r = parseProject(JSON.stringify(doc));
    if (!r.ok) fail(`${what}: ${r.error}`);
    const g = r.project.graph;
    return { graph: g, name: r.project.name, sequential: false, warnings: [], layerOrder: graphLayerOrder(g), project: r.project, doc };
  }
  if (isDict(doc) && ('modelTopology' in doc || 'class_name' in doc)) return { ...fromImport(importKerasJson(doc, { kerasVersion }), what), doc };
  return fail(`${what} is not a project file ("format": "${PROJECT_FORMAT}") nor a Keras or TF.js model (class_name or modelTopology)`);
}

/** The weights of an HDF5 weights file (Keras 3 layout or Keras 2 layout) for a graph. */
function h5Weights(root: H5Group, arch: Arch, what: string, format: WeightSource['format'], file: string): WeightSet {
  const kerasVersion = root.str('keras_version') ?? root.group('model_weights')?.str('keras_version') ?? arch.kerasVersion;
  const backend = root.str('backend') ?? root.group('model_weights')?.str('backend');
  const source: WeightSource = { format, file, ...(kerasVersion ? { kerasVersion } : {}), ...(backend ? { backend } : {}) };
  if (root.group('layers') || root.group('_layer_checkpoint_dependencies')) return keras3Weights(root, arch.graph, arch.layerOrder, source, what);
  const mw = root.group('model_weights') ?? (root.strings('layer_names') ? root : undefined);
  if (mw) return keras2Weights(mw, arch.graph, source, what);
  return fail(`${what} holds no Keras weights (no "layers" or "model_weights" group)`);
}

async function openKeras(f: InputFile): Promise<OpenedModel> {
  const what = base(f.name);
  const entries = await unzip(f.bytes, what);
  const config = entries['config.json'];
  if (!config) fail(`${what} is a zip without config.json: not a .keras model`);
  const meta = entries['metadata.json'] ? parseJson(entries['metadata.json'], `${what}/metadata.json`) : {};
  const kerasVersion = isDict(meta) && typeof meta.keras_version === 'string' ? meta.keras_version : undefined;
  const savedAt = isDict(meta) && typeof meta.date_saved === 'string' ? meta.date_saved : undefined;
  const arch = archFromJson(parseJson(config, `${what}/config.json`), `${what}/config.json`, kerasVersion);
  const h5 = entries['model.weights.h5'];
  if (!h5) {
    if (entries['model.weights.npz']) fail(`${what} keeps its weights as model.weights.npz; Unroll reads the default h5 format (save with weights_format="h5")`);
    fail(`${what} has no model.weights.h5`);
  }
  const root = await readH5(h5, `${what}/model.weights.h5`);
  const source: WeightSource = { format: 'keras', file: what, ...(kerasVersion ? { kerasVersion } : {}), ...(savedAt ? { savedAt } : {}) };
  const weights = keras3Weights(root, arch.graph, arch.layerOrder, source, `${what}/model.weights.h5`);
  return { graph: arch.graph, name: arch.name, sequential: arch.sequential, warnings: arch.warnings, weights, format: 'keras', kerasVersion };
}

async function openH5Model(f: InputFile, root: H5Group): Promise<OpenedModel> {
  const what = base(f.name);
  const config = root.str('model_config');
  if (!config) fail(`${what} has no model_config`);
  const kerasVersion = root.str('keras_version');
  const arch = archFromJson(parseJson(new TextEncoder().encode(config), `${what} model_config`), `${what} model_config`, kerasVersion);
  const weights = h5Weights(root, arch, what, 'h5', what);
  return { graph: arch.graph, name: arch.name, sequential: arch.sequential, warnings: arch.warnings, weights, format: 'h5', kerasVersion: kerasVersion ?? arch.kerasVersion };
}

/** The shards of a TF.js model.json among the given files, by base name. */
function shardLookup(files: readonly InputFile[]) {
  const byBase = new Map(files.map((f) => [base(f.name), f.bytes]));
  return (path: string) => byBase.get(base(path));
}

/**
 * Opens a model from one or more files: a `.keras`; a full-model `.h5`; a model.json with its
 * shards; a config (project file, Keras or TF.js JSON) with a weights file (`.weights.h5`, `.h5`,
 * `.keras`, or a TF.js model.json and shards). The first JSON or archive gives the architecture.
 */
export async function openModelFiles(files: readonly InputFile[]): Promise<OpenResult> {
  try {
    if (!files.length) fail('no file given');
    const kinds = files.map((f) => ({ f, kind: isZip(f.bytes) ? 'zip' : isHdf5(f.bytes) ? 'h5' : /\.bin$/i.test(f.name) ? 'bin' : 'json' }));
    const zips = kinds.filter((k) => k.kind === 'zip');
    const h5s = kinds.filter((k) => k.kind === 'h5');
    const jsons = kinds.filter((k) => k.kind === 'json');
    if (zips.length && !jsons.length && !h5s.length) return { ok: true, model: await openKeras(zips[0].f) };

    // A full-model .h5 on its own.
    const roots = new Map<InputFile, H5Group>();
    for (const k of h5s) roots.set(k.f, await readH5(k.f.bytes, base(k.f.name)));
    const full = h5s.find((k) => roots.get(k.f)!.str('model_config'));
    if (full && !jsons.length && !zips.length) return { ok: true, model: await openH5Model(full.f, roots.get(full.f)!) };

    // Otherwise: a JSON gives the architecture; weights come from the others.
    if (!jsons.length) {
      if (h5s.length) fail(`${base(h5s[0].f.name)} holds only weights: open it together with the model's config (config.json, a Keras or TF.js model.json, or an Unroll project file)`);
      fail(`${base(files[0].name)} is neither a .keras, .h5 nor a JSON model file`);
    }
    const jf = jsons[0].f;
    const doc = parseJson(jf.bytes, base(jf.name));
    const arch = archFromJson(doc, base(jf.name));
    let weights: WeightSet | null = null;
    let format: OpenedModel['format'] = arch.project ? 'project' : 'json';
    const isTfjs = isDict(doc) && Array.isArray(doc.weightsManifest);
    const weightFile = zips[0]?.f ?? h5s[0]?.f ?? (isTfjs ? undefined : jsons.slice(1).find((j) => {
      const d = parseJson(j.f.bytes, base(j.f.name));
      return isDict(d) && Array.isArray(d.weightsManifest);
    })?.f);
    if (weightFile && isZip(weightFile.bytes)) {
      const k = await openKeras(weightFile);
      weights = pickFor(arch.graph, k.weights!, base(weightFile.name));
    } else if (weightFile && isHdf5(weightFile.bytes)) {
      const root = roots.get(weightFile)!;
      weights = h5Weights(root, arch, base(weightFile.name), root.str('model_config') ? 'h5' : 'weights.h5', base(weightFile.name));
    } else {
      const tfDoc = isTfjs ? doc : weightFile ? parseJson(weightFile.bytes, base(weightFile.name)) : undefined;
      if (isDict(tfDoc) && Array.isArray(tfDoc.weightsManifest)) {
        const what = base((weightFile ?? jf).name);
        const given = files.filter((f) => /\.bin$/i.test(f.name) || !isZip(f.bytes));
        const topo = isDict(tfDoc.modelTopology) ? tfDoc.modelTopology : {};
        const kerasVersion = typeof topo.keras_version === 'string' ? topo.keras_version : undefined;
        const source: WeightSource = { format: 'tfjs', file: what, ...(kerasVersion ? { kerasVersion } : {}), ...(typeof tfDoc.generatedBy === 'string' ? { backend: tfDoc.generatedBy } : {}) };
        if (isTfjs && !files.some((f) => /\.bin$/i.test(f.name))) {
          const paths = (tfDoc.weightsManifest as { paths?: unknown[] }[]).flatMap((g) => g.paths ?? []).map(String);
          return { ok: true, model: { ...archModel(arch, format), warnings: [...arch.warnings, `the weights (${paths.join(', ')}) were not given with ${what}: the model has fresh weights`] } };
        }
        weights = tfjsWeights(tfDoc.weightsManifest, shardLookup(given), arch.graph, source, what);
        if (isTfjs) format = 'tfjs';
      }
    }
    return { ok: true, model: { ...archModel(arch, format), weights } };
  } catch (e) {
    if (e instanceof FileError || e instanceof H5Error || e instanceof ZipError) return { ok: false, error: messageText(e.message) };
    return { ok: false, error: messageText(`could not read the model files: ${(e as Error)?.message ?? e}`) };
  }
}

function archModel(arch: Arch, format: OpenedModel['format']): OpenedModel {
  return {
    graph: arch.graph, name: arch.name, sequential: arch.sequential, warnings: arch.warnings, weights: null, format,
    ...(arch.project ? { project: arch.project } : {}), ...(arch.kerasVersion ? { kerasVersion: arch.kerasVersion } : {}),
  };
}

/** The weights of another model (a .keras given as weights) for this graph, by layer name. */
function pickFor(graph: Graph, ws: WeightSet, what: string): WeightSet {
  const need = weightSpecs(graph);
  const layers: Record<string, readonly WeightVariable[]> = {};
  for (const s of need) {
    const vars = ws.layers[s.layer];
    if (!vars) fail(`${what} has no weights for layer "${s.layer}"`);
    layers[s.layer] = vars;
  }
  return { ...ws, layers };
}
