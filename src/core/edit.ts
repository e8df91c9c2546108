/**
 * Graph edits as pure commands: `(graph, args) → graph`. Untouched nodes and edges keep their
 * identity, so incremental inference and undo stay cheap. The store calls these; so do importers,
 * templates and tests.
 */
import { checkParam, defaultParams, withDefaults } from './params.ts';
import { getLayer } from './registry.ts';
import { resolveNode, Inferencer, type GraphInference } from './infer.ts';
import type { Edge, Graph, GraphNode, ParamValue, Params, XY } from './types.ts';

export const emptyGraph: Graph = { nodes: [], edges: [] };

/** Keras's automatic naming: `lstm`, then `lstm_1`, `lstm_2`… skipping names already taken. */
export function uniqueName(stem: string, taken: ReadonlySet<string>): string {
  if (!taken.has(stem)) return stem;
  for (let k = 1; ; k++) {
    const name = `${stem}_${k}`;
    if (!taken.has(name)) return name;
  }
}

function nextId(taken: Iterable<string>, prefix: string): () => string {
  let max = 0;
  for (const id of taken) {
    const m = /^[a-z]+(\d+)$/.exec(id);
    if (m) max = Math.max(max, Number(m[1]));
  }
  return () => `${prefix}${++max}`;
}

/**
 * A position every coordinate of which is a finite number: one that is not (NaN, ±Infinity, from a
 * broken pointer or a shift that overflowed) takes the fallback's. JSON writes such a number as null,
 * so the autosave of a graph holding one would not open again.
 */
export function finiteXY(p: XY, fallback: XY = { x: 0, y: 0 }): XY {
  const fx = Number.isFinite(p.x), fy = Number.isFinite(p.y);
  return fx && fy ? p : { x: fx ? p.x : fallback.x, y: fy ? p.y : fallback.y };
}

export interface NewNode {
  readonly kind: string;
  readonly position?: XY;
  readonly params?: Params;
  readonly name?: string;
  readonly id?: string;
}

/** Adds a node with default parameters and a Keras-style unique name. */
export function addNode(graph: Graph, spec: NewNode): { graph: Graph; node: GraphNode } {
  const def = getLayer(spec.kind);
  if (!def) throw new Error(`Unknown layer kind ${spec.kind}`);
  const names = new Set(graph.nodes.map((n) => n.name));
  const node: GraphNode = {
    id: spec.id ?? nextId(graph.nodes.map((n) => n.id), 'n')(),
    kind: spec.kind,
    name: spec.name ?? uniqueName(def.defaultName, names),
    params: spec.params ? withDefaults(def.params, spec.params) : defaultParams(def.params),
    position: finiteXY(spec.position ?? { x: 0, y: 0 }),
  };
  return { graph: { ...graph, nodes: [...graph.nodes, node] }, node };
}

export interface Connection {
  readonly source: string;
  readonly sourcePort: string;
  readonly target: string;
  readonly targetPort: string;
}

/** The wire that already goes into the target port of `c` (connect replaces it), if any. */
export function wireInto(graph: Graph, c: Pick<Connection, 'target' | 'targetPort'>): Edge | undefined {
  return graph.edges.find((e) => e.target === c.target && e.targetPort === c.targetPort);
}

/** Connects two ports; an input takes one wire, so an existing wire into that port is replaced. */
export function connect(graph: Graph, c: Connection, id?: string): Graph {
  const edges = graph.edges.filter((e) => !(e.target === c.target && e.targetPort === c.targetPort));
  const edge: Edge = { id: id ?? nextId(graph.edges.map((e) => e.id), 'e')(), ...c };
  return onConnect({ ...graph, edges: [...edges, edge] }, c);
}

/** Lets the target's definition react to a new wire (`LayerDef.onConnect`). */
function onConnect(graph: Graph, c: Connection): Graph {
  const target = graph.nodes.find((n) => n.id === c.target);
  const hook = target && getLayer(target.kind)?.onConnect;
  if (!hook) return graph;
  const source = graph.nodes.find((n) => n.id === c.source);
  const from = source && resolveNode(source).outputs.find((p) => p.name === c.sourcePort);
  const patch = from && hook(resolveNode(target).params, { port: c.targetPort, from });
  return patch && Object.keys(patch).length ? replaceNode(graph, target.id, (n) => ({ ...n, params: { ...n.params, ...patch } as Params })) : graph;
}

export function removeEdges(graph: Graph, ids: Iterable<string>): Graph {
  const drop = new Set(ids);
  return { ...graph, edges: graph.edges.filter((e) => !drop.has(e.id)) };
}

/** Removes nodes and every wire touching them. */
export function removeNodes(graph: Graph, ids: Iterable<string>): Graph {
  const drop = new Set(ids);
  return {
    nodes: graph.nodes.filter((n) => !drop.has(n.id)),
    edges: graph.edges.filter((e) => !drop.has(e.source) && !drop.has(e.target)),
  };
}

function replaceNode(graph: Graph, id: string, f: (n: GraphNode) => GraphNode): Graph {
  return { ...graph, nodes: graph.nodes.map((n) => (n.id === id ? f(n) : n)) };
}

/** Drops wires whose ports a node no longer has (after return_state is turned off, say). */
export function pruneEdges(graph: Graph, nodeIds: Iterable<string>): Graph {
  const ids = new Set(nodeIds);
  const ports = new Map<string, { ins: Set<string>; outs: Set<string> }>();
  for (const n of graph.nodes) {
    if (!ids.has(n.id)) continue;
    const r = resolveNode(n);
    ports.set(n.id, { ins: new Set(r.inputs.map((p) => p.name)), outs: new Set(r.outputs.map((p) => p.name)) });
  }
  const edges = graph.edges.filter((e) => {
    const s = ports.get(e.source), t = ports.get(e.target);
    return (!s || s.outs.has(e.sourcePort)) && (!t || t.ins.has(e.targetPort));
  });
  return edges.length === graph.edges.length ? graph : { ...graph, edges };
}

/** Changes parameters; wires to ports that disappear are removed with them. */
export function setParams(graph: Graph, id: string, patch: Params): Graph {
  const g = replaceNode(graph, id, (n) => ({ ...n, params: { ...n.params, ...patch } }));
  return pruneEdges(g, [id]);
}

/**
 * Changes a layer into another kind its definition lists in `swapsWith` (LSTM → GRU → SimpleRNN,
 * Concatenate ↔ Add), in place: same id, name and position; every parameter of the new kind takes
 * the old value when the old kind has a parameter of that name and type and the value is valid for
 * the new one, else the new kind's default; wires stay where the new kind has the port. Says which
 * parameters and wires could not be kept.
 */
export function changeKind(graph: Graph, id: string, kind: string): { graph: Graph; droppedParams: string[]; droppedEdges: Edge[] } {
  const n = graph.nodes.find((x) => x.id === id);
  const from = n && getLayer(n.kind), to = getLayer(kind);
  if (!n || !from || !to) throw new Error(`changeKind: unknown node ${id} or kind ${kind}`);
  if (!from.swapsWith?.includes(kind)) throw new Error(`${n.kind} cannot be changed into ${kind}`);
  const params: Record<string, ParamValue> = {};
  const droppedParams: string[] = [];
  for (const s of to.params) {
    const old = from.params.find((p) => p.name === s.name && p.type === s.type);
    const v = n.params[s.name];
    params[s.name] = old && v !== undefined && checkParam(s, v) === null ? v : (s.default as ParamValue);
  }
  for (const p of from.params) {
    const v = n.params[p.name];
    const kept = to.params.some((s) => s.name === p.name) && JSON.stringify(params[p.name]) === JSON.stringify(v);
    if (!kept && JSON.stringify(v) !== JSON.stringify(p.default)) droppedParams.push(p.name);
  }
  const changed = replaceNode(graph, id, (x) => ({ ...x, kind, params }));
  const pruned = pruneEdges(changed, [id]);
  const keptIds = new Set(pruned.edges.map((e) => e.id));
  return { graph: pruned, droppedParams, droppedEdges: graph.edges.filter((e) => !keptIds.has(e.id)) };
}

/**
 * Puts a new node into the wire(s) leaving `from`'s first output: `from` → node → what `from`
 * fed (each target keeps its port). `tryParams` lists parameter patches for the new node to try
 * in turn when a wire out of it would bring an error its target did not have (e.g. return_sequences
 * when the next layer needs a sequence); the first that leaves no new error is kept. Returns the
 * graph unchanged (and `spliced: false`) when `from` feeds nothing or the new node cannot take or
 * give those wires.
 */
export function spliceAfter(graph: Graph, fromId: string, nodeId: string, tryParams: readonly Params[] = []): { graph: Graph; spliced: boolean } {
  const from = graph.nodes.find((n) => n.id === fromId), node = graph.nodes.find((n) => n.id === nodeId);
  if (!from || !node) return { graph, spliced: false };
  const out = resolveNode(from).outputs[0]?.name;
  const r = resolveNode(node);
  const into = r.inputs[0]?.name;
  const wires = graph.edges.filter((e) => e.source === fromId && e.sourcePort === out);
  if (!out || !into || !wires.length || !r.outputs.length) return { graph, spliced: false };
  const inf = new Inferencer();
  const errors = (g: Graph) => new Set(inf.run(g).issues.filter((i) => i.severity === 'error').map((i) => `${i.nodeId}|${i.code}|${i.port ?? ''}`));
  const before = errors(graph);
  const attempt = (patch: Params | null): Graph | null => {
    let g = patch ? setParams(graph, nodeId, patch) : graph;
    g = removeEdges(g, wires.map((e) => e.id));
    g = connect(g, { source: fromId, sourcePort: out, target: nodeId, targetPort: into });
    const nOut = resolveNode(g.nodes.find((n) => n.id === nodeId)!).outputs[0].name;
    for (const w of wires) g = connect(g, { source: nodeId, sourcePort: nOut, target: w.target, targetPort: w.targetPort });
    return g;
  };
  const plain = attempt(null)!;
  const fresh = (g: Graph) => [...errors(g)].filter((k) => !before.has(k) && !k.startsWith(`${nodeId}|`)).length;
  if (fresh(plain) === 0) return { graph: plain, spliced: true };
  for (const patch of tryParams) {
    const g = attempt(patch);
    if (g && fresh(g) === 0) return { graph: g, spliced: true };
  }
  return { graph: plain, spliced: true };
}

export function rename(graph: Graph, id: string, name: string): Graph {
  return replaceNode(graph, id, (n) => ({ ...n, name }));
}

export function moveNodes(graph: Graph, positions: ReadonlyMap<string, XY>): Graph {
  return { ...graph, nodes: graph.nodes.map((n) => (positions.has(n.id) ? { ...n, position: finiteXY(positions.get(n.id)!, n.position) } : n)) };
}

/**
 * Pastes a fragment (copied nodes and the wires between them) with fresh ids and unique names,
 * shifted by `offset` (a coordinate the shift would make infinite, or a NaN offset, stays where it
 * was). Returns the new node ids.
 */
export function paste(graph: Graph, fragment: Graph, offset: XY = { x: 40, y: 40 }): { graph: Graph; ids: string[] } {
  const newNodeId = nextId(graph.nodes.map((n) => n.id), 'n');
  const newEdgeId = nextId(graph.edges.map((e) => e.id), 'e');
  const names = new Set(graph.nodes.map((n) => n.name));
  const map = new Map<string, string>();
  const nodes: GraphNode[] = fragment.nodes.map((n) => {
    const id = newNodeId();
    map.set(n.id, id);
    const stem = n.name.replace(/_\d+$/, '');
    const name = uniqueName(stem, names);
    names.add(name);
    return { ...n, id, name, position: finiteXY({ x: n.position.x + offset.x, y: n.position.y + offset.y }, n.position) };
  });
  const edges: Edge[] = fragment.edges
    .filter((e) => map.has(e.source) && map.has(e.target))
    .map((e) => ({ ...e, id: newEdgeId(), source: map.get(e.source)!, target: map.get(e.target)! }));
  return { graph: { nodes: [...graph.nodes, ...nodes], edges: [...graph.edges, ...edges] }, ids: nodes.map((n) => n.id) };
}

/** The nodes with the given ids and the wires among them (what copy puts on the clipboard). */
export function fragmentOf(graph: Graph, ids: Iterable<string>): Graph {
  const keep = new Set(ids);
  return {
    nodes: graph.nodes.filter((n) => keep.has(n.id)),
    edges: graph.edges.filter((e) => keep.has(e.source) && keep.has(e.target)),
  };
}

function reaches(graph: Graph, from: string, to: string): boolean {
  const out = new Map<string, string[]>();
  for (const e of graph.edges) {
    const l = out.get(e.source);
    if (l) l.push(e.target);
    else out.set(e.source, [e.target]);
  }
  const seen = new Set([from]);
  const stack = [from];
  while (stack.length) {
    const id = stack.pop()!;
    if (id === to) return true;
    for (const t of out.get(id) ?? []) if (!seen.has(t)) { seen.add(t); stack.push(t); }
  }
  return false;
}

/** Issue codes that no later edit upstream can fix: such a wire is refused while dragging. */
const REFUSE = new Set(['dtype-int', 'state-shape', 'merge-shapes']);

/**
 * Whether a wire may be drawn, and why not. A wire that only needs a setting changed upstream (an
 * LSTM fed by an LSTM without return_sequences) is allowed: the node then shows the error and its fix.
 * Only errors the wire itself brings (not ones the node already had) refuse it.
 */
export function canConnect(
  graph: Graph, c: Connection,
  /** The graph's current inference and an Inferencer kept for trial wires (the editor's, so checks are incremental). */
  opts: { before?: GraphInference; trial?: Inferencer } = {},
): { ok: true } | { ok: false; reason: string } {
  if (c.source === c.target) return { ok: false, reason: 'A layer cannot take its own output as input.' };
  const s = graph.nodes.find((n) => n.id === c.source), t = graph.nodes.find((n) => n.id === c.target);
  if (!s || !t) return { ok: false, reason: 'Both ends must be layers on the canvas.' };
  const rs = resolveNode(s), rt = resolveNode(t);
  if (!rs.outputs.some((p) => p.name === c.sourcePort)) return { ok: false, reason: `${s.name} has no output ${c.sourcePort}.` };
  if (!rt.inputs.some((p) => p.name === c.targetPort)) return { ok: false, reason: `${t.name} has no input ${c.targetPort}.` };
  if (reaches(graph, c.target, c.source)) {
    return { ok: false, reason: `This wire would make a loop: ${t.name} already feeds ${s.name}. Recurrence happens inside RNN layers, not in wires.` };
  }
  const inf = opts.trial ?? new Inferencer();
  const current = opts.before ?? inf.run(graph);
  const before = new Set(current.node(c.target)?.issues.map((i) => `${i.code}|${i.message}`));
  const trial = inf.run(connect(graph, c, '__trial__'));
  const bad = trial.node(c.target)?.issues.find(
    (i) => i.severity === 'error' && REFUSE.has(i.code) && !before.has(`${i.code}|${i.message}`),
  );
  if (bad) return { ok: false, reason: bad.fix ? `${bad.message} ${bad.fix}` : bad.message };
  return { ok: true };
}
