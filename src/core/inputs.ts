/**
 * Model inputs given as nested arrays (the `unroll predict` / `unroll inspect` input file, a
 * "call the model" request): one array per Input node, in the model's input order (the graph
 * order of its Input nodes). Checks rectangularity, rank, fixed sizes, one batch size for all, and
 * whole numbers for int32 inputs; gives flat values and shapes for tensors.
 *
 *   const r = readModelInputs(graph, JSON.parse(text));   // { ok, inputs: [{ name, shape, dtype, values }] }
 */
import { formatShape } from './shape.ts';
import type { Graph } from './types.ts';

export interface ModelInput {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: 'float32' | 'int32';
  readonly values: Float32Array | Int32Array;
}

export type InputsResult = { ok: true; inputs: ModelInput[] } | { ok: false; error: string };

/** The shape of a rectangular nested array of numbers, or a message. */
function shapeOf(v: unknown, where: string): number[] | string {
  if (typeof v === 'number') return Number.isFinite(v) ? [] : `${where} holds ${v}, not a finite number`;
  if (!Array.isArray(v)) return `${where} must be a number or a list, not ${v === null ? 'null' : typeof v}`;
  if (!v.length) return [0];
  const first = shapeOf(v[0], `${where}[0]`);
  if (typeof first === 'string') return first;
  for (let k = 1; k < v.length; k++) {
    const s = shapeOf(v[k], `${where}[${k}]`);
    if (typeof s === 'string') return s;
    if (s.length !== first.length || s.some((d, j) => d !== first[j])) {
      return `${where} is ragged: ${where}[0] has shape ${formatShape(first)}, ${where}[${k}] ${formatShape(s)} (pad the sequences to one length)`;
    }
  }
  return [v.length, ...first];
}

function flatten(v: unknown, out: number[]): void {
  if (Array.isArray(v)) for (const x of v) flatten(x, out);
  else out.push(v as number);
}

export function readModelInputs(graph: Graph, doc: unknown): InputsResult {
  const inputs = graph.nodes.filter((n) => n.kind === 'Input');
  const list = typeof doc === 'object' && doc !== null && !Array.isArray(doc) ? (doc as { inputs?: unknown }).inputs : undefined;
  if (!Array.isArray(list)) return { ok: false, error: 'the input file must be {"inputs": [one nested array per model input]}' };
  if (list.length !== inputs.length) {
    return { ok: false, error: `the model has ${inputs.length} input${inputs.length === 1 ? '' : 's'} (${inputs.map((n) => n.name).join(', ')}), the file gives ${list.length}` };
  }
  const out: ModelInput[] = [];
  let batch: number | undefined;
  for (const [k, n] of inputs.entries()) {
    const where = `inputs[${k}] (${n.name})`;
    const want = [n.params.batch_size ?? null, ...((n.params.shape as (number | null)[] | undefined) ?? [])] as (number | null)[];
    const got = shapeOf(list[k], where);
    if (typeof got === 'string') return { ok: false, error: got };
    if (got.length !== want.length || want.some((d, j) => d !== null && d !== got[j])) {
      const wantText = `(${want.map((d, j) => (d !== null ? d : j === 0 ? 'batch' : 'any')).join(', ')})`;
      return { ok: false, error: `${where}: expected shape ${wantText}, got ${formatShape(got)}` };
    }
    if (batch !== undefined && got[0] !== batch) return { ok: false, error: `${where} has ${got[0]} examples, the inputs before it ${batch}` };
    batch = got[0];
    const flat: number[] = [];
    flatten(list[k], flat);
    const dtype = n.params.dtype === 'int32' ? 'int32' : 'float32';
    if (dtype === 'int32' && flat.some((x) => !Number.isInteger(x))) return { ok: false, error: `${where} is int32 (token ids): every value must be a whole number` };
    out.push({ name: n.name, shape: got, dtype, values: dtype === 'int32' ? Int32Array.from(flat) : Float32Array.from(flat) });
  }
  return { ok: true, inputs: out };
}
