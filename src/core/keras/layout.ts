/**
 * A simple layered layout for imported graphs: a node's column is its longest path from an input,
 * its row its order among the nodes of that column. The editor may re-layout with elkjs.
 */
import { depthsFromSources } from '../depth.ts';
import type { Graph } from '../types.ts';

export const COLUMN_WIDTH = 260;
export const ROW_HEIGHT = 150;

export function layoutByDepth(g: Graph): Graph {
  const depth = depthsFromSources(g);
  const rows = new Map<number, number>();
  const nodes = g.nodes.map((n) => {
    const col = depth.get(n.id)!;
    const row = rows.get(col) ?? 0;
    rows.set(col, row + 1);
    return { ...n, position: { x: col * COLUMN_WIDTH, y: row * ROW_HEIGHT } };
  });
  return { nodes, edges: g.edges };
}
