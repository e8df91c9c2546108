/**
 * The document as React Flow sees it: one RF node / edge per graph node / edge, carrying only ids
 * (components read what they show from the store). Objects are cached and reused while their
 * inputs are unchanged, so React Flow re-renders only what moved or changed.
 */
import type { Edge as FlowEdge, Node as FlowNode } from '@xyflow/react';
import type { Edge, Graph, GraphNode, XY } from '../../core/types.ts';
import type { Size } from '../../store/index.ts';
import { getLayer } from '../../core/registry.ts';
import { CATEGORY_COLOR } from '../theme.ts';

const colorOf = (kind: string) => { const d = getLayer(kind); return d ? CATEGORY_COLOR[d.category] : '#94a3b8'; };

export type LayerFlowNode = FlowNode<{ id: string; color: string }, 'layer'>;
export type ShapeFlowEdge = FlowEdge<{ id: string }, 'shape'>;

interface NodeEntry { src: GraphNode; selected: boolean; pos: XY; size: Size | undefined; node: LayerFlowNode }
interface EdgeEntry { src: Edge; selected: boolean; edge: ShapeFlowEdge }

export function createFlowMapper() {
  let nodeCache = new Map<string, NodeEntry>();
  let edgeCache = new Map<string, EdgeEntry>();
  return {
    nodes(graph: Graph, selected: readonly string[], drag: ReadonlyMap<string, XY> | null, sizes: Readonly<Record<string, Size>>): LayerFlowNode[] {
      const sel = new Set(selected);
      const next = new Map<string, NodeEntry>();
      const out = graph.nodes.map((n) => {
        const pos = drag?.get(n.id) ?? n.position;
        const isSel = sel.has(n.id);
        const size = sizes[n.id];
        const c = nodeCache.get(n.id);
        if (c && c.src === n && c.selected === isSel && c.pos.x === pos.x && c.pos.y === pos.y && c.size === size) {
          next.set(n.id, c);
          return c.node;
        }
        const node: LayerFlowNode = {
          id: n.id, type: 'layer', position: pos, data: { id: n.id, color: colorOf(n.kind) }, selected: isSel,
          ...(size ? { measured: size } : {}),
          ariaLabel: `${n.kind} ${n.name}`,
        };
        next.set(n.id, { src: n, selected: isSel, pos, size, node });
        return node;
      });
      nodeCache = next;
      return out;
    },
    edges(graph: Graph, selected: readonly string[]): ShapeFlowEdge[] {
      const sel = new Set(selected);
      const next = new Map<string, EdgeEntry>();
      const out = graph.edges.map((e) => {
        const isSel = sel.has(e.id);
        const c = edgeCache.get(e.id);
        if (c && c.src === e && c.selected === isSel) {
          next.set(e.id, c);
          return c.edge;
        }
        const edge: ShapeFlowEdge = {
          id: e.id, type: 'shape', source: e.source, sourceHandle: e.sourcePort, target: e.target, targetHandle: e.targetPort,
          data: { id: e.id }, selected: isSel,
        };
        next.set(e.id, { src: e, selected: isSel, edge });
        return edge;
      });
      edgeCache = next;
      return out;
    },
  };
}
