/**
 * Auto-layout with elkjs: layered, left to right, ports in order. elkjs is loaded on first use so it
 * stays out of the initial bundle. Returns new top-left positions; the caller commits them as one
 * undo step (`moveNodes`).
 */
import { depthsFromSources } from '../core/depth.ts';
import { maxOf } from '../core/walk.ts';
import type { Graph, XY } from '../core/types.ts';
import type { Size } from './state.ts';

const FALLBACK: Size = { width: 220, height: 120 };

export async function layoutGraph(graph: Graph, sizes: Readonly<Record<string, Size>>): Promise<Map<string, XY>> {
  const { default: ELK } = await import('elkjs/lib/elk.bundled.js');
  const elk = new ELK();
  const res = await elk.layout({
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.layered.spacing.nodeNodeBetweenLayers': '120',
      'elk.spacing.nodeNode': '50',
      'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
      'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
      'elk.separateConnectedComponents': 'true',
      'elk.spacing.componentComponent': '80',
    },
    children: graph.nodes.map((n) => {
      const s = sizes[n.id] ?? FALLBACK;
      return { id: n.id, width: s.width, height: s.height };
    }),
    edges: graph.edges.map((e) => ({ id: e.id, sources: [e.source], targets: [e.target] })),
  });
  const out = new Map<string, XY>();
  for (const c of res.children ?? []) out.set(c.id, { x: Math.round(c.x ?? 0), y: Math.round(c.y ?? 0) });
  return out;
}

/**
 * A quick layered layout without elkjs (synchronous, for tidying a document right after it opens):
 * a node's column is its longest path from a source, columns are as wide as their widest node,
 * nodes in a column are stacked and centred on the first column's middle.
 */
export function quickLayout(graph: Graph, sizes: Readonly<Record<string, Size>>, gap = { x: 120, y: 48 }): Map<string, XY> {
  const depth = depthsFromSources(graph);
  const columns: string[][] = [];
  for (const n of graph.nodes) (columns[depth.get(n.id)!] ??= []).push(n.id);
  const size = (id: string) => sizes[id] ?? FALLBACK;
  const out = new Map<string, XY>();
  let x = 0;
  for (const col of columns) {
    if (!col) continue;
    const height = col.reduce((h, id) => h + size(id).height, 0) + gap.y * (col.length - 1);
    let y = -height / 2;
    for (const id of col) {
      out.set(id, { x, y: Math.round(y) });
      y += size(id).height + gap.y;
    }
    x += maxOf(col.map((id) => size(id).width)) + gap.x;
  }
  return out;
}
