/**
 * A lesson step's "try this", as pure functions over the core: apply the action to a graph, and
 * see whether the stated effect holds in a graph's inference (the panel ticks it off live; the unit
 * test checks every step). Layers are found by name, as the texts name them.
 */
import { setParams } from '../../core/edit.ts';
import type { GraphInference } from '../../core/infer.ts';
import type { Summary } from '../../core/summary.ts';
import type { Graph, Params } from '../../core/types.ts';
import type { LessonAction, LessonEffect } from './steps.ts';

/** The graph after the action (training actions leave it as it is). Throws when the layer is missing. */
export function applyAction(graph: Graph, a: LessonAction): Graph {
  if (a.type === 'train') return graph;
  const node = graph.nodes.find((n) => n.name === a.node);
  if (!node) throw new Error(`The graph has no layer called ${a.node}.`);
  if (a.type === 'param') return setParams(graph, node.id, { [a.param]: a.value });
  const inner = node.params.layer as { kind: string; params: Params };
  return setParams(graph, node.id, { layer: { kind: inner.kind, params: { ...inner.params, [a.param]: a.value } } });
}

export interface EffectContext {
  readonly graph: Graph;
  readonly inference: GraphInference;
  readonly summary: Summary;
  /** The latest finished run's test metrics, for 'trained' effects. */
  readonly test?: { readonly loss: number; readonly accuracy?: number } | null;
}

/** Whether the effect is what the learner now sees. */
export function effectHolds(e: LessonEffect, c: EffectContext): boolean {
  const byName = (name: string) => c.graph.nodes.find((n) => n.name === name);
  switch (e.type) {
    case 'rows':
      return e.rows.every((r) => {
        const n = byName(r.node);
        const row = n && c.summary.rows.find((x) => x.nodeId === n.id && x.name === n.name);
        return !!row && (r.shape === undefined || row.outputShape === r.shape) && (r.params === undefined || row.params === r.params);
      });
    case 'issue': {
      const n = byName(e.node);
      return !!n && c.inference.issues.some((i) => i.nodeId === n.id && i.code === e.code);
    }
    case 'masked': {
      const n = byName(e.node);
      const out = n && c.graph.edges.find((x) => x.source === n.id && x.sourcePort === 'output');
      return !!out && (c.inference.edgeTensor(out)?.masked === true) === e.masked;
    }
    case 'trained':
      return typeof c.test?.[e.metric] === 'number' && c.test[e.metric]! >= e.atLeast;
  }
}
