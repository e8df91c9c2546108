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

function same<T>(prev: T | undefined, next: T, eq: (a: T, b: T) => boolean): T {
  return prev !== undefined && eq(prev, next) ? prev : next;
}

/** Shapes are formatted once per tensor object (the Inferencer keeps a node's tensors while it is unchanged). */
const shapeText = new WeakMap<TensorInfo, string>();
function shapeOf(t: TensorInfo): string {
  let s = shapeText.get(t);
  if (s === undefined) shapeText.set(t, (s = formatShape(t.shape)));
  return s;
}

function sameTensor(a: TensorInfo | null, b: TensorInfo | null): boolean {
  if (a === b) return true;
  if (!a || !b || a.dtype !== b.dtype || a.masked !== b.masked || a.shape.length !== b.shape.length) return false;
  for (let k = 0; k < a.shape.length; k++) if (a.shape[k] !== b.shape[k]) return false;
  return true;
}

function samePorts(a: readonly PortView[], b: readonly PortView[]): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) {
    const x = a[k], y = b[k];
    if (x.name !== y.name || x.label !== y.label || x.help !== y.help || x.optional !== y.optional || x.connected !== y.connected || x.shape !== y.shape || !sameTensor(x.tensor, y.tensor)) return false;
  }
  return true;
}

function sameIssues(a: readonly Issue[], b: readonly Issue[]): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) {
    const x = a[k], y = b[k];
    if (x !== y && (x.code !== y.code || x.severity !== y.severity || x.message !== y.message || x.fix !== y.fix || x.port !== y.port || x.param !== y.param || x.edgeId !== y.edgeId || x.nodeId !== y.nodeId)) return false;
  }
  return true;
}

/** Field by field (no serialisation): large graphs re-derive every node on every change. */
function sameView(a: NodeView, b: NodeView): boolean {
  return a.params === b.params && a.errors === b.errors && a.warnings === b.warnings
    && samePorts(a.inputs, b.inputs) && samePorts(a.outputs, b.outputs) && sameIssues(a.issues, b.issues);
}

const sameEdgeView = (a: EdgeView, b: EdgeView) => a.shape === b.shape && a.masked === b.masked && a.tensor?.dtype === b.tensor?.dtype;

const EMPTY_SUMMARY: Summary = { name: 'functional', rows: [], sequentialLike: true, total: 0, trainable: 0, nonTrainable: 0 };

/**
 * Recomputes the derived state of a graph, reusing unchanged views from `prev`. `summary: false`
 * keeps the previous summary (the caller computes the new one later).
 */
export function derive(graph: Graph, inference: GraphInference, prev?: Derived, opts: { summary?: boolean } = {}): Derived {
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
      return { name: p.name, label: p.label, help: p.help, optional: !!p.optional, tensor: t, shape: t ? shapeOf(t) : null, connected: !!e };
    });
    const outputs = inf.outputs.map((p, k): PortView => {
      const t = inf.outputTensors[k] ?? null;
      return { name: p.name, label: p.label, help: p.help, optional: false, tensor: t, shape: t ? shapeOf(t) : null, connected: false };
    });
    let errors = 0, warnings = 0;
    for (const i of inf.issues) {
      if (i.severity === 'error') errors++;
      else if (i.severity === 'warning') warnings++;
    }
    const view: NodeView = {
      inputs, outputs,
      params: inf.params ? inf.params.trainable + inf.params.nonTrainable : null,
      issues: inf.issues,
      errors,
      warnings,
    };
    views.set(n.id, same(prev?.views.get(n.id), view, sameView));
  }
  const edgeViews = new Map<string, EdgeView>();
  for (const e of graph.edges) {
    const t = inference.edgeTensor(e);
    const v: EdgeView = { tensor: t, shape: t ? shapeOf(t) : null, masked: !!t?.masked };
    edgeViews.set(e.id, same(prev?.edgeViews.get(e.id), v, sameEdgeView));
  }
  const summary = opts.summary === false ? prev?.summary ?? EMPTY_SUMMARY : summarize(graph, inference);
  return { byId, inference, views, edgeViews, summary };
}
