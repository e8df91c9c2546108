/**
 * The Keras 3 `model.summary()` of a graph: the same rows, shapes, parameter counts, "Connected to"
 * references, totals and byte sizes, and a text rendering that reproduces Keras's rich table
 * (column widths from Keras's positions, rich's ratio reduction and word wrapping).
 */
import { getLayer } from './registry.ts';
import { Inferencer, type GraphInference } from './infer.ts';
import { formatShapes, type Shape } from './shape.ts';
import type { Graph, GraphNode } from './types.ts';

export interface SummaryRow {
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
}

export interface SummaryOptions {
  readonly name?: string;
  /** 'sequential' prints what a Keras Sequential model with the same layers prints (no InputLayer row). */
  readonly as?: 'functional' | 'sequential';
}

function isLayerNode(n: GraphNode): boolean {
  return getLayer(n.kind)?.isLayer !== false;
}

/** The rows Keras would list: layer nodes on a path to an Output (all layers when none is), in topological order. */
export function summarize(graph: Graph, inference: GraphInference = new Inferencer().run(graph), opts: SummaryOptions = {}): Summary {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const unused = new Set(inference.issues.filter((i) => i.code === 'unused').map((i) => i.nodeId));
  const hasOutput = graph.nodes.some((n) => n.kind === 'Output');
  const layerIds = inference.order.filter((id) => {
    const n = byId.get(id)!;
    return isLayerNode(n) && (!hasOutput || !unused.has(id));
  });
  const inSet = new Set(layerIds);
  const incoming = new Map<string, typeof graph.edges[number][]>();
  for (const e of graph.edges) {
    if (!inSet.has(e.target) || !inSet.has(e.source)) continue;
    const l = incoming.get(e.target);
    if (l) l.push(e);
    else incoming.set(e.target, [e]);
  }

  const rows: SummaryRow[] = layerIds.map((id) => {
    const n = byId.get(id)!;
    const inf = inference.node(id)!;
    const shapes = inf.outputTensors;
    const known = shapes.length > 0 && shapes.every((t) => t !== null);
    const portIndex = (port: string) => inf.inputs.findIndex((p) => p.name === port);
    const conns = (incoming.get(id) ?? [])
      .slice()
      .sort((a, b) => portIndex(a.targetPort) - portIndex(b.targetPort))
      .map((e) => {
        const src = byId.get(e.source)!;
        const k = inference.node(e.source)!.outputs.findIndex((p) => p.name === e.sourcePort);
        return `${src.name}[0][${k}]`;
      });
    return {
      nodeId: id,
      name: n.name,
      kerasClass: getLayer(n.kind)!.kerasClass,
      outputShape: known ? formatShapes(shapes.map((t) => t!.shape as Shape)) : '?',
      params: inf.params ? inf.params.trainable + inf.params.nonTrainable : null,
      connectedTo: conns,
    };
  });

  // Keras: sequential-like when every depth holds one node with at most one input tensor.
  const consumers = new Map<string, number>();
  for (const l of incoming.values()) for (const e of l) consumers.set(e.source, (consumers.get(e.source) ?? 0) + 1);
  const roots = layerIds.filter((id) => !incoming.has(id));
  const sequentialLike = roots.length === 1 && layerIds.every((id) => (incoming.get(id)?.length ?? 0) <= 1 && (consumers.get(id) ?? 0) <= 1);

  let shown = rows;
  if (opts.as === 'sequential') shown = rows.filter((r) => r.kerasClass !== 'InputLayer');
  let trainable = 0, nonTrainable = 0;
  for (const id of layerIds) {
    const p = inference.node(id)!.params;
    if (p) { trainable += p.trainable; nonTrainable += p.nonTrainable; }
  }
  return {
    name: opts.name ?? (opts.as === 'sequential' ? 'sequential' : 'functional'),
    rows: shown,
    sequentialLike: opts.as === 'sequential' || sequentialLike,
    total: trainable + nonTrainable,
    trainable,
    nonTrainable,
  };
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
    const height = Math.max(...wrapped.map((w) => w.length));
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
    lines.push(...row(cells, '│'));
  });
  lines.push(rule('└', '┴', '┘', '─'));
  lines.push(` Total params: ${thousands(s.total)} (${readableSize(s.total * 4)})`);
  lines.push(` Trainable params: ${thousands(s.trainable)} (${readableSize(s.trainable * 4)})`);
  lines.push(` Non-trainable params: ${thousands(s.nonTrainable)} (${readableSize(s.nonTrainable * 4)})`);
  return lines.join('\n');
}
