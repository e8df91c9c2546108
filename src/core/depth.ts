/**
 * Layer columns for layouts: a node's depth is the length of its longest path from a node without
 * inputs (0 for sources; nodes on a cycle stop the walk at 0). Used by the importer's layout and
 * the editor's quick layout.
 */
import type { Graph } from './types.ts';

export function depthsFromSources(g: Graph): Map<string, number> {
  const incoming = new Map<string, string[]>();
  for (const e of g.edges) {
    const l = incoming.get(e.target);
    if (l) l.push(e.source);
    else incoming.set(e.target, [e.source]);
  }
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
  for (const n of g.nodes) depthOf(n.id);
  return depth;
}
