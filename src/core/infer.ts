/**
 * Shape inference over a whole graph: every port gets a Keras shape, a dtype and a mask flag; every
 * node its parameter count and its issues. Pure and incremental: an `Inferencer` remembers each
 * node's result and recomputes a node only when the node object or one of its input tensors
 * changed (graphs are immutable, so identity is enough). An invalid graph still gets every shape
 * that can be known.
 *
 *   const inf = new Inferencer();
 *   const r = inf.run(graph);          // r.node(id).outputTensors, r.issues, r.totals
 */
import { checkParams, withDefaults } from './params.ts';
import { getLayer } from './registry.ts';
import { graphIssues, issues as cat } from './issues.ts';
import type { TensorInfo } from './shape.ts';
import type { Edge, Graph, GraphNode, Issue, NodeInference, ParamCount, Params, PortSpec } from './types.ts';
import type { InferResult, LayerDef, LocalIssue, Source } from './layers/define.ts';
import { modelSize, sizeIssues } from './size.ts';
import { hasLoss } from './layers/output.ts';

export interface GraphInference {
  readonly nodes: ReadonlyMap<string, NodeInference>;
  /** Nodes in topological order (graph order among equals); nodes on a cycle are left out. */
  readonly order: readonly string[];
  /** Every issue: per node, per edge and for the graph as a whole. */
  readonly issues: readonly Issue[];
  readonly totals: ParamCount;
  node(id: string): NodeInference | undefined;
  /** The tensor at an output port, or null when unknown. */
  tensor(nodeId: string, port: string): TensorInfo | null;
  /** The tensor an edge carries. */
  edgeTensor(edge: Edge): TensorInfo | null;
  hasErrors: boolean;
}

interface Resolved {
  readonly def: LayerDef | undefined;
  readonly params: Params;
  readonly problems: readonly LocalIssue[];
  readonly inputs: readonly PortSpec[];
  readonly outputs: readonly PortSpec[];
}

interface CacheEntry {
  node: GraphNode;
  resolved: Resolved;
  inputs: (TensorInfo | undefined)[];
  sources: (GraphNode | undefined)[];
  sourcePorts: string;
  result: InferResult;
}

/**
 * Keras layer names: Keras 3 takes any string without "/", Keras 2 any string (its files have
 * names such as `1st_layer` and `dense-1/out`). Unroll takes every non-empty name; "/" gets a
 * warning, and Keras 3 files name such a layer with "_" (`keras3Name`).
 */
export function isLayerName(name: string): boolean {
  return name.length > 0;
}

/** The name Keras 3 files and code use for a layer: "/" (which Keras 3 refuses) becomes "_". */
export function keras3Name(name: string): string {
  return name.replaceAll('/', '_');
}
const EMPTY: InferResult = { outputs: [], params: null };

/** Parameters with defaults filled, their problems, and the ports they give. */
export function resolveNode(node: GraphNode): Resolved {
  const def = getLayer(node.kind);
  if (!def) return { def, params: node.params, problems: [cat.unknownKind(node.kind)], inputs: [], outputs: [] };
  const params = withDefaults(def.params, node.params);
  const problems: LocalIssue[] = checkParams(def.params, params).map((p) => cat.paramInvalid(p.param, p.message));
  // Nested layers (Bidirectional, TimeDistributed) check the wrapped layer's parameters too.
  for (const s of def.params) {
    if (s.type !== 'layer' || problems.length) continue;
    const inner = params[s.name] as { kind: string; params: Params };
    const innerDef = getLayer(inner.kind);
    if (innerDef) {
      for (const p of checkParams(innerDef.params, withDefaults(innerDef.params, inner.params))) {
        problems.push(cat.paramInvalid(`${s.name}.${p.param}`, `${inner.kind}: ${p.message}`));
      }
    }
  }
  // Ports come from parameters; a bad value falls back to its default so the node keeps its handles.
  let portParams = params;
  if (problems.length) {
    const fixed: Record<string, unknown> = { ...params };
    for (const s of def.params) if (problems.some((p) => p.param?.split('.')[0] === s.name)) fixed[s.name] = s.default;
    portParams = fixed as Params;
  }
  let inputs: readonly PortSpec[] = [];
  let outputs: readonly PortSpec[] = [];
  try {
    inputs = def.inputs(portParams);
    outputs = def.outputs(portParams);
  } catch {
    // Ports of a broken nested layer: keep the main ones.
  }
  return { def, params, problems, inputs, outputs };
}

function place(nodeId: string, i: LocalIssue): Issue {
  return { ...i, nodeId };
}

export class Inferencer {
  private cache = new Map<string, CacheEntry>();

  run(graph: Graph): GraphInference {
    const nodesArr = graph.nodes;
    const N = nodesArr.length;
    const index = new Map<string, number>();
    const resolved: Resolved[] = new Array(N);
    for (let i = 0; i < N; i++) {
      const n = nodesArr[i];
      index.set(n.id, i);
      const c = this.cache.get(n.id);
      resolved[i] = c && c.node === n ? c.resolved : resolveNode(n);
    }

    const extra: (LocalIssue[] | undefined)[] = new Array(N);
    const addIssue = (i: number, issue: LocalIssue) => {
      (extra[i] ??= []).push(issue);
    };

    // Edges: drop those pointing at missing nodes or ports; index the rest by target port.
    const into: (Edge[] | undefined)[][] = resolved.map((r) => new Array(r.inputs.length));
    const intoSrc: (number[] | undefined)[][] = resolved.map((r) => new Array(r.inputs.length));
    const outAdj: number[][] = Array.from({ length: N }, () => []);
    const inAdj: number[][] = Array.from({ length: N }, () => []);
    const indeg = new Int32Array(N);
    const validEdges: Edge[] = [];
    for (const e of graph.edges) {
      const si = index.get(e.source), ti = index.get(e.target);
      if (si === undefined || ti === undefined) continue;
      const rs = resolved[si], rt = resolved[ti];
      const sp = portIndex(rs.outputs, e.sourcePort);
      if (sp < 0) {
        if (rs.def) addIssue(si, { ...cat.danglingEdge(e.sourcePort, nodesArr[si].name), edgeId: e.id });
        continue;
      }
      const tp = portIndex(rt.inputs, e.targetPort);
      if (tp < 0) {
        if (rt.def) addIssue(ti, { ...cat.danglingEdge(e.targetPort, nodesArr[ti].name), edgeId: e.id });
        continue;
      }
      validEdges.push(e);
      (into[ti][tp] ??= []).push(e);
      (intoSrc[ti][tp] ??= []).push(si);
      outAdj[si].push(ti);
      inAdj[ti].push(si);
      indeg[ti]++;
    }

    // Topological order (Kahn), stable in graph order.
    const orderIdx: number[] = [];
    for (let i = 0; i < N; i++) if (indeg[i] === 0) orderIdx.push(i);
    for (let qi = 0; qi < orderIdx.length; qi++) {
      for (const t of outAdj[orderIdx[qi]]) if (--indeg[t] === 0) orderIdx.push(t);
    }
    const cycleIdx: number[] = [];
    for (let i = 0; i < N; i++) if (indeg[i] > 0) cycleIdx.push(i);
    for (const i of cycleIdx) addIssue(i, cat.cycle(nodesArr[i].name));

    // Infer node by node.
    const outTensors: (readonly (TensorInfo | null)[] | undefined)[] = new Array(N);
    const results: InferResult[] = new Array(N);
    const nextCache = new Map<string, CacheEntry>();
    const visit = (i: number, inCycle: boolean) => {
      const node = nodesArr[i];
      const r = resolved[i];
      const nIn = r.inputs.length;
      const inputs: (TensorInfo | undefined)[] = new Array(nIn);
      const sources: (GraphNode | undefined)[] = new Array(nIn);
      let sourcePorts = '';
      let blocked = inCycle || !r.def || r.problems.length > 0;
      for (let k = 0; k < nIn; k++) {
        const port = r.inputs[k];
        const es = into[i][k];
        if (!es) {
          sourcePorts += '|';
          if (!port.optional) {
            addIssue(i, cat.inputMissing(node.name, port.name, port.label));
            blocked = true;
          }
          continue;
        }
        if (es.length > 1) addIssue(i, cat.inputTwice(node.name, port.name, port.label, es.length));
        const e = es[0];
        const si = intoSrc[i][k]![0];
        const ts = outTensors[si];
        const t = ts ? ts[portIndex(resolved[si].outputs, e.sourcePort)] ?? undefined : undefined;
        if (!t) blocked = true;
        inputs[k] = t;
        sources[k] = nodesArr[si];
        sourcePorts += e.sourcePort + '|';
      }
      const cached = this.cache.get(node.id);
      let result: InferResult;
      if (cached && cached.node === node && cached.sourcePorts === sourcePorts && sameArrays(cached.inputs, inputs) && sameArrays(cached.sources, sources)) {
        result = cached.result;
      } else if (blocked || !r.def) {
        result = { outputs: r.outputs.map(() => null), params: null };
      } else {
        const srcs: (Source | undefined)[] = sources.map((s, k) => (s ? { node: s, port: into[i][k]![0].sourcePort, def: getLayer(s.kind) } : undefined));
        try {
          result = r.def.infer(r.params, { node, inputs, sources: srcs });
        } catch (err) {
          result = {
            outputs: r.outputs.map(() => null), params: null,
            issues: [{ code: 'internal', severity: 'error', message: `Unroll could not infer ${node.name}: ${(err as Error).message}` }],
          };
        }
      }
      // A frozen layer (Keras trainable=False, kept in params by the Keras importer): its weights
      // count as non-trainable, as in Keras's summary.
      if (node.params.trainable === false && result.params?.trainable) {
        result = { ...result, params: { trainable: 0, nonTrainable: result.params.trainable + result.params.nonTrainable } };
      }
      nextCache.set(node.id, { node, resolved: r, inputs, sources, sourcePorts, result });
      results[i] = result;
      outTensors[i] = result.outputs;
    };
    for (const i of orderIdx) visit(i, false);
    for (const i of cycleIdx) visit(i, true);
    this.cache = nextCache;

    // Graph-level checks: names, inputs/outputs, reachability to an Output.
    const graphLevel: Issue[] = [];
    const seen = new Set<string>();
    let hasInput = false;
    const outputIdx: number[] = [];
    for (let i = 0; i < N; i++) {
      const n = nodesArr[i];
      if (!isLayerName(n.name)) addIssue(i, cat.badName(n.name));
      else if (n.name.includes('/') && n.kind !== 'Output') addIssue(i, cat.slashName(n.name, keras3Name(n.name)));
      if (seen.has(n.name)) addIssue(i, cat.duplicateName(n.name));
      else seen.add(n.name);
      if (n.kind === 'Input') hasInput = true;
      else if (n.kind === 'Output') outputIdx.push(i);
    }
    if (!hasInput) graphLevel.push(graphIssues.noInput() as Issue);
    if (!outputIdx.length) graphLevel.push(graphIssues.noOutput() as Issue);
    else {
      if (outputIdx.every((i) => !hasLoss(nodesArr[i].params))) graphLevel.push(graphIssues.noLoss() as Issue);
      const reaches = new Uint8Array(N);
      const stack = [...outputIdx];
      for (const i of stack) reaches[i] = 1;
      while (stack.length) {
        for (const s of inAdj[stack.pop()!]) if (!reaches[s]) { reaches[s] = 1; stack.push(s); }
      }
      for (let i = 0; i < N; i++) if (!reaches[i]) addIssue(i, nodesArr[i].kind === 'Input' && !outAdj[i].length ? cat.unusedInput(nodesArr[i].name) : cat.unused(nodesArr[i].name));
    }

    const nodes = new Map<string, NodeInference>();
    const tensorsByNode = new Map<string, { r: Resolved; t: readonly (TensorInfo | null)[] }>();
    const all: Issue[] = [...graphLevel];
    let trainable = 0, nonTrainable = 0;
    for (let i = 0; i < N; i++) {
      const n = nodesArr[i];
      const r = resolved[i];
      const res = results[i] ?? EMPTY;
      const list: Issue[] = [];
      for (const x of r.problems) list.push(place(n.id, x));
      for (const x of extra[i] ?? []) list.push(place(n.id, x));
      for (const x of res.issues ?? []) list.push(place(n.id, x));
      for (const x of list) all.push(x);
      nodes.set(n.id, { inputs: r.inputs, outputs: r.outputs, outputTensors: res.outputs, params: res.params, issues: list });
      tensorsByNode.set(n.id, { r, t: res.outputs });
      if (res.params) {
        trainable += res.params.trainable;
        nonTrainable += res.params.nonTrainable;
      }
    }
    const tensor = (id: string, port: string): TensorInfo | null => {
      const x = tensorsByNode.get(id);
      if (!x) return null;
      return x.t[portIndex(x.r.outputs, port)] ?? null;
    };
    const result: GraphInference = {
      nodes,
      order: orderIdx.map((i) => nodesArr[i].id),
      issues: all,
      totals: { trainable, nonTrainable },
      hasErrors: all.some((i) => i.severity === 'error'),
      node: (id) => nodes.get(id),
      tensor,
      edgeTensor: (e) => tensor(e.source, e.sourcePort),
    };
    // Size warnings (contract 3): Keras sets no limit; a large model is said to be large.
    for (const i of sizeIssues(modelSize(graph, result))) all.push(i);
    return result;
  }
}

function portIndex(ports: readonly PortSpec[], name: string): number {
  for (let k = 0; k < ports.length; k++) if (ports[k].name === name) return k;
  return -1;
}

function sameArrays<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}

/** One-shot inference (no cache). */
export function inferGraph(graph: Graph): GraphInference {
  return new Inferencer().run(graph);
}
