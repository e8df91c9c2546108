/**
 * The project file: a versioned JSON document holding the graph (with node positions), training
 * settings and the dataset choice. Loading migrates older versions, then validates with zod;
 * messages name the bad field (`graph.nodes[2].kind: …`). Never cast parsed JSON.
 *
 * Version history
 *   1: { format, version: 1, name, graph: { nodes: [{id, kind, name, params, x, y}], edges }, training }
 *   2: node positions as `position: {x, y}`; `dataset` added; `training.seed`, `training.backend`;
 *      optional `expected` (templates: the result training reaches; no version bump, older readers
 *      of version 2 ignore it).
 */
import { z } from './zod.ts';
import { excerpt, parseJsonOnly, sanitizeJson } from './json.ts';
import { getLayer } from './registry.ts';
import type { Graph, ParamValue } from './types.ts';

export const PROJECT_FORMAT = 'unroll-project';
export const PROJECT_VERSION = 2;

const paramValue: z.ZodType<ParamValue> = z.lazy(() =>
  z.union([z.number(), z.string(), z.boolean(), z.null(), z.array(z.number().nullable()), z.record(z.string(), paramValue)]),
);

const nodeSchema = z.object({
  id: z.string().min(1),
  kind: z.string().min(1),
  name: z.string().min(1),
  params: z.record(z.string(), paramValue),
  position: z.object({ x: z.number(), y: z.number() }),
});

const edgeSchema = z.object({
  id: z.string().min(1),
  source: z.string().min(1),
  sourcePort: z.string().min(1),
  target: z.string().min(1),
  targetPort: z.string().min(1),
});

/** The quantities a callback can monitor (Keras `logs` keys). */
export const MONITORS = ['val_loss', 'val_accuracy', 'loss', 'accuracy'] as const;

/** keras.callbacks.EarlyStopping's arguments (verbose left out). */
export const earlyStoppingSchema = z.object({
  monitor: z.enum(MONITORS).default('val_loss'),
  min_delta: z.number().min(0).default(0),
  patience: z.number().int().min(0).max(10_000).default(3),
  mode: z.enum(['auto', 'min', 'max']).default('auto'),
  baseline: z.number().nullable().default(null),
  restore_best_weights: z.boolean().default(true),
  start_from_epoch: z.number().int().min(0).default(0),
});

/**
 * The learning rate over training: constant; keras.optimizers.schedules.ExponentialDecay (per
 * optimizer step: lr · rate^(step / decay_steps), floored with staircase); or
 * keras.callbacks.ReduceLROnPlateau (per epoch, on a monitored quantity).
 */
export const lrScheduleSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('constant') }),
  z.object({
    kind: z.literal('exponential_decay'),
    decay_steps: z.number().int().min(1).default(100),
    decay_rate: z.number().positive().max(1).default(0.96),
    staircase: z.boolean().default(false),
  }),
  z.object({
    kind: z.literal('reduce_on_plateau'),
    monitor: z.enum(MONITORS).default('val_loss'),
    factor: z.number().positive().lt(1).default(0.1),
    patience: z.number().int().min(0).default(10),
    mode: z.enum(['auto', 'min', 'max']).default('auto'),
    min_delta: z.number().min(0).default(1e-4),
    cooldown: z.number().int().min(0).default(0),
    min_lr: z.number().min(0).default(0),
  }),
]);

/** Keras `class_weight`: {class id: weight}; 'balanced' = n / (classes · count of the class), from the training labels. */
export const classWeightSchema = z.union([
  z.literal('balanced'),
  z.record(z.string().regex(/^\d+$/, 'class ids are whole numbers ≥ 0'), z.number().min(0)),
]);

const clip = z.number().positive().nullable().default(null);

export const trainingSchema = z.object({
  optimizer: z.enum(['adam', 'sgd', 'rmsprop', 'adagrad']).default('adam'),
  learning_rate: z.number().positive().max(10).default(0.001),
  batch_size: z.number().int().min(1).max(4096).default(16),
  epochs: z.number().int().min(1).max(10_000).default(5),
  seed: z.number().int().default(42),
  backend: z.enum(['auto', 'webgl', 'wasm', 'cpu']).default('auto'),
  metrics: z.array(z.string()).default(['accuracy']),
  /** Keras optimizer arguments: each gradient's norm ≤ clipnorm; every gradient value in ±clipvalue; all gradients' joint norm ≤ global_clipnorm. At most one. */
  clipnorm: clip,
  clipvalue: clip,
  global_clipnorm: clip,
  early_stopping: earlyStoppingSchema.nullable().default(null),
  lr_schedule: lrScheduleSchema.default({ kind: 'constant' }),
  class_weight: classWeightSchema.nullable().default(null),
}).refine((t) => [t.clipnorm, t.clipvalue, t.global_clipnorm].filter((v) => v !== null).length <= 1, {
  message: 'Only one of clipnorm, clipvalue and global_clipnorm can be set (as in Keras).',
  path: ['clipnorm'],
});

export const datasetChoiceSchema = z.object({
  id: z.string().min(1),
  options: z.record(z.string(), z.unknown()).default({}),
});

/**
 * What a template reaches when trained as saved, measured here with `npx unroll train FILE --json`:
 * the metric on a split after `epochs` epochs, at least / at most a value, in about `seconds`.
 *
 *   "expected": { "metric": "accuracy", "at_least": 0.8, "split": "test", "epochs": 5, "seconds": 30 }
 */
export const expectedSchema = z.object({
  metric: z.enum(['accuracy', 'loss']),
  at_least: z.number().finite().optional(),
  at_most: z.number().finite().optional(),
  split: z.enum(['test', 'val']).default('test'),
  epochs: z.number().int().min(1).max(10_000),
  /** Wall-clock seconds of the whole run here (2 cores, wasm), rounded up. */
  seconds: z.number().positive(),
}).refine((e) => (e.at_least === undefined) !== (e.at_most === undefined), {
  message: 'give exactly one of at_least and at_most',
});

export const projectSchema = z.object({
  format: z.literal(PROJECT_FORMAT),
  version: z.literal(PROJECT_VERSION),
  name: z.string().default('untitled'),
  graph: z.object({ nodes: z.array(nodeSchema), edges: z.array(edgeSchema) }),
  training: trainingSchema.prefault({}),
  dataset: datasetChoiceSchema.nullable().default(null),
  /** Templates: the result training reaches (absent in the user's own projects). */
  expected: expectedSchema.optional(),
});

export type Project = z.infer<typeof projectSchema>;
export type TrainingSettings = z.infer<typeof trainingSchema>;
export type EarlyStopping = z.infer<typeof earlyStoppingSchema>;
export type LrSchedule = z.infer<typeof lrScheduleSchema>;
export type ClassWeight = z.infer<typeof classWeightSchema>;
export type Expected = z.infer<typeof expectedSchema>;

/** Migrations from version k to k+1, on plain JSON. */
const MIGRATIONS: Record<number, (doc: Record<string, unknown>) => Record<string, unknown>> = {
  1: (doc) => {
    const graph = (doc.graph ?? {}) as { nodes?: unknown[]; edges?: unknown[] };
    const nodes = (graph.nodes ?? []).map((n) => {
      if (typeof n !== 'object' || n === null) return n;
      const { x, y, ...rest } = n as Record<string, unknown>;
      return { ...rest, position: { x: typeof x === 'number' ? x : 0, y: typeof y === 'number' ? y : 0 } };
    });
    return { ...doc, version: 2, graph: { ...graph, nodes }, dataset: doc.dataset ?? null };
  },
};

export type ParseResult = { ok: true; project: Project } | { ok: false; error: string };

function pathOf(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : acc ? `${acc}.${String(k)}` : String(k)), '');
}

/** Parses, migrates and validates a project file's text. Errors name the field at fault. */
export function parseProject(text: string): ParseResult {
  const j = parseJsonOnly(text);
  if (!j.ok) return { ok: false, error: `Not a project file: ${j.error}.` };
  return loadProject(j.value);
}

export function loadProject(doc: unknown): ParseResult {
  const steps = loadProjectSteps(doc);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/** Nodes (or edges) validated per step of `loadProjectSteps`. */
export const LOAD_CHUNK = 2000;

/** The project's fields other than the graph's nodes and edges (validated whole). */
const headerSchema = projectSchema.extend({ graph: z.object({ nodes: z.array(z.unknown()), edges: z.array(z.unknown()) }) });

/**
 * `loadProject` in steps: it yields after every LOAD_CHUNK nodes or edges, so a caller can give
 * the page back between steps (a 10,000-node file is validated without one long task). Same
 * checks, same result, same messages as `loadProject`.
 */
export function* loadProjectSteps(doc: unknown): Generator<void, ParseResult, void> {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    return { ok: false, error: 'Not a project file: expected a JSON object.' };
  }
  // Depth and prototype-slot keys first: the schema checks below are recursive and read constructors.
  const safe = sanitizeJson(doc, { remove: false });
  if (!safe.ok) return { ok: false, error: `Not a project file: ${safe.error}.` };
  if (safe.removed.length) return { ok: false, error: `${safe.removed[0]}: this key is not allowed in a project file (it names an object prototype slot).` };
  let d = doc as Record<string, unknown>;
  if (d.format !== PROJECT_FORMAT) {
    const hint = 'modelTopology' in d || 'class_name' in d || 'config' in d
      ? ' It looks like a Keras or TF.js model: use Import model instead.'
      : '';
    return { ok: false, error: `Not a project file: "format" must be "${PROJECT_FORMAT}".${hint}` };
  }
  if (typeof d.version !== 'number' || !Number.isInteger(d.version) || d.version < 1) {
    return { ok: false, error: 'version: must be a whole number ≥ 1.' };
  }
  if (d.version > PROJECT_VERSION) {
    return { ok: false, error: `version: this file is version ${excerpt(d.version)}, made by a newer Unroll; this one reads up to ${PROJECT_VERSION}.` };
  }
  while ((d.version as number) < PROJECT_VERSION) d = MIGRATIONS[d.version as number](d);
  const head = headerSchema.safeParse(d);
  if (!head.success) {
    const first = head.error.issues[0];
    return { ok: false, error: `${pathOf(first.path) || 'file'}: ${first.message}` };
  }
  const parts = { nodes: [] as z.infer<typeof nodeSchema>[], edges: [] as z.infer<typeof edgeSchema>[] };
  for (const [field, schema] of [['nodes', nodeSchema], ['edges', edgeSchema]] as const) {
    const items = head.data.graph[field];
    for (let i = 0; i < items.length; i += LOAD_CHUNK) {
      yield;
      const r = z.array(schema).safeParse(items.slice(i, i + LOAD_CHUNK));
      if (!r.success) {
        const first = r.error.issues[0];
        const [k, ...rest] = first.path;
        return { ok: false, error: `${pathOf(['graph', field, (k as number) + i, ...rest])}: ${first.message}` };
      }
      for (const x of r.data) (parts[field] as unknown[]).push(x);
    }
  }
  const project: Project = { ...head.data, graph: { nodes: parts.nodes, edges: parts.edges } };
  const ids = new Set<string>();
  for (const [k, n] of project.graph.nodes.entries()) {
    if (!getLayer(n.kind)) return { ok: false, error: `graph.nodes[${k}].kind: unknown layer kind "${excerpt(n.kind)}"` };
    if (ids.has(n.id)) return { ok: false, error: `graph.nodes[${k}].id: "${excerpt(n.id)}" is used twice` };
    ids.add(n.id);
  }
  for (const [k, e] of project.graph.edges.entries()) {
    if (!ids.has(e.source)) return { ok: false, error: `graph.edges[${k}].source: no node "${excerpt(e.source)}"` };
    if (!ids.has(e.target)) return { ok: false, error: `graph.edges[${k}].target: no node "${excerpt(e.target)}"` };
  }
  return { ok: true, project };
}

export function newProject(graph: Graph, name = 'untitled', extra: { training?: z.input<typeof trainingSchema>; dataset?: Project['dataset']; expected?: Project['expected'] } = {}): Project {
  return projectSchema.parse({
    format: PROJECT_FORMAT,
    version: PROJECT_VERSION,
    name,
    graph: { nodes: graph.nodes, edges: graph.edges },
    training: extra.training ?? {},
    dataset: extra.dataset ?? null,
    ...(extra.expected ? { expected: extra.expected } : {}),
  });
}

export function serializeProject(p: Project): string {
  return JSON.stringify(p, null, 2) + '\n';
}

/** The JSON Schema of the current version, published as public/schema/project.v2.json. */
export function projectJsonSchema(): unknown {
  return z.toJSONSchema(projectSchema, { io: 'input' });
}
