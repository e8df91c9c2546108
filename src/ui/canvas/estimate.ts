/**
 * The size and handle positions a node will have once rendered, estimated from what it shows
 * (key parameters, toggles, a wrapped layer, port rows). React Flow renders every node once to
 * measure its handles unless it is told where they are; in a large graph that means mounting
 * thousands of off-screen nodes at open. With these estimates React Flow culls from the first
 * frame and measures a node for real when it scrolls into view. Calibrated against LayerNode's
 * CSS (styles.css) at zoom 1: within a pixel of the templates' nodes as Chromium draws them, height
 * and handles (estimate.test.ts), the row under a recurrent layer's ports and wrapped layers included.
 */
import type { NodeHandle } from '@xyflow/react';
import { Position } from '@xyflow/react';
import { getLayer } from '../../core/registry.ts';
import type { GraphNode } from '../../core/types.ts';
import type { NodeView } from '../../store/index.ts';
import { shownInputs } from './ports.ts';

export interface NodeBox {
  readonly width: number;
  readonly height: number;
  readonly handles: NodeHandle[];
}

const WIDTH = 222;
const HANDLE = 11;
/** Head (kind + name) + one port row + footer, with borders. */
const BASE = 103;
const KEYS_ROW = 23;
const PORT_ROW = 24;
/** From a node's bottom edge to the top of its last port row's handle (without the row under the ports). */
const LAST_HANDLE_FROM_BOTTOM = 47.5;
/**
 * The row under the ports (LayerNode's `.node-unroll`): "+ initial state" when optional inputs are
 * hidden, and the unroll button of a recurrent layer; the button sets its height.
 */
const UNDER_PORTS_ROW = 22;

function togglesHeight(n: number): number {
  return n ? 15 * n + 3 * (n - 1) + 6 : 0;
}

/** Estimated box of a node; `view` gives its ports (null: one input and one output). */
export function estimateBox(n: GraphNode, view: NodeView | undefined): NodeBox {
  const def = getLayer(n.kind);
  let height = BASE;
  if (def) {
    if (def.keyParams?.length) height += KEYS_ROW;
    height += togglesHeight(def.params.filter((p) => p.onNode && p.type === 'bool').length);
    for (const spec of def.params) {
      if (spec.type !== 'layer') continue;
      const inner = getLayer(String((n.params[spec.name] as { kind?: unknown } | undefined)?.kind ?? ''));
      height += 37 + (inner ? togglesHeight(inner.params.filter((p) => p.onNode && p.type === 'bool').length) + (inner.params.some((p) => p.onNode && p.type === 'bool') ? 4 : 0) : 0);
    }
  }
  const ins = view ? shownInputs(view.inputs, false).map((p) => p.name) : ['input'];
  const outs = view?.outputs.map((p) => p.name) ?? ['output'];
  const rows = Math.max(1, ins.length, outs.length);
  height += (rows - 1) * PORT_ROW;
  // As LayerNode shows it (no wire being dragged at open): optional inputs hidden, or a recurrent layer.
  const hidden = view ? view.inputs.length > ins.length : false;
  const under = hidden || def?.recurrent ? UNDER_PORTS_ROW : 0;
  height += under;
  const nameWidth = 24 + 8.5 * n.name.length;
  const width = Math.min(290, Math.max(WIDTH, nameWidth));
  const top = height - under - LAST_HANDLE_FROM_BOTTOM - (rows - 1) * PORT_ROW;
  const handles: NodeHandle[] = [
    ...ins.map((id, k): NodeHandle => ({ id, type: 'target', position: Position.Left, x: -5, y: top + k * PORT_ROW, width: HANDLE, height: HANDLE })),
    ...outs.map((id, k): NodeHandle => ({ id, type: 'source', position: Position.Right, x: width - 6, y: top + k * PORT_ROW, width: HANDLE, height: HANDLE })),
  ];
  return { width, height: Math.round(height), handles };
}
