/**
 * Derived state: what the canvas displays, computed from the document graph by the core's
 * Inferencer (never by components). Each view object keeps its identity while its content is
 * unchanged, so a node component re-renders only when what it shows changed.
 */
import type { GraphInference } from '../core/infer.ts';
import { formatShape, type TensorInfo } from '../core/shape.ts';
import { summarize, type Summary } from '../core/summary.ts';
import type { Edge, Graph, GraphNode, Issue } from '../core/types.ts';

export interface PortView {
  readonly name: string;
  readonly label: string;
  readonly help?: string;
  readonly optional: boolean;
  /** For outputs: the tensor inference gives this port; for inputs: the tensor arriving. */
  readonly tensor: TensorInfo | null;
  /** `(None, 16)` or null when unknown. */
  readonly shape: string | null;
  readonly connected: boolean;
}

export interface NodeView {
  readonly inputs: readonly PortView[];
  readonly outputs: readonly PortView[];
  /** Total parameter count, null when unbuilt. */
  readonly params: number | null;
  readonly issues: readonly Issue[];
  readonly errors: number;
  readonly warnings: number;
}

export interface EdgeView {
  readonly tensor: TensorInfo | null;
  readonly shape: string | null;
  readonly masked: boolean;
}

export interface Derived {
  readonly byId: ReadonlyMap<string, GraphNode>;
  readonly inference: GraphInference;
  readonly views: ReadonlyMap<string, NodeView>;
  readonly edgeViews: ReadonlyMap<string, EdgeView>;
  readonly summary: Summary;
}

function same<T>(prev: T | undefined, next: T, key: (v: T) => string): T {
  return prev !== undefined && key(prev) === key(next) ? prev : next;
}

const viewKey = (v: NodeView) => JSON.stringify(v);
const edgeKey = (v: EdgeView) => `${v.shape}|${v.tensor?.dtype}|${v.masked}`;

/** Recomputes the derived state of a graph, reusing unchanged views from `prev`. */
export function derive(graph: Graph, inference: GraphInference, prev?: Derived): Derived {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const incoming = new Map<string, Edge>();
  for (const e of graph.edges) incoming.set(`${e.target}\u0000${e.targetPort}`, e);
  const views = new Map<string, NodeView>();
  for (const n of graph.nodes) {
    const inf = inference.node(n.id);
    if (!inf) continue;
    const inputs = inf.inputs.map((p): PortView => {
      const e = incoming.get(`${n.id}\u0000${p.name}`);
      const t = e ? inference.edgeTensor(e) : null;
      return { name: p.name, label: p.label, help: p.help, optional: !!p.optional, tensor: t, shape: t ? formatShape(t.shape) : null, connected: !!e };
    });
    const outputs = inf.outputs.map((p, k): PortView => {
      const t = inf.outputTensors[k] ?? null;
      return { name: p.name, label: p.label, help: p.help, optional: false, tensor: t, shape: t ? formatShape(t.shape) : null, connected: false };
    });
    const view: NodeView = {
      inputs, outputs,
      params: inf.params ? inf.params.trainable + inf.params.nonTrainable : null,
      issues: inf.issues,
      errors: inf.issues.filter((i) => i.severity === 'error').length,
      warnings: inf.issues.filter((i) => i.severity === 'warning').length,
    };
    views.set(n.id, same(prev?.views.get(n.id), view, viewKey));
  }
  const edgeViews = new Map<string, EdgeView>();
  for (const e of graph.edges) {
    const t = inference.edgeTensor(e);
    const v: EdgeView = { tensor: t, shape: t ? formatShape(t.shape) : null, masked: !!t?.masked };
    edgeViews.set(e.id, same(prev?.edgeViews.get(e.id), v, edgeKey));
  }
  return { byId, inference, views, edgeViews, summary: summarize(graph, inference) };
}
