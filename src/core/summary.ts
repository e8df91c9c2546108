/**
 * The Keras 3 `model.summary()` of a graph: the same rows, shapes, parameter counts, "Connected to"
 * references, totals and byte sizes, and a text rendering that reproduces Keras's rich table
 * (column widths from Keras's positions, rich's ratio reduction and word wrapping).
 */
import { getLayer } from './registry.ts';
import { Inferencer, type GraphInference } from './infer.ts';
import { formatShape, formatShapes, type Shape } from './shape.ts';
import type { Edge, Graph, GraphNode } from './types.ts';
import { depthFirst, maxOf } from './walk.ts';
import { semanticsLine } from './keras/semantics.ts';
import { nodeSemantics } from './versions.ts';

export interface SummaryRow {
  /** Unique per row (mask operations share their layer's nodeId). */
  readonly key: string;
  /** The node the row belongs to (for a mask operation, the Embedding or Masking that makes it). */
  readonly nodeId: string;
  readonly name: string;
  readonly kerasClass: string;
  /** '(None, 32)', '[(None, 8, 6), (None, 6), (None, 6)]', or '?' when unknown. */
  readonly outputShape: string;
  /** null: unbuilt (input shape unknown). */
  readonly params: number | null;
  readonly connectedTo: readonly string[];
}

export interface Summary {
  readonly name: string;
  readonly rows: readonly SummaryRow[];
  /** Keras omits "Connected to" when the model is a simple chain. */
  readonly sequentialLike: boolean;
  readonly total: number;
  readonly trainable: number;
  readonly nonTrainable: number;
  /** Lines Unroll adds under Keras's totals: which Keras semantics the model follows where versions differ. */
  readonly notes?: readonly string[];
}

export interface SummaryOptions {
  readonly name?: string;
  /** 'sequential' prints what a Keras Sequential model with the same layers prints (no InputLayer row). */
  readonly as?: 'functional' | 'sequential';
}

function isLayerNode(n: GraphNode): boolean {
  return getLayer(n.kind)?.isLayer !== false;
}

/** Layers whose `call` takes a `mask` argument: Keras passes them the mask tensor as a graph input. */
const TAKES_MASK = new Set(['SimpleRNN', 'LSTM', 'GRU', 'Bidirectional', 'TimeDistributed', 'GlobalAveragePooling1D']);
/** Layers that hand the incoming mask on unchanged (Keras 3 `supports_masking` with the default compute_mask). */
const PASSES_MASK = new Set(['Dense', 'Dropout', 'Activation', 'TimeDistributed', 'Concatenate', 'Add']);
const RECURRENT = new Set(['SimpleRNN', 'LSTM', 'GRU', 'Bidirectional']);

/** A node of Keras's functional graph: a layer, or an operation Keras records (the masks' NotEqual / Any). */
interface KNode {
  readonly id: string;
  readonly name: string;
  readonly cls: string;
  readonly shape: string;
  readonly params: number | null;
  /** Input tensors in Keras's order: call arguments, then kwargs sorted by name (initial_state, mask). */
  readonly inputs: { node: string; index: number }[];
}

/**
 * Keras's functional graph of a Unroll graph: the layers on a path to an Output, plus the mask
 * operations Keras 3 records when a mask reaches a layer whose call takes it (Embedding with
 * mask_zero adds `not_equal`, Masking adds `not_equal` and `any`). Model outputs in Output order.
 */
function kerasGraph(graph: Graph, inference: GraphInference, layerIds: readonly string[]): { nodes: Map<string, KNode>; outputs: { node: string; index: number }[] } {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const inSet = new Set(layerIds);
  const nodes = new Map<string, KNode>();
  const incoming = new Map<string, Edge[]>();
  for (const e of graph.edges) {
    const l = incoming.get(e.target);
    if (l) l.push(e);
    else incoming.set(e.target, [e]);
  }
  const portIdx = (id: string, port: string, out: boolean) => {
    const ni = inference.node(id)!;
    return (out ? ni.outputs : ni.inputs).findIndex((p) => p.name === port);
  };
  // The mask carried by each output port: a thunk creating its operation nodes on first use.
  type MaskRef = () => { node: string; index: number };
  const masks = new Map<string, MaskRef | null>();
  const key = (id: string, port: string) => `${id}\u0000${port}`;
  const counters = new Map<string, number>();
  const opName = (stem: string) => {
    const k = counters.get(stem) ?? 0;
    counters.set(stem, k + 1);
    return k === 0 ? stem : `${stem}_${k}`;
  };
  const lazyOp = (make: () => { node: string; index: number }): MaskRef => {
    let made: { node: string; index: number } | undefined;
    return () => (made ??= make());
  };
  const shapeOf = (id: string, port: string) => inference.tensor(id, port)?.shape;
  for (const id of inference.order) {
    if (!inSet.has(id)) continue;
    const n = byId.get(id)!;
    const ni = inference.node(id)!;
    // Valid wires only (a wire to a port the node lacks is an error elsewhere), one per input port.
    const seenPorts = new Set<string>();
    const ins = (incoming.get(id) ?? [])
      .filter((e) => inSet.has(e.source) && portIdx(id, e.targetPort, false) >= 0 && portIdx(e.source, e.sourcePort, true) >= 0)
      .filter((e) => !seenPorts.has(e.targetPort) && seenPorts.add(e.targetPort) !== undefined)
      .sort((a, b) => portIdx(id, a.targetPort, false) - portIdx(id, b.targetPort, false));
    const main = ins.find((e) => portIdx(id, e.targetPort, false) === 0);
    const inMask = main ? masks.get(key(main.source, main.sourcePort)) ?? null : null;
    const inputs = ins.map((e) => ({ node: e.source, index: portIdx(e.source, e.sourcePort, true) }));
    // Keras 3 fills `mask` only for a call with one tensor argument: not for an RNN with initial_state.
    const withStates = RECURRENT.has(n.kind) && ins.some((e) => portIdx(id, e.targetPort, false) > 0);
    if (inMask && TAKES_MASK.has(n.kind) && !(withStates && !nodeSemantics(n.params).initialStateMask)) inputs.push(inMask());
    nodes.set(id, {
      id, name: n.name, cls: getLayer(n.kind)!.kerasClass,
      shape: ni.outputTensors.length && ni.outputTensors.every((t) => t) ? formatShapes(ni.outputTensors.map((t) => t!.shape as Shape)) : '?',
      params: ni.params ? ni.params.trainable + ni.params.nonTrainable : null,
      inputs,
    });
    let outMask: MaskRef | null = null;
    if (n.kind === 'Embedding' && n.params.mask_zero === true && main) {
      const src = { node: main.source, index: portIdx(main.source, main.sourcePort, true) };
      const shape = shapeOf(main.source, main.sourcePort);
      // Keras names the operation when the Embedding is called, whether or not a layer uses the mask.
      const name = opName('not_equal');
      outMask = lazyOp(() => {
        const opId = `${id}#not_equal`;
        nodes.set(opId, { id: opId, name, cls: 'NotEqual', shape: shape ? formatShape(shape) : '?', params: 0, inputs: [src] });
        return { node: opId, index: 0 };
      });
    } else if (n.kind === 'Masking' && main) {
      const src = { node: main.source, index: portIdx(main.source, main.sourcePort, true) };
      const shape = shapeOf(main.source, main.sourcePort);
      const neName = opName('not_equal'), anyName = opName('any');
      outMask = lazyOp(() => {
        const ne = `${id}#not_equal`, any = `${id}#any`;
        nodes.set(ne, { id: ne, name: neName, cls: 'NotEqual', shape: shape ? formatShape(shape) : '?', params: 0, inputs: [src] });
        nodes.set(any, { id: any, name: anyName, cls: 'Any', shape: shape ? formatShape(shape.slice(0, -1)) : '?', params: 0, inputs: [{ node: ne, index: 0 }] });
        return { node: any, index: 0 };
      });
    } else if (n.kind === 'Add' && nodeSemantics(n.params).mergeMask !== 'and') {
      // Keras 3.4+: logical_or of the masks when every input has one (named when Add is called); 3.0–3.3: none.
      const ms = ins.map((e) => masks.get(key(e.source, e.sourcePort)) ?? null);
      if (nodeSemantics(n.params).mergeMask === 'or' && ms.length > 1 && ms.every((m) => m)) {
        const names = ms.slice(1).map(() => opName('logical_or'));
        const shape = shapeOf(id, 'output');
        outMask = lazyOp(() => {
          let prev = ms[0]!();
          names.forEach((name, k) => {
            const opId = `${id}#logical_or${k}`;
            nodes.set(opId, { id: opId, name, cls: 'LogicalOr', shape: shape ? formatShape(shape.slice(0, -1)) : '?', params: 0, inputs: [prev, ms[k + 1]!()] });
            prev = { node: opId, index: 0 };
          });
          return prev;
        });
      }
    } else if (PASSES_MASK.has(n.kind)) {
      outMask = inMask ?? ins.map((e) => masks.get(key(e.source, e.sourcePort)) ?? null).find((m) => m) ?? null;
    }
    ni.outputs.forEach((p) => {
      const seqOut = RECURRENT.has(n.kind) && (p.name === 'output' || p.name.startsWith('output_'));
      const keeps = RECURRENT.has(n.kind) ? seqOut && inference.tensor(id, p.name)?.masked === true ? inMask : null : outMask;
      masks.set(key(id, p.name), keeps);
    });
  }
  const outputs = graph.nodes
    .filter((n) => n.kind === 'Output')
    .flatMap((o) => (incoming.get(o.id) ?? []).filter((e) => inSet.has(e.source)).map((e) => ({ node: e.source, index: portIdx(e.source, e.sourcePort, true) })));
  return { nodes, outputs };
}

/**
 * Keras's layer order (Functional `_operations`): by depth from the outputs, deepest first; ties
 * by first visit in a depth-first walk from the outputs along inputs. Also whether the model is
 * "sequential-like" (every depth holds one node with at most one input tensor), which decides
 * whether Keras prints the "Connected to" column.
 */
function kerasOrder(nodes: Map<string, KNode>, outputs: { node: string; index: number }[], inputIds: readonly string[]): { order: string[]; sequentialLike: boolean } {
  const { pre, post } = depthFirst(
    outputs.map((o) => o.node).filter((id) => nodes.has(id)),
    (id) => nodes.get(id)!.inputs.map((t) => t.node).filter((x) => nodes.has(x)),
  );
  const visitIndex = new Map(pre.map((id, k) => [id, k]));
  const depth = new Map<string, number>();
  for (const id of [...post].reverse()) {
    const d = depth.get(id) ?? 0;
    depth.set(id, d);
    for (const t of nodes.get(id)!.inputs) depth.set(t.node, Math.max(depth.get(t.node) ?? 0, d + 1));
  }
  for (const id of inputIds) {
    if (!depth.has(id) && nodes.has(id)) {
      depth.set(id, 0);
      visitIndex.set(id, -1);
    }
  }
  const ids = [...depth.keys()];
  ids.sort((a, b) => depth.get(b)! - depth.get(a)! || visitIndex.get(a)! - visitIndex.get(b)!);
  const perDepth = new Map<number, string[]>();
  for (const id of ids) {
    const d = depth.get(id)!;
    const l = perDepth.get(d);
    if (l) l.push(id);
    else perDepth.set(d, [id]);
  }
  const sequentialLike = [...perDepth.values()].every((l) => l.length === 1 && nodes.get(l[0])!.inputs.length <= 1);
  return { order: ids, sequentialLike };
}

/**
 * The rows Keras would list, in Keras's order: layers on a path to an Output (all layers when the
 * graph has no Output yet, in graph order), with the mask operations a Functional model records.
 */
export function summarize(graph: Graph, inference: GraphInference = new Inferencer().run(graph), opts: SummaryOptions = {}): Summary {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const unused = new Set(inference.issues.filter((i) => i.code === 'unused').map((i) => i.nodeId));
  const hasOutput = graph.nodes.some((n) => n.kind === 'Output');
  const layerIds = inference.order.filter((id) => isLayerNode(byId.get(id)!) && (!hasOutput || !unused.has(id)));
  const { nodes, outputs } = kerasGraph(graph, inference, layerIds);
  const sequentialMode = opts.as === 'sequential';
  let order: string[] = layerIds;
  let sequentialLike = false;
  if (outputs.length) {
    const inputs = layerIds.filter((id) => byId.get(id)!.kind === 'Input');
    ({ order, sequentialLike } = kerasOrder(nodes, outputs, inputs));
  }
  let rows: SummaryRow[] = order.map((id) => {
    const k = nodes.get(id)!;
    return {
      key: id,
      nodeId: byId.has(id) ? id : id.slice(0, id.indexOf('#')),
      name: k.name,
      kerasClass: k.cls,
      outputShape: k.shape,
      params: k.params,
      connectedTo: k.inputs.map((t) => `${nodes.get(t.node)!.name}[0][${t.index}]`),
    };
  });
  // A Sequential model lists its layers only: no InputLayer, no mask operations.
  if (sequentialMode) rows = rows.filter((r) => r.kerasClass !== 'InputLayer' && r.kerasClass !== 'NotEqual' && r.kerasClass !== 'Any');
  let trainable = 0, nonTrainable = 0;
  for (const id of layerIds) {
    const p = inference.node(id)!.params;
    if (p) { trainable += p.trainable; nonTrainable += p.nonTrainable; }
  }
  return {
    name: opts.name ?? (sequentialMode ? 'sequential' : 'functional'),
    rows,
    sequentialLike: sequentialMode || sequentialLike,
    total: trainable + nonTrainable,
    trainable,
    nonTrainable,
    ...semanticsNotes(graph, inference),
  };
}

/**
 * Whose meaning is used where a model keeps an older Keras's (a file read with the meaning its
 * Keras gave it, src/core/versions.ts): "Keras 2.0–2.3 and TF.js semantics: add output mask: …".
 */
function semanticsNotes(graph: Graph, inference: GraphInference): { notes?: string[] } {
  const line = semanticsLine(graph, inference);
  return line ? { notes: [` ${line}`] } : {};
}

// ---------- text rendering, as Keras prints it ----------

/** Python's round(): halves go to the even neighbour. */
function pyRound(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/** rich's ratio_reduce with all ratios 1. */
function ratioReduce(total: number, values: number[]): number[] {
  let remaining = total;
  let totalRatio = values.length;
  return values.map((v) => {
    const distributed = Math.min(v, pyRound(remaining / totalRatio));
    remaining -= distributed;
    totalRatio -= 1;
    return v - distributed;
  });
}

/** Column widths (with padding) as Keras computes them and rich reduces them to the table width. */
export function columnWidths(sequentialLike: boolean, terminalColumns = 80): number[] {
  // Narrower than 24 (or not a number) prints as 24: every column keeps at least one character.
  terminalColumns = Number.isFinite(terminalColumns) ? Math.max(24, Math.floor(terminalColumns)) : 80;
  const positions = sequentialLike ? [0.45, 0.8, 1.0] : [0.3, 0.56, 0.74, 1.0];
  const lineLength = Math.min(sequentialLike ? 88 : 108, terminalColumns - 4);
  const widths: number[] = [];
  let current = 0;
  for (const p of positions) {
    const w = Math.floor(p * lineLength) - current;
    widths.push(w + 2);
    current += w;
  }
  const max = lineLength - (positions.length + 1);
  const sum = widths.reduce((a, b) => a + b, 0);
  return sum > max ? ratioReduce(sum - max, widths) : widths;
}

/** rich-style wrapping: break at spaces, fold words longer than the width. */
export function wrap(text: string, width: number): string[] {
  // At least one character a line, whatever width a caller asks for (a width ≤ 0 never ended).
  width = Number.isFinite(width) ? Math.max(1, Math.floor(width)) : 1;
  const lines: string[] = [];
  let line = '';
  for (const word of text.match(/\S+\s*/g) ?? ['']) {
    const bare = word.trimEnd();
    if (line && (line + bare).length > width) {
      lines.push(line.trimEnd());
      line = '';
    }
    if (!line && bare.length > width) {
      let w = bare;
      while (w.length > width) {
        lines.push(w.slice(0, width));
        w = w.slice(width);
      }
      line = w + word.slice(bare.length);
      continue;
    }
    line += word;
  }
  lines.push(line.trimEnd());
  return lines;
}

/** `{:,}` of an integer. */
export function thousands(n: number): string {
  return n.toLocaleString('en-US');
}

/** Keras `readable_memory_size` with Python's `{:.2f}` (exact half-to-even on the binary value). */
export function readableSize(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
  // A count that overflowed (an Input of shape [1e308, 1e308]) has no exact size to print.
  if (!Number.isFinite(bytes)) return `${Number.isNaN(bytes) ? 'NaN' : '∞'} ${units[units.length - 1]}`;
  bytes = Math.round(bytes);
  let k = 0;
  while (k < units.length - 1 && bytes / 1024 ** (k + 1) >= 1) k++;
  const den = 1024n ** BigInt(k);
  const num = BigInt(bytes) * 100n;
  let q = num / den;
  const r2 = (num % den) * 2n;
  if (r2 > den || (r2 === den && q % 2n === 1n)) q += 1n;
  const s = q.toString().padStart(3, '0');
  return `${s.slice(0, -2)}.${s.slice(-2)} ${units[k]}`;
}

function pad(text: string, width: number, right: boolean): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

/** The summary as Keras prints it (default: an 80-column, non-terminal console, as in a notebook). */
export function formatSummary(s: Summary, terminalColumns = 80): string {
  const widths = columnWidths(s.sequentialLike, terminalColumns);
  const header = s.sequentialLike ? ['Layer (type)', 'Output Shape', 'Param #'] : ['Layer (type)', 'Output Shape', 'Param #', 'Connected to'];
  const right = header.map((h) => h === 'Param #');
  const inner = widths.map((w) => w - 2);
  const rule = (l: string, m: string, r: string, h: string) => l + widths.map((w) => h.repeat(w)).join(m) + r;
  const row = (cells: string[], v: string) => {
    const wrapped = cells.map((c, k) => wrap(c, inner[k]));
    const height = maxOf(wrapped.map((w) => w.length));
    const out: string[] = [];
    for (let li = 0; li < height; li++) {
      out.push(v + wrapped.map((w, k) => ` ${pad(w[li] ?? '', inner[k], right[k])} `).join(v) + v);
    }
    return out;
  };
  const lines: string[] = [`Model: "${s.name}"`, rule('┏', '┳', '┓', '━'), ...row(header, '┃'), rule('┡', '╇', '┩', '━')];
  s.rows.forEach((r, k) => {
    if (k > 0) lines.push(rule('├', '┼', '┤', '─'));
    const cells = [
      `${r.name} (${r.kerasClass})`,
      r.outputShape,
      r.params === null ? '0 (unbuilt)' : thousands(r.params),
    ];
    if (!s.sequentialLike) cells.push(r.connectedTo.length ? r.connectedTo.join(', ') : '-');
    for (const l of row(cells, '│')) lines.push(l);
  });
  lines.push(rule('└', '┴', '┘', '─'));
  lines.push(` Total params: ${thousands(s.total)} (${readableSize(s.total * 4)})`);
  lines.push(` Trainable params: ${thousands(s.trainable)} (${readableSize(s.trainable * 4)})`);
  lines.push(` Non-trainable params: ${thousands(s.nonTrainable)} (${readableSize(s.nonTrainable * 4)})`);
  for (const n of s.notes ?? []) lines.push(n);
  return lines.join('\n');
}
