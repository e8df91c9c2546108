/**
 * Where Keras versions give one name two meanings, a graph read from an older Keras keeps that
 * Keras's meaning (config.ts reads a Keras 2 file's `hard_sigmoid` as `hard_sigmoid_keras2`,
 * clip(0.2x + 0.5, 0, 1)); this converts a graph to Keras 3's meanings, on request only (the Keras 3
 * export refuses Keras 2 meanings it cannot write; `--keras3` on the command line, "Use Keras 3
 * semantics" in the app).
 *
 *   const { graph, changed } = toKeras3Semantics(g);   // changed: ['lstm_1 recurrent_activation', …]
 */
import { KERAS2_HARD_SIGMOID } from '../params.ts';
import type { Graph, Params } from '../types.ts';

function convert(params: Params, where: string, changed: string[]): Params {
  let out = params;
  for (const [k, v] of Object.entries(params)) {
    if (k.endsWith('activation') && v === KERAS2_HARD_SIGMOID) {
      out = { ...out, [k]: 'hard_sigmoid' };
      changed.push(`${where} ${k}`);
    }
  }
  const inner = params.layer as { kind?: string; params?: Params } | undefined;
  if (inner && typeof inner === 'object' && inner.params) {
    const p = convert(inner.params, where, changed);
    if (p !== inner.params) out = { ...out, layer: { ...inner, params: p } };
  }
  return out;
}

/** The layers (and parameters) that follow Keras 2 meanings. */
export function keras2Meanings(graph: Graph): string[] {
  return toKeras3Semantics(graph).changed;
}

/** The graph with Keras 3's meanings (hard_sigmoid = relu6(x + 3) / 6), and what changed. */
export function toKeras3Semantics(graph: Graph): { graph: Graph; changed: string[] } {
  const changed: string[] = [];
  const nodes = graph.nodes.map((n) => {
    const p = convert(n.params, n.name, changed);
    return p === n.params ? n : { ...n, params: p };
  });
  return { graph: changed.length ? { ...graph, nodes } : graph, changed };
}
