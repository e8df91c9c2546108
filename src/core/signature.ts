/**
 * What decides a model, as a string: node ids, kinds, names, parameters and wires (not positions).
 * Two graphs with the same signature compile to the same layers with the same weight shapes, so a
 * model trained from one can be used for the other (the worker's "current weights").
 */
import type { Graph } from './types.ts';

export function modelSignature(g: Graph): string {
  return JSON.stringify([
    g.nodes.map((n) => [n.id, n.kind, n.name, n.params]),
    g.edges.map((e) => [e.source, e.sourcePort, e.target, e.targetPort]).sort(),
  ]);
}

export function sameModel(a: Graph, b: Graph): boolean {
  return a === b || modelSignature(a) === modelSignature(b);
}
