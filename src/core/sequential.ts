/**
 * Whether a graph is what the lesson writes as `Sequential([Input(...), layer, layer, ...])`: one
 * Input, a chain of layers each fed by the one before through its single output, and at most one
 * Output, at the end. Such a model's summary and code can be given in the Sequential form (the CLI's
 * `--sequential`, the editor's Sequential view); anything else (branches, merges, initial
 * states, several outputs, a layer with return_state) needs the functional API, and the answer
 * says why in a sentence.
 *
 *   const s = sequentialChain(graph);
 *   if (s.ok) s.layers   // Input first, Output not included
 */
import { resolveNode } from './infer.ts';
import { getLayer } from './registry.ts';
import type { Graph, GraphNode } from './types.ts';

export type SequentialChain = { ok: true; layers: readonly GraphNode[] } | { ok: false; reason: string };

export function sequentialChain(graph: Graph): SequentialChain {
  const no = (reason: string): SequentialChain => ({ ok: false, reason });
  const layers = graph.nodes.filter((n) => getLayer(n.kind)?.isLayer !== false);
  const markers = graph.nodes.filter((n) => getLayer(n.kind)?.isLayer === false);
  const inputs = layers.filter((n) => getLayer(n.kind)?.kerasClass === 'InputLayer');
  if (inputs.length !== 1) return no(inputs.length ? `it has ${inputs.length} Inputs; a Sequential model has one` : 'it has no Input yet');
  if (markers.length > 1) return no(`it has ${markers.length} Outputs; a Sequential model has one`);
  const out = new Map<string, typeof graph.edges[number][]>();
  const into = new Map<string, typeof graph.edges[number][]>();
  for (const e of graph.edges) {
    out.set(e.source, [...(out.get(e.source) ?? []), e]);
    into.set(e.target, [...(into.get(e.target) ?? []), e]);
  }
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const chain: GraphNode[] = [];
  let node: GraphNode | undefined = inputs[0];
  const seen = new Set<string>();
  while (node && getLayer(node.kind)?.isLayer !== false) {
    if (seen.has(node.id)) return no('its wires form a loop');
    seen.add(node.id);
    const r = resolveNode(node);
    if (r.outputs.length > 1) return no(`${node.name} has ${r.outputs.length} outputs (${r.outputs.map((p) => p.name).join(', ')}); each layer of a Sequential model has one`);
    const ins = into.get(node.id) ?? [];
    if (chain.length && (ins.length !== 1 || ins[0].targetPort !== r.inputs[0]?.name)) {
      return no(`${node.name} takes ${ins.length} inputs (${ins.map((e) => e.targetPort).join(', ')}); in a Sequential model each layer takes the one before it`);
    }
    chain.push(node);
    const next = out.get(node.id) ?? [];
    // Without an Output marker the chain ends at the layer that feeds nothing.
    if (!next.length && !markers.length && chain.length > 1) return chainEnd(chain, layers);
    if (next.length !== 1) return no(next.length ? `${node.name} feeds ${next.length} layers; a Sequential model is one chain` : `${node.name} feeds nothing`);
    node = byId.get(next[0].target);
  }
  if (!node) return no('a wire leads nowhere');
  if ((into.get(node.id) ?? []).length !== 1) return no(`${node.name} takes more than one tensor`);
  return chainEnd(chain, layers);
}

function chainEnd(chain: readonly GraphNode[], layers: readonly GraphNode[]): SequentialChain {
  const off = layers.length - chain.length;
  if (off) return { ok: false, reason: `${off} layer${off > 1 ? 's are' : ' is'} not on the chain from the Input to the end` };
  return { ok: true, layers: chain };
}
