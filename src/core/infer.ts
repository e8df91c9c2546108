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

const NAME_RE = /^[A-Za-z][A-Za-z0-9_.-]*$/;
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
    const byId = new Map<string, GraphNode>();
    for (const n of graph.nodes) byId.set(n.id, n);
    const resolved = new Map<string, Resolved>();
    for (const n of graph.nodes) {
      const c = this.cache.get(n.id);
      resolved.set(n.id, c && c.node === n ? c.resolved : resolveNode(n));
    }

    const extra = new Map<string, LocalIssue[]>();
    const addIssue = (id: string, i: LocalIssue) => {
      const list = extra.get(id);
      if (list) list.push(i);
      else extra.set(id, [i]);
    };

    // Edges: drop those pointing at missing nodes or ports; group the rest by target port.
    const into = new Map<string, Edge[]>();
    const outEdges = new Map<string, Edge[]>();
    const validEdges: Edge[] = [];
    for (const e of graph.edges) {
      const s = byId.get(e.source), t = byId.get(e.target);
      if (!s || !t) continue;
      const rs = resolved.get(s.id)!, rt = resolved.get(t.id)!;
      if (!rs.outputs.some((p) => p.name === e.sourcePort)) {
        if (rs.def) addIssue(s.id, { ...cat.danglingEdge(e.sourcePort, s.name), edgeId: e.id });
        continue;
      }
      if (!rt.inputs.some((p) => p.name === e.targetPort)) {
        if (rt.def) addIssue(t.id, { ...cat.danglingEdge(e.targetPort, t.name), edgeId: e.id });
        continue;
      }
      validEdges.push(e);
      const key = `${e.target}\u0000${e.targetPort}`;
      const list = into.get(key);
      if (list) list.push(e);
      else into.set(key, [e]);
      const ol = outEdges.get(e.source);
      if (ol) ol.push(e);
      else outEdges.set(e.source, [e]);
    }

    // Topological order (Kahn), stable in graph order.
    const indeg = new Map<string, number>();
    for (const n of graph.nodes) indeg.set(n.id, 0);
    for (const e of validEdges) indeg.set(e.target, indeg.get(e.target)! + 1);
    const order: string[] = [];
    const queue: string[] = graph.nodes.filter((n) => indeg.get(n.id) === 0).map((n) => n.id);
    for (let qi = 0; qi < queue.length; qi++) {
      const id = queue[qi];
      order.push(id);
      for (const e of outEdges.get(id) ?? []) {
        const d = indeg.get(e.target)! - 1;
        indeg.set(e.target, d);
        if (d === 0) queue.push(e.target);
      }
    }
    const inCycle = new Set(graph.nodes.filter((n) => indeg.get(n.id)! > 0).map((n) => n.id));
    for (const id of inCycle) addIssue(id, cat.cycle(byId.get(id)!.name));

    // Infer node by node.
    const tensors = new Map<string, TensorInfo | null>();
    const tkey = (id: string, port: string) => `${id}\u0000${port}`;
    const results = new Map<string, InferResult>();
    const nextCache = new Map<string, CacheEntry>();
    for (const id of [...order, ...inCycle]) {
      const node = byId.get(id)!;
      const r = resolved.get(id)!;
      const inputs: (TensorInfo | undefined)[] = [];
      const sources: (GraphNode | undefined)[] = [];
      let sourcePorts = '';
      let blocked = inCycle.has(id) || !r.def || r.problems.length > 0;
      for (const port of r.inputs) {
        const es = into.get(tkey(id, port.name)) ?? [];
        if (es.length > 1) addIssue(id, cat.inputTwice(node.name, port.name, port.label, es.length));
        const e = es[0];
        if (!e) {
          inputs.push(undefined);
          sources.push(undefined);
          sourcePorts += '|';
          if (!port.optional) {
            addIssue(id, cat.inputMissing(node.name, port.name, port.label));
            blocked = true;
          }
          continue;
        }
        const t = tensors.get(tkey(e.source, e.sourcePort)) ?? undefined;
        if (!t) blocked = true;
        inputs.push(t);
        sources.push(byId.get(e.source));
        sourcePorts += `${e.sourcePort}|`;
      }
      const cached = this.cache.get(id);
      let result: InferResult;
      if (
        cached && cached.node === node && cached.sourcePorts === sourcePorts &&
        cached.inputs.length === inputs.length && cached.inputs.every((t, k) => t === inputs[k]) &&
        cached.sources.every((s, k) => s === sources[k])
      ) {
        result = cached.result;
      } else if (blocked || !r.def) {
        result = { outputs: r.outputs.map(() => null), params: null };
      } else {
        const srcs: (Source | undefined)[] = sources.map((s, k) => {
          if (!s) return undefined;
          const e = into.get(tkey(id, r.inputs[k].name))![0];
          return { node: s, port: e.sourcePort };
        });
        try {
          result = r.def.infer(r.params, { node, inputs, sources: srcs });
        } catch (err) {
          result = {
            outputs: r.outputs.map(() => null), params: null,
            issues: [{ code: 'internal', severity: 'error', message: `Unroll could not infer ${node.name}: ${(err as Error).message}` }],
          };
        }
      }
      nextCache.set(id, { node, resolved: r, inputs, sources, sourcePorts, result });
      results.set(id, result);
      r.outputs.forEach((p, k) => tensors.set(tkey(id, p.name), result.outputs[k] ?? null));
    }
    this.cache = nextCache;

    // Graph-level checks: names, inputs/outputs, reachability to an Output.
    const graphLevel: Issue[] = [];
    const seen = new Map<string, string>();
    for (const n of graph.nodes) {
      if (!NAME_RE.test(n.name)) addIssue(n.id, cat.badName(n.name));
      const other = seen.get(n.name);
      if (other !== undefined) {
        addIssue(n.id, cat.duplicateName(n.name));
      } else seen.set(n.name, n.id);
    }
    const outputs = graph.nodes.filter((n) => n.kind === 'Output');
    if (!graph.nodes.some((n) => n.kind === 'Input')) graphLevel.push(graphIssues.noInput() as Issue);
    if (!outputs.length) graphLevel.push(graphIssues.noOutput() as Issue);
    else {
      const reaches = new Set<string>(outputs.map((n) => n.id));
      const incoming = new Map<string, string[]>();
      for (const e of validEdges) {
        const l = incoming.get(e.target);
        if (l) l.push(e.source);
        else incoming.set(e.target, [e.source]);
      }
      const stack = [...reaches];
      while (stack.length) {
        const id = stack.pop()!;
        for (const s of incoming.get(id) ?? []) if (!reaches.has(s)) { reaches.add(s); stack.push(s); }
      }
      for (const n of graph.nodes) if (!reaches.has(n.id)) addIssue(n.id, cat.unused(n.name));
    }

    const nodes = new Map<string, NodeInference>();
    const all: Issue[] = [...graphLevel];
    let trainable = 0, nonTrainable = 0;
    for (const n of graph.nodes) {
      const r = resolved.get(n.id)!;
      const res = results.get(n.id) ?? EMPTY;
      const list: Issue[] = [
        ...r.problems.map((i) => place(n.id, i)),
        ...(extra.get(n.id) ?? []).map((i) => place(n.id, i)),
        ...(res.issues ?? []).map((i) => place(n.id, i)),
      ];
      all.push(...list);
      nodes.set(n.id, { inputs: r.inputs, outputs: r.outputs, outputTensors: res.outputs, params: res.params, issues: list });
      if (res.params) {
        trainable += res.params.trainable;
        nonTrainable += res.params.nonTrainable;
      }
    }
    const hasErrors = all.some((i) => i.severity === 'error');
    return {
      nodes, order, issues: all, totals: { trainable, nonTrainable }, hasErrors,
      node: (id) => nodes.get(id),
      tensor: (id, port) => tensors.get(tkey(id, port)) ?? null,
      edgeTensor: (e) => tensors.get(tkey(e.source, e.sourcePort)) ?? null,
    };
  }
}

/** One-shot inference (no cache). */
export function inferGraph(graph: Graph): GraphInference {
  return new Inferencer().run(graph);
}
