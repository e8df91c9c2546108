/**
 * A simple layered layout for imported graphs: a node's column is its longest path from an input,
 * its row its order among the nodes of that column. The editor may re-layout with elkjs.
 */
import type { Graph } from '../types.ts';

export const COLUMN_WIDTH = 260;
export const ROW_HEIGHT = 150;

export function layoutByDepth(g: Graph): Graph {
  const incoming = new Map<string, string[]>();
  for (const e of g.edges) incoming.set(e.target, [...(incoming.get(e.target) ?? []), e.source]);
  const depth = new Map<string, number>();
  const visiting = new Set<string>();
  const depthOf = (id: string): number => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    if (visiting.has(id)) return 0; // a cycle: leave it in column 0
    visiting.add(id);
    const d = Math.max(-1, ...(incoming.get(id) ?? []).map(depthOf)) + 1;
    visiting.delete(id);
    depth.set(id, d);
    return d;
  };
  const rows = new Map<number, number>();
  const nodes = g.nodes.map((n) => {
    const col = depthOf(n.id);
    const row = rows.get(col) ?? 0;
    rows.set(col, row + 1);
    return { ...n, position: { x: col * COLUMN_WIDTH, y: row * ROW_HEIGHT } };
  });
  return { nodes, edges: g.edges };
}
