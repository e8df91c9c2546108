/**
 * Layer columns for layouts: a node's depth is the length of its longest path from a node without
 * inputs (0 for sources; nodes on a cycle stop the walk at 0). Used by the importer's layout and
 * the editor's quick layout.
 */
import type { Graph } from './types.ts';
import { depthFirst } from './walk.ts';

export function depthsFromSources(g: Graph): Map<string, number> {
  const incoming = new Map<string, string[]>();
  for (const e of g.edges) {
    const l = incoming.get(e.target);
    if (l) l.push(e.source);
    else incoming.set(e.target, [e.source]);
  }
  // Longest path from a source, in finishing order of a walk along inputs: every input of a node
  // is finished (its depth known) or still being walked (a cycle, counted as column 0).
  const depth = new Map<string, number>();
  const { post } = depthFirst(g.nodes.map((n) => n.id), (id) => incoming.get(id) ?? []);
  for (const id of post) {
    let d = 0;
    for (const s of incoming.get(id) ?? []) d = Math.max(d, (depth.get(s) ?? 0) + 1);
    depth.set(id, d);
  }
  return depth;
}
