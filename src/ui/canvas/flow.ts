/**
 * The document as React Flow sees it: one RF node / edge per graph node / edge, carrying only ids
 * (components read what they show from the store). Objects are cached and reused while their
 * inputs are unchanged, so React Flow re-renders only what moved or changed.
 */
import type { Edge as FlowEdge, Node as FlowNode } from '@xyflow/react';
import type { Edge, Graph, GraphNode, XY } from '../../core/types.ts';
import type { NodeView, Size } from '../../store/index.ts';
import { getLayer } from '../../core/registry.ts';
import { CATEGORY_COLOR } from '../theme.ts';
import { estimateBox } from './estimate.ts';

const colorOf = (kind: string) => { const d = getLayer(kind); return d ? CATEGORY_COLOR[d.category] : '#94a3b8'; };

export type LayerFlowNode = FlowNode<{ id: string; color: string }, 'layer'>;
export type ShapeFlowEdge = FlowEdge<{ id: string }, 'shape'>;

interface NodeEntry { src: GraphNode; selected: boolean; pos: XY; size: Size | undefined; view: NodeView | undefined; hidden: boolean; node: LayerFlowNode }
interface EdgeEntry { src: Edge; selected: boolean; edge: ShapeFlowEdge }

export function createFlowMapper() {
  let nodeCache = new Map<string, NodeEntry>();
  let edgeCache = new Map<string, EdgeEntry>();
  // The last edge list: returned again when no edge changed, so React Flow does not rebuild its
  // connection index (all edges) on edits that touch no wire.
  let lastEdges: ShapeFlowEdge[] = [];
  return {
    /**
     * With `views` (large graphs), a node not measured yet gets an estimated size and handle
     * positions, so React Flow need not render it to measure it (it does once it is in view).
     * `hidden`: every node hidden (the overview canvas draws them).
     */
    nodes(graph: Graph, selected: readonly string[], drag: ReadonlyMap<string, XY> | null, sizes: Readonly<Record<string, Size>>, views?: ReadonlyMap<string, NodeView>, hidden = false): LayerFlowNode[] {
      const sel = new Set(selected);
      const next = new Map<string, NodeEntry>();
      const out = graph.nodes.map((n) => {
        const pos = drag?.get(n.id) ?? n.position;
        const isSel = sel.has(n.id);
        const size = sizes[n.id];
        const view = views && !size ? views.get(n.id) : undefined;
        const c = nodeCache.get(n.id);
        if (c && c.src === n && c.selected === isSel && c.pos.x === pos.x && c.pos.y === pos.y && c.size === size && c.view === view && c.hidden === hidden) {
          next.set(n.id, c);
          return c.node;
        }
        const box = views && !size ? estimateBox(n, view) : null;
        const node: LayerFlowNode = {
          id: n.id, type: 'layer', position: pos, data: { id: n.id, color: colorOf(n.kind) }, selected: isSel,
          ...(size ? { measured: size } : box ? { measured: { width: box.width, height: box.height }, handles: box.handles } : {}),
          ariaLabel: `${n.kind} ${n.name}`,
          ...(hidden ? { hidden: true } : {}),
        };
        next.set(n.id, { src: n, selected: isSel, pos, size, view, hidden, node });
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
      if (out.length === lastEdges.length && out.every((e, k) => e === lastEdges[k])) return lastEdges;
      lastEdges = out;
      return out;
    },
  };
}
