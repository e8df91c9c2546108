/**
 * What the Python and TF.js generators share: the functional model in Keras's layer order, a
 * variable per tensor, the arguments a constructor needs (positional ones, then every parameter
 * that differs from its default), and placeholder data shapes for the `fit` stub.
 */
import { getLayer } from '../registry.ts';
import { withDefaults } from '../params.ts';
import { callArgs, modelView, type ModelView, type TensorRef } from '../keras/export.ts';
import type { Dim } from '../shape.ts';
import type { Graph, GraphNode, Params, ParamValue } from '../types.ts';
import { codeIdent } from './literals.ts';
import { minOf } from '../walk.ts';

/** A model ready for code generation. */
export interface CodeModel {
  readonly view: ModelView;
  /** Variable name of a tensor. */
  tensorVar(ref: TensorRef): string;
  /** Variables a layer call assigns, one per output port. */
  outputVars(n: GraphNode): string[];
}

/** Builds the code model, or returns why the graph cannot be exported. */
export function codeModel(graph: Graph): CodeModel | string {
  const view = modelView(graph);
  if (typeof view === 'string') return view;
  // One variable per output port, unique across the model (a layer named `lstm_h` must not take
  // the `h` state of a layer named `lstm`), valid in both Python and JavaScript.
  const used = new Set<string>();
  const ports = (n: GraphNode) => view.inference.node(n.id)!.outputs;
  const vars = new Map<string, string[]>();
  for (const n of view.layers) {
    const base = codeIdent(n.name, used);
    vars.set(n.id, ports(n).map((p) => (p.name === 'output' ? base : codeIdent(`${base}_${p.name}`, used))));
  }
  const outputVars = (n: GraphNode) => vars.get(n.id)!;
  const tensorVar = (ref: TensorRef) => outputVars(ref.node)[ports(ref.node).findIndex((p) => p.name === ref.port)];
  return { view, tensorVar, outputVars };
}

/** One constructor argument: Keras name and value; positional ones have no name in the call. */
export interface Arg {
  readonly name: string;
  readonly value: ParamValue;
  readonly positional: boolean;
}

/**
 * Constructor arguments of a layer: its positional ones (always), then every Keras parameter that
 * differs from its default, then those in `explicit` (TF.js needs Keras's defaults spelled out).
 */
export function constructorArgs(kind: string, params: Params, explicit: ReadonlySet<string> = new Set()): Arg[] {
  const def = getLayer(kind)!;
  const p = withDefaults(def.params, params);
  const positional = def.keras?.positional ?? [];
  const out: Arg[] = positional.map((name) => ({ name, value: p[name] ?? null, positional: true }));
  for (const s of def.params) {
    if (s.keras === false || positional.includes(s.name)) continue;
    const differs = JSON.stringify(p[s.name]) !== JSON.stringify(s.default);
    if (differs || explicit.has(s.name)) out.push({ name: s.name, value: p[s.name] ?? null, positional: false });
  }
  return out;
}

/** The inner layer of a wrapper, with its parameters. */
export function innerLayer(v: ParamValue): { kind: string; params: Params; name?: string } {
  const o = v as { kind: string; params?: Params; name?: unknown };
  return { kind: o.kind, params: o.params ?? {}, name: typeof o.name === 'string' ? o.name : undefined };
}

/** Placeholder sizes for free axes in the fit stub: time steps default to 20. */
export const PLACEHOLDER_STEPS = 20;

export function concreteShape(shape: readonly Dim[]): number[] {
  return shape.slice(1).map((d) => d ?? PLACEHOLDER_STEPS);
}

/** The largest valid token id + 1 for an int input: the smallest input_dim of the Embeddings it feeds. */
export function tokenLimit(cm: CodeModel, input: GraphNode): number {
  const dims = cm.view.layers
    .filter((n) => n.kind === 'Embedding' && callArgs(cm.view, n).main.some((r) => r.node.id === input.id))
    .map((n) => Number(n.params.input_dim ?? 1000));
  return dims.length ? minOf(dims) : 10;
}
